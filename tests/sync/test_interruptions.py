"""Syncs cut off half-way: the server killed with SIGKILL during a push and restarted, a pull
cancelled between pages. Nothing is lost, nothing is applied twice, nothing is pulled twice."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from sqlalchemy import func, select

from core.models import new_id
from sync.client import CancelFlag, Cancelled, ServerUnreachable, SyncReport, pull_changes, push_outbox, server_for
from sync.server.models import applied_op
from tests.sync.bad_line import PushOnABadLine, StallingProxy
from tests.sync.conftest import County
from tests.sync.sync_helpers import GRID_W1, SETTLEMENT_ID, frozen_batches, resident_id, server_count

HOUSEHOLDS = 120
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"


def _name(surname: str, i: int) -> str:
    return surname + GIVEN[i % 20] + GIVEN[i // 20 % 20]


def _fill(store, households: int = HOUSEHOLDS) -> None:
    """Households of two members each, saved as a worker would."""
    for i in range(households):
        store.save_household(
            {"id": new_id(), "household_no": f"K-{i:05d}", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1},
            [{"id": new_id(), "name": _name("张", i), "relation": "head", "id_number": resident_id("19800101")},
             {"id": new_id(), "name": _name("李", i), "relation": "spouse", "id_number": resident_id("19820202")}])


def _applied(county: County) -> int:
    with county.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(applied_op)).scalar_one()


@pytest.fixture
def county_process(county: County):
    """The same county, served by its own process instead of a thread, so that it can be killed."""
    county.stop()
    county.start_process()
    yield county
    county.stop()


def test_server_killed_mid_push_and_restarted_holds_every_op_once(enrol, county_process):
    county = county_process
    w1 = enrol("w1")
    _fill(w1)
    rows = HOUSEHOLDS * 3
    killed = threading.Event()

    def killer() -> None:
        deadline = time.monotonic() + 60
        while _applied(county) < 40 and time.monotonic() < deadline:
            time.sleep(0.002)
        os.kill(county.process.pid, signal.SIGKILL)  # mid-push: more batches are on their way
        county.process.wait()
        killed.set()
        time.sleep(1.0)
        county.start_process()

    thread = threading.Thread(target=killer)
    thread.start()
    server = server_for(w1)
    waits = []
    server.sleep = lambda seconds: (waits.append(seconds), time.sleep(seconds))
    report = SyncReport()
    push_outbox(w1, server, report, batch_rows=20)
    server.close()
    thread.join()
    assert killed.is_set() and waits  # the client did meet the dead server, and retried
    assert w1.pending_change_count() == 0
    assert server_count(county, "household") == HOUSEHOLDS
    assert server_count(county, "member") == HOUSEHOLDS * 2
    assert _applied(county) == rows  # every op recorded exactly once
    assert sum(report.pushed.values()) == rows and set(report.pushed) == {"applied"}


def _pushed_for_w2(enrol, households: int = 60):  # noqa: ANN001, ANN202 - a store
    """w2, enrolled, and `households` of two members each on the server, pushed by w1: 180 records to
    pull for 60."""
    w1, w2 = enrol("w1"), enrol("w2")
    _fill(w1, households)
    server = server_for(w1)
    push_outbox(w1, server, SyncReport())
    server.close()
    return w2


def test_a_pull_cancelled_between_pages_resumes_without_gaps_or_repeats(enrol, county):
    w2 = _pushed_for_w2(enrol)

    cancel = CancelFlag()
    pages = []

    def progress(stage: str, done: int, _total) -> None:  # noqa: ANN001
        pages.append(done)
        if len(pages) == 3:
            cancel.cancel()

    server = server_for(w2)
    first = SyncReport()
    with pytest.raises(Cancelled):
        pull_changes(w2, server, first, progress, cancel, page_size=25)
    assert first.pulled == 75 and w2.pull_cursor() == first.cursor
    assert w2.count_households() + w2.member_count() < 180
    second = SyncReport()
    pull_changes(w2, server, second, page_size=25)
    server.close()
    assert first.pulled + second.pulled == 180  # each record once: no gap, no repeat
    assert w2.count_households() == 60 and w2.member_count() == 120


def test_the_next_page_is_read_on_connections_of_its_own(enrol, county):
    """A pull asks for its next page in a thread beside the one writing the page it has. That thread
    has its own HTTP session (a requests Session is not made for two threads at once), and it is
    closed when the pull ends; the laptop's own session, which asks for the first page, is never
    used by two requests at once."""
    import requests

    w2 = _pushed_for_w2(enrol, 30)
    server = server_for(w2)
    spans, closed, lock = [], [], threading.Lock()
    real_request, real_close = requests.Session.request, requests.Session.close

    def request(session, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        began = time.perf_counter()
        try:
            return real_request(session, *args, **kwargs)
        finally:
            with lock:
                spans.append((session, began, time.perf_counter()))

    def close(session) -> None:  # noqa: ANN001
        closed.append(session)
        real_close(session)

    requests.Session.request, requests.Session.close = request, close
    try:
        report = SyncReport()
        pull_changes(w2, server, report, page_size=10)
    finally:
        requests.Session.request, requests.Session.close = real_request, real_close
    assert report.pulled == 90 and w2.member_count() == 60
    sessions = {session for session, _, _ in spans}
    assert server.http in sessions and len(sessions) == 2, "the laptop's session and the fetcher's"
    for session in sessions:
        mine = sorted((began, ended) for s, began, ended in spans if s is session)
        assert all(ended <= began for (_, ended), (began, _) in zip(mine, mine[1:])), "two requests at once"
    assert len(closed) == 1 and closed[0] is not server.http  # the fetcher's, not the laptop's
    server.close()


def test_a_push_cut_off_with_the_next_batch_ready_sends_both_again_in_order(enrol, county, tmp_path):
    """A push makes the next batch ready while one is on its way: the profile then holds two frozen
    batches. Cut off there, after the server applied the first but before its answer came back, the
    next push sends the first again (answered from what the server stored) and then the second,
    whose members belong to households of the first: nothing lost, nothing applied twice."""
    from core.store import Store
    from sync.push import Outgoing
    from tests.sync.conftest import PASSWORD

    w1 = enrol("w1", folder="cut")
    _fill(w1, 5)  # 15 records: a household, then its two members
    rows = 15
    first_id, first = w1.next_push_batch(4)  # a household, its members, and the next household
    second_id, second = w1.freeze_following_batch(first_id, 4)  # that household's members, and on
    assert second and {e["seq"] for e in first}.isdisjoint(e["seq"] for e in second)
    assert w1.freeze_following_batch(first_id, 4) == (second_id, second)  # made ready once, not twice
    server = server_for(w1)
    server.send_push(Outgoing.of(w1, server, first_id, first).body)  # applied; the answer is lost
    server.close()
    w1.close()  # the laptop stops here

    with Store.open(tmp_path / "cut", PASSWORD) as again:
        assert again.pending_change_count() == rows
        report = SyncReport()
        server = server_for(again)
        push_outbox(again, server, report, batch_rows=4)
        server.close()
        assert again.pending_change_count() == 0
    assert report.pushed == {"applied": rows}  # the first batch's answers too, as stored
    assert not report.rejections  # the second went after the first: its members found their household
    assert _applied(county) == rows  # every op once
    assert server_count(county, "household") == 5 and server_count(county, "member") == 10


def test_a_push_cancelled_between_batches_resumes_with_every_op_once(enrol, county):
    w1 = enrol("w1")
    _fill(w1, 40)
    rows = 120
    cancel = CancelFlag()
    seen = []

    def progress(_stage: str, done: int, _total) -> None:  # noqa: ANN001
        seen.append(done)
        if len(seen) == 2:
            cancel.cancel()

    server = server_for(w1)
    first = SyncReport()
    with pytest.raises(Cancelled):
        push_outbox(w1, server, first, progress, cancel, batch_rows=10)
    assert sum(first.pushed.values()) == 20  # two batches answered and recorded, no more
    assert w1.pending_change_count() == rows - 20
    second = SyncReport()
    push_outbox(w1, server, second, batch_rows=10)
    server.close()
    assert sum(second.pushed.values()) == rows - 20 and set(second.pushed) == {"applied"}
    assert w1.pending_change_count() == 0 and _applied(county) == rows
    assert server_count(county, "member") == 80


def test_when_the_next_batch_cannot_be_made_ready_and_the_send_fails_too_both_errors_are_seen(
        enrol, county, monkeypatch, caplog):
    """The disk fails while the next batch is frozen, and the network while the batch before it is on
    its way: the user is told of the network, the log keeps the disk's error with its traceback, and
    nothing leaves the outbox."""
    w1 = enrol("w1")
    _fill(w1, 20)
    server = server_for(w1)
    server.retries = 0
    disk_error = OSError("disk I/O error while freezing the next batch")

    def no_disk(*_args, **_kwargs):  # noqa: ANN002, ANN003
        raise disk_error

    def no_network(self, *_args, **_kwargs):  # noqa: ANN001, ANN002, ANN003
        raise ServerUnreachable("the network went away")

    monkeypatch.setattr(w1, "freeze_following_batch", no_disk)
    monkeypatch.setattr(type(server), "send_push", no_network)
    with caplog.at_level("ERROR", logger="sync.push"), pytest.raises(ServerUnreachable):
        push_outbox(w1, server, SyncReport(), batch_rows=10)
    server.close()
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[1] is disk_error]
    assert logged, "the error that stopped the next batch was dropped"
    assert w1.pending_change_count() == 20 * 3 and _applied(county) == 0


def test_a_pull_whose_server_goes_away_keeps_the_pages_that_arrived(enrol, county, monkeypatch):
    """The pages after the first are fetched ahead while the laptop writes; when the server stops
    answering, the pages that arrived are written before the error is said, and the next pull
    brings the rest: each record once."""
    from sync.client import CountyServer

    w2 = _pushed_for_w2(enrol)
    asked, real_changes = [], CountyServer.changes

    def changes(self, since, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        asked.append(since)
        if len(asked) == 5:
            raise ServerUnreachable("gone")
        return real_changes(self, since, *args, **kwargs)

    monkeypatch.setattr(CountyServer, "changes", changes)
    server, first = server_for(w2), SyncReport()
    with pytest.raises(ServerUnreachable):
        pull_changes(w2, server, first, page_size=25)
    assert first.pulled == 100 and w2.pull_cursor() == first.cursor  # four pages of 25
    monkeypatch.setattr(CountyServer, "changes", real_changes)
    second = SyncReport()
    pull_changes(w2, server, second, page_size=25)
    server.close()
    assert first.pulled + second.pulled == 180  # no gap, no repeat
    assert w2.count_households() == 60 and w2.member_count() == 120


def test_a_page_that_cannot_be_written_leaves_the_pages_before_it_and_the_cursor_after_them(enrol, county,
                                                                                            monkeypatch):
    """A page that cannot be written (the disk fails under it) undoes only itself: the pages before it
    stay, with the cursor after them, and the next pull brings the rest, each record once."""
    import core.store.store as store_module

    w2 = _pushed_for_w2(enrol)
    written, real_apply = [], store_module.apply_page

    def apply_page(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        written.append(1)
        if len(written) == 5:
            raise OSError("the disk went away")
        return real_apply(*args, **kwargs)

    monkeypatch.setattr(store_module, "apply_page", apply_page)
    server, first = server_for(w2), SyncReport()
    with pytest.raises(OSError):
        pull_changes(w2, server, first, page_size=25)
    assert first.pulled == 100 and w2.pull_cursor() == first.cursor  # four pages of 25
    assert w2.count_households() + w2.member_count() + w2.pulled_records_waiting() == first.pulled
    monkeypatch.setattr(store_module, "apply_page", real_apply)
    second = SyncReport()
    pull_changes(w2, server, second, page_size=25)
    server.close()
    assert first.pulled + second.pulled == 180
    assert w2.count_households() == 60 and w2.member_count() == 120


def test_ctrl_c_while_the_next_page_is_on_a_bad_line_ends_the_sync_at_once_and_loses_nothing(county, tmp_path):
    """A pull fetches its next page while it writes the last. A worker who presses Ctrl+C while that
    request hangs on a bad line is told the sync was cancelled, and the command ends then, not when
    the request gives up (its read timeout is two minutes). The next sync brings the rest."""
    from datetime import datetime

    from sync.client import enroll
    from sync.server.db import writing
    from sync.server.demo import add_households
    from tests.core.test_profile_safety import main_py
    from tests.sync.conftest import PASSWORD

    if "sqlite" not in county.db_url:
        pytest.skip("the command's end does not depend on the county's database")
    proxy, commands = StallingProxy(county.url), []
    try:
        store, _report = enroll(tmp_path / "w1", proxy.url, "w1", PASSWORD)
        store.close()
        with writing(county.engine) as conn:  # more than a page for w1's grid
            add_households(conn, datetime(2026, 12, 4, 9, 0), 900)
        proxy.stall()
        sync = main_py("sync", "--profile", str(tmp_path / "w1"), password=PASSWORD)
        commands.append(sync)
        assert proxy.stalled.wait(120), "the sync never asked for its second page"
        sync.send_signal(signal.SIGINT)
        out, err = sync.communicate(timeout=60)  # before the held page is answered
        assert sync.returncode == 130 and "已取消" in err and "Traceback" not in err, err
        proxy.release()
        again = main_py("sync", "--profile", str(tmp_path / "w1"), password=PASSWORD)
        commands.append(again)
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0, err
    finally:
        for command in commands:  # one still waiting has failed the test: not left behind it
            if command.poll() is None:
                command.kill()
                command.communicate()
        proxy.close()
    from core.store import Store

    with Store.open(tmp_path / "w1", PASSWORD) as w1:
        households, people = w1.count_households(), w1.member_count()
    assert households == server_count(county, "household", grid_id=GRID_W1) > 250
    assert people == _live_members_in_w1s_grid(county)


def _live_members_in_w1s_grid(county: County) -> int:
    from sync.server.db import reading
    from sync.server.models import ENTITY_TABLES

    member, household = ENTITY_TABLES["member"], ENTITY_TABLES["household"]
    joined = member.join(household, member.c.household_id == household.c.id)
    with reading(county.engine) as conn:
        return conn.execute(select(func.count()).select_from(joined).where(
            household.c.grid_id == GRID_W1, member.c.deleted.is_(False), member.c.status != "removed",
            household.c.deleted.is_(False))).scalar_one()


def _pull_beside(store, report: SyncReport, cancel: CancelFlag, progress=None):  # noqa: ANN001, ANN202
    """A pull on a thread of its own, as the app's network worker runs it (not started), and the list
    that gets the Cancelled it ends with."""
    outcome: list[Cancelled] = []

    def pull() -> None:
        server = server_for(store)
        try:
            pull_changes(store, server, report, progress, cancel=cancel)
        except Cancelled as exc:
            outcome.append(exc)
        finally:
            server.close()  # as the app's network job does, a request left on its way or not

    return threading.Thread(target=pull, daemon=True), outcome


def test_cancelling_while_the_next_page_is_on_a_bad_line_stops_the_pull_without_waiting_for_it(county, tmp_path):
    """The app's Cancel (and its closing, which cancels a sync and waits for it) stops a pull whose
    next page is held up on a bad line, and the pages written before it stay."""
    from datetime import datetime

    from sync.client import enroll
    from sync.server.db import writing
    from sync.server.demo import add_households
    from tests.sync.conftest import PASSWORD

    if "sqlite" not in county.db_url:
        pytest.skip("the wait does not depend on the county's database")
    proxy = StallingProxy(county.url)
    store, _report = enroll(tmp_path / "w1", proxy.url, "w1", PASSWORD)
    cancel, report, written = CancelFlag(), SyncReport(), threading.Event()
    puller, outcome = _pull_beside(store, report, cancel, lambda *_: written.set())
    try:
        with writing(county.engine) as conn:
            add_households(conn, datetime(2026, 12, 4, 9, 0), 900)
        proxy.stall()
        puller.start()
        assert proxy.stalled.wait(120) and written.wait(120), "the pull never asked for its second page"
        time.sleep(1)  # from writing the first page to waiting for the second
        cancel.cancel()
        puller.join(60)  # the held page is still unanswered
        assert not puller.is_alive() and outcome, "the cancelled pull waited for the page held up"
        assert report.pulled == 1000 and store.pull_cursor() == report.cursor
    finally:
        proxy.close()  # a pull still waiting gets its page, and ends
        if puller.is_alive():
            puller.join(60)
        store.close()


def test_cancelling_while_the_first_page_is_on_a_bad_line_stops_the_pull_and_changes_nothing(county, tmp_path):
    """The first page of a pull is waited for as the next ones are: the app's Cancel stops a pull whose
    first page is held up on a bad line at once, the profile is left as it was, and the next pull
    brings everything."""
    from datetime import datetime

    from sync.client import enroll
    from sync.server.db import writing
    from sync.server.demo import add_households
    from tests.sync.conftest import PASSWORD

    if "sqlite" not in county.db_url:
        pytest.skip("the wait does not depend on the county's database")
    proxy = StallingProxy(county.url)
    store, _report = enroll(tmp_path / "w1", proxy.url, "w1", PASSWORD)
    cursor, households = store.pull_cursor(), store.count_households()
    cancel, report = CancelFlag(), SyncReport()
    puller, outcome = _pull_beside(store, report, cancel)
    try:
        with writing(county.engine) as conn:
            add_households(conn, datetime(2026, 12, 4, 9, 0), 300)
        proxy.stall(0)
        puller.start()
        assert proxy.stalled.wait(120), "the pull never asked for its first page"
        cancel.cancel()
        puller.join(60)  # the held page is still unanswered
        assert not puller.is_alive() and outcome, "the cancelled pull waited for its first page"
        assert report.pulled == 0 and store.pull_cursor() == cursor and store.count_households() == households
        proxy.release()
        pull_changes(store, server_for(store), SyncReport())
        assert store.count_households() == server_count(county, "household", grid_id=GRID_W1) > households
    finally:
        proxy.close()
        if puller.is_alive():
            puller.join(60)
        store.close()


@pytest.fixture
def bad_line(county, tmp_path):  # noqa: ANN001, ANN201
    if "sqlite" not in county.db_url:
        pytest.skip("the wait does not depend on the county's database")
    line = PushOnABadLine(county, tmp_path)
    yield line
    line.close()


def test_cancelling_while_a_push_batch_is_on_a_bad_line_stops_at_once_and_every_op_lands_once(county, bad_line):
    """The app's Cancel (and its closing) stops a push whose batch is held up on a bad line at once,
    not when the request gives up. The batch stays frozen, and the next sync sends it first, while the
    held copy is still on its way; that copy reaches the server last, is answered from what was
    stored, and applies nothing twice, and the laptop's audit log is not flagged for its older head."""
    store = bad_line.store
    _fill(store, 40)  # 120 records
    bad_line.cut_off(batch_rows=50)
    assert store.pending_change_count() == 120
    again = bad_line.push(batch_rows=50)  # the held copy still on its way
    assert again.pushed == {"applied": 120} and store.pending_change_count() == 0
    bad_line.land(pushes=4)  # three batches, and the held copy at last
    assert _applied(county) == 120 and server_count(county, "household") == 40
    assert not bad_line.flagged()


