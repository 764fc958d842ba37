"""The laptop's side of a push that needs no network: the next batch of the outbox, frozen until
the server has answered it, and the answer recorded (docs/protocol.md, "Push").

A batch is frozen before it is sent: its id and the outbox entries in it are kept in the profile,
so after a lost answer, a crash or a killed server the very same batch (same ops, same ids) is
sent again and the server answers it from what it stored. The entries leave the outbox, and the
frozen batch is cleared, in one transaction when the answer arrives.

Behind the frozen batch other frozen batches may wait, in the order they go: those an offline
bundle carried (sent later under their own ids), and the one a push makes ready while the batch
before it is on its way (`following_batch`). A batch is sent only once the one before it is
answered, so the server always takes them in order; after a crash they go again in that order.

A batch a push froze to send, or an offline bundle carried, may be at the server, or on its way to
it, whatever the laptop heard: a push cut off by a cancel, a Ctrl+C or a lost answer leaves its
request to end on its own. Until the server answers it, such a batch stands for exactly its ops
under its id: it is never cut into new batches (split_batches) nor trimmed (unfreeze), else a copy
landing late would apply its ops a second time under other ids, or apply a change given up.
"""
from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.among import JSON_VALUES, among, json_values
from core.errors import ChangesOnTheirWay
from core.models import Conflict, OutboxEntry, ProfileMeta
from core.models.conflict import OPEN
from core.store.held import forget_pushed_entries
from core.store.journal import Actor, append_audit
from core.store.rejections import keep_rejections

FROZEN_BATCH = "sync_frozen_batch"
# The frozen batches waiting behind the first, in sending order (the key's name is from when only
# an offline bundle froze them; profiles hold it under that name).
QUEUED = "sync_bundled_batches"
BUNDLED = "bundled"  # a frozen batch's mark: an offline bundle carried it (its id stands for these ops for good)
# A frozen batch's mark: split_batches made it and no push has sent it yet. Every other frozen batch
# was frozen to be sent at once, or carried by a bundle, so a copy of it may be at the server or on its
# way (_reached); so were those of a profile from before the mark.
UNSENT = "unsent"
# Read as SQLite holds them: `fields` as its JSON text (decoded for a whole batch in one call), `at`
# as its text (build_ops parses one per op, not one per save).
_SELECT = "SELECT seq, entity, row_id, kind, fields, base_seq, at FROM outbox"
# The most a batch's entries hold in their fields' JSON text, as the profile stores it (Chinese
# escaped as \uXXXX: six bytes for the wire's three). The request must stay under the server's body
# limit (sync.protocol.MAX_BODY_BYTES, 4 MB), which a batch of 500 households with long notes passed.
# On the wire a value is no longer than its stored text, the field's base beside it (its name and a
# number) at most 8 bytes longer, and an op adds its ids and clock (about 300 bytes): for 2,500 ops
# of 40 fields, at most 1 + 1.8 + 0.75 MB. The members and households the sync bench makes: 2,500
# ops of 0.6 MB of text are 1.3 MB on the wire.
BATCH_TEXT_BYTES = 1_000_000


def next_batch(session: Session, max_rows: int) -> tuple[str, list[dict[str, Any]]]:
    """The frozen batch if one is waiting, else the first one queued behind it, else a new one of the
    oldest entries of at most `max_rows` records (entries of those records made later go in a later
    batch). ('', []) when all is sent."""
    conn = session.connection()
    frozen = session.get(ProfileMeta, FROZEN_BATCH)
    if frozen is not None:
        raw = json.loads(frozen.value)
        entries = _entries_of(conn, raw["seqs"])
        if entries:
            if raw.get(UNSENT):
                frozen.value = json.dumps(_sent(raw))
            return raw["batch_id"], entries
        session.delete(frozen)  # answered and forgotten already; nothing left of it
    queued = _queued(session)
    while queued:  # a batch frozen behind it goes to the server as it is, under its own id
        first = queued.pop(0)
        _keep_queued(session, queued)
        entries = _entries_of(conn, first["seqs"])
        if entries:
            session.merge(ProfileMeta(key=FROZEN_BATCH, value=json.dumps(_sent(first))))
            return first["batch_id"], entries
    return _new_batch(session, max_rows, held=set(), queued=False)


