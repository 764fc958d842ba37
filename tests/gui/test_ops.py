"""Background work: the real database worker runs jobs off the UI thread, in order, and hands
results and errors back on the UI thread."""
from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from gui.ops import Worker
from gui_helpers import newest_form


def test_jobs_run_in_order_off_the_ui_thread_and_answer_on_it(qtbot):
    worker = Worker("test")
    ui = threading.get_ident()
    ran, answered = [], []
    for i in range(5):
        worker.submit(lambda i=i: (ran.append((i, threading.get_ident())), i)[1],
                      lambda result: answered.append((result, QThread.currentThread() is QApplication.instance().thread())),
                      lambda error: answered.append(("error", error)))
    worker.submit(lambda: 1 / 0, lambda _r: answered.append("no"), lambda error: answered.append(type(error).__name__))
    qtbot.waitUntil(lambda: len(answered) == 6, timeout=5000)
    assert [i for i, _thread in ran] == [0, 1, 2, 3, 4]
    assert all(thread != ui for _i, thread in ran)
    assert answered[:5] == [(i, True) for i in range(5)]
    assert answered[5] == "ZeroDivisionError"
    worker.wait_idle()


def test_a_household_saves_through_the_real_worker(qtbot, store, make_ctx, make_window):
    from dataclasses import replace

    ctx = replace(make_ctx(store), db=Worker("database"))
    window = make_window(ctx)
    window.opener.open_household(None)
    qtbot.waitUntil(lambda: bool(window.opener.open_forms()), timeout=5000)
    form = newest_form(window)
    form.editors["household_no"].input.setText("H-THREAD")
    form.members.add_member()
    form.members.editors["name"].input.setText("吴敏")
    with qtbot.waitSignal(form.sig_saved, timeout=5000):
        form.save()
    qtbot.waitUntil(lambda: not form.dirty and form.windowTitle() == form.title(), timeout=5000)
    assert store.count_households() == 1
    assert form.members.rows()[0].get("id")  # the reload gave the new member its id
    ctx.db.wait_idle()
