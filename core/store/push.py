"""The laptop's side of a push that needs no network: the next batch of the outbox, frozen until
the server has answered it, and the answer recorded (docs/protocol.md, "Push").

A batch is frozen before it is sent: its id and the outbox entries in it are kept in the profile,
so after a lost answer, a crash or a killed server the very same batch (same ops, same ids) is
sent again and the server answers it from what it stored. The entries leave the outbox, and the
frozen batch is cleared, in one transaction when the answer arrives.
"""
from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.among import JSON_VALUES, among, json_values
from core.models import Conflict, OutboxEntry, ProfileMeta
from core.models.conflict import OPEN
from core.store.held import forget_pushed_entries
from core.store.journal import Actor, append_audit
from core.store.rejections import keep_rejections

FROZEN_BATCH = "sync_frozen_batch"
BUNDLED = "sync_bundled_batches"  # batches frozen into an offline bundle, waiting for their answer
# Read as SQLite holds them: `fields` as its JSON text (decoded for a whole batch in one call), `at`
# as its text (build_ops parses one per op, not one per save).
_SELECT = "SELECT seq, entity, row_id, kind, fields, base_seq, at FROM outbox"


def next_batch(session: Session, max_rows: int) -> tuple[str, list[dict[str, Any]]]:
    """The frozen batch if one is waiting, else a new one of the oldest entries of at most `max_rows`
    records (entries of those records made later go in a later batch). ('', []) when all is sent."""
    conn = session.connection()
    frozen = session.get(ProfileMeta, FROZEN_BATCH)
    if frozen is not None:
        raw = json.loads(frozen.value)
        entries = _entries_of(conn, raw["seqs"])
        if entries:
            return raw["batch_id"], entries
        session.delete(frozen)  # answered and forgotten already; nothing left of it
    bundled = _bundled(session)
    while bundled:  # a batch that went into a bundle goes to the server as it is, under its own id
        first = bundled.pop(0)
        _keep_bundled(session, bundled)
        entries = _entries_of(conn, first["seqs"])
        if entries:
            session.merge(ProfileMeta(key=FROZEN_BATCH, value=json.dumps(first)))
            return first["batch_id"], entries
    rows: set[tuple[str, str]] = set()
    raw_entries = []
    for e in conn.exec_driver_sql(f"{_SELECT} ORDER BY seq").yield_per(500):
        key = (e[1], e[2])
        if key not in rows:
            if len(rows) >= max_rows:
                break
            rows.add(key)
        raw_entries.append(e)
    entries = _decoded(raw_entries)
    if not entries:
        return "", []
    batch_id = f"b-{uuid.uuid4()}"
    session.merge(ProfileMeta(key=FROZEN_BATCH, value=json.dumps(
        {"batch_id": batch_id, "seqs": [e["seq"] for e in entries]})))
    return batch_id, entries


def _bundled(session: Session) -> list[dict[str, Any]]:
    kept = session.get(ProfileMeta, BUNDLED)
    return json.loads(kept.value) if kept else []


def _keep_bundled(session: Session, batches: list[dict[str, Any]]) -> None:
    session.merge(ProfileMeta(key=BUNDLED, value=json.dumps(batches)))


