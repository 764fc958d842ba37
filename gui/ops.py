"""User actions run off the UI thread and come back by signal (after Anki's CollectionOp).

    DbOp(ctx.db, lambda store: store.save_household(h, members)).success(on_saved).failure(on_error).run()

Database work goes through one worker (`ctx.db`, a single thread, so writes never race) and
network work through another (`ctx.net`). Tests build the context with `ImmediateWorker`, which
runs the work at once on the calling thread, so a test needs no waiting.
"""
from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class Worker(QObject):
    """One background thread; jobs run in the order given, results come back on the UI thread."""

    sig_finished = Signal(int, object, object)  # token, result, exception
    sig_busy = Signal(bool)

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.setObjectName(name)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._tokens = itertools.count(1)
        self._pending: dict[int, tuple[Callable, Callable]] = {}
        self.sig_finished.connect(self._deliver)  # queued: emitted from the pool's thread

    def submit(self, job: Callable[[], Any], on_success: Callable[[Any], None],
               on_failure: Callable[[BaseException], None]) -> None:
        token = next(self._tokens)
        self._pending[token] = (on_success, on_failure)
        if len(self._pending) == 1:
            self.sig_busy.emit(True)
        finished = self.sig_finished

        class _Job(QRunnable):
            def run(self) -> None:  # runs on the worker thread
                try:
                    result = job()
                except BaseException as exc:  # noqa: BLE001 - handed to the UI, never lost
                    exc.__anju_traceback__ = traceback.format_exc()  # type: ignore[attr-defined]
                    finished.emit(token, None, exc)
                else:
                    finished.emit(token, result, None)

        self._pool.start(_Job())

    @Slot(int, object, object)
    def _deliver(self, token: int, result: Any, error: BaseException | None) -> None:
        on_success, on_failure = self._pending.pop(token)
        if not self._pending:
            self.sig_busy.emit(False)
        if error is None:
            on_success(result)
        else:
            log_if_unforeseen(error, self.objectName(), on_failure)
            on_failure(error)

    def wait_idle(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)


class ImmediateWorker(QObject):
    """For tests: runs each job at once on the calling thread, then its callback."""

    sig_busy = Signal(bool)

    def submit(self, job: Callable[[], Any], on_success: Callable[[Any], None],
               on_failure: Callable[[BaseException], None]) -> None:
        try:
            result = job()
        except Exception as exc:  # noqa: BLE001 - handed to the failure callback as the real worker does
            log_if_unforeseen(exc, "immediate", on_failure)
            on_failure(exc)
            return
        on_success(result)

    def wait_idle(self, msecs: int = 0) -> bool:
        return True


def own_worker(shared: Worker | ImmediateWorker, name: str, parent: QObject) -> Worker | ImmediateWorker:
    """A worker of its own for long jobs that must hold up neither saves nor reads (a backup, an export, a
    roster check); in tests, where `shared` runs everything at once, that one, so a test needs no waiting."""
    return shared if isinstance(shared, ImmediateWorker) else Worker(name, parent)


class DbOp:
    """A piece of work on the store, run by the database worker: `.success(f).failure(g).run()`."""

    def __init__(self, worker: Worker | ImmediateWorker, store: Any, job: Callable[[Any], Any]):
        self._worker, self._store, self._job = worker, store, job
        self._on_success: Callable[[Any], None] = lambda _result: None
        self._on_failure: Callable[[BaseException], None] | None = None

    def success(self, callback: Callable[[Any], None]) -> "DbOp":
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> "DbOp":
        self._on_failure = callback
        return self

    def run(self) -> None:
        store, job = self._store, self._job
        self._worker.submit(lambda: job(store), self._on_success, self._on_failure or _unhandled)


def _unhandled(error: BaseException) -> None:
    """No failure callback: raised again on the UI thread, where the app's exception hook
    (gui/app.py) logs it and tells the user."""
    raise error


def unforeseen(error: BaseException) -> bool:
    """A failure Anju did not foresee (a bug, a library's own error), as against core's and sync's
    own errors, which say in words what is wrong and what to do."""
    return type(error).__module__.split(".")[0] not in ("core", "sync")


def log_if_unforeseen(error: BaseException, worker: str, on_failure: Callable[[BaseException], None]) -> None:
    """Every unforeseen failure of background work reaches the log with the worker thread's
    traceback (the screen says it in words too; the log never holds record values: the engines
    hide SQL parameters), unless its failure callback logs it itself (`logged`)."""
    if unforeseen(error) and not getattr(on_failure, "logs_the_failure", False):
        trace = getattr(error, "__anju_traceback__", None)
        if trace:
            log.error("work on the %s thread failed:\n%s", worker, trace)
        else:
            log.error("work on the %s thread failed", worker, exc_info=error)


def logged(what: str) -> Callable[[BaseException], None]:
    """A failure callback for background reads whose failure the screen can live with (a count,
    a list refreshed again later): the failure goes to the log with the worker thread's traceback,
    never silently nowhere."""
    def on_failure(error: BaseException) -> None:
        trace = getattr(error, "__anju_traceback__", None)
        if trace:
            log.warning("%s failed on a worker thread:\n%s", what, trace)
        else:
            log.warning("%s failed", what, exc_info=error)
    on_failure.logs_the_failure = True  # type: ignore[attr-defined]
    return on_failure
