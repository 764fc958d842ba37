"""人均可支配收入 and 工资性收入占比 of a household's year ("搬迁群众收入增速高于全县农民收入增速",
"工资性收入占比持续增加"), and their figures for a grid, a village or the county.

可支配收入 is the sum of the four net incomes (wage, business, property, transfer); per person, it is
shared by the household's size that year, or by its live members when the size is not recorded.
"""
from __future__ import annotations

from dataclasses import dataclass

SOURCES = ("wage", "business", "property", "transfer")


@dataclass(frozen=True)
class YearIncome:
    total: float
    per_person: float | None  # None without anyone to share it
    wage_share: float | None  # None when the total is not above zero


def year_income(row: dict, live_members: int) -> YearIncome:
    """One household's income of one year (a household_income record)."""
    total = sum(float(row.get(s) or 0) for s in SOURCES)
    size = row.get("household_size") or live_members
    return YearIncome(total, total / size if size else None,
                      float(row.get("wage") or 0) / total if total > 0 else None)
