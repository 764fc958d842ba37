"""县级设置 as a county admin and as a worker meet it: the admin types the county's working age and a
grievance time limit by its Chinese name and the figures follow; a worker sees them and cannot change them."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from gui_helpers import TODAY, ctrl, newest_form, type_text


def open_settings(window):  # noqa: ANN001, ANN201
    window.findChild(type(window.menuBar().actions()[0]), "action_county_settings").trigger()
    return newest_form(window)


def test_an_admin_sets_the_working_age_and_a_grievance_time_limit(window, store):
    store.set_meta("role", "admin")
    form = open_settings(window)
    assert form.entity == "county_settings" and form.editors["working_age_max"].value() == "59"
    form.editors["working_age_max"].input.clear()
    QTest.keyClicks(form.editors["working_age_max"].input, "80")
    form.save()
    assert "50到70周岁之间" in form.editors["working_age_max"].problem and store.county_settings() is None
    form.editors["working_age_max"].input.clear()
    QTest.keyClicks(form.editors["working_age_max"].input, "60")
    type_text(form.editors["grievance_days"].input, "维修：30")
    form.save()
    assert "可填：诉求、矛盾纠纷、住房维修" in form.editors["grievance_days"].problem
    form.editors["grievance_days"].input.clear()
    type_text(form.editors["grievance_days"].input, "住房维修：30")
    ctrl(form, Qt.Key.Key_S)
    assert "已保存" in form.summary.text(), [p.zh for p in form.problems]
    rules = store.county_rules()
    assert rules.working_age == (16, 60) and rules.grievance_days == (("repair", 30),)
    assert form.editors["grievance_days"].value() == "住房维修：30"


def test_a_worker_sees_the_county_settings_read_only(window, store):
    form = open_settings(window)
    assert not form.editors["working_age_min"].isEnabled() and not form.save_button.isEnabled()
    assert "只有县管理员" in form.findChild(type(form.summary), "county_settings_note").text()
    ctrl(form, Qt.Key.Key_S)
    assert store.county_settings() is None and TODAY


def test_what_an_admin_typed_before_a_crash_is_offered_back(qtbot, store, make_ctx, make_window, answer):
    import shiboken6

    from gui.main_window import MainWindow
    from gui.ops import ImmediateWorker

    store.set_meta("role", "admin")
    ctx = make_ctx(store)
    window = MainWindow(ctx, ImmediateWorker())  # not handed to qtbot: it is destroyed below
    window.show()
    form = open_settings(window)
    form.editors["working_age_max"].input.clear()
    QTest.keyClicks(form.editors["working_age_max"].input, "62")
    type_text(form.editors["grievance_days"].input, "住房维修：20")
    qtbot.waitUntil(lambda: store.drafts() != {}, timeout=5000)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # a crash: no chance to ask or save
    shiboken6.delete(form)
    window.opener.forms.clear()
    shiboken6.delete(window)
    assert store.county_settings() is None

    window = make_window(ctx)
    asked = answer(QMessageBox.StandardButton.Yes)
    window.offer_drafts()
    assert asked and "县级设置" in asked[0]
    form = newest_form(window)
    assert form.entity == "county_settings" and form.editors["working_age_max"].value() == "62"
    assert form.editors["grievance_days"].value() == "住房维修：20" and form.dirty
    ctrl(form, Qt.Key.Key_S)
    assert store.county_rules().working_age == (16, 62) and store.drafts() == {}
