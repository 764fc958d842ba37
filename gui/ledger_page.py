"""The 台账 page: export the county's ledgers for a month (with progress and cancel), import a village's
existing roster, and the sync button. The export runs on a worker of its own (a large ledger takes
seconds and must hold up neither saves nor the dashboard); the page only says what core.ledgers did."""
from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QFrame, QDateEdit, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QMessageBox, QPushButton, QRadioButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from typing import TYPE_CHECKING

from core.errors import LedgerError
from core.outputs import OutputRefused
from core.progress import Cancelled, Progress
from gui.context import AppContext
from gui.settings import documents_folder
from gui.i18n import error_message, tr, tr_noop
from gui.ops import ImmediateWorker, Worker, log_if_unforeseen, own_worker
from gui.progress_row import ProgressRow

if TYPE_CHECKING:
    from core.ledgers import ExportResult

# core.ledgers (openpyxl, lxml) and core.analysis (sqlite-utils) are imported by the jobs that use them, on
# the page's worker: the main window builds this page at start-up, which must not wait for them.

log = logging.getLogger(__name__)

# Each ledger (core.ledgers.LEDGERS, in its order; a test keeps the two equal) and its title in the UI
# language (the workbook itself is always in Chinese, as the county files it).
LEDGER_TITLES = {
    "labour": tr_noop("搬迁劳动力台账"), "graduates": tr_noop("高校毕业生台账"), "weak-labour": tr_noop("半弱劳动力台账"),
    "hardship": tr_noop("鳏寡孤独残特殊困难群体台账"), "jobs": tr_noop("就业台账"), "training": tr_noop("培训台账"),
    "zero-employment": tr_noop("零就业家庭台账"), "visits": tr_noop("月度监测台账"), "dispatch": tr_noop("月调度表"),
    "monitored": tr_noop("防返贫监测对象台账"), "grievances": tr_noop("矛盾纠纷排查化解台账"),
    "measures": tr_noop("帮扶措施台账"), "roster": tr_noop("户籍花名册"), "bulletin": tr_noop("季度通报"),
}
STAGES = {"counting": tr_noop("正在清点"), "saving": tr_noop("正在保存文件"), "done": tr_noop("完成"),
          "rows": tr_noop("正在复制记录")}


def ledger_error_words(err: LedgerError) -> str:
    p = err.params
    if err.code == "future_month":
        return tr("统计月份 %1 还没有到，请选择本月或以前的月份。").replace("%1", str(p.get("month")))
    if err.code == "bad_month":
        return tr("统计月份“%1”不对，应为“年-月”。").replace("%1", str(p.get("month")))
    if err.code == "unknown_ledger":
        return tr("请至少选择一种台账。")
    if err.code == "in_profile":
        return tr("“%1”在档案文件夹里，请换一个位置。").replace("%1", str(p.get("path")))
    if err.code in ("no_folder", "need_folder", "not_a_folder"):
        return tr("保存位置“%1”不是一个可用的文件夹，请重新选择。").replace("%1", str(p.get("path")))
    return tr("导出台账失败（%1）。").replace("%1", err.code)


def _stage_words(stage: str) -> str:
    return tr(STAGES[stage]) if stage in STAGES else tr(LEDGER_TITLES.get(stage, stage))


