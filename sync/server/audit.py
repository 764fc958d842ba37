"""The anchor of each laptop's audit log (docs/protocol.md, "Audit").

A laptop's audit log is hash-chained, so a line changed or removed in the middle breaks the chain;
but its newest lines can be removed without a trace on the laptop itself. So every push carries
the chain's head (sync.protocol.AuditHead), and the server keeps, per device, an anchor: a head the
laptop reported and that was shown to extend the anchor before it. The answer to each push says
which position the server holds, and the next push sends the laptop's hash at that position.

The chain no longer extends the anchor (position S, hash H) when the laptop reports
- a head before S (lines were removed), or a head at S with another hash; or
- another hash than H at S (lines were removed and others written in their place).
Such a device is flagged: logged here, kept on the device row (`device list`, `device audit`), and
told in the push's answer, which the laptop shows in its `status`. The push itself is applied all
the same: losing a worker's records would be worse. The anchor then moves to the head reported, so
that what comes after is checked again; the flag stays until an admin clears it.

A push that cannot show it extends the anchor (it names another position, because the answer to
the push before was lost) leaves the anchor where it is; the next push is checked against it. A
replay, a push every op of which was applied before, is answered with the anchor as it is: a batch
sent again (after a lost answer, or one still on its way when its laptop stopped and synced anew)
may carry a head older than one a later push reported, which is no sign of lines removed.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Connection, bindparam, select, update

from sync.protocol import AuditAnswer, AuditHead
from sync.server.accounts import Caller
from sync.server.models import device

log = logging.getLogger(__name__)


# Read by every push, built once (building the statement cost as much as running it).
_ANCHOR = (select(device.c.audit_seq, device.c.audit_hash, device.c.audit_flagged_at)
           .where(device.c.device_id == bindparam("device")).with_for_update())


def check_audit_head(conn: Connection, caller: Caller, head: AuditHead | None, now: datetime,
                     moving: bool = True) -> tuple[AuditAnswer | None, str | None]:
    """Check a push's audit head against the device's anchor and move the anchor; returns the answer
    for the laptop and, when the chain was found cut or rewritten, why (for the caller to log).
    Not `moving` (a replay: every op of the push was applied before), the head is neither checked
    nor kept: a batch sent again may carry a head older than one a later push reported."""
    if head is None:
        return None, None  # a client from before the anchor
    row = conn.execute(_ANCHOR, {"device": caller.device_id}).one()
    if not moving and row.audit_seq is not None:
        return AuditAnswer(seq=row.audit_seq, flagged=row.audit_flagged_at is not None), None
    problem = broken_chain(row.audit_seq, row.audit_hash, head)
    values: dict = {}
    if problem is not None:
        values = {"audit_seq": head.seq, "audit_hash": head.hash, "audit_flagged_at": now, "audit_flag": problem}
    elif row.audit_seq is None or extends(row.audit_seq, row.audit_hash, head):
        values = {"audit_seq": head.seq, "audit_hash": head.hash}
    if values:
        conn.execute(update(device).where(device.c.device_id == caller.device_id).values(**values))
    anchor = values.get("audit_seq", row.audit_seq)
    flagged = problem is not None or row.audit_flagged_at is not None
    return AuditAnswer(seq=anchor, flagged=flagged), problem


def broken_chain(seq: int | None, digest: str | None, head: AuditHead) -> str | None:
    """Why the reported head does not extend the anchor (seq, digest); None when it does or cannot be told."""
    if seq is None:
        return None
    if head.seq < seq:
        return f"the log ends at line {head.seq}, before line {seq} it reported earlier"
    if head.seq == seq and head.hash != digest:
        return f"line {seq} is not the line it reported earlier"
    if head.anchor_seq == seq and head.anchor_hash != digest:
        return f"line {seq} is not the line it reported earlier (the lines after were rewritten)"
    return None


def extends(seq: int, digest: str, head: AuditHead) -> bool:
    """The head was shown to extend the anchor: it is the anchor, or holds the anchor's hash at its place."""
    return (head.seq == seq and head.hash == digest) or (head.anchor_seq == seq and head.anchor_hash == digest)


def log_broken(caller: Caller, problem: str) -> None:
    log.warning("audit log of device %s (user %s) no longer extends what it reported: %s; flagged "
                "(python -m sync.server device audit)", caller.device_id, caller.username, problem)


def clear_flag(conn: Connection, device_id: str) -> bool:
    """An admin has looked into a flagged device: the flag goes (the anchor stays)."""
    result = conn.execute(update(device).where(device.c.device_id == device_id, device.c.audit_flagged_at.isnot(None))
                          .values(audit_flagged_at=None, audit_flag=None))
    return result.rowcount > 0


def flagged_devices(conn: Connection) -> list[dict]:
    return [dict(r) for r in conn.execute(
        select(device.c.device_id, device.c.username, device.c.name, device.c.audit_flagged_at, device.c.audit_flag)
        .where(device.c.audit_flagged_at.isnot(None)).order_by(device.c.audit_flagged_at.desc())).mappings()]
