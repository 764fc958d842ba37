"""导入花名册: choose a village's Excel roster, see the dry run's report, then import it (core/roster does
the work; docs/roster-import.md says it for users).

The check runs on a worker of its own with a progress bar and 取消 (10,000 rows take seconds), and lists
every problem by row and column, ID numbers and phones masked. 导入 is enabled only when there is no error;
it asks first, then runs on the database worker in one transaction (all or nothing) and says how many
households and people it wrote. Nothing is written before 导入.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from core.progress import Cancelled, Progress
from core.roster import (
    ImportResult, RosterCheck, RosterFileError, RosterProblem, check_roster, import_roster, write_report,
)
from gui.context import AppContext
from gui.progress_row import ProgressRow
from gui.settings import documents_folder
from gui.i18n import error_message, tr, tr_noop
from gui.ops import ImmediateWorker, Worker, own_worker
from gui.roster_words import advice_words, file_error_words, problem_words

log = logging.getLogger(__name__)
COLUMNS = (tr_noop("行号"), tr_noop("列"), tr_noop("内容"), tr_noop("类型"), tr_noop("问题"), tr_noop("建议"))
STAGES = {"reading": tr_noop("正在读取"), "checking": tr_noop("正在检查"), "saving": tr_noop("正在导入")}
ERROR_COLOUR = QColor("#b00020")
Index = QModelIndex | QPersistentModelIndex


class ProblemTable(QAbstractTableModel):
    """The dry run's problems, one a row; words made as they are shown (a roster may have thousands)."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang, self.problems = lang, []

    def show(self, problems: list[RosterProblem]) -> None:
        self.beginResetModel()
        self.problems = problems
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's
                   role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        p = self.problems[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and p.is_error and index.column() == 3:
            return ERROR_COLOUR
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.cell(p, index.column())

    def cell(self, p: RosterProblem, column: int) -> str:
        if column == 0:
            return (f"{p.sheet} " if p.sheet and self.parent().several_sheets else "") + (str(p.row) if p.row else "")
        if column == 1:
            return f"{p.column}（{p.letter}）" if p.letter else p.column
        if column == 2:
            return p.value
        if column == 3:
            return tr("错误") if p.is_error else tr("提醒")
        return problem_words(p, self.lang) if column == 4 else advice_words(p)


class RosterImportDialog(QDialog):
    """`sig_checked(RosterCheck)` after a dry run; `sig_imported(ImportResult)` after an import (its Changes
    also go to the main window's sig_changed, so the lists read again)."""

    sig_checked = Signal(object)
    sig_imported = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 worker: Worker | ImmediateWorker | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        if worker is None:  # tests run at once; the app checks on a thread of its own
            worker = own_worker(ctx.db, "roster", self)
        self.worker = worker
        self.check: RosterCheck | None = None
        self.several_sheets = False
        self._closing = False
        self.setObjectName("roster_dialog")
        self.setWindowTitle(tr("导入花名册"))
        layout = QVBoxLayout(self)
        layout.addLayout(self._file_row())
        self.summary = QLabel(tr("请选择村里的 Excel 花名册（.xlsx 或 .xls）。先检查，列出每一处问题；确认后才导入。"), self)
        self.summary.setObjectName("roster_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addLayout(self._progress_row())
        self.model = ProblemTable(ctx.lang, self)
        self.table = QTableView(self)
        self.table.setObjectName("roster_problems")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((60, 130, 150, 50, 330)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._button_row())
        self.resize(1000, 560)

    def _file_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.file_label = QLabel(self)
        self.file_label.setObjectName("roster_file")
        row.addWidget(self.file_label, 1)
        self.choose_button = QPushButton(tr("选择文件…"), self)
        self.choose_button.setObjectName("roster_choose")
        self.choose_button.clicked.connect(self.choose_file)
        row.addWidget(self.choose_button)
        return row

    def _progress_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.progress_row = ProgressRow(lambda stage: tr(STAGES.get(stage, stage)), self)
        self.progress, self.cancel_button = self.progress_row.bar, self.progress_row.cancel_button
        self.progress.setObjectName("roster_progress")
        self.cancel_button.setObjectName("roster_cancel")
        self.sig_progress = self.progress_row.sig_progress  # reports from the worker, queued to this thread
        row.addWidget(self.progress_row, 1)
        return row

    @property
    def running(self) -> Progress | None:
        return self.progress_row.running

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.report_button = QPushButton(tr("保存检查报告…"), self)
        self.report_button.setObjectName("roster_report")
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.choose_report)
        self.import_button = QPushButton(tr("导入"), self)
        self.import_button.setObjectName("roster_do_import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_checked)
        close = QPushButton(tr("关闭"), self)
        close.clicked.connect(self.close)
        row.addWidget(self.report_button)
        row.addStretch(1)
        row.addWidget(self.import_button)
        row.addWidget(close)
        return row

    # -- the dry run ---------------------------------------------------------------------------------
    def choose_file(self) -> None:
        start = self.ctx.settings.get("ledgers/folder") or documents_folder()  # where the 台账 page keeps its files
        chosen, _ = QFileDialog.getOpenFileName(self, tr("选择花名册"), start, tr("Excel 文件 (*.xlsx *.xls)"))
        if chosen:
            self.check_file(Path(chosen))

    def check_file(self, path: Path) -> None:
        """The dry run of `path`, off the UI thread; its report fills the table. Writes nothing."""
        self.check = None
        self.model.show([])
        self.file_label.setText(str(path))
        store, today = self.ctx.store, self.ctx.today()
        progress = self._start()
        self.worker.submit(lambda: check_roster(store, path, progress, today), self._checked, self._failed)

    def _checked(self, check: RosterCheck) -> None:
        self._stop()
        self.check, self.several_sheets = check, len(check.sheets) > 1
        self.model.show(check.problems)
        words = tr("共 %1 行，%2 户 %3 人。").replace("%1", str(check.rows)).replace(
            "%2", str(len(check.households))).replace("%3", str(check.member_count))
        if check.errors:
            words += tr("发现 %1 个错误、%2 个提醒：请在 Excel 里改正错误后再检查，改正前不能导入。").replace(
                "%1", str(len(check.errors))).replace("%2", str(len(check.warnings)))
        elif check.warnings:
            words += tr("没有错误，有 %1 个提醒：请看过后再导入。").replace("%1", str(len(check.warnings)))
        else:
            words += tr("没有发现问题，可以导入。")
        if check.ignored_columns:
            words += tr("没有导入的列：%1。").replace("%1", "、".join(check.ignored_columns))
        self._say(words, error=bool(check.errors))
        self.report_button.setEnabled(True)
        self.import_button.setEnabled(check.ok and bool(check.households))
        self.sig_checked.emit(check)

    def choose_report(self) -> None:
        if self.check is None:
            return
        start = str(self.check.path.with_name(self.check.path.stem + "-检查报告.xlsx"))
        chosen, _ = QFileDialog.getSaveFileName(self, tr("保存检查报告"), start, tr("Excel 文件 (*.xlsx)"))
        if chosen:
            self.save_report(Path(chosen))

    def save_report(self, path: Path) -> None:
        check, lang = self.check, self.ctx.lang
        self.worker.submit(lambda: write_report(check, path, lang),
                           lambda written: self._say(tr("检查报告已保存到 %1。").replace("%1", str(written))),
                           self._failed)

    # -- the import ----------------------------------------------------------------------------------
    def import_checked(self) -> None:
        check = self.check
        if check is None or not check.ok:
            return
        question = tr("将导入 %1 户 %2 人，一次全部写入，随下次同步上传到县里。").replace(
            "%1", str(len(check.households))).replace("%2", str(check.member_count))
        if check.warnings:
            question += tr("还有 %1 个提醒没有处理。").replace("%1", str(len(check.warnings)))
        answer = QMessageBox.question(self, tr("导入花名册"), question + tr("确定导入吗？"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        progress, today = self._start(), self.ctx.today()
        self.import_button.setEnabled(False)
        self.ctx.op(lambda store: import_roster(store, check, progress, today)).success(
            self._imported).failure(self._failed).run()

    def _imported(self, result: ImportResult) -> None:
        self._stop()
        self.check = None  # imported: the same check is not imported twice
        self._say(tr("已导入 %1 户 %2 人，将随下次同步上传。").replace("%1", str(result.households))
                  .replace("%2", str(result.members)))
        self.sig_imported.emit(result)
        window = self.parent().window() if self.parent() is not None else None
        if hasattr(window, "sig_changed"):
            window.sig_changed.emit(result.changes)

    # -- both ------------------------------------------------------------------------------------
    def _start(self) -> Progress:
        progress = self.progress_row.start()
        for button in (self.choose_button, self.report_button, self.import_button):
            button.setEnabled(False)
        return progress

    def _stop(self) -> None:
        self.progress_row.finish()
        if self._closing:  # asked to close while working: now that the work has stopped
            QTimer.singleShot(0, self.close)
        self.choose_button.setEnabled(True)
        self.report_button.setEnabled(self.check is not None)

    def cancel(self) -> None:
        self.progress_row.cancel()

    def _failed(self, error: BaseException) -> None:
        self._stop()
        self.import_button.setEnabled(self.check is not None and self.check.ok and bool(self.check.households))
        if isinstance(error, Cancelled):
            self._say(tr("已取消，没有写入任何数据。"))
        elif isinstance(error, RosterFileError):
            self._say(file_error_words(error), error=True)
        elif isinstance(error, OSError):
            log.warning("the roster import failed", exc_info=error)
            self._say(tr("文件读写出错：%1").replace("%1", error.strerror or str(error)), error=True)
        else:
            self._say(error_message(error, self.ctx.lang), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.summary.setStyleSheet("color: #b00020;" if error else "")
        self.summary.setText(text)

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's
        """Closing while a check or an import runs asks it to stop (an import then writes nothing) and
        closes once it has: the work's answer still has its dialog to come back to."""
        if self.running is not None:
            self._closing = True
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:  # Esc
        if self.running is not None:
            self.close()
            return
        super().reject()