def freeze_for_bundle(session: Session, max_rows: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every entry of the outbox in batches frozen for an offline bundle: the batch frozen for a push,
    those frozen by an earlier bundle (the same ids: the server answers a batch once), then new
    batches of the entries no batch holds yet. A later push sends the same batches."""
    conn = session.connection()
    frozen = session.get(ProfileMeta, FROZEN_BATCH)
    batches = ([json.loads(frozen.value)] if frozen is not None else []) + _bundled(session)
    out, held = [], set()
    for batch in batches:
        entries = _entries_of(conn, batch["seqs"])
        if entries:
            out.append((batch["batch_id"], entries))
            held |= {e["seq"] for e in entries}
    new: list[dict[str, Any]] = []
    rows: set[tuple[str, str]] = set()
    current: list[dict[str, Any]] = []
    for entry in _decoded(conn.exec_driver_sql(f"{_SELECT} ORDER BY seq").all()):
        if entry["seq"] in held:
            continue
        key = (entry["entity"], entry["row_id"])
        if key not in rows and len(rows) >= max_rows:
            new.append({"batch_id": f"b-{uuid.uuid4()}", "entries": current})
            rows, current = set(), []
        rows.add(key)
        current.append(entry)
    if current:
        new.append({"batch_id": f"b-{uuid.uuid4()}", "entries": current})
    if new:
        _keep_bundled(session, _bundled(session) + [{"batch_id": b["batch_id"], "seqs": [e["seq"] for e in b["entries"]]}
                                                    for b in new])
    return out + [(b["batch_id"], b["entries"]) for b in new]


def frozen_entries(session: Session, batch_id: str) -> list[dict[str, Any]]:
    """The entries still waiting of a batch frozen for a push or a bundle ([] once answered)."""
    frozen = session.get(ProfileMeta, FROZEN_BATCH)
    batches = ([json.loads(frozen.value)] if frozen is not None else []) + _bundled(session)
    batch = next((b for b in batches if b["batch_id"] == batch_id), None)
    if batch is None:
        return []
    return _entries_of(session.connection(), batch["seqs"])


def _entries_of(conn, seqs: list[int]) -> list[dict[str, Any]]:  # noqa: ANN001
    """The entries still in the outbox of those numbered `seqs`, in order."""
    found = conn.exec_driver_sql(f"{_SELECT} WHERE seq IN {JSON_VALUES.format(param='?')} ORDER BY seq",
                                 (json_values(seqs),)).all()
    return _decoded(found)


def _decoded(rows: list) -> list[dict[str, Any]]:  # noqa: ANN001 - rows of _SELECT
    """Entries as dicts, their fields decoded in one call for the whole batch (one json.loads per
    entry cost more than the rest of a batch's reading)."""
    decoded = json.loads("[" + ",".join(r[4] for r in rows) + "]")
    return [{"seq": r[0], "entity": r[1], "row_id": r[2], "kind": r[3], "fields": fields, "base_seq": r[5],
             "at": r[6]} for r, fields in zip(rows, decoded)]


def finish_batch(session: Session, actor: Actor, batch_id: str, seqs: list[int], counts: dict[str, int],
                 rejections: list[dict[str, Any]]) -> None:
    """The server answered: the batch's entries leave the outbox (and the pulled copies held for
    their records lose what was pushed), and rejections are kept to show."""
    forget_pushed_entries(session, among(OutboxEntry.seq, seqs))
    # No OutboxEntry is held in the session: SQLAlchemy need not fetch the deleted rows to forget them.
    session.execute(delete(OutboxEntry).where(among(OutboxEntry.seq, seqs))
                    .execution_options(synchronize_session=False))
    frozen = session.get(ProfileMeta, FROZEN_BATCH)
    if frozen is not None and json.loads(frozen.value)["batch_id"] == batch_id:
        session.delete(frozen)
    bundled = _bundled(session)
    if any(b["batch_id"] == batch_id for b in bundled):
        _keep_bundled(session, [b for b in bundled if b["batch_id"] != batch_id])
    if rejections:
        keep_rejections(session, rejections)
    append_audit(session, actor, "push", "sync", batch_id, json.dumps(counts, sort_keys=True))


def conflicts(session: Session, open_only: bool = False) -> list[dict[str, Any]]:
    """The sync conflicts this profile received (a clerk's review queue), oldest first."""
    stmt = select(Conflict).where(Conflict.deleted.is_(False)).order_by(Conflict.created_at, Conflict.id)
    if open_only:
        stmt = stmt.where(Conflict.status == OPEN)
    keys = ["id"] + Conflict.data_fields()
    return [{k: getattr(c, k) for k in keys} for c in session.execute(stmt).scalars()]
