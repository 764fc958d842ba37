"""Field values as they travel in JSON (outbox entries, sync ops): dates as ISO text."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime


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
    column_type = model.__table__.columns[field].type  # type: ignore[attr-defined]
    if isinstance(column_type, DateTime):
        return datetime.fromisoformat(str(value))
    if isinstance(column_type, Date):
        return date.fromisoformat(str(value))
    return value


def same_value(a: object, b: object) -> bool:
    """Whether two field values are the same (floats within rounding): an edit to the value a
    record already has is no change, on the laptop and on the server alike."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9  # type: ignore[arg-type]
    return a == b
