"""The main window over many households: lazy paging, filters, masking and revealing, the other
lists, and the settings a worker changes."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.demo import write_demo_profile
from core.store import HouseholdFilter
from gui.table_models import HOUSEHOLD_COLUMNS, PAGE
from gui_helpers import TODAY, newest_form, press

HOUSEHOLDS = 450


@pytest.fixture
def demo_store(store):
    write_demo_profile(store, HOUSEHOLDS, seed=7, as_of=TODAY)
    return store


@pytest.fixture
def demo_window(make_ctx, make_window, demo_store):
    return make_window(make_ctx(demo_store))


def test_the_list_fetches_a_page_at_a_time_as_the_worker_scrolls(demo_window):
    model, view = demo_window.households.model, demo_window.households.view
    assert model.rowCount() == PAGE and model.canFetchMore()
    assert "450" in demo_window.households.count_label.text()
    view.scrollToBottom()
    QApplication.processEvents()
    assert model.rowCount() == 2 * PAGE
    while model.canFetchMore():
        model.fetchMore()
    ids = [r.id for r in model.rows]
    assert len(ids) == HOUSEHOLDS == len(set(ids))  # every household once, none twice


def test_sorting_by_a_column_reorders_the_list(demo_window):
    page = demo_window.households
    column = [h[0] for h in HOUSEHOLD_COLUMNS].index("member_count")
    page.view.horizontalHeader().sectionClicked.emit(column)
    counts = [r.member_count for r in page.model.rows]
    assert counts == sorted(counts)
    page.view.horizontalHeader().sectionClicked.emit(column)  # again: descending
    counts = [r.member_count for r in page.model.rows]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("box, flag", [("zero", "zero_employment"), ("overdue", "overdue_grievance"),
                                       ("unvisited", "not_visited_this_month")])
def test_each_filter_shows_exactly_the_households_it_names(demo_window, demo_store, box, flag):
    page = demo_window.households
    getattr(page, box).setChecked(True)
    while page.model.canFetchMore():
        page.model.fetchMore()
    expected = {r.id for r in demo_store.list_households(HouseholdFilter(**{flag: True}, today=TODAY), limit=10_000)}
    assert expected, f"the demo data should have some households for {flag}"
    assert {r.id for r in page.model.rows} == expected
    assert str(len(expected)) in page.count_label.text()
    getattr(page, box).setChecked(False)
    assert "450" in page.count_label.text()


def test_a_settlement_narrows_the_grids_offered_and_the_list(demo_window, demo_store):
    page = demo_window.households
    settlement = demo_store.settlements()[0]
    page.settlement.setCurrentIndex(page.settlement.findData(settlement["id"]))
    grids = {page.grid.itemData(i) for i in range(1, page.grid.count())}
    assert grids == {g["id"] for g in demo_store.grids(settlement["id"])}
    while page.model.canFetchMore():
        page.model.fetchMore()
    assert {r.settlement for r in page.model.rows} == {settlement["name"]}


def test_ids_and_phones_are_masked_until_revealed_on_purpose_and_the_reveal_is_logged(demo_window, demo_store):
    from sqlalchemy import select

    from core.models import AuditEntry

    page = demo_window.households
    row = page.model.rows[0]
    assert "*" in row.head_id_masked and "*" in row.phone_masked
    page.view.selectRow(0)
    press(page.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    shown = page.model.index(0, 2).data()
    assert "*" not in shown and len(shown) == 18
    head = demo_store.get_household(row.id).members[0]
    assert shown == head["id_number"]
    with demo_store.reading() as s:
        actions = [a.detail for a in s.execute(select(AuditEntry).where(AuditEntry.row_id == head["id"])).scalars()]
    assert "reveal id_number" in actions
    page.model.reload()
    assert "*" in page.model.index(0, 2).data()  # masked again after the list reloads


def test_the_people_and_grievance_lists_open_the_right_form(qtbot, demo_window, demo_store):
    demo_window.nav.setCurrentRow(list(demo_window.pages).index("member"))  # 人员
    people = demo_window.pages["member"]
    assert people.model.rowCount() > 0
    first = people.model.rows[0]
    assert "*" in first["id_number"]
    people.view.activated.emit(people.model.index(0, 0))
    form = newest_form(demo_window)
    assert form.entity == "household" and form.record_id == first["household_id"]

    demo_window.nav.setCurrentRow(list(demo_window.pages).index("grievance"))  # 诉求
    grievances = demo_window.pages["grievance"]
    grievances.search.setText(grievances.model.rows[0]["case_no"])
    qtbot.waitUntil(lambda: grievances.model.rowCount() == 1)  # searched once the typing pauses
    grievances.view.activated.emit(grievances.model.index(0, 0))
    form = newest_form(demo_window)
    assert form.entity == "grievance" and form.record_id == grievances.model.rows[0]["id"]


def test_saving_updates_the_pending_count_in_the_status_bar(window, store):
    assert window.pending_count == 0
    window.opener.open_household(None)
    form = newest_form(window)
    form.editors["household_no"].input.setText("H-STATUS")
    form.members.add_member()
    form.members.editors["name"].input.setText("周强")
    form.save()
    assert form.record_id, form.summary.text()
    assert window.pending_count == store.pending_change_count() > 0
    assert str(window.pending_count) in window.pending_label.text()


def test_large_font_and_window_geometry_are_remembered(qtbot, ctx, make_window, settings):
    window = make_window(ctx)
    normal = settings.get("ui/font_points")
    window.large_font_action.trigger()
    assert QApplication.font().pointSizeF() > normal and settings.get("ui/large_font") is True
    window.large_font_action.trigger()
    assert QApplication.font().pointSizeF() == normal
    window.resize(700, 500)  # inside the offscreen screen (800 x 600)
    window.close()
    again = make_window(ctx)
    assert (again.width(), again.height()) == (700, 500)


def test_every_action_of_the_main_window_is_in_a_menu_with_its_shortcut(window):
    actions = {a.objectName(): a for menu in window.menuBar().findChildren(type(window.menuBar().actions()[0].menu()))
               for a in menu.actions() if a.objectName()}
    shortcuts = {name: a.shortcut().toString() for name, a in actions.items()}
    assert shortcuts["action_new_household"] == "Ctrl+N"
    assert shortcuts["action_find"] == "Ctrl+F"
    assert shortcuts["action_lock"] == "Ctrl+L"
    press(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.households.search.hasFocus()


def test_a_new_search_after_scrolling_starts_at_the_top_with_one_page(qtbot, demo_window):
    page = demo_window.households
    page.view.scrollToBottom()
    QApplication.processEvents()
    assert page.model.rowCount() == 2 * PAGE
    page.search.setText("5")
    qtbot.waitUntil(lambda: page.model.filter.text == "5")  # searched once the typing pauses
    QApplication.processEvents()
    assert page.view.verticalScrollBar().value() == 0
    assert page.model.rowCount() <= PAGE  # no second page read that nobody scrolled to
