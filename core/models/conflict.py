"""Sync conflicts (同步冲突): what the county server could not merge by itself (docs/protocol.md, "Conflicts").

A conflict is written by the server when two devices changed the same field of a record to
different values, or when a delete met an edit. The server keeps its own value and records the
other one here, so nothing is lost; conflicts sync to the village clerks, and a clerk's
resolution is an ordinary change of the record plus this row marked resolved. Values are kept as
JSON text: a field's value, or for a whole-record conflict the fields of the losing side.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, Synced

ROW_FIELD = "*"  # the `field` of a whole-record conflict (a delete met an edit)
FIELD_CONFLICT = "field"            # both sides changed one field to different values
DELETE_MET_EDIT = "delete_edit"     # the device deleted a record someone else had changed meanwhile
EDIT_MET_DELETE = "edit_deleted"    # the device changed a record someone else had deleted meanwhile
OPEN, RESOLVED = "open", "resolved"


class Conflict(Synced, Base):
    __tablename__ = "conflict"
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    household_id: Mapped[str | None] = mapped_column(String(36), index=True, default=None)
    kind: Mapped[str] = mapped_column(String(16), default=FIELD_CONFLICT)
    server_value: Mapped[str | None] = mapped_column(Text, default=None)
    client_value: Mapped[str | None] = mapped_column(Text, default=None)
    server_author: Mapped[str | None] = mapped_column(String(64), default=None)
    server_device: Mapped[str | None] = mapped_column(String(64), default=None)
    server_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    client_author: Mapped[str | None] = mapped_column(String(64), default=None)
    client_device: Mapped[str | None] = mapped_column(String(64), default=None)
    client_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    status: Mapped[str] = mapped_column(String(16), default=OPEN, index=True)
    resolution: Mapped[str | None] = mapped_column(Text, default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(64), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
