"""Loading many rows at once (demo data, reference data from the server): no outbox, one audit line."""
from __future__ import annotations

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from core.models import SYNCED_ENTITIES
from core.store.journal import Actor, append_audit
from core.store.summary import refresh_summaries

# Parents before children, so foreign keys hold inside the transaction.
LOAD_ORDER = ("area", "settlement", "grid", "household", "member", "employment", "training", "grievance",
              "grievance_party", "visit", "visit_member", "measure")


def bulk_load(session: Session, actor: Actor, rows: dict[str, list[dict]], reason: str,
              refresh: bool = True) -> dict[str, int]:
    """Insert rows of several entities in one transaction; they are not queued for sync.

    Every dict of one entity must carry the same keys. With refresh=False the households' list
    summaries and search entries are left for `finish_bulk_load`, which a run of loads calls once.
    Returns the count loaded per entity.
    """
    unknown = set(rows) - set(LOAD_ORDER)
    if unknown:
        raise ValueError(f"unknown entities: {sorted(unknown)}")
    counts = {}
    for entity in LOAD_ORDER:
        batch = rows.get(entity) or []
        if batch:
            # Core executemany, not the ORM's bulk path: several times faster, and no objects to track.
            session.connection().execute(insert(SYNCED_ENTITIES[entity].__table__), batch)
            counts[entity] = len(batch)
    household_ids = [h["id"] for h in rows.get("household", [])]
    if household_ids and refresh:
        refresh_summaries(session.connection(), household_ids)
    detail = f"{reason}: " + ", ".join(f"{k}={n}" for k, n in counts.items())
    append_audit(session, actor, "bulk_load", "profile", actor.device_id, detail)
    return counts


def finish_bulk_load(session: Session) -> None:
    """After a run of loads: every summary and search entry rebuilt, and fresh planner statistics."""
    refresh_summaries(session.connection())
    session.execute(text("PRAGMA analysis_limit = 1000"))
    session.execute(text("ANALYZE"))
