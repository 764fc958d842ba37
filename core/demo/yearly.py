"""Demo records of a year: a household's income of last year and the year before (growth and the wage
share can be read from them) and every member's basic medical and pension insurance of both years,
with a few members whose insurance lapsed this year (断保) and a few never insured (漏保).

They draw from a generator of their own, seeded by the household's id, so adding them left every
other demo record as it was.
"""
from __future__ import annotations

from datetime import date, datetime
from random import Random

from core.demo.household import Draft
from core.demo.rows import BOOK, between, row_id
from core.indicators.income import AT_SCHOOL, PENSION_FROM_AGE

LAPSED_SHARE = 0.03  # members whose insurance of this year is missing though last year's was paid
NEVER_SHARE = 0.015  # members with no insurance in either year


def yearly_records(draft: Draft, as_of: date) -> tuple[list[dict], list[dict]]:
    """(household_income rows, insurance rows) of one household."""
    rng = Random(f"yearly:{draft.row['id']}")
    return _incomes(rng, draft, as_of), _insurance(rng, draft, as_of)


def _wage_of_year(draft: Draft, year: int) -> float:
    first, last = year * 12, year * 12 + 11
    wage = 0.0
    for periods in draft.jobs.values():
        for start, end, income in periods:
            months = min(last, last if end is None else end) - max(first, start) + 1
            wage += max(0, months) * income
    return wage


def _incomes(rng: Random, draft: Draft, as_of: date) -> list[dict]:
    """Last year's and the year before's income by its four sources: wages from the jobs, transfers
    from assistance and pensions, some business and dividends."""
    transfer = sum(1800.0 for a in draft.ages if a >= 60)
    if any(m["dibao"] for m in draft.members):
        transfer += 3600.0 * len(draft.members)
    if draft.members[0]["tekun"]:
        transfer += 9600.0
    business = between(rng, 2000, 20000, 100) if rng.random() < 0.1 else 0.0
    dividends = between(rng, 200, 1500, 100) if rng.random() < 0.4 else 0.0
    wage = round(_wage_of_year(draft, as_of.year - 1), -2)
    rows = []
    for year in (as_of.year - 2, as_of.year - 1):  # asked when the household was entered, and each January
        # the year before: wages 4-12% lower (the jobs' own records reach back only months), the rest alike
        less = 1.0 if year == as_of.year - 1 else 1 - between(rng, 4, 12, 1) / 100
        at = draft.entered(datetime(year + 1, 1, 20, 10))
        rows.append({"id": row_id(rng, draft.prefix), "created_at": at, "updated_at": at, **BOOK,
                     "household_id": draft.row["id"], "year": year, "wage": round(wage * less, -2),
                     "business": round(business * less, -2), "property": dividends,
                     "transfer": transfer + between(rng, 300, 2500, 100), "household_size": len(draft.members)})
    return rows


def _insurance(rng: Random, draft: Draft, as_of: date) -> list[dict]:
    rows = []
    for member, age in zip(draft.members, draft.ages):
        lapsed, never = rng.random() < LAPSED_SHARE, rng.random() < NEVER_SHARE
        kinds = ["medical"]
        if age >= PENSION_FROM_AGE and member.get("school_status") not in AT_SCHOOL:
            kinds.append("pension")
        for year in (as_of.year - 1, as_of.year):
            at = draft.entered(datetime(year, 1, 15, 10), member)
            if never and year == as_of.year:  # asked, and said so: not insured (漏保)
                rows.append({"id": row_id(rng, draft.prefix), "created_at": at, "updated_at": at, **BOOK,
                             "household_id": draft.row["id"], "member_id": member["id"], "year": year,
                             "kind": "medical", "insured": False, "scheme": None, "paid_by": None})
            for kind in kinds:
                if never or (lapsed and year == as_of.year):
                    continue
                employee = kind == "pension" and age < 60 and rng.random() < 0.1
                payer = ("employer" if employee else "government" if member["dibao"] or member["tekun"]
                         or member.get("disability_category") else "self")
                rows.append({"id": row_id(rng, draft.prefix), "created_at": at, "updated_at": at, **BOOK,
                             "household_id": draft.row["id"], "member_id": member["id"], "year": year, "kind": kind,
                             "insured": True, "scheme": "employee" if employee else "resident", "paid_by": payer})
    return rows
