"""What a device pulls: the records changed after its cursor, inside the caller's scope only.

Every record has one row state holding its latest sequence; a page walks them in sequence order,
keeps those the caller may see (reference data for everyone, a household's records for whoever's
grids hold the household, conflicts for its clerks), and sends each record whole as the server
holds it now. The page is read on one snapshot, so `next_since` never skips a change that commits
later: on SQLite a push takes its numbers under the counter's lock and commits before the next push
can; on PostgreSQL pushes commit side by side and a page goes no further than the watermark
(`sync.server.numbers`), asked for before its snapshot.

A page goes out as the laptop parses it (`sync.protocol.ChangesPage`), but is not built of pydantic
objects: its records are plain dicts of wire values, read on the driver's own cursor where the
database is SQLite (`core.prepared`), and written to JSON once by pydantic's serializer. A pydantic
object per record and SQLAlchemy's row per record were a third of a page's time on the server,
which the laptop's download waited on. The pull route on SQLite asks for the records as JSON texts
that SQLite writes itself (`_record_texts`): no Python value per field at all.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pydantic_core

from sqlalchemy import (
    JSON, BigInteger, Boolean, ColumnElement, Connection, Date, DateTime, Float, Select, and_, bindparam, cast, func,
    literal_column, not_, or_, select,
)

from core.among import among_param, among_values, json_values
from core.prepared import rows_of
from sync.protocol import MAX_PAGE, PAGE_FIELDS_SINCE_2
from sync.server.accounts import Caller
from sync.server.db import planned_with
from sync.server.rows import BOOKKEEPING
from sync.server.models import (
    AUDIENCE_REFERENCE, AUDIENCE_REVIEW, AUDIENCE_SCOPED, ENTITY_TABLES, departure, row_state, sequence_counter,
)


@dataclass(frozen=True)
class PageToSend:
    """A page of changes as the server sends it (`sync.protocol.ChangesPage` on the wire): `changes`
    are dicts of `seq`, `entity`, `row_id`, `deleted` and `fields`, every value as it travels."""

    changes: list[dict[str, Any]]
    next_since: int
    more: bool
    left: list[str] = field(default_factory=list)
    scope: str = ""
    texts: list[str] | None = None  # the changes as JSON texts instead (`changes_since(..., as_text=True)`)

    @property
    def count(self) -> int:
        """How many records the page carries."""
        return len(self.changes) if self.texts is None else len(self.texts)

    def wire(self, protocol: int = 2) -> dict[str, Any]:
        """The page as JSON's values; for a laptop of protocol 1 without what it does not know."""
        if self.texts is not None:
            raise ValueError("a page of JSON texts is sent as it is (PageToSend.json)")
        return self._wire(protocol)

    def _wire(self, protocol: int) -> dict[str, Any]:
        page = {"changes": self.changes, "next_since": self.next_since, "more": self.more, "left": self.left,
                "scope": self.scope}
        return {k: v for k, v in page.items() if k not in PAGE_FIELDS_SINCE_2} if protocol < 2 else page

    def json(self, protocol: int = 2) -> bytes:
        if self.texts is None:
            return wire_json(self._wire(protocol))
        rest = wire_json({k: v for k, v in self._wire(protocol).items() if k != "changes"})  # b'{"next_since":...}'
        return b'{"changes":[' + ",".join(self.texts).encode() + b"]," + rest[1:]


def wire_json(value: Any) -> bytes:
    """A page's or a record's JSON text, as ChangesPage's serializer wrote it: a float that is not
    finite as null (JSON has no such number; json.dumps would refuse it, and the request fail)."""
    return pydantic_core.to_json(value, inf_nan_mode="null")


def _visible(caller: Caller):  # noqa: ANN202
    household, grid = ENTITY_TABLES["household"], ENTITY_TABLES["grid"]
    in_scope = caller.grid_clause(grid)
    audiences = [AUDIENCE_SCOPED, AUDIENCE_REVIEW] if caller.reviews_conflicts else [AUDIENCE_SCOPED]
    return or_(row_state.c.audience == AUDIENCE_REFERENCE,
               and_(row_state.c.audience.in_(audiences), in_scope)), household, grid


