"""`column IN (many values)` for the profile's SQLite, with the values bound as one JSON array.

A list bound value by value (`column.in_(ids)`) makes a statement text per length: SQLAlchemy builds a
parameter object per value and SQLite prepares the statement again each time, and a list longer than
SQLite's limit on parameters must be cut into chunks. Bound as one JSON text read back by SQLite's
`json_each`, the statement is the same for any number of values (compiled and prepared once), and
SQLite still looks each value up in the column's index (its query plan: SEARCH ... USING INDEX).

The county server runs the same statements on PostgreSQL too (`dialect="postgresql"`): there the values
go as one array, `column = ANY(:values::type[])`, which PostgreSQL looks up in the index as well, and
whose one statement text SQLAlchemy compiles once. The array travels as the text of an array literal
(`{"a","b"}`), which the driver sends as it is and PostgreSQL reads as the parameter's type: a Python list
made psycopg look at every item to choose how to send it, 60 µs for 50 ids, a few times a push. (Not
SQLAlchemy's `cast(text parameter, ARRAY)`, which renders `CAST(:ids::VARCHAR AS VARCHAR[])`: a text
turned into an array by `array_in`, a function the planner does not run while it plans, so it guessed
how many rows would match and scanned whole tables: PostgreSQL's CPU went from 3 to 10 s in the load
bench. Typed by the statement, the parameter is read as an array constant.) The array is of the
column's type without its length: a `VARCHAR(36)[]` would cut a longer value down to 36 characters,
and find a record `IN` never would.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ARRAY, BindParameter, ColumnElement, Select, String, TableValuedAlias, any_, bindparam, func, literal_column, select,
    true,
)
from sqlalchemy.types import TypeDecorator

# For statements written as text: `WHERE h.id IN (SELECT value FROM json_each(:ids))`.
JSON_VALUES = "(SELECT value FROM json_each({param}))"


def json_values(values: Iterable[Any]) -> str:
    """The values as the one parameter JSON_VALUES reads (strings and integers come back as they went)."""
    return json.dumps(list(values), ensure_ascii=False)


def among(column: Any, values: Iterable[Any], dialect: str = "sqlite") -> ColumnElement[bool]:
    """`column IN values`, as one parameter (see the module's text); `dialect` is the database's
    (`conn.dialect.name`): SQLite's, unless told otherwise."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, array_literal(values), array_of(column)))
    return among_bound(column, bindparam(None, json_values(values), String))


def among_param(column: Any, name: str, dialect: str = "sqlite") -> ColumnElement[bool]:
    """`column IN` the values bound to `name` at each execution, for a statement built once and run
    many times (building one cost as much as running it): give the values as `among_values`."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=array_of(column)))
    return among_bound(column, bindparam(name, type_=String))


def among_values(values: Iterable[Any], dialect: str = "sqlite") -> str:
    """The values of an `among_param` parameter: an array literal on PostgreSQL, a JSON text on SQLite."""
    return array_literal(values) if dialect == "postgresql" else json_values(values)


def array_literal(values: Iterable[Any]) -> str:
    """PostgreSQL's text of an array of `values` (`{"a","b"}`): each item quoted, its backslashes and
    double quotes escaped, so any text comes back as it went (None as NULL)."""
    return "{" + ",".join("NULL" if v is None else '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
                          for v in values) + "}"


class _ArrayLiteral(TypeDecorator):
    """An array parameter given as the text of its literal (array_literal): sent as it is, with the cast
    to the array's type in the statement (`::VARCHAR[]`); SQLAlchemy's ARRAY would take the text for a
    list of characters."""

    impl = ARRAY
    cache_ok = True

    def bind_processor(self, dialect: Any) -> None:  # noqa: ARG002 - the text goes as it is
        return None


def array_of(column: Any) -> _ArrayLiteral:
    """A PostgreSQL array of the column's type, without a text column's length (see the module's text)."""
    return _ArrayLiteral(String() if isinstance(column.type, String) else column.type)


def among_bound(column: Any, parameter: BindParameter[Any]) -> ColumnElement[bool]:
    """`column IN` the JSON array bound to `parameter` (a statement built once, its values given at each
    execution: `bindparam("ids", type_=String)` and `{"ids": json_values(ids)}`)."""
    listed = select(literal_column("value")).select_from(func.json_each(parameter))
    return column.in_(listed.scalar_subquery())


def keys_param(**columns: Any) -> TableValuedAlias:
    """PostgreSQL: the keys a statement looks up, as rows: `unnest` of one array parameter per column
    (named as the keyword, typed as the column; given as `among_values`, the arrays side by side)."""
    arrays = [bindparam(name, type_=array_of(column)) for name, column in columns.items()]
    return func.unnest(*arrays).table_valued(*columns).render_derived()


def one_per_key(keys: TableValuedAlias, lookup: Select) -> Select:
    """PostgreSQL: `lookup` (the one row of a unique key, its condition naming `keys`' columns) run once
    for each of `keys`, an index lookup each, whatever the planner's statistics say.

    Written as `column = ANY(array)` beside a fixed first column (`device_id = :d AND op_id = ANY(:ids)`),
    a lookup is planned from the statistics: when they were taken while the table was small (a new
    county's first day, or a table grown fast since), PostgreSQL reads every row of the fixed column's
    value and filters them (2-3 ms for 50 ids among 10,000 rows, growing with the table) instead of
    looking up each (0.1 ms). A LATERAL subquery with LIMIT is never flattened into a join the planner
    could choose badly: it runs as an index lookup for each key (bench/load.py)."""
    found = lookup.limit(1).lateral()
    return select(*found.c).select_from(keys.join(found, true()))
