"""What every indicator is built from: months, the county's rules, a figure, and who a member is
(alive in the household, of working age, able and willing to work, employed in a month)."""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Integer, Select, String, and_, bindparam, cast, exists, func, not_, or_
from sqlalchemy.orm import Session

from core.among import among_bound, json_values

from core.models import Employment, Household, Member, Visit, VisitMember
from core.prepared import rows_of
from core.validation.yearly import grievance_days

LABOUR_SKILLS = ("skilled", "ordinary", "weak")  # code list labour_skill: able to work (not 'lost', 'none')
WANTS_WORK = ("local", "outside", "public_post", "startup")  # code list job_need: every need but 'none'
AT_SITE = "at_site"  # code list residence: 常住安置点
ROUNDS_PER_YEAR = 12

Month = str | ColumnElement[str]


@dataclass(frozen=True)
class CountyRules:
    """The figures the county sets (its settings record; the policy's own numbers by default).

    working_age: both ends included, in years; round_coverage: the share of households visited that
    completes a month's monitoring round; training_target: "至少达……劳动力的30%";
    farmer_income_growth: the county's rural per-capita disposable income growth, for comparison
    ("搬迁群众收入增速高于全县农民收入增速"), None until the county enters it.
    """

    working_age: tuple[int, int] = (16, 59)
    round_coverage: float = 0.95
    training_target: float = 0.30
    farmer_income_growth: float | None = None
    farmer_income_year: int | None = None
    grievance_days: tuple[tuple[str, int], ...] = ()  # (grievance kind, days to handle it): the deadline when none typed

    # The fields of the county settings record (core.models.CountySettings) that the rules are made of.
    SETTINGS: ClassVar[tuple[str, ...]] = ("working_age_min", "working_age_max", "round_coverage", "training_target",
                                           "farmer_income_growth", "farmer_income_year", "grievance_days")

    @classmethod
    def from_settings(cls, settings: dict | None) -> CountyRules:
        """The rules of the county's settings record (core.models.CountySettings) as stored; the
        policy's own figures where it has none."""
        if not settings:
            return cls()
        days = grievance_days(settings.get("grievance_days") or [])
        return cls(working_age=(int(settings["working_age_min"]), int(settings["working_age_max"])),
                   round_coverage=float(settings["round_coverage"]), training_target=float(settings["training_target"]),
                   farmer_income_growth=settings.get("farmer_income_growth"),
                   farmer_income_year=settings.get("farmer_income_year"),
                   grievance_days=tuple(sorted((str(k), int(v)) for k, v in days.items())))


DEFAULT_RULES = CountyRules()


@dataclass(frozen=True)
class Scope:
    """Where a figure is counted: the whole profile, a settlement, or a grid."""

    settlement_id: str | None = None
    grid_id: str | None = None
    # Only these households, each counted as a place of its own (keyed (id, id)): what the store keeps
    # of every household (core.store.facts) to add up instead of counting again.
    households: tuple[str, ...] | None = None

    def condition(self) -> list[ColumnElement[bool]]:
        conds = []
        if self.settlement_id:
            conds.append(Household.settlement_id == self.settlement_id)
        if self.grid_id:
            conds.append(Household.grid_id == self.grid_id)
        if self.households is not None:  # bound at execution (params()): one statement for any households
            conds.append(among_bound(Household.id, bindparam(_HOUSEHOLDS, type_=String)))
        return conds

    def params(self) -> dict[str, str]:
        """What a statement of this scope's condition() is executed with: its households, if any."""
        return {} if self.households is None else {_HOUSEHOLDS: json_values(self.households)}

    def rows(self, session: Session, statement: Select) -> Sequence[Sequence[Any]]:
        """The rows of a count's statement (built for this scope's shape) in this scope. A few
        households on the laptop's SQLite (a save counting its household again, core.store.facts):
        through the statement compiled once (core.prepared), SQLAlchemy's own run of its hundreds of
        constants being most of the count's time."""
        if self.households is None:
            return session.execute(statement).all()
        return rows_of(session, statement, self.params(), (_HOUSEHOLDS,))

    def shape(self) -> Scope:
        """This scope with its households left to the execution (params): what a statement built once
        for many households is kept by."""
        return self if self.households is None else replace(self, households=())

    def place(self) -> tuple[ColumnElement, ColumnElement]:
        """The columns counts are grouped by, labelled sid and gid: a household's settlement and grid,
        or (with `households`) the household itself."""
        if self.households is not None:
            return Household.id.label("sid"), Household.id.label("gid")
        return Household.settlement_id.label("sid"), Household.grid_id.label("gid")


_HOUSEHOLDS = "scope_households"  # the parameter of a scope's households (Scope.condition, Scope.params)

EVERYWHERE = Scope()


def statement_per_day(build: Callable) -> Callable:
    """A count's statement builder, `build(today, rules, scope)`, whose result is kept per day, rules and
    scope's shape: the households of a scope are bound when it runs (Scope.params), so counting a
    household again after a save (core.store.facts) builds nothing. Building the statements was most
    of a save's time once the month's facts were kept."""
    kept = functools.lru_cache(maxsize=16)(build)

    @functools.wraps(build)
    def statement(today: date, rules: CountyRules, scope: Scope):  # noqa: ANN202 - what build gives
        return kept(today, rules, scope.shape())
    return statement


