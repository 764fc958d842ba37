"""A download of many pages: the household list and its search show each household with all its
members once the download ends, also when it stops half-way or is killed, since its pages owe
the households' summaries and the end of the pull settles them (core.store.summary.owe_summaries)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from core.store import Store
from core.store.failures import DiskFull
from core.store import summary, sync_state
from core.store.summary import owed_summaries
from sync.client import CancelFlag, Cancelled, SyncReport, pull_changes, push_outbox, server_for
from tests.conftest import ROOT
from tests.sync.conftest import PASSWORD
from tests.sync.test_interruptions import _fill, _name

HOUSEHOLDS = 60  # of two members each: 180 records, pages of 25


def _second_laptop(enrol) -> Store:
    """w2, enrolled before w1 made and pushed the households: its next pull downloads them."""
    w1, w2 = enrol("w1"), enrol("w2")
    _fill(w1, HOUSEHOLDS)
    server = server_for(w1)
    try:
        push_outbox(w1, server, SyncReport())
    finally:
        server.close()
    return w2


def _listed(store: Store) -> dict[str, int]:
    """What the household list shows: household number -> members."""
    return {row.household_no: row.member_count for row in store.list_households(limit=1000)}


def _held(store: Store) -> dict[str, int]:
    """What the profile holds: every live household by its number -> its live members."""
    with store.reading() as s:
        return dict(s.execute(text(
            "SELECT h.household_no, (SELECT count(*) FROM member m WHERE m.household_id = h.id AND m.deleted = 0) "
            "FROM household h WHERE h.deleted = 0")).all())


def _owed(store: Store) -> list[str]:
    with store.reading() as s:
        return owed_summaries(s.connection())


def test_a_download_of_many_pages_lists_and_finds_every_household_with_its_members(enrol):
    w2 = _second_laptop(enrol)
    report = SyncReport()
    server = server_for(w2)
    try:
        pull_changes(w2, server, report, page_size=25)
    finally:
        server.close()
    assert report.pulled == 3 * HOUSEHOLDS
    assert _listed(w2) == {f"K-{i:05d}": 2 for i in range(HOUSEHOLDS)}
    # the search entries hold the members that came pages after their household
    assert [r.household_no for r in w2.search_households(_name("李", 37))] == ["K-00037"]
    assert _owed(w2) == []


def _pull_stopped_after_three_pages(store: Store, server) -> None:  # noqa: ANN001
    """The worker presses stop once three pages of 25 have come."""
    cancel = CancelFlag()
    pages: list[int] = []

    def progress(_stage: str, done: int, _total) -> None:  # noqa: ANN001
        pages.append(done)
        if len(pages) == 3:
            cancel.cancel()

    with pytest.raises(Cancelled):
        pull_changes(store, server, SyncReport(), progress, cancel, page_size=25)


def test_a_download_stopped_half_way_lists_what_arrived_and_the_rest_after_the_next_pull(enrol):
    w2 = _second_laptop(enrol)
    server = server_for(w2)
    try:
        _pull_stopped_after_three_pages(w2, server)
        arrived = _held(w2)
        assert 0 < sum(arrived.values()) < 2 * HOUSEHOLDS  # some members are still to come
        assert _listed(w2) == arrived and _owed(w2) == []
        pull_changes(w2, server, SyncReport(), page_size=25)
    finally:
        server.close()
    assert _listed(w2) == {f"K-{i:05d}": 2 for i in range(HOUSEHOLDS)}


def test_a_large_download_is_summarised_a_chunk_a_transaction_and_a_cancel_stops_after_one(enrol, monkeypatch):
    monkeypatch.setattr(summary, "SETTLE_AT_ONCE", 7)  # 60 households: nine chunks
    w2 = _second_laptop(enrol)
    server = server_for(w2)
    try:
        _pull_stopped_after_three_pages(w2, server)
        assert len(_owed(w2)) == len(_held(w2)) - 7 > 0  # one chunk, then the cancel: the rest waits
        pull_changes(w2, server, SyncReport(), page_size=25)
    finally:
        server.close()
    assert _listed(w2) == {f"K-{i:05d}": 2 for i in range(HOUSEHOLDS)} and _owed(w2) == []


def test_the_end_of_a_long_download_says_how_many_households_are_listed_so_far(enrol, monkeypatch):
    """The list's entries of a long download are made at its end, seconds at 100,000 households: the
    worker sees them counted (the status bar, the enrol dialog, the command line), chunk by chunk."""
    monkeypatch.setattr(summary, "SETTLE_AT_ONCE", 7)
    w2 = _second_laptop(enrol)
    said: list[tuple[str, int, int | None]] = []
    server = server_for(w2)
    try:
        pull_changes(w2, server, SyncReport(), lambda stage, done, total: said.append((stage, done, total)),
                     page_size=25)
    finally:
        server.close()
    stages = [stage for stage, _, _ in said]
    assert stages == sorted(stages, key=["pull", "settle"].index)  # the pages, then the listing
    assert [(done, total) for stage, done, total in said if stage == "settle"] == \
        [(n, HOUSEHOLDS) for n in range(0, HOUSEHOLDS, 7)] + [(HOUSEHOLDS, HOUSEHOLDS)]
    said.clear()
    assert w2.settle_summaries(report=lambda done, total: said.append(("settle", done, total))) and said == []


def test_summaries_a_download_could_not_settle_are_settled_by_the_next_pull_even_with_nothing_new(enrol, monkeypatch):
    w2 = _second_laptop(enrol)
    server = server_for(w2)
    try:
        with monkeypatch.context() as patch:  # the disk is full just as the download ends
            patch.setattr(sync_state, "settle_summaries", _disk_full)
            with pytest.raises(DiskFull):
                pull_changes(w2, server, SyncReport(), page_size=25)
        assert len(_owed(w2)) == HOUSEHOLDS and _listed(w2) == {}
        again = SyncReport()
        pull_changes(w2, server, again, page_size=25)  # space freed: the next sync, with nothing new
    finally:
        server.close()
    assert again.pulled == 0
    assert _listed(w2) == {f"K-{i:05d}": 2 for i in range(HOUSEHOLDS)} and _owed(w2) == []


def _disk_full(*_args) -> int:  # noqa: ANN002
    raise DiskFull()


# A laptop's pull killed (SIGKILL) just after its third page committed, before the pull's end.
_KILLED_PULL = textwrap.dedent("""
    import os, signal, sys
    from core.store import Store
    from sync.client import SyncReport, pull_changes, server_for

    store = Store.open(sys.argv[1], sys.argv[2])
    server = server_for(store)
    pages = []

    def progress(_stage, done, _total):
        pages.append(done)
        if len(pages) == 3:
            os.kill(os.getpid(), signal.SIGKILL)

    pull_changes(store, server, SyncReport(), progress, page_size=25)
""")


def test_a_profile_whose_download_was_killed_lists_what_it_holds_when_opened_again(enrol, monkeypatch, caplog):
    w2 = _second_laptop(enrol)
    folder = w2.info.folder
    w2.close()
    child = subprocess.run([sys.executable, "-c", _KILLED_PULL, str(folder), PASSWORD], cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert child.returncode == -9, child.stderr
    with monkeypatch.context() as patch:  # a full disk then: the profile opens all the same, and says why in the log
        patch.setattr(sync_state, "settle_summaries", _disk_full)
        with Store.open(folder, PASSWORD) as store:
            assert _owed(store) and _listed(store) != _held(store)
    assert "left to the next pull" in caplog.text
    with Store.open(folder, PASSWORD) as store:
        arrived = _held(store)
        assert 0 < sum(arrived.values()) < 2 * HOUSEHOLDS  # some members are still to come
        assert _listed(store) == arrived and _owed(store) == []
        server = server_for(store)
        try:
            pull_changes(store, server, SyncReport(), page_size=25)
        finally:
            server.close()
        assert _listed(store) == {f"K-{i:05d}": 2 for i in range(HOUSEHOLDS)}
