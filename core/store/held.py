"""Pulled records that cannot be written yet, held in the profile until they can (docs/sync.md).

A page is in server-sequence order and a record travels at its latest sequence, so a record can
come before what it needs: its parent (a member whose household was edited later), or the month
another visit of its household still holds on this laptop (that visit moves away pages later).
Such a record waits in `pulled_orphan`, with the id of the record it waits for, in the page's own
transaction; when that record arrives it is released and written in a later round of the same
transaction. Held records are few, so every page also retries them all: a wait that a local
change ended (a refused duplicate visit deleted) ends too.

A held record is the server's version. What the worker pushes afterwards of that record is taken
out of it once the server has answered (`forget_pushed`): the server does not send a device its
own changes back, so the held copy must not undo them when it is finally written.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from core.models import SYNCED_ENTITIES, OutboxEntry, PulledOrphan
from core.among import among
from core.store.bulk import first_unusable, unusable_values
from core.wire_values import from_wire

RETRY_ALL_UP_TO = 500  # held records retried on every page while there are at most this many
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PulledChange:
    """One row as the server holds it after sequence `seq` (wire values: dates as ISO text)."""

    seq: int
    entity: str
    row_id: str
    deleted: bool
    fields: dict[str, Any] = field(default_factory=dict)


Key = tuple[str, str]   # (entity, row id); an entity's name is its table's
Pending = dict[Key, tuple[set[str], bool]]


def pending_edits(session: Session, row_ids: list[str]) -> Pending:
    """For each record with edits still waiting in the outbox: those fields, and whether a delete
    is waiting."""
    out: Pending = {}
    if not row_ids:
        return out
    rows = session.execute(select(OutboxEntry.entity, OutboxEntry.row_id, OutboxEntry.fields, OutboxEntry.kind)
                           .where(among(OutboxEntry.row_id, row_ids))).all()
    for entity, row_id, names, kind in rows:
        fields, _ = out.setdefault((entity, row_id), (set(), False))
        if kind == "delete":
            out[(entity, row_id)] = (fields, True)
        else:
            fields.update(names)
    return out


def take_ready(session: Session, changes: list[PulledChange], held: list[int]) -> Iterator[tuple[list[PulledChange], Pending]]:
    """The changes to write now, round by round, each with the outbox edits waiting on its records.

    The caller writes each round before asking for the next, so every round is sorted out against
    what the laptop holds then. The first round is this page's records (and the held ones, retried)
    whose parents are here or come in the same round and whose unique keys are free; each later
    round is the held records the previous one released (a visit's member rows wait for the visit,
    which waits for its household). The rest is held; `held` gets the number of this page's."""
    waiting_now, edits_waiting = session.execute(_HELD_AND_EDITS).one()
    holding = waiting_now > 0  # the usual case is none: then no lookups in the holding table
    came_from: dict[Key, str] = {}  # held records taken out to be tried: what each waited for
    said: set[Key] = set()
    candidates = _newest(session, changes, holding, came_from)
    if holding and waiting_now <= RETRY_ALL_UP_TO:
        candidates = {**_release(session, None, came_from), **candidates}
    arrived: set[Key] = set()
    while candidates:
        # With nothing in the outbox (a first download, the pull after a push) no edit waits: no lookup.
        pending = pending_edits(session, sorted({row_id for _, row_id in candidates})) if edits_waiting else {}
        if came_from:
            _keep_unwritable(session, candidates, came_from, pending, said)
        go, wait = _sort_out(session, candidates, pending, arrived)
        if wait:
            # A record that could never be written is refused with its page now, not held to fail later
            # the page that releases it (a correction on the server would then never reach this laptop).
            unusable = first_unusable(session.connection().dialect, [c for c, _ in wait], pending)
            if unusable is not None:
                raise unusable
            _hold(session, wait)
            holding = True
            page = {(c.entity, c.row_id, c.seq) for c in changes}
            held.append(sum(1 for c, _ in wait if (c.entity, c.row_id, c.seq) in page))
        if go:
            yield go, pending
        new = {(c.entity, c.row_id) for c in go}
        arrived |= new
        released = _release(session, sorted({row_id for _, row_id in new}), came_from) if holding else {}
        candidates = {k: c for k, c in released.items() if k not in arrived}


_HELD = select(func.count()).select_from(PulledOrphan)  # how many records are held
# How many records are held, and whether any edit of the worker waits in the outbox, in one query.
_HELD_AND_EDITS = select(_HELD.scalar_subquery(), select(OutboxEntry.seq).exists())


def held_count(session: Session) -> int:
    return session.execute(_HELD).scalar_one()


