"""Many rows written in one executemany of plain parameters, for the laptop's profile and the county
server alike.

SQLAlchemy's own executemany builds and processes every row's parameters through its compiled statement
(`construct_params`), which costs more than the database's work on a batch of simple rows. Here a
statement is compiled once per dialect and table, and the rows' values are converted column by column
with the bind processors SQLAlchemy would apply (dates as SQLite's text, JSON serialized), each run of
one same object once.
"""
from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import JSON, Connection, Dialect, Table, bindparam, update


def bind_plainly(driver: ModuleType) -> None:
    """Give a pysqlite-style driver (sqlite3, sqlcipher3) adapters for None and bool that hand the value
    on as it binds (None, an int). Without one, each None or bool parameter takes the driver's slow
    path: a miss in its adapter registry, then a look for __adapt__ and __conform__ on the value.
    12,500 rows of 32 columns, 20 of them None, took 369 ms in sqlcipher3 and 65 ms with the
    adapters (sqlite3: 150 and 90 ms). What is stored is the same: NULL, 0 and 1. The registry is
    the driver's, for the whole process; registering again changes nothing."""
    driver.register_adapter(type(None), _as_it_is)
    driver.register_adapter(bool, int)


def _as_it_is(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Statement:
    """An INSERT of every column of a table, or an UPDATE of some, compiled once for a dialect, with
    what turns a row's Python values into the driver's (the bind processors SQLAlchemy would apply)."""

    sql: str
    columns: tuple[str, ...]                        # the parameters, in the statement's order
    row_keys: tuple[str, ...]                       # the key of each in a row's dict (its column's)
    processors: tuple[tuple[int, Callable, Callable], ...]  # (position in `columns`, bind processor, how applied)
    positional: bool                                # ? placeholders (SQLite), else %(name)s (psycopg)


@functools.lru_cache(maxsize=256)
def insert_statement(dialect: Dialect, table: Table) -> Statement:
    return _prepared(dialect, table.insert().compile(dialect=dialect, column_keys=[c.key for c in table.columns]), "")


@functools.lru_cache(maxsize=256)
def update_statement(dialect: Dialect, table: Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> Statement:
    """UPDATE `table` SET each of `columns` WHERE each of `keys` matches. Its parameters are named
    k_<column> (SQLAlchemy keeps a column's own name for itself); a row gives them by column."""
    stmt = (update(table).where(*(table.c[k] == bindparam(f"k_{k}") for k in keys))
            .values({c: bindparam(f"k_{c}") for c in columns}))
    return _prepared(dialect, stmt.compile(dialect=dialect), "k_")


def _prepared(dialect: Dialect, compiled: Any, prefix: str) -> Statement:
    names = tuple(compiled.positiontup) if compiled.positional else tuple(compiled.binds)
    unnamed = [name for name in names if not name.startswith(prefix)]
    if unnamed:  # a parameter SQLAlchemy added itself (a column's onupdate): no row would give it
        raise ValueError(f"parameters without the prefix {prefix!r}: {unnamed}")
    processors = []
    for i, name in enumerate(names):
        bind_type = compiled.binds[name].type
        process = bind_type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors.append((i, process, _processed_json if isinstance(bind_type, JSON) else _processed))
    return Statement(compiled.string, names, tuple(name[len(prefix):] for name in names), tuple(processors),
                     compiled.positional)


def parameters(statement: Statement, rows: list[dict[str, Any]]) -> list[Any]:
    """Each row's parameters in the statement's order, converted as SQLAlchemy would (dates as
    SQLite's text, JSON serialized), column by column: each row a dict of (at least) the statement's
    columns. KeyError when a row lacks one."""
    names = statement.row_keys
    params: list[Any] = ([operator.itemgetter(*names)(row) for row in rows] if len(names) > 1
                         else [(row[names[0]],) for row in rows])
    if statement.processors:
        by_column: list[Any] = list(zip(*params))
        for i, process, apply in statement.processors:
            by_column[i] = apply(process, by_column[i])
        params = list(zip(*by_column))
    return params


def execute_many(conn: Connection, statement: Statement, params: list[Any]) -> None:
    """The statement once per row of `params` (from `parameters`), in one call to the driver."""
    if not statement.positional:
        params = [dict(zip(statement.columns, values)) for values in params]
    conn.exec_driver_sql(statement.sql, params)


def _processed(process: Callable, values: tuple[Any, ...]) -> list[Any]:
    """`process` applied to each value, once for a run of the same object (a push stamps every
    row with the same `now`, which SQLite's DATETIME turns into text row after row otherwise)."""
    out = []
    last: Any = _NOTHING
    done = None
    for value in values:
        if value is not last:
            last, done = value, process(value)
        out.append(done)
    return out


def _processed_json(process: Callable, values: tuple[Any, ...]) -> list[Any]:
    """`_processed` for a JSON column, which also processes the empty lists and dicts once for all:
    every new record's row state has versions {}, each its own dict, and each makes the same text."""
    out = []
    empty: dict[type, Any] = {}
    for value in values:
        if value.__class__ in _CONTAINERS and not value:
            done = empty.get(value.__class__, _NOTHING)
            if done is _NOTHING:
                done = empty[value.__class__] = process(value)
        else:
            done = process(value)
        out.append(done)
    return out


_NOTHING = object()
_CONTAINERS = frozenset({list, dict})
