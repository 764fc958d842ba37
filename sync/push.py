"""The laptop's side of a push (docs/protocol.md, "Push"): every batch of the outbox, in order, each
frozen in the profile before it goes (core/store/push.py) and sent only once the one before it is
answered, so the server takes them as they were made.

The laptop does not wait on the server, nor the server on the laptop: a batch goes on a thread of
its own, and while it is on its way the next one is frozen and written out, and the answer to the
one before is recorded. A push cut off anywhere (a cancel, a crash, a lost answer) leaves every
batch not answered frozen, in order; the next push sends them again under the same ids, and the
server answers what it applied from what it stored.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime, timezone
from typing import TYPE_CHECKING, NamedTuple

from core.store import Store
from core.store.journal import SERVER_ANCHOR_META, SERVER_FLAG_META, audit_hash_at
from core.store.journal import audit_head as journal_head
from core.store.sync_state import settings
from sync.batch import OutboxItem, OutgoingOp, build_ops
from sync.beside import StopFlag, beside, when_done
from sync.errors import Cancelled, CancelFlag, SyncError
from sync.protocol import (
    MAX_OPS_PER_BATCH, OPS_EVERY_SERVER_TAKES, PROTOCOL_VERSION, AuditAnswer, AuditHead, PushResponse, batch_ops_of,
    encode_body,
)

if TYPE_CHECKING:
    from sync.client import CountyServer, Progress, SyncReport

PUSH_ROWS = MAX_OPS_PER_BATCH  # the most records a batch of this laptop holds, whatever the server takes
# The ops a batch may hold as the county server last said them (sync.protocol.BATCH_OPS_HEADER); none
# heard yet: OPS_EVERY_SERVER_TAKES.
BATCH_OPS_META = "sync_batch_ops"
# A push of more than one batch starts with a batch a third of the others' size, and of at least this
# many records: the server starts on it while the laptop makes the second ready, instead of waiting
# for a whole batch to be read, written out and gzipped (a batch of 2,500 records: 60 ms of a 1-second
# push, the server idle all along). A push of one batch is sent whole: cut in two, its second part
# would only wait for the first (every batch costs the server a transaction of its own).
FIRST_BATCH_LEAST = 500
# A push refused for its batch's size: for its ops by a server that says so ("batch_too_large"), for
# its bytes by any ("too_large", a batch frozen before batches had a text limit), or for its ops by a
# server from before the size was said, whose check answers as for any malformed request (and whose
# answers say no size: a server that says one and finds a batch malformed means it).
SIZE_REFUSALS = ("batch_too_large", "too_large")
log = logging.getLogger(__name__)


class Outgoing(NamedTuple):
    """A frozen batch made ready to send: its outbox entries, its ops, and its request body (the
    JSON and the gzipped bytes that go)."""

    batch_id: str
    entries: list[dict]
    ops: list[OutgoingOp]
    body: dict
    data: bytes

    @classmethod
    def of(cls, store: Store, server: CountyServer, batch_id: str, entries: list[dict]) -> Outgoing:
        ops = build_ops([OutboxItem(**e) for e in entries], store.info.device_id, batch_id)
        body = push_body(batch_id, store.info.device_id, server.schema, ops, audit_head(store))
        return cls(batch_id, entries, ops, body, encode_body(body))


def batch_rows_told(told: str | None) -> int:
    """The records a push batch holds, by what the server last said (`told`, BATCH_OPS_META's value)."""
    return max(1, min(PUSH_ROWS, batch_ops_of(told) or OPS_EVERY_SERVER_TAKES))


def push_in_batches_it_takes(store: Store, server: CountyServer, report: SyncReport, progress: Progress | None,
                             cancel: CancelFlag | None, pending: int, told: str | None,
                             last_answered: Callable[[], None] | None = None) -> bool:
    """push_outbox in batches of the size the server last said (`told`). A batch it refuses for its
    size (its limit was lowered, the server went back to a version from before batches of more than
    500, or a batch frozen before batches had a text limit is over the body limit) is cut in place, in
    order, into batches every server takes, that size is kept, and the push goes on; again at each
    refusal that leaves something to cut, and the refusal is raised once nothing is left to cut (an
    offline bundle's batch is never cut). `last_answered`: push_outbox's. Returns whether a batch was cut."""
    rows, cut = batch_rows_told(told), False
    while True:
        try:
            push_outbox(store, server, report, progress, cancel, batch_rows=rows, pending=None if cut else pending,
                        last_answered=last_answered)
            return cut
        except SyncError as exc:
            if not refused_for_size(exc, rows):
                raise
            rows = OPS_EVERY_SERVER_TAKES
            if not store.split_push_batches(rows, {BATCH_OPS_META: str(rows)}):
                raise
            log.warning("the county server refused a push batch for its size (%s): the batches not answered go "
                        "again, cut to at most %d records", exc.code, rows)
            cut = True


def first_batch_rows(batch_rows: int, pending: int) -> int:
    """The records of the first batch of a push of `pending` records whose other batches hold
    `batch_rows` (FIRST_BATCH_LEAST)."""
    if pending <= batch_rows:
        return batch_rows
    return min(batch_rows, max(FIRST_BATCH_LEAST, batch_rows // 3))


def refused_for_size(exc: SyncError, rows: int) -> bool:
    """The server refused a batch for its size (SIZE_REFUSALS); a server that says no size, a batch of
    more records than every server takes: the batch's own size (`exc.batch_records`), or, when it is
    not known, `rows`, the most a batch of the push held. (A batch frozen at the size heard before a
    first refusal is refused by such a server after it, when the push already cuts to 500.)"""
    if exc.code in SIZE_REFUSALS:
        return True
    records = exc.batch_records if exc.batch_records is not None else rows
    return exc.code == "invalid_request" and exc.batch_ops is None and records > OPS_EVERY_SERVER_TAKES


def push_outbox(store: Store, server: CountyServer, report: SyncReport, progress: Progress | None = None,
                cancel: CancelFlag | None = None, batch_rows: int | None = None, pending: int | None = None,
                last_answered: Callable[[], None] | None = None) -> None:
    """Every batch of the outbox, one after another, of at most `batch_rows` records (none: as many
    as the server last said it takes); `pending`: the records waiting, when the caller has just
    counted them (none: nothing is read or written). `last_answered` is called once the server has
    answered the last batch, before its answer is recorded (the pull after the push asks for its
    first page meanwhile)."""
    batch_rows = batch_rows or batch_rows_told(store.meta(BATCH_OPS_META))
    total = store.pending_change_count() if pending is None else pending
    if total == 0:  # an empty outbox holds no batch either: a frozen one is made of outbox entries
        return
    batch_id, entries = store.next_push_batch(first_batch_rows(batch_rows, total))
    if not entries:
        return
    if cancel:
        cancel.check()
    ahead = server.twin()  # the sending thread's own connections
    stop = StopFlag(cancel)  # the sending thread's cancel: the caller's, or this push ending
    on_way: Future[PushResponse] | None = None
    try:
        outgoing = Outgoing.of(store, server, batch_id, entries)
        on_way = beside("anju-push", ahead.send_push, outgoing.body, stop, outgoing.data)
        sent = 0
        while True:
            then, failed = _following(store, server, outgoing.batch_id, batch_rows)
            try:
                answer = _answer(on_way, failed, cancel)
            except SyncError as exc:
                exc.batch_records = len(outgoing.ops)  # what a refusal for its size is judged by
                raise
            on_way = None
            if then is not None and not (cancel and cancel.cancelled):
                on_way = beside("anju-push", ahead.send_push, then.body, stop, then.data)
            elif then is None and failed is None and last_answered is not None:
                last_answered()
            record_answer(store, outgoing.batch_id, outgoing.entries, outgoing.ops, answer, report,
                          audit_answer_meta(answer.audit))
            sent = min(total, sent + len(outgoing.ops))  # records, as the pending count counts them (a
            # record's entries may fall into two batches: it is counted once)
            if progress:
                progress("push", sent, total)
            if failed is not None:  # the next batch could not be made ready: the answer before it is kept
                raise failed
            if then is None:
                return
            if cancel:
                cancel.check()
            outgoing = then
    finally:
        _settle(on_way, stop, ahead)


def _following(store: Store, server: CountyServer, after: str,
               batch_rows: int) -> tuple[Outgoing | None, Exception | None]:
    """The batch after `after`, frozen and written out; or what stopped it (raised once the answer to
    `after` is recorded: a batch answered is never left unrecorded for the next one's sake)."""
    try:
        then_id, then_entries = store.freeze_following_batch(after, batch_rows)
        return (Outgoing.of(store, server, then_id, then_entries) if then_entries else None), None
    except Exception as exc:  # noqa: BLE001 - raised again by the caller
        return None, exc


def _answer(on_way: Future[PushResponse], failed: Exception | None, cancel: CancelFlag | None) -> PushResponse:
    """The answer to the batch on its way; a cancel meanwhile stops the wait at once (sync.beside.when_done).
    When the batch fails too, its error is the one raised, and the error that stopped the next batch is
    logged with its traceback first, not lost."""
    try:
        return when_done(on_way, cancel)
    except BaseException:
        if failed is not None:
            log.error("the next push batch could not be made ready", exc_info=failed)
        raise


def _settle(on_way: Future[PushResponse] | None, stop: StopFlag, ahead: CountyServer) -> None:
    """After a failure, a cancel or a Ctrl+C, the batch on its way: it stays frozen, and the next push
    sends it again under the same id. It is told to stop before any retry and left to end on its own
    thread, not waited for: on a bad line its answer can take the two-minute read timeout, and the app's
    Cancel and its closing waited so. Until it is answered the batch is never cut nor trimmed (a bundle
    carries it whole; a change in it is not given up: core/store/push.py), so whenever this copy lands,
    before the batch is sent again, meanwhile or after later batches, the copy that comes second finds
    every op answered, and the server applies nothing twice (docs/protocol.md); a push of the device
    meanwhile waits for it on the server, or is told the device is busy and tries again. Its connections
    are closed once it ends, and an error it ends with, but its cancel, is logged."""
    if on_way is None or on_way.done():  # its outcome was raised already, or is not needed
        ahead.close()
        return
    stop.cancel()

    def ended(done: Future[PushResponse]) -> None:
        ahead.close()
        error = done.exception()
        if error is not None and not isinstance(error, Cancelled):
            log.warning("a push batch left on its way when the push stopped ended with an error", exc_info=error)

    on_way.add_done_callback(ended)


def push_body(batch_id: str, device_id: str, schema: str, ops: list[OutgoingOp], audit: AuditHead) -> dict:
    """A PushRequest's JSON, written directly: the ops come from the profile's checked outbox as wire
    values (sync.batch), and a model of 500 ops to dump again cost a tenth of a push."""
    return {"batch_id": batch_id, "device_id": device_id, "protocol": PROTOCOL_VERSION, "schema": schema,
            "ops": [op._asdict() for op in ops], "audit": audit.model_dump(mode="json", by_alias=True)}


def record_answer(store: Store, batch_id: str, entries: list[dict], ops: list, answer: PushResponse,
                  report: SyncReport, settings: dict[str, str] | None = None) -> None:
    """The server's answer to a batch (by a push, or in an offline bundle's reply): its entries leave
    the outbox, what was refused is kept, and `settings` are written, in one transaction."""
    counts: dict[str, int] = {}
    rejected = []
    by_id = {op.op_id: op for op in ops}
    for result in answer.results:
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.status == "rejected" and result.op_id in by_id:
            op = by_id[result.op_id]
            rejected.append({"entity": op.entity, "row_id": op.row_id, "reason": result.reason,
                             "fields": op.fields, "at": datetime.now(timezone.utc).isoformat()})
    store.finish_push_batch(batch_id, [e["seq"] for e in entries], counts, rejected, settings)
    for status, n in counts.items():
        report.pushed[status] = report.pushed.get(status, 0) + n
    report.rejections += rejected


def audit_head(store: Store) -> AuditHead:
    """The head of this profile's audit log, and its hash at the position the server holds (see
    sync.server.audit), sent with every push so that lines removed from its end are noticed. A batch
    made ready while the one before is on its way names the position held before that one's answer:
    the server moves its anchor only on a head it can show extends it, and checks the next against it."""
    store.make_durable()  # a pulled page's line, committed without waiting for the disk, is on it before it goes
    with store.reading() as s:  # one read: the anchor and the log as they stood together
        anchor = settings(s, [SERVER_ANCHOR_META]).get(SERVER_ANCHOR_META)
        seq, digest = journal_head(s)
        anchor_seq = int(anchor) if anchor else None
        anchor_hash = audit_hash_at(s, anchor_seq) if anchor_seq is not None else None
    return AuditHead(seq=seq, hash=digest, anchor_seq=anchor_seq, anchor_hash=anchor_hash)


def audit_answer_meta(answer: AuditAnswer | None) -> dict[str, str]:
    """The settings that keep the position the server now holds of this profile's audit log, and
    whether it flagged the log (shown by `status`); written with the batch's answer. None from a
    server from before the audit anchor (and in a bundle's reply): nothing to keep."""
    if answer is None:
        return {}
    return {SERVER_ANCHOR_META: str(answer.seq), SERVER_FLAG_META: "1" if answer.flagged else ""}
