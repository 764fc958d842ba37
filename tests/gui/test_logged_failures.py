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


def test_an_unforeseen_failure_of_a_save_is_logged_and_said_in_words(qtbot, caplog):
    """A bug in background work (not one of core's errors, which carry their words) reaches the log
    with the worker's traceback, and the worker is told plainly, pointed at the log."""
    from gui.i18n import error_message

    worker, told = Worker("database"), []

    def broken() -> None:
        raise KeyError("summary")

    with caplog.at_level(logging.ERROR, logger="gui.ops"):
        with qtbot.waitSignal(worker.sig_busy, check_params_cb=lambda busy: not busy):
            worker.submit(broken, lambda _n: None, lambda e: told.append(error_message(e, "zh")))
    assert worker.wait_idle()
    [record] = [r for r in caplog.records if r.name == "gui.ops"]
    assert "database" in record.getMessage() and "KeyError: 'summary'" in record.getMessage()
    assert told and "详情已记入日志" in told[0] and "帮助 → 打开日志文件夹" in told[0]


def test_a_foreseen_error_is_said_in_its_own_words_and_not_logged_as_a_fault(caplog):
    from core.store import WrongPassword
    from gui.i18n import error_message

    told = []
    with caplog.at_level(logging.ERROR, logger="gui.ops"):
        ImmediateWorker().submit(lambda: (_ for _ in ()).throw(WrongPassword()),
                                 lambda _n: None, lambda e: told.append(error_message(e, "zh")))
    assert told == ["密码不正确，无法打开此档案。"] and not [r for r in caplog.records if r.name == "gui.ops"]


def test_an_exception_nothing_caught_on_the_ui_thread_is_logged_and_said(qapp, monkeypatch, caplog):
    import sys

    from PySide6.QtWidgets import QMessageBox

    from gui.app import install_exception_hook

    said = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text: said.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    install_exception_hook("zh")
    try:
        {}["missing"]
    except KeyError as exc:
        with caplog.at_level(logging.ERROR, logger="gui.app"):
            sys.excepthook(type(exc), exc, exc.__traceback__)
    [record] = [r for r in caplog.records if r.name == "gui.app"]
    assert record.exc_info[0] is KeyError
    assert said and said[0][0] == "出错了" and "详情已记入日志" in said[0][1]
