"""The records one push (or one resolution) touches, as that transaction sees them.

`Rows` loads records with their row state on first use, keeps the changes in memory, and
writes them at the end with one statement per table and kind (one executemany of plain parameters,
core.executemany; COPY for new rows on PostgreSQL), so a batch of 500 ops costs a handful of round
trips. Sequence numbers come from sync.server.numbers, taken first thing (`take_counter`).
"""
from __future__ import annotations

import functools
import itertools
from contextlib import nullcontext
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Select, Table, bindparam, select, update
from sqlalchemy.exc import DBAPIError

from core.among import among_param, among_values, keys_param, one_per_key
from core.executemany import execute_many, insert_statement, parameters, update_statement
from core.models import Synced
from sync.server import numbers
from sync.server.db import planned_with
from sync.server.models import (
    AUDIENCE_REFERENCE, AUDIENCE_REVIEW, AUDIENCE_SCOPED, ENTITY_TABLES, SERVER_DEVICE, row_state, sequence_counter,
)

# Parents before children, so that a batch's inserts satisfy every foreign key.
ENTITY_ORDER = ["area", "settlement", "grid", "county_settings", "household", "member", "employment", "training",
                "grievance", "grievance_party", "visit", "visit_member", "measure", "household_income", "insurance",
                "conflict"]
# The key in `versions` of a record sent again to every device (after a conflict or a rejection);
# not a field, so it never makes a conflict.
RESEND = "~resend"
BOOKKEEPING = Synced.BOOKKEEPING


@dataclass(frozen=True)
class Version:
    """When, and by whom, a field last changed."""

    seq: int
    device: str
    user: str
    at: str


@dataclass
class Record:
    entity: str
    values: dict[str, Any]          # every column, Python values
    state: dict[str, Any]           # the row_state row
    new: bool = False
    dirty: bool = False
    deleting: bool = False          # turned into a tombstone by this transaction
    moved: bool = False             # its household changed in this transaction (its row state's household_id)
    changed: set[str] = field(default_factory=set)  # the columns this transaction changed (a record read)

    @property
    def id(self) -> str:
        return self.values["id"]

    @property
    def deleted(self) -> bool:
        return bool(self.values["deleted"])

    def version(self, name: str) -> Version:
        v = self.state["versions"].get(name)
        if v:
            return Version(*v)
        return Version(self.state["created_seq"], self.state["created_device"], self.state["created_by"],
                       self.state["created_at"].isoformat())

    def changed_since(self, base: int, device_id: str) -> list[str]:
        """Fields (or "*") another device changed after sequence `base`."""
        out = [n for n, v in self.state["versions"].items()
               if v[0] > base and v[1] != device_id and n != RESEND]
        if self.state["created_seq"] > base and self.state["created_device"] != device_id:
            out.append("(created)")
        return out


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT rows that carry every column of `table`, in one executemany of plain parameters:
    SQLAlchemy's own executemany builds and processes every row's parameters through its compiled
    statement, which cost more than the database's work."""
    statement = insert_statement(conn.dialect, table)
    try:
        params = parameters(statement, rows)
    except KeyError:  # a row without some column: SQLAlchemy's insert fills in the column's default
        conn.execute(table.insert(), rows)
        return
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, statement.columns, params)
        return
    execute_many(conn, statement, params)


def update_rows(conn: Connection, table: Table, keys: tuple[str, ...], columns: tuple[str, ...],
                rows: list[dict[str, Any]]) -> None:
    """UPDATE many rows in one executemany of plain parameters (as insert_rows): each row a dict of
    (at least) the `keys`, finding the row, and the `columns`, its new values."""
    if not rows:
        return
    statement = update_statement(conn.dialect, table, keys, columns)
    execute_many(conn, statement, parameters(statement, rows))


