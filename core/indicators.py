"""Derived indicators, computed by queries and never stored by hand (DESIGN.md section 3).

Each `*_condition` is a SQL expression over `household` that the household list filters on; the
functions below aggregate them for the dashboard and the ledgers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from core.models import Employment, Grievance, Household, Measure, Member, Training, Visit

LABOUR_SKILLS = ("skilled", "ordinary", "weak")
OPEN_GRIEVANCE_STATUSES = ("registered", "in_progress")
TRAINING_TARGET = 0.30


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(month: str, n: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    total = year * 12 + (mon - 1) + n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def _labour_member() -> ColumnElement[bool]:
    return and_(Member.deleted.is_(False), Member.status != "removed", Member.labour_skill.in_(LABOUR_SKILLS))


def _employed_in(month: str) -> ColumnElement[bool]:
    return and_(Employment.member_id == Member.id, Employment.deleted.is_(False), Employment.start_month <= month,
                or_(Employment.end_month.is_(None), Employment.end_month >= month))


def zero_employment_condition(month: str) -> ColumnElement[bool]:
    """The household has labour-capable members and none of them works in `month` (零就业家庭)."""
    has_labour = exists().where(Member.household_id == Household.id, _labour_member())
    someone_works = exists().where(Member.household_id == Household.id, _labour_member(),
                                   exists().where(_employed_in(month)))
    return and_(has_labour, not_(someone_works))


def overdue_grievance_condition(today: date) -> ColumnElement[bool]:
    return exists().where(Grievance.household_id == Household.id, Grievance.deleted.is_(False),
                          Grievance.status.in_(OPEN_GRIEVANCE_STATUSES), Grievance.deadline < today)


def visited_condition(month: str) -> ColumnElement[bool]:
    return exists().where(Visit.household_id == Household.id, Visit.deleted.is_(False), Visit.month == month)


def unmeasured_monitored_condition(today: date) -> ColumnElement[bool]:
    """Monitored, not cleared, identified over a month ago, and no measure begun by a month after."""
    identified = Household.monitoring_identified_month
    measured = exists().where(Measure.household_id == Household.id, Measure.deleted.is_(False))
    return and_(Household.monitoring_category.is_not(None), Household.monitoring_cleared_month.is_(None),
                identified.is_not(None), identified < add_months(month_of(today), -1),
                not_(measured))


def _active_households() -> ColumnElement[bool]:
    return Household.deleted.is_(False)


@dataclass(frozen=True)
class Indicators:
    month: str
    households: int
    zero_employment_households: int
    labour_force: int
    employed: int
    willing_to_train: int
    trained_this_year: int
    visited_this_month: int
    mean_visit_rounds_this_year: float
    overdue_grievances: int
    monitored_without_measure: int

    @property
    def employment_rate(self) -> float:
        return self.employed / self.labour_force if self.labour_force else 0.0

    @property
    def training_coverage(self) -> float:
        return self.trained_this_year / self.willing_to_train if self.willing_to_train else 0.0

    @property
    def training_target_met(self) -> bool:
        return self.training_coverage >= TRAINING_TARGET

    @property
    def visit_coverage(self) -> float:
        return self.visited_this_month / self.households if self.households else 0.0


def _count(session: Session, stmt) -> int:  # noqa: ANN001 - a select of one count
    return int(session.execute(stmt).scalar_one())


def compute_indicators(session: Session, today: date) -> Indicators:
    month, year = month_of(today), f"{today.year:04d}"
    active = _active_households()
    households = _count(session, select(func.count()).where(active))
    in_active_household = Member.household_id.in_(select(Household.id).where(active))
    labour = _count(session, select(func.count()).select_from(Member).where(_labour_member(), in_active_household))
    employed = _count(session, select(func.count()).select_from(Member).where(
        _labour_member(), in_active_household, exists().where(_employed_in(month))))
    willing = and_(_labour_member(), in_active_household, Member.training_willing.is_(True))
    trained = exists().where(Training.member_id == Member.id, Training.deleted.is_(False),
                             func.substr(func.coalesce(Training.start_date, Training.end_date), 1, 4) == year)
    rounds = select(func.count()).select_from(Visit).where(
        Visit.deleted.is_(False), Visit.month.like(f"{year}-%"), Visit.household_id.in_(select(Household.id).where(active)))
    visit_rounds = _count(session, rounds)
    overdue = _count(session, select(func.count()).select_from(Grievance).where(
        Grievance.deleted.is_(False), Grievance.status.in_(OPEN_GRIEVANCE_STATUSES), Grievance.deadline < today,
        Grievance.household_id.in_(select(Household.id).where(active))))
    return Indicators(
        month=month, households=households,
        zero_employment_households=_count(session, select(func.count()).where(active, zero_employment_condition(month))),
        labour_force=labour, employed=employed,
        willing_to_train=_count(session, select(func.count()).select_from(Member).where(willing)),
        trained_this_year=_count(session, select(func.count()).select_from(Member).where(willing, trained)),
        visited_this_month=_count(session, select(func.count()).where(active, visited_condition(month))),
        mean_visit_rounds_this_year=visit_rounds / households if households else 0.0,
        overdue_grievances=overdue,
        monitored_without_measure=_count(session, select(func.count()).where(active, unmeasured_monitored_condition(today))),
    )


def zero_employment_households(session: Session, month: str) -> list[str]:
    """Ids of the households with labour capacity and no one employed in `month`."""
    stmt = select(Household.id).where(_active_households(), zero_employment_condition(month)).order_by(Household.household_no)
    return list(session.execute(stmt).scalars())
