"""A request sent beside the sync's own thread: the push's next batch on its way, the pull's next page."""
from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import Any, TypeVar

from sync.errors import CancelFlag

T = TypeVar("T")
CANCEL_LOOKS = 0.1  # seconds: how often waiting for a request sent beside looks whether the sync was cancelled


class StopFlag(CancelFlag):
    """The cancel flag of the requests sent beside: set by the caller's (a cancel), or by the push or
    pull they serve ending, so that a request left on its way after a failure stops its retries."""

    def __init__(self, cancel: CancelFlag | None) -> None:
        super().__init__()
        self._caller = cancel

    @property
    def cancelled(self) -> bool:
        return super().cancelled or bool(self._caller and self._caller.cancelled)


def beside(name: str, work: Callable[..., T], *args: Any) -> Future[T]:
    """`work(*args)` run on a thread of its own called `name`, its outcome in the Future (the arguments
    are taken now: the caller's variables may name the next batch by the time the thread runs).

    The thread is a daemon: a request on its way does not hold up the program's exit after a Ctrl+C.
    (A ThreadPoolExecutor's threads are joined when Python exits, so the command line printed that it
    had cancelled and then waited for the request, up to its two-minute read timeout on a bad line.)"""
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(work(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the Future
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


def when_done(future: Future[T], cancel: CancelFlag | None) -> T:
    """The outcome of a request sent beside, once it is here. A cancel meanwhile (the app's button, or
    its closing) stops the wait at once (Cancelled), not when a request held up on a bad line gives up
    (its read timeout is two minutes): the request is left to end on its own thread."""
    while not wait([future], timeout=CANCEL_LOOKS).done:
        if cancel:
            cancel.check()
    return future.result()
