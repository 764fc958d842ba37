"""Loading many rows at once (demo data, reference data from the server): no outbox, one audit line."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Column, Connection, Dialect, Table, text
from sqlalchemy.orm import Session

from core.errors import UnusableValue
from core.models import SYNCED_ENTITIES
from core.store.journal import Actor, append_audit
from core.store.facts import forget_facts
from core.store.summary import refresh_summaries
from core.wire_values import pulled_parser

# Parents before children, so foreign keys hold inside the transaction.
LOAD_ORDER = ("area", "settlement", "grid", "household", "member", "employment", "training", "grievance",
              "grievance_party", "visit", "visit_member", "measure", "household_income", "insurance")


def _remembering(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """A column's bind processor that converts each distinct value once (dates and codes repeat),
    and a run of the same object (a page stamps every row with one `now`) without a lookup."""
    if process is None:
        return None
    seen: dict[Any, Any] = {}
    last: list[Any] = [_NOTHING, None]  # the object converted last, and what it became

    def convert(value: Any) -> Any:
        if value is last[0]:
            return last[1]
        key = (type(value), value)  # True, 1 and 1.0 are equal but not the same value
        try:
            converted = seen[key]
        except KeyError:
            seen[key] = converted = process(value)
        except TypeError:  # unhashable: the list of a JSON column
            return process(value)
        last[0], last[1] = value, converted
        return converted

    return convert


_NOTHING = object()


def _column_values(column: Column, dialect: Dialect, batch: list[dict]) -> list[Any]:
    """Every row's value for `column`, converted exactly as SQLAlchemy binds it; a row that leaves
    the column out takes its Python-side default. Column by column: one comprehension per column
    costs a fraction of one call per value."""
    process = bound(column, dialect)
    key, default = column.key, column.default
    if default is not None and not (default.is_scalar or default.is_callable):
        raise ValueError(f"{column}: only scalar and plain callable defaults can be bulk-loaded")
    if default is None:
        values = [row.get(key) for row in batch]
    elif default.is_scalar:
        fallback = default.arg
        values = [row[key] if key in row else fallback for row in batch]
    else:
        make = default.arg
        values = [row[key] if key in row else make(None) for row in batch]
    return list(map(process, values)) if process else values


def bound(column: Column, dialect: Dialect, parse: Callable[[Any], Any] | None = None) -> Callable[[Any], Any] | None:
    """What turns a column's value into the driver's, as SQLAlchemy binds it, each distinct value once
    (a fresh memory each call: one batch's); with `parse`, a value not None is first parsed by it."""
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if parse is None:
        return _remembering(process)
    if process is None:
        return _remembering(lambda value: None if value is None else parse(value))
    return _remembering(lambda value: None if value is None else process(parse(value)))


def wire_parsing(column: Column) -> Callable[[Any], Any] | None:
    """What parses a column's pulled value (a date's text) or checks it (a whole number's) as
    core.wire_values.fields_from_wire does, or None."""
    parse = pulled_parser(column)
    return None if parse is None else (lambda value: parse(str(value)))


def unusable_values(dialect: Dialect, changes: list, pending: dict | None = None) -> Iterator[UnusableValue]:
    """Of each of these pulled changes (core.store.held.PulledChange) that holds a value its column cannot
    take as a pull parses and binds it (text in a number's or a date's column), the first such field, in
    the changes' order. `pending`: (entity, row id) -> (the fields kept back for the worker's waiting
    edits, …): not written, so not asked."""
    converters: dict[str, dict[str, Callable[[Any], Any] | None]] = {}
    for change in changes:
        columns = converters.get(change.entity)
        if columns is None:
            table = SYNCED_ENTITIES[change.entity].__table__
            columns = converters[change.entity] = {c.key: bound(c, dialect, wire_parsing(c)) for c in table.columns}
        kept_back = pending.get((change.entity, change.row_id), ((), False))[0] if pending else ()
        for field, value in change.fields.items():
            convert = columns.get(field)
            if convert is None or field in kept_back:
                continue
            try:
                convert(value)
            except (ValueError, TypeError, OverflowError):
                yield UnusableValue(change.entity, field, change.row_id)
                break


def first_unusable(dialect: Dialect, changes: list, pending: dict | None = None) -> UnusableValue | None:
    """The first field of these pulled changes whose value its column cannot take (unusable_values), or None."""
    return next(unusable_values(dialect, changes, pending), None)


def insert_many(conn: Connection, table: Table, batch: list[dict]) -> None:
    """One executemany straight to the driver, each value bound as SQLAlchemy itself binds it.

    SQLAlchemy's executemany builds its parameters row by row and spends more time there than
    SQLite spends inserting; here each column converts each distinct value once.
    """
    insert_columns(conn, table, [_column_values(c, conn.dialect, batch) for c in table.columns])


def insert_columns(conn: Connection, table: Table, columns: list[list[Any]]) -> None:
    """One executemany straight to the driver of rows given column by column: every column of
    `table` in its order, each value already as the driver binds it."""
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(table.columns))})'
    conn.connection.driver_connection.cursor().executemany(sql, list(zip(*columns)))


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
            insert_many(session.connection(), SYNCED_ENTITIES[entity].__table__, batch)
            counts[entity] = len(batch)
    # Every household a row belongs to: a member loaded alone changes its household's summary too.
    household_ids = [h["id"] for h in rows.get("household", [])]
    household_ids += [r["household_id"] for batch in rows.values() for r in batch if r.get("household_id")]
    if household_ids and refresh:
        refresh_summaries(session.connection(), household_ids)
    forget_facts(session)  # counted again, all at once, when the figures are next asked for
    detail = f"{reason}: " + ", ".join(f"{k}={n}" for k, n in counts.items())
    append_audit(session, actor, "bulk_load", "profile", actor.device_id, detail)
    return counts


def finish_bulk_load(session: Session) -> None:
    """After a run of loads: every summary and search entry rebuilt, and fresh planner statistics."""
    refresh_summaries(session.connection())
    session.execute(text("PRAGMA analysis_limit = 1000"))
    session.execute(text("ANALYZE"))
