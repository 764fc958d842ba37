"""Turning the outbox (one entry per save of a record, core/store/journal.py) into push ops.

Entries of one row become one op: the last value of each field, with the base the first save of
that field started from (the server value the worker saw). A delete replaces everything before it.
Op ids are derived from the batch id and the row: a batch is frozen in the profile before it is sent
(core/store/push.py), so sending it again after a lost answer or a crash gives the same ids and the
server applies nothing twice, while every new batch, made with a new random id, gives new ones.
(Outbox sequence numbers are not used: SQLite hands them out again once the outbox is empty.)
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import NamedTuple

from sync.protocol import ROW_BASE, make_hlc

_OP_NAMESPACE = uuid.UUID("6f6a1f0e-3d0b-4c52-9a43-2f1f6b9f7c11")
_VERSION_5 = (0xF000 << 64 | 0xC000 << 48, 0x5000 << 64 | 0x8000 << 48)  # bits cleared, bits set


def op_id_of(name: str) -> str:
    """str(uuid.uuid5(_OP_NAMESPACE, name)), the same text made without a UUID object, in less than
    half the time (a push's thousand ops spent half their making in uuid5). It must stay the same
    text: a batch frozen before an upgrade is sent again after it with the same op ids."""
    digest = int.from_bytes(hashlib.sha1(_OP_NAMESPACE.bytes + name.encode()).digest()[:16], "big")
    h = "%032x" % (digest & ~_VERSION_5[0] | _VERSION_5[1])
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class OutboxItem(NamedTuple):
    """One outbox entry as the store hands it out (a tuple: a batch holds thousands)."""

    seq: int
    entity: str
    row_id: str
    kind: str            # "upsert" or "delete"
    fields: dict[str, object]  # the fields the save changed, as wire values ({} for a delete)
    base_seq: int
    at: datetime | str  # the store's text ('2026-11-30 08:01:02.345678') is parsed once per op


class OutgoingOp(NamedTuple):
    """An op as this laptop sends it, with the wire's names (sync.protocol.Op; `_asdict()` is its
    JSON). Built from the profile's own outbox, whose values the store has checked and holds as
    wire values: not checked again here (pydantic would cost more than the server's merge, and the
    server checks every op)."""

    op_id: str
    entity: str
    row_id: str
    kind: str                  # "upsert" or "delete"
    fields: dict[str, object]
    base: dict[str, int]
    hlc: str


def build_ops(entries: Iterable[OutboxItem], device_id: str, batch_id: str) -> list[OutgoingOp]:
    """One op per row, in the order the rows were first changed."""
    rows: dict[tuple[str, str], list[OutboxItem]] = {}
    for entry in sorted(entries, key=lambda e: e.seq):
        rows.setdefault((entry.entity, entry.row_id), []).append(entry)
    return [_op(items, device_id, batch_id) for items in rows.values()]


def _op(items: list[OutboxItem], device_id: str, batch_id: str) -> OutgoingOp:
    first, last = items[0], items[-1]
    op_id = op_id_of(f"{device_id}|{batch_id}|{first.entity}|{first.row_id}")
    at = last.at if isinstance(last.at, datetime) else datetime.fromisoformat(last.at)
    hlc = make_hlc(int(at.replace(tzinfo=timezone.utc).timestamp() * 1000), last.seq % 10_000, device_id)
    deletes = [i for i in items if i.kind == "delete"]
    if deletes:
        row_base = min(i.base_seq for i in items)
        return OutgoingOp(op_id, first.entity, first.row_id, "delete", {}, {ROW_BASE: row_base}, hlc)
    if len(items) == 1:  # the usual op: one save of the record since the last push
        fields, base = first.fields, dict.fromkeys(first.fields, first.base_seq)
    else:
        fields, base = _merged(items)
    return OutgoingOp(op_id, first.entity, first.row_id, "upsert", fields, base, hlc)


def _merged(items: list[OutboxItem]) -> tuple[dict[str, object], dict[str, int]]:
    """The last value of each field the saves changed, and the base of the first save of it."""
    fields: dict[str, object] = {}
    base: dict[str, int] = {}
    for item in items:
        fields.update(item.fields)
        for name in item.fields:
            base.setdefault(name, item.base_seq)  # the first save's base: what the worker saw
    return fields, base
