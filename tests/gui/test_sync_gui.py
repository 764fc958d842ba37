"""Syncing from the main window against a real county server over HTTP (uvicorn on 127.0.0.1 on a
free port, a SQLite county database): F9 pushes what was typed, the status bar says whether the
server can be reached, a server that is down or a profile never enrolled says so, a clerk settles
a conflict."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui_helpers import choose, ctrl, newest_form, press, resident_id, type_text
from sync.client import CancelFlag
from sync.server.demo import SETTLEMENT_ID
from test_i18n import restore_app  # noqa: F401 - a fixture: the app back in Chinese afterwards
from tests.sync.conftest import pg_admin, pg_template, postgres_url  # noqa: F401 - fixtures: a PostgreSQL county
from tests.sync.sync_helpers import (
    GRID_ELSEWHERE, GRID_W1, corrected_house_area, new_household, phone_conflict, server_row, text_in_a_number_column,
)


class DeferredWorker:
    """A network worker that keeps its jobs until the test runs them."""

    def __init__(self):
        self.jobs = []

    def submit(self, job, on_success, on_failure):  # noqa: ANN001
        self.jobs.append((job, on_success, on_failure))

    def run_all(self) -> None:
        while self.jobs:
            job, on_success, on_failure = self.jobs.pop(0)
            try:
                result = job()
            except Exception as exc:  # noqa: BLE001
                on_failure(exc)
            else:
                on_success(result)

    def wait_idle(self, msecs: int = 0) -> bool:
        return True


def type_household(window, number: str) -> str:  # noqa: ANN001
    """A household typed into the form, in w1's grid, saved with Ctrl+S; returns its id."""
    ctrl(window, Qt.Key.Key_N)
    form = newest_form(window)
    QTest.keyClicks(form.editors["household_no"].input, number)
    choose(form.editors["settlement_id"], SETTLEMENT_ID)
    choose(form.editors["grid_id"], GRID_W1)
    QTest.keyClicks(form.editors["building"].input, "5")
    QTest.keyClicks(form.editors["room"].input, "302")
    form.tab_widget.setCurrentWidget(form.members)
    ctrl(form, Qt.Key.Key_N)
    type_text(form.members.editors["name"].input, "杨光明")
    QTest.keyClicks(form.members.editors["id_number"].input, resident_id("522601", "19790405", "013"))
    ctrl(form, Qt.Key.Key_S)
    assert form.record_id, form.summary.text()
    record_id = form.record_id
    form.close()
    return record_id


def test_f9_pushes_a_household_typed_in_the_gui_and_the_status_bar_says_connected(county, enrol, make_ctx,
                                                                                 make_window):
    store = enrol("w1")
    window = make_window(make_ctx(store))
    label = window.connection_label
    assert label.text().startswith("已连接 县服务器"), label.text()
    assert "上次同步：" in label.text()  # enrolling pulled once
    assert window.sync_control.timer.isActive() and window.sync_control.timer.interval() == 5 * 60_000

    household_id = type_household(window, "H-GUI-0001")
    assert window.pending_count > 0 and server_row(county, "household", household_id) is None
    press(window, Qt.Key.Key_F9)

    on_server = server_row(county, "household", household_id)
    assert on_server is not None and on_server["household_no"] == "H-GUI-0001"
    assert window.pending_count == 0 and "0" in window.pending_label.text()
    assert label.text().startswith("已连接 县服务器") and "上次同步：" in label.text()
    assert window.statusBar().currentMessage().startswith("同步完成：上传 ")
    assert window.sync_control.message_box is None  # success needs no box


def test_a_server_that_is_down_shows_offline_and_the_changes_wait(county, enrol, make_ctx, make_window):
    store = enrol("w1")
    new_household(store)
    pending = store.pending_change_count()
    county.stop()
    window = make_window(make_ctx(store))
    assert window.connection_label.text().startswith("离线（连不上服务器）")

    press(window, Qt.Key.Key_F9)
    assert window.connection_label.text().startswith("离线（连不上服务器）")
    assert "连不上县服务器" in window.connection_label.toolTip()
    assert window.sync_control.message_box is not None
    assert "连不上县服务器" in window.sync_control.message_box.text()
    assert not window.sync_control.message_box.isModal()
    assert window.statusBar().currentMessage().startswith("同步失败：")
    assert store.pending_change_count() == pending and window.pending_count == pending
    assert not window.sync_control.running  # F9 can try again


