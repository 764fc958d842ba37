"""The laptop's half of sync that needs no network: handing out the outbox, forgetting what the
server has answered, and applying a page of pulled changes (DESIGN.md section 5).

A page is applied in one transaction together with the new cursor, so an interrupted pull resumes
where it stopped, without gaps or repeats. A field still waiting in the outbox is not overwritten:
the worker's edit goes to the server first and the server decides. The household summaries of
every touched household are refreshed in the same transaction, so the list shows what arrived,
including the household a moved record left.

A page is in sequence order and a record travels at its latest sequence, so a record can come
pages before its parent (a member whose household was edited later). Such a record is held in
`pulled_orphan` and applied in the transaction that brings its parent (see `take_ready`); why
this design, rather than another, is written in docs/sync.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from core.models import SYNCED_ENTITIES, OutboxEntry, ProfileMeta, PulledOrphan, utc_now
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
    waiting: int = 0    # records of this page held until their parent arrives

Key = tuple[str, str]   # (entity, row id); an entity's name is its table's
Pending = dict[Key, tuple[set[str], bool]]


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


def _pending(session: Session, row_ids: list[str]) -> Pending:
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


def _existing(session: Session, table: Table, ids: list[str]) -> dict[str, tuple[int, str | None]]:
    """The records already here: their server sequence and the household they are in now."""
    found: dict[str, tuple[int, str | None]] = {}
    household = table.c.get("household_id", table.c.id)
    for i in range(0, len(ids), 900):
        for row_id, seq, in_household in session.execute(
                select(table.c.id, table.c.server_seq, household).where(table.c.id.in_(ids[i:i + 900]))):
            found[row_id] = (seq, in_household)
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

    Records whose parent is not here are held, and held records whose parent this page brings are
    applied with it (`take_ready`). The rest is written in bulk: one query for the waiting outbox
    entries, one per entity for the records already here, then one insert and a few updates per
    entity (executemany)."""
    _check_known(changes)
    # Parents and children of one page are written in any order: checked when the page commits.
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    ready, pending, held = take_ready(session, changes)
    now = utc_now()
    kept = 0
    touched: set[str] = set()
    by_entity: dict[str, list[PulledChange]] = {}
    for change in sorted(ready, key=lambda c: c.seq):
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
                seq, was_in = existing[change.row_id]
                touched.add(was_in or "")  # a record moved away refreshes the household it left
                values.update(id=change.row_id, server_seq=max(seq or 0, change.seq), updated_at=now)
                updates.setdefault(tuple(sorted(values)), []).append(values)
            else:
                inserts.append(_new_row(table, change, values, now))
                existing[change.row_id] = (change.seq, None)
            touched.add(change.row_id if entity == "household" else str(change.fields.get("household_id") or ""))
        _write(session, table, inserts, updates)
    session.merge(ProfileMeta(key=PULL_CURSOR, value=str(next_cursor)))
    touched.discard("")
    if touched:
        refresh_summaries(session.connection(), sorted(touched))
    if changes or ready:
        append_audit(session, actor, "pull", "sync", str(next_cursor),
                     f"{len(changes)} rows, seq ≤ {next_cursor}; {len(ready)} applied, {held} held")
    return PullResult(len(ready), kept, next_cursor, held)


# -- records whose parent has not arrived ---------------------------------------------------

def take_ready(session: Session, changes: list[PulledChange]) -> tuple[list[PulledChange], Pending, int]:
    """The changes to apply now: this page's records whose parents are here (or come with them),
    and the held records they release, round after round (a visit's member rows wait for the
    visit, which waits for its household). The rest is held, with what it waits for. Returns the
    ready changes, the outbox edits waiting on them, and how many of this page were held."""
    candidates = _newest(session, changes)
    page = {(c.entity, c.row_id, c.seq) for c in changes}
    ready: list[PulledChange] = []
    pending: Pending = {}
    arrived: set[Key] = set()
    held = 0
    while candidates:
        pending.update(_pending(session, sorted({row_id for _, row_id in candidates})))
        go, wait = _sort_out(session, candidates, pending, arrived)
        _hold(session, wait)
        held += sum(1 for c, _ in wait if (c.entity, c.row_id, c.seq) in page)
        ready += go
        new = {(c.entity, c.row_id) for c in go}
        arrived |= new
        candidates = {k: c for k, c in _release(session, sorted({row_id for _, row_id in new})).items()
                      if k not in arrived}
    return ready, pending, held


