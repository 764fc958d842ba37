"""The figures: every indicator counted once per grid in one pass, then added up for a settlement or the
whole profile; and the households behind each figure (the drill-down).

Every count is a plain number of households or people, so a settlement's or the county's counts are
the sums of its grids' (`Counts`); the figures (`Figure`: numerator, denominator, target) are made from
the counts at the end (`_figures`), for any level alike.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, not_, select
from sqlalchemy.orm import Session

from core.indicators.base import (
    DEFAULT_RULES, EVERYWHERE, ROUNDS_PER_YEAR, CountyRules, Figure, Scope, able_and_willing, add_months,
    in_household, live_household, month_of, statement_per_day, year_months,
)
from core.indicators.employment import (
    cleared_zero_employment_condition, employed_household_condition, labour_household_condition,
    zero_employment_condition,
)
from core.indicators.monitoring import (
    OPEN_GRIEVANCE_STATUSES, deadline_of, monitored_condition, overdue_grievance_condition,
    unmeasured_monitored_condition, visited_condition,
)
from core.indicators.income import INCOME_COUNTS, income_behind, income_distributions, income_figures
from core.indicators.people import PEOPLE_COUNTS, people_behind, people_distributions, people_figures
from core.indicators.training import trained_member_condition, training_base_condition
from core.models import Grievance, Household, Member, Visit

Place = tuple[str | None, str | None]  # (settlement id, grid id) of a household
Counts = Counter  # name -> how many, for one place


CountOf = Callable[[Session, date, CountyRules, Scope], dict[Place, Counts]]


def _no_distributions(_counts: Counts) -> dict[str, dict[str, int]]:
    return {}


@dataclass(frozen=True)
class Part:
    """A group of indicators: how it counts (per place, every count additive), the figures it makes of
    the counts, its distributions (a count per code, such as the sectors of the employed), and the
    condition on `household` of the households behind each figure."""

    counts: tuple[CountOf, ...]
    figures: Callable[[Counts, date, CountyRules], dict[str, Figure]]
    behind: Callable[[date, CountyRules], dict[str, ColumnElement[bool]]]
    distributions: Callable[[Counts], dict[str, dict[str, int]]] = _no_distributions


@dataclass(frozen=True)
class Indicators:
    """Every figure of one place (a grid, a settlement, everywhere) in one month."""

    month: str
    households: int
    by_name: dict[str, Figure] = field(default_factory=dict)
    distributions: dict[str, dict[str, int]] = field(default_factory=dict)  # name -> code -> how many

    def figures(self) -> dict[str, Figure]:
        return dict(self.by_name)

    def __getattr__(self, name: str) -> Figure:
        by_name = self.__dict__.get("by_name") or {}
        if name in by_name:
            return by_name[name]
        raise AttributeError(name)

    @property
    def zero_employment_households(self) -> int:
        return self.by_name["zero_employment"].numerator


@dataclass(frozen=True)
class IndicatorReport:
    """The figures everywhere, per settlement and per grid (the dashboard's breakdown)."""

    month: str
    total: Indicators
    by_settlement: dict[str | None, Indicators]
    by_grid: dict[Place, Indicators]


# -- counting, per place -----------------------------------------------------------------------
def _sum_when(condition: ColumnElement[bool], name: str):  # noqa: ANN202 - a labelled sum
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(name)


def _household_counts(session: Session, today: date, rules: CountyRules, scope: Scope) -> dict[Place, Counts]:
    stmt, names = _household_statement(today, rules, scope)
    return {(r[0], r[1]): Counter(dict(zip(names, map(int, r[2:])))) for r in scope.rows(session, stmt)}


@statement_per_day
def _household_statement(today: date, rules: CountyRules, scope: Scope) -> tuple[Select, tuple[str, ...]]:
    """Every household-level count in one pass: each household's facts are found once (materialized)
    and combined as labour_household_condition and zero_employment_condition do."""
    month, before = month_of(today), add_months(month_of(today), -1)
    facts = select(*scope.place(),
                   in_household(able_and_willing(month, rules)).label("able"),
                   employed_household_condition(month, rules).label("works"),
                   in_household(able_and_willing(before, rules)).label("able_before"),
                   employed_household_condition(before, rules).label("works_before"),
                   visited_condition(month).label("visited"), monitored_condition().label("monitored"),
                   unmeasured_monitored_condition(today).label("unmeasured"),
                   ).where(live_household(), *scope.condition()).cte("facts").prefix_with("MATERIALIZED")
    f = facts.c
    zero_now, zero_before = and_(f.able, not_(f.works)), and_(f.able_before, not_(f.works_before))
    counted = {"households": literal(True), "labour": f.able | f.works, "employed": f.works,
               "zero": zero_now, "zero_before": zero_before, "cleared": and_(zero_before, not_(zero_now)),
               "visited": f.visited, "monitored": f.monitored, "unmeasured": f.unmeasured}
    stmt = select(f.sid, f.gid, *(_sum_when(c, k) for k, c in counted.items())).group_by(f.sid, f.gid)
    return stmt, tuple(counted)


def _member_counts(session: Session, today: date, rules: CountyRules, scope: Scope) -> dict[Place, Counts]:
    stmt, names = _member_statement(today, rules, scope)
    return {(r[0], r[1]): Counter(dict(zip(names, map(int, r[2:])))) for r in scope.rows(session, stmt)}


@statement_per_day
def _member_statement(today: date, rules: CountyRules, scope: Scope) -> tuple[Select, tuple[str, ...]]:
    month, year = month_of(today), f"{today.year:04d}"
    counted = {"trained": and_(Member.deleted.is_(False), trained_member_condition(year)),
               "training_base": training_base_condition(month, rules)}
    sid, gid = scope.place()
    stmt = (select(sid, gid, *(_sum_when(c, k) for k, c in counted.items()))
            .select_from(Member).join(Household, Household.id == Member.household_id)
            .where(live_household(), *scope.condition()).group_by(sid, gid))
    return stmt, tuple(counted)


def _round_counts(session: Session, today: date, rules: CountyRules, scope: Scope) -> dict[Place, Counts]:
    """Households visited in each month of this year: 'visited:YYYY-MM'."""
    found: dict[Place, Counts] = {}
    for sid, gid, month, n in scope.rows(session, _round_statement(today, rules, scope)):
        found.setdefault((sid, gid), Counter())[f"visited:{month}"] = int(n)
    return found


@statement_per_day
def _round_statement(today: date, rules: CountyRules, scope: Scope) -> Select:
    months = year_months(today)
    sid, gid = scope.place()
    return (select(sid, gid, Visit.month, func.count(func.distinct(Visit.household_id)))
            .join(Household, Household.id == Visit.household_id)
            .where(live_household(), *scope.condition(), Visit.deleted.is_(False), Visit.month >= months[0],
                   Visit.month <= months[-1]).group_by(sid, gid, Visit.month))


def _grievance_counts(session: Session, today: date, rules: CountyRules, scope: Scope) -> dict[Place, Counts]:
    return {(sid, gid): Counter(open_grievances=int(n), overdue_grievances=int(overdue))
            for sid, gid, n, overdue in scope.rows(session, _grievance_statement(today, rules, scope))}


@statement_per_day
def _grievance_statement(today: date, rules: CountyRules, scope: Scope) -> Select:
    sid, gid = scope.place()
    return (select(sid, gid, func.count().label("open_grievances"),
                   _sum_when(deadline_of(rules) < today, "overdue_grievances"))
            .select_from(Grievance).join(Household, Household.id == Grievance.household_id)
            .where(live_household(), *scope.condition(), Grievance.deleted.is_(False),
                   Grievance.status.in_(OPEN_GRIEVANCE_STATUSES)).group_by(sid, gid))


def count_by_place(session: Session, today: date, rules: CountyRules = DEFAULT_RULES,
                   scope: Scope = EVERYWHERE, which: str = "all") -> dict[Place, Counts]:
    """Every part's counts per place. `which`: "all"; "kept", the counts that change only with the
    records and the month (what core.store.facts keeps per household); "live", those that change
    with the day (a grievance passing its deadline), counted at every asking."""
    found: dict[Place, Counts] = {}
    for part in PARTS:
        for count in part.counts:
            if which != "all" and (count in LIVE_COUNTS) != (which == "live"):
                continue
            for place, counts in count(session, today, rules, scope).items():
                found.setdefault(place, Counter()).update(counts)
    return found


# -- figures from counts -------------------------------------------------------------------------
def _household_figures(c: Counts, today: date, rules: CountyRules) -> dict[str, Figure]:
    households = c["households"]
    rounds = sum(1 for m in year_months(today)
                 if households and Figure(c[f"visited:{m}"], households, rules.round_coverage).target_met)
    return {
        "zero_employment": Figure(c["zero"], c["labour"]),  # / households able and willing to work
        "cleared_zero_employment": Figure(c["cleared"], c["zero_before"]),  # / zero-employment last month
        "at_least_one_employed": Figure(c["employed"], c["labour"]),
        "training": Figure(c["trained"], c["training_base"], rules.training_target),
        "monitoring_rounds": Figure(rounds, ROUNDS_PER_YEAR, unit="count"),
        "visit_coverage": Figure(c["visited"], households, rules.round_coverage),
        "overdue_grievances": Figure(c["overdue_grievances"], c["open_grievances"]),
        "monitored_without_measure": Figure(c["unmeasured"], c["monitored"]),
    }


def _indicators(c: Counts, today: date, rules: CountyRules) -> Indicators:
    figures: dict[str, Figure] = {}
    distributions: dict[str, dict[str, int]] = {}
    for part in PARTS:
        figures.update(part.figures(c, today, rules))
        distributions.update(part.distributions(c))
    return Indicators(month_of(today), c["households"], figures, distributions)


def compute_report(session: Session, today: date, rules: CountyRules = DEFAULT_RULES,
                   scope: Scope = EVERYWHERE) -> IndicatorReport:
    return report_of(count_by_place(session, today, rules, scope), today, rules)


def report_of(places: dict[Place, Counts], today: date, rules: CountyRules) -> IndicatorReport:
    """The figures of counts per place (counted now, or the sums the store keeps)."""
    total: Counts = Counter()
    settlements: dict[str | None, Counts] = {}
    for (sid, _gid), counts in places.items():
        total.update(counts)
        settlements.setdefault(sid, Counter()).update(counts)
    return IndicatorReport(month_of(today), _indicators(total, today, rules),
                           {sid: _indicators(c, today, rules) for sid, c in settlements.items()},
                           {place: _indicators(c, today, rules) for place, c in places.items()})


def compute_indicators(session: Session, today: date, rules: CountyRules = DEFAULT_RULES,
                       scope: Scope = EVERYWHERE) -> Indicators:
    return compute_report(session, today, rules, scope).total


def monthly_visit_coverage(session: Session, today: date, rules: CountyRules = DEFAULT_RULES,
                           scope: Scope = EVERYWHERE) -> dict[str, Figure]:
    """Each month of this year up to today's: households visited over live households, complete at
    the county's round coverage ("实行月调度动态监测，……每年完成监测不少于12期（次）")."""
    total: Counts = Counter()
    for counts in count_by_place(session, today, rules, scope).values():
        total.update(counts)
    return {m: Figure(total[f"visited:{m}"], total["households"], rules.round_coverage) for m in year_months(today)}


# -- the households behind a figure (drill-down) -----------------------------------------------
def _household_behind(today: date, rules: CountyRules) -> dict[str, ColumnElement[bool]]:
    month, year = month_of(today), f"{today.year:04d}"
    return {
        "zero_employment": zero_employment_condition(month, rules),
        "cleared_zero_employment": cleared_zero_employment_condition(month, rules),
        "at_least_one_employed": and_(labour_household_condition(month, rules),
                                      employed_household_condition(month, rules)),
        "able_and_willing": labour_household_condition(month, rules),
        "training": in_household(Member.deleted.is_(False), trained_member_condition(year)),
        "training_base": in_household(training_base_condition(month, rules)),
        "visit_coverage": visited_condition(month),
        "not_visited": not_(visited_condition(month)),
        "monitoring_rounds": not_(visited_condition(month)),  # those this month's round still waits for
        "overdue_grievances": overdue_grievance_condition(today, rules),
        "monitored_without_measure": unmeasured_monitored_condition(today),
    }


def _behind(today: date, rules: CountyRules) -> dict[str, ColumnElement[bool]]:
    conditions: dict[str, ColumnElement[bool]] = {}
    for part in PARTS:
        conditions.update(part.behind(today, rules))
    return conditions


# The parts, in the order their figures are shown. A part counts what it needs per place, makes its
# figures from the counts, and says the households behind each figure.
PARTS: list[Part] = [Part(
    counts=(_household_counts, _member_counts, _round_counts, _grievance_counts),
    figures=_household_figures, behind=_household_behind)]
PARTS.append(Part(counts=PEOPLE_COUNTS, figures=people_figures, behind=people_behind,
                  distributions=people_distributions))
PARTS.append(Part(counts=INCOME_COUNTS, figures=income_figures, behind=income_behind,
                  distributions=income_distributions))
INDICATOR_KEYS = tuple(_behind(date(2000, 1, 1), DEFAULT_RULES))
LIVE_COUNTS = frozenset({_grievance_counts})  # change with the day: never kept


def behind_condition(key: str, today: date, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """The condition on `household` of the households behind figure `key` (one of INDICATOR_KEYS)."""
    conditions = _behind(today, rules)
    if key not in conditions:
        raise KeyError(key)
    return conditions[key]


def households_behind(session: Session, key: str, today: date, rules: CountyRules = DEFAULT_RULES,
                      scope: Scope = EVERYWHERE) -> list[str]:
    """Ids of the live households behind figure `key` (one of INDICATOR_KEYS) on `today`."""
    stmt = (select(Household.id).where(live_household(), *scope.condition(), behind_condition(key, today, rules))
            .order_by(Household.household_no))
    return list(session.execute(stmt).scalars())


def zero_employment_households(session: Session, month: str, rules: CountyRules = DEFAULT_RULES) -> list[str]:
    """Ids of the zero-employment households of `month`, any month (zero_employment_condition)."""
    stmt = (select(Household.id).where(live_household(), zero_employment_condition(month, rules))
            .order_by(Household.household_no))
    return list(session.execute(stmt).scalars())
