"""Field values as they travel in JSON (outbox entries, sync ops): dates as ISO text."""
from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime


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
    """from_wire of every field of a record at once (a pulled page holds thousands): the dict copied
    whole, then only its dates parsed. KeyError for a field the model does not have."""
    unknown = fields.keys() - _parsers(model).keys()
    if unknown:
        raise KeyError(min(unknown))
    out = dict(fields)
    for name, parse in _dated(model):
        value = out.get(name)
        if value is not None:
            out[name] = parse(str(value))
    return out


@functools.cache
def _dated(model: type) -> tuple[tuple[str, Callable[[str], object]], ...]:
    """The columns whose wire text is parsed (dates and times), with their parsers."""
    return tuple((name, parse) for name, parse in _parsers(model).items() if parse is not None)


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


def same_value(a: object, b: object) -> bool:
    """Whether two field values are the same (floats within rounding): an edit to the value a
    record already has is no change, on the laptop and on the server alike."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9  # type: ignore[arg-type]
    return a == b
