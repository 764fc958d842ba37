"""A SELECT run again and again on the laptop's SQLite with only a few parameters changing: compiled
once, its constant parameters converted once, and run on the driver's own cursor.

SQLAlchemy's execution of a compiled statement builds and converts every parameter again at each
run (`construct_params`, the expanding `IN` lists, the bind processors). The indicator counts of a
household that a save counts again (core.store.facts) carry hundreds of constants (the month, the
code lists, the county's rules): the statement of the members' counts has 453 parameters and took
1.1–1.5 ms through SQLAlchemy, 0.23 ms here, where SQLite's own work is most of it. The driver keeps
the statement prepared (its cache is keyed by the statement's text, which is the same every run).

Only for statements whose changing parameters are plain values the driver takes as they are (a JSON
text of ids, `core.among`), bound by name; not for an expanding parameter, whose number of
placeholders would change.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Select
from sqlalchemy.orm import Session


class Prepared:
    """`statement` compiled for `dialect` with its parameters in place, but for those named in `given`,
    which each run supplies (already in the driver's form)."""

    def __init__(self, statement: Select, dialect: Dialect, given: tuple[str, ...]) -> None:
        if not dialect.positional:  # psycopg's named style would need its own placing of values
            raise ValueError(f"a prepared statement needs a positional driver, not {dialect.name}'s")
        compiled = statement.compile(dialect=dialect)
        unknown = set(given) - set(compiled.binds)
        if unknown:
            raise ValueError(f"the statement has no parameter {sorted(unknown)}")
        state = compiled.construct_expanded_state(dict.fromkeys(given))
        order = tuple(state.positiontup or ())
        self.sql = state.statement
        self._values = [_bound(compiled, state, dialect, name) if name not in given else None for name in order]
        self._slots = tuple((i, name) for i, name in enumerate(order) if name in given)
        if {name for _, name in self._slots} != set(given):  # rendered in the text (literal_execute): never bound
            raise ValueError(f"the parameters {sorted(given)} must each be bound, not written into the statement")
        self._results = _result_processors(statement, dialect)

    def rows(self, connection: Connection, given: Mapping[str, Any]) -> list[Sequence[Any]]:
        """Every row of the statement with the `given` parameters, on the connection's own transaction."""
        values = list(self._values)
        for i, name in self._slots:
            values[i] = given[name]
        found = connection.connection.driver_connection.execute(self.sql, values).fetchall()
        if not self._results:
            return found
        turned = []
        for row in found:
            row = list(row)
            for i, process in self._results:
                row[i] = process(row[i])
            turned.append(row)
        return turned


def _bound(compiled: Any, state: Any, dialect: Dialect, name: str) -> Any:
    """A constant's value as SQLAlchemy binds it: an item of an expanded `IN` list by the list's
    processor, any other by its type's (a datetime as SQLite's text with its microseconds, a
    Decimal as a float)."""
    value = state.parameters[name]
    process = state.processors.get(name)
    if process is None and name in compiled.binds:
        process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
    return value if process is None else process(value)


def _result_processors(statement: Select, dialect: Dialect) -> tuple[tuple[int, Callable], ...]:
    """The result columns SQLAlchemy would turn (a date's text into a date), each with what it would
    turn it with; none for a statement of plain numbers and texts."""
    processors = (column.type.dialect_impl(dialect).result_processor(dialect, None)
                  for column in statement.selected_columns)
    return tuple((i, process) for i, process in enumerate(processors) if process is not None)


@functools.lru_cache(maxsize=64)
def prepared(statement: Select, dialect: Dialect, given: tuple[str, ...]) -> Prepared:
    """The prepared form of a statement built once and kept (core.indicators.base.statement_per_day)."""
    return Prepared(statement, dialect, given)


def rows_of(where: Session | Connection, statement: Select, params: Mapping[str, Any],
            given: tuple[str, ...]) -> Sequence[Sequence[Any]]:
    """The statement's rows with `params` (the `given` parameters' values): on a positional driver (the
    laptop's SQLite) through its prepared form, elsewhere (psycopg) through SQLAlchemy. A session
    flushes what it holds unwritten first, as its own execute would."""
    if isinstance(where, Session):
        where.flush()
        where = where.connection()
    if not where.dialect.positional:
        return where.execute(statement, params).all()
    return prepared(statement, where.dialect, given).rows(where, params)
