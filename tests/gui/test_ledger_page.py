"""The 台账 page as a clerk uses it: choose ledgers and a month, export with a progress bar on a thread of
its own, cancel, and be told in words what was wrong."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from core.demo import write_demo_profile
from core.ledgers import LEDGERS, ledger_file_name
from gui_helpers import TODAY

MONTH = TODAY.strftime("%Y-%m")


@pytest.fixture
def page(qtbot, ctx, tmp_path):
    from gui.ledger_page import LedgerPage

    write_demo_profile(ctx.store, 40, seed=3, as_of=TODAY)
    (tmp_path / "out").mkdir()
    ctx.settings.set("ledgers/folder", str(tmp_path / "out"))
    page = LedgerPage(ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def test_export_runs_off_the_ui_thread_with_progress(qtbot, ctx, tmp_path):
    from gui.ledger_page import LedgerPage
    from gui.ops import Worker

    write_demo_profile(ctx.store, 40, seed=3, as_of=TODAY)
    ctx.settings.set("ledgers/folder", str(tmp_path))
    worker = Worker("ledgers")
    page = LedgerPage(ctx, worker=worker)
    qtbot.addWidget(page)
    page.show()
    page.select(["roster", "labour"])
    seen: list[tuple[int, int, str]] = []
    page.sig_progress.connect(lambda done, total, stage: seen.append((done, total, stage)))
    with qtbot.waitSignal(page.sig_exported, timeout=60000) as done:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
        assert page.progress.isVisible() and page.cancel_button.isVisible() and not page.export_button.isEnabled()
    files = done.args[0]
    assert sorted(f.name for f in files) == sorted(ledger_file_name(LEDGERS[n], MONTH) for n in ("roster", "labour"))
    assert all(f.parent == tmp_path for f in files)
    assert seen and seen[-1][2] == "done" and seen[-1][0] == seen[-1][1] > 0
    assert not page.progress.isVisible() and page.export_button.isEnabled()
    assert "已导出 2 个台账" in page.result.text() and str(tmp_path) in page.result.text()
    ws = load_workbook(tmp_path / ledger_file_name(LEDGERS["roster"], MONTH)).worksheets[0]
    assert ws["A1"].value == "户籍花名册"
    worker.wait_idle()


def test_cancel_stops_the_export_and_leaves_no_file(qtbot, page, tmp_path):
    page.select(["roster"])

    def cancel_on_first_rows(done: int, _total: int, _stage: str) -> None:
        if done and page.cancel_button.isEnabled():
            qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)

    page.sig_progress.connect(cancel_on_first_rows)
    with qtbot.assertNotEmitted(page.sig_exported):
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert "已取消" in page.result.text()
    assert list((tmp_path / "out").iterdir()) == []
    assert page.export_button.isEnabled() and not page.progress.isVisible()


def test_wrong_choices_are_said_in_words(qtbot, page, tmp_path):
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.result.text() == "请至少选择一种台账。"
    page.select(["jobs"])
    page.folder.setText(str(tmp_path / "nowhere"))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert "不是一个可用的文件夹" in page.result.text()
    assert not (tmp_path / "nowhere").exists()


def test_a_month_to_come_cannot_be_chosen(page):
    page.month.setDate(QDate(TODAY.year + 1, 1, 1))
    assert (page.month.date().year(), page.month.date().month()) == (TODAY.year, TODAY.month)


def test_full_ids_need_a_yes(page, answer):
    asked = answer(QMessageBox.StandardButton.No)
    page.unmasked.setChecked(True)
    assert asked and "审计日志" in asked[0] and not page.unmasked.isChecked()
    answer(QMessageBox.StandardButton.Yes)
    page.unmasked.setChecked(True)
    assert page.unmasked.isChecked()


def test_the_main_window_has_the_page(window):
    from gui.ledger_page import LedgerPage

    assert isinstance(window.pages["ledger"], LedgerPage)
    assert window.pages["ledger"].import_button.isEnabled() and window.sync_button is not None


def test_card_by_household_number(qtbot, page):
    from PySide6.QtWidgets import QApplication

    page.card_number.setText("no-such-number")
    qtbot.mouseClick(page.findChild(type(page.export_button), "card_print"), Qt.MouseButton.LeftButton)
    assert "没有户编号为“no-such-number”的户" in page.result.text()
    number = page.ctx.store.list_households(limit=1)[0].household_no
    page.card_number.setText(number)
    page.card_number.returnPressed.emit()
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "card_dialog" and w.isVisible()]
    assert len(dialogs) == 1 and number in dialogs[0].about.text()
    dialogs[0].close()


def test_analysts_copy_from_the_page(qtbot, page, tmp_path, monkeypatch):
    import sqlite3

    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "out" / "copy.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(page.analysis_button, Qt.MouseButton.LeftButton)
    assert str(target) in page.result.text()
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM household").fetchone()[0] == page.ctx.store.count_households()


def test_the_page_offers_every_ledger_in_the_countys_order(page):
    from gui.ledger_page import LEDGER_TITLES

    assert list(LEDGER_TITLES) == list(LEDGERS)
    page.select(list(LEDGERS))
    assert page.selected() == list(LEDGERS)


def test_the_main_window_starts_without_the_export_libraries(tmp_path):
    """Building the main window (the 台账 page among its pages) loads neither openpyxl nor sqlite-utils:
    they are loaded by the export that needs them, not on every start."""
    import subprocess
    import sys

    code = ("import os, sys\n"
            "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from pathlib import Path\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from core.store import Store\n"
            "from gui.context import AppContext\n"
            "from gui.i18n import install_language\n"
            "from gui.main_window import MainWindow\n"
            "from gui.ops import ImmediateWorker\n"
            "from gui.settings import Settings\n"
            "store = Store.create(Path(sys.argv[1]) / 'p', 'pw-for-test', username='w1')\n"
            "language, _ = install_language(app, 'zh_CN')\n"
            "ctx = AppContext(store, Settings(Path(sys.argv[1]) / 's.ini'), language, ImmediateWorker())\n"
            "window = MainWindow(ctx, ImmediateWorker())\n"
            "print(sorted(m for m in ('openpyxl', 'lxml', 'sqlite_utils', 'xlrd') if m in sys.modules))\n"
            "window.close(); store.close()\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