def held_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(PulledOrphan)).scalar_one()


@cache
def _parents(entity: str) -> tuple[tuple[str, str], ...]:
    """(column, table it points at) of each foreign key of an entity."""
    table: Table = SYNCED_ENTITIES[entity].__table__  # type: ignore[attr-defined]
    return tuple(sorted((fk.parent.name, fk.column.table.name) for fk in table.foreign_keys))


def _newest(session: Session, changes: list[PulledChange]) -> dict[Key, PulledChange]:
    """One change per record, the newest; a record held from an earlier page is replaced by this
    page's newer version of it (a pulled record is whole, so the newer one says everything)."""
    newest: dict[Key, PulledChange] = {}
    for change in changes:
        key = (change.entity, change.row_id)
        if key not in newest or change.seq > newest[key].seq:
            newest[key] = change
    ids = sorted({row_id for _, row_id in newest})
    for i in range(0, len(ids), 900):
        rows = session.execute(select(PulledOrphan).where(PulledOrphan.row_id.in_(ids[i:i + 900]))).scalars().all()
        for row in rows:
            key = (row.entity, row.row_id)
            if key in newest:
                if row.seq > newest[key].seq:
                    newest[key] = _as_change(row)
                session.delete(row)
    session.flush()
    return newest


def _sort_out(session: Session, candidates: dict[Key, PulledChange], pending: Pending,
              arrived: set[Key]) -> tuple[list[PulledChange], list[tuple[PulledChange, str]]]:
    """Split candidates into those whose every parent is here, has just arrived or is itself
    going in now, and those waiting (with the id of one missing parent). A parent field still
    waiting in the outbox keeps its local value, which is here: it is not checked."""
    refs = {key: [(target, str(change.fields[column])) for column, target in _parents(change.entity)
                  if change.fields.get(column) and column not in pending.get(key, (set(), False))[0]]
            for key, change in candidates.items()}
    here = arrived | _present(session, {r for rs in refs.values() for r in rs} - arrived)
    going = dict(candidates)
    waiting: dict[Key, str] = {}
    while True:
        missing = {key: next(r for r in refs[key] if r not in here and r not in going)
                   for key in going if any(r not in here and r not in going for r in refs[key])}
        if not missing:
            break
        for key, (_, parent_id) in missing.items():
            waiting[key] = parent_id
            del going[key]
    return list(going.values()), [(candidates[key], parent_id) for key, parent_id in waiting.items()]


def _present(session: Session, refs: set[Key]) -> set[Key]:
    by_table: dict[str, list[str]] = {}
    for table_name, row_id in refs:
        by_table.setdefault(table_name, []).append(row_id)
    found: set[Key] = set()
    for table_name, ids in by_table.items():
        table: Table = SYNCED_ENTITIES[table_name].__table__  # type: ignore[attr-defined]
        for i in range(0, len(ids), 900):
            found |= {(table_name, r) for r in session.execute(select(table.c.id).where(table.c.id.in_(ids[i:i + 900])))
                      .scalars()}
    return found


def _hold(session: Session, waiting: list[tuple[PulledChange, str]]) -> None:
    if waiting:
        session.execute(insert(PulledOrphan).prefix_with("OR REPLACE"), [
            {"entity": c.entity, "row_id": c.row_id, "seq": c.seq, "deleted": c.deleted, "fields": c.fields,
             "waits_for": parent_id} for c, parent_id in waiting])


def _release(session: Session, arrived_ids: list[str]) -> dict[Key, PulledChange]:
    """Held records waiting for any of these ids, taken out of the holding table."""
    out: dict[Key, PulledChange] = {}
    for i in range(0, len(arrived_ids), 900):
        rows = session.execute(select(PulledOrphan).where(PulledOrphan.waits_for.in_(arrived_ids[i:i + 900])))
        for row in rows.scalars().all():
            out[(row.entity, row.row_id)] = _as_change(row)
            session.delete(row)
    session.flush()
    return out


def _as_change(row: PulledOrphan) -> PulledChange:
    return PulledChange(row.seq, row.entity, row.row_id, bool(row.deleted), dict(row.fields))  # type: ignore[arg-type]


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