def following_batch(session: Session, after: str, max_rows: int) -> tuple[str, list[dict[str, Any]]]:
    """The batch that goes once `after` (on its way to the server) is answered, frozen now: the first
    frozen batch behind it that still has entries, else a new one of the oldest entries no frozen
    batch holds, queued behind the others. ('', []) when there is nothing more to send."""
    conn = session.connection()
    batches = _waiting(session)
    ids = [b["batch_id"] for b in batches]
    for batch in batches[ids.index(after) + 1:] if after in ids else batches:
        entries = _entries_of(conn, batch["seqs"])
        if entries:
            if batch.get(UNSENT):
                _keep_waiting(session, [_sent(b) if b is batch else b for b in batches])
            return batch["batch_id"], entries
    return _new_batch(session, max_rows, held={seq for b in batches for seq in b["seqs"]}, queued=True)


def _new_batch(session: Session, max_rows: int, held: set[int], queued: bool) -> tuple[str, list[dict[str, Any]]]:
    """A new batch of the oldest entries not `held` by another batch, of at most `max_rows` records,
    frozen as the batch that goes next, or `queued` behind the others."""
    filling = _Filling(max_rows)
    sql, params = f"{_SELECT} ORDER BY seq", ()
    if held:  # passed over by SQLite, not read out: a push of 1,000 edits read them all to find none free
        sql, params = f"{_SELECT} WHERE seq NOT IN {JSON_VALUES.format(param='?')} ORDER BY seq", (json_values(held),)
    for e in session.connection().exec_driver_sql(sql, params).yield_per(500):
        if not filling.take(e):
            break
    entries = _decoded(filling.rows)
    if not entries:
        return "", []
    batch = {"batch_id": f"b-{uuid.uuid4()}", "seqs": [e["seq"] for e in entries]}
    if queued:
        _keep_queued(session, _queued(session) + [batch])
    else:
        session.merge(ProfileMeta(key=FROZEN_BATCH, value=json.dumps(batch)))
    return batch["batch_id"], entries


def _waiting(session: Session) -> list[dict[str, Any]]:
    """Every frozen batch not yet answered ({batch_id, seqs}), in the order they go."""
    frozen = session.get(ProfileMeta, FROZEN_BATCH)
    return ([json.loads(frozen.value)] if frozen is not None else []) + _queued(session)


def _queued(session: Session) -> list[dict[str, Any]]:
    kept = session.get(ProfileMeta, QUEUED)
    return json.loads(kept.value) if kept else []


def _keep_queued(session: Session, batches: list[dict[str, Any]]) -> None:
    session.merge(ProfileMeta(key=QUEUED, value=json.dumps(batches)))


