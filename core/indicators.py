"""Derived indicators, computed by queries and never stored by hand, each as the policy words it.

Each `*_condition` is a SQL expression over `household` for one month (a 'YYYY-MM' text or a column
of such texts); `compute_indicators` counts them, `households_behind` lists the households behind a
figure (the drill-down), and the household list's zero-employment box reads spans derived from the
same condition (`zero_employment_spans`, kept by core.store.summary).

The policy sentences quoted come from 随县《打造"稳得住、能致富"安置区实施方案》 (at least one employed
per household able and willing to work) and 《钦州港片区强化易地搬迁后续扶持三年行动方案（2023—2025年）》
(monthly monitoring, 12 rounds a year, zero-employment households cleared, 30% trained).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement, Connection, Integer, and_, case, cast, exists, func, literal, not_, or_, select, union,
)
from sqlalchemy.orm import Session

from core.models import Employment, Grievance, Household, Measure, Member, Training, Visit, VisitMember

# Working age in years, both ends included, and the visit coverage that completes a month's
# monitoring round: module constants today, county settings (synced, admin-edited) in a later step.
WORKING_AGE = (16, 59)
ROUND_COVERAGE = 0.95
ROUNDS_PER_YEAR = 12
TRAINING_TARGET = 0.30

LABOUR_SKILLS = ("skilled", "ordinary", "weak")  # code list labour_skill: able to work (not 'lost', 'none')
WANTS_WORK = ("local", "outside", "public_post", "startup")  # code list job_need: every need but 'none'
POLICY_TRAINING = ("employment_skill", "startup")  # code list training_type: 就业技能培训, 创业培训
COMPLETED_TRAINING = ("passed", "failed")  # code list training_result: finished the course (not in_progress, dropped)
OPEN_GRIEVANCE_STATUSES = ("registered", "in_progress")
AT_SITE = "at_site"  # code list residence: 常住安置点

# Raised whenever zero_employment_condition changes: a profile's derived spans are rebuilt on opening.
ZERO_EMPLOYMENT_RULE = "2"

Month = str | ColumnElement[str]


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(month: str, n: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    total = year * 12 + (mon - 1) + n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


# -- the members: alive in the household, of working age, able, willing, employed -------------
def _live_member() -> ColumnElement[bool]:
    return and_(Member.deleted.is_(False), Member.status != "removed")


def _birth_plus(years: int) -> ColumnElement[str]:
    """The month the member turns `years` old, as 'YYYY-MM'."""
    return func.printf("%04d-%s", cast(func.substr(Member.birth_date, 1, 4), Integer) + years,
                       func.substr(Member.birth_date, 6, 2))


def _working_age(month: Month) -> ColumnElement[bool]:
    """Of working age in `month` (from the month of the lower birthday to the month before the upper
    one's next). A member without a birth date is not left out: the able-to-work code speaks for them."""
    low, high = WORKING_AGE
    return or_(Member.birth_date.is_(None), and_(_birth_plus(low) <= month, _birth_plus(high + 1) > month))


def _visit_says(month: Month, *status: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Visit.household_id == Member.household_id, Visit.month == month, Visit.deleted.is_(False),
                          VisitMember.visit_id == Visit.id, VisitMember.member_id == Member.id,
                          VisitMember.deleted.is_(False), VisitMember.employment_status.is_not(None),
                          *status).correlate_except(VisitMember, Visit)


def _employed_in(month: Month) -> ColumnElement[bool]:
    """Employed in `month`: as that month's visit records the member when it does (the visit wins over
    the job records for its month), else by a live job covering the month."""
    job = exists().where(Employment.member_id == Member.id, Employment.deleted.is_(False),
                         Employment.start_month <= month,
                         or_(Employment.end_month.is_(None), Employment.end_month >= month)).correlate_except(Employment)
    return or_(_visit_says(month, VisitMember.employment_status == "employed"), and_(not_(_visit_says(month)), job))


def _able_and_willing(month: Month) -> ColumnElement[bool]:
    """As recorded: of working age, able to work (labour_skill) and wanting a job (job_need)."""
    return and_(_live_member(), _working_age(month), Member.labour_skill.in_(LABOUR_SKILLS),
                Member.job_need.in_(WANTS_WORK))


def _in_household(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Member.household_id == Household.id, *conditions)


# -- 零就业家庭 and 至少一人就业 ------------------------------------------------------------
def employed_household_condition(month: Month) -> ColumnElement[bool]:
    """At least one member of working age employed in `month` (a member who works is able and willing
    by the fact of working, whatever their codes say)."""
    return _in_household(_live_member(), _working_age(month), _employed_in(month))


def labour_household_condition(month: Month) -> ColumnElement[bool]:
    """"有劳动能力和就业意愿的搬迁家庭": a member of working age able and willing to work, or working."""
    return or_(_in_household(_able_and_willing(month)), employed_household_condition(month))


def zero_employment_condition(month: Month) -> ColumnElement[bool]:
    """零就业家庭: "确保零就业家庭动态清零"; "有劳动能力和就业意愿的搬迁家庭实现至少一人就业".

    The household has at least one member of working age, able to work (labour_skill skilled,
    ordinary or weak) and willing to work (a job_need other than 'none'), and none of its members of
    working age is employed in `month` (that month's visit when there is one, else the job records).
    """
    return and_(_in_household(_able_and_willing(month)), not_(employed_household_condition(month)))


def cleared_zero_employment_condition(month: str) -> ColumnElement[bool]:
    """动态清零: zero-employment last month and no longer in `month` ("确保零就业家庭动态清零")."""
    return and_(zero_employment_condition(add_months(month, -1)), not_(zero_employment_condition(month)))


def _next_month(month: ColumnElement[str]) -> ColumnElement[str]:
    year, mon = cast(func.substr(month, 1, 4), Integer), cast(func.substr(month, 6, 2), Integer)
    return case((mon == 12, func.printf("%04d-01", year + 1)), else_=func.printf("%04d-%02d", year, mon + 1))


def _turning_points(household_ids: list[str] | None):  # noqa: ANN202 - a subquery
    """Every month where a household's zero-employment state may change, and '' (all months before)."""
    def only(column):  # noqa: ANN001, ANN202
        return [column.in_(household_ids)] if household_ids is not None else []

    birth = Member.birth_date.is_not(None)
    return union(
        select(Household.id.label("hid"), literal("").label("month")).where(*only(Household.id)),
        select(Employment.household_id, Employment.start_month).where(*only(Employment.household_id)),
        select(Employment.household_id, _next_month(Employment.end_month))
        .where(Employment.end_month.is_not(None), *only(Employment.household_id)),
        select(Visit.household_id, Visit.month).where(*only(Visit.household_id)),
        select(Visit.household_id, _next_month(Visit.month)).where(*only(Visit.household_id)),
        *(select(Member.household_id, _birth_plus(years)).where(birth, *only(Member.household_id))
          for years in (WORKING_AGE[0], WORKING_AGE[1] + 1)),
    ).subquery()


def zero_employment_spans(conn: Connection | Session,
                          household_ids: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """(household id, after month, before month): the household is zero-employment in every month M
    with after < M < before ('' = always before, '~' = never after), found by asking
    zero_employment_condition itself at every month where its answer may change."""
    points = _turning_points(None if household_ids is None else list(household_ids))
    rows = conn.execute(select(points.c.hid, points.c.month, zero_employment_condition(points.c.month))
                        .join_from(points, Household, Household.id == points.c.hid)
                        .where(Household.deleted.is_(False)).order_by(points.c.hid, points.c.month))
    spans, open_span = [], None
    last_hid = None
    for hid, month, zero in rows:
        if hid != last_hid:
            if open_span:
                spans.append((*open_span, "~"))
            open_span, last_hid = None, hid
        if zero and open_span is None:
            open_span = (hid, add_months(month, -1) if month else "")
        elif not zero and open_span is not None:
            spans.append((*open_span, month))
            open_span = None
    if open_span:
        spans.append((*open_span, "~"))
    return spans


# -- 培训覆盖率 ---------------------------------------------------------------------------
def trained_member_condition(year: str) -> ColumnElement[bool]:
    """Trained in `year`: a 就业技能培训 or 创业培训 course finished (passed or failed, not dropped out
    nor still running) within the calendar year."""
    return exists().where(Training.member_id == Member.id, Training.deleted.is_(False),
                          Training.training_type.in_(POLICY_TRAINING), Training.result.in_(COMPLETED_TRAINING),
                          func.substr(func.coalesce(Training.end_date, Training.start_date), 1, 4) == year)


def training_base_condition(month: str) -> ColumnElement[bool]:
    """"常住片区且有培训意愿劳动力": members alive in the household, living at the site (residence
    'at_site', or not recorded), of working age in `month`, able to work and willing to be trained."""
    return and_(_live_member(), or_(Member.residence.is_(None), Member.residence == AT_SITE), _working_age(month),
                Member.labour_skill.in_(LABOUR_SKILLS), Member.training_willing.is_(True))


# -- 监测期数, grievances, measures -----------------------------------------------------------
def visited_condition(month: Month) -> ColumnElement[bool]:
    return exists().where(Visit.household_id == Household.id, Visit.deleted.is_(False), Visit.month == month)


def is_overdue_condition(today: date) -> ColumnElement[bool]:
    """A grievance still open after its deadline."""
    return and_(Grievance.status.in_(OPEN_GRIEVANCE_STATUSES), Grievance.deadline < today)


def overdue_grievance_condition(today: date) -> ColumnElement[bool]:
    return exists().where(Grievance.household_id == Household.id, Grievance.deleted.is_(False),
                          is_overdue_condition(today))


def monitored_condition() -> ColumnElement[bool]:
    return and_(Household.monitoring_category.is_not(None), Household.monitoring_cleared_month.is_(None))


def unmeasured_monitored_condition(today: date) -> ColumnElement[bool]:
    """Monitored, not cleared, identified over a month ago, and no measure begun since identification."""
    identified = Household.monitoring_identified_month
    measured = exists().where(Measure.household_id == Household.id, Measure.deleted.is_(False),
                              func.substr(func.coalesce(Measure.start_date, ""), 1, 7) >= identified)
    return and_(monitored_condition(), identified.is_not(None), identified < add_months(month_of(today), -1),
                not_(measured))


def _active_households() -> ColumnElement[bool]:
    return Household.deleted.is_(False)


# -- the figures -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One indicator: its numerator over its denominator, and the target the rate is held to, if any."""
    numerator: int
    denominator: int
    target: float | None = None

    @property
    def rate(self) -> float:
        return self.numerator / self.denominator if self.denominator else 0.0

    @property
    def target_met(self) -> bool | None:
        return None if self.target is None else self.rate >= self.target


@dataclass(frozen=True)
class Indicators:
    month: str
    households: int
    zero_employment: Figure  # zero-employment households / households able and willing to work
    cleared_zero_employment: Figure  # cleared this month / zero-employment last month
    at_least_one_employed: Figure  # with someone employed / households able and willing to work
    training: Figure  # trained this year / working-age labour living at the site willing to be trained; 30%
    monitoring_rounds: Figure  # complete monthly rounds this year / 12
    visit_coverage: Figure  # visited this month / households; complete at ROUND_COVERAGE
    overdue_grievances: Figure  # open past their deadline / open
    monitored_without_measure: Figure  # / monitored households

    def figures(self) -> dict[str, Figure]:
        return {name: getattr(self, name) for name in (
            "zero_employment", "cleared_zero_employment", "at_least_one_employed", "training", "monitoring_rounds",
            "visit_coverage", "overdue_grievances", "monitored_without_measure")}

    @property
    def zero_employment_households(self) -> int:
        return self.zero_employment.numerator


def _household_figures(session: Session, today: date) -> dict[str, int]:
    """Every household-level count, in one pass over the households: each household's facts are found
    once (materialized) and combined as labour_household_condition and zero_employment_condition do."""
    month, before = month_of(today), add_months(month_of(today), -1)
    facts = select(_in_household(_able_and_willing(month)).label("able"),
                   employed_household_condition(month).label("works"),
                   _in_household(_able_and_willing(before)).label("able_before"),
                   employed_household_condition(before).label("works_before"),
                   visited_condition(month).label("visited"), monitored_condition().label("monitored"),
                   unmeasured_monitored_condition(today).label("unmeasured"),
                   ).where(_active_households()).cte("facts").prefix_with("MATERIALIZED")
    f = facts.c
    zero_now, zero_before = and_(f.able, not_(f.works)), and_(f.able_before, not_(f.works_before))
    counted = {"households": literal(True), "labour": or_(f.able, f.works), "employed": f.works,
               "zero": zero_now, "zero_before": zero_before, "cleared": and_(zero_before, not_(zero_now)),
               "visited": f.visited, "monitored": f.monitored, "unmeasured": f.unmeasured}
    stmt = select(*(func.coalesce(func.sum(case((c, 1), else_=0)), 0).label(k) for k, c in counted.items()))
    return dict(session.execute(stmt.select_from(facts)).one()._mapping)


def _member_count(session: Session, *conditions: ColumnElement[bool]) -> int:
    stmt = (select(func.count()).select_from(Member).join(Household, Household.id == Member.household_id)
            .where(_active_households(), *conditions))
    return int(session.execute(stmt).scalar_one())


def monthly_visit_coverage(session: Session, today: date) -> dict[str, Figure]:
    """Each month of this year up to today's: households visited over live households, complete at
    ROUND_COVERAGE ("实行月调度动态监测，……每年完成监测不少于12期（次）")."""
    month, households = month_of(today), int(session.execute(
        select(func.count()).select_from(Household).where(_active_households())).scalar_one())
    stmt = (select(Visit.month, func.count(func.distinct(Visit.household_id)))
            .join(Household, Household.id == Visit.household_id)
            .where(_active_households(), Visit.deleted.is_(False), Visit.month >= f"{today.year:04d}-01",
                   Visit.month <= month).group_by(Visit.month))
    visited = {m: n for m, n in session.execute(stmt)}
    return {m: Figure(int(visited.get(m, 0)), households, ROUND_COVERAGE)
            for m in (f"{today.year:04d}-{n:02d}" for n in range(1, today.month + 1))}


def compute_indicators(session: Session, today: date) -> Indicators:
    month, year = month_of(today), f"{today.year:04d}"
    h = _household_figures(session, today)
    rounds = sum(1 for f in monthly_visit_coverage(session, today).values() if f.denominator and f.target_met)
    open_grievances = (select(func.count()).select_from(Grievance).join(Household, Household.id == Grievance.household_id)
                       .where(_active_households(), Grievance.deleted.is_(False),
                              Grievance.status.in_(OPEN_GRIEVANCE_STATUSES)))
    return Indicators(
        month=month, households=h["households"],
        zero_employment=Figure(h["zero"], h["labour"]),
        cleared_zero_employment=Figure(h["cleared"], h["zero_before"]),
        at_least_one_employed=Figure(h["employed"], h["labour"]),
        training=Figure(_member_count(session, Member.deleted.is_(False), trained_member_condition(year)),
                        _member_count(session, training_base_condition(month)), TRAINING_TARGET),
        monitoring_rounds=Figure(rounds, ROUNDS_PER_YEAR),
        visit_coverage=Figure(h["visited"], h["households"], ROUND_COVERAGE),
        overdue_grievances=Figure(int(session.execute(open_grievances.where(Grievance.deadline < today)).scalar_one()),
                                  int(session.execute(open_grievances).scalar_one())),
        monitored_without_measure=Figure(h["unmeasured"], h["monitored"]),
    )


# -- the households behind a figure (drill-down) -----------------------------------------------
def _behind(today: date) -> dict[str, ColumnElement[bool]]:
    month, year = month_of(today), f"{today.year:04d}"
    return {
        "zero_employment": zero_employment_condition(month),
        "cleared_zero_employment": cleared_zero_employment_condition(month),
        "at_least_one_employed": and_(labour_household_condition(month), employed_household_condition(month)),
        "able_and_willing": labour_household_condition(month),
        "training": _in_household(Member.deleted.is_(False), trained_member_condition(year)),
        "training_base": _in_household(training_base_condition(month)),
        "visit_coverage": visited_condition(month),
        "not_visited": not_(visited_condition(month)),
        "monitoring_rounds": not_(visited_condition(month)),  # those this month's round still waits for
        "overdue_grievances": overdue_grievance_condition(today),
        "monitored_without_measure": unmeasured_monitored_condition(today),
    }


INDICATOR_KEYS = tuple(_behind(date(2000, 1, 1)))


def households_behind(session: Session, key: str, today: date) -> list[str]:
    """Ids of the live households behind figure `key` (one of INDICATOR_KEYS) on `today`."""
    stmt = select(Household.id).where(_active_households(), _behind(today)[key]).order_by(Household.household_no)
    return list(session.execute(stmt).scalars())


def zero_employment_households(session: Session, month: str) -> list[str]:
    """Ids of the zero-employment households of `month`, any month (zero_employment_condition)."""
    stmt = select(Household.id).where(_active_households(), zero_employment_condition(month)).order_by(Household.household_no)
    return list(session.execute(stmt).scalars())
