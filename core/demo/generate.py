"""generate_households: the rows of a run of demo households, with everything recorded about them."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random

from core.demo import cases, work
from core.demo.household import Draft, monitor, new_draft
from core.demo.living import fill_living
from core.demo.people import IdNumbers
from core.demo.reference import Reference
from core.demo.rows import month_index
from core.demo.yearly import yearly_records

ENTITIES = ("household", "member", "employment", "training", "grievance", "grievance_party", "visit",
            "visit_member", "measure", "household_income", "insurance")
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
    incomes, insurance = yearly_records(draft, as_of)
    rows["household_income"].extend(incomes)
    rows["insurance"].extend(insurance)