def _copy_rows(conn: Connection, table: Table, columns: tuple[str, ...], params: list[Any]) -> None:
    """PostgreSQL: the rows through COPY, in the connection's transaction (a tenth of executemany's
    time: one stream instead of a bind and an execute a row). A row the database refuses raises
    SQLAlchemy's IntegrityError, and a deadlock its OperationalError, as the INSERT would, so the push
    is tried again as before.

    The server's connections plan every statement with its values (sync.server.db.make_engine), and so
    would PostgreSQL plan again, for every row, the query that checks each of its foreign keys: that
    cost more than the insert itself. A check looks a key up by its primary key, one plan for any value:
    for the COPY the checks keep one generic plan; after it, the transaction plans as before."""
    import psycopg  # only on PostgreSQL, whose driver it is

    names = ", ".join(conn.dialect.identifier_preparer.quote(table.c[key].name) for key in columns)
    driver = conn.connection.driver_connection
    assert driver is not None  # a connection in use holds its driver's
    cursor = driver.cursor()
    sql = f"COPY {conn.dialect.identifier_preparer.format_table(table)} ({names}) FROM STDIN"
    checks = planned_with(conn, "plan_cache_mode", "force_generic_plan") if table.foreign_keys else nullcontext()
    try:
        with checks, cursor.copy(sql) as copy:
            for row in params:
                copy.write_row(row)
    except psycopg.Error as exc:  # as SQLAlchemy's own error (IntegrityError, or a deadlock's OperationalError)
        lost = conn.dialect.is_disconnect(cast(Any, exc), driver, cursor)  # answered 503
        raise DBAPIError.instance(sql, None, exc, psycopg.Error, connection_invalidated=lost,
                                  dialect=conn.dialect) from exc
    finally:
        cursor.close()


@functools.cache
def references(entity: str) -> tuple[tuple[str, str], ...]:
    """(column, entity it points to) of every foreign key of an entity."""
    table = ENTITY_TABLES[entity]
    return tuple((c.key, fk.column.table.name) for c in table.columns for fk in c.foreign_keys)


def audience_of(entity: str) -> str:
    if entity in ("area", "settlement", "grid", "county_settings"):
        return AUDIENCE_REFERENCE
    return AUDIENCE_REVIEW if entity == "conflict" else AUDIENCE_SCOPED


class StaleRead(Exception):
    """A record read before the numbers were taken changed meanwhile: do the work again, alone."""


# The statements every push runs, built once per database (building one cost as much as running it).
@functools.cache
def _states_of(dialect: str, entity: str) -> Select:
    """The row states of one entity's records: parameter `ids` (among_values)."""
    if dialect == "postgresql":  # each looked up by its key (core.among.one_per_key)
        keys = keys_param(ids=row_state.c.row_id)
        return one_per_key(keys, select(row_state).where(row_state.c.entity == entity,
                                                         row_state.c.row_id == keys.c.ids))
    return select(row_state).where(row_state.c.entity == entity, among_param(row_state.c.row_id, "ids", dialect))


@functools.cache
def _states_of_entities(dialect: str) -> Select:
    """The row states of records of several entities: parameters `entities` and `ids` (among_values), an
    entity and an id a record, side by side. On SQLite also a state of one of the entities whose id is
    another's record: the caller keeps the pairs it asked for."""
    if dialect == "postgresql":
        keys = keys_param(entities=row_state.c.entity, ids=row_state.c.row_id)
        return one_per_key(keys, select(row_state).where(row_state.c.entity == keys.c.entities,
                                                         row_state.c.row_id == keys.c.ids))
    return select(row_state).where(among_param(row_state.c.entity, "entities", dialect),
                                   among_param(row_state.c.row_id, "ids", dialect))


@functools.cache
def _rows_of(dialect: str, entity: str) -> Select:
    """The rows of an entity's records: parameter `ids` (among_values)."""
    table = ENTITY_TABLES[entity]
    return select(table).where(among_param(table.c.id, "ids", dialect))


@functools.cache
def _records_of(dialect: str, entity: str) -> Select:
    """The row states of one entity's records, each with its row beside it (None where it has none):
    parameter `ids` (among_values). The state's columns first, then the row's, by position."""
    table = ENTITY_TABLES[entity]
    both = select(*row_state.c, *table.c).select_from(row_state.outerjoin(table, table.c.id == row_state.c.row_id))
    if dialect == "postgresql":  # each looked up by its key (core.among.one_per_key)
        keys = keys_param(ids=row_state.c.row_id)
        return one_per_key(keys, both.where(row_state.c.entity == entity, row_state.c.row_id == keys.c.ids))
    return both.where(row_state.c.entity == entity, among_param(row_state.c.row_id, "ids", dialect))


_STATE_COLUMNS = tuple(c.name for c in row_state.c)


