"""The size of a push batch: the county server says how many ops a batch may hold (up to 2,500), and a
laptop sends batches of that size once it has heard it, of 500 before (what every server takes).
A server whose limit was lowered, or that went back to a version from before, refuses a bigger batch
as a whole: the laptop cuts its unanswered batches in order into batches of 500, and the sync goes on
with nothing lost or applied twice. A batch also stays under the server's body limit, however long
the texts in it: records with long notes go in more, smaller batches, and a batch frozen before
batches had a text limit is cut when the server refuses it. An offline bundle's batches keep their
ids for good: they may reach the server both ways."""
from __future__ import annotations

import ast
import itertools
import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

import core.store.push
from core.idcard import check_character
from core.models import new_id
from sync.bundles import export_bundle
from sync.protocol import BATCH_OPS_HEADER, MAX_OPS_PER_BATCH, OPS_EVERY_SERVER_TAKES
from sync.push import BATCH_OPS_META
from sync.server.demo import SETTLEMENT_ID
from sync.server.models import access_log, applied_op
from tests.sync.sync_helpers import GRID_W1, frozen_batches, run_sync, server_count, server_row

MEMBERS = 4
_people = itertools.count()


def resident_id() -> str:
    """A valid ID number not given before in this run (thousands of them: a day of birth each)."""
    n = next(_people)
    first17 = f"522601{date(1960, 1, 1) + timedelta(days=n):%Y%m%d}{n % 1000:03d}"
    return first17 + check_character(first17)


def households_of_four(store, count: int, tag: str, notes: str | None = None, members: int = MEMBERS) -> list[str]:  # noqa: ANN001
    """`count` households of four (or of `members`) made on the laptop: 5 records each."""
    ids = []
    for i in range(count):
        hid = new_id()
        store.save_household(
            {"id": hid, "household_no": f"{tag}-{i:04d}", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1,
             "building": "1", "unit": "1", "room": f"{i}", "notes": notes},
            [{"id": new_id(), "name": ("王建国", "李秀英", "王伟", "王芳")[k], "relation": ("head", "spouse", "son", "daughter")[k],
              "id_number": resident_id()} for k in range(members)])
        ids.append(hid)
    return ids


def pushed_batches(county, device_id: str) -> list[int]:  # noqa: ANN001
    """The ops of each push the server took from the device, in order (its access log's lines)."""
    with county.engine.connect() as conn:
        details = conn.execute(select(access_log.c.detail).where(
            access_log.c.action == "push", access_log.c.device_id == device_id).order_by(access_log.c.id)).scalars()
        return [sum(ast.literal_eval(d.split(": ", 1)[1]).values()) for d in details]


def test_a_laptop_sends_batches_of_the_size_the_server_said_after_hearing_it(county, enrol):
    w1 = enrol("w1")
    assert w1.meta(BATCH_OPS_META) == str(MAX_OPS_PER_BATCH), "the enrolment's first sync heard the server"
    w1.set_meta(BATCH_OPS_META, "")  # as a laptop updated from a version before it: nothing heard yet
    households_of_four(w1, 300, "A")  # 1,500 records

    run_sync(w1)
    assert pushed_batches(county, w1.info.device_id) == [500, 500, 500], "what every server takes, at first"
    assert w1.meta(BATCH_OPS_META) == str(MAX_OPS_PER_BATCH)

    households_of_four(w1, 300, "B")
    run_sync(w1)
    assert pushed_batches(county, w1.info.device_id)[3:] == [1500], "the size the server said, once heard"
    assert server_count(county, "member") >= 600 * MEMBERS and w1.pending_change_count() == 0


def refusals(caplog) -> int:  # noqa: ANN001
    """The pushes the server refused for their size, as the laptop's log says them."""
    return sum("refused a push batch for its size" in r.getMessage() for r in caplog.records)


def test_a_server_that_takes_fewer_now_gets_every_record_once(county, enrol, caplog):
    caplog.set_level(logging.WARNING, logger="sync.push")
    w1 = enrol("w1")
    made = households_of_four(w1, 600, "C")  # 3,000 records: two batches frozen at the size heard
    county.stop()
    county.batch_ops = OPS_EVERY_SERVER_TAKES  # the admin lowered it (or went back to a server from before)
    county.start_in_thread()

    report = run_sync(w1)

    # The push's first batch (a third of the 2,500 heard: sync.push.first_batch_rows) and the one frozen
    # behind it are each cut, at its own refusal, into batches the server takes (a batch frozen behind
    # the one refused may have been sent: it is cut only once refused itself, docs/protocol.md)
    assert pushed_batches(county, w1.info.device_id) == [500, 333, 500, 500, 500, 500, 167]
    assert report.pushed == {"applied": 3000} and not report.rejections
    assert w1.pending_change_count() == 0
    assert all(server_row(county, "household", hid)["household_no"] == f"C-{i:04d}" for i, hid in enumerate(made))
    assert w1.meta(BATCH_OPS_META) == str(OPS_EVERY_SERVER_TAKES), "the lower limit is what the laptop holds now"
    assert refusals(caplog) == 2

    households_of_four(w1, 120, "D")
    run_sync(w1)
    assert pushed_batches(county, w1.info.device_id)[7:] == [500, 100]
    assert refusals(caplog) == 2, "no refusal first: the lower limit was kept"


