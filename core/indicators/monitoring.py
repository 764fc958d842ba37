"""监测期数 ("实行月调度动态监测，……每年完成监测不少于12期（次）"), overdue grievances and monitored
households without a measure."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, case, exists, func, not_

from core.indicators.base import DEFAULT_RULES, add_months, built_once, CountyRules, month_of
from core.models import Grievance, Household, Measure, Visit

OPEN_GRIEVANCE_STATUSES = ("registered", "in_progress")


@built_once
def visited_condition(month: str) -> ColumnElement[bool]:
    return exists().where(Visit.household_id == Household.id, Visit.deleted.is_(False), Visit.month == month)


def deadline_of(rules: CountyRules) -> ColumnElement:
    """A grievance's deadline: as typed, else its received date plus the county's time limit for its
    kind (CountyRules.grievance_days); none when neither is there."""
    if not rules.grievance_days:
        return Grievance.deadline
    by_kind = case(*((Grievance.kind == kind, func.date(Grievance.received_date, f"+{days} days"))
                     for kind, days in rules.grievance_days), else_=None)
    return func.coalesce(Grievance.deadline, by_kind)


def is_overdue_condition(today: date, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """A grievance still open after its deadline (typed, or by the county's time limit for its kind)."""
    return and_(Grievance.status.in_(OPEN_GRIEVANCE_STATUSES), deadline_of(rules) < today)


def overdue_grievance_condition(today: date, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    return exists().where(Grievance.household_id == Household.id, Grievance.deleted.is_(False),
                          is_overdue_condition(today, rules))


@built_once
def monitored_condition() -> ColumnElement[bool]:
    return and_(Household.monitoring_category.is_not(None), Household.monitoring_cleared_month.is_(None))


@built_once
def unmeasured_monitored_condition(today: date) -> ColumnElement[bool]:
    """Monitored, not cleared, identified over a month ago, and no measure begun since identification."""
    identified = Household.monitoring_identified_month
    measured = exists().where(Measure.household_id == Household.id, Measure.deleted.is_(False),
                              func.substr(func.coalesce(Measure.start_date, ""), 1, 7) >= identified)
    return and_(monitored_condition(), identified.is_not(None), identified < add_months(month_of(today), -1),
                not_(measured))
