"""首页, the dashboard: the cards show the figures core counts, a click on a figure lists exactly the
households behind it, a save and a pull update it without reopening it, a place narrows it, and it
speaks English in English."""
from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QToolButton

from core.demo import write_demo_profile
from core.indicators import Scope
from core.selftest import sample_household
from gui.dashboard_parts import fraction, rate_text
from gui_helpers import TODAY, newest_form, press
from test_i18n import restore_app  # noqa: F401 - a fixture: the app back in Chinese afterwards
from test_sync_gui import DeferredWorker

THIS_MONTH = f"{TODAY:%Y-%m}"


@pytest.fixture
def village(store):
    """The demo county's settlements and grids, and four households: V-0 (first settlement, its first grid)
    has a working head and this month's visit; V-1 (same grid), V-2 (second grid) and V-3 (second
    settlement) have people able and willing to work and none working: zero employment."""
    write_demo_profile(store, 0, seed=1, as_of=TODAY)  # the places only
    settlements, grids = store.settlements(), store.grids()
    first, second = settlements[0], settlements[1]
    g1, g2 = [g for g in grids if g["settlement_id"] == first["id"]][:2]
    g3 = next(g for g in grids if g["settlement_id"] == second["id"])
    ids = []
    for index, (settlement, grid) in enumerate([(first, g1), (first, g1), (first, g2), (second, g3)]):
        household, members = sample_household(index)
        household.update(household_no=f"V-{index}", settlement_id=settlement["id"], grid_id=grid["id"])
        for m in members:
            m["job_need"] = "local" if m["labour_skill"] == "ordinary" else None
        members[0]["training_willing"] = True
        ids.append(store.save_household(household, members, today=TODAY).id)
    head = store.get_household(ids[0]).members[0]
    store.save_employment({"household_id": ids[0], "member_id": head["id"], "start_month": "2025-03",
                           "channel": "local_enterprise", "scope": "in_county", "monthly_income": 3200}, today=TODAY)
    store.save_visit({"household_id": ids[0], "month": THIS_MONTH, "visit_date": "2026-11-03", "method": "home"},
                     [{"member_id": head["id"], "employment_status": "employed"}], today=TODAY)
    return {"ids": ids, "first": first, "second": second, "g1": g1, "g2": g2, "g3": g3}


def card_numbers(window) -> dict[str, tuple[str, str, str]]:  # noqa: ANN001
    return {name: (card.numerator.text(), card.denominator.text(), card.rate.text())
            for name, card in window.dashboard.cards.items()}


def core_numbers(figures) -> dict[str, tuple[str, str, str]]:  # noqa: ANN001
    return {name: (str(f.numerator), str(f.denominator), rate_text(f)) for name, f in figures.items()}


