"""sync.server.turns: a server process runs as many requests' database work at once as it keeps
connections; the others wait in line, first come first served, and one that waits too long is told
so (the route answers 503 "busy", and the laptop sends it again)."""
from __future__ import annotations

import threading
import time

import anyio
import anyio.to_thread
import pytest

from sync.server.turns import NoTurn, Turns


def _in_thread(work):  # noqa: ANN001, ANN202 - as Starlette's run_in_threadpool
    return anyio.to_thread.run_sync(work)


def test_no_more_requests_than_connections_work_at_once_and_they_go_in_the_order_they_came():
    turns = Turns(2, wait=10.0, run_in_thread=_in_thread)
    lock = threading.Lock()
    at_work, most, began = [0], [0], []

    def work(n: int) -> int:
        with lock:
            began.append(n)
            at_work[0] += 1
            most[0] = max(most[0], at_work[0])
        time.sleep(0.05)
        with lock:
            at_work[0] -= 1
        return n * 10

    async def main() -> list[int]:
        answers: dict[int, int] = {}

        async def request(n: int) -> None:
            answers[n] = await turns.run(lambda: work(n))

        async with anyio.create_task_group() as requests:
            for n in range(7):
                requests.start_soon(request, n)
                await anyio.sleep(0.005)  # they come one after another
        return [answers[n] for n in range(7)]

    assert anyio.run(main) == [n * 10 for n in range(7)], "every request gets its own answer"
    assert most[0] == 2, "two at work at a time, never more"
    assert began == list(range(7)), "served in the order they came"


def test_a_request_that_waits_longer_than_a_connection_would_is_refused_and_the_next_one_served():
    turns = Turns(1, wait=0.2, run_in_thread=_in_thread)
    release = threading.Event()

    async def main() -> tuple[str, str, str]:
        outcome: dict[str, str] = {}

        async def long_request() -> None:
            outcome["long"] = await turns.run(lambda: release.wait(5) and "done")

        async def waiting_request() -> None:
            try:
                outcome["waiting"] = await turns.run(lambda: "ran")
            except NoTurn as exc:
                outcome["waiting"] = f"no turn after {exc.waited:.1f} s"
            release.set()  # the long one ends once this one has been told

        async with anyio.create_task_group() as requests:
            requests.start_soon(long_request)
            await anyio.sleep(0.02)
            requests.start_soon(waiting_request)
        outcome["later"] = await turns.run(lambda: "ran")  # the turn is free again
        return outcome["long"], outcome["waiting"], outcome["later"]

    assert anyio.run(main) == ("done", "no turn after 0.2 s", "ran")


def test_a_turn_is_given_back_when_the_work_fails():
    turns = Turns(1, wait=0.5, run_in_thread=_in_thread)

    def fails() -> None:
        raise RuntimeError("the database went away")

    async def main() -> str:
        with pytest.raises(RuntimeError, match="went away"):
            await turns.run(fails)
        return await turns.run(lambda: "the next one runs")

    assert anyio.run(main) == "the next one runs"


def test_at_least_one_at_a_time():
    with pytest.raises(ValueError, match="at least 1"):
        Turns(0, wait=1.0, run_in_thread=_in_thread)