def _dicts(result: Any) -> list[dict[str, Any]]:
    """A result's rows as dicts of their columns, fetched at once (a RowMapping a row, made into a dict,
    cost more than the database's reading on a push of a thousand edits)."""
    keys = tuple(result.keys())
    return [dict(zip(keys, row)) for row in result.all()]


# The columns every change of a record stamps, beside the fields it sets.
_STAMPED = ("updated_at", "server_seq")


@functools.lru_cache(maxsize=1024)
def _in_table_order(entity: str, changed: frozenset[str]) -> tuple[str, ...]:
    """The changed columns of an entity in its table's order (one statement for each set, however the
    set was made), but those fixed when a record is made."""
    return tuple(c.key for c in ENTITY_TABLES[entity].columns
                 if c.key in changed and c.key not in ("id", "created_at", "created_by"))


@functools.cache
def _sequences_of(dialect: str) -> Select:
    """The sequence each of one entity's records holds now (parameters `entity`, `ids`), unlocked (SQLite)."""
    return select(row_state.c.row_id, row_state.c.seq).where(row_state.c.entity == bindparam("entity"),
                                                              among_param(row_state.c.row_id, "ids", dialect))


@functools.cache
def _sequences_among(lock: str) -> Select:
    """PostgreSQL: the sequence each of some records of several entities holds now, locked FOR NO KEY
    UPDATE when `lock` is "write", FOR SHARE when "read": parameters `entities` and `ids`, two arrays side
    by side (among_values), a record a place. Each is looked up and locked by its key in the arrays'
    order (core.among.one_per_key), which the caller gives as (entity, row_id) in Python's order of code
    points, PostgreSQL's "C" collation: every push locks in that one order."""
    keys = keys_param(entities=row_state.c.entity, ids=row_state.c.row_id)
    lookup = (select(row_state.c.entity, row_state.c.row_id, row_state.c.seq)
              .where(row_state.c.entity == keys.c.entities, row_state.c.row_id == keys.c.ids)
              .with_for_update(key_share=lock == "write", read=lock == "read"))
    return one_per_key(keys, lookup)


