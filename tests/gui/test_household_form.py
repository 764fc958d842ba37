"""A grid worker creates, finds and edits a household by typing, the way they do all day."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from core.store import Store
from gui_helpers import choose, ctrl, newest_form, press, resident_id, type_text, wait_searched

HEAD_ID = resident_id("522601", "19800101", "011")     # a man born 1980-01-01
WIFE_ID = resident_id("522601", "19820202", "022")     # a woman
SON_ID = resident_id("522601", "20120303", "031")      # a boy born 2012-03-03


def add_member(form, name: str, id_number: str, relation: str | None) -> None:  # noqa: ANN001
    form.tab_widget.setCurrentWidget(form.members)
    ctrl(form, Qt.Key.Key_N)  # Ctrl+N: a new member
    panel = form.members
    type_text(panel.editors["name"].input, name)
    QTest.keyClicks(panel.editors["id_number"].input, id_number)
    if relation:
        choose(panel.editors["relation"], relation)


def new_household_form(window):  # noqa: ANN001, ANN201
    ctrl(window, Qt.Key.Key_N)  # Ctrl+N in the main window
    return newest_form(window)


def test_a_household_of_three_is_typed_saved_found_after_restart_and_edited(qtbot, store, profile_dir,
                                                                             profile_password, make_ctx, make_window):
    window = make_window(make_ctx(store))
    form = new_household_form(window)
    QTest.keyClicks(form.editors["household_no"].input, "H-2026-001")
    QTest.keyClicks(form.editors["building"].input, "3")
    QTest.keyClicks(form.editors["unit"].input, "2")
    QTest.keyClicks(form.editors["room"].input, "501")
    QTest.keyClicks(form.editors["phone"].input, "138-1234-5678")
    add_member(form, "王建国", HEAD_ID, None)          # the first member is the head already
    panel = form.members
    assert panel.editors["relation"].value() == "head"
    assert panel.editors["sex"].value() == "1"  # 男, from the 17th digit
    assert panel.editors["birth_date"].value() == "1980-01-01"  # typing the ID filled the birth date
    add_member(form, "李秀英", WIFE_ID, "spouse")
    add_member(form, "王小明", SON_ID, "son")
    assert panel.model.rowCount() == 3
    assert form.windowTitle().startswith("*")

    ctrl(form, Qt.Key.Key_S)  # Ctrl+S
    assert form.record_id, form.summary.text()
    assert not form.dirty
    assert window.households.model.rowCount() == 1
    assert "待同步" in window.pending_label.text() and window.pending_count > 0
    household_id = form.record_id
    form.close()
    window.close()
    store.close()

    # The app starts again on the same profile: the household is there, found by name and by ID.
    again = Store.open(profile_dir, profile_password)
    try:
        window = make_window(make_ctx(again))
        search = window.households.search
        type_text(search, "王建国")
        wait_searched(qtbot, window.households)
        assert [r.id for r in window.households.model.rows] == [household_id]
        assert window.households.model.rows[0].head_id_masked != HEAD_ID  # masked in the list
        search.clear()
        QTest.keyClicks(search, HEAD_ID)
        wait_searched(qtbot, window.households)
        assert [r.id for r in window.households.model.rows] == [household_id]
        search.clear()
        QTest.keyClicks(search, "501")
        wait_searched(qtbot, window.households)
        assert [r.id for r in window.households.model.rows] == [household_id]

        press(search, Qt.Key.Key_Return)  # one match: Enter opens it
        form = newest_form(window)
        assert form.editors["household_no"].value() == "H-2026-001"
        assert [m["name"] for m in form.members.rows()] == ["王建国", "李秀英", "王小明"]
        assert form.editors["phone"].value() == "13812345678"  # stored as digits
        form.members.select_row(1)
        QTest.keyClicks(form.members.editors["phone"].input, "13900001111")
        assert form.dirty
        ctrl(form, Qt.Key.Key_S)
        assert not form.dirty, form.summary.text()
        saved = again.get_household(household_id)
        assert {m["name"]: m["phone"] for m in saved.members}["李秀英"] == "13900001111"
        assert len(saved.members) == 3  # saving twice made no second copy of anyone
    finally:
        window.close()
        again.close()


def test_an_invalid_id_number_is_refused_with_its_message_and_nothing_is_saved(window, store):
    form = new_household_form(window)
    QTest.keyClicks(form.editors["household_no"].input, "H-BAD")
    wrong = HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")  # the check character does not match
    add_member(form, "张三", wrong, None)
    message = form.members.editors["id_number"].problem
    assert "身份证" in message and "校验" in message, message
    cell = form.members.model.index(0, form.members.model.column_of("id_number"))
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None  # the table marks the cell too

    ctrl(form, Qt.Key.Key_S)
    assert form.record_id is None
    assert "1 处错误" in form.summary.text() and "处提醒" not in form.summary.text()
    assert store.count_households() == 0 and store.pending_change_count() == 0
    assert form.members.editors["id_number"].input.hasFocus() or form.tab_widget.currentWidget() is form.members


def test_problems_show_only_on_fields_touched_until_the_first_save(window):
    form = new_household_form(window)
    assert form.problem_list.isHidden()  # a blank new form is not covered in red
    QTest.keyClicks(form.editors["relocation_year"].input, "20x8")
    assert "搬迁年度" in form.editors["relocation_year"].problem
    assert form.editors["household_no"].problem == ""
    form.save()
    assert "户编号" in form.editors["household_no"].problem  # after a try to save, every problem shows


def test_enter_moves_to_the_next_field(window):
    form = new_household_form(window)
    first = form.editors["household_no"].input
    first.setFocus()
    press(first, Qt.Key.Key_Return)
    assert form.focusWidget() is not first
    assert form.focusWidget() is form.editors["settlement_id"].input


def test_leaving_a_form_with_unsaved_changes_asks_first(window, store, answer):
    form = new_household_form(window)
    QTest.keyClicks(form.editors["household_no"].input, "H-ASK")
    asked = answer(QMessageBox.StandardButton.Cancel)
    press(form, Qt.Key.Key_Escape)
    assert asked and form.isVisible()  # Cancel: still there, still typed
    assert form.editors["household_no"].value() == "H-ASK"
    answer(QMessageBox.StandardButton.Discard)
    form.close()
    assert not window.opener.open_forms()
    assert store.count_households() == 0 and store.drafts() == {}


def test_removing_a_member_asks_and_saving_deletes_only_that_member(window, store, answer):
    from core.selftest import sample_household

    household, members = sample_household(3)
    saved = store.save_household(household, members)
    window.opener.open_household(saved.id)
    form = newest_form(window)
    form.tab_widget.setCurrentWidget(form.members)
    form.members.select_row(2)
    asked = answer(QMessageBox.StandardButton.Cancel)
    form.members.remove_button.click()
    assert asked and "减少" in asked[0] and form.members.model.rowCount() == 3  # the way to record a move-out
    answer(QMessageBox.StandardButton.Yes)
    form.members.remove_button.click()
    ctrl(form, Qt.Key.Key_S)
    assert [m["name"] for m in store.get_household(saved.id).members] == ["王建国", "李秀英"]


def test_choosing_a_settlement_offers_only_its_grids(ctx, make_window, store):
    from core.demo import write_demo_profile
    from gui_helpers import TODAY

    write_demo_profile(store, 5, seed=3, as_of=TODAY)
    window = make_window(ctx)
    form = new_household_form(window)
    first, second = store.settlements()[:2]
    choose(form.editors["settlement_id"], first["id"])
    offered = {form.editors["grid_id"].input.itemData(i) for i in range(1, form.editors["grid_id"].input.count())}
    assert offered == {g["id"] for g in store.grids(first["id"])}
    choose(form.editors["grid_id"], store.grids(first["id"])[0]["id"])
    choose(form.editors["settlement_id"], second["id"])
    assert form.editors["grid_id"].value() is None  # a grid of the other settlement is not kept


def test_where_a_member_lives_and_a_return_home_are_recorded_in_the_member_details(window, store):
    from core.selftest import sample_household

    household, members = sample_household(4)
    saved = store.save_household(household, members)
    window.opener.open_household(saved.id)
    form = newest_form(window)
    form.tab_widget.setCurrentWidget(form.members)
    form.members.select_row(0)
    panel = form.members
    choose(panel.editors["marital_status"], "married")
    choose(panel.editors["residence"], "at_site")
    panel.editors["returned_worker"].input.setChecked(True)
    form.save()
    assert "请填写返乡月份" in panel.editors["returned_month"].problem  # the month of return is asked for
    QTest.keyClicks(panel.editors["returned_month"].input, "2026-03")
    ctrl(form, Qt.Key.Key_S)
    head = next(m for m in store.get_household(saved.id).members if m["relation"] == "head")
    assert (head["marital_status"], head["residence"], head["returned_worker"], head["returned_month"]) == \
        ("married", "at_site", True, "2026-03")
