"""人均可支配收入 and 工资性收入占比 of a household's year ("搬迁群众收入增速高于全县农民收入增速",
"工资性收入占比持续增加"), and their figures for a grid, a village or the county.

可支配收入 is the sum of the four net incomes (wage, business, property, transfer); per person, it is
shared by the household's size that year, or by its live members when the size is not recorded.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, not_, or_, select
from sqlalchemy.orm import Session, aliased

from core.indicators.base import (
    built_once,
    CountyRules, Figure, Scope, birth_plus, in_household, live_household, live_member, month_of, statement_per_day,
)
from core.models import Household, HouseholdIncome, Insurance, Member

SOURCES = ("wage", "business", "property", "transfer")
KINDS = ("medical", "pension")  # code list insurance_kind
PENSION_FROM_AGE = 16
AT_SCHOOL = ("primary", "junior", "senior", "vocational", "higher_vocational", "university")  # code list school_status
Place = tuple[str | None, str | None]


@dataclass(frozen=True)
class YearIncome:
    total: float
    per_person: float | None  # None without anyone to share it
    wage_share: float | None  # None when the total is not above zero


def year_income(row: dict, live_members: int) -> YearIncome:
    """One household's income of one year (a household_income record)."""
    total = sum(float(row.get(s) or 0) for s in SOURCES)
    size = row.get("household_size") or live_members
    return YearIncome(total, total / size if size else None,
                      float(row.get("wage") or 0) / total if total > 0 else None)


# -- the figures of a place ------------------------------------------------------------------
# ("搬迁群众收入增速高于全县农民收入增速", "工资性收入占比持续增加": 钦州港片区三年行动方案;
#  "不得因搬迁出现漏保断保": the county's follow-up support plans)
def _persons() -> ColumnElement[int]:
    live = (select(func.count()).where(Member.household_id == HouseholdIncome.household_id, live_member())
            .scalar_subquery())
    return func.coalesce(HouseholdIncome.household_size, live)


def _total() -> ColumnElement[float]:
    return sum((func.coalesce(getattr(HouseholdIncome, s), 0) for s in SOURCES[1:]),
               func.coalesce(HouseholdIncome.wage, 0))


def _income_counts(session: Session, today: date, rules: CountyRules, scope: Scope) -> dict[Place, Counter]:
    """Per place and for last year (Y, the last whole year) and the year before: households with an
    income, its total, the people sharing it and the wages; and the same over the households that
    have both years (growth is measured on the same households, 同口径)."""
    year = today.year - 1
    found: dict[Place, Counter] = {}
    for sid, gid, y, n, total, persons, wage, both_total, both_persons in scope.rows(
            session, _income_statement(today, rules, scope)):
        when = "this" if y == year else "before"
        found.setdefault((sid, gid), Counter()).update({
            f"income_households:{when}": int(n), f"income_total:{when}": round(total or 0),
            f"income_persons:{when}": int(persons or 0), f"income_wage:{when}": round(wage or 0),
            f"income_both_total:{when}": round(both_total or 0), f"income_both_persons:{when}": int(both_persons or 0)})
    return found


@statement_per_day
def _income_statement(today: date, rules: CountyRules, scope: Scope) -> Select:
    year = today.year - 1
    other = aliased(HouseholdIncome)
    both = exists().where(other.household_id == HouseholdIncome.household_id, other.deleted.is_(False),
                          other.year == case((HouseholdIncome.year == year, year - 1), else_=year))
    sid, gid = scope.place()
    return (select(sid, gid, HouseholdIncome.year, func.count(),
                   func.sum(_total()), func.sum(_persons()), func.sum(func.coalesce(HouseholdIncome.wage, 0)),
                   func.sum(case((both, _total()), else_=0)), func.sum(case((both, _persons()), else_=0)))
            .join(Household, Household.id == HouseholdIncome.household_id)
            .where(live_household(), *scope.condition(), HouseholdIncome.deleted.is_(False),
                   HouseholdIncome.year.in_((year - 1, year)))
            .group_by(sid, gid, HouseholdIncome.year))


@built_once
def insured_condition(kind: str, year: int) -> ColumnElement[bool]:
    return exists().where(Insurance.member_id == Member.id, Insurance.deleted.is_(False), Insurance.kind == kind,
                          Insurance.year == year, Insurance.insured.is_(True))