def test_a_push_batch_left_on_a_bad_line_goes_whole_in_a_bundle_and_every_op_lands_once(county, enrol, bad_line,
                                                                                         tmp_path):
    """A worker whose push a bad line holds up cancels it and takes an offline bundle instead. The
    batch left on its way goes in the bundle whole, under its id, though it is bigger than a bundle's
    batches: the copy on the line lands, a sync sends the batch again with a newer edit behind it, and
    last the clerk forwards the bundle. Every op is applied once, the newer edit stays on the server,
    and the laptop is not flagged."""
    from sync.bundles import export_bundle, import_bundle
    from tests.sync.sync_helpers import edit_household, run_sync, server_row

    store, clerk = bad_line.store, enrol("c1")
    _fill(store, 150)  # 450 records: one push batch of 500, more than a bundle's batch of 400
    bad_line.cut_off(batch_rows=500)
    bundle = tmp_path / "w1.anju-bundle"
    assert export_bundle(store, bundle).ops == 450
    assert len(frozen_batches(store)) == 1, "the batch on its way went in the bundle cut, under new ids"

    bad_line.land(pushes=1)
    hid = store.list_households(limit=1)[0].id
    edit_household(store, hid, notes="第二次走访")
    assert bad_line.push().pushed == {"applied": 451}  # the batch answered from what was stored, and the edit
    import_bundle(clerk, bundle)
    assert run_sync(clerk).bundles_forwarded == 1

    assert _applied(county) == 451 and server_count(county, "household") == 150
    assert server_row(county, "household", hid)["notes"] == "第二次走访", "the bundle's older copy put it back"
    assert not bad_line.flagged()