class FromBefore:
    """Put around the county server's app, its limit lowered to 500: it plays a server from before
    batches of more than 500, whose answers do not say the size and which refuses a bigger batch as a
    malformed request (422 invalid_request)."""

    def __call__(self, app):  # noqa: ANN001, ANN204 - an ASGI app around another
        async def before(scope, receive, send) -> None:  # noqa: ANN001
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            start: dict = {}

            async def sending(message: dict) -> None:
                if message["type"] == "http.response.start":
                    start.update(message)
                    return
                body = message.get("body", b"")
                headers = [(k, v) for k, v in start["headers"] if k.decode("latin-1").lower() != BATCH_OPS_HEADER.lower()]
                if b'"batch_too_large"' in body:
                    body = body.replace(b'"batch_too_large"', b'"invalid_request"')
                    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                if start:
                    await send({**start, "headers": headers})
                    start.clear()
                await send({**message, "body": body})
            await app(scope, receive, sending)
        return before


def test_a_server_gone_back_to_batches_of_500_gets_every_record_once(county, enrol, caplog):
    """The push's first batch (833 records) and the one frozen behind it (1,767) are each refused as
    malformed by a server from before batches of more than 500, which says no size: each is cut at its
    refusal, judged by its own size, and the sync goes on."""
    caplog.set_level(logging.WARNING, logger="sync.push")
    w1 = enrol("w1")
    households_of_four(w1, 520, "G")  # 2,600 records
    county.stop()
    county.batch_ops, county.wrap = OPS_EVERY_SERVER_TAKES, FromBefore()
    county.start_in_thread()

    report = run_sync(w1)

    assert report.pushed == {"applied": 2600} and not report.rejections
    assert w1.pending_change_count() == 0 and refusals(caplog) == 2
    assert max(pushed_batches(county, w1.info.device_id)) == OPS_EVERY_SERVER_TAKES
    assert w1.meta(BATCH_OPS_META) == str(OPS_EVERY_SERVER_TAKES)


def test_records_with_long_notes_go_in_batches_under_the_body_limit(county, enrol):
    w1 = enrol("w1")
    notes = "走访记录：" + "家庭情况稳定，务工收入正常。" * 640  # 8,965 characters, 27 KB as the wire sends it
    made = households_of_four(w1, 160, "N", notes=notes)  # 4.3 MB of notes: over the 4 MB a request may hold

    report = run_sync(w1)

    assert not report.rejections and w1.pending_change_count() == 0
    batches = pushed_batches(county, w1.info.device_id)
    assert sum(batches) == 160 * (1 + MEMBERS) and len(batches) > 1
    assert server_row(county, "household", made[-1])["notes"] == notes


def test_a_batch_frozen_over_the_body_limit_before_the_text_limit_is_cut_and_goes(county, enrol, monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="sync.push")
    w1 = enrol("w1")
    notes = "走访记录：" + "家庭情况稳定，务工收入正常。" * 640
    made = households_of_four(w1, 250, "F", notes=notes, members=1)
    with monkeypatch.context() as m:  # frozen as the version before the text limit froze it: 500 records, 6.7 MB
        m.setattr(core.store.push, "BATCH_TEXT_BYTES", 10**12)
        w1.next_push_batch(OPS_EVERY_SERVER_TAKES)

    report = run_sync(w1)

    assert refusals(caplog) == 1, "the server refused it as too large once"
    assert not report.rejections and w1.pending_change_count() == 0
    assert sum(pushed_batches(county, w1.info.device_id)) == 250 * 2
    assert server_row(county, "household", made[0])["notes"] == notes


