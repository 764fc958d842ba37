"""A worker's day at the keyboard: Enter never saves, forms open on their first field, every add
button has a key, and what the screen says is said once and plainly."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui_helpers import ctrl, newest_form, press, resident_id, type_text, wait_searched
from test_sync_gui import type_household

HEAD_ID = resident_id("522601", "19800101", "011")
WIFE_ID = resident_id("522601", "19820202", "022")


def new_household_form(window):  # noqa: ANN001, ANN201
    ctrl(window, Qt.Key.Key_N)
    return newest_form(window)


def household_with_a_member(window):  # noqa: ANN001, ANN201
    """Ctrl+N, a household number, Ctrl+N for a member, the member's name: the repro of the day."""
    form = new_household_form(window)
    QTest.keyClicks(form.editors["household_no"].input, "H-ENTER")
    ctrl(form, Qt.Key.Key_N)
    type_text(form.members.editors["name"].input, "王建国")
    return form


@pytest.mark.parametrize("field", ["dibao", "medical_insurance", "name", "relation", "ethnicity", "birth_date",
                                   "graduate_year", "id_number"])
def test_enter_on_any_member_field_moves_on_and_never_saves(window, store, field):
    form = household_with_a_member(window)
    widget = form.members.editors[field].input
    widget.setFocus()
    press(widget, Qt.Key.Key_Return)
    assert store.count_households() == 0 and form.record_id is None  # nothing saved without Ctrl+S
    assert QApplication.focusWidget() is not widget  # Enter moved on
    press(QApplication.focusWidget(), Qt.Key.Key_Enter)  # the keypad's Enter too
    assert store.count_households() == 0 and form.record_id is None


@pytest.mark.parametrize("field", ["risk_types", "relocation_year", "settlement_id", "consent_date"])
def test_enter_on_any_household_field_moves_on_and_never_saves(window, store, field):
    form = household_with_a_member(window)
    form.focus_problem(field)  # brings its tab up and puts the cursor there
    widget = form.editors[field].input
    assert widget.hasFocus()
    press(widget, Qt.Key.Key_Return)
    assert store.count_households() == 0 and form.record_id is None
    assert QApplication.focusWidget() is not widget


def test_only_ctrl_s_or_the_save_button_saves(window, store):
    form = household_with_a_member(window)
    form.save_button.setFocus()
    press(form.save_button, Qt.Key.Key_Return)
    assert store.count_households() == 0  # Enter on the save button does not save either
    press(form.save_button, Qt.Key.Key_Space)  # Space presses the focused button
    assert form.record_id and store.count_households() == 1
    type_text(form.members.editors["name"].input, "强")
    ctrl(form, Qt.Key.Key_S)
    assert not form.dirty
    assert store.get_household(form.record_id).members[0]["name"] == "王建国强"


