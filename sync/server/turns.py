"""Whose turn it is at the database, in one server process.

A request's database work (a push's merge, a pull's page, a login) runs in a worker thread and holds
one of the process's few database connections (sync.server.db.DB_CONNECTIONS) from its first
statement to its commit. `Turns` lets as many requests' work run at once as the process keeps
connections; the others wait their turn in the order they came, in the event loop, without a thread.

Before it, each waiting request took a worker thread of its own (up to forty) and waited in the
connection pool; twenty-odd pushes then shared the cores in small slices, and each took longer the
more there were. In turn, the first to come is the first served, and the longest wait is shorter
(bench/load.py, docs/deployment.md). A request that waits longer than the pool's own wait for a
connection (sync.server.db.WAIT_FOR_CONNECTION) is answered 503 with Retry-After, as one that found no
connection free always was: the laptop sends it again a little later (sync.client).
"""
from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

T = TypeVar("T")


class NoTurn(Exception):
    """A request waited longer than `waited` seconds for its turn at the database."""

    def __init__(self, waited: float, at_once: int):
        super().__init__(f"waited {waited:.1f} s for one of {at_once} turns at the database")
        self.waited, self.at_once = waited, at_once


class Turns:
    """`at_once` requests' database work at a time; `wait`: the longest a request waits for its turn
    (NoTurn after it); `run_in_thread`: how the work is run off the event loop (Starlette's
    run_in_threadpool)."""

    def __init__(self, at_once: int, wait: float, run_in_thread: Callable[..., Awaitable[T]]) -> None:
        if at_once < 1:
            raise ValueError("at_once must be at least 1")
        self.at_once, self.wait = at_once, wait
        self._run_in_thread = run_in_thread
        self._turns = anyio.CapacityLimiter(at_once)  # waiters are served first come, first served

    async def run(self, work: Callable[[], T]) -> T:
        """`work()` in a worker thread once it is this request's turn."""
        try:
            self._turns.acquire_nowait()  # a free turn, as nearly always: no deadline to set up
        except anyio.WouldBlock:
            with anyio.move_on_after(self.wait if math.isfinite(self.wait) else None) as waiting:
                await self._turns.acquire()
            if waiting.cancelled_caught:
                raise NoTurn(self.wait, self.at_once) from None
        try:
            return await self._run_in_thread(work)
        finally:
            self._turns.release()
