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
from sync.client import CancelFlag, Cancelled, SyncReport, pull_changes, push_outbox, server_for
from sync.server.models import applied_op
from tests.sync.conftest import County
from tests.sync.sync_helpers import GRID_W1, SETTLEMENT_ID, resident_id, server_count

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


def test_a_pull_cancelled_between_pages_resumes_without_gaps_or_repeats(enrol, county):
    w1 = enrol("w1")
    w2 = enrol("w2")
    _fill(w1, 60)
    server = server_for(w1)
    push_outbox(w1, server, SyncReport())
    server.close()

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
    has its own HTTP session (a requests Session is not made for two threads), and it is closed
    when the pull ends: the laptop's own session is used by the pulling thread alone."""
    w1, w2 = enrol("w1"), enrol("w2")
    _fill(w1, 30)
    server = server_for(w1)
    push_outbox(w1, server, SyncReport())
    server.close()
    server = server_for(w2)
    threads, closed = set(), []
    real_request, real_close = server.http.request, type(server.http).close

    def request(*args, **kwargs):  # noqa: ANN002, ANN003
        threads.add(threading.current_thread().name)
        return real_request(*args, **kwargs)

    def close(session) -> None:  # noqa: ANN001
        closed.append(session)
        real_close(session)

    server.http.request = request
    type(server.http).close = close
    try:
        report = SyncReport()
        pull_changes(w2, server, report, page_size=10)
    finally:
        type(server.http).close = real_close
    assert report.pulled == 90 and w2.member_count() == 60
    assert threads == {threading.current_thread().name}
    assert len(closed) == 1 and closed[0] is not server.http  # the fetcher's, not the laptop's
    server.close()
