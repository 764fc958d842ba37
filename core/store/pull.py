"""The laptop's half of sync that needs no network: handing out the outbox, forgetting what the
server has answered, and applying a page of pulled changes (DESIGN.md section 5).

A page is applied in one transaction together with the new cursor, so an interrupted pull resumes
where it stopped, without gaps or repeats. A field still waiting in the outbox is not overwritten:
the worker's edit goes to the server first and the server decides. The household summaries of
every touched household are refreshed in the same transaction, so the list shows what arrived.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, text, update
from sqlalchemy.orm import Session

from core.models import SYNCED_ENTITIES, OutboxEntry, ProfileMeta, utc_now
from core.models.base import data_defaults
from core.store.journal import Actor, append_audit
from core.store.summary import refresh_summaries
from core.wire_values import from_wire

PULL_CURSOR = "pull_cursor"


@dataclass(frozen=True)
class PulledChange:
    """One row as the server holds it after sequence `seq` (wire values: dates as ISO text)."""

    seq: int
    entity: str
    row_id: str
    deleted: bool
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PullResult:
    applied: int        # rows written
    kept_local: int     # fields (or deletes) held back because the outbox still has the worker's edit
    cursor: int


def pull_cursor(session: Session) -> int:
    row = session.get(ProfileMeta, PULL_CURSOR)
    return int(row.value) if row else 0


def outbox_entries(session: Session, limit: int) -> list[OutboxEntry]:
    """The oldest entries not yet answered by the server, in the order they were made."""
    return list(session.execute(select(OutboxEntry).order_by(OutboxEntry.seq).limit(limit)).scalars())


def forget_outbox(session: Session, seqs: list[int]) -> None:
    """Entries the server has answered (applied, unchanged, conflict or rejected) leave the outbox."""
    if seqs:
        session.execute(delete(OutboxEntry).where(OutboxEntry.seq.in_(seqs)))


def _pending(session: Session, row_ids: list[str]) -> dict[tuple[str, str], tuple[set[str], bool]]:
    """For each record of the page with edits still waiting in the outbox: those fields, and
    whether a delete is waiting."""
    out: dict[tuple[str, str], tuple[set[str], bool]] = {}
    for i in range(0, len(row_ids), 900):
        rows = session.execute(select(OutboxEntry.entity, OutboxEntry.row_id, OutboxEntry.field, OutboxEntry.kind)
                               .where(OutboxEntry.row_id.in_(row_ids[i:i + 900]))).all()
        for entity, row_id, name, kind in rows:
            fields, _ = out.setdefault((entity, row_id), (set(), False))
            if kind == "delete":
                out[(entity, row_id)] = (fields, True)
            elif name:
                fields.add(name)
    return out


def _existing(session: Session, table: Table, ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i in range(0, len(ids), 900):
        for row_id, seq in session.execute(select(table.c.id, table.c.server_seq).where(table.c.id.in_(ids[i:i + 900]))):
            found[row_id] = seq
    return found


def _check_known(changes: list[PulledChange]) -> None:
    for change in changes:
        model = SYNCED_ENTITIES.get(change.entity)
        if model is None:
            raise ValueError(f"the server sent an unknown entity {change.entity!r}")
        unknown = set(change.fields) - set(model.data_fields())
        if unknown:
            raise ValueError(f"the server sent unknown fields of {change.entity}: {sorted(unknown)}")


def apply_page(session: Session, actor: Actor, changes: list[PulledChange], next_cursor: int) -> PullResult:
    """Apply one page of pulled changes and move the cursor, all in the caller's one transaction.

    The page is written in bulk: one query for the waiting outbox entries, one per entity for the
    records already here, then one insert and a few updates per entity (executemany)."""
    _check_known(changes)
    # A page is in sequence order, so a member edited before its household was last changed can
    # come first: foreign keys are checked when the page commits, not row by row.
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    pending = _pending(session, sorted({c.row_id for c in changes}))
    now = utc_now()
    kept = 0
    touched: set[str] = set()
    by_entity: dict[str, list[PulledChange]] = {}
    for change in sorted(changes, key=lambda c: c.seq):
        by_entity.setdefault(change.entity, []).append(change)
    for entity, items in by_entity.items():
        model = SYNCED_ENTITIES[entity]
        table: Table = model.__table__  # type: ignore[attr-defined]
        existing = _existing(session, table, [c.row_id for c in items])
        inserts, updates = [], {}
        for change in items:
            fields, deleting = pending.get((entity, change.row_id), (set(), False))
            values = {k: from_wire(model, k, v) for k, v in change.fields.items() if k not in fields}
            kept += len(change.fields) - len(values) + (1 if deleting else 0)
            if not deleting:
                values["deleted"] = change.deleted  # a conflict kept, or a clerk restored, what was deleted here
            if change.row_id in existing:
                values.update(id=change.row_id, server_seq=max(existing[change.row_id] or 0, change.seq),
                              updated_at=now)
                updates.setdefault(tuple(sorted(values)), []).append(values)
            else:
                inserts.append(_new_row(table, change, values, now))
                existing[change.row_id] = change.seq
            household = change.row_id if entity == "household" else (change.fields.get("household_id"))
            if household:
                touched.add(str(household))
        _write(session, table, inserts, updates)
    session.merge(ProfileMeta(key=PULL_CURSOR, value=str(next_cursor)))
    if touched:
        refresh_summaries(session.connection(), sorted(touched))
    if changes:
        append_audit(session, actor, "pull", "sync", str(next_cursor), f"{len(changes)} rows, seq ≤ {next_cursor}")
    return PullResult(len(changes), kept, next_cursor)


def _new_row(table: Table, change: PulledChange, values: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {**data_defaults(table), "deleted": False, **values, "id": change.row_id, "created_at": now,
            "updated_at": now, "created_by": "server", "device_id": "server", "server_seq": change.seq}


def _write(session: Session, table: Table, inserts: list[dict], updates: dict[tuple, list[dict]]) -> None:
    conn = session.connection()
    if inserts:
        conn.execute(table.insert(), inserts)
    for columns, rows in updates.items():
        params = [{f"k_{k}": v for k, v in r.items()} for r in rows]
        stmt = (update(table).where(table.c.id == bindparam("k_id"))
                .values({c: bindparam(f"k_{c}") for c in columns if c != "id"}))
        conn.execute(stmt, params)
