"""A county server on SQLite: its write-ahead log copied back into the database file by a thread of
its own, not by a push.

SQLite's own rule (wal_autocheckpoint) makes the commit that takes the log past 1,000 pages copy
the whole log back into the database, inside that commit: one push in every few paid for the
others, and a pipelined push from a laptop waited on it. The server's connections turn that off;
after a write commits, `Checkpointer.written` wakes this thread, which waits a moment for the
writes that follow (a push is sent in batches) and then copies what it can without waiting for
anyone (PASSIVE: readers and writers go on; what a reader still needs stays for the next round).
Several server processes on one database each have one; SQLite lets one copy at a time.

Commits themselves are durable (synchronous = FULL, sync.server.db): a push the server has
answered survives a power cut, whether or not its pages have been copied back yet.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

QUIET_SECONDS = 0.5  # no commit for this long: the writes have paused, the log is copied back
GATHER_SECONDS = 5.0  # at most this long after a commit, even if the writes go on
IDLE_SECONDS = 10.0  # the thread ends after this long without a write
LOG_LIMIT_BYTES = 64 * 1024 * 1024  # the log file is cut back to this when a write starts it anew


class Checkpointer:
    """The thread that copies an SQLite database's log back, for one engine. A write starts it;
    it ends once IDLE_SECONDS pass without one, and the next write starts another."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._wake = threading.Event()
        self._lock = threading.Lock()  # the thread's start and end, against a write's wake
        self._thread: threading.Thread | None = None
        self._round = threading.Lock()  # held while the log is copied
        self._skip = False  # the engine closed its connections: a copy gathered before is not made

    @property
    def running(self) -> bool:
        return self._thread is not None

    def written(self) -> None:
        """A write transaction committed: its pages are to be copied back soon."""
        with self._lock:
            self._skip = False
            self._wake.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="anju-checkpoint", daemon=True)
                self._thread.start()

    def settle(self) -> None:
        """The engine closed its connections (dispose): a copy under way ends first, and one gathered
        is not made, so that the file is left alone once dispose returns (a test, or an admin, may
        copy it). SQLite's last connection to close has copied the log back already."""
        with self._round:
            self._skip = True
            self._wake.clear()

    def _run(self) -> None:
        while True:
            if not self._wake.wait(IDLE_SECONDS):
                with self._lock:  # a write waking it now finds no thread, and starts one
                    if not self._wake.is_set():
                        self._thread = None
                        return
            self._gather()
            with self._round:
                if not self._skip:
                    self._checkpoint()

    def _gather(self) -> None:
        """Wait until the writes pause (QUIET_SECONDS without a commit), or at most GATHER_SECONDS:
        a page that several batches change is then copied once, not once a batch."""
        deadline = time.monotonic() + GATHER_SECONDS
        while True:
            self._wake.clear()
            left = deadline - time.monotonic()
            if left <= 0 or not self._wake.wait(min(QUIET_SECONDS, left)):
                return

    def _checkpoint(self) -> None:
        """One copy, on a connection of its own, closed after it: between rounds the thread holds no
        file open."""
        try:
            uri = Path(self.path).absolute().as_uri() + "?mode=rw"  # an existing file only: never made here
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:  # the log stays as it is and the next commit tries again; nothing is lost
            log.exception("copying the write-ahead log back into the county database failed")


def checkpoint_beside(engine: Engine, path: str) -> Checkpointer:
    """A Checkpointer for `engine` (SQLite, at `path`), quiet once the engine is disposed of (until
    it writes again)."""
    checkpointer = Checkpointer(path)
    event.listen(engine, "engine_disposed", lambda _engine: checkpointer.settle())
    return checkpointer
