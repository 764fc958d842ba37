"""The county server seen through a bad line, for the tests of syncs cut off half-way: a proxy that
holds requests unanswered (a request on its way when the worker gives up), and a worker's laptop
whose push it holds up."""
from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from sync.client import CancelFlag, Cancelled, SyncReport, push_outbox, server_for
from tests.sync.conftest import County


class StallingProxy:
    """The county server seen through a bad line: once `stall()` is called, every request to the path
    it names (a pull's pages, or a push's batches) after the next `pages_to_pass` is held unanswered
    until `release()` (a request on its way when the worker gives up)."""

    def __init__(self, target: str) -> None:
        import http.server

        import urllib3

        self.stalled, self.released = threading.Event(), threading.Event()
        self.pages_to_pass: int | None = None  # None: nothing held
        self.held_path = "/changes"  # the requests held: a pull's pages, or "/sync/push" a push's batches
        pool, proxy = urllib3.PoolManager(), self

        class Forward(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

            def forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.held_path in self.path and proxy.pages_to_pass is not None:
                    if proxy.pages_to_pass == 0:
                        proxy.stalled.set()
                        proxy.released.wait()
                    else:
                        proxy.pages_to_pass -= 1
                answer = pool.request(self.command, target + self.path, body=body or None,
                                      headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
                                      preload_content=False, decode_content=False, redirect=False, retries=False)
                data = answer.read(decode_content=False)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stall(self, pages_to_pass: int = 1, path: str = "/changes") -> None:
        """Holds the requests to `path` after the next `pages_to_pass` (those held before were released)."""
        self.stalled.clear()
        self.released.clear()
        self.pages_to_pass, self.held_path = pages_to_pass, path

    def let_others_pass(self) -> None:
        """The requests held stay held (until `release()`); the ones after them pass."""
        self.pages_to_pass = None

    def release(self) -> None:
        self.pages_to_pass = None
        self.released.set()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


class PushOnABadLine:
    """A worker's laptop enrolled through a StallingProxy, whose push a bad line holds up: `cut_off()`
    cancels it while its first batch is held, as the app's Cancel (or its closing) does, and returns
    once the push has ended, the batch's copy still on its way until `land()`."""

    def __init__(self, county: County, tmp_path: Path) -> None:
        from sync.client import enroll
        from tests.sync.conftest import PASSWORD

        self.county, self.proxy = county, StallingProxy(county.url)
        self.store, _report = enroll(tmp_path / "w1", self.proxy.url, "w1", PASSWORD)
        self.pusher: threading.Thread | None = None

    def push(self, report: SyncReport | None = None, cancel: CancelFlag | None = None,
             batch_rows: int | None = None) -> SyncReport:
        report = report or SyncReport()
        server = server_for(self.store)
        try:
            push_outbox(self.store, server, report, cancel=cancel, batch_rows=batch_rows)
        finally:
            server.close()
        return report

    def cut_off(self, batch_rows: int, passing: int = 0) -> None:
        """The push cancelled while its batch after the first `passing` is held."""
        cancel, outcome = CancelFlag(), []

        def push() -> None:
            try:
                self.push(cancel=cancel, batch_rows=batch_rows)
            except Cancelled as exc:
                outcome.append(exc)

        self.pusher = threading.Thread(target=push, daemon=True)
        self.proxy.stall(passing, path="/sync/push")
        self.pusher.start()
        assert self.proxy.stalled.wait(120), "the push never sent its first batch"
        cancel.cancel()
        self.pusher.join(60)  # the held batch is still unanswered
        assert not self.pusher.is_alive() and outcome, "the cancelled push waited for its batch"
        self.proxy.let_others_pass()

    def pushes(self) -> int:
        """The pushes of this laptop the server has taken."""
        from sync.server.models import access_log

        with self.county.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(access_log).where(
                access_log.c.action == "push", access_log.c.device_id == self.store.info.device_id)).scalar_one()

    def land(self, pushes: int) -> None:
        """The held copy goes on, and reaches the server as its `pushes`-th push."""
        self.proxy.release()
        deadline = time.monotonic() + 60
        while self.pushes() < pushes and time.monotonic() < deadline:
            time.sleep(0.1)
        assert self.pushes() == pushes, "the held copy never reached the server"

    def flagged(self) -> bool:
        from sync.server.models import device

        with self.county.engine.connect() as conn:
            return conn.execute(select(device.c.audit_flagged_at).where(
                device.c.device_id == self.store.info.device_id)).scalar_one() is not None

    def close(self) -> None:
        self.proxy.close()
        if self.pusher is not None and self.pusher.is_alive():
            self.pusher.join(60)
        self.store.close()

    def refused_with_a_later_save_held(self) -> str:
        """A household moved into another village's grid, and saved again while the move is on its
        way; the move is refused, and the later save's batch is held on the line, the sync cancelled.
        Returns the household's id."""
        from tests.sync.sync_helpers import GRID_ELSEWHERE, edit_household, new_household

        store = self.store
        hid = new_household(store, no="H-OK")
        self.push()
        edit_household(store, hid, grid_id=GRID_ELSEWHERE)  # another village's grid: refused
        self.cut_off(batch_rows=500)
        edit_household(store, hid, notes="后来的走访")  # saved while the move is on its way
        self.land(pushes=2)
        self.cut_off(batch_rows=500, passing=1)  # the move's answer (refused) arrives; the later save is held
        assert [r["row_id"] for r in store.sync_rejections()] == [hid] and store.pending_change_count() == 1
        return hid
