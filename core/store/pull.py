"""The laptop's half of sync that needs no network: handing out the outbox, forgetting what the
server has answered, and applying a page of pulled changes (DESIGN.md section 5).

A page is applied in one transaction together with the new cursor, so an interrupted pull resumes
where it stopped, without gaps or repeats. A field still waiting in the outbox is not overwritten:
the worker's edit goes to the server first and the server decides. The household summaries of
every touched household are refreshed in the same transaction, so the list shows what arrived.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from core.models import SYNCED_ENTITIES, Household, OutboxEntry, ProfileMeta
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


def _pending(session: Session, entity: str, row_id: str) -> tuple[set[str], bool]:
    """The fields of a row still waiting in the outbox, and whether a delete is waiting."""
    rows = session.execute(select(OutboxEntry.field, OutboxEntry.kind).where(
        OutboxEntry.entity == entity, OutboxEntry.row_id == row_id)).all()
    return {f for f, kind in rows if kind == "upsert" and f}, any(kind == "delete" for _f, kind in rows)


def apply_page(session: Session, actor: Actor, changes: list[PulledChange], next_cursor: int) -> PullResult:
    """Apply one page of pulled changes and move the cursor, all in the caller's one transaction."""
    applied = kept = 0
    touched: set[str] = set()
    # A page is in sequence order, so a member edited before its household was last changed can
    # come first: foreign keys are checked when the page commits, not row by row.
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    for change in sorted(changes, key=lambda c: c.seq):
        model = SYNCED_ENTITIES.get(change.entity)
        if model is None:
            raise ValueError(f"the server sent an unknown entity {change.entity!r}")
        unknown = set(change.fields) - set(model.data_fields())
        if unknown:
            raise ValueError(f"the server sent unknown fields of {change.entity}: {sorted(unknown)}")
        pending_fields, pending_delete = _pending(session, change.entity, change.row_id)
        row = session.get(model, change.row_id)
        if row is None:
            row = model(id=change.row_id, created_by="server", device_id="server", deleted=False)
            session.add(row)
        if pending_delete:
            kept += 1  # the worker deleted it here: the server hears that first
        else:
            row.deleted = change.deleted  # a conflict kept, or a clerk restored, what was deleted here
        for name, value in change.fields.items():
            if name in pending_fields:
                kept += 1
                continue
            setattr(row, name, from_wire(model, name, value))
        row.server_seq = max(row.server_seq or 0, change.seq)
        applied += 1
        session.flush()
        household = row.id if model is Household else getattr(row, "household_id", None)
        if household:
            touched.add(household)
    session.merge(ProfileMeta(key=PULL_CURSOR, value=str(next_cursor)))
    if touched:
        refresh_summaries(session.connection(), sorted(touched))
    if changes:
        append_audit(session, actor, "pull", "sync", str(next_cursor), f"{applied} rows, seq ≤ {next_cursor}")
    return PullResult(applied, kept, next_cursor)