def freeze_for_bundle(session: Session, max_rows: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every entry of the outbox in batches frozen for an offline bundle: the batches frozen already
    (for a push, or by an earlier bundle: the same ids, as the server answers a batch once), then new
    batches of the entries no batch holds yet. A later push sends the same batches.

    A batch goes in the bundle whole: a push sent it (a copy may be on its way) or a bundle carried it,
    and its id must stand for the same ops (split_batches); the server takes a bundle's batch of up to
    MAX_OPS_PER_BATCH ops, whatever its push limits. Only a batch cut after a refusal and not sent
    since goes cut to `max_rows` records. Every batch the bundle carries is marked `bundled`: its id
    may reach the server both ways."""
    conn = session.connection()
    split_batches(session, max_rows, after_refusal=False)
    waiting = []
    out, held = [], set()
    for batch in _waiting(session):
        entries = _entries_of(conn, batch["seqs"])
        if entries:
            out.append((batch["batch_id"], entries))
            held |= {e["seq"] for e in entries}
        waiting.append({**_sent(batch), BUNDLED: True})
    free = [e for e in conn.exec_driver_sql(f"{_SELECT} ORDER BY seq").all() if e[0] not in held]
    new = [{"batch_id": f"b-{uuid.uuid4()}", "entries": _decoded(part)} for part in _in_batches(free, max_rows)]
    waiting += [{"batch_id": b["batch_id"], "seqs": [e["seq"] for e in b["entries"]], BUNDLED: True} for b in new]
    _keep_waiting(session, waiting)
    return out + [(b["batch_id"], b["entries"]) for b in new]


class _Filling:
    """A batch being filled with outbox rows in order: at most `max_rows` records, and no more than
    BATCH_TEXT_BYTES of fields unless it holds a single entry (a record's entries may go on in the
    next batch, in order, as they may at the record limit)."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.rows: list = []
        self._records: set[tuple[str, str]] = set()
        self._text = 0

    def take(self, row) -> bool:  # noqa: ANN001 - a row of _SELECT
        """Takes `row` (True), or says the batch is full without it (False)."""
        key = (row[1], row[2])
        new_record = key not in self._records
        if self.rows and ((new_record and len(self._records) >= self.max_rows)
                          or self._text + len(row[4]) > BATCH_TEXT_BYTES):
            return False
        if new_record:
            self._records.add(key)
        self._text += len(row[4])
        self.rows.append(row)
        return True


def _in_batches(rows: list, max_rows: int) -> list[list]:  # noqa: ANN001 - rows of _SELECT
    """`rows` in order, cut into batches as _Filling fills them."""
    parts: list[list] = []
    batch = _Filling(max_rows)
    for row in rows:
        if not batch.take(row):
            parts.append(batch.rows)
            batch = _Filling(max_rows)
            batch.take(row)
    if batch.rows:
        parts.append(batch.rows)
    return parts


def split_batches(session: Session, max_rows: int, after_refusal: bool = True) -> int:
    """The frozen batches cut in place into batches within `max_rows` records and BATCH_TEXT_BYTES of
    text, under new ids, in the same order, the batches before and after them untouched: the server
    takes less than when they were frozen. Cut are the batches of more than `max_rows` records no push
    has sent (below), and, `after_refusal` (the server has just refused the batch that goes next for
    its size), that one, by records and by text (a batch frozen before batches had a text limit).

    A batch that may have reached the server is never cut (_reached): a copy of it landing late would
    apply its ops again under the new ids. The one exception is the batch the server has just refused:
    that copy was not applied, and one sent before it reached the same server's limit.

    A batch answered by a server that took it before its limit fell, whose answer was lost, has its ops
    applied again under new ids: the server finds this device's own values there and answers them
    unchanged. Returns how many batches were cut."""
    conn = session.connection()
    waiting, cut, first = [], 0, True
    for batch in _waiting(session):
        rows = [] if batch.get(BUNDLED) else _raw_entries_of(conn, batch["seqs"])
        refused = after_refusal and first  # the one that goes next (the first with entries) was refused
        first = first and not rows and not batch.get(BUNDLED)
        cut_it = refused or (not _reached(batch) and _records(rows) > max_rows)
        parts = _in_batches(rows, max_rows) if cut_it else [rows]
        if len(parts) <= 1:
            waiting.append(batch)
            continue
        cut += 1
        waiting += [{"batch_id": f"b-{uuid.uuid4()}", "seqs": [r[0] for r in part], UNSENT: True} for part in parts]
    if cut:
        _keep_waiting(session, waiting)
    return cut


def _reached(batch: dict[str, Any]) -> bool:
    """A copy of `batch` may be at the server or on its way to it (a push sent it, a bundle carried it):
    until the server answers it, its id stands for exactly its ops."""
    return bool(batch.get(BUNDLED) or not batch.get(UNSENT))


def _sent(batch: dict[str, Any]) -> dict[str, Any]:
    """`batch` handed to a push, which sends it at once: without the UNSENT mark."""
    return {k: v for k, v in batch.items() if k != UNSENT}


def _records(rows: list) -> int:  # noqa: ANN001 - rows of _SELECT
    return len({(r[1], r[2]) for r in rows})


def _keep_waiting(session: Session, waiting: list[dict[str, Any]]) -> None:
    """The frozen batches, in the order they go: the first as the one that goes next, the rest queued."""
    if waiting:
        session.merge(ProfileMeta(key=FROZEN_BATCH, value=json.dumps(waiting[0])))
    _keep_queued(session, waiting[1:])


def unfreeze(session: Session, seqs: list[int]) -> None:
    """Outbox entries taken out other than by an answer (a refused change given up) leave the frozen
    batches too. SQLite gives an entry's number to the next entry once it is the highest, and a later
    save must never join a batch frozen before it: if that batch had reached the server, the save
    would be answered as already applied, and lost.

    Raises ChangesOnTheirWay, changing nothing, when an entry is in a batch that may have reached the
    server (_reached): a copy of it landing later would still apply the change given up."""
    gone = set(seqs)
    if not gone:
        return
    waiting = _waiting(session)
    if any(_reached(b) and not gone.isdisjoint(b["seqs"]) for b in waiting):
        raise ChangesOnTheirWay()
    if waiting:
        _keep_waiting(session, [{**b, "seqs": [seq for seq in b["seqs"] if seq not in gone]} for b in waiting])


def frozen_entries(session: Session, batch_id: str) -> list[dict[str, Any]]:
    """The entries still waiting of a batch frozen for a push or a bundle ([] once answered)."""
    batch = next((b for b in _waiting(session) if b["batch_id"] == batch_id), None)
    if batch is None:
        return []
    return _entries_of(session.connection(), batch["seqs"])


def _entries_of(conn, seqs: list[int]) -> list[dict[str, Any]]:  # noqa: ANN001
    """The entries still in the outbox of those numbered `seqs`, in order."""
    return _decoded(_raw_entries_of(conn, seqs))


def _raw_entries_of(conn, seqs: list[int]) -> list:  # noqa: ANN001
    """_entries_of as SQLite holds them (rows of _SELECT)."""
    return conn.exec_driver_sql(f"{_SELECT} WHERE seq IN {JSON_VALUES.format(param='?')} ORDER BY seq",
                                (json_values(seqs),)).all()


def _decoded(rows: list) -> list[dict[str, Any]]:  # noqa: ANN001 - rows of _SELECT
    """Entries as dicts, their fields decoded in one call for the whole batch (one json.loads per
    entry cost more than the rest of a batch's reading)."""
    decoded = json.loads("[" + ",".join(r[4] for r in rows) + "]")
    return [{"seq": r[0], "entity": r[1], "row_id": r[2], "kind": r[3], "fields": fields, "base_seq": r[5],
             "at": r[6]} for r, fields in zip(rows, decoded)]


def finish_batch(session: Session, actor: Actor, batch_id: str, seqs: list[int], counts: dict[str, int],
                 rejections: list[dict[str, Any]]) -> None:
    """The server answered: the batch's entries leave the outbox (and the pulled copies held for
    their records lose what was pushed), and rejections are kept to show. A batch no longer frozen
    was answered already (by a push, or by a bundle's reply read meanwhile): nothing is done again,
    as its entries' numbers may have gone to new entries since."""
    frozen = session.get(ProfileMeta, FROZEN_BATCH)
    queued = _queued(session)
    is_frozen = frozen is not None and json.loads(frozen.value)["batch_id"] == batch_id
    if not is_frozen and not any(b["batch_id"] == batch_id for b in queued):
        return
    forget_pushed_entries(session, among(OutboxEntry.seq, seqs))
    # No OutboxEntry is held in the session: SQLAlchemy need not fetch the deleted rows to forget them.
    session.execute(delete(OutboxEntry).where(among(OutboxEntry.seq, seqs))
                    .execution_options(synchronize_session=False))
    if is_frozen:
        session.delete(frozen)
    else:
        _keep_queued(session, [b for b in queued if b["batch_id"] != batch_id])
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
