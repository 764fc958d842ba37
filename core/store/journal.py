"""Change capture and the audit log, written in the same transaction as each save.

Every save of a record adds one outbox entry holding the fields it changed, with the server sequence
the save was based on (docs/protocol.md, "Ops"), and one hash-chained audit line. Nothing above the store sees it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.store.facts import touch
from core.store.rejections import take_rejection
from core.models import AuditEntry, OutboxEntry, Synced, new_id, utc_now
from core.validation import Problem, raise_if_errors
from core.wire_values import same_value, to_wire

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who is making changes on this device."""

    username: str
    device_id: str


def _audit_digest(prev_hash: str, seq: int, at: datetime, actor: str, device_id: str,
                  action: str, entity: str, row_id: str, detail: str) -> str:
    payload = json.dumps([prev_hash, seq, at.isoformat(), actor, device_id, action, entity, row_id, detail],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_HEAD = select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)  # the newest line
_CHAIN_HEAD = "audit_chain_head"  # Session.info: (transaction, seq, hash) of the last line it added


def append_audit(session: Session, actor: Actor, action: str, entity: str, row_id: str, detail: str = "") -> None:
    """Append one line to the hash chain. The caller's transaction is a writer (BEGIN IMMEDIATE), so
    no one else adds a line before it commits: the head is read once per transaction, and the lines
    are written with the rest at its flush (a save of a household of four: one INSERT, not four)."""
    transaction = session.get_transaction()
    kept = session.info.get(_CHAIN_HEAD)
    if kept is not None and kept[0] is transaction:
        head = kept[1:]
    else:  # what the session holds unwritten is no line of the log: no need to flush it first (Core)
        head = session.connection().execute(_HEAD).first()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    at = utc_now()
    digest = _audit_digest(prev_hash, seq, at, actor.username, actor.device_id, action, entity, row_id, detail)
    session.add(AuditEntry(seq=seq, at=at, actor=actor.username, device_id=actor.device_id, action=action,
                           entity=entity, row_id=row_id, detail=detail, prev_hash=prev_hash, hash=digest))
    session.info[_CHAIN_HEAD] = (transaction, seq, digest)


def verify_audit_chain(session: Session) -> int | None:
    """The sequence number of the first audit line that was altered, removed or reordered; None if intact."""
    prev_hash, expected_seq = GENESIS_HASH, 1
    for e in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        digest = _audit_digest(prev_hash, e.seq, e.at, e.actor, e.device_id, e.action, e.entity, e.row_id, e.detail)
        if e.seq != expected_seq or e.prev_hash != prev_hash or e.hash != digest:
            return e.seq
        prev_hash, expected_seq = e.hash, e.seq + 1
    return None


# The anchor of this log on the county server (sync.server.audit): the position the server last
# acknowledged, and whether the server found the log cut or rewritten ("1") or not ("").
SERVER_ANCHOR_META = "audit_server_anchor"
SERVER_FLAG_META = "audit_flagged_by_server"


def audit_head(session: Session) -> tuple[int, str]:
    """The newest line's position and hash; (0, GENESIS_HASH) for a log with no line yet."""
    last = session.execute(_HEAD).first()
    return (last[0], last[1]) if last else (0, GENESIS_HASH)


def audit_hash_at(session: Session, seq: int) -> str | None:
    """The hash of the line at `seq` (GENESIS_HASH at 0); None when there is no such line."""
    if seq == 0:
        return GENESIS_HASH
    return session.execute(select(AuditEntry.hash).where(AuditEntry.seq == seq)).scalar_one_or_none()


STALE_FIELD = "server_seq"  # the field of the problem "changed by a sync since the form opened"