def forget_pushed_entries(session: Session, answered: Any) -> None:
    """Before the outbox entries matching `answered` (a condition on OutboxEntry.seq) are deleted:
    held copies of their records lose what they pushed (`forget_pushed`)."""
    if held_count(session):
        forget_pushed(session, [tuple(r) for r in session.execute(
            select(OutboxEntry.entity, OutboxEntry.row_id, OutboxEntry.fields, OutboxEntry.kind).where(answered))])


def forget_pushed(session: Session, pushed: list[tuple[str, str, dict[str, Any], str]]) -> None:
    """The server has answered these (entity, row id, fields, kind) saves of the worker: held copies
    of those records lose the fields pushed (and a pushed delete deletes them), so writing them
    later cannot undo the worker's edit. A conflict or a refusal makes the server send the record
    again, whole, and that newer version replaces the held copy."""
    by_key: dict[Key, tuple[set[str], bool]] = {}
    for entity, row_id, names, kind in pushed:
        fields, deleted = by_key.get((entity, row_id), (set(), False))
        by_key[(entity, row_id)] = (fields | set(names), deleted or kind == "delete")
    ids = sorted({row_id for _, row_id in by_key})
    if ids:
        for row in session.execute(select(PulledOrphan).where(among(PulledOrphan.row_id, ids))).scalars():
            pushed_fields, deleted = by_key.get((row.entity, row.row_id), (set(), False))
            row.fields = {k: v for k, v in dict(row.fields).items() if k not in pushed_fields}
            if deleted:
                row.deleted = True


@cache
def _parents(entity: str) -> tuple[tuple[str, str], ...]:
    """(column, table it points at) of each foreign key of an entity."""
    table: Table = SYNCED_ENTITIES[entity].__table__  # type: ignore[attr-defined]
    return tuple(sorted((fk.parent.name, fk.column.table.name) for fk in table.foreign_keys))


@cache
def _unique_live(entity: str) -> tuple[tuple[str, ...], ...]:
    """The columns of each unique index over live records (a visit's household and month)."""
    table: Table = SYNCED_ENTITIES[entity].__table__  # type: ignore[attr-defined]
    return tuple(tuple(c.name for c in index.columns) for index in table.indexes if index.unique)


def _newest(session: Session, changes: list[PulledChange], holding: bool,
            came_from: dict[Key, str]) -> dict[Key, PulledChange]:
    """One change per record, the newest; a record held from an earlier page is replaced by this
    page's newer version of it (a pulled record is whole, so the newer one says everything). A held
    version newer than the page's is taken out of the holding table, and `came_from` gets what it
    waited for."""
    newest: dict[Key, PulledChange] = {}
    for change in changes:
        key = (change.entity, change.row_id)
        if key not in newest or change.seq > newest[key].seq:
            newest[key] = change
    ids = sorted({row_id for _, row_id in newest}) if holding else []
    if ids:
        rows = session.execute(select(PulledOrphan).where(among(PulledOrphan.row_id, ids))).scalars().all()
        for row in rows:
            key = (row.entity, row.row_id)
            if key in newest:
                if row.seq > newest[key].seq:
                    newest[key] = _as_change(row)
                    came_from[key] = row.waits_for
                session.delete(row)
    session.flush()
    return newest


def _sort_out(session: Session, candidates: dict[Key, PulledChange], pending: Pending,
              arrived: set[Key]) -> tuple[list[PulledChange], list[tuple[PulledChange, str]]]:
    """Split candidates into those that can be written in this round and those that wait (with the
    id of the record they wait for). A candidate waits for a parent that is neither here, nor
    arrived, nor going in now; and for a record here that holds its unique key (another visit of
    the same household and month), which must move or go first. A parent field still waiting in
    the outbox keeps its local value, which is here: it is not checked."""
    refs = {key: _references(change, pending[key][0] if key in pending else _NO_FIELDS)
            for key, change in candidates.items()}
    pointed_at = {r for rs in refs.values() for r in rs} - arrived
    # A parent among the candidates is looked for here only if it does not go in this round (rare): a
    # page of a first download brings its members' households with them.
    here = arrived | _present(session, pointed_at - candidates.keys())
    waiting: dict[Key, str] = _clashes(session, candidates, pending)
    going = {k: c for k, c in candidates.items() if k not in waiting}
    looked_for_candidates = False
    while pointed_at - here - going.keys():  # else every record going has its parents: no record by record
        missing = {key: next(r for r in refs[key] if r not in here and r not in going)
                   for key in going if any(r not in here and r not in going for r in refs[key])}
        if not missing:
            break
        if not looked_for_candidates:  # a parent that waits may be here already: then its records go
            here |= _present(session, pointed_at & candidates.keys())
            looked_for_candidates = True
            continue
        for key, (_, parent_id) in missing.items():
            waiting[key] = parent_id
            del going[key]
    return list(going.values()), [(candidates[key], parent_id) for key, parent_id in waiting.items()]