def test_enter_after_the_id_number_skips_sex_and_birth_date_it_filled_in(window):
    form = household_with_a_member(window)
    panel = form.members
    type_text(panel.editors["id_number"].input, HEAD_ID)
    assert panel.editors["sex"].value() == "1"  # filled in from the ID
    press(panel.editors["id_number"].input, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is panel.editors["ethnicity"].input
    # A member without a readable ID: Enter stops at sex, to be chosen by hand.
    ctrl(form, Qt.Key.Key_N)
    type_text(panel.editors["id_number"].input, "12345")
    press(panel.editors["id_number"].input, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is panel.editors["sex"].input


def test_a_new_household_form_opens_on_its_first_field(window):
    form = new_household_form(window)
    assert QApplication.focusWidget() is form.editors["household_no"].input
    QTest.keyClicks(QApplication.focusWidget(), "H-1")  # typing goes straight in
    assert form.editors["household_no"].value() == "H-1"


def test_a_saved_household_and_its_job_form_open_on_their_first_field(window, store):
    from core.selftest import sample_household

    household, members = sample_household(2)
    saved = store.save_household(household, members)
    window.opener.open_household(saved.id)
    form = newest_form(window)
    assert form.focusWidget() is form.editors["household_no"].input  # the form's focus, once it is the active window
    form.tab_widget.setCurrentWidget(form.members)
    form.members.select_row(0)
    form.members.findChild(type(form.save_button), "add_employment").click()
    job = newest_form(window)
    assert job.entity == "employment"
    assert job.focusWidget() is job.editors["member_id"].input


def test_two_ids_run_together_are_one_message_naming_the_member(window, store):
    form = household_with_a_member(window)
    type_text(form.members.editors["id_number"].input, HEAD_ID + WIFE_ID)
    ctrl(form, Qt.Key.Key_S)
    assert store.count_households() == 0
    said = [form.problem_list.item(i).text() for i in range(form.problem_list.count())]
    about_the_id = [text for text in said if "身份证号码" in text]
    assert len(about_the_id) == 1, said  # not also 'missing'
    assert "第1位成员" in about_the_id[0] and "18位" in about_the_id[0] and "36" in about_the_id[0]
    assert "不能超过32" not in about_the_id[0]


def test_the_summary_counts_errors_and_warnings_apart(window, store):
    form = new_household_form(window)
    QTest.keyClicks(form.editors["household_no"].input, "H-COUNT")
    ctrl(form, Qt.Key.Key_N)
    type_text(form.members.editors["name"].input, "王")  # one character: a warning
    type_text(form.members.editors["id_number"].input, HEAD_ID[:17])  # one short: an error
    ctrl(form, Qt.Key.Key_S)
    assert store.count_households() == 0
    assert form.problem_list.count() == 2
    assert "1 处错误，1 处提醒" in form.summary.text(), form.summary.text()
    type_text(form.members.editors["id_number"].input, HEAD_ID[17])  # the ID is whole: only the warning is left
    assert "1 条提醒" in form.summary.text() and "错误" not in form.summary.text()
    ctrl(form, Qt.Key.Key_S)
    assert form.record_id  # a warning does not stop the save


def open_saved_household(window, store):  # noqa: ANN001, ANN201
    from core.selftest import sample_household

    household, members = sample_household(2)
    saved = store.save_household(household, members)
    window.opener.open_household(saved.id)
    return newest_form(window)


@pytest.mark.parametrize(("key", "entity", "button"), [
    (Qt.Key.Key_J, "employment", "新增就业"), (Qt.Key.Key_T, "training", "新增培训"),
    (Qt.Key.Key_G, "grievance", "登记诉求"), (Qt.Key.Key_M, "visit", "本月走访")])
def test_each_add_button_of_the_household_form_has_its_key(window, store, key, entity, button):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QPushButton

    form = open_saved_household(window, store)
    shortcut = f"Ctrl+{chr(key)}"
    add = form.findChild(QPushButton, f"add_{entity}")
    assert add.text() == f"{button} ({shortcut})"  # the button says its key
    action = form.findChild(QAction, f"action_add_{entity}")
    assert action.text() == button and action.shortcut().toString() == shortcut  # so does the menu
    ctrl(form.editors["household_no"].input, key)  # from the first field, no Tabs
    opened = newest_form(window)
    assert opened is not form and opened.entity == entity
    if entity in ("employment", "training"):
        assert opened.editors["member_id"].value() == form.members.rows()[0]["id"]  # the member selected


def test_the_crash_recovery_question_says_times_as_people_write_them(window, store, answer, qapp):
    from PySide6.QtWidgets import QMessageBox

    from gui.i18n import install_language

    store.save_draft("household:new", {"entity": "household", "record_id": None, "title": "新建户",
                                       "values": {"household_no": "H-9"}, "rows": [], "at": "2026-11-30T01:21:38"})
    asked = answer(QMessageBox.StandardButton.NoButton)  # the box closed: the draft is offered again
    window.offer_drafts()
    assert "2026年11月30日 01:21" in asked[-1] and "T01" not in asked[-1]
    install_language(qapp, "en")
    try:
        window.offer_drafts()
        assert "30 November 2026 01:21" in asked[-1]
    finally:
        install_language(qapp, "zh_CN")


def test_the_status_bar_and_the_sync_count_the_same_records(county, enrol, make_ctx, make_window):
    store = enrol("w1")
    window = make_window(make_ctx(store))
    type_household(window, "H-COUNT-1")  # a household and its one member: many fields, two records
    assert window.pending_count == 2
    assert "待同步的修改：2 项" in window.pending_label.text()
    press(window, Qt.Key.Key_F9)
    assert "上传 2 项" in window.statusBar().currentMessage(), window.statusBar().currentMessage()
    assert window.pending_count == 0


def test_typing_a_flat_without_its_unit_in_the_search_box_finds_it(qtbot, window, store):
    from core.selftest import sample_household

    household, members = sample_household(0)
    household.update(building="7", unit="2", room="1203")
    wanted = store.save_household(household, members).id
    other, others = sample_household(1)
    other.update(building="17", unit="2", room="1203")
    store.save_household(other, others)
    window.refresh()
    for typed in ("7-1203", "7栋1203", "7号楼1203室"):
        window.households.search.clear()
        type_text(window.households.search, typed)
        wait_searched(qtbot, window.households)
        assert [r.id for r in window.households.model.rows] == [wanted], typed


def test_a_profile_without_settlements_says_why_the_choice_is_empty_and_what_to_do(window, store):
    assert store.settlements() == []  # a profile made in the app, never enrolled
    form = new_household_form(window)
    combo = form.editors["settlement_id"].input
    assert combo.count() == 1 and "没有安置点" in combo.currentText()
    assert "没有网格" in form.editors["grid_id"].input.currentText()
    hint = form.findChild(type(form.summary), "places_hint")
    assert hint is not None and hint.isVisible()
    assert "没有连接县服务器" in hint.text() and "新建一个档案" in hint.text() and "anju enroll" in hint.text()
    assert form.editors["settlement_id"].value() is None  # the words are no choice: nothing is saved for it


def test_a_profile_with_settlements_shows_no_such_hint(ctx, make_window, store):
    from core.demo import write_demo_profile
    from gui_helpers import TODAY

    write_demo_profile(store, 2, seed=3, as_of=TODAY)
    form = new_household_form(make_window(ctx))
    assert form.findChild(type(form.summary), "places_hint") is None
    assert form.editors["settlement_id"].input.itemText(0) == ""


def test_the_household_count_never_shows_a_number_from_before_the_search(qtbot, ctx, store):
    from core.selftest import sample_household
    from gui.main_window import MainWindow
    from test_sync_gui import DeferredWorker

    for index in range(3):
        store.save_household(*sample_household(index))
    reader = DeferredWorker()  # counts arrive when the test says, as from a busy database thread
    window = MainWindow(ctx, reader)
    qtbot.addWidget(window)
    window.show()
    reader.run_all()
    label = window.households.count_label
    assert label.text() == "共 3 户"
    type_text(window.households.search, "SELF")
    wait_searched(qtbot, window.households)  # a pause in typing: the list and a count are asked for
    type_text(window.households.search, "TEST-0001")
    wait_searched(qtbot, window.households)
    assert window.households.model.rowCount() == 1
    assert "3" not in label.text() and label.text() == "正在统计…"  # the old number is gone at once
    assert len(reader.jobs) == 2
    reader.jobs = reader.jobs[:1]  # only the count asked at the first pause ('SELF') arrives: too late to show
    reader.run_all()
    assert label.text() == "正在统计…"
    window.households.model.reload()  # the count of what is shown now
    reader.run_all()
    assert label.text() == "共 1 户"


@pytest.mark.parametrize("field", ["has_contract", "channel", "monthly_income", "member_id"])
def test_enter_on_a_job_field_moves_on_and_never_saves(window, store, field):
    form = open_saved_household(window, store)
    ctrl(form, Qt.Key.Key_J)
    job = newest_form(window)
    widget = job.editors[field].input
    widget.setFocus()
    press(widget, Qt.Key.Key_Return)
    assert job.record_id is None and store.get_household(form.record_id).employments == []
    assert QApplication.focusWidget() is not widget
