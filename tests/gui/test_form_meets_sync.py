"""A form left open while a sync changes its record (a real county server on 127.0.0.1): the form
takes the new values of what the worker did not touch, keeps what the worker typed, asks which to
keep where both changed one field, and saves on top of the new version. Nothing typed is lost."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton

from gui_helpers import ctrl, press, type_text
from tests.sync.sync_helpers import add_member, edit_household, household, members, new_household, run_sync, server_row


def two_laptops(enrol):  # noqa: ANN001 - the fixture
    """w1 and w2 (one grid) both hold a household w1 made; returns (w1, w2, household id)."""
    w1 = enrol("w1")
    hid = new_household(w1)
    edit_household(w1, hid, phone="13700137000", notes="旧备注")
    run_sync(w1)
    w2 = enrol("w2")
    return w1, w2, hid


def append(editor, text: str) -> None:  # noqa: ANN001 - a FieldEditor on a text box
    """Type at the end of what the field holds, as a worker adding a remark does."""
    editor.input.moveCursor(QTextCursor.MoveOperation.End)
    type_text(editor.input, text)


def open_household(window, hid: str):  # noqa: ANN001, ANN201
    window.opener.open_household(hid)
    form = window.opener.forms[f"household:{hid}"]
    assert form.isVisible()
    return form


def test_the_issue_repro_a_pull_under_an_open_form_loses_nothing_and_the_save_goes_through(
        county, enrol, make_ctx, make_window):
    w1, w2, hid = two_laptops(enrol)
    window = make_window(make_ctx(w1))
    form = open_household(window, hid)
    edit_household(w2, hid, phone="13900139000")
    run_sync(w2)

    press(window, Qt.Key.Key_F9)

    assert form.editors["phone"].value() == "13900139000"  # the new value, shown at once
    assert "别人刚改了这一项" in form.editors["phone"].problem
    assert form.sync_notice.isVisible() and "联系电话" in form.sync_notice.text.text()
    assert not form.dirty and not form.clashes
    append(form.editors["notes"], "已核实")
    ctrl(form, Qt.Key.Key_S)
    assert not form.dirty, form.summary.text()
    assert form.summary.text() == "已保存。"
    saved = household(w1, hid)
    assert saved["phone"] == "13900139000" and saved["notes"] == "旧备注已核实"
    assert form.editors["phone"].problem == ""  # the note has served once saved
    press(window, Qt.Key.Key_F9)
    on_server = server_row(county, "household", hid)
    assert on_server["phone"] == "13900139000" and on_server["notes"] == "旧备注已核实"


def test_typing_survives_a_pull_that_changes_other_fields(county, enrol, make_ctx, make_window):
    w1, w2, hid = two_laptops(enrol)
    window = make_window(make_ctx(w1))
    form = open_household(window, hid)
    append(form.editors["notes"], "，门牌已换")
    edit_household(w2, hid, phone="13900139000", building="7")
    run_sync(w2)

    press(window, Qt.Key.Key_F9)

    assert form.editors["notes"].value() == "旧备注，门牌已换" and form.dirty
    assert form.editors["phone"].value() == "13900139000" and form.editors["building"].value() == "7"
    assert "您填的内容都还在" in form.sync_notice.text.text()
    ctrl(form, Qt.Key.Key_S)
    assert not form.dirty, form.summary.text()
    press(window, Qt.Key.Key_F9)
    on_server = server_row(county, "household", hid)
    assert (on_server["notes"], on_server["phone"], on_server["building"]) == ("旧备注，门牌已换", "13900139000", "7")
    assert "冲突" not in window.statusBar().currentMessage()  # three fields merged, none in conflict


def test_a_field_changed_on_both_sides_shows_both_and_waits_for_a_choice(county, enrol, make_ctx, make_window):
    w1, w2, hid = two_laptops(enrol)
    window = make_window(make_ctx(w1))
    form = open_household(window, hid)
    form.editors["phone"].input.clear()
    type_text(form.editors["phone"].input, "13811112222")
    edit_household(w2, hid, phone="13900139000")
    run_sync(w2)

    press(window, Qt.Key.Key_F9)

    assert form.editors["phone"].value() == "13811112222"  # the typing stays until the worker chooses
    assert list(form.clashes) == ["phone"]
    row = form.sync_notice.clash_rows["phone"]
    assert "13811112222" in row.findChild(type(form.sync_notice.text)).text()
    assert "13900139000" in row.findChild(type(form.sync_notice.text)).text()
    ctrl(form, Qt.Key.Key_S)
    assert form.dirty and "请先在上方选择保留哪一个" in form.summary.text()
    assert household(w1, hid)["phone"] == "13900139000"  # nothing half-saved

    row.findChild(QPushButton, "keep_typed").click()
    assert not form.clashes and not form.sync_notice.clash_rows
    ctrl(form, Qt.Key.Key_S)
    assert not form.dirty, form.summary.text()
    press(window, Qt.Key.Key_F9)
    assert server_row(county, "household", hid)["phone"] == "13811112222"  # on top of w2's, no conflict
    assert window.sync_control.message_box is None


def test_taking_the_pulled_value_puts_it_in_the_field(county, enrol, make_ctx, make_window):
    w1, w2, hid = two_laptops(enrol)
    window = make_window(make_ctx(w1))
    form = open_household(window, hid)
    form.editors["phone"].input.clear()
    type_text(form.editors["phone"].input, "13811112222")
    edit_household(w2, hid, phone="13900139000")
    run_sync(w2)
    press(window, Qt.Key.Key_F9)

    form.sync_notice.clash_rows["phone"].findChild(QPushButton, "take_pulled").click()
    assert form.editors["phone"].value() == "13900139000" and not form.clashes
    ctrl(form, Qt.Key.Key_S)
    assert household(w1, hid)["phone"] == "13900139000"
    assert w1.pending_change_count() == 0  # nothing of its own was left to send


def test_member_rows_merge_by_member(county, enrol, make_ctx, make_window):
    w1, w2, hid = two_laptops(enrol)
    window = make_window(make_ctx(w1))
    form = open_household(window, hid)
    form.tab_widget.setCurrentWidget(form.members)
    form.members.select_row(0)
    form.members.editors["phone"].input.clear()
    type_text(form.members.editors["phone"].input, "13612345678")  # w1 types the head's phone
    head = members(w2, hid)[0]["id"]
    newcomer = add_member(w2, hid, "王小芳", relation="daughter")  # w2 adds a daughter
    run_sync(w2)

    press(window, Qt.Key.Key_F9)

    names = [r["name"] for r in form.members.model.rows]
    assert names == ["王建国", "王小芳"], names
    assert form.members.model.rows[0]["phone"] == "13612345678"
    assert "行有别人的修改" in form.sync_notice.text.text()
    ctrl(form, Qt.Key.Key_S)
    assert not form.dirty, form.summary.text()
    by_id = {m["id"]: m for m in members(w1, hid)}
    assert by_id[head]["phone"] == "13612345678" and newcomer in by_id


def test_a_save_that_meets_a_sync_it_had_not_seen_merges_instead_of_refusing(county, enrol, make_ctx,
                                                                            make_window):
    w1, w2, hid = two_laptops(enrol)
    window = make_window(make_ctx(w1))
    form = open_household(window, hid)
    append(form.editors["notes"], "。复核")
    edit_household(w2, hid, phone="13900139000")
    run_sync(w2)
    run_sync(w1)  # a sync the window did not run (the command line): the form was not told

    ctrl(form, Qt.Key.Key_S)

    assert "同步刚刚更新了这条记录" in form.summary.text() and form.dirty
    assert form.editors["phone"].value() == "13900139000" and form.editors["notes"].value() == "旧备注。复核"
    ctrl(form, Qt.Key.Key_S)
    assert not form.dirty, form.summary.text()
    saved = household(w1, hid)
    assert (saved["phone"], saved["notes"]) == ("13900139000", "旧备注。复核")


def test_a_household_deleted_by_a_sync_keeps_the_typing_and_says_so(county, enrol, make_ctx, make_window):
    w1, w2, hid = two_laptops(enrol)
    window = make_window(make_ctx(w1))
    form = open_household(window, hid)
    append(form.editors["notes"], "。待删")
    w2.delete("household", hid)
    run_sync(w2)

    press(window, Qt.Key.Key_F9)

    assert form.record_gone and "已被别人删除" in form.sync_notice.text.text()
    assert form.editors["notes"].value() == "旧备注。待删" and not form.save_button.isEnabled()


def test_the_rows_merge_keeps_every_side_of_the_story():
    from gui.forms.pulled import merge_rows

    base = [{"id": "a", "server_seq": 1, "name": "甲", "phone": None},
            {"id": "b", "server_seq": 1, "name": "乙", "phone": None},
            {"id": "c", "server_seq": 1, "name": "丙", "phone": None},
            {"id": "d", "server_seq": 1, "name": "丁", "phone": None}]
    typed = [{"id": "a", "server_seq": 1, "name": "甲", "phone": "13600000000"},   # typed a phone
             {"id": "c", "server_seq": 1, "name": "丙", "phone": "13700000000"},   # typed, but the sync removed it
             {"id": "d", "server_seq": 1, "name": "丁", "phone": None},            # untouched, the sync removed it
             {"id": "n", "name": "新", "phone": None}]                             # added here, not saved
    pulled = [{"id": "a", "server_seq": 5, "name": "甲改", "phone": "13900000000"},  # both changed the phone
              {"id": "b", "server_seq": 5, "name": "乙", "phone": None},           # removed here: stays removed
              {"id": "e", "server_seq": 5, "name": "戊", "phone": None}]           # added by the sync
    merged = merge_rows(base, typed, pulled)
    assert [r["id"] for r in merged.rows][0::2] == ["a", "n"] and merged.rows[3]["id"] == "e"
    assert merged.rows[1]["id"] not in ("c", None) and "server_seq" not in merged.rows[1]  # kept as a new row
    assert merged.rows[1]["phone"] == "13700000000"
    assert merged.rows[0] == {"id": "a", "server_seq": 5, "name": "甲改", "phone": "13600000000"}
    assert merged.clashes == {("a", "phone"): ("13600000000", "13900000000")}
    assert merged.taken == [("a", "name")] and merged.added == ["e"]
    assert merged.removed == ["d"] and merged.gone_but_edited == ["c"]


def test_a_refresh_from_a_record_saved_under_the_household_merges_what_a_sync_brought(
        county, enrol, make_ctx, make_window):
    w1, w2, hid = two_laptops(enrol)
    window = make_window(make_ctx(w1))
    form = open_household(window, hid)
    append(form.editors["notes"], "。复核")
    edit_household(w2, hid, phone="13900139000")
    run_sync(w2)
    run_sync(w1)  # a sync the window did not run
    form.refresh_from_store()  # what a job or a visit saved under this household does

    assert form.editors["phone"].value() == "13900139000"  # merged, not taken unseen as the starting copy
    ctrl(form, Qt.Key.Key_S)
    assert not form.dirty, form.summary.text()
    press(window, Qt.Key.Key_F9)
    on_server = server_row(county, "household", hid)
    assert (on_server["phone"], on_server["notes"]) == ("13900139000", "旧备注。复核")
