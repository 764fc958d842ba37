"""导入花名册 as a clerk uses it: choose a roster, read the dry run's report (nothing written yet), then
导入 only when there is no error; the check runs off the UI thread with a progress bar and cancel."""
from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.core.test_roster import CLEAN, GRIDS, SETTLEMENTS, planted, write_roster


@pytest.fixture
def dialog(qtbot, ctx):
    from gui.roster_dialog import RosterImportDialog

    ctx.store.bulk_load({"area": [], "settlement": SETTLEMENTS, "grid": GRIDS}, reason="test reference data")
    dialog = RosterImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def table(dialog) -> list[list[str]]:  # noqa: ANN001
    model = dialog.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_report_shows_before_anything_is_written_and_import_writes_it(qtbot, dialog, store, tmp_path, answer):
    dialog.check_file(write_roster(tmp_path / "roster.xlsx", CLEAN))
    assert "共 6 行，3 户 6 人" in dialog.summary.text() and "没有发现问题，可以导入" in dialog.summary.text()
    assert table(dialog) == []
    assert store.count_households() == 0 and store.pending_change_count() == 0  # the dry run wrote nothing
    assert dialog.import_button.isEnabled()
    asked = answer(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.sig_imported) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert asked and "将导入 3 户 6 人" in asked[0]
    assert (imported.args[0].households, imported.args[0].members) == (3, 6)
    assert store.count_households() == 3 and store.pending_change_count() == 9
    assert "已导入 3 户 6 人" in dialog.summary.text() and not dialog.import_button.isEnabled()


def test_saying_no_to_the_question_writes_nothing(qtbot, dialog, store, tmp_path, answer):
    dialog.check_file(write_roster(tmp_path / "roster.xlsx", CLEAN))
    answer(QMessageBox.StandardButton.No)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert store.count_households() == 0 and dialog.import_button.isEnabled()


def test_errors_are_listed_in_words_and_import_stays_disabled(qtbot, dialog, store, tmp_path):
    path = write_roster(tmp_path / "roster.xlsx", planted(store))
    dialog.check_file(path)
    rows = table(dialog)
    assert [r[0] for r in rows] == ["8", "9", "10", "12", "13", "14", "15"]
    assert rows[0][1:5] == ["公民身份号码（D）", rows[0][2], "错误", "身份证号校验位错误"] and "*" in rows[0][2]
    assert rows[2][4:] == ["“苗旅”不是可选的民族", "是不是“苗族”？"]
    assert "发现 7 个错误" in dialog.summary.text() and not dialog.import_button.isEnabled()
    assert store.count_households() == 1  # only the household saved by planted() itself
    dialog.save_report(tmp_path / "report.xlsx")
    saved = list(openpyxl.load_workbook(tmp_path / "report.xlsx").active.iter_rows(values_only=True))
    assert len(saved) == 3 + 7 and "检查报告已保存" in dialog.summary.text()


def test_a_file_that_is_no_roster_is_said_in_words(dialog, tmp_path):
    (tmp_path / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    dialog.check_file(tmp_path / "notes.xlsx")
    assert dialog.summary.text() == "“notes.xlsx”不是 Excel 文件（.xlsx 或 .xls）。"
    assert not dialog.import_button.isEnabled() and not dialog.report_button.isEnabled()


def test_the_check_runs_off_the_ui_thread_with_progress_and_can_be_cancelled(qtbot, ctx, tmp_path):
    from gui.ops import Worker
    from gui.roster_dialog import RosterImportDialog

    ctx.store.bulk_load({"area": [], "settlement": SETTLEMENTS, "grid": GRIDS}, reason="test reference data")
    worker = Worker("roster")
    dialog = RosterImportDialog(ctx, worker=worker)
    qtbot.addWidget(dialog)
    dialog.show()
    path = write_roster(tmp_path / "roster.xlsx", CLEAN * 200)  # 1,200 rows: progress is reported on the way
    seen: list[str] = []
    dialog.sig_progress.connect(lambda done, total, stage: seen.append(stage))
    with qtbot.waitSignal(dialog.sig_checked, timeout=60000):
        dialog.check_file(path)
        assert dialog.progress.isVisible() and dialog.cancel_button.isVisible()
        assert not dialog.choose_button.isEnabled() and not dialog.import_button.isEnabled()
    assert "reading" in seen and "checking" in seen and not dialog.progress.isVisible()
    assert "发现" in dialog.summary.text()  # the same people 200 times over: twice in the file

    def cancel_on_first_report(*_args: object) -> None:
        # On the worker's thread, as it reports: the cancel the button makes, before the check can end.
        # Queued to the UI thread, the report came after the check had ended on a loaded machine.
        running = dialog.progress_row.running  # set on the UI thread before the job was handed over
        if running is not None and not running.cancelled:
            running.cancel()

    dialog.sig_progress.connect(cancel_on_first_report, Qt.ConnectionType.DirectConnection)
    dialog.check_file(path)
    qtbot.waitUntil(lambda: dialog.running is None, timeout=60000)
    assert dialog.summary.text() == "已取消，没有写入任何数据。" and dialog.check is None
    assert ctx.store.count_households() == 0
    worker.wait_idle()
