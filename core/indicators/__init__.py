"""Derived indicators, computed by queries and never stored by hand, each as the policy words it.

Each `*_condition` is a SQL expression over `household` (or `member`) for one month (a 'YYYY-MM' text
or a column of such texts); `compute_report` counts them per grid and adds them up, `households_behind`
lists the households behind a figure (the drill-down), and the household list's zero-employment box
reads spans derived from the same condition (`zero_employment_spans`, kept by core.store.summary).

The policy sentences quoted come from 随县《打造"稳得住、能致富"安置区实施方案》 (at least one employed
per household able and willing to work) and 《钦州港片区强化易地搬迁后续扶持三年行动方案（2023—2025年）》
(monthly monitoring, 12 rounds a year, zero-employment households cleared, 30% trained).
"""
from core.indicators.base import (
    DEFAULT_RULES, EVERYWHERE, CountyRules, Figure, Scope, add_months, month_of, year_months,
)
from core.indicators.employment import (
    ZERO_EMPLOYMENT_RULE, cleared_zero_employment_condition, employed_household_condition,
    labour_household_condition, span_rule, zero_employment_condition, zero_employment_spans,
)
from core.indicators.monitoring import (
    is_overdue_condition, monitored_condition, overdue_grievance_condition, unmeasured_monitored_condition,
    visited_condition,
)
from core.indicators.report import (
    INDICATOR_KEYS, IndicatorReport, Indicators, behind_condition, compute_indicators, compute_report,
    count_by_place, households_behind, monthly_visit_coverage, report_of, zero_employment_households,
)
from core.indicators.training import trained_member_condition, training_base_condition

__all__ = [
    "DEFAULT_RULES", "EVERYWHERE", "CountyRules", "Figure", "Scope", "add_months", "month_of", "year_months",
    "ZERO_EMPLOYMENT_RULE", "cleared_zero_employment_condition", "employed_household_condition",
    "labour_household_condition", "span_rule", "zero_employment_condition", "zero_employment_spans",
    "is_overdue_condition", "monitored_condition", "overdue_grievance_condition", "unmeasured_monitored_condition",
    "visited_condition", "INDICATOR_KEYS", "IndicatorReport", "Indicators", "behind_condition",
    "compute_indicators", "compute_report", "count_by_place", "report_of", "households_behind", "monthly_visit_coverage",
    "zero_employment_households", "trained_member_condition", "training_base_condition",
]