def changes_since(conn: Connection, caller: Caller, since: int, limit: int, origin: int | None = None,
                  everything: bool = False, upto: int | None = None, as_text: bool = False) -> PageToSend:
    """The page of records whose latest change is after `since`. `origin` is where the device's
    pull began (its cursor before the first page): a record travels only at its latest change, so
    a change another device made to it before this page's `since`, but after `origin`, has not
    reached the device yet, and the record must go even if the device itself changed it last.
    `upto`: the watermark (PostgreSQL), asked for before this transaction began; None on SQLite,
    where everything up to the counter has committed. `as_text`: the records as the JSON texts that
    travel (`PageToSend.texts`), made by SQLite itself where it holds them (`_record_texts`)."""
    if upto is None and conn.dialect.name == "postgresql":  # the counter row is not used there
        raise ValueError("changes_since on PostgreSQL needs the watermark (upto)")
    limit = max(1, min(limit, MAX_PAGE))
    # What this device itself sent, and nobody changed since, it holds already: not sent back. "Since"
    # is where its pull began (origin), not this page's cursor; a laptop downloading again (重新下载,
    # another scope) wants its own records too (`everything`).
    seen_since = since if origin is None else min(origin, since)
    if upto is not None and upto <= since:  # nothing has committed after the cursor: no page to look for
        found = []
    else:
        found = _page_rows(conn, _page_query(conn.dialect.name, caller.role, caller.scope, upto is not None,
                                             not everything),
                           {"since": since, "upto": upto, "limit": limit + 1, "device": caller.device_id or "",
                            "seen": seen_since})
    more = len(found) > limit
    found = found[:limit]
    if more:
        next_since = found[-1].seq
    elif upto is not None:  # everything up to the watermark has committed and been seen
        next_since = max(since, upto)
    else:  # everything up to the counter has been seen (same snapshot)
        next_since = max(since, conn.execute(_COUNTER).scalar_one())
    left = departures_in(conn, caller, since, next_since)
    if as_text and conn.dialect.name == "sqlite":  # PostgreSQL's json_build_object was slower than Python
        return PageToSend([], next_since, more, left, caller.scope, texts=_record_texts(conn, found))
    return PageToSend(_records(conn, found), next_since, more, left, caller.scope)


_COUNTER = select(sequence_counter.c.value)

# PostgreSQL: a page walks the sequence's index in order and stops at its limit, whatever the table's
# statistics say. Statistics from before a large push (a county's first uploads, before autovacuum has
# counted them) put a few rows in the range; the planner then read every row state of the range, joined
# them all and sorted them to keep the first :limit (26 ms a page of 1,000 after 12,500 new records,
# against 3 ms walking the index). Without a sort to choose, it walks the index.
def _page_rows(conn: Connection, page_query: Select, params: dict[str, Any]) -> list:
    """The page query's rows (planned to walk the sequence's index on PostgreSQL); the rest of the pull's
    transaction is planned as before."""
    if conn.dialect.name != "postgresql":
        return conn.execute(page_query, params).all()
    with planned_with(conn, "enable_sort", "off"):
        return conn.execute(page_query, params).all()


@functools.lru_cache(maxsize=256)
def _page_query(dialect: str, role: str, scope: str, bounded: bool, own_left: bool) -> Select:
    """A page's row states after :since (up to :upto when `bounded`), :limit of them, that a caller of
    this role and scope may see: built once for each, since a sync with nothing to do is mostly this.
    `own_left`: without the records the device :device holds already (`already_on_device`), left out
    before the LIMIT: a page carries up to :limit records to send, and its `next_since` may pass many
    records the device holds."""
    visible, household, grid = _visible(Caller("", role, scope, ""))
    return (select(row_state.c.entity, row_state.c.row_id, row_state.c.seq)
            .select_from(row_state
                         .outerjoin(household, household.c.id == row_state.c.household_id)
                         .outerjoin(grid, grid.c.id == household.c.grid_id))
            .where(row_state.c.seq > bindparam("since"), visible,
                   *([row_state.c.seq <= bindparam("upto")] if bounded else []),
                   *([not_(already_on_device(dialect))] if own_left else []))
            .order_by(row_state.c.seq).limit(bindparam("limit")))


def already_on_device(dialect: str) -> ColumnElement[bool]:
    """True for a record whose every change after sequence :seen came from the device :device, which
    then holds the record exactly as the server does: its creation, and each field's version stamp
    ([sequence, device, user, time] in `versions`, the server's re-send stamp among them). Asked in
    the database, the pull neither reads back nor parses the records it would drop: most of what the
    pull after a push finds is the device's own (a tenth of the time of a 10,000-record push), and
    every record pulled had its versions parsed in Python only for this."""
    stamp = func.json_each(row_state.c.versions).table_valued("key", "value").alias("stamp")
    if dialect == "postgresql":  # `versions` is of type json: its elements as text
        seq = cast(func.json_extract_path_text(stamp.c.value, "0"), BigInteger)
        device = func.json_extract_path_text(stamp.c.value, "1")
    else:
        seq, device = func.json_extract(stamp.c.value, "$[0]"), func.json_extract(stamp.c.value, "$[1]")
    changed_by_another = (select(literal_column("1")).select_from(stamp)
                          .where(seq > bindparam("seen"), device != bindparam("device")).exists())
    return and_(or_(row_state.c.created_seq <= bindparam("seen"), row_state.c.created_device == bindparam("device")),
                not_(changed_by_another))