class LedgerPage(QWidget):
    """`sig_progress(done, total, stage)` (its progress row's) is emitted from the export's worker, queued to
    the UI thread."""

    sig_exported = Signal(list)  # the files written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 worker: Worker | ImmediateWorker | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        if worker is None:  # tests run at once; the app exports on a thread of its own
            worker = own_worker(ctx.db, "ledgers", self)
        self.worker = worker
        # In a scroll area, so the page asks no height of the window: a 768-pixel laptop screen or the
        # large font still fits the main window, and the page scrolls instead.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget(scroll)
        self.content = QVBoxLayout(inner)
        self.content.addWidget(self._export_box())
        self.content.addWidget(self._import_box())
        self.content.addWidget(self._more_box())
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- building ----------------------------------------------------------------------------------
    def _export_box(self) -> QGroupBox:
        box = QGroupBox(tr("导出台账"), self)
        layout = QVBoxLayout(box)
        self.ledger_list = QListWidget(box)
        self.ledger_list.setObjectName("ledger_list")
        for name in LEDGER_TITLES:
            item = QListWidgetItem(tr(LEDGER_TITLES.get(name, name)), self.ledger_list)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setCheckState(Qt.CheckState.Unchecked)
        rows = self.ledger_list.sizeHintForRow(0) * self.ledger_list.count()
        self.ledger_list.setMinimumHeight(min(rows + 2 * self.ledger_list.frameWidth(), 320))
        layout.addWidget(self.ledger_list)
        layout.addLayout(self._choices(box))
        layout.addLayout(self._folder_row(box))
        self.unmasked = QCheckBox(tr("导出完整的身份证号和电话（将记入审计日志）"), box)
        self.unmasked.setObjectName("ledger_unmasked")
        self.unmasked.toggled.connect(self._confirm_unmasked)
        layout.addWidget(self.unmasked)
        layout.addLayout(self._run_row(box))
        self.result = QLabel(box)
        self.result.setObjectName("ledger_result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.result.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        layout.addWidget(self.result)
        return box

    def _choices(self, box: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        every = QPushButton(tr("全选"), box)
        every.clicked.connect(lambda: self.select(list(LEDGER_TITLES)))
        row.addWidget(every)
        row.addWidget(QLabel(tr("统计月份"), box))
        self.month = QDateEdit(box)
        self.month.setObjectName("ledger_month")
        self.month.setDisplayFormat("yyyy-MM")
        today = self.ctx.today()
        self.month.setDate(QDate(today.year, today.month, 1))
        self.month.setMaximumDate(QDate(today.year, today.month, 28))
        row.addWidget(self.month)
        self.one_sheet = QRadioButton(tr("全部在一张表"), box)
        self.per_settlement = QRadioButton(tr("每个安置点一张表"), box)
        self.one_sheet.setChecked(True)
        group = QButtonGroup(box)
        group.addButton(self.one_sheet)
        group.addButton(self.per_settlement)
        row.addWidget(self.one_sheet)
        row.addWidget(self.per_settlement)
        row.addStretch(1)
        return row

    def _folder_row(self, box: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("保存到"), box))
        self.folder = QLineEdit(self.ctx.settings.get("ledgers/folder") or documents_folder(), box)
        self.folder.setObjectName("ledger_folder")
        row.addWidget(self.folder, 1)
        browse = QPushButton(tr("选择…"), box)
        browse.clicked.connect(self._choose_folder)
        row.addWidget(browse)
        return row

    def _run_row(self, box: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        self.export_button = QPushButton(tr("导出"), box)
        self.export_button.setObjectName("ledger_export")
        self.export_button.clicked.connect(self.export)
        self.export_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.progress_row = ProgressRow(_stage_words, box)
        self.progress, self.cancel_button = self.progress_row.bar, self.progress_row.cancel_button
        self.progress.setObjectName("ledger_progress")
        self.cancel_button.setObjectName("ledger_cancel")
        self.sig_progress = self.progress_row.sig_progress
        row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignLeft)
        row.addWidget(self.progress_row, 1)
        return row

    def _import_box(self) -> QGroupBox:
        box = QGroupBox(tr("导入已有的户籍花名册"), self)
        layout = QHBoxLayout(box)
        note = QLabel(tr("从 Excel 花名册（.xlsx 或 .xls）导入户和成员：先检查并列出每一处问题，确认后才写入。"), box)
        note.setWordWrap(True)
        layout.addWidget(note, 1)
        self.import_button = QPushButton(tr("导入花名册…"), box)
        self.import_button.setObjectName("roster_import")
        self.import_button.clicked.connect(self.open_import)
        layout.addWidget(self.import_button)
        return box

    def _more_box(self) -> QGroupBox:
        box = QGroupBox(tr("户卡与分析用数据"), self)
        layout = QHBoxLayout(box)
        layout.addWidget(QLabel(tr("户编号"), box))
        self.card_number = QLineEdit(box)
        self.card_number.setObjectName("card_number")
        self.card_number.returnPressed.connect(self.print_card)
        layout.addWidget(self.card_number)
        card = QPushButton(tr("打印户卡…"), box)
        card.setObjectName("card_print")
        card.clicked.connect(self.print_card)
        layout.addWidget(card)
        layout.addStretch(1)
        self.analysis_button = QPushButton(tr("导出分析用 SQLite 副本…"), box)
        self.analysis_button.setObjectName("analysis_export")
        self.analysis_button.setToolTip(tr("不加密的 SQLite 文件，供统计分析软件使用；是否遮挡个人信息同上方的勾选"))
        self.analysis_button.clicked.connect(self.export_analysis)
        layout.addWidget(self.analysis_button)
        return box

    # -- actions -------------------------------------------------------------------------------------
    def select(self, names: list[str]) -> None:
        for i in range(self.ledger_list.count()):
            item = self.ledger_list.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in names
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def selected(self) -> list[str]:
        items = (self.ledger_list.item(i) for i in range(self.ledger_list.count()))
        return [it.data(Qt.ItemDataRole.UserRole) for it in items if it.checkState() == Qt.CheckState.Checked]

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("保存台账的文件夹"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _confirm_unmasked(self, on: bool) -> None:
        if not on:
            return
        answer = QMessageBox.question(self, tr("导出完整个人信息"), tr(
            "完整的身份证号和电话属于敏感个人信息。导出的文件请妥善保管，用完删除；本次导出将记入审计日志。确定吗？"))
        if answer != QMessageBox.StandardButton.Yes:
            self.unmasked.setChecked(False)

    def export(self) -> None:
        names, folder = self.selected(), self.folder.text().strip()
        if not names:
            self._say(tr("请至少选择一种台账。"), error=True)
            return
        if not folder or not Path(folder).is_dir():
            self._say(tr("保存位置“%1”不是一个可用的文件夹，请重新选择。").replace("%1", folder), error=True)
            return
        self.ctx.settings.set("ledgers/folder", folder)
        d = self.month.date()
        month = f"{d.year():04d}-{d.month():02d}"
        store, masked, per = self.ctx.store, not self.unmasked.isChecked(), self.per_settlement.isChecked()
        today = self.ctx.today()

        def job(progress: Progress) -> ExportResult:
            from core.ledgers import export_ledgers

            return export_ledgers(store, names, month, Path(folder), masked=masked, per_settlement=per,
                                  progress=progress, today=today)

        self._start(job, self._exported)

    def export_analysis(self) -> None:
        """The analysts' plain SQLite copy (core.analysis), to a file the user names."""
        start = str(Path(self.folder.text().strip() or documents_folder()) / "anju-analysis.db")
        chosen, _ = QFileDialog.getSaveFileName(self, tr("分析用数据副本"), start, tr("SQLite 数据库 (*.db)"))
        if not chosen:
            return
        store, unmasked, today = self.ctx.store, self.unmasked.isChecked(), self.ctx.today()
        def job(progress: Progress) -> dict[str, int]:
            from core.analysis import export_sqlite

            return export_sqlite(store, Path(chosen), unmasked=unmasked, progress=progress, today=today)

        self._start(job,
                    lambda counts: self._analysis_done(Path(chosen), counts))

    def _start(self, job: Callable[[Progress], object], done: Callable[[object], None]) -> None:
        """Run a long job on the page's worker with the progress bar and 取消; `done(result)` after."""
        progress = self.progress_row.start()
        self._busy(True)
        self.worker.submit(lambda: job(progress), lambda result: self._finished(done, result), self._failed)

    @property
    def running(self) -> Progress | None:
        return self.progress_row.running

    def _finished(self, done: Callable[[object], None], result: object) -> None:
        self._busy(False)
        done(result)

    def _analysis_done(self, path: Path, counts: dict[str, int]) -> None:
        self._say(tr("已写出分析用副本（%1 户，%2 人）：<a href=\"%3\">%4</a>。")
                  .replace("%1", str(counts.get("household", 0))).replace("%2", str(counts.get("member", 0)))
                  .replace("%3", QUrl.fromLocalFile(str(path.parent)).toString()).replace("%4", str(path)))

    def print_card(self) -> None:
        """A household's card, asked for by its number."""
        number = self.card_number.text().strip()
        if not number:
            self._say(tr("请填写户编号。"), error=True)
            return
        self.ctx.op(lambda store: store.household_ids_of(number)).success(
            lambda ids: self._card_for(number, ids)).failure(self._card_failed).run()

    def _card_failed(self, error: BaseException) -> None:
        """A failed look-up says so and leaves an export under way (and its 取消) alone; the worker has
        logged anything unforeseen with its traceback."""
        self._say(error_message(error, self.ctx.lang), error=True)

    def _card_for(self, number: str, ids: list[str]) -> None:
        if len(ids) != 1:
            self._say((tr("没有户编号为“%1”的户。") if not ids else tr("户编号“%1”有多户，请从户列表打开要打印的户。"))
                      .replace("%1", number), error=True)
            return
        from gui.card_dialog import print_card

        print_card(self.ctx, ids[0], self)

    def cancel(self) -> None:
        self.progress_row.cancel()

    def _busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.analysis_button.setEnabled(not busy)
        if busy:
            self.result.clear()
        else:
            self.progress_row.finish()

    def _exported(self, result: ExportResult) -> None:
        folder = result.files[0].parent if result.files else Path(self.folder.text())
        rows = sum(result.rows.values())
        self._say(tr("已导出 %1 个台账，共 %2 行，保存在 <a href=\"%3\">%4</a>。")
                  .replace("%1", str(len(result.files))).replace("%2", str(rows))
                  .replace("%3", QUrl.fromLocalFile(str(folder)).toString()).replace("%4", str(folder)))
        self.sig_exported.emit(result.files)

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        if isinstance(error, Cancelled):
            self._say(tr("已取消导出；没有留下写了一半的文件。"))
        elif isinstance(error, LedgerError):
            self._say(ledger_error_words(error), error=True)
        elif isinstance(error, OutputRefused):
            self._say(error_message(error, self.ctx.lang), error=True)
        elif isinstance(error, OSError):
            log.warning("exporting ledgers failed", exc_info=error)
            self._say(tr("文件“%1”写不进去：%2。如果它正在 Excel 里打开，请先关闭再导出。")
                      .replace("%1", str(error.filename or self.folder.text()))
                      .replace("%2", error.strerror or str(error)),
                      error=True)
        else:
            log_if_unforeseen(error, "ledgers", lambda e: self._say(error_message(e), error=True))

    def _say(self, text: str, error: bool = False) -> None:
        self.result.setStyleSheet("color: #b00020;" if error else "")
        self.result.setText(text)

    def open_import(self) -> None:
        from gui.roster_dialog import RosterImportDialog

        dialog = RosterImportDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def stop(self) -> None:
        """The window is closing: ask a running export, and a roster check or import, to stop (what they
        were writing is removed or rolled back)."""
        from gui.roster_dialog import RosterImportDialog

        self.progress_row.cancel()
        for dialog in self.findChildren(RosterImportDialog):
            dialog.cancel()

    def wait_idle(self) -> None:
        """Wait for the page's workers (after stop()), so nothing reads a store being closed."""
        from gui.roster_dialog import RosterImportDialog

        self.worker.wait_idle()
        for dialog in self.findChildren(RosterImportDialog):
            dialog.worker.wait_idle()

