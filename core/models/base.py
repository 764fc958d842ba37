"""The declarative base and the columns every synced table carries (docs/data-dictionary.md)."""
from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import Boolean, DateTime, Integer, MetaData, String, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Constraint names that are stable across SQLite and PostgreSQL, so Alembic batch mode can find them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A record id made on the device, so records can be created offline."""
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Synced:
    """Columns shared by every table that travels between laptops and the county server.

    `server_seq` is the server sequence number of the last version of this row the device
    has seen (0 for a row made here and never synced); an edit is based on it.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    device_id: Mapped[str] = mapped_column(String(64), default="")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    server_seq: Mapped[int] = mapped_column(Integer, default=0)

    # Columns that are bookkeeping, not user data: never diffed, never put in the outbox.
    BOOKKEEPING = ("id", "created_at", "updated_at", "created_by", "device_id", "deleted", "server_seq")

    @classmethod
    def data_fields(cls) -> list[str]:
        """The user-data columns of this entity, in table order."""
        fields = _DATA_FIELDS.get(cls)
        if fields is None:
            fields = _DATA_FIELDS[cls] = tuple(c.key for c in cls.__table__.columns  # type: ignore[attr-defined]
                                               if c.key not in cls.BOOKKEEPING)
        return list(fields)


_DATA_FIELDS: dict[type, tuple[str, ...]] = {}


def data_defaults(table: Table) -> dict[str, object]:
    """Every user-data column of a synced table with the value a new record takes when none is
    given (a record arriving by sync, whose columns the device or the server fills itself)."""
    fixed, made = _data_default_parts(table)
    out = dict(fixed)
    for key, make in made:  # a fresh value each time (a list a record may change in place)
        out[key] = make(None)
    return out


@functools.cache
def _data_default_parts(table: Table) -> tuple[dict[str, object], tuple[tuple[str, Callable], ...]]:
    """data_defaults worked out once per table (a push asks for them once a record): the values,
    in column order, and the callable defaults to call anew each time."""
    fixed: dict[str, object] = {}
    made: list[tuple[str, Callable]] = []
    for column in table.columns:
        if column.key in Synced.BOOKKEEPING:
            continue
        default = column.default
        fixed[column.key] = None if default is None or default.is_callable else default.arg
        if default is not None and default.is_callable:
            made.append((column.key, default.arg))
    return fixed, tuple(made)
