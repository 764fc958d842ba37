"""设置 → 备份与恢复: the profile's rotating encrypted backups, a backup now, and restoring one
(core/store/backup.py and core/store/restore.py do the work; this is the window onto it).

The daily backup is taken a little after the main window opens (so it does not compete with the
first lists), on a worker of its own: a copy of a large profile takes seconds and must not hold up
saves. Listing and a backup now run there too. A restore runs on the database worker, after every
form is closed and no sync is running: the store closes, the file is replaced, and the same store
object opens again, so every window goes on with the restored profile.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QSpinBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from gui.i18n import bilingual, error_message, tr, tr_noop
from gui.ops import ImmediateWorker, Worker, own_worker

DAILY_DELAY_MS = 30_000
KIND_LABELS = {"daily": tr_noop("每日"), "sync": tr_noop("同步前"), "manual": tr_noop("手动"),
               "restore": tr_noop("恢复前")}


def size_text(size: int) -> str:
    return tr("%1 MB").replace("%1", f"{size / 2**20:.1f}")


class BackupController(QObject):
    """The backups of a main window: the daily one, and the dialog."""

    def __init__(self, window: Any, worker: Worker | ImmediateWorker | None = None):
        super().__init__(window)
        self.window, self.ctx = window, window.ctx
        if worker is None:  # tests run everything at once; the app copies on a thread of its own
            worker = own_worker(self.ctx.db, "backup", self)
        self.worker = worker
        self.dialog: BackupDialog | None = None
        self.ctx.store.backups.keep = self.ctx.settings.get("backup/keep")

    def start(self) -> None:
        QTimer.singleShot(DAILY_DELAY_MS, self, self.daily)

    def daily(self) -> None:
        store = self.ctx.store
        self.worker.submit(store.backups.daily, self._daily_done, self._daily_failed)

    def _daily_done(self, result: Any) -> None:
        if result is None and store_error(self.ctx.store):  # said by core in both languages
            self._say_daily_failed(bilingual(store_error(self.ctx.store), self.ctx.lang))
        elif result is not None:
            self.window.statusBar().showMessage(tr("已自动备份档案（%1）。").replace("%1", size_text(result.size)), 10_000)

    def _daily_failed(self, error: BaseException) -> None:
        self._say_daily_failed(error_message(error, self.ctx.lang))

    def _say_daily_failed(self, reason: str) -> None:
        self.window.statusBar().showMessage(tr("自动备份失败：%1").replace("%1", reason), 30_000)

    def show_dialog(self) -> BackupDialog:
        if self.dialog is None:
            self.dialog = BackupDialog(self, self.window)
            self.dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.reload()
        return self.dialog


def store_error(store: Any) -> str:
    return store.backups.last_error


class BackupDialog(QDialog):
    """The list of backups (time, kind, size, what each holds), a backup now, and a restore."""

    COLUMNS = (tr_noop("时间"), tr_noop("类型"), tr_noop("大小"), tr_noop("户数"), tr_noop("人数"),
               tr_noop("未同步的修改"), tr_noop("状态"))

    def __init__(self, controller: BackupController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller, self.ctx, self.window = controller, controller.ctx, controller.window
        self.backups: list[Any] = []
        self.setObjectName("backup_dialog")
        self.setWindowTitle(tr("备份与恢复"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        note = QLabel(tr("档案每天自动备份一次，每次同步前也会备份；备份和档案一样加密，保存在档案文件夹的 "
                         "backups/rotating 里。恢复一份备份时，尚未同步的修改会保留下来，恢复前的档案也会另存为一份备份。"),
                      self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("backup_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020")
        layout.addWidget(self.error_label)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("backup_table")
        self.table.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        keep_row = QHBoxLayout()
        keep_row.addWidget(QLabel(tr("每种备份保留最近的份数："), self))
        self.keep = QSpinBox(self)
        self.keep.setObjectName("backup_keep")
        self.keep.setRange(1, 100)
        self.keep.setValue(self.ctx.settings.get("backup/keep"))
        self.keep.valueChanged.connect(self._keep_changed)
        keep_row.addWidget(self.keep)
        keep_row.addStretch(1)
        layout.addLayout(keep_row)
        buttons = QDialogButtonBox(self)
        self.backup_button = QPushButton(tr("立即备份"), self)
        self.backup_button.setObjectName("backup_now")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(tr("恢复所选备份…"), self)
        self.restore_button.setObjectName("restore_backup")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(820, 420)

    # -- the list -------------------------------------------------------------------------------
    def reload(self) -> None:
        store = self.ctx.store
        self.controller.worker.submit(store.backups.list, self._show, self._failed(tr("无法列出备份")))

    def _show(self, backups: list[Any]) -> None:
        self.backups = backups
        lang = self.ctx.lang
        self.table.setRowCount(len(backups))
        for row, b in enumerate(backups):
            counts = (b.households, b.members, b.pending) if b.readable else (None, None, None)
            cells = (b.taken_at.strftime("%Y-%m-%d %H:%M:%S"), tr(KIND_LABELS[b.kind]), size_text(b.size),
                     *("" if c is None else str(c) for c in counts),
                     tr("可以恢复") if b.readable else bilingual(b.problem, lang))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 3, 4, 5):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        error = store_error(self.ctx.store)
        self.error_label.setText(tr("最近一次自动备份失败：%1").replace("%1", bilingual(error, lang)) if error else "")
        self.error_label.setVisible(bool(error))
        if not backups:
            self.window.statusBar().showMessage(tr("这个档案还没有备份。"), 5000)
        self._selection_changed()

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def select(self, row: int) -> None:
        self.table.selectRow(row)

    def _selection_changed(self) -> None:
        chosen = self.selected()
        self.restore_button.setEnabled(chosen is not None and chosen.readable)

    def _keep_changed(self, value: int) -> None:
        self.ctx.settings.set("backup/keep", value)
        self.ctx.store.backups.keep = value

    def _failed(self, title: str):  # noqa: ANN202 - a failure callback
        def show(error: BaseException) -> None:
            self._busy(False)
            QMessageBox.warning(self, title, error_message(error, self.ctx.lang))
        return show

    def _busy(self, busy: bool) -> None:
        self.backup_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy and self.selected() is not None and self.selected().readable)

    # -- actions --------------------------------------------------------------------------------
    def backup_now(self) -> None:
        self._busy(True)
        store = self.ctx.store
        self.controller.worker.submit(lambda: store.backups.take("manual"), self._backed_up,
                                      self._failed(tr("备份失败")))

    def _backed_up(self, result: Any) -> None:
        self._busy(False)
        self.window.statusBar().showMessage(tr("已备份（%1，用时 %2 秒）。").replace("%1", size_text(result.size))
                                            .replace("%2", f"{result.seconds:.1f}"), 10_000)
        self.reload()

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.readable:
            return
        if self.window.sync_control.running:
            QMessageBox.warning(self, tr("不能恢复"), tr("正在同步。请等同步结束后再恢复备份。"))
            return
        if self.window.opener.open_forms():
            QMessageBox.warning(self, tr("不能恢复"), tr("请先保存并关闭所有打开的表单，再恢复备份。"))
            return
        when = chosen.taken_at.strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            self, tr("恢复备份"),
            tr("要把档案恢复到 %1 的备份吗？\n\n备份里有 %2 户、%3 人。之后保存、但还没有同步的修改会保留，"
               "并重新应用到恢复后的档案上；已经同步的修改在下次同步时会从县服务器重新下载。\n\n"
               "恢复前，现在的档案会先另存为一份备份，需要时可以再恢复它。")
            .replace("%1", when).replace("%2", str(chosen.households)).replace("%3", str(chosen.members)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._busy(True)
        self.window.statusBar().showMessage(tr("正在恢复备份……"))
        path = chosen.path
        self.ctx.op(lambda store: store.backups.restore(path)).success(self._restored).failure(
            self._failed(tr("恢复失败"))).run()

    def _restored(self, result: Any) -> None:
        self._busy(False)
        text = tr("已恢复备份。保留了 %n 项尚未同步的修改。", None, result.kept_changes)
        if result.safety is not None:
            text += "\n\n" + tr("恢复前的档案已另存为备份“%1”，需要时可以在这里再恢复它。").replace("%1", result.safety.name)
        if result.note:
            text += "\n\n" + bilingual(result.note, self.ctx.lang)
        self.window.refresh()
        self.window.statusBar().showMessage(tr("备份已恢复。"), 10_000)
        QMessageBox.information(self, tr("恢复完成"), text)
        self.reload()
