"""Sync from the user's side, against a real county server on 127.0.0.1: enrolling from the start
dialog (every refusal in words, a stopped download resumed), connecting a profile made on the laptop,
syncing on its own when the server comes back, and the status bar telling the truth about a disabled
account and a revoked laptop."""
from __future__ import annotations

import http.server
import threading

from PySide6.QtCore import Qt

import pytest

from core.models import new_id, utc_now
from gui.ops import ImmediateWorker
from gui.start import StartDialog
from gui_helpers import choose, ctrl, press
from sync.server.demo import SETTLEMENT_ID
from tests.sync.conftest import PASSWORD, free_port
from tests.sync.sync_helpers import GRID_W1, new_household, resident_id, run_sync, server_count, server_row


def enroll_dialog(qtbot, settings):  # noqa: ANN001, ANN201
    start = StartDialog(settings, ImmediateWorker())
    qtbot.addWidget(start)
    start.show()
    start.findChild(type(start.open_button), "enroll_profile").click()
    dialog = start.enroll_dialog
    assert dialog.isVisible()
    return start, dialog


def fill(dialog, url: str, username: str, password: str, folder) -> None:  # noqa: ANN001
    for line, text in ((dialog.url, url), (dialog.username, username), (dialog.password, password),
                       (dialog.folder, str(folder))):
        line.setText(text)  # the password holds Chinese: QTest.keyClicks aborts on it (DESIGN, pitfalls)


@pytest.fixture
def grid_households(enrol):  # noqa: ANN001
    """Households of w1's grid on the server, made by w2 on another laptop."""
    w2 = enrol("w2")
    for i in range(6):
        new_household(w2, no=f"H-GRID-{i}")
    run_sync(w2)
    return 6


def w1_households(county) -> int:  # noqa: ANN001
    return server_count(county, "household", grid_id=GRID_W1, deleted=False)


def test_enrolling_from_the_start_dialog_says_each_refusal_and_then_opens_with_the_households(
        qtbot, county, grid_households, settings, tmp_path):
    from sync.server.accounts import set_disabled
    from sync.server.db import writing

    start, dialog = enroll_dialog(qtbot, settings)
    folder = tmp_path / "w1-laptop"

    fill(dialog, "ftp://county", "w1", PASSWORD, folder)
    dialog.connect_button.click()
    assert dialog.message.text().startswith("服务器地址：") and "http://" in dialog.message.text()

    fill(dialog, f"http://127.0.0.1:{free_port()}", "w1", PASSWORD, folder)  # nothing listens there
    dialog.check_button.click()
    assert "连不上县服务器" in dialog.message.text()

    fill(dialog, county.url, "w1", "not-the-password", folder)
    dialog.connect_button.click()
    assert "用户名或密码不正确" in dialog.message.text() and not folder.exists()

    with writing(county.engine) as conn:
        set_disabled(conn, "w3", True)
    fill(dialog, county.url, "w3", PASSWORD, folder)
    dialog.connect_button.click()
    assert "账号已停用" in dialog.message.text() and not folder.exists()

    fill(dialog, county.url, "w1", PASSWORD, folder)
    dialog.check_button.click()
    assert "这是安居县服务器" in dialog.message.text()
    dialog.connect_button.click()

    assert not dialog.isVisible() and not start.isVisible()
    store = start.store
    assert store is not None and store.meta("server_url") == county.url
    assert store.count_households() == w1_households(county) == grid_households
    assert store.meta("enrolment") == ""
    store.close()


def test_the_enrol_dialog_counts_the_households_it_lists_at_the_end_of_the_download(qtbot, county, grid_households,
                                                                                   settings, tmp_path):
    start, dialog = enroll_dialog(qtbot, settings)
    dialog.page_size = 2  # many pages: the list's entries are made once, at the end
    shown: list[tuple[str, int, int]] = []
    dialog.sig_progress.connect(lambda stage, _done, _total: stage == "settle" and shown.append(
        (dialog.message.text(), dialog.progress.value(), dialog.progress.maximum())))
    fill(dialog, county.url, "w1", PASSWORD, tmp_path / "w1")
    dialog.connect_button.click()

    assert not dialog.isVisible()
    households = w1_households(county)
    assert shown == [(f"正在整理户列表：0/{households} 户", 0, households),
                     (f"正在整理户列表：{households}/{households} 户", households, households)]
    assert start.store.count_households() == households
    start.store.close()