_NO_FIELDS: frozenset[str] = frozenset()


def _references(change: PulledChange, waiting: set[str] | frozenset[str]) -> list[Key]:
    """The records a change points at, but by a field whose local edit waits in the outbox."""
    fields = change.fields
    return [(target, str(fields[column])) for column, target in _parents(change.entity)
            if fields.get(column) and column not in waiting]


def _clashes(session: Session, candidates: dict[Key, PulledChange], pending: Pending) -> dict[Key, str]:
    """Live candidates whose unique key a different live record here holds: key -> that record's id.
    One query per unique index, over the first column's values (a visit's households)."""
    out: dict[Key, str] = {}
    for entity in {e for e, _ in candidates}:
        model = SYNCED_ENTITIES[entity]
        table: Table = model.__table__  # type: ignore[attr-defined]
        for columns in _unique_live(entity):
            wanted: dict[tuple, Key] = {}
            for key, change in candidates.items():
                fields, deleting = pending.get(key, (set(), False))
                if key[0] != entity or change.deleted or deleting or any(c in fields for c in columns):
                    continue  # not live, or the worker's own key stays (checked when it was saved)
                if all(change.fields.get(c) is not None for c in columns):
                    wanted[tuple(from_wire(model, c, change.fields[c]) for c in columns)] = key
            firsts = sorted({k[0] for k in wanted})
            if firsts:
                rows = session.execute(select(table.c.id, *[table.c[c] for c in columns]).where(
                    among(table.c[columns[0]], firsts), table.c.deleted.is_(False)))
                for row_id, *values in rows:
                    key = wanted.get(tuple(values))
                    if key is not None and key[1] != row_id:
                        out[key] = row_id
    return out


def _present(session: Session, refs: set[Key]) -> set[Key]:
    by_table: dict[str, list[str]] = {}
    for table_name, row_id in refs:
        by_table.setdefault(table_name, []).append(row_id)
    found: set[Key] = set()
    for table_name, ids in by_table.items():
        table: Table = SYNCED_ENTITIES[table_name].__table__  # type: ignore[attr-defined]
        found |= {(table_name, r) for r in session.execute(select(table.c.id).where(among(table.c.id, ids))).scalars()}
    return found


def _hold(session: Session, waiting: list[tuple[PulledChange, str]]) -> None:
    if waiting:
        session.execute(insert(PulledOrphan).prefix_with("OR REPLACE"), [
            {"entity": c.entity, "row_id": c.row_id, "seq": c.seq, "deleted": c.deleted, "fields": c.fields,
             "waits_for": parent_id} for c, parent_id in waiting])


def _release(session: Session, arrived_ids: list[str] | None, came_from: dict[Key, str]) -> dict[Key, PulledChange]:
    """Held records waiting for any of these ids (all of them for None), taken out of the holding
    table to be tried again; `came_from` gets what each waited for."""
    out: dict[Key, PulledChange] = {}
    if arrived_ids is not None and not arrived_ids:
        return out
    stmt = select(PulledOrphan)
    if arrived_ids is not None:
        stmt = stmt.where(among(PulledOrphan.waits_for, arrived_ids))
    for row in session.execute(stmt).scalars().all():
        out[(row.entity, row.row_id)] = _as_change(row)
        came_from[(row.entity, row.row_id)] = row.waits_for
        session.delete(row)
    session.flush()
    return out


def _keep_unwritable(session: Session, candidates: dict[Key, PulledChange], came_from: dict[Key, str],
                     pending: Pending, said: set[Key]) -> None:
    """Held records taken out to be tried again whose columns cannot take their values go back to the
    holding table, as they were. An earlier version of Anju held records without asking (text in a
    whole number's column of a county database edited by hand): written, such a record would refuse
    the page that releases it, and every page after it that tries the held records again, so the
    county's corrected version, pages later, would never arrive. That version replaces it when it
    does (_newest). A field kept back for the worker's waiting edit is not written, so not asked.
    Logged once a page (`said`), by entity, field and id, never by its value."""
    tried = [change for key, change in candidates.items() if key in came_from]
    if not tried:
        return
    for unusable in unusable_values(session.connection().dialect, tried, pending):
        key = (unusable.entity, unusable.row_id)
        _hold(session, [(candidates.pop(key), came_from[key])])
        if key not in said:
            said.add(key)
            log.warning("a held pulled %s (id %s) has a value its column %s cannot take: it stays held until the "
                        "county's corrected version arrives", unusable.entity, unusable.row_id, unusable.field)


def _as_change(row: PulledOrphan) -> PulledChange:
    return PulledChange(row.seq, row.entity, row.row_id, bool(row.deleted), dict(row.fields))  # type: ignore[arg-type]
