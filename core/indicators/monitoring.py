"""监测期数 ("实行月调度动态监测，……每年完成监测不少于12期（次）"), overdue grievances and monitored
households without a measure."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, not_

from core.indicators.base import add_months, month_of
from core.models import Grievance, Household, Measure, Visit

OPEN_GRIEVANCE_STATUSES = ("registered", "in_progress")


def visited_condition(month: str) -> ColumnElement[bool]:
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