def stale_or_deleted(row: Synced, data: dict) -> list[Problem]:
    """A form may only save over the version it was opened on, and never over a deleted record."""
    if row.deleted:
        return [Problem("id", "这条记录已被删除，不能再保存；如需恢复请联系村文书。",
                        "This record was deleted and cannot be saved; ask the village clerk to restore it.")]
    opened_on = data.get("server_seq")
    if opened_on is not None and opened_on != row.server_seq:
        return [Problem(STALE_FIELD, "这条记录在您打开之后已被同步更新。为免覆盖别人的修改，请核对后再保存。",
                        "This record was updated by a sync after you opened it; check it and save again.")]
    return []


def _or_default(model: type[Synced], field: str, value: object) -> object:
    """An empty value of a column that cannot be empty (a yes/no box left blank) takes its default."""
    if value is not None:
        return value
    column = model.__table__.columns[field]  # type: ignore[attr-defined]
    if column.nullable or column.default is None or not column.default.is_scalar:
        return value
    return column.default.arg


_LOOK_UP = object()  # record_upsert's `row` when the caller has not looked the row up


def record_upsert(session: Session, actor: Actor, model: type[Synced], data: dict,
                  row: Synced | None | object = _LOOK_UP) -> tuple[Synced, list[str]]:
    """Create or update one row from `data` (must hold 'id' for an update); returns the row and changed fields.

    A new row records every field it was given; an existing one only the fields whose value differs.
    `row`: the stored row of data's id, or None when there is none, if the caller has read them
    already (a household's save reads all its members in one query); else it is looked up here.
    """
    row_id = data.get("id")
    if row is _LOOK_UP:
        row = session.get(model, row_id) if row_id else None
    if row is not None:
        raise_if_errors(stale_or_deleted(row, data))
    created = row is None
    left = getattr(row, "household_id", None)  # a record moved to another household changes both
    if row is None:
        row = model(id=row_id or new_id(), created_by=actor.username, device_id=actor.device_id, deleted=False,
                    server_seq=0)
        session.add(row)
    fields = model.data_fields()
    changed = []
    for field in fields:
        if field not in data:
            continue
        value = _or_default(model, field, data[field])
        if created or not same_value(getattr(row, field), value):
            setattr(row, field, value)
            changed.append(field)
    if not created:
        with session.no_autoflush:  # the row's changes are written once, with its updated_at, at the flush
            refused = take_rejection(session, model.__tablename__, row.id)
        if refused:  # saved again after the server refused it: what was refused is sent again, as it is now
            changed += [f for f in refused.get("fields") or {} if f in fields and f not in changed]
        if not changed:
            return row, []
    # Not flushed here: a household and its members go to the database together at the caller's
    # flush (one INSERT per table), or at the next query that needs them (autoflush).
    row.updated_at = utc_now()
    _touch(session, row, left)
    session.add(OutboxEntry(entity=model.__tablename__, row_id=row.id, kind="upsert",
                            fields={field: to_wire(getattr(row, field)) for field in changed},
                            base_seq=row.server_seq, actor=actor.username))
    append_audit(session, actor, "create" if created else "update", model.__tablename__, row.id, ",".join(changed))
    return row, changed


def _touch(session: Session, row: Synced, *also: str | None) -> None:
    """The household a change of this row changes (and any other given: the one a record left)."""
    touch(session, row.id if row.__tablename__ == "household" else getattr(row, "household_id", None), *also)


def record_delete(session: Session, actor: Actor, row: Synced) -> None:
    """Soft-delete (tombstone) one row and queue the delete."""
    if row.deleted:
        return
    row.deleted = True
    row.updated_at = utc_now()
    _touch(session, row)
    session.add(OutboxEntry(entity=row.__tablename__, row_id=row.id, kind="delete", fields={},
                            base_seq=row.server_seq, actor=actor.username))
    append_audit(session, actor, "delete", row.__tablename__, row.id)


def record_access(session: Session, actor: Actor, entity: str, row_id: str, what: str) -> None:
    """Log that a person saw personal data (an ID number, a phone, health) in clear."""
    append_audit(session, actor, "reveal", entity, row_id, what)
