"""Translations: every string of gui/ has English, the .qm is compiled from the .ts, both languages
load, and the English UI of the main screens shows no Chinese chrome (data such as names may be
Chinese). Adding a string without translating it fails here: run installer/update_translations.py,
translate it in gui/resources/i18n/anju_en.ts, and run the script again."""
from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QComboBox, QHeaderView, QLabel, QLineEdit, QListWidget, QMenu, QMenuBar,
    QTabWidget, QWidget,
)

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff]")


def _load_tool():  # noqa: ANN202 - the installer script as a module
    name = "update_translations"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "installer" / "update_translations.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


# -- the .ts and the .qm ---------------------------------------------------------------------------
def test_every_string_of_gui_has_a_finished_english_translation():
    strings = tool.collect()
    assert len(strings) > 100, "the extractor found suspiciously few strings in gui/"
    missing = tool.untranslated(strings, tool.read_ts())
    assert not missing, (
        f"{len(missing)} string(s) of gui/ have no finished English translation; run "
        "`python installer/update_translations.py`, translate them in gui/resources/i18n/anju_en.ts, and run it again:\n"
        + "\n".join(missing))


def test_translations_keep_the_markers_of_their_source():
    in_code = {s.key for s in tool.collect()}
    messages = {k: m for k, m in tool.read_ts().items() if k in in_code}
    assert tool.marker_problems(messages) == []


def test_the_compiled_qm_is_up_to_date_with_the_ts(tmp_path):
    assert tool.QM_PATH.is_file(), "gui/resources/i18n/anju_en.qm is missing: run installer/update_translations.py"
    fresh = tmp_path / "anju_en.qm"
    tool.compile_qm(tool.TS_PATH, fresh)
    assert fresh.read_bytes() == tool.QM_PATH.read_bytes(), \
        "anju_en.qm is older than anju_en.ts: run installer/update_translations.py"


def test_the_extractor_reads_literals_counts_and_marks(tmp_path):
    gui = tmp_path / "gui"
    gui.mkdir()
    (gui / "a.py").write_text(
        'from gui.i18n import tr, tr_noop\n'
        'X = [tr_noop("甲")]\n'
        'def f(n, title):\n'
        '    tr("乙" "丙")\n'
        '    tr("共 %n 户", None, n)\n'
        '    tr("项", n=n)\n'
        '    tr(title)\n'
        '    tr("甲")\n'
        '    other("丁")\n', encoding="utf-8")
    found = {s.source: s for s in tool.collect(gui, tmp_path)}
    assert set(found) == {"甲", "乙丙", "共 %n 户", "项"}
    assert found["共 %n 户"].numerus and found["项"].numerus and not found["乙丙"].numerus
    assert found["甲"].locations == [("gui/a.py", 2), ("gui/a.py", 8)]


def test_an_update_keeps_translations_and_marks_new_and_vanished_strings(tmp_path):
    gui = tmp_path / "gui"
    gui.mkdir()
    source = gui / "a.py"
    source.write_text('tr("保存")\ntr("关闭")\ntr("共 %n 户", None, 2)\n', encoding="utf-8")
    ts = tmp_path / "anju_en.ts"
    qm = tmp_path / "anju_en.qm"
    tool.update(ts, qm, gui, tmp_path)
    messages = tool.read_ts(ts)
    assert all(m.type == "unfinished" for m in messages.values())
    messages[("保存", "")].forms, messages[("保存", "")].type = ["Save"], ""
    messages[("共 %n 户", "")].forms, messages[("共 %n 户", "")].type = ["%n household", "%n households"], ""
    tool.write_ts(list(messages.values()), ts, tmp_path)
    assert tool.untranslated(tool.collect(gui, tmp_path), tool.read_ts(ts)) == ["关闭"]

    source.write_text('tr("共 %n 户", None, 2)\ntr("关闭")\ntr("打开")\n', encoding="utf-8")
    tool.update(ts, qm, gui, tmp_path)
    first = ts.read_text(encoding="utf-8")
    messages = tool.read_ts(ts)
    assert messages[("保存", "")].type == "vanished" and messages[("保存", "")].forms == ["Save"]
    assert messages[("共 %n 户", "")].finished
    assert messages[("打开", "")].type == "unfinished"
    assert ("关闭", "") in messages  # still unfinished, still there
    tool.update(ts, qm, gui, tmp_path)
    assert ts.read_text(encoding="utf-8") == first, "a second run changed the .ts"


# -- loading ------------------------------------------------------------------------------------
@pytest.fixture
def restore_app(qapp):
    """Put the shared QApplication back as the other tests expect it: Chinese, same font and name."""
    from gui.i18n import DEFAULT_LANGUAGE, install_language

    font, name, locale = qapp.font(), qapp.applicationDisplayName(), QLocale()
    yield qapp
    install_language(qapp, DEFAULT_LANGUAGE)
    qapp.setFont(font)
    qapp.setApplicationDisplayName(name)
    QLocale.setDefault(locale)


