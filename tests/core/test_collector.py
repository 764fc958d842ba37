"""The cycle collector waits while a sync runs (core.collector.paused): every block that asked must
have ended before it runs again, in whatever thread and order, and it is never started where it
was stopped before."""
from __future__ import annotations

import gc
import threading

import pytest

from core.collector import paused


@pytest.fixture(autouse=True)
def collector_running():
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_waits_until_the_last_of_nested_blocks_ends():
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()


def test_blocks_in_two_threads_that_end_out_of_order_leave_it_running_once_both_end():
    first_in, second_in, first_may_end = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused():
            first_in.set()
            first_may_end.wait(5)
        seen.append(gc.isenabled())  # the second block still runs

    thread = threading.Thread(target=first)
    thread.start()
    assert first_in.wait(5)
    with paused():
        second_in.set()
        first_may_end.set()
        thread.join(5)
        assert seen == [False] and not gc.isenabled()
    assert gc.isenabled()


def test_a_block_that_fails_lets_the_collector_run_again():
    with pytest.raises(RuntimeError), paused():
        raise RuntimeError("a sync that failed")
    assert gc.isenabled()


def test_a_collector_stopped_before_stays_stopped():
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()