def test_the_periodic_check_notices_the_server_going_away(county, enrol, make_ctx, make_window):
    store = enrol("w1")
    window = make_window(make_ctx(store))
    assert window.connection_label.text().startswith("已连接 县服务器")
    county.stop()
    window.sync_control.timer.timeout.emit()  # the next check, a few minutes later
    assert window.connection_label.text().startswith("离线（连不上服务器）")
    assert window.sync_control.message_box is None  # a check the worker did not ask for shows no box


def test_a_refused_login_is_named_in_the_status_bar(county, enrol, make_ctx, make_window):
    store = enrol("w1")
    store.set_meta("server_token", "revoked")
    window = make_window(make_ctx(store))
    press(window, Qt.Key.Key_F9)
    label = window.connection_label
    assert label.text().startswith("同步失败：") and len(label.text()) < 80, label.text()
    assert label.toolTip() and label.toolTip() in window.sync_control.message_box.text()


def test_a_profile_not_enrolled_works_offline_and_says_how_to_enrol(window):
    assert window.connection_label.text() == "未连接服务器（离线工作）"
    assert not window.sync_control.timer.isActive()
    press(window, Qt.Key.Key_F9)
    box = window.sync_control.message_box
    assert box is not None and "连接县服务器…" in box.text() and "还没有连接县服务器" in box.text()
    assert window.connection_label.text() == "未连接服务器（离线工作）"


def test_a_second_f9_does_nothing_while_a_sync_runs_and_cancel_stops_it(store, make_ctx, make_window):
    from sync.client import Cancelled  # noqa: F401 - the error the cancelled job ends with

    store.set_meta("server_url", "http://127.0.0.1:9")  # enrolled as far as the window knows
    net = DeferredWorker()
    window = make_window(replace(make_ctx(store), net=net))
    control = window.sync_control
    assert [j for j in net.jobs] and control.connection_text().startswith("正在连接县服务器")
    net.jobs.clear()  # the first check
    press(window, Qt.Key.Key_F9)
    press(window, Qt.Key.Key_F9)
    assert len(net.jobs) == 1 and control.running
    assert not control.sync_action.isEnabled() and control.cancel_action.isEnabled()
    assert not window.sync_button.isEnabled()
    control.check_connection()
    assert len(net.jobs) == 1, "no check while a sync runs"
    control.cancel_action.trigger()
    net.run_all()
    assert not control.running and control.sync_action.isEnabled() and not control.cancel_action.isEnabled()
    assert window.statusBar().currentMessage().startswith("同步已取消")
    assert control.message_box is None  # a cancel the worker asked for needs no box


def test_progress_comes_back_to_the_ui_from_the_network_thread_while_the_database_worker_saves(
        qtbot, monkeypatch, county, enrol, make_ctx, make_window):
    import sync.push
    from gui.ops import Worker

    store = enrol("w1")
    for i in range(7):
        new_household(store, no=f"H-T-{i}")
    net, db = Worker("network"), Worker("database")
    ctx = make_ctx(store)
    ctx.settings.set("sync/auto", False)  # this test starts the sync itself
    window = make_window(replace(ctx, net=net, db=db))
    qtbot.waitUntil(lambda: window.connection_label.text().startswith("已连接"), timeout=10_000)
    seen = []
    window.sync_control.sig_progress.connect(lambda *args: seen.append(window.statusBar().currentMessage()))
    monkeypatch.setattr(sync.push, "PUSH_ROWS", 3)  # three pushes of at most 3 households
    with qtbot.waitSignal(window.sync_control.sig_synced, timeout=30_000):
        window.sync_control.sync_now()
        window.ctx.op(lambda s: new_household(s, no="H-DURING")).run()  # the database worker meanwhile
    db.wait_idle()
    net.wait_idle()
    assert any(m.startswith("正在同步：上传 ") for m in seen), seen
    assert store.count_households() == 8


def test_rejected_changes_are_listed_with_their_reasons(county, enrol, make_ctx, make_window):
    store = enrol("w1")
    window = make_window(make_ctx(store))
    new_household(store, grid_id=GRID_ELSEWHERE, no="H-ELSEWHERE")  # another village's grid
    press(window, Qt.Key.Key_F9)
    dialog = window.sync_control.rejections_dialog
    assert dialog.isVisible() and not dialog.isModal()
    reasons = dialog.reasons()
    assert reasons and all(r for r in reasons)
    assert "被服务器拒绝" in window.statusBar().currentMessage()
    assert store.pending_change_count() == 0 and "被拒绝 2 项" in window.pending_label.text()  # the household, its head
    dialog.close()
    window.findChild(type(window.sync_control.sync_action), "action_rejections").trigger()
    assert window.sync_control.rejections_dialog.reasons() == reasons  # kept in the profile


