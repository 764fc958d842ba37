"""Changes the county server refused (a real server on 127.0.0.1), shown on the record they belong
to until the worker corrects and resends them or gives them up; nothing disappears silently."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gui_helpers import choose, ctrl, press
from sync.server.demo import SETTLEMENT_ID
from tests.sync.sync_helpers import GRID_ELSEWHERE, GRID_W1, household, new_household, server_row


def refused_household(enrol, make_ctx, make_window):  # noqa: ANN001, ANN201
    """w1 types a household into another village's grid; F9: the server refuses it."""
    store = enrol("w1")
    window = make_window(make_ctx(store))
    hid = new_household(store, grid_id=GRID_ELSEWHERE, no="H-WRONG-GRID")
    press(window, Qt.Key.Key_F9)
    assert window.sync_control.rejections_dialog.isVisible()
    return store, window, hid


def test_a_refused_household_shows_the_reason_on_its_form_and_goes_through_once_corrected(
        county, enrol, make_ctx, make_window):
    store, window, hid = refused_household(enrol, make_ctx, make_window)
    dialog = window.sync_control.rejections_dialog
    assert any("工作范围" in reason for reason in dialog.reasons())
    dialog.table.selectRow(0)
    dialog.open_button.click()  # 打开记录

    form = window.opener.forms[f"household:{hid}"]
    assert form.refused_notice.isVisible()
    assert "工作范围" in form.refused_text.text() and "网格" in form.refused_text.text()
    assert "县服务器没有接受这一项" in form.editors["grid_id"].problem
    assert store.pending_change_count() == 0  # refused, kept on the record, not waiting in the outbox

    choose(form.editors["settlement_id"], SETTLEMENT_ID)
    choose(form.editors["grid_id"], GRID_W1)
    ctrl(form, Qt.Key.Key_S)
    assert not form.dirty, form.summary.text()
    assert not form.refused_notice.isVisible() and store.sync_rejections() == []
    press(window, Qt.Key.Key_F9)

    on_server = server_row(county, "household", hid)
    assert on_server is not None and on_server["household_no"] == "H-WRONG-GRID"  # the whole record went up
    assert on_server["grid_id"] == GRID_W1 and store.pending_change_count() == 0


def test_giving_up_a_refused_household_removes_what_the_server_never_had(county, enrol, make_ctx, make_window,
                                                                         answer):
    store, window, hid = refused_household(enrol, make_ctx, make_window)
    window.sync_control.rejections_dialog.close()
    window.findChild(type(window.sync_control.sync_action), "action_rejections").trigger()  # 同步 → 被拒绝的修改…
    window.sync_control.rejections_dialog.open_row(0)
    form = window.opener.forms[f"household:{hid}"]
    answer(QMessageBox.StandardButton.Yes)
    form.discard_button.click()

    assert form.closed
    assert store.sync_rejections() == []
    assert hid not in [row.id for row in window.households.model.rows]
    assert store.count_households() == 0 and server_row(county, "household", hid) is None


def test_giving_up_a_refused_edit_puts_the_server_version_back(county, enrol, make_ctx, make_window, answer):
    store = enrol("w1")
    hid = new_household(store, no="H-OK")
    window = make_window(make_ctx(store))
    press(window, Qt.Key.Key_F9)
    assert server_row(county, "household", hid)["grid_id"] == GRID_W1
    form_data = household(store, hid)
    store.save_household({**form_data, "grid_id": GRID_ELSEWHERE}, store.get_household(hid).members, removed=[])
    press(window, Qt.Key.Key_F9)  # moving it into another village's grid: refused
    assert window.sync_control.rejections_dialog.isVisible()

    window.opener.open_household(hid)
    form = window.opener.forms[f"household:{hid}"]
    assert form.refused_notice.isVisible()
    answer(QMessageBox.StandardButton.Yes)
    form.discard_button.click()

    assert household(store, hid)["grid_id"] == GRID_W1 and store.sync_rejections() == []
    assert form.editors["grid_id"].value() == GRID_W1 and not form.refused_notice.isVisible()
    assert store.pending_change_count() == 0


def test_giving_up_is_refused_while_a_later_save_of_the_record_is_on_a_bad_line(county, tmp_path, make_ctx,
                                                                              make_window, answer,
                                                                              no_blocking_message_boxes):
    """The household was saved again while its refused move was being sent, and that save's batch is
    held up on a bad line (the sync cancelled). Giving the move up now would drop the save here while
    the copy on its way still applies it: the form says to sync first and changes nothing. Once a sync
    has the batch answered, the give-up goes through."""
    from tests.sync.bad_line import PushOnABadLine

    line = PushOnABadLine(county, tmp_path)
    try:
        store = line.store
        window = make_window(make_ctx(store))  # it syncs on its own at opening: the state is made after
        hid = line.refused_with_a_later_save_held()
        window.opener.open_household(hid)
        form = window.opener.forms[f"household:{hid}"]
        assert form.refused_notice.isVisible()
        answer(QMessageBox.StandardButton.Yes)
        form.discard_button.click()

        warning = [text for kind, text in no_blocking_message_boxes if kind == "warning"]
        assert warning and "请先同步一次，再放弃" in warning[-1]
        assert form.refused_notice.isVisible() and form.discard_button.isEnabled()
        assert household(store, hid)["grid_id"] == GRID_ELSEWHERE and household(store, hid)["notes"] == "后来的走访"
        assert len(store.sync_rejections()) == 1 and store.pending_change_count() == 1

        line.land(pushes=4)
        press(window, Qt.Key.Key_F9)  # the held batch answered, from what the server stored
        assert store.pending_change_count() == 0
        form.discard_button.click()
        assert not form.refused_notice.isVisible() and store.sync_rejections() == []
        assert household(store, hid)["grid_id"] == GRID_W1 and household(store, hid)["notes"] == "后来的走访"
    finally:
        line.close()
