"""A sync with nothing to do, the one a laptop runs most (after each save, and on a timer): it asks
the server once, changes nothing, and notes when it ran; and a sync that pushes first still pulls
from where the laptop's pull state stands after the push."""
from __future__ import annotations

import pytest

from tests.sync.sync_helpers import edit_household, household, new_household, run_sync

STATE = ("pull_cursor", "pull_origin", "pull_everything", "scope")


def test_a_sync_with_nothing_to_do_notes_when_it_ran_and_changes_nothing_else(enrol):
    w1 = enrol("w1")
    run_sync(w1)
    w1.set_metas({"last_sync": "2020-01-01T00:00:00+00:00"})
    before = w1.metas(*STATE)
    households = w1.count_households()

    report = run_sync(w1)

    assert report.pushed == {} and report.pulled == 0 and not report.rejections
    assert w1.meta("last_sync") > "2026"  # now, not the old time
    assert w1.metas(*STATE) == before and w1.count_households() == households
    assert w1.pending_change_count() == 0


def test_settings_written_together_replace_old_values_and_add_new_ones(enrol):
    w1 = enrol("w1")
    w1.set_metas({"last_sync": "2020-01-01T00:00:00+00:00", "pull_origin": "7"})
    w1.set_metas({"last_sync": "2021-02-02T00:00:00+00:00", "pull_origin": "", "a_new_setting": "x"})
    w1.set_metas({})  # nothing to write: nothing written, no error
    assert w1.metas("last_sync", "pull_origin", "a_new_setting") == {
        "last_sync": "2021-02-02T00:00:00+00:00", "pull_origin": "", "a_new_setting": "x"}


def test_two_laptops_pushing_and_pulling_in_turn_end_level(enrol):
    w1, w2 = enrol("w1"), enrol("w1", "w1-second-laptop")
    hid = new_household(w1)
    assert run_sync(w1).pushed == {"applied": 2}  # the household and its head; nothing new to pull
    assert run_sync(w2).pulled == 2  # nothing to push: the pull starts from the state read at the outset
    edit_household(w2, hid, phone="13800138000")
    assert run_sync(w2).pushed == {"applied": 1}
    edit_household(w1, hid, building="9")
    report = run_sync(w1)  # pushes first, then pulls w2's change from the state the push left
    assert report.pushed == {"applied": 1} and report.pulled == 1
    assert household(w1, hid)["phone"] == "13800138000" and household(w1, hid)["building"] == "9"
    run_sync(w2)
    assert household(w2, hid)["building"] == "9"


def test_a_sync_runs_without_cycle_collections_and_leaves_the_collector_running_even_when_it_fails(enrol):
    import gc

    from sync.client import CancelFlag, Cancelled

    w1 = enrol("w1")
    new_household(w1)
    during: list[bool] = []
    run_sync(w1, progress=lambda stage, done, total: during.append(gc.isenabled()))
    assert during and not any(during) and gc.isenabled()

    new_household(w1)
    cancel = CancelFlag()

    def stop_at_once(stage: str, done: int, total: int) -> None:
        cancel.cancel()

    with pytest.raises(Cancelled):
        run_sync(w1, cancel=cancel, progress=stop_at_once)
    assert gc.isenabled()


def test_the_pull_after_a_push_asks_for_its_first_page_while_the_push_answer_is_recorded(enrol, monkeypatch):
    """The pull's first request goes as soon as the server has answered the push, beside the laptop's
    recording of that answer, and brings another laptop's change as before."""
    from sync.client import CountyServer

    w1, w2 = enrol("w1"), enrol("w1", "w1-second-laptop")
    mine = new_household(w1)
    run_sync(w1)
    theirs = new_household(w2)
    run_sync(w2)
    asked: list[int] = []
    real_changes, real_finish = CountyServer.changes, w1.finish_push_batch

    def changes(self, since, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        asked.append(since)
        return real_changes(self, since, *args, **kwargs)

    def finish(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        finish.asked_before = len(asked)
        return real_finish(*args, **kwargs)

    monkeypatch.setattr(CountyServer, "changes", changes)
    monkeypatch.setattr(w1, "finish_push_batch", finish)
    edit_household(w1, mine, phone="13800138000")
    report = run_sync(w1)
    assert report.pushed == {"applied": 1} and report.pulled == 2  # w2's household and its head
    assert household(w1, theirs) is not None
    assert finish.asked_before == 1 and len(asked) == 1, "one request for the page, sent before the answer was recorded"
    assert w1.meta("sync_batch_ops") == "2500", "the batch size the server said, heard on the page's own connections"


def test_a_first_page_asked_from_a_pull_state_changed_meanwhile_is_dropped(enrol, monkeypatch):
    """重新下载 chosen while the push's answer is recorded: the page asked for from the old cursor is not
    used, and the pull downloads everything from the start."""
    w1, w2 = enrol("w1"), enrol("w1", "w1-second-laptop")
    new_household(w2)
    mine = new_household(w1)
    run_sync(w2)
    run_sync(w1)
    real_finish = w1.finish_push_batch

    def finish_then_download_again(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        real_finish(*args, **kwargs)
        w1.restart_pull()

    monkeypatch.setattr(w1, "finish_push_batch", finish_then_download_again)
    edit_household(w1, mine, phone="13800138000")
    report = run_sync(w1)
    assert report.pushed == {"applied": 1}
    assert report.pulled >= 4, "both households and their heads, downloaded again from the start"
    assert w1.meta("pull_everything") in (None, "")


def test_a_first_page_that_cannot_be_asked_early_leaves_the_push_recorded_and_the_pull_as_before(enrol, monkeypatch,
                                                                                                  caplog):
    """Asking early is only a head start: when it fails, the push's answer is recorded all the same, the
    pull asks for its page after it, and the failure is logged."""
    import logging

    from sync.pull import EarlyPage

    w1, w2 = enrol("w1"), enrol("w1", "w1-second-laptop")
    mine = new_household(w1)
    run_sync(w1)
    theirs = new_household(w2)
    run_sync(w2)

    def cannot(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(EarlyPage, "ask", cannot)
    edit_household(w1, mine, phone="13800138000")
    with caplog.at_level(logging.WARNING, logger="sync.client"):
        report = run_sync(w1)
    assert report.pushed == {"applied": 1} and report.pulled == 2 and w1.pending_change_count() == 0
    assert household(w1, theirs) is not None
    assert any("first page could not be asked for early" in r.getMessage() and r.exc_info for r in caplog.records)