def test_a_bundle_carries_a_pushed_batch_whole_and_the_rest_in_batches_every_server_takes(county, enrol, tmp_path):
    """A push cut off leaves its batch frozen, and a copy of it may still reach the server: a bundle
    carries it whole, under its id (the server that said its size takes it), and the entries no batch
    holds yet in new batches of 400, which every server takes. None is cut after, and the clerk's
    forward applies every op once."""
    from sync.bundles import import_bundle

    w1, clerk = enrol("w1"), enrol("c1")
    households_of_four(w1, 400, "G")  # 2,000 records
    big_id, big = w1.next_push_batch(MAX_OPS_PER_BATCH)  # a push cut off: one batch of 2,000 frozen
    assert len(big) == 2000
    households_of_four(w1, 100, "H")  # 500 records more, in no batch yet

    export_bundle(w1, tmp_path / "w1.anjub")
    carried = frozen_batches(w1)
    assert list(carried)[0] == big_id and carried[big_id] == 2000, "the push's batch went in the bundle cut"
    rest = [n for batch_id, n in carried.items() if batch_id != big_id]
    assert len(rest) == 2 and all(n <= 400 for n in rest) and sum(rest) == 500

    assert w1.split_push_batches(1) == 0, "a bundle's batch keeps its id and its ops"
    assert frozen_batches(w1) == carried
    import_bundle(clerk, tmp_path / "w1.anjub")
    assert run_sync(clerk).bundles_forwarded == 1
    assert server_count(county, "household") == 500 and server_count(county, "member") == 2000


def test_a_pushed_batch_over_the_body_limit_goes_in_a_bundle_whole_which_delivers_it(county, enrol, tmp_path,
                                                                                        monkeypatch):
    """A batch a push froze before batches had a text limit (500 records, 6.7 MB) may still be on its
    way: a bundle carries it whole, under its id. Every push refuses it for its bytes and keeps it;
    the bundle, forwarded by a clerk, delivers it, and once its reply is read the laptop pushes the
    rest. Every op is applied once."""
    from sync.bundles import import_bundle, write_replies
    from sync.errors import SyncError

    w1, clerk = enrol("w1"), enrol("c1")
    notes = "走访记录：" + "家庭情况稳定，务工收入正常。" * 640
    households_of_four(w1, 250, "F", notes=notes, members=1)
    with monkeypatch.context() as m:
        m.setattr(core.store.push, "BATCH_TEXT_BYTES", 10**12)
        old_id, old = w1.next_push_batch(OPS_EVERY_SERVER_TAKES)
    assert len(old) == 500
    households_of_four(w1, 10, "N")  # 50 records more

    export_bundle(w1, tmp_path / "w1.anjub")
    carried = frozen_batches(w1)
    assert list(carried)[0] == old_id and carried[old_id] == 500, "the push's batch went in the bundle cut"
    with pytest.raises(SyncError) as refused:
        run_sync(w1)
    assert refused.value.code == "too_large" and frozen_batches(w1) == carried

    import_bundle(clerk, tmp_path / "w1.anjub")
    assert run_sync(clerk).bundles_forwarded == 1
    import_bundle(w1, write_replies(clerk, tmp_path)[0])
    assert w1.pending_change_count() == 0 and run_sync(w1).pushed == {}
    assert server_count(county, "household") == 260 and server_count(county, "member") == 290
    with county.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(applied_op).where(
            applied_op.c.device_id == w1.info.device_id)).scalar_one() == 550, "every op applied once"


def test_a_batch_sent_again_after_the_limit_fell_gets_its_answer_again(county, enrol):
    from sync.client import server_for
    from sync.push import Outgoing

    w1 = enrol("w1")
    households_of_four(w1, 200, "R")  # 1,000 records
    batch_id, entries = w1.next_push_batch(MAX_OPS_PER_BATCH)
    server = server_for(w1)
    try:
        going = Outgoing.of(w1, server, batch_id, entries)
        first = server.send_push(going.body, data=going.data)  # its answer lost on the way, say
    finally:
        server.close()
    county.stop()
    county.batch_ops = OPS_EVERY_SERVER_TAKES
    county.start_in_thread()

    server = server_for(w1)
    try:
        again = server.send_push(going.body, data=going.data)
    finally:
        server.close()
    assert again.results == first.results and {r.status for r in again.results} == {"applied"}
    assert server.batch_ops == OPS_EVERY_SERVER_TAKES, "and the answer says the lower limit"


def test_a_bundled_batch_over_the_body_limit_is_refused_and_kept_whole(county, enrol, tmp_path, monkeypatch):
    from sync.errors import SyncError

    w1 = enrol("w1")
    notes = "走访记录：" + "家庭情况稳定，务工收入正常。" * 640
    households_of_four(w1, 200, "B", notes=notes, members=1)
    with monkeypatch.context() as m:  # a bundle made by the version before the text limit: 400 records, 5.4 MB
        m.setattr(core.store.push, "BATCH_TEXT_BYTES", 10**12)
        export_bundle(w1, tmp_path / "w1.anjub")
    carried = frozen_batches(w1)

    with pytest.raises(SyncError) as refused:
        run_sync(w1)

    assert refused.value.code == "too_large"
    assert frozen_batches(w1) == carried and w1.pending_change_count() == 400, "kept, under the bundle's ids"
