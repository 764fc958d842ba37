"""Twelve months of figures for the dashboard's trend: zero-employment households month by month (read
from the zero-employment spans the store keeps, derived from zero_employment_condition itself) and each
month's visit coverage."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.indicators.base import DEFAULT_RULES, EVERYWHERE, CountyRules, Figure, Scope, add_months, live_household, month_of
from core.models import Household, Visit, ZeroEmploymentSpan


def trend_months(today: date, n: int = 12) -> list[str]:
    """The `n` months ending with today's, oldest first."""
    return [add_months(month_of(today), k) for k in range(-(n - 1), 1)]


def indicator_trend(session: Session, today: date, rules: CountyRules = DEFAULT_RULES,
                    scope: Scope = EVERYWHERE) -> dict[str, dict[str, Figure]]:
    """{month: {"zero_employment": households zero-employment that month / live households,
    "visit_coverage": households visited / live households}} for the twelve months to today's."""
    months = trend_months(today)
    households = int(session.execute(select(func.count()).select_from(Household)
                                     .where(live_household(), *scope.condition())).scalar_one())
    visited = dict(session.execute(
        select(Visit.month, func.count(func.distinct(Visit.household_id))).join(Household, Household.id == Visit.household_id)
        .where(live_household(), *scope.condition(), Visit.deleted.is_(False), Visit.month >= months[0],
               Visit.month <= months[-1]).group_by(Visit.month)).all())
    trend = {}
    for month in months:
        zero = session.execute(
            select(func.count(func.distinct(ZeroEmploymentSpan.household_id)))
            .join(Household, Household.id == ZeroEmploymentSpan.household_id)
            .where(live_household(), *scope.condition(), ZeroEmploymentSpan.after_month < month,
                   ZeroEmploymentSpan.before_month > month)).scalar_one()
        trend[month] = {"zero_employment": Figure(int(zero), households),
                        "visit_coverage": Figure(int(visited.get(month, 0)), households, rules.round_coverage)}
    return trend
