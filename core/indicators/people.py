"""The people behind the households: where and in what trade the employed work (就业去向, 行业分布), returned
workers and whether they work (返乡劳动力), children of compulsory-school age out of school (辍学), the
left-behind (留守儿童, 留守老人, 留守妇女) and the special-hardship group (鳏寡孤独残).

"实行月调度动态监测,2023年至2025年每年完成监测不少于12期(次),及时跟踪掌握搬迁劳动力就业去向、行业分布、
就业收入及返乡劳动力就业等情况" (钦州港片区《强化易地搬迁后续扶持三年行动方案（2023—2025年）》).

Everything is counted per member and per place (settlement, grid), so a settlement's or the county's
counts are the sums of its grids'. The member conditions are in core.indicators.flags; this module
counts them (`PEOPLE`, the part registered in core.indicators.report.PARTS).
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import FromClause

from core.codes import code_lists
from core.indicators.base import (
    built_once,
    EVERYWHERE, CountyRules, Figure, Scope, able_and_willing, aged, employed_in, in_household, live_household, live_member,
    month_of, statement_per_day, working_age,
)
from core.indicators.flags import (
    CHILD_BELOW, FEMALE, OLD_FROM, at_least, hardship_conditions, left_behind_child_condition,
    left_behind_elderly_condition, left_behind_woman_condition, returned_worker_condition, school_age_condition,
    school_dropout_condition,
)
from core.models import Employment, Household, Member, Settlement, Visit, VisitMember

Place = tuple[str | None, str | None]
# 就业去向: the codes of code list employment_scope, and '' when the place is not recorded (未记录)
PLACE_GROUPS = ("in_county", "in_province", "out_province", "abroad", "")
SECTORS = tuple(c.code for c in code_lists().codes("industry_section")) + ("",)  # GB/T 4754 sections, '' 未记录
HARDSHIP_KINDS = ("widower", "widow", "orphan", "alone", "disabled")  # 鳏 寡 孤 独 残
DISTRIBUTIONS = {"employment_place": PLACE_GROUPS, "employment_sector": SECTORS,
                 "special_hardship_kind": HARDSHIP_KINDS}


@built_once
def employed_member_condition(month: str, rules: CountyRules) -> ColumnElement[bool]:
    """Of working age and employed in `month` (that month's visit when it records the member, else a
    job covering the month): the employed whose place and trade are reported."""
    return and_(live_member(), working_age(month, rules), employed_in(month))


@built_once
def labour_member_condition(month: str, rules: CountyRules) -> ColumnElement[bool]:
    """"有劳动能力和就业意愿" (随县《打造"稳得住、能致富"安置区实施方案》): of working age, able and
    willing to work, or working (who works is able and willing by the fact)."""
    return or_(able_and_willing(month, rules), employed_member_condition(month, rules))


# -- where and in what trade the employed work -------------------------------------------------
def _visit_value(month: str, column: ColumnElement) -> ColumnElement:
    """`column` of the member's row in the household's visit of `month` when it records them employed."""
    return (select(column).select_from(Visit).join(VisitMember, VisitMember.visit_id == Visit.id)
            .where(Visit.household_id == Member.household_id, Visit.month == month, Visit.deleted.is_(False),
                   VisitMember.member_id == Member.id, VisitMember.deleted.is_(False),
                   VisitMember.employment_status == "employed")
            .limit(1).correlate_except(Visit, VisitMember).scalar_subquery())


def _job_value(month: str, column: ColumnElement) -> ColumnElement:
    """`column` of the member's job covering `month` (the latest begun, should periods overlap)."""
    return (select(column).where(Employment.member_id == Member.id, Employment.deleted.is_(False),
                                 Employment.start_month <= month,
                                 or_(Employment.end_month.is_(None), Employment.end_month >= month))
            .order_by(Employment.start_month.desc()).limit(1).correlate_except(Employment).scalar_subquery())