def test_a_clerk_sees_a_conflict_and_settles_it(county, enrol, make_ctx, make_window):
    w1, _w2, hid = phone_conflict(enrol)
    clerk = enrol("c1")
    worker_window = make_window(make_ctx(w1))
    assert worker_window.sync_control.conflicts_action is None  # workers have no review queue
    window = make_window(make_ctx(clerk))
    assert "待处理冲突 1 条" in window.pending_label.text()  # said in the status bar, for clerks
    dialog = window.sync_control.show_conflicts()
    model = dialog.model
    assert model.rowCount() == 1
    cells = model.cells(model.rows[0])
    assert cells[:6] == ("户", "联系电话", "13800138000", "w1", "13900139000", "w2"), cells
    assert not dialog.take_client.isEnabled()
    dialog.view.selectRow(0)
    assert dialog.take_client.isEnabled() and dialog.type_value.isEnabled()
    dialog.take_client.click()
    assert model.rowCount() == 0
    assert "没有等待处理" in dialog.note.text()
    assert server_row(county, "household", hid)["phone"] == "13900139000"
    assert clerk.get_household(hid, log_access=False).household["phone"] == "13900139000"


def test_the_sync_menu_status_and_windows_speak_english(restore_app, county, enrol, make_ctx, make_window):
    from gui.i18n import install_language
    from test_i18n import collect_chrome

    _w1, _w2, hid = phone_conflict(enrol)
    clerk = enrol("c1")
    ctx = make_ctx(clerk)
    ctx = replace(ctx, language=install_language(restore_app, "en")[0])
    window = make_window(ctx)
    assert window.connection_label.text().startswith("Connected to the county server · Last sync: ")
    conflicts = window.sync_control.show_conflicts()
    assert conflicts.model.rowCount() == 1
    rejections = window.sync_control.show_rejections(
        [{"entity": "household", "row_id": hid, "reason": "户不在您的工作范围内。 / The household is outside your scope."}])
    assert rejections.reasons() == ["The household is outside your scope."]
    data = {clerk.info.display_name, "c1", "w1", "w2"} | {s["name"] for s in clerk.settlements()}
    data |= {g["name"] for g in clerk.grids()}
    chrome = collect_chrome([window, conflicts, rejections], data)
    texts = [text for _where, text in chrome.texts]
    assert "S&ync" in texts and "Review sync conflicts…" in texts and "Keep the server's value" in texts
    assert chrome.with_cjk() == []
    window.sync_control.sync_now()
    assert window.statusBar().currentMessage().startswith("Sync done: ")


def test_a_busy_server_is_said_as_busy_not_as_away(restore_app):
    """A 503 the server sends when it is busy (sync.client keeps its code) is said as such, in both
    languages, with the worker's changes kept and the sync to come: not "cannot reach the server"."""
    from gui.i18n import install_language
    from gui.sync_words import failure_words
    from sync.client import ServerUnreachable

    words = {}
    for lang in ("zh_CN", "en"):
        install_language(restore_app, lang)
        for code in ("server_busy", "device_busy"):
            busy = ServerUnreachable("县服务器正忙，请稍后再同步。 / The county server is busy; sync again shortly.")
            busy.code = code
            words[lang, code] = failure_words(busy, lang)
    assert words["zh_CN", "server_busy"][0] == "县服务器正忙"
    assert words["zh_CN", "device_busy"][0] == "上一次同步还没结束"
    assert words["en", "server_busy"][0] == "County server busy"
    assert words["en", "device_busy"][0] == "Last sync still running"
    for (lang, _), (short, message) in words.items():
        assert "连不上" not in short + message and "reach" not in (short + message).lower()
        assert "F9" in message and ("没有丢" in message or "nothing is lost" in message)


def test_a_busy_server_shows_busy_and_the_sync_goes_through_once_it_is_free(postgres_url, tmp_path, make_ctx,
                                                                                make_window, monkeypatch):
    """The county server's one database connection held (a server under load): F9 ends in "busy" in the
    connection label and the message, the changes wait; once the connection is free, the next check of
    the server lets the app sync on its own, and they go up."""
    import gui.sync_ops
    from sync.client import enroll
    from tests.sync.conftest import PASSWORD, running_county

    monkeypatch.setattr(gui.sync_ops, "_pause", lambda cancel, seconds: None)  # the retries' pauses, at once
    with running_county(postgres_url, connections=1, wait_for_connection=0.3) as county:
        store, _ = enroll(tmp_path / "w1", county.url, "w1", PASSWORD)
        try:
            household_id = new_household(store)
            ctx = make_ctx(store)
            ctx.settings.set("sync/auto", False)  # the window's own first sync would go through at once
            window = make_window(ctx)
            held = county.engine.connect()  # the server's one connection, busy with something long
            try:
                press(window, Qt.Key.Key_F9)
                label = window.connection_label
                assert label.text().startswith("县服务器正忙"), label.text()
                message = window.sync_control.message_box.text()
                assert "太忙" in message and "没有丢" in message and "连不上" not in message
                assert store.pending_change_count() == 2  # the household and its head, kept
            finally:
                held.close()
            ctx.settings.set("sync/auto", True)
            window.sync_control.timer.timeout.emit()  # the next check of the server, a few minutes later
            assert label.text().startswith("已连接 县服务器"), label.text()
            assert store.pending_change_count() == 0 and server_row(county, "household", household_id)
        finally:
            store.close()