def departures_in(conn: Connection, caller: Caller, since: int, upto: int) -> list[str]:
    """Households that left the caller's grids and whose latest change is in (since, upto]: each is
    told once to every laptop of the grid it left, in the page that passes its latest change."""
    if upto <= since:
        return []
    return list(conn.execute(_departures_query(caller.role, caller.scope), {"since": since, "upto": upto}).scalars())


@functools.lru_cache(maxsize=4096)  # a statement a scope: a county's grids and villages, several counties' on one server
def _departures_query(role: str, scope: str) -> Select:
    """departures_in's statement for a role and scope (parameters `since`, `upto`), built once: built
    at every pull, its two aliases of the grids left cyclic garbage behind, a collection's work."""
    caller = Caller("", role, scope, "")
    household, grid = ENTITY_TABLES["household"], ENTITY_TABLES["grid"]
    left_grid, now_grid = grid.alias("left_grid"), grid.alias("now_grid")
    return (select(departure.c.household_id)
            .select_from(departure
                         .join(row_state, and_(row_state.c.entity == "household",
                                               row_state.c.row_id == departure.c.household_id))
                         .join(left_grid, left_grid.c.id == departure.c.from_grid_id)
                         .join(household, household.c.id == departure.c.household_id)
                         .outerjoin(now_grid, now_grid.c.id == household.c.grid_id))
            .where(row_state.c.seq > bindparam("since"), row_state.c.seq <= bindparam("upto"),
                   caller.grid_clause(left_grid), or_(now_grid.c.id.is_(None), not_(caller.grid_clause(now_grid))))
            .distinct())


def _ids_by_entity(found: list) -> dict[str, list[str]]:  # noqa: ANN001 - row states of a page
    """The page's record ids, by entity, in the page's order."""
    by_entity: dict[str, list[str]] = {}
    for row in found:
        by_entity.setdefault(row.entity, []).append(row.row_id)
    return by_entity


def _records(conn: Connection, found: list) -> list[dict[str, Any]]:  # noqa: ANN001
    """The records of the page's row states, in their order, as they travel."""
    dialect = conn.dialect.name
    values: dict[tuple[str, str], Any] = {}
    for entity, ids in _ids_by_entity(found).items():
        for r in rows_of(conn, _wire_select(entity, dialect), {"ids": among_values(ids, dialect)}, ("ids",)):
            values[(entity, r[0])] = r
    # Built from the server's own rows, of known types: not checked again field by field.
    return [{"seq": row.seq, "entity": row.entity, "row_id": row.row_id,
             "deleted": bool((data := values[(row.entity, row.row_id)])[1]), "fields": _on_the_wire(row.entity, data)}
            for row in found]


def _record_texts(conn: Connection, found: list) -> list[str]:  # noqa: ANN001
    """`_records` as the JSON texts that travel, each record's fields written by SQLite's json_object
    (a page of members was a million Python values to make and write out again, most of a page's
    time on the server). The floats are written here: SQLite's own text of a float keeps 15 digits,
    and the laptop must read the very number the server holds."""
    driver = conn.connection.driver_connection
    made: dict[tuple[str, str], str | tuple[bool, str]] = {}  # a whole change, or (deleted, its fields)
    for entity, ids in _ids_by_entity(found).items():
        select_text = _fields_text_select(entity)
        if select_text is None:  # a conflict's times: written by Python, as _records makes them
            for change in _records(conn, [row for row in found if row.entity == entity]):
                made[(entity, change["row_id"])] = wire_json(change).decode()
            continue
        sql, floats = select_text
        for row_id, deleted, fields, *numbers in driver.execute(sql, (json_values(ids),)):
            made[(entity, row_id)] = (deleted, _with_floats(fields, floats, numbers) if floats else fields)
    texts = []
    for row in found:
        kept = made[(row.entity, row.row_id)]
        if isinstance(kept, tuple):
            kept = (f'{{"seq":{row.seq},"entity":"{row.entity}","row_id":{json.dumps(row.row_id)},'
                    f'"deleted":{"true" if kept[0] else "false"},"fields":{kept[1]}}}')
        texts.append(kept)
    return texts


