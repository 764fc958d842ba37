"""Derived indicators, computed by queries and never stored by hand.

Each `*_condition` is a SQL expression over `household` that the household list filters on; the
functions below aggregate them for the dashboard and the ledgers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, exists, func, not_, or_, select
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


def is_overdue_condition(today: date) -> ColumnElement[bool]:
    """A grievance still open after its deadline."""
    return and_(Grievance.status.in_(OPEN_GRIEVANCE_STATUSES), Grievance.deadline < today)


def overdue_grievance_condition(today: date) -> ColumnElement[bool]:
    return exists().where(Grievance.household_id == Household.id, Grievance.deleted.is_(False),
                          is_overdue_condition(today))


def visited_condition(month: str) -> ColumnElement[bool]:
    return exists().where(Visit.household_id == Household.id, Visit.deleted.is_(False), Visit.month == month)


def unmeasured_monitored_condition(today: date) -> ColumnElement[bool]:
    """Monitored, not cleared, identified over a month ago, and no measure begun since identification."""
    identified = Household.monitoring_identified_month
    measured = exists().where(Measure.household_id == Household.id, Measure.deleted.is_(False),
                              func.substr(func.coalesce(Measure.start_date, ""), 1, 7) >= identified)
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


def _labour_figures(session: Session, month: str, year: str) -> tuple[int, int, int, int]:
    """Labour force, employed, willing to train, trained this year: one pass over the members."""
    employed = exists().where(_employed_in(month))
    trained = exists().where(Training.member_id == Member.id, Training.deleted.is_(False),
                             func.substr(func.coalesce(Training.start_date, Training.end_date), 1, 4) == year)
    willing = Member.training_willing.is_(True)
    stmt = (select(func.count(), func.sum(case((employed, 1), else_=0)), func.sum(case((willing, 1), else_=0)),
                   func.sum(case((and_(willing, trained), 1), else_=0)))
            .select_from(Member).join(Household, Household.id == Member.household_id)
            .where(_labour_member(), _active_households()))
    labour, n_employed, n_willing, n_trained = session.execute(stmt).one()
    return int(labour), int(n_employed or 0), int(n_willing or 0), int(n_trained or 0)


def _count(session: Session, *conditions: ColumnElement[bool]) -> int:
    return int(session.execute(select(func.count()).select_from(Household).where(*conditions)).scalar_one())


def compute_indicators(session: Session, today: date) -> Indicators:
    month, year = month_of(today), f"{today.year:04d}"
    active = _active_households()
    households = _count(session, active)
    labour, employed, willing, trained = _labour_figures(session, month, year)
    rounds = select(func.count()).select_from(Visit).join(Household, Household.id == Visit.household_id).where(
        active, Visit.deleted.is_(False), Visit.month.like(f"{year}-%"))
    overdue = select(func.count()).select_from(Grievance).join(Household, Household.id == Grievance.household_id).where(
        active, Grievance.deleted.is_(False), is_overdue_condition(today))
    return Indicators(
        month=month, households=households,
        zero_employment_households=_count(session, active, zero_employment_condition(month)),
        labour_force=labour, employed=employed, willing_to_train=willing, trained_this_year=trained,
        visited_this_month=_count(session, active, visited_condition(month)),
        mean_visit_rounds_this_year=int(session.execute(rounds).scalar_one()) / households if households else 0.0,
        overdue_grievances=int(session.execute(overdue).scalar_one()),
        monitored_without_measure=_count(session, active, unmeasured_monitored_condition(today)),
    )


def zero_employment_households(session: Session, month: str) -> list[str]:
    """Ids of the households with labour capacity and no one employed in `month`."""
    stmt = select(Household.id).where(_active_households(), zero_employment_condition(month)).order_by(Household.household_no)
    return list(session.execute(stmt).scalars())