def test_every_language_loads_and_english_is_english(restore_app):
    from gui.i18n import LANGUAGES, Language, install_language, tr

    for code in LANGUAGES:
        language, translators = install_language(restore_app, code)
        assert language == Language(code)
        if code == "en":
            assert translators, "anju_en.qm did not load"
            assert tr("保存") == "Save"
            assert tr("户") == "Households"
            assert tr("本月未走访") == "Not visited this month"
            assert tr("共 %n 户", None, 1) == "1 household"
            assert tr("共 %n 户", None, 3) == "3 households"
    install_language(restore_app, "zh_CN")
    assert tr("保存") == "保存"
    assert tr("共 %n 户", None, 3) == "共 3 户"


# -- the English UI -------------------------------------------------------------------------------
@contextmanager
def main_screens(lang: str) -> Iterator:
    """The main window on every page, a household form on its members, a grievance form, a visit
    form and a new household form after a first try to save (so problems show)."""
    from gui.screenshots import offscreen_session

    with offscreen_session(households=20, lang=lang) as (app, ctx, window):
        for i in range(window.nav.count()):
            window.nav.setCurrentRow(i)  # each record page reads its rows when first shown
            app.processEvents()
        window.nav.setCurrentRow(0)
        rows = window.households.model.rows
        window.opener.open_household(rows[0].id)
        household_form = window.opener.open_forms()[-1]
        household_form.tab_widget.setCurrentWidget(household_form.members)
        with_grievance = next((r.id for r in rows if ctx.store.get_household(r.id, log_access=False).grievances),
                              rows[0].id)
        full = ctx.store.get_household(with_grievance, log_access=False)
        window.opener.open_record("grievance", full, full.grievances[0] if full.grievances else None)
        window.opener.open_record("visit", full, None, {"month": f"{ctx.today():%Y-%m}"})
        window.opener.open_household(None)
        new_household = window.opener.open_forms()[-1]
        new_household.save()  # fails on the empty required fields and shows why
        app.processEvents()
        households = [ctx.store.get_household(r.id, log_access=False) for r in rows]
        yield app, ctx, window, households


class Chrome:
    """The UI text of windows, each with where it was found; `data` are strings that are the
    user's own (names, places), removed from texts that mix chrome and data."""

    def __init__(self, data: set[str]):
        self.data = sorted((d for d in data if d), key=len, reverse=True)
        self.texts: list[tuple[str, str]] = []

    def add(self, where: str, text: str | None, mixed: bool = False) -> None:
        if not text:
            return
        if mixed:
            for d in self.data:
                text = text.replace(d, "")
        self.texts.append((where, text))

    def with_cjk(self) -> list[str]:
        return [f"{where}: {text!r}" for where, text in self.texts if CJK.search(text)]


def _name(w: QWidget) -> str:
    return f"{type(w).__name__}#{w.objectName() or '?'}"


def _menus(chrome: Chrome, menu: QMenu | QMenuBar, where: str) -> None:
    from gui.i18n import LANGUAGES

    for action in menu.actions():
        code = action.objectName().removeprefix("language_")
        if action.objectName().startswith("language_") and action.text() == LANGUAGES.get(code):
            continue  # a language is named in itself ("中文", "English") so its readers find it
        chrome.add(f"{where} action#{action.objectName() or '?'}", action.text())
        if action.menu() is not None:
            _menus(chrome, action.menu(), where)


RECORD_SUMMARY_LISTS = {"measure_list", "grievance_list", "visit_list", "employment_list", "training_list",
                        "insurance_list", "household_income_list"}


def _cells(chrome: Chrome, view: QAbstractItemView, where: str) -> None:
    """Cells that show code labels (not names or numbers) are chrome too."""
    from core.validation.fields import code_list_of
    from gui.dashboard_parts import BreakdownModel
    from gui.pages import RecordPage
    from gui.rows import RowsModel
    from gui.table_models import HOUSEHOLD_COLUMNS, HouseholdTableModel

    model = view.model()
    if isinstance(model, RowsModel):
        columns = [i for i, spec in enumerate(model.specs) if spec.kind == "code"]
    elif isinstance(model, HouseholdTableModel):
        columns = [i for i, c in enumerate(HOUSEHOLD_COLUMNS) if c[0] == "monitoring_category"]
    elif isinstance(model, BreakdownModel):  # a settlement's own row says "(all grids)" where a grid is named
        for row in range(model.rowCount()):
            if model.rows[row].total:
                chrome.add(f"{where} cell({row},1)", model.index(row, 1).data())
        columns = []
    elif isinstance(view.parent(), RecordPage):
        kind = view.parent().kind
        columns = [i for i, (field, _zh, _en) in enumerate(model.columns)
                   if code_list_of(kind, field) or field == "overdue"]
    else:
        columns = []
    for row in range(min(model.rowCount(), 50)):
        for column in columns:
            chrome.add(f"{where} cell({row},{column})", model.index(row, column).data())


