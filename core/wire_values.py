"""Field values as they travel in JSON (outbox entries, sync ops): dates as ISO text."""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime, Integer


def to_wire(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def from_wire(model: type, field: str, value: object) -> object:
    """The Python value of `field` of `model` for a JSON value produced by to_wire."""
    if value is None:
        return None
    parse = _parsers(model)[field]  # KeyError for a field the model does not have
    return value if parse is None else parse(str(value))


def fields_from_wire(model: type, fields: dict[str, object]) -> dict[str, object]:
    """The fields of a pulled record as they are stored (a page holds thousands): the dict copied
    whole, then only its dates parsed and its whole numbers checked (pulled_parser). KeyError for a
    field the model does not have; ValueError for a value its column cannot take."""
    unknown = fields.keys() - _parsers(model).keys()
    if unknown:
        raise KeyError(min(unknown))
    out = dict(fields)
    for name, parse in _parsed_when_pulled(model):
        value = out.get(name)
        if value is not None:
            out[name] = parse(str(value))
    return out


@functools.cache
def _parsed_when_pulled(model: type) -> tuple[tuple[str, Callable[[str], object]], ...]:
    """The columns whose pulled value is parsed or checked (dates, times, whole numbers), with their parsers."""
    columns = model.__table__.columns  # type: ignore[attr-defined]
    return tuple((c.key, parse) for c in columns if (parse := pulled_parser(c)) is not None)


@functools.cache
def _parsers(model: type) -> dict[str, Callable[[str], object] | None]:
    """Each column's parser from its wire text (None: the JSON value is the Python value)."""
    return {column.key: wire_parser(column) for column in model.__table__.columns}  # type: ignore[attr-defined]


def wire_parser(column: Column) -> Callable[[str], object] | None:
    """What turns a column's wire text into its Python value (dates and times); None: the JSON value
    is the Python value."""
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat
    if isinstance(column.type, Date):
        return date.fromisoformat
    return None


def pulled_parser(column: Column) -> Callable[[str], object] | None:
    """What a pulled value's text passes through before it is stored: wire_parser's, and whole_number for
    a whole number's column, where SQLite would keep any text (a year written in words on a county
    database edited by hand) and every other record holds a number."""
    if isinstance(column.type, Integer):
        return whole_number
    return wire_parser(column)


_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def whole_number(text: str) -> int:
    """A whole number's text as JSON writes it ("2015", "-3"); ValueError for anything else ("2015.5",
    "约2015年", "True")."""
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValueError("not a whole number")
    return int(text)


def same_value(a: object, b: object) -> bool:
    """Whether two field values are the same (floats within rounding): an edit to the value a
    record already has is no change, on the laptop and on the server alike."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9  # type: ignore[arg-type]
    return a == b