def test_a_piece_of_a_cut_batch_once_sent_is_not_cut_again(county, enrol, bad_line, tmp_path):
    """A batch the server refused for its size is cut into pieces no push has sent, which a bundle
    may cut again; once a push has sent a piece (held here on a bad line, the sync cancelled), the
    bundle carries it whole under its id. The held copy lands, the clerk forwards the bundle: every
    op once."""
    from sync.bundles import export_bundle, import_bundle
    from tests.sync.sync_helpers import run_sync

    store, clerk = bad_line.store, enrol("c1")
    _fill(store, 200)  # 600 records
    store.next_push_batch(2500)  # a push froze them in one batch, which the server refused for its size
    assert store.split_push_batches(500) == 1  # cut into 500 and 100, not sent yet
    bad_line.cut_off(batch_rows=500)  # the piece of 500 sent and held on the line
    export_bundle(store, tmp_path / "w1.anju-bundle")
    assert list(frozen_batches(store).values()) == [500, 100], "the piece sent went in the bundle cut"

    bad_line.land(pushes=1)
    import_bundle(clerk, tmp_path / "w1.anju-bundle")
    assert run_sync(clerk).bundles_forwarded == 1
    assert _applied(county) == 600 and server_count(county, "member") == 400 and not bad_line.flagged()


