"""What a long job (a ledger export, a roster check, an import) is handed: somewhere to say how far it
has come, and a way to be asked to stop. Plain Python, so a job runs and is tested without a widget
(Orange's `run(..., state)`); the GUI passes one whose report emits a Qt signal, the command line one
that prints to stderr.
"""
from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The user asked the job to stop; whatever it was writing is removed or rolled back."""

    code = "cancelled"


class Progress:
    """`advance(done, total, stage)` from the job; `cancel()` from anywhere (another thread)."""

    def __init__(self, report: Callable[[int, int, str], None] | None = None) -> None:
        self._report = report
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def check(self) -> None:
        """Raise Cancelled when asked to stop (call it between steps that can be abandoned)."""
        if self._stop.is_set():
            raise Cancelled()

    def advance(self, done: int, total: int, stage: str = "") -> None:
        """Say how far the job is (`stage` a code such as 'rows' or 'saving'), then stop if asked."""
        if self._report is not None:
            self._report(done, total, stage)
        self.check()


QUIET = Progress()  # for callers that want neither reports nor a way to stop