def test_a_batch_the_server_refuses_for_its_size_is_said_with_what_to_do(restore_app):
    """A push refused for its size with nothing left to cut (an offline bundle's batch, never cut:
    sync.push) says so and what to do, in both languages, with the changes kept: not the server's bare
    "request too large"."""
    from gui.i18n import install_language
    from gui.sync_words import failure_words
    from sync.client import SyncError

    said = {}
    for lang in ("zh_CN", "en"):
        install_language(restore_app, lang)
        refused = SyncError("解压后请求太大（最多 4194304 字节）。 / The request is too large.")
        refused.code = "too_large"
        said[lang] = failure_words(refused, lang)
    assert said["zh_CN"][0] == "县服务器不收这批更改" and "离线包" in said["zh_CN"][1] and "没有丢" in said["zh_CN"][1]
    assert said["en"][0] == "The county server refuses this batch of changes"
    assert "offline bundle" in said["en"][1] and "nothing is lost" in said["en"][1]


def test_a_record_the_laptop_cannot_store_is_said_by_its_kind_field_and_id_with_what_to_do(restore_app):
    """A page refused for a record holding what its column cannot take (text in a number's column of a
    county database edited by hand) names the record's kind, field and id in the UI language, and
    says who corrects it: not "the program went wrong"."""
    from gui.i18n import install_language
    from gui.sync_words import failure_words
    from sync.errors import ServerRecordUnusable

    said = {}
    for lang in ("zh_CN", "en"):
        install_language(restore_app, lang)
        refused = ServerRecordUnusable("household", "house_area", "5e77a1a0-0000-4000-8000-000000000042")
        said[lang] = failure_words(refused, lang)
    assert said["zh_CN"][0] == "县服务器上有一条记录存不进本机"
    assert all(w in said["zh_CN"][1] for w in ("户记录", "住房面积", "5e77a1a0-0000-4000-8000-000000000042", "县管理员"))
    assert said["en"][0] == "A record on the county server cannot be stored here"
    assert all(w in said["en"][1] for w in ("household record", "house area", "county admin", "nothing is lost"))


def test_f9_against_a_record_the_laptop_cannot_store_says_which_and_keeps_the_list(county, enrol, make_ctx,
                                                                                make_window):
    if county.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps no text in a number's column")
    store = enrol("w1")
    before = store.count_households()
    hid = text_in_a_number_column(county, 5)
    ctx = make_ctx(store)
    ctx.settings.set("sync/auto", False)
    window = make_window(ctx)
    press(window, Qt.Key.Key_F9)
    assert window.connection_label.text().startswith("同步失败：县服务器上有一条记录存不进本机"), window.connection_label.text()
    message = window.sync_control.message_box.text()
    assert all(w in message for w in ("户记录", "住房面积", hid, "县管理员")) and "程序出错" not in message
    assert store.count_households() == before  # the page refused whole
    corrected_house_area(county, hid)
    press(window, Qt.Key.Key_F9)
    assert store.count_households() > before and window.connection_label.text().startswith("已连接 县服务器")


def test_the_status_bar_counts_the_households_listed_at_the_end_of_a_long_download(county, enrol, make_ctx,
                                                                                  make_window):
    window = make_window(make_ctx(enrol("w1")))
    window.sync_control.sig_progress.emit("pull", 30000, None)
    assert window.statusBar().currentMessage() == "正在同步：下载 30000 条"
    window.sync_control.sig_progress.emit("settle", 2000, 7500)  # as sync.pull says it, chunk by chunk
    assert window.statusBar().currentMessage() == "正在同步：整理户列表 2000/7500"
    window.sync_control.cancel_flag = CancelFlag()  # the worker cancels: the chunk being listed still reports
    window.sync_control.cancel()
    window.sync_control.sig_progress.emit("settle", 4000, 7500)
    assert window.statusBar().currentMessage() == "正在取消同步……"
    window.sync_control.cancel_flag = None