@dataclass(frozen=True)
class Figure:
    """One indicator: its numerator over its denominator, and the target the rate is held to, if any."""

    numerator: int
    denominator: int
    target: float | None = None
    # What the rate is: "share" (a part of the whole, shown as %), "amount" (yuan per person: the
    # numerator is yuan, the denominator people), "growth" (this year's amount over last year's, less
    # one), "count" (so many of the denominator, as monitoring rounds of 12).
    unit: str = "share"

    @property
    def rate(self) -> float:
        if not self.denominator:
            return 0.0
        ratio = self.numerator / self.denominator
        return ratio - 1 if self.unit == "growth" else ratio

    @property
    def target_met(self) -> bool | None:
        """The rate reaches the target (growth: exceeds it, "高于"); None without a target or a base."""
        if self.target is None or (self.unit == "growth" and not self.denominator):
            return None
        return self.rate > self.target if self.unit == "growth" else self.rate >= self.target


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(month: str, n: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    total = year * 12 + (mon - 1) + n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def year_months(today: date) -> list[str]:
    """The months of today's calendar year up to today's."""
    return [f"{today.year:04d}-{n:02d}" for n in range(1, today.month + 1)]


def built_once(fn: Callable) -> Callable:
    """An expression builder whose result is kept for its arguments when they are plain values (a
    month's text, a year, a date, the rules): SQL expressions never change once built, and building
    them was most of the cost of counting one household again after a save (core.store.facts)."""
    cache: dict = {}

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> object:
        if kwargs or not all(isinstance(a, (str, int, date, CountyRules)) for a in args):
            return fn(*args, **kwargs)
        found = cache.get(args)
        if found is None:
            if len(cache) > 512:
                cache.clear()
            found = cache[args] = fn(*args)
        return dict(found) if isinstance(found, dict) else found
    return wrapper


# -- the members: alive in the household, of working age, able, willing, employed -------------
def live_member() -> ColumnElement[bool]:
    return and_(Member.deleted.is_(False), Member.status != "removed")


def birth_plus(years: int) -> ColumnElement[str]:
    """The month the member turns `years` old, as 'YYYY-MM'."""
    return func.printf("%04d-%s", cast(func.substr(Member.birth_date, 1, 4), Integer) + years,
                       func.substr(Member.birth_date, 6, 2))


def aged(month: Month, low: int, high: int) -> ColumnElement[bool]:
    """Aged from `low` to `high` years (both included) in `month`; False without a birth date."""
    return and_(Member.birth_date.is_not(None), birth_plus(low) <= month, birth_plus(high + 1) > month)


@built_once
def working_age(month: Month, rules: CountyRules) -> ColumnElement[bool]:
    """Of working age in `month` (from the month of the lower birthday to the month before the upper
    one's next). A member without a birth date is not left out: the able-to-work code speaks for them."""
    return or_(Member.birth_date.is_(None), aged(month, *rules.working_age))


def visit_says(month: Month, *status: ColumnElement[bool]) -> ColumnElement[bool]:
    """The member's row in the household's visit of `month` records a work status (matching `status`)."""
    return exists().where(Visit.household_id == Member.household_id, Visit.month == month, Visit.deleted.is_(False),
                          VisitMember.visit_id == Visit.id, VisitMember.member_id == Member.id,
                          VisitMember.deleted.is_(False), VisitMember.employment_status.is_not(None),
                          *status).correlate_except(VisitMember, Visit)


@built_once
def job_covers(month: Month) -> ColumnElement[bool]:
    return exists().where(Employment.member_id == Member.id, Employment.deleted.is_(False),
                          Employment.start_month <= month,
                          or_(Employment.end_month.is_(None), Employment.end_month >= month)).correlate_except(Employment)


@built_once
def employed_in(month: Month) -> ColumnElement[bool]:
    """Employed in `month`: as that month's visit records the member when it does (the visit wins over
    the job records for its month), else by a live job covering the month."""
    return or_(visit_says(month, VisitMember.employment_status == "employed"),
               and_(not_(visit_says(month)), job_covers(month)))


def able_and_willing_in_some_month() -> ColumnElement[bool]:
    """Everything able_and_willing asks but the working age: a member without it is not able and
    willing in any month (the zero-employment spans skip households that have none)."""
    return and_(live_member(), Member.labour_skill.in_(LABOUR_SKILLS), Member.job_need.in_(WANTS_WORK))


@built_once
def able_and_willing(month: Month, rules: CountyRules) -> ColumnElement[bool]:
    """As recorded: of working age, able to work (labour_skill) and wanting a job (job_need)."""
    return and_(able_and_willing_in_some_month(), working_age(month, rules))


def in_household(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Member.household_id == Household.id, *conditions)


def live_household() -> ColumnElement[bool]:
    return Household.deleted.is_(False)