def _chart(chrome: Chrome, view: QChartView, where: str) -> None:
    """A chart's title, series, axis titles and category labels."""
    chart = view.chart()
    chrome.add(f"{where} chart title", chart.title())
    for series in chart.series():
        chrome.add(f"{where} series", series.name())
        for bar_set in getattr(series, "barSets", lambda: [])():
            chrome.add(f"{where} bar set", bar_set.label())
    for axis in chart.axes():
        chrome.add(f"{where} axis title", axis.titleText())
        for category in getattr(axis, "categories", lambda: [])():
            chrome.add(f"{where} axis label", category)


def collect_chrome(windows: list[QWidget], data: set[str]) -> Chrome:
    from gui.fields import FieldEditor
    from gui.main_window import MainWindow

    chrome = Chrome(data)
    # Labels that show a name after their chrome: "User: demo", "Member 1: 王芳".
    mixed_labels = {w.user_label for w in windows if isinstance(w, MainWindow)}
    mixed_labels |= {label for w in windows for label in w.findChildren(QLabel, "member_detail_title")}
    mixed_labels |= {label for w in windows for label in w.findChildren(QLabel, "household_heading")}
    for window in windows:
        top = _name(window)
        chrome.add(f"{top} title", window.windowTitle(), mixed=True)
        for w in window.findChildren(QWidget):
            if w.window() is not window:
                continue  # a form is a child of the main window but a window of its own
            where = f"{top} > {_name(w)}"
            chrome.add(f"{where} tooltip", w.toolTip())
            if isinstance(w, QLabel):
                chrome.add(where, w.text(), mixed=w in mixed_labels)
            elif isinstance(w, QAbstractButton):
                chrome.add(where, w.text())
            elif isinstance(w, QLineEdit):
                chrome.add(f"{where} placeholder", w.placeholderText())
            elif isinstance(w, QTabWidget):
                for i in range(w.count()):
                    chrome.add(f"{where} tab {i}", w.tabText(i))
            elif isinstance(w, QMenuBar):
                _menus(chrome, w, where)
            elif isinstance(w, QChartView):
                _chart(chrome, w, where)
            elif isinstance(w, QComboBox):
                editor = w.parent()
                if isinstance(editor, FieldEditor) and editor.spec.kind == "ref":
                    continue  # members, settlements, grids: the user's data
                first_only = w.objectName() in ("filter_settlement", "filter_grid", "dashboard_scope")  # "All", places
                for i in range(1 if first_only else w.count()):
                    chrome.add(f"{where} item {i}", w.itemText(i))
            if isinstance(w, QListWidget):
                summary = w.objectName() in RECORD_SUMMARY_LISTS  # code labels between names and numbers
                for i in range(w.count()):
                    item = w.item(i)
                    record = item.data(Qt.ItemDataRole.UserRole)
                    text = item.text()
                    if summary and isinstance(record, dict):  # its case number, employer, visitor…
                        for value in sorted((x for x in record.values() if isinstance(x, str) and x), key=len,
                                            reverse=True):
                            text = text.replace(value, "")
                    chrome.add(f"{where} item {i}", text, mixed=summary)
            elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and w.model() is not None:
                model = w.model()
                for column in range(model.columnCount()):
                    chrome.add(f"{where} header {column}", model.headerData(column, Qt.Orientation.Horizontal))
                _cells(chrome, w, where)
    return chrome


def data_of(ctx, households) -> set[str]:  # noqa: ANN001
    """Names and places of the demo profile: these are allowed to be Chinese in any language."""
    data = {ctx.store.info.display_name or "", ctx.store.actor.username}
    data |= {s["name"] for s in ctx.store.settlements()} | {g["name"] for g in ctx.store.grids()}
    for full in households:
        data |= {m.get("name") or "" for m in full.members}
    return data


def test_the_english_ui_shows_no_chinese_chrome(restore_app):
    with main_screens("en") as (_app, ctx, window, households):
        forms = window.opener.open_forms()
        assert {f.entity for f in forms} == {"household", "grievance", "visit"}
        assert window.nav.item(0).text() == "Home" and window.nav.item(1).text() == "Households"
        assert window.dashboard.cards["zero_employment"].title.text() == "Zero-employment households"
        assert window.dashboard.chart.chart().series(), "the dashboard's trend was not drawn"
        assert forms[-1].summary.text(), "the new household form did not show its problems"
        chrome = collect_chrome([window, *forms], data_of(ctx, households))
        assert len(chrome.texts) > 200
        offenders = chrome.with_cjk()
    assert offenders == [], "Chinese left in the English UI:\n" + "\n".join(offenders)


def test_the_chinese_ui_shows_chinese_chrome(restore_app):
    with main_screens("zh_CN") as (_app, ctx, window, households):
        assert window.nav.item(0).text() == "首页" and window.nav.item(1).text() == "户"
        assert window.dashboard.cards["zero_employment"].title.text() == "零就业家庭"
        assert window.households.model.headerData(0, Qt.Orientation.Horizontal) == "户编号"
        forms = window.opener.open_forms()
        assert forms[0].save_button.text() == "保存 (Ctrl+S)"
        chrome = collect_chrome([window, *forms], data_of(ctx, households))
        assert len(chrome.with_cjk()) > 100, "the Chinese UI shows little Chinese: is the walk seeing the widgets?"