def test_a_page_that_is_not_anju_is_named(qtbot, county, settings, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _start, dialog = enroll_dialog(qtbot, settings)
        fill(dialog, f"http://127.0.0.1:{server.server_address[1]}", "w1", PASSWORD, tmp_path / "p")
        dialog.connect_button.click()
        assert "不是安居县服务器" in dialog.message.text() and not (tmp_path / "p").exists()
    finally:
        server.shutdown()


def test_a_stopped_download_is_kept_and_the_app_goes_on_with_it(qtbot, county, grid_households, settings, tmp_path,
                                                                make_ctx, make_window):
    start, dialog = enroll_dialog(qtbot, settings)
    dialog.page_size = 2
    # The worker presses 停止下载 once the first households' people have come (the reference data comes first).
    dialog.sig_progress.connect(lambda stage, done, total: stage == "pull" and dialog.store.member_count()
                                and dialog.stop())
    fill(dialog, county.url, "w1", PASSWORD, tmp_path / "w1")
    dialog.connect_button.click()

    assert dialog.isVisible() and dialog.open_button.isVisible()
    assert "已停止下载" in dialog.message.text() and "接着下载" in dialog.message.text()
    dialog.open_button.click()
    store = start.store
    assert store.meta("enrolment") == "pulling"
    kept = store.member_count()
    assert 0 < kept and store.count_households() > 0  # what came is in the list

    window = make_window(make_ctx(store))  # the profile opens: the server answers, the download goes on

    assert store.meta("enrolment") == ""
    assert store.count_households() == w1_households(county) and store.member_count() > kept
    assert window.connection_label.text().startswith("已连接 县服务器")


def test_a_profile_made_on_the_laptop_connects_later_and_its_records_go_up(qtbot, county, grid_households, store,
                                                                         make_ctx, make_window):
    window = make_window(make_ctx(store))
    hid = new_id()  # a household typed before the profile knew any settlement or grid
    store.save_household({"id": hid, "household_no": "H-LOCAL-1", "building": "3", "room": "201"},
                         [{"id": new_id(), "name": "李本地", "relation": "head", "id_number": resident_id()}])
    assert window.connection_label.text() == "未连接服务器（离线工作）"
    dialog = window.sync_control.connect_server()
    for line, text in ((dialog.url, county.url), (dialog.username, "w1"), (dialog.password, PASSWORD)):
        line.setText(text)
    dialog.connect_button.click()

    assert not dialog.isVisible()
    assert store.meta("server_url") == county.url and store.actor.username == "w1"
    assert window.connection_label.text().startswith("已连接 县服务器")
    assert store.count_households() == grid_households + 1  # the grid's households came down beside its own
    # Typed before the profile knew any grid, it is outside every scope: refused, and kept on its record.
    assert server_row(county, "household", hid) is None
    refused = store.rejections_of_household(hid)
    assert refused and "范围" in refused[0]["reason"] and store.pending_change_count() == 0

    window.opener.open_household(hid)  # the worker gives it the grid and saves: it goes up whole
    form = window.opener.forms[f"household:{hid}"]
    assert form.refused_notice.isVisible()
    choose(form.editors["settlement_id"], SETTLEMENT_ID)
    choose(form.editors["grid_id"], GRID_W1)
    ctrl(form, Qt.Key.Key_S)
    press(window, Qt.Key.Key_F9)
    assert server_row(county, "household", hid)["household_no"] == "H-LOCAL-1"


def test_changes_made_while_the_server_was_away_go_up_on_their_own_when_it_returns(county, enrol, make_ctx,
                                                                                 make_window):
    store = enrol("w1")
    county.stop()
    window = make_window(make_ctx(store))
    assert window.connection_label.text().startswith("离线")
    hid = new_household(store, no="H-AWAY-1")
    window.refresh_pending()
    assert window.pending_count > 0

    county.start_in_thread()  # the same address: the network came back
    window.sync_control.timer.timeout.emit()  # the next check

    assert server_row(county, "household", hid) is not None
    assert window.pending_count == 0 and window.pending_label.text() == "待同步的修改：0 项"
    assert window.connection_label.text().startswith("已连接 县服务器") and "上次同步：" in window.connection_label.text()
    assert window.sync_control.message_box is None


def test_sync_on_its_own_waits_while_a_form_holds_unsaved_typing(county, enrol, make_ctx, make_window):
    from gui_helpers import type_text

    store = enrol("w1")
    hid = new_household(store, no="H-WAIT-1")
    window = make_window(make_ctx(store))
    window.refresh_pending()
    window.opener.open_household(hid)
    form = window.opener.forms[f"household:{hid}"]
    type_text(form.editors["notes"].input, "未保存")
    assert not window.sync_control.maybe_sync_on_its_own(changes_waiting=True)
    form.dirty = False
    assert window.sync_control.maybe_sync_on_its_own(changes_waiting=True)
    assert store.pending_change_count() == 0


def test_a_disabled_account_and_a_revoked_laptop_say_what_to_do(county, enrol, make_ctx, make_window):
    from sync.server.accounts import revoke_device, set_disabled
    from sync.server.db import writing

    store = enrol("w1")
    window = make_window(make_ctx(store))
    with writing(county.engine) as conn:
        set_disabled(conn, "w1", True)
    press(window, Qt.Key.Key_F9)
    label = window.connection_label.text()
    assert label.startswith("同步失败：账号已停用"), label
    assert "联系县管理员" in window.sync_control.message_box.text()
    assert "没有丢" in window.sync_control.message_box.text()

    with writing(county.engine) as conn:
        set_disabled(conn, "w1", False)
        revoke_device(conn, store.actor.device_id, utc_now())
    press(window, Qt.Key.Key_F9)
    assert window.connection_label.text().startswith("同步失败：这台电脑已被停用")
    assert "重新登录" in window.sync_control.message_box.text()
    shown = window.sync_control.message_box
    shown.close()
    new_household(store, no="H-WAITING")
    window.refresh_pending()
    window.sync_control.timer.timeout.emit()  # the server answers the next check: the failure still shows,
    assert window.connection_label.text().startswith("同步失败：这台电脑已被停用")
    assert window.sync_control.message_box in (None, shown)  # and no new box every few minutes


def test_a_household_moved_out_of_the_grid_leaves_the_list_after_the_next_sync(county, enrol, make_ctx,
                                                                             make_window):
    from tests.sync.sync_helpers import GRID_W3, edit_household

    w1, clerk = enrol("w1"), enrol("c1")
    moving, staying = new_household(w1, no="H-MOVING"), new_household(w1, no="H-STAYING")
    run_sync(w1)
    window = make_window(make_ctx(w1))
    assert {moving, staying} <= {row.id for row in window.households.model.rows}
    run_sync(clerk)
    edit_household(clerk, moving, grid_id=GRID_W3)
    run_sync(clerk)

    press(window, Qt.Key.Key_F9)

    shown = {row.id for row in window.households.model.rows}
    assert staying in shown and moving not in shown


def test_download_again_from_the_settings_menu(county, enrol, make_ctx, make_window, answer):
    from PySide6.QtWidgets import QMessageBox

    store = enrol("w1")
    window = make_window(make_ctx(store))
    hid = new_household(store, no="H-AGAIN")
    asked = answer(QMessageBox.StandardButton.Yes)
    window.findChild(type(window.sync_control.sync_action), "action_download_again").trigger()
    assert asked and "保留" in asked[0]
    assert server_row(county, "household", hid) is not None and store.pending_change_count() == 0
    assert store.pull_cursor() > 0 and window.statusBar().currentMessage().startswith("同步完成")
