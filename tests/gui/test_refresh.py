"""What a save or a pull wrote (core/changes.py) reaches the screens by the main window's sig_changed, and
each reads again only what it shows; search-as-you-type waits for a pause in typing, Enter searches at once."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.changes import Changes
from core.selftest import sample_household
from gui_helpers import TODAY, newest_form, press, type_text, wait_searched


def resets(model) -> list[int]:  # noqa: ANN001
    """Counts the model's resets (each a read of its first page)."""
    seen: list[int] = []
    model.modelReset.connect(lambda: seen.append(1))
    return seen


def saved(store, index: int = 0) -> str:  # noqa: ANN001
    return store.save_household(*sample_household(index), today=TODAY).id


def test_a_change_reloads_only_the_lists_that_show_what_it_touched(store, window):
    hid = saved(store)
    window.refresh()
    visits, jobs = window.pages["visit"], window.pages["employment"]
    for page in (visits, jobs):
        window.nav.setCurrentRow(list(window.pages).index(page.kind))  # read when first shown
    households, visit_resets, job_resets = resets(window.households.model), resets(visits.model), resets(jobs.model)
    window.sig_changed.emit(Changes.of(["visit", "visit_member"], ["v1"], [hid]))
    assert (len(households), len(visit_resets), len(job_resets)) == (0, 1, 0)  # the list shows no visits
    window.households.unvisited.setChecked(True)  # now it reads them
    households.clear()
    window.sig_changed.emit(Changes.of(["visit"], ["v1"], [hid]))
    assert len(households) == 1
    window.sig_changed.emit(Changes.of(["household", "member"], [hid], [hid]))
    assert len(households) == 2 and len(job_resets) == 0  # no job of this household is listed


def test_a_visit_saved_in_its_form_reloads_the_visit_list_not_the_household_list(store, window):
    hid = saved(store)
    window.refresh()
    window.nav.setCurrentRow(list(window.pages).index("visit"))
    visits = window.pages["visit"]
    assert visits.model.rowCount() == 0
    households = resets(window.households.model)
    window.opener.open_record("visit", store.get_household(hid), None)
    newest_form(window).save()
    assert visits.model.rowCount() == 1 and len(households) == 0
    assert "待同步的修改" in window.pending_label.text() and window.pending_count == store.pending_change_count()


def test_a_household_saved_in_its_form_stays_selected_in_the_reloaded_list(store, window):
    for index in range(3):
        saved(store, index)
    window.refresh()
    window.nav.setCurrentRow(list(window.pages).index("households"))
    second = window.households.model.rows[1].id
    window.opener.open_household(second)
    form = newest_form(window)
    form.editors["room"].input.setText("902")
    form.save()
    assert window.households.model.rows[window.households.current_row()].id == second


def test_search_waits_for_a_pause_in_typing_and_reads_once(qtbot, store, window, monkeypatch):
    for index in range(3):
        saved(store, index)
    window.refresh()
    page = window.households
    reads = []
    listing = store.list_households
    monkeypatch.setattr(store, "list_households", lambda *a, **k: reads.append(1) or listing(*a, **k))
    type_text(page.search, "SELFTEST-0001")
    assert reads == [] and page.model.rowCount() == 3  # nothing read while typing
    wait_searched(qtbot, page)
    assert len(reads) == 1 and [r.household_no for r in page.model.rows] == ["SELFTEST-0001"]


def test_enter_searches_at_once(qtbot, store, window):
    wanted = saved(store, 0)
    saved(store, 1)
    window.refresh()
    window.nav.setCurrentRow(list(window.pages).index("households"))
    page = window.households
    type_text(page.search, "SELFTEST-0000")
    press(page.search, Qt.Key.Key_Return)  # one match: Enter searched and opened it, no pause waited for
    assert [r.id for r in page.model.rows] == [wanted]
    assert newest_form(window).record_id == wanted
    window.nav.setCurrentRow(list(window.pages).index("member"))
    people = window.pages["member"]
    assert people.model.rowCount() == 6
    type_text(people.search, "SELFTEST-0001")
    assert people.model.rowCount() == 6
    press(people.search, Qt.Key.Key_Return)
    assert people.model.rowCount() == 3 and not people.paused_search.isActive()