@built_once
def pension_due_condition(month: str) -> ColumnElement[bool]:
    """Of age for basic pension insurance (16 and over, by birth date) and not at school."""
    return and_(Member.birth_date.is_not(None), birth_plus(PENSION_FROM_AGE) <= month,
                or_(Member.school_status.is_(None), Member.school_status.not_in(AT_SCHOOL)))


@built_once
def insurance_gap_conditions(today: date) -> dict[str, ColumnElement[bool]]:
    """漏保断保, per live member for this year: no basic medical insurance; of pension age without basic
    pension insurance; insured last year and not this year (断保)."""
    year, month = today.year, month_of(today)
    lapsed = or_(*(and_(insured_condition(k, year - 1), not_(insured_condition(k, year))) for k in KINDS))
    return {"medical_missing": not_(insured_condition("medical", year)),
            "pension_missing": and_(pension_due_condition(month), not_(insured_condition("pension", year))),
            "lapsed": lapsed}


@built_once
def insurance_gap_condition(today: date) -> ColumnElement[bool]:
    gaps = insurance_gap_conditions(today)
    return and_(live_member(), or_(gaps["medical_missing"], gaps["pension_missing"]))


def _insurance_counts(session: Session, today: date, rules: CountyRules, scope: Scope) -> dict[Place, Counter]:
    stmt, names = _insurance_statement(today, rules, scope)
    return {(r[0], r[1]): Counter(dict(zip(names, map(int, r[2:])))) for r in scope.rows(session, stmt)}


@statement_per_day
def _insurance_statement(today: date, rules: CountyRules, scope: Scope) -> tuple[Select, tuple[str, ...]]:
    counted = {"insured_members": literal(True), "insurance_gaps": insurance_gap_condition(today),
               **{f"insurance_gap:{k}": c for k, c in insurance_gap_conditions(today).items()}}
    sid, gid = scope.place()
    stmt = (select(sid, gid, *(func.sum(case((c, 1), else_=0)) for c in counted.values()))
            .select_from(Member).join(Household, Household.id == Member.household_id)
            .where(live_household(), *scope.condition(), live_member())
            .group_by(sid, gid))
    return stmt, tuple(counted)


def income_figures(c: Counter, today: date, rules: CountyRules) -> dict[str, Figure]:
    """人均可支配收入 of last year (yuan over people); its growth over the year before on the households
    with both years, held above the county's rural growth when the county has given it for that year;
    the wage share, held to rise over the year before's; members with an insurance gap."""
    growth_target = rules.farmer_income_growth if rules.farmer_income_year == today.year - 1 else None
    before_share = Figure(c["income_wage:before"], c["income_total:before"])
    per_person = (lambda total, persons: round(total / persons) if persons else 0)
    return {
        "income_per_person": Figure(c["income_total:this"], c["income_persons:this"], unit="amount"),
        "income_growth": Figure(per_person(c["income_both_total:this"], c["income_both_persons:this"]),
                                per_person(c["income_both_total:before"], c["income_both_persons:before"]),
                                growth_target, unit="growth"),
        "wage_share": Figure(c["income_wage:this"], c["income_total:this"],
                             before_share.rate if before_share.denominator else None),
        "insurance_gaps": Figure(c["insurance_gaps"], c["insured_members"]),
    }


def income_distributions(c: Counter) -> dict[str, dict[str, int]]:
    return {"insurance_gap_kind": {k: c[f"insurance_gap:{k}"] for k in ("medical_missing", "pension_missing", "lapsed")}}


def income_behind(today: date, rules: CountyRules) -> dict[str, ColumnElement[bool]]:
    year = today.year - 1
    has_income = exists().where(HouseholdIncome.household_id == Household.id, HouseholdIncome.deleted.is_(False),
                                HouseholdIncome.year == year)
    gaps = insurance_gap_conditions(today)
    return {"income_per_person": has_income, "income_growth": has_income, "wage_share": has_income,
            "insurance_gaps": in_household(insurance_gap_condition(today)),
            **{f"insurance_gap_kind:{k}": in_household(live_member(), c) for k, c in gaps.items()}}


INCOME_COUNTS = (_income_counts, _insurance_counts)
