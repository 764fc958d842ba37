"""A clerk settles a conflict: the chosen value becomes an ordinary change of the record (a new
sequence, the clerk as its author), and the conflict is marked resolved; both reach every device
in scope on its next pull.

Choices: "server" keeps what the server has; "client" takes the other device's value (for a delete
that met an edit: deletes the record; for an edit that met a delete: restores the record with the
device's fields); "value" sets the field to a value the clerk typed (field conflicts only).
"""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection

from core.models import SYNCED_ENTITIES
from core.models.conflict import DELETE_MET_EDIT, EDIT_MET_DELETE, OPEN, RESOLVED
from core.validation.normalize import normalize
from sync.protocol import Value
from sync.server.accounts import Caller, ScopeError, allowed_grid_ids
from sync.server.merge import Merger, Rejected, _reject_if
from sync.server.rows import Record, Rows


RESOLVED_BY_SERVER = "server"


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")
    choice: Literal["server", "client", "value"]
    value: Value = None


class ConflictGone(LookupError):
    pass


NO_CONFLICT = "没有这条冲突记录，或它不在您的工作范围内。 / No such conflict in your scope."


def resolve_conflict(conn: Connection, caller: Caller, conflict_id: str, resolution: Resolution,
                     now: datetime, today: date) -> int:
    """Apply a resolution; returns the sequence of the resolved conflict. Raises ScopeError, ConflictGone, Rejected."""
    if not caller.reviews_conflicts:
        raise ScopeError("只有村文书和县管理员可以处理同步冲突。 / Only clerks and admins resolve conflicts.")
    rows = Rows(conn, now)
    rows.take_counter()
    merger = Merger(rows, caller, today, None if caller.role == "admin" and not caller.scope
                    else allowed_grid_ids(conn, caller))
    conflict = _conflict_in_scope(merger, conflict_id)
    c = conflict.values
    if c["status"] != OPEN:
        if c["resolved_by"] == caller.username and _same_resolution(c.get("resolution"), resolution):
            # The same clerk's same choice again: a retry after its answer was lost. It is done; nothing
            # is applied twice, and the answer is the one the first request would have had.
            return c["server_seq"]
        raise Rejected(f"这条冲突已由 {c['resolved_by']} 处理过。 / This conflict was already resolved by {c['resolved_by']}.")
    record = rows.get(c["entity"], c["row_id"])
    if record is None:
        raise ConflictGone(f"冲突所指的记录不存在（{c['row_id']}）。 / The record of this conflict is gone.")
    try:
        merger.check_scope(record.entity, record.values)
    except Rejected as exc:
        raise ScopeError(str(exc)) from None
    changes = _changes(record.entity, c, resolution)
    if changes:
        merged = {**record.values, **changes}
        if not merged.get("deleted"):
            merger.check_scope(record.entity, merged)
            merger.check_record(record.entity, merged)
        # Written by the server on the clerk's behalf, so that every device pulls it, the clerk's own too.
        left_grid = record.values.get("grid_id")
        rows.change(record, changes, caller.username, RESOLVED_BY_SERVER, merger.household_of(record.entity, merged))
        if record.entity == "household" and "grid_id" in changes:
            merger.resend_household(record.id)
            merger.note_departure(record.id, left_grid, changes["grid_id"])
    seq = rows.change(conflict, {"status": RESOLVED, "resolved_by": caller.username, "resolved_at": now,
                                 "resolution": json.dumps(resolution.model_dump(), ensure_ascii=False)},
                      caller.username, RESOLVED_BY_SERVER)
    rows.flush()
    return seq


def _same_resolution(stored: str | None, resolution: Resolution) -> bool:
    try:
        return json.loads(stored or "null") == json.loads(json.dumps(resolution.model_dump(), ensure_ascii=False))
    except ValueError:
        return False


def _conflict_in_scope(merger: Merger, conflict_id: str) -> Record:
    """The conflict, when it exists and its household is in the caller's scope; else one answer for
    both, which says nothing of a conflict (its record, its resolver) outside the scope."""
    conflict = merger.rows.get("conflict", conflict_id)
    if conflict is None or conflict.deleted:
        raise ConflictGone(NO_CONFLICT)
    try:
        merger.check_scope("conflict", conflict.values)  # by the household it belongs to
    except Rejected:
        raise ConflictGone(NO_CONFLICT) from None
    return conflict


def _changes(entity: str, c: dict[str, Any], resolution: Resolution) -> dict[str, Any]:
    """The fields of the record that the resolution changes."""
    if resolution.choice == "server":
        return {}
    kind = c["kind"]
    if kind == DELETE_MET_EDIT:
        if resolution.choice == "value":
            raise Rejected("删除冲突只能选择保留或删除。 / A delete conflict is settled by keeping or deleting.")
        return {"deleted": True}
    if kind == EDIT_MET_DELETE:
        if resolution.choice == "value":
            raise Rejected("删除冲突只能选择保留删除或恢复。 / A delete conflict is settled by keeping or restoring.")
        fields = json.loads(c["client_value"])
        # A record added under a household deleted meanwhile keeps {its entity: its fields} here:
        # restoring the household restores just the household (the record itself was kept).
        under = isinstance(fields, dict) and fields and all(k in SYNCED_ENTITIES and k != entity for k in fields)
        own = fields if isinstance(fields, dict) and not under else {}
        values, problems = normalize(SYNCED_ENTITIES[entity], own)
        _reject_if(entity, problems)
        return {**values, "deleted": False}
    raw = json.loads(c["client_value"]) if resolution.choice == "client" else resolution.value
    values, problems = normalize(SYNCED_ENTITIES[entity], {c["field"]: raw})
    _reject_if(entity, problems)
    return values