@dataclass
class Rows:
    """With `optimistic` (PostgreSQL), records are read and merged without locks and get provisional
    (negative) sequence numbers; `flush` then takes the numbers from the sequence (sync.server.numbers),
    locks the records read (but those it creates, whose primary keys refuse a twin made meanwhile),
    checks that none changed since (else StaleRead), and turns the provisional
    numbers into real ones, while other pushes do the same beside it. Without it, `take_counter` holds
    the numbering alone first (SQLite, whose writers wait for each other anyway, and the retry of a
    StaleRead)."""

    conn: Connection
    now: datetime
    optimistic: bool = False
    records: dict[tuple[str, str], Record | None] = field(default_factory=dict)
    loaded: dict[tuple[str, str], int | None] = field(default_factory=dict)
    seq: int = 0
    first_seq: int = 0
    locked: bool = False
    taken: list[int] = field(default_factory=list)  # optimistic: the numbers provisional -1, -2, … became

    # -- the counter --------------------------------------------------------------------
    def take_counter(self) -> None:
        """Hold the numbering alone for the rest of the transaction and read where it stands (the
        counter row's lock on SQLite; on PostgreSQL the writers' lock, sync.server.numbers)."""
        if numbers.uses_sequence(self.conn):
            self.seq = numbers.hold_alone(self.conn)
        else:
            self.conn.execute(update(sequence_counter).where(sequence_counter.c.id == 1)
                              .values(value=sequence_counter.c.value))
            self.seq = self.conn.execute(select(sequence_counter.c.value)
                                         .where(sequence_counter.c.id == 1)).scalar_one()
        self.first_seq = self.seq
        self.locked = True

    def next_seq(self) -> int:
        if self.optimistic and self.locked and numbers.uses_sequence(self.conn):  # taken at settle, all of them
            raise RuntimeError("an optimistic push numbers nothing after settle")
        if not self.locked:
            self.seq -= 1  # provisional: -1, -2, … until flush numbers them
            return self.seq
        self.seq += 1
        return self.seq

    def real(self, seq: int | None) -> int | None:
        """The sequence a provisional number became (after flush)."""
        return self.taken[-seq - 1] if seq is not None and seq < 0 else seq

    # -- reading ------------------------------------------------------------------------
    def preload(self, keys: list[tuple[str, str]], existing: bool = False) -> None:
        """Load many records in one query per entity (the records a batch names); `existing`: records
        expected to be there (those a batch points to), read with their rows in the same query."""
        by_entity: dict[str, set[str]] = {}
        for entity, row_id in keys:
            if (entity, row_id) not in self.records:
                by_entity.setdefault(entity, set()).add(row_id)
        # A batch's own records of several entities (new households and their members): the states of
        # all in one statement, a round trip of a push's eighteen on PostgreSQL.
        states = self._states_among(by_entity) if not existing and len(by_entity) > 1 else {}
        for entity, ids in by_entity.items():
            self._load(entity, sorted(ids), existing, states.get(entity))

    def _states_among(self, by_entity: dict[str, set[str]]) -> dict[str, dict[str, dict[str, Any]]]:
        """The row states of the records of several entities, by entity and row id."""
        dialect = self.conn.dialect.name
        wanted = sorted((entity, row_id) for entity, ids in by_entity.items() for row_id in ids)
        found: dict[str, dict[str, dict[str, Any]]] = {entity: {} for entity in by_entity}
        for r in _dicts(self.conn.execute(_states_of_entities(dialect), {
                "entities": among_values([entity for entity, _ in wanted], dialect),
                "ids": among_values([row_id for _, row_id in wanted], dialect)})):
            if r["row_id"] in by_entity[r["entity"]]:  # not another entity's record of the same id
                found[r["entity"]][r["row_id"]] = r
        return found

    def preload_parents(self) -> None:
        """Load, in one query per entity, the records the loaded ones point to (a member's household),
        which scope checks and reference checks will ask for."""
        wanted: list[tuple[str, str]] = []
        for record in [r for r in self.records.values() if r is not None]:
            for column, target in references(record.entity):
                value = record.values.get(column)
                if value and (target, value) not in self.records:
                    wanted.append((target, value))
        self.preload(wanted, existing=True)

    def _load(self, entity: str, ids: list[str], existing: bool,
              states: dict[str, dict[str, Any]] | None = None) -> None:
        """The records `ids` of `entity`; only a record with a row state is kept. A push committing
        meanwhile shows as a newer sequence at the optimistic check (settle). `existing`: each row state
        and its row in one statement; otherwise the row states first, and the rows of those that have
        one (a batch of new records reads no rows, and no row's fifty columns come back empty); `states`:
        those row states, read already."""
        dialect = self.conn.dialect.name
        found: dict[str, dict[str, Any]] = {}
        if existing:
            states = {}
            names, columns = _STATE_COLUMNS, tuple(c.key for c in ENTITY_TABLES[entity].c)
            for r in self.conn.execute(_records_of(dialect, entity), {"ids": among_values(ids, dialect)}).all():
                state = dict(zip(names, r[:len(names)]))
                states[state["row_id"]] = state
                values = dict(zip(columns, r[len(names):]))
                if values["id"] is not None:
                    found[values["id"]] = values
        else:
            if states is None:
                states = {r["row_id"]: r for r in _dicts(self.conn.execute(
                    _states_of(dialect, entity), {"ids": among_values(ids, dialect)}))}
            with_state = [row_id for row_id in ids if row_id in states]
            if with_state:
                found = {r["id"]: r for r in _dicts(self.conn.execute(
                    _rows_of(dialect, entity), {"ids": among_values(with_state, dialect)}))}
        for row_id in ids:
            self.loaded[(entity, row_id)] = states[row_id]["seq"] if row_id in states else None
            row = found.get(row_id)
            self.records[(entity, row_id)] = (Record(entity, row, states[row_id])
                                              if row is not None and row_id in states else None)

    def get(self, entity: str, row_id: str | None) -> Record | None:
        if not row_id:
            return None
        if (entity, row_id) not in self.records:
            self._load(entity, [row_id], existing=True)  # a record asked for by its id: there, nearly always
        return self.records[(entity, row_id)]

    def find(self, entity: str, **where: Any) -> list[Record]:
        """Live records of `entity` matching `where`, in the database or made in this transaction."""
        table = ENTITY_TABLES[entity]
        stmt = select(table.c.id).where(table.c.deleted.is_(False),
                                        *[table.c[k] == v for k, v in where.items()])
        ids = set(self.conn.execute(stmt).scalars())
        ids |= {r.id for (e, _), r in self.records.items() if e == entity and r is not None and r.new}
        out = [self.get(entity, i) for i in sorted(ids)]
        return [r for r in out if r is not None and not r.deleted and all(r.values.get(k) == v for k, v in where.items())]

    # -- changing -----------------------------------------------------------------------
    def create(self, entity: str, values: dict[str, Any], user: str, device_id: str, household_id: str | None) -> Record:
        seq = self.next_seq()
        full = {**values, "created_at": self.now, "updated_at": self.now, "created_by": user,
                "device_id": device_id, "deleted": False, "server_seq": seq}
        state = {"entity": entity, "row_id": values["id"], "seq": seq, "household_id": household_id,
                 "audience": audience_of(entity), "created_seq": seq, "created_device": device_id,
                 "created_by": user, "created_at": self.now, "versions": {}}
        record = Record(entity, full, state, new=True, dirty=True)
        self.records[(entity, values["id"])] = record
        return record

    def change(self, record: Record, values: dict[str, Any], user: str, device_id: str,
               household_id: str | None = None) -> int:
        """Set fields (or "*" for a delete: values {"deleted": True}), stamping each field's version."""
        seq = self.next_seq()
        stamp = [seq, device_id, user, self.now.isoformat()]
        versions = dict(record.state["versions"])
        for name, value in values.items():
            if name == "deleted":
                versions["*"] = stamp
                record.deleting = record.deleting or bool(value)
            else:
                versions[name] = stamp
            record.values[name] = value
        record.values.update(updated_at=self.now, server_seq=seq)
        record.changed.update(values, _STAMPED)
        record.state.update(seq=seq, versions=versions)
        if household_id is not None and household_id != record.state["household_id"]:
            record.state["household_id"] = household_id
            record.moved = True
        record.dirty = True
        return seq

    def touch(self, record: Record) -> int:
        """A new sequence for a record that did not change, so every device pulls the server's version
        again (after a conflict or a rejection, the device that sent the other value holds it)."""
        seq = self.next_seq()
        record.values["server_seq"] = seq
        record.changed.add("server_seq")
        record.state.update(seq=seq, versions={**record.state["versions"],
                                               RESEND: [seq, SERVER_DEVICE, "server", self.now.isoformat()]})
        record.dirty = True
        return seq

    # -- writing ------------------------------------------------------------------------
    def settle(self) -> None:
        """Optimistic: take the numbers, check that nothing read has changed since, and number the
        provisional sequences. On PostgreSQL the records read are locked for that (in one order for
        every push, so two never wait for each other) and other pushes go on beside this one. Records
        this push creates are not read again (_to_recheck): a twin made meanwhile fails on their primary key."""
        provisional = -self.seq
        if numbers.uses_sequence(self.conn):
            self.taken = numbers.take(self.conn, provisional)
            self.locked = True
            self.seq = self.taken[-1] if self.taken else numbers.current(self.conn)
        else:
            self.take_counter()
            self.taken = list(range(self.first_seq + 1, self.first_seq + provisional + 1))
            self.seq = self.first_seq + provisional
        to_recheck = dict(self._to_recheck())
        now_seen = self._now_seen(to_recheck)
        if any(now_seen.get(key) != seq for key, seq in to_recheck.items()):
            raise StaleRead()
        for record in self.records.values():
            if record is not None and record.dirty:
                self._renumber(record)

    def _now_seen(self, to_recheck: dict[tuple[str, str], int | None]) -> dict[tuple[str, str], int]:
        """The sequence each record read holds now. On PostgreSQL the records are locked until the
        transaction ends: those this push writes FOR NO KEY UPDATE (two pushes writing one record
        go one after the other, the second finding it changed), those it only read FOR SHARE (a
        grid or a household that many pushes read at once, which none may change meanwhile). Every
        push locks in one order, (entity, row_id), whatever the mode, so two never wait for each other."""
        locking = numbers.uses_sequence(self.conn)
        dialect = self.conn.dialect.name
        now_seen: dict[tuple[str, str], int] = {}
        if locking:  # one statement for each run of one mode, whatever the entities (one round trip each)
            for writes, runs in itertools.groupby(self._lock_runs(to_recheck, locking), key=lambda run: run[1]):
                keys = [(entity, row_id) for entity, _, ids in runs for row_id in ids]
                now_seen.update({(entity, r): seq for entity, r, seq in self.conn.execute(
                    _sequences_among("write" if writes else "read"),
                    {"entities": among_values([e for e, _ in keys], dialect),
                     "ids": among_values([r for _, r in keys], dialect)})})
            return now_seen
        for entity, _, ids in self._lock_runs(to_recheck, locking):
            now_seen.update({(entity, r): seq for r, seq in self.conn.execute(
                _sequences_of(dialect), {"entity": entity, "ids": among_values(ids, dialect)})})
        return now_seen

    def _to_recheck(self) -> Iterator[tuple[tuple[str, str], int | None]]:
        """The records read, with the sequence each held then, but those this push creates: a record
        made meanwhile by another push is refused by its primary key when this one's rows are written
        (IntegrityError: the push is done again, alone), so it need not be read again."""
        for key, seq in self.loaded.items():
            record = self.records.get(key)
            if record is None or not record.new:
                yield key, seq

    def _lock_runs(self, to_recheck: dict[tuple[str, str], int | None],
                   locking: bool) -> Iterator[tuple[str, bool, list[str]]]:
        """The records to read again (_to_recheck) in (entity, row_id) order, cut into runs of one
        entity and one lock mode (written or only read)."""
        run: list[str] = []
        current: tuple[str, bool] | None = None
        for entity, row_id in sorted(to_recheck):
            record = self.records.get((entity, row_id))
            key = (entity, locking and record is not None and record.dirty)
            if key != current:
                if run and current is not None:  # a run is never without its key
                    yield (*current, run)
                current, run = key, []
            run.append(row_id)
        if run and current is not None:
            yield (*current, run)

    def _renumber(self, record: Record) -> None:
        st = record.state
        record.values["server_seq"] = self.real(record.values["server_seq"])
        st["seq"], st["created_seq"] = self.real(st["seq"]), self.real(st["created_seq"])
        st["versions"] = {k: [self.real(v[0]), *v[1:]] for k, v in st["versions"].items()}

    def flush(self) -> None:
        """Write every changed record and row state, and the counter."""
        if not self.locked:
            self.settle()
        dirty = [r for r in self.records.values() if r is not None and r.dirty]
        order = {e: i for i, e in enumerate(ENTITY_ORDER)}
        dirty.sort(key=lambda r: order[r.entity])
        # Tombstones first (a visit deleted and made again for the same month), then new rows
        # parents first, then the other changes.
        self._update([r for r in dirty if not r.new and r.deleting])
        for entity in ENTITY_ORDER:
            rows = [r.values for r in dirty if r.new and r.entity == entity]
            if rows:
                insert_rows(self.conn, ENTITY_TABLES[entity], rows)
        self._update([r for r in dirty if not r.new and not r.deleting])
        new_states = [r.state for r in dirty if r.new]
        if new_states:
            insert_rows(self.conn, row_state, new_states)
        # The household only where it changed: SQLite rewrites the index of every column an UPDATE sets,
        # and an edit changes the household of almost no record.
        kept = [r for r in dirty if not r.new]
        update_rows(self.conn, row_state, ("entity", "row_id"), ("seq", "versions"), [r.state for r in kept if not r.moved])
        update_rows(self.conn, row_state, ("entity", "row_id"), ("seq", "household_id", "versions"),
                    [r.state for r in kept if r.moved])
        if numbers.uses_sequence(self.conn):
            if not self.optimistic and self.seq != self.first_seq:
                numbers.publish(self.conn, self.seq)
        elif self.seq != self.first_seq:
            self.conn.execute(update(sequence_counter).where(sequence_counter.c.id == 1).values(value=self.seq))
        for r in dirty:
            r.new = r.dirty = r.deleting = r.moved = False
            r.changed.clear()

    def _update(self, records: list[Record]) -> None:
        """The columns this transaction changed, one statement for each entity and set of columns: an
        index none of them is in is left alone (an edit of a phone number rewrites no index on SQLite)."""
        by_columns: dict[tuple[str, tuple[str, ...]], list[Record]] = {}
        for r in records:
            by_columns.setdefault((r.entity, _in_table_order(r.entity, frozenset(r.changed))), []).append(r)
        for (entity, columns), same in by_columns.items():
            update_rows(self.conn, ENTITY_TABLES[entity], ("id",), columns, [r.values for r in same])
