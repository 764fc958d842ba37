"""The laptop's half of sync that needs no network: handing out the outbox, forgetting what the
server has answered, and applying a page of pulled changes (docs/protocol.md, "Pull").

A page is applied in one transaction together with the new cursor, so an interrupted pull resumes
where it stopped, without gaps or repeats. A field still waiting in the outbox is not overwritten:
the worker's edit goes to the server first and the server decides. The household summaries of
every touched household, including the household a moved record left, are refreshed in the same
transaction; or, on a page of a download with more to come, owed in that transaction and refreshed
once when the download ends (core.store.summary.owe_summaries), so a household whose members come
pages after it is summarised once, not twice.

A page is in sequence order and a record travels at its latest sequence, so a record can come
pages before its parent (a member whose household was edited later). Such a record is held
(core/store/held.py) and written in the transaction that brings its parent; why this design,
rather than another, is written in docs/sync.md.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Dialect, Table, bindparam, delete, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core.changes import Changes
from core.executemany import execute_many, parameters, update_statement
from core.models import SYNCED_ENTITIES, OutboxEntry, ProfileMeta, utc_now
from core.models.base import data_defaults
from core.store.held import Pending, PulledChange, forget_pushed_entries, held_count, take_ready
from core.store.journal import Actor, append_audit
from core.store.facts import touch
from core.store.summary import owe_summaries, rederive_spans_if_stale, settle_summaries
from core.among import among
from core.store.bulk import bound, first_unusable, insert_columns, wire_parsing
from core.wire_values import fields_from_wire

PULL_CURSOR = "pull_cursor"
PULL_ORIGIN_META = "pull_origin"  # the cursor an unfinished pull began at (sync.pull.pull_changes)
PULL_EVERYTHING = "pull_everything"  # "1": the pull under way downloads everything, this laptop's own too


@dataclass(frozen=True)
class PullResult:
    applied: int        # rows written
    kept_local: int     # fields (or deletes) held back because the outbox still has the worker's edit
    cursor: int
    waiting: int = 0    # records of this page held until their parent arrives
    changes: Changes = Changes()  # the entities, records and households this page wrote

__all__ = ["PULL_CURSOR", "PULL_ORIGIN_META", "PulledChange", "PullResult", "apply_page", "departed", "forget_outbox", "held_count",
           "outbox_entries", "pull_cursor"]


def pull_cursor(session: Session) -> int:
    row = session.get(ProfileMeta, PULL_CURSOR)
    return int(row.value) if row else 0


def outbox_entries(session: Session, limit: int) -> list[OutboxEntry]:
    """The oldest entries not yet answered by the server, in the order they were made."""
    return list(session.execute(select(OutboxEntry).order_by(OutboxEntry.seq).limit(limit)).scalars())


def forget_outbox(session: Session, seqs: list[int]) -> None:
    """Entries the server has answered (applied, unchanged, conflict or rejected) leave the outbox."""
    if seqs:
        forget_pushed_entries(session, among(OutboxEntry.seq, seqs))
        session.execute(delete(OutboxEntry).where(among(OutboxEntry.seq, seqs)))


def _existing(session: Session, table: Table, ids: list[str]) -> dict[str, tuple[int, str | None]]:
    """The records already here: their server sequence and the household they are in now."""
    found: dict[str, tuple[int, str | None]] = {}
    household = table.c.get("household_id", table.c.id)
    for row_id, seq, in_household in session.execute(
            select(table.c.id, table.c.server_seq, household).where(among(table.c.id, ids))):
        found[row_id] = (seq, in_household)
    return found


def _check_known(changes: list[PulledChange]) -> None:
    for change in changes:
        known = _known_fields(change.entity)
        if known is None:
            raise ValueError(f"the server sent an unknown entity {change.entity!r}")
        if not known.issuperset(change.fields):  # no set made for each record of a page that is right
            unknown = change.fields.keys() - known
            raise ValueError(f"the server sent unknown fields of {change.entity}: {sorted(unknown)}")


@functools.cache
def _known_fields(entity: str) -> frozenset[str] | None:
    """The data fields of an entity, None for an entity this laptop does not know."""
    model = SYNCED_ENTITIES.get(entity)
    return None if model is None else frozenset(model.data_fields())


def departed(session: Session, household_ids: list[str]) -> list[PulledChange]:
    """Households that moved out of this laptop's grids, and everything under them, as deletes of the
    versions held here: written like pulled deletes (no outbox), so they leave the lists and the
    figures, and come back whole if the household returns (the server then sends all of it again)."""
    gone: list[PulledChange] = []
    if not household_ids:
        return gone
    for entity, model in SYNCED_ENTITIES.items():
        table = model.__table__  # type: ignore[attr-defined]
        column = table.c.id if entity == "household" else table.c.get("household_id")
        if column is None:
            continue
        rows = session.execute(select(table.c.id, table.c.server_seq).where(
            among(column, household_ids), table.c.deleted.is_(False))).all()
        gone += [PulledChange(seq or 0, entity, row_id, True, {}) for row_id, seq in rows]
    return gone


# The new cursor written in the page's transaction (a statement, not an ORM merge: its read and its flush).
_CURSOR_KEPT = (sqlite_insert(ProfileMeta).values(key=PULL_CURSOR, value=bindparam("cursor"))
                .on_conflict_do_update(index_elements=[ProfileMeta.key], set_={"value": bindparam("cursor")}))


def apply_page(session: Session, actor: Actor, changes: list[PulledChange], next_cursor: int,
               settle: bool = True) -> PullResult:
    """Apply one page of pulled changes and move the cursor, all in the caller's one transaction.

    With `settle`, the summaries of the households the page touched are refreshed in it (and of
    households an earlier page owed, up to core.store.summary.SETTLE_AT_ONCE); without, they are
    owed (a download's pages but its last: Store.settle_summaries refreshes them once at its end).

    Records that cannot be written yet are held, and held records this page releases are written
    in later rounds of the same transaction (core/store/held.py). Each round is written in bulk:
    one query per entity for the records already here, then the updates (deletes first, so a
    visit's month is free for the visit that takes it) and one insert per entity (executemany)."""
    _check_known(changes)
    # Parents and children of one round are written in any order: checked when the page commits.
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    now = utc_now()
    kept = written = 0
    held_per_round: list[int] = []
    touched: set[str] = set()
    wrote: list[PulledChange] = []
    for ready, pending in take_ready(session, changes, held_per_round):
        kept += _write_round(session, ready, pending, now, touched)
        written += len(ready)
        wrote += ready
    session.execute(_CURSOR_KEPT, {"cursor": str(next_cursor)})
    touched.discard("")
    if settle:
        settle_summaries(session.connection(), touched)
    else:
        owe_summaries(session.connection(), touched)
    if touched:
        touch(session, *touched)  # their facts are counted again before the page commits
    if any(c.entity == "county_settings" for c in wrote):  # a new working age: every household's months again
        rederive_spans_if_stale(session.connection())
    held = sum(held_per_round)
    if changes or written:
        append_audit(session, actor, "pull", "sync", str(next_cursor),
                     f"{len(changes)} rows, seq ≤ {next_cursor}; {written} written, {held} held")
    return PullResult(written, kept, next_cursor, held,
                      Changes.of((c.entity for c in wrote), (c.row_id for c in wrote), touched))


def _write_round(session: Session, ready: list[PulledChange], pending: Pending, now: datetime,
                 touched: set[str]) -> int:
    """Write one round of changes; returns the fields (or deletes) kept back for the outbox, and
    adds the households the round touched (also those a moved record left) to `touched`."""
    kept = 0
    by_entity: dict[str, list[PulledChange]] = {}
    for change in sorted(ready, key=lambda c: c.seq):
        by_entity.setdefault(change.entity, []).append(change)
    for entity, items in by_entity.items():
        try:
            kept += _write_entity(session, entity, items, pending, now, touched)
        except (ValueError, TypeError, OverflowError) as exc:  # a value its column cannot take: said by record, field
            unusable = first_unusable(session.connection().dialect, items, pending)
            if unusable is None:
                raise
            raise unusable from exc
    return kept


def _write_entity(session: Session, entity: str, items: list[PulledChange], pending: Pending, now: datetime,
                  touched: set[str]) -> int:
    """One entity's changes of a round (see _write_round)."""
    kept = 0
    model = SYNCED_ENTITIES[entity]
    table: Table = model.__table__  # type: ignore[attr-defined]
    existing = _existing(session, table, [c.row_id for c in items])
    inserts: list[PulledChange] = []
    updates: dict[tuple, list[dict]] = {}
    for change in items:
        fields, deleting = pending.get((entity, change.row_id), (set(), False))
        wire = {k: v for k, v in change.fields.items() if k not in fields} if fields else change.fields
        kept += len(change.fields) - len(wire) + (1 if deleting else 0)
        # A conflict kept, or a clerk restored, what was deleted here; a delete waiting here stays its own.
        deleted = None if deleting else change.deleted
        if change.row_id in existing:
            seq, was_in = existing[change.row_id]
            touched.add(was_in or "")  # a record moved away refreshes the household it left
            values = fields_from_wire(model, wire)
            if deleted is not None:
                values["deleted"] = deleted
            values.update(id=change.row_id, server_seq=max(seq or 0, change.seq), updated_at=now)
            updates.setdefault((not values.get("deleted"), tuple(sorted(values))), []).append(values)
        else:  # as it came, unless fields or a delete wait here
            inserts.append(change if not (fields or deleting) else replace(change, deleted=bool(deleted), fields=wire))
            existing[change.row_id] = (change.seq, None)
        touched.add(change.row_id if entity == "household" else str(change.fields.get("household_id") or ""))
    _write(session, table, inserts, updates, now)
    return kept


def _write(session: Session, table: Table, inserts: list[PulledChange], updates: dict[tuple, list[dict]],
           now: datetime) -> None:
    """Updates before inserts and deletes before other updates: a unique key (a visit's household
    and month) that a record gives up is free before another record takes it."""
    conn = session.connection()
    for (_, columns), rows in sorted(updates.items(), key=lambda item: item[0][0]):
        statement = update_statement(conn.dialect, table, ("id",), tuple(c for c in columns if c != "id"))
        execute_many(conn, statement, parameters(statement, rows))
    if inserts:  # straight to the driver: a page of a first download is all inserts
        insert_columns(conn, table, _new_columns(conn.dialect, table, inserts, now))


def _new_columns(dialect: Dialect, table: Table, records: list[PulledChange], now: datetime) -> list[list[Any]]:
    """The new records' values column by column, as the driver binds them, made straight from their
    wire values: each distinct value of a column parsed (a date) and bound once, and no row dict
    made (a first download writes tens of thousands of records). A field the server left out takes
    its column's default; the bookkeeping columns say the record came from the server."""
    count = len(records)
    made_here = {"id": [r.row_id for r in records], "server_seq": [r.seq for r in records],
                 "deleted": [r.deleted for r in records], "created_at": [now] * count, "updated_at": [now] * count,
                 "created_by": ["server"] * count, "device_id": ["server"] * count}
    defaults = data_defaults(table)  # a list default is the same text once bound: one object serves every row
    fields = [r.fields for r in records]
    columns = []
    for column in table.columns:
        key = column.key
        if key in made_here:
            values, convert = made_here[key], bound(column, dialect)
        else:
            default = defaults[key]
            values, convert = [f.get(key, default) for f in fields], bound(column, dialect, wire_parsing(column))
        columns.append(list(map(convert, values)) if convert else values)
    return columns
