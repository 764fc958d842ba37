"""generate_households: the rows of a run of demo households, with everything recorded about them."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random

from core.demo import cases, work
from core.demo.household import Draft, monitor, new_draft
from core.demo.living import fill_living
from core.demo.people import IdNumbers
from core.demo.reference import Reference
from core.demo.rows import between, month_index

ENTITIES = ("household", "member", "employment", "training", "grievance", "grievance_party", "visit",
            "visit_member", "measure")
MONITORED_SHARE = 0.05


def generate_households(rng: Random, reference: Reference, start_index: int, count: int,
                        as_of: date) -> dict[str, list[dict]]:
    """Rows for households number start_index .. start_index + count - 1, keyed by entity name.

    Pure: the rows depend only on the state of `rng`, the reference, the indexes and `as_of`
    (and the ID numbers already handed out, kept in reference.used_ids).
    """
    rows: dict[str, list[dict]] = {name: [] for name in ENTITIES}
    ids = IdNumbers(reference.county_code, reference.used_ids)
    midnight = datetime(as_of.year, as_of.month, as_of.day)
    for index in range(start_index, start_index + count):
        stamps = _stamps(rng, midnight)
        draft = new_draft(rng, reference, ids, index, as_of, stamps)
        _records(rng, draft, reference, as_of, rows)
    return rows


def _stamps(rng: Random, midnight: datetime) -> tuple[datetime, datetime]:
    """When the household was first entered (4-13 months ago) and last changed (within 100 days)."""
    created = midnight - timedelta(seconds=int((120 + rng.random() * 280) * 86400))
    updated = midnight - timedelta(seconds=int(rng.random() * 100 * 86400))
    return created, max(created, updated)


def _records(rng: Random, draft: Draft, ref: Reference, as_of: date, rows: dict[str, list[dict]]) -> None:
    if rng.random() < MONITORED_SHARE:
        monitor(rng, draft, as_of)
    jobs = work.employments(rng, draft, as_of)
    _incomes(rng, draft, as_of)
    visit_rows, visit_members = cases.visits(rng, draft, as_of)
    fill_living(draft, jobs, visit_rows, visit_members, month_index(as_of), ref.county_code)
    grievance_rows, parties = cases.grievances(rng, draft, as_of, ref.cadres)
    rows["household"].append(draft.row)
    rows["member"].extend(draft.members)
    rows["employment"].extend(jobs)
    rows["training"].extend(work.trainings(rng, draft, jobs, as_of))
    rows["grievance"].extend(grievance_rows)
    rows["grievance_party"].extend(parties)
    rows["visit"].extend(visit_rows)
    rows["visit_member"].extend(visit_members)
    rows["measure"].extend(cases.measures(rng, draft, as_of, ref.cadres))


def _incomes(rng: Random, draft: Draft, as_of: date) -> None:
    """Last year's income by kind: wages from the jobs, transfers from assistance and pensions, some dividends."""
    h = draft.row
    last, first = month_index(as_of) - 1, month_index(as_of) - 12
    wage = 0.0
    for periods in draft.jobs.values():
        for start, end, income in periods:
            months = min(last, last if end is None else end) - max(first, start) + 1
            wage += max(0, months) * income
    transfer = sum(1800.0 for a in draft.ages if a >= 60)
    if any(m["dibao"] for m in draft.members):
        transfer += 3600.0 * len(draft.members)
    if draft.members[0]["tekun"]:
        transfer += 9600.0
    h["income_wage"] = round(wage, -2)
    h["income_business"] = between(rng, 2000, 20000, 100) if rng.random() < 0.1 else 0.0
    h["income_transfer"] = transfer + between(rng, 300, 2500, 100)
    h["income_property"] = between(rng, 200, 1500, 100) if rng.random() < 0.4 else 0.0