def _with_floats(fields: str, names: tuple[str, ...], numbers: list[Any]) -> str:
    """A record's fields text with its float columns added, each written by wire_json as the Python way
    writes it: a float that is not finite as null, and whatever a database edited by hand holds there."""
    added = ",".join(f'"{name}":' + wire_json(v).decode() for name, v in zip(names, numbers))
    return fields[:-1] + ("," if fields != "{}" else "") + added + "}"


@functools.cache
def _fields_text_select(entity: str) -> tuple[str, tuple[str, ...]] | None:
    """SQLite's SELECT of the entity's records of the ids bound as a JSON text: their id, whether
    deleted, what travels as one JSON object but the floats, and the floats; and the floats' names.
    A boolean travels as true or false (SQLite holds 0 or 1), a JSON column as its JSON, a date as
    SQLite holds it (its ISO text). None for an entity with a time (SQLite's text of it is not the
    ISO text that travels) or with more columns than one json_object takes (127 arguments)."""
    table = ENTITY_TABLES[entity]
    names, dated = _wire_layout(entity)
    floats = tuple(name for name in names if isinstance(table.c[name].type, Float))
    pairs = [f"'{name}', {_as_json(table.c[name])}" for name in names if name not in floats]
    if any(isinstance(table.c[name].type, DateTime) for name in dated) or len(pairs) > 63:
        return None
    floats_sql = "".join(f', "{table.c[name].name}"' for name in floats)
    return (f'SELECT id, deleted, json_object({", ".join(pairs)}){floats_sql} FROM "{table.name}" '
            f"WHERE id IN (SELECT value FROM json_each(?))", floats)


def _as_json(column: Any) -> str:
    name = f'"{column.name}"'
    if isinstance(column.type, Boolean):
        return f"CASE WHEN {name} IS NULL THEN NULL WHEN {name} THEN json('true') ELSE json('false') END"
    if isinstance(column.type, JSON):
        return f"json({name})"
    return name


def _on_the_wire(entity: str, row) -> dict:  # noqa: ANN001 - a row of (id, deleted, *the wire columns)
    """A record's fields as they travel (core.wire_values.to_wire), but converting only the columns
    whose values need it (dates): a page holds thousands of fields."""
    names, dated = _wire_layout(entity)
    fields = dict(zip(names, row[2:]))
    for name in dated:
        value = fields[name]
        if isinstance(value, (date, datetime)):
            fields[name] = value.isoformat()
    return fields


@functools.cache
def _wire_layout(entity: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The columns of the entity's table that travel (no bookkeeping), in order, and those of them
    that hold dates (sent as ISO text)."""
    columns = [column for column in ENTITY_TABLES[entity].columns if column.key not in BOOKKEEPING]
    return (tuple(column.key for column in columns),
            tuple(column.key for column in columns if isinstance(column.type, (Date, DateTime))))


@functools.cache
def _wire_select(entity: str, dialect: str) -> Select:
    """The entity's records of the ids bound as `ids` (core.among): their id, whether deleted, and
    what travels; the bookkeeping columns (times the server parses from SQLite's text) stay here.
    Built once, and prepared once on SQLite (core.prepared)."""
    table = ENTITY_TABLES[entity]
    return (select(table.c.id, table.c.deleted, *(table.c[name] for name in _wire_layout(entity)[0]))
            .where(among_param(table.c.id, "ids", dialect)))


def read_record(conn: Connection, caller: Caller, entity: str, row_id: str) -> dict[str, Any] | None:
    """One record, if the caller may see it; None when it does not exist or is outside their scope
    (one answer for both, so that asking tells nothing about a record outside the scope)."""
    visible, household, grid = _visible(caller)
    state = conn.execute(select(row_state.c.entity, row_state.c.row_id, row_state.c.seq, row_state.c.audience)
                         .where(row_state.c.entity == entity, row_state.c.row_id == row_id)).first()
    if state is None:
        return None
    allowed = conn.execute(
        select(func.count()).select_from(row_state
                                         .outerjoin(household, household.c.id == row_state.c.household_id)
                                         .outerjoin(grid, grid.c.id == household.c.grid_id))
        .where(row_state.c.entity == entity, row_state.c.row_id == row_id, visible)).scalar_one()
    if not allowed:
        return None
    return _records(conn, [state])[0]
