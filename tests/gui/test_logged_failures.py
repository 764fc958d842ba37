"""A background read that fails is logged with its traceback, never swallowed."""
from __future__ import annotations

import logging

from gui.ops import ImmediateWorker, Worker, logged


def test_a_failed_background_read_is_logged_with_its_traceback(qtbot, caplog):
    worker = Worker("reader")

    def broken() -> int:
        raise RuntimeError("the count could not be read")

    with caplog.at_level(logging.WARNING, logger="gui.ops"):
        with qtbot.waitSignal(worker.sig_busy, check_params_cb=lambda busy: not busy):
            worker.submit(broken, lambda _n: None, logged("counting households"))
    assert worker.wait_idle()
    record = next(r for r in caplog.records if "counting households" in r.getMessage())
    assert "RuntimeError: the count could not be read" in record.getMessage()
    assert "Traceback" in record.getMessage()


def test_the_immediate_worker_logs_the_same_way(caplog):
    with caplog.at_level(logging.WARNING, logger="gui.ops"):
        ImmediateWorker().submit(lambda: 1 / 0, lambda _n: None, logged("reading conflicts"))
    record = next(r for r in caplog.records if "reading conflicts" in r.getMessage())
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
