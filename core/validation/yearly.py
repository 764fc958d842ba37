"""Rules for what is recorded once a year (a household's income, a member's insurance) and for the
county's settings."""
from __future__ import annotations

from datetime import date
from typing import Any

from core.codes import code_lists
from core.validation.checker import Checker
from core.validation.problems import Problem

EARLIEST_YEAR = 2015  # the relocation programme's first year: no income or insurance recorded before it
MAX_HOUSEHOLD_SIZE = 30


def _check_year(c: Checker) -> None:
    year = c.integer("year", required=True)
    if year is not None and not EARLIEST_YEAR <= year <= c.today.year:
        c.add("year", f"{year}年不合理，应在{EARLIEST_YEAR}年到{c.today.year}年之间",
              f"{year} should be between {EARLIEST_YEAR} and {c.today.year}")


def validate_household_income(i: dict[str, Any], today: date) -> list[Problem]:
    """A household's income of one year: its four sources (net business income may be a loss) and its size."""
    c = Checker("household_income", i, today)
    c.basics()
    _check_year(c)
    for field in ("wage", "property", "transfer"):
        c.non_negative(field)
    c.number("business")
    size = c.integer("household_size")
    if size is not None and not 1 <= size <= MAX_HOUSEHOLD_SIZE:
        c.add("household_size", f"{size}人不合理，应在1到{MAX_HOUSEHOLD_SIZE}人之间",
              f"{size} should be between 1 and {MAX_HOUSEHOLD_SIZE}")
    if all(c.value(f) is None for f in ("wage", "business", "property", "transfer")):
        c.add("wage", "四项收入至少填写一项", "give at least one of the four sources of income")
    return c.problems


def validate_insurance(i: dict[str, Any], today: date) -> list[Problem]:
    """One member's basic medical or pension insurance of one year."""
    c = Checker("insurance", i, today)
    c.basics()
    c.required("member_id")
    _check_year(c)
    c.required("kind")
    if c.value("insured") is False and (c.value("scheme") or c.value("paid_by")):
        c.warn("insured", "未参保，但填写了参保类型或缴费方式，请核对", "not insured, yet a scheme or payer is given")
    return c.problems


def validate_county_settings(s: dict[str, Any], today: date) -> list[Problem]:
    """The county's working age, round coverage, targets and grievance time limits."""
    c = Checker("county_settings", s, today)
    c.basics()
    low, high = c.integer("working_age_min", required=True), c.integer("working_age_max", required=True)
    if low is not None and not 14 <= low <= 20:
        c.add("working_age_min", f"{low}周岁不合理，应在14到20周岁之间", f"{low} should be between 14 and 20")
    if high is not None and not 50 <= high <= 70:
        c.add("working_age_max", f"{high}周岁不合理，应在50到70周岁之间", f"{high} should be between 50 and 70")
    for field in ("round_coverage", "training_target"):
        rate = c.number(field, required=True)
        if rate is not None and not 0 < rate <= 1:
            c.add(field, f"应在0到1之间（如0.95表示95%），现在是{rate:g}",
                  f"should be between 0 and 1 (0.95 means 95%), not {rate:g}")
    growth = c.number("farmer_income_growth")
    if growth is not None and not -0.5 <= growth <= 1:
        c.add("farmer_income_growth", f"应是比例（如0.065表示6.5%），现在是{growth:g}",
              f"should be a share (0.065 means 6.5%), not {growth:g}")
    if growth is not None and c.integer("farmer_income_year") is None:
        c.add("farmer_income_year", "填写了增速，请同时填写它所属的年度", "give the year that growth belongs to")
    _check_grievance_days(c)
    return c.problems


def day_items(items: list[str] | None) -> list[tuple[str, str]]:
    """The stored items of the county's time limits ("repair:30") as (kind, days) texts, stripped."""
    return [(kind.strip(), n.strip()) for kind, _, n in (str(item).partition(":") for item in items or [])]


def grievance_days(items: list[str] | None) -> dict[str, int]:
    """The county's days per grievance kind from its stored items; unreadable ones left out."""
    return {kind: int(n) for kind, n in day_items(items) if n.isdigit()}


def _check_grievance_days(c: Checker) -> None:
    kinds = code_lists().codes("grievance_kind")
    for kind, n in day_items(c.data.get("grievance_days")):
        if kind not in {k.code for k in kinds}:
            c.add("grievance_days", f"没有“{kind}”这类诉求，可填：{'、'.join(k.zh for k in kinds)}（如“住房维修：30”）",
                  f"there is no kind of grievance {kind!r}; one of {', '.join(k.en for k in kinds)} "
                  f"(as '{kinds[0].en}: 30')")
        elif not n.isdigit() or not 1 <= int(n) <= 365:
            c.add("grievance_days", f"“{kind}”的时限应是1到365天", f"the limit for {kind!r} should be 1 to 365 days")