def _employed_facts(month: str, rules: CountyRules, scope: Scope = EVERYWHERE) -> Select:
    """Each employed member of working age: their household's place and county (the first six digits of
    its settlement's area code), the place code and sector of this month's visit (when it records them
    employed), else of the job covering the month, and that job's scope."""
    return (select(Member.household_id.label("hid"), *scope.place(),
                   func.substr(Settlement.area_code, 1, 6).label("county"),
                   func.coalesce(_visit_value(month, VisitMember.place_code),
                                 _job_value(month, Employment.place_code)).label("code"),
                   _job_value(month, Employment.scope).label("scope"),
                   func.coalesce(_visit_value(month, VisitMember.sector), _job_value(month, Employment.sector),
                                 "").label("sector"))
            .select_from(Member).join(Household, Household.id == Member.household_id)
            .outerjoin(Settlement, Settlement.id == Household.settlement_id)
            .where(live_household(), employed_member_condition(month, rules)))


def place_group(code: ColumnElement, county: ColumnElement, scope: ColumnElement) -> ColumnElement[str]:
    """就业去向, from a GB/T 2260 place code (6 digits: province 'PP0000', prefecture 'PPCC00' or county)
    measured against the household's county, as code list employment_scope names them:

    the county's own code: 'in_county' (本县); another province (first two digits differ):
    'out_province' (省外); another county or prefecture of the same province: 'in_province' (省内县外).
    A code naming only the province or the prefecture the county lies in cannot tell 本县 from 省内县外,
    nor can any code of a household whose settlement's area is unknown: then the job's scope (县内,
    县外省内, 省外, 境外) decides; with neither, '' (未记录).
    """
    known = and_(code.is_not(None), county.is_not(None))
    province = func.substr(county, 1, 2)
    around = or_(code == province.concat("0000"), code == func.substr(county, 1, 4).concat("00"))
    return case((and_(known, code == county), "in_county"),
                (and_(known, func.substr(code, 1, 2) != province), "out_province"),
                (and_(known, ~around), "in_province"),
                (scope.in_(PLACE_GROUPS[:-1]), scope), else_="")


def _placed(facts: FromClause) -> Select:
    f = facts.c
    return select(f.hid, f.sid, f.gid, place_group(f.code, f.county, f.scope).label("place"), f.sector)


def _employment_place_counts(session: Session, today: date, rules: CountyRules, scope: Scope) -> dict[Place, Counter]:
    found: dict[Place, Counter] = {}
    for sid, gid, place, sector, n in scope.rows(session, _employment_place_statement(today, rules, scope)):
        counts = found.setdefault((sid, gid), Counter())
        counts[f"employment_place:{place}"] += n
        counts[f"employment_sector:{sector}"] += n
    return found


@statement_per_day
def _employment_place_statement(today: date, rules: CountyRules, scope: Scope) -> Select:
    facts = (_employed_facts(month_of(today), rules, scope).where(*scope.condition())
             .cte("employed_facts").prefix_with("MATERIALIZED"))
    placed = _placed(facts).subquery()
    p = placed.c
    return select(p.sid, p.gid, p.place, p.sector, func.count()).group_by(p.sid, p.gid, p.place, p.sector)


def _employed_in_group(today: date, rules: CountyRules, column: str, code: str) -> ColumnElement[bool]:
    placed = _placed(_employed_facts(month_of(today), rules).subquery()).subquery()
    return Household.id.in_(select(placed.c.hid).where(placed.c[column] == code))


# -- the members' facts, counted per place -------------------------------------------------------
@built_once
def _member_facts(month: str, rules: CountyRules) -> dict[str, ColumnElement[bool]]:
    """What is found once of each live member (the sums combine them)."""
    return {
        "able": able_and_willing(month, rules), "employed": employed_member_condition(month, rules),
        "returned": returned_worker_condition(month, rules), "school_age": school_age_condition(month, rules),
        "dropout": school_dropout_condition(month, rules), "child": aged(month, 0, CHILD_BELOW - 1),
        "left_child": left_behind_child_condition(month, rules), "old": at_least(OLD_FROM, month),
        "left_old": left_behind_elderly_condition(month, rules),
        "married_woman": and_(Member.sex == FEMALE, Member.marital_status == "married", working_age(month, rules)),
        "left_woman": left_behind_woman_condition(month, rules),
        **{f"kind:{kind}": c for kind, c in hardship_conditions(month, rules).items()},
    }


def _sum_when(condition: ColumnElement[bool], name: str):  # noqa: ANN202 - a labelled sum
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(name)


