"""Behaviour under real timing (the threaded database worker) and editing in the middle of a field:
the things that lose or mix up data when they go wrong."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.selftest import sample_household
from gui.ops import Worker
from gui_helpers import TODAY, choose, ctrl, newest_form, resident_id, type_text

HEAD_ID = resident_id("522601", "19800101", "011")


@pytest.fixture
def threaded(qtbot, store, make_ctx, make_window):
    """(ctx, window) whose database work runs on the real worker thread."""
    ctx = replace(make_ctx(store), db=Worker("database"))
    window = make_window(ctx)
    yield ctx, window
    ctx.db.wait_idle()


def slow_down(monkeypatch, store, method: str, seconds: float) -> None:
    original = getattr(store, method)

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        time.sleep(seconds)
        return original(*args, **kwargs)
    monkeypatch.setattr(store, method, slow)


def new_household(qtbot, window):  # noqa: ANN001, ANN201
    window.opener.open_household(None)
    qtbot.waitUntil(lambda: bool(window.opener.open_forms()), timeout=5000)
    form = newest_form(window)
    form.editors["household_no"].input.setText("H-1")
    form.members.add_member()
    form.members.editors["name"].input.setText("吴敏")
    form.members.editors["id_number"].input.setText(HEAD_ID)
    return form


def test_typing_while_a_save_runs_is_kept_and_still_unsaved(qtbot, threaded, store, monkeypatch):
    ctx, window = threaded
    form = new_household(qtbot, window)
    slow_down(monkeypatch, store, "save_household", 0.5)
    form.save()
    form.editors["building"].input.setText("9")  # typed while the save runs
    qtbot.waitUntil(lambda: form.record_id is not None, timeout=5000)
    ctx.db.wait_idle()
    qtbot.wait(100)
    assert form.editors["building"].value() == "9" and form.dirty and form.windowTitle().startswith("*")
    form.save()
    qtbot.waitUntil(lambda: not form.dirty, timeout=5000)
    assert store.get_household(form.record_id).household["building"] == "9"


def test_ctrl_s_twice_saves_one_household(qtbot, threaded, store, monkeypatch):
    ctx, window = threaded
    form = new_household(qtbot, window)
    slow_down(monkeypatch, store, "save_household", 0.3)
    ctrl(form, Qt.Key.Key_S)
    ctrl(form, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: form.record_id is not None, timeout=5000)
    form.save()  # and once more after it landed: an update, not a second household
    ctx.db.wait_idle()
    qtbot.wait(100)
    assert store.count_households() == 1 and len(store.get_household(form.record_id).members) == 1


def test_closing_during_a_save_waits_for_it_then_closes(qtbot, threaded, store, monkeypatch):
    ctx, window = threaded
    form = new_household(qtbot, window)
    slow_down(monkeypatch, store, "save_household", 0.3)
    form.save()
    form.close()  # while saving: no question, no lost save
    assert form.isVisible()
    qtbot.waitUntil(lambda: form.closed, timeout=5000)
    assert store.count_households() == 1
    assert window.households.model.rowCount() == 1  # the list heard about it


def test_a_double_click_opens_one_form(qtbot, threaded, store):
    ctx, window = threaded
    household, members = sample_household(0)
    store.save_household(household, members, TODAY)
    window.households.model.reload()
    view = window.households.view
    qtbot.waitExposed(window)
    center = view.visualRect(window.households.model.index(0, 0)).center()
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    window.opener.open_household(window.households.model.rows[0].id)  # and once more while it loads
    qtbot.waitUntil(lambda: bool(window.opener.open_forms()), timeout=5000)
    ctx.db.wait_idle()
    qtbot.wait(100)
    shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "form_household" and w.isVisible()]
    assert len(shown) == 1 and len(window.opener.open_forms()) == 1


def test_correcting_the_middle_of_an_id_number_keeps_the_cursor(window):
    window.opener.open_household(None)
    form = newest_form(window)
    form.members.add_member()
    line = form.members.editors["id_number"].input
    QTest.keyClicks(line, "52260119800101011")
    line.setCursorPosition(6)
    QTest.keyClicks(line, "99")
    assert line.text() == "52260199" + "19800101011"
    name = form.members.editors["name"].input
    type_text(name, "王明")
    name.setCursorPosition(1)
    type_text(name, "小")
    assert name.text() == "王小明"


def test_the_member_being_edited_stays_selected_after_a_save_reorders_them(window, store):
    household, members = sample_household(0)
    saved = store.save_household(household, members, TODAY)
    window.opener.open_household(saved.id)
    form = newest_form(window)
    form.members.add_member()
    form.members.editors["name"].input.setText("王奶奶")
    form.members.editors["id_number"].input.setText(resident_id("522601", "19500101", "022"))
    choose(form.members.editors["relation"], "parent")
    ctrl(form, Qt.Key.Key_S)
    assert form.record_id and not form.dirty
    assert form.members.rows()[form.members.current_row()]["name"] == "王奶奶"


def test_a_form_finished_loading_while_locked_waits_behind_the_lock(qtbot, threaded, store, monkeypatch,
                                                                     profile_password):
    ctx, window = threaded
    household, members = sample_household(0)
    saved = store.save_household(household, members, TODAY)
    slow_down(monkeypatch, store, "get_household", 0.3)
    window.opener.open_household(saved.id)
    window.lock()
    ctx.db.wait_idle()
    qtbot.wait(200)
    assert [w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible()] == ["lock_dialog"]
    window.lock_dialog.password.setText(profile_password)
    window.lock_dialog.unlock_button.click()
    assert newest_form(window).isVisible() and window.isVisible()


def test_a_reveal_answered_after_the_list_changed_shows_nowhere(window, store):
    for i in (0, 1):
        household, members = sample_household(i)
        store.save_household(household, members, TODAY)
    window.households.model.reload()
    first = window.households.model.rows[0]
    window.households.model.show_revealed("no-such-household", "head_id_masked", "522601198001010011")
    window.households.model.show_revealed(first.id, "head_id_masked", "X")
    cells = [window.households.model.index(r, 2).data() for r in range(2)]
    assert cells[0] == "X" and "*" in cells[1]


def test_a_code_unknown_to_this_version_survives_a_look_at_its_cell(window, store):
    from gui.rows import RowsDelegate

    window.opener.open_household(None)
    form = newest_form(window)
    row = form.members.add_member()
    form.members.model.set_field(row, "relation", "future_code")
    delegate = RowsDelegate(form.members.model)
    index = form.members.model.index(row, form.members.model.column_of("relation"))
    editor = delegate.createEditor(form.members.table.viewport(), None, index)
    delegate.setEditorData(editor, index)
    delegate.setModelData(editor, form.members.model, index)
    assert form.members.model.rows[row]["relation"] == "future_code"


def test_a_stale_second_window_does_not_delete_a_member_added_in_the_first(make_ctx, make_window, store):
    """Two windows on one household (e.g. the same profile opened twice): saving the older one
    keeps the member the newer one added; only members removed on purpose are deleted."""
    from gui.forms.household import HouseholdForm

    household, members = sample_household(0)
    saved = store.save_household(household, members, TODAY)
    ctx = make_ctx(store)
    full = store.get_household(saved.id)
    first = HouseholdForm(ctx, full, [], [])
    second = HouseholdForm(ctx, store.get_household(saved.id), [], [])
    first.members.add_member()
    first.members.editors["name"].input.setText("王奶奶")
    choose(first.members.editors["relation"], "parent")
    first.save()
    assert first.record_id and not first.dirty, first.summary.text()
    second.editors["phone"].input.setText("13900002222")
    second.save()
    assert not second.dirty, second.summary.text()
    after = store.get_household(saved.id)
    assert "王奶奶" in [m["name"] for m in after.members] and after.household["phone"] == "13900002222"
    for form in (first, second):
        form.dirty = False
        form.close()