def click(qtbot, window, button) -> None:  # noqa: ANN001
    """A figure clicked as a person does: once it is laid out on the screen, scrolled into view."""
    qtbot.waitUntil(lambda: button.height() > 0)
    window.dashboard.scroll.ensureWidgetVisible(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def listed(window) -> set[str]:  # noqa: ANN001
    return {r.id for r in window.households.model.rows}


def test_the_home_page_opens_first_and_its_cards_show_the_figures_core_counts(store, village, window):
    assert window.nav.item(0).text() == "首页" and window.stack.currentWidget() is window.dashboard
    report = store.indicator_report(TODAY)
    assert list(window.dashboard.cards) == list(report.total.figures())  # a card per figure, in core's order
    assert card_numbers(window) == core_numbers(report.total.figures())
    assert report.total.zero_employment.numerator == 3  # the village is what it says
    zero = window.dashboard.cards["zero_employment"]
    assert zero.title.text() == "零就业家庭" and "有劳动能力和就业意愿的户" in zero.base.text()
    training = window.dashboard.cards["training"]
    met = "已达到" if report.total.training.target_met else "未达到"
    assert met in training.target.text() and "30%" in training.target.text()  # in words, not colour alone
    assert window.dashboard.cards["cleared_zero_employment"].target.text() == ""  # no target, none said
    assert window.dashboard.status.text() == ""


def test_the_breakdown_shows_every_settlement_and_grid_as_core_counts_them(store, village, window):
    report = store.indicator_report(TODAY)
    model = window.dashboard.breakdown
    names = model.names
    assert "zero_employment" in names and "visit_coverage" in names
    shown = {}
    for row in range(model.rowCount()):
        place = model.rows[row]
        key = place.scope.settlement_id if place.total else (place.scope.settlement_id, place.scope.grid_id)
        shown[key] = [model.index(row, 2 + i).data() for i in range(len(names))]
    expected = {sid: [fraction(ind.figures()[n]) for n in names] for sid, ind in report.by_settlement.items()}
    expected |= {place: [fraction(ind.figures()[n]) for n in names] for place, ind in report.by_grid.items()}
    assert shown == expected
    assert model.rows[0].settlement == village["first"]["name"] and model.rows[0].grid == "（合计）"
    assert [r.grid for r in model.rows[1:3]] == [village["g1"]["name"], village["g2"]["name"]]


def test_the_trend_shows_twelve_months_of_zero_employment_and_visit_coverage(store, village, window):
    trend = store.indicator_trend(TODAY)
    chart = window.dashboard.chart
    assert chart.months == list(trend) and len(chart.months) == 12 and chart.months[-1] == THIS_MONTH
    assert [chart.zero.at(i) for i in range(12)] == [trend[m]["zero_employment"].numerator for m in trend]
    coverage = [p.y() for p in chart.coverage.points()]
    assert coverage == pytest.approx([trend[m]["visit_coverage"].rate * 100 for m in trend])
    assert chart.zero.at(11) == 3 and coverage[-1] == pytest.approx(25.0)
    labels = chart.chart().axes(Qt.Orientation.Horizontal)[0].categories()
    assert labels[0] == "12月" and labels[-1] == "11月" and "2025年12月" in chart.chart().title()


def test_a_click_on_a_figure_lists_exactly_its_households_with_a_note_that_can_be_removed(qtbot, store, village,
                                                                                         window):
    cards = window.dashboard.cards
    for button, key in ((cards["zero_employment"].numerator, "zero_employment"),
                        (cards["zero_employment"].denominator, "able_and_willing"),
                        (cards["visit_coverage"].rest, "not_visited"),
                        (cards["training"].denominator, "training_base")):
        click(qtbot, window, button)
        assert window.stack.currentWidget() is window.households
        assert listed(window) == set(store.households_behind(key, TODAY)), key
        assert window.households.behind_note.isVisible()
        window.nav.setCurrentRow(0)
    assert len(store.households_behind("zero_employment", TODAY)) == 3
    click(qtbot, window, cards["zero_employment"].numerator)
    assert window.households.behind_text.text() == "正在查看：零就业家庭"
    assert "3" in window.households.count_label.text()
    qtbot.mouseClick(window.households.findChild(QToolButton, "behind_clear"), Qt.MouseButton.LeftButton)
    assert not window.households.behind_note.isVisible()
    assert listed(window) == set(village["ids"])  # every household again


def test_a_breakdown_cell_lists_the_households_of_its_figure_in_its_grid(qtbot, store, village, window):
    model, view = window.dashboard.breakdown, window.dashboard.breakdown_view
    row = next(i for i, r in enumerate(model.rows) if r.scope.grid_id == village["g1"]["id"])
    cell = model.index(row, 2 + model.names.index("zero_employment"))
    assert cell.data() == "1 / 2"
    view.clicked.emit(cell)
    scope = Scope(village["first"]["id"], village["g1"]["id"])
    assert listed(window) == set(store.households_behind("zero_employment", TODAY, scope)) == {village["ids"][1]}
    assert window.households.behind_text.text() == f"正在查看：零就业家庭（{village['g1']['name']}）"


def test_a_place_chosen_narrows_the_cards_the_trend_and_the_clicks(qtbot, store, village, window):
    scope = Scope(village["second"]["id"])
    dashboard = window.dashboard
    with qtbot.waitSignal(dashboard.sig_shown, timeout=5000):
        dashboard.choose_scope(scope)
    report = store.indicator_report(TODAY, scope)
    assert card_numbers(window) == core_numbers(report.total.figures())
    assert dashboard.cards["zero_employment"].numerator.text() == "1"
    assert dashboard.chart.zero.at(11) == store.indicator_trend(TODAY, scope)[THIS_MONTH]["zero_employment"].numerator
    assert [r.scope.settlement_id for r in dashboard.breakdown.rows] == [scope.settlement_id] * 2
    click(qtbot, window, dashboard.cards["zero_employment"].numerator)
    assert listed(window) == set(store.households_behind("zero_employment", TODAY, scope)) == {village["ids"][3]}
    assert village["second"]["name"] in window.households.behind_text.text()
    grid = Scope(village["first"]["id"], village["g2"]["id"])
    window.nav.setCurrentRow(0)
    with qtbot.waitSignal(dashboard.sig_shown, timeout=5000):
        dashboard.choose_scope(grid)
    assert card_numbers(window) == core_numbers(store.indicator_report(TODAY, grid).total.figures())


def test_a_visit_saved_in_its_form_updates_the_dashboard_without_reopening_it(qtbot, store, village, window):
    dashboard = window.dashboard
    assert dashboard.cards["zero_employment"].numerator.text() == "3"
    full = store.get_household(village["ids"][1])
    window.opener.open_record("visit", full, None)
    form = newest_form(window)
    rows = form.member_rows
    rows.setData(rows.index(0, rows.column_of("employment_status")), "employed")  # the head works this month
    with qtbot.waitSignal(dashboard.sig_shown, timeout=5000):
        form.save()
        assert dashboard.cards["zero_employment"].numerator.text() == "3"  # counted after a short pause
    assert dashboard.cards["zero_employment"].numerator.text() == "2"
    assert card_numbers(window) == core_numbers(store.indicator_report(TODAY).total.figures())
    assert dashboard.chart.zero.at(11) == 2


def test_a_pull_updates_the_dashboard_without_reopening_it(qtbot, county, enrol, make_ctx, make_window):
    from tests.sync.sync_helpers import new_household, run_sync

    w1, w2 = enrol("w1"), enrol("w2")
    window = make_window(make_ctx(w1))
    dashboard = window.dashboard
    before = int(dashboard.cards["visit_coverage"].denominator.text())
    new_household(w2, no="H-FROM-W2")
    run_sync(w2)
    with qtbot.waitSignal(dashboard.sig_shown, timeout=10_000):
        press(window, Qt.Key.Key_F9)
    assert int(dashboard.cards["visit_coverage"].denominator.text()) == before + 1
    assert card_numbers(window) == core_numbers(w1.indicator_report(TODAY).total.figures())


def test_counting_says_so_and_a_failure_is_said_and_logged(qtbot, ctx, store, village, monkeypatch, caplog):
    from gui.main_window import MainWindow

    reader = DeferredWorker()  # the figures arrive when the test says
    window = MainWindow(ctx, reader)
    qtbot.addWidget(window)
    window.show()
    assert window.dashboard.status.text() == "正在统计…"
    reader.run_all()
    assert window.dashboard.status.text() == ""

    def broken(*_args, **_kwargs):  # noqa: ANN202
        raise RuntimeError("the report cannot be read")
    monkeypatch.setattr(store, "indicator_report", broken)
    window.dashboard.refresh()
    with caplog.at_level(logging.WARNING):
        reader.run_all()
    assert window.dashboard.status.text().startswith("统计失败：") and "日志" in window.dashboard.status.text()
    assert "computing the dashboard failed" in caplog.text and "the report cannot be read" in caplog.text


def test_a_burst_of_changes_is_counted_once(qtbot, store, village, window, monkeypatch):
    from core.changes import Changes

    asked = []
    counted = store.indicator_report
    monkeypatch.setattr(store, "indicator_report", lambda *a, **k: asked.append(1) or counted(*a, **k))
    with qtbot.waitSignal(window.dashboard.sig_shown, timeout=5000):
        for hid in village["ids"]:
            window.sig_changed.emit(Changes.of(["visit"], [], [hid]))
    assert len(asked) == 1
    window.sig_changed.emit(Changes.of(["profile_meta"], ["x"], []))  # touches no household, no place
    qtbot.wait(500)
    assert len(asked) == 1


def test_the_english_dashboard_speaks_english(qtbot, restore_app, store, village, settings):  # noqa: F811
    from gui.context import AppContext
    from gui.i18n import install_language
    from gui.main_window import MainWindow
    from gui.ops import ImmediateWorker

    language, _ = install_language(restore_app, "en")
    ctx = AppContext(store, settings, language, ImmediateWorker(), today=lambda: TODAY, net=ImmediateWorker())
    window = MainWindow(ctx, ImmediateWorker())
    qtbot.addWidget(window)
    window.show()
    dashboard = window.dashboard
    assert window.nav.item(0).text() == "Home"
    assert dashboard.heading.text() == "Figures for Nov 2026"
    zero = dashboard.cards["zero_employment"]
    assert zero.title.text() == "Zero-employment households"
    assert zero.base.text() == "Out of: households able and willing to work"
    assert dashboard.cards["training"].target.text().endswith(("Target 30% met", "Target 30% not met"))
    assert dashboard.breakdown.headerData(2, Qt.Orientation.Horizontal) == "Zero-employment households"
    assert dashboard.chart.chart().axes(Qt.Orientation.Horizontal)[0].categories()[0] == "Dec"
    assert dashboard.chart.chart().title() == "Last 12 months: Dec 2025 – Nov 2026"
    click(qtbot, window, zero.numerator)
    assert window.households.behind_text.text() == "Showing: Zero-employment households"
    window.close()


def test_income_is_shown_in_yuan_a_person_and_growth_against_the_countys(qtbot, store, village, window):
    for hid, (before, last) in zip(village["ids"][:2], ((18000, 20000), (9000, 9900))):
        store.save_household_income({"household_id": hid, "year": TODAY.year - 2, "wage": before, "household_size": 2},
                                    TODAY)
        store.save_household_income({"household_id": hid, "year": TODAY.year - 1, "wage": last, "household_size": 2},
                                    TODAY)
    store.set_meta("role", "admin")
    store.save_county_settings({"working_age_min": 16, "working_age_max": 59, "round_coverage": 0.95,
                                "training_target": 0.3, "farmer_income_growth": 0.08,
                                "farmer_income_year": TODAY.year - 1}, TODAY)
    window.dashboard.refresh()
    cards = window.dashboard.cards
    qtbot.waitUntil(lambda: cards["income_per_person"].rate.text() == "7,475 元/人")  # 29,900 over 4 people
    growth = cards["income_growth"]
    assert growth.rate.text() == "+10.7%" and growth.target.text() == "✓ 已达到目标 高于全县 8.0%"
    assert cards["monitoring_rounds"].rate.text().endswith("/ 12 期")


def test_where_the_employed_work_is_shown_by_name_and_a_count_lists_its_households(qtbot, store, village, window):
    panel = window.dashboard.distributions
    report = store.indicator_report(TODAY)
    assert report.total.distributions["employment_place"]["in_county"] == 1  # V-0's head, on a job in the county
    button = panel.buttons["employment_place:in_county"]
    assert button.text() == "1" and panel.findChild(QFrame, "distribution_employment_place") is not None
    assert set(panel.buttons) == {f"{name}:{code}" for name, counts in report.total.distributions.items()
                                  for code, n in counts.items() if n}  # every code someone has, none else
    click(qtbot, window, button)
    assert window.stack.currentWidget() is window.households
    assert listed(window) == set(store.households_behind("employment_place:in_county", TODAY)) == {village["ids"][0]}
    assert "县内" in window.households.behind_text.text()


def test_the_first_figures_of_a_month_say_how_far_counting_every_household_has_come(qtbot, store, village, window,
                                                                                     monkeypatch):
    import core.store.facts as facts

    monkeypatch.setattr(facts, "CHUNK", 1)
    monkeypatch.setattr(facts, "current_day", lambda: TODAY)  # the month the app shows is the month kept
    with store.writing() as s:
        facts.forget_facts(s)  # as on the first day of a month
    said: list[tuple[int, int, str]] = []
    window.dashboard.sig_preparing.connect(
        lambda done, of: said.append((done, of, window.dashboard.status.text())))
    window.dashboard.refresh()
    qtbot.waitUntil(lambda: window.dashboard.status.text() == "")
    assert [(d, o) for d, o, _ in said] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert said[0][2] == "正在准备本月的统计：已算 1 / 4 户…"
    assert card_numbers(window) == core_numbers(store.indicator_report(TODAY).total.figures())


def test_closing_the_window_stops_preparing_a_month_after_the_chunk_under_way(qtbot, store, village, window,
                                                                              monkeypatch, caplog):
    import core.store.facts as facts
    from core.models import IndicatorFact

    monkeypatch.setattr(facts, "CHUNK", 1)
    monkeypatch.setattr(facts, "current_day", lambda: TODAY)
    with store.writing() as s:
        facts.forget_facts(s)
    window.dashboard.stop()  # as the window's closing does
    window.dashboard.refresh()
    with store.reading() as s:
        assert s.query(IndicatorFact).count() == 1  # the chunk under way was finished and kept
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]  # stopping is not a failure
    assert "失败" not in window.dashboard.status.text()