def _people_counts(session: Session, today: date, rules: CountyRules, scope: Scope) -> dict[Place, Counter]:
    stmt, labels = _people_statement(today, rules, scope)
    return {(r[0], r[1]): Counter(dict(zip(labels, map(int, r[2:])))) for r in scope.rows(session, stmt)}


@statement_per_day
def _people_statement(today: date, rules: CountyRules, scope: Scope) -> tuple[Select, dict[str, str]]:
    facts = (select(*scope.place(),
                    *(c.label(k.replace(":", "_")) for k, c in _member_facts(month_of(today), rules).items()))
             .select_from(Member).join(Household, Household.id == Member.household_id)
             .where(live_household(), *scope.condition(), live_member())
             .cte("member_facts").prefix_with("MATERIALIZED"))
    f = facts.c
    kinds = {f"special_hardship_kind:{k}": f[f"kind_{k}"] for k in HARDSHIP_KINDS}
    counted = {"live_members": literal(True), "labour_members": f.able | f.employed, "employed_members": f.employed,
               "returned_workers": f.returned, "returned_employed": and_(f.returned, f.employed),
               "school_age": f.school_age, "school_dropouts": f.dropout, "children": f.child,
               "left_behind_children": f.left_child, "elderly": f.old, "left_behind_elderly": f.left_old,
               "married_women": f.married_woman, "left_behind_women": f.left_woman,
               "special_hardship": or_(*kinds.values()), **kinds}
    labels = {k: f"c{i}" for i, k in enumerate(counted)}
    stmt = select(f.sid, f.gid, *(_sum_when(c, labels[k]) for k, c in counted.items())).group_by(f.sid, f.gid)
    return stmt, labels


# -- figures, distributions, the households behind them ----------------------------------------
def people_figures(c: Counter, today: date, rules: CountyRules) -> dict[str, Figure]:
    return {
        "employed_members": Figure(c["employed_members"], c["labour_members"]),
        "returned_workers_employed": Figure(c["returned_employed"], c["returned_workers"]),
        "school_dropouts": Figure(c["school_dropouts"], c["school_age"]),
        "left_behind_children": Figure(c["left_behind_children"], c["children"]),
        "left_behind_elderly": Figure(c["left_behind_elderly"], c["elderly"]),
        "left_behind_women": Figure(c["left_behind_women"], c["married_women"]),
        "special_hardship": Figure(c["special_hardship"], c["live_members"]),
    }


def people_distributions(c: Counter) -> dict[str, dict[str, int]]:
    """Every code of each distribution, in code-list order (zeros too): 就业去向 and 行业分布 of the
    employed members (they add up to employed_members), and the kinds of hardship (a member may have several)."""
    return {name: {code: c[f"{name}:{code}"] for code in codes} for name, codes in DISTRIBUTIONS.items()}


def people_behind(today: date, rules: CountyRules) -> dict[str, ColumnElement[bool]]:
    """The households with a member counted in the figure's numerator; 'labour_members' and
    'returned_workers' for the denominators, and one key per code of each distribution ('name:code')."""
    month = month_of(today)
    kinds = hardship_conditions(month, rules)
    behind = {
        "employed_members": in_household(employed_member_condition(month, rules)),
        "labour_members": in_household(labour_member_condition(month, rules)),
        "returned_workers_employed": in_household(returned_worker_condition(month, rules), employed_in(month)),
        "returned_workers": in_household(returned_worker_condition(month, rules)),
        "school_dropouts": in_household(school_dropout_condition(month, rules)),
        "left_behind_children": in_household(left_behind_child_condition(month, rules)),
        "left_behind_elderly": in_household(left_behind_elderly_condition(month, rules)),
        "left_behind_women": in_household(left_behind_woman_condition(month, rules)),
        "special_hardship": in_household(or_(*kinds.values())),
    }
    behind.update({f"special_hardship_kind:{k}": in_household(kinds[k]) for k in HARDSHIP_KINDS})
    behind.update({f"employment_place:{g}": _employed_in_group(today, rules, "place", g) for g in PLACE_GROUPS})
    behind.update({f"employment_sector:{s}": _employed_in_group(today, rules, "sector", s) for s in SECTORS})
    return behind


PEOPLE_COUNTS = (_people_counts, _employment_place_counts)