def test_a_change_in_a_push_batch_left_on_a_bad_line_is_given_up_only_once_the_batch_is_answered(county, bad_line):
    """A worker saves a household again while a sync sends an earlier change of it, which the server
    refuses; the later save's batch is then held up on a bad line and the sync cancelled. Giving up the
    refused change would drop the later save too, but the copy on its way would still apply it: the
    give-up is refused, changing nothing, until a sync has that batch answered; then it goes through."""
    from core.errors import ChangesOnTheirWay
    from sync.client import discard_rejected
    from tests.sync.sync_helpers import GRID_ELSEWHERE, household, server_row

    store = bad_line.store
    hid = bad_line.refused_with_a_later_save_held()
    answered = _applied(county)  # the later save is still held
    server = server_for(store)
    try:
        with pytest.raises(ChangesOnTheirWay):
            discard_rejected(store, server, store.sync_rejections())
        assert len(store.sync_rejections()) == 1 and store.pending_change_count() == 1
        assert household(store, hid)["grid_id"] == GRID_ELSEWHERE and household(store, hid)["notes"] == "后来的走访"

        bad_line.land(pushes=4)
        assert bad_line.push().pushed == {"applied": 1}  # the answer, from what was stored
        discard_rejected(store, server, store.sync_rejections())
    finally:
        server.close()
    assert store.sync_rejections() == [] and store.pending_change_count() == 0
    on_server = server_row(county, "household", hid)
    assert household(store, hid)["grid_id"] == on_server["grid_id"] == GRID_W1
    assert household(store, hid)["notes"] == on_server["notes"] == "后来的走访"
    assert _applied(county) == answered + 1 and not bad_line.flagged()
