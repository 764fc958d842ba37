"""同步 → 导出同步包… / 导入同步包… / 导出回复包…: offline bundles from the main window (sync/bundles.py).

The work runs on the database worker (a bundle is the profile's outbox written to a file, or a file
taken into the profile: no network); the answer comes back as a message that says what happened and
what to do next. A refused file is said in words and changes nothing.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui.i18n import error_message, tr

BUNDLE_FILTER = "*.anju-bundle *.anju-reply"


class BundleActions:
    """The three actions of a main window's sync controller."""

    def __init__(self, control: Any):
        self.control = control
        self.window, self.ctx = control.window, control.ctx

    def add_to(self, menu: Any) -> None:
        add = self.window._action
        menu.addSeparator()
        add(menu, tr("导出同步包…"), self.export_bundle, name="action_export_bundle")
        add(menu, tr("导入同步包…"), self.import_bundle, name="action_import_bundle")
        add(menu, tr("导出回复包…"), self.export_replies, name="action_export_replies")

    def _folder(self) -> str:
        from gui.settings import documents_folder

        return documents_folder()

    # -- the worker's bundle ----------------------------------------------------------------------
    def export_bundle(self, path: str | None = None) -> None:
        if not self.control.enrolled:
            self.control.sync_now()  # says how to connect first
            return
        if path is None:
            name = f"{self.ctx.store.actor.username}-{date.today().isoformat()}.anju-bundle"
            path, _filter = QFileDialog.getSaveFileName(self.window, tr("导出同步包"), str(Path(self._folder()) / name),
                                                        tr("安居同步包 (%1)").replace("%1", "*.anju-bundle"))
            if not path:
                return
        from sync.bundles import export_bundle

        target = Path(path)
        self.ctx.op(lambda store: export_bundle(store, target)).success(lambda r: self._exported(target, r)).failure(
            lambda error: self._refused(tr("没有导出同步包"), error)).run()

    def _exported(self, path: Path, result: Any) -> None:
        self._say(QMessageBox.Icon.Information, tr("已导出同步包"), tr(
            "已把 %1 项修改写进同步包“%2”。请把这个文件交给村文书（U 盘等），由村文书的电脑导入并转交县服务器；"
            "拿到回复包后，用“导入同步包…”导入。在回复到来之前，这些修改仍留在本机，不会丢。").replace(
            "%1", str(result.ops)).replace("%2", path.name))

    # -- a file in: a worker's bundle (clerk) or the server's reply (worker) ----------------------
    def import_bundle(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self.window, tr("导入同步包"), self._folder(),
                                                        tr("安居同步包 (%1)").replace("%1", BUNDLE_FILTER))
            if not path:
                return
        from sync.bundles import import_bundle

        source = Path(path)
        self.ctx.op(lambda store: import_bundle(store, source)).success(self._imported).failure(
            lambda error: self._refused(tr("没有导入"), error)).run()

    def _imported(self, result: Any) -> None:
        self.window.refresh_pending()
        if result.kind == "push":
            self._say(QMessageBox.Icon.Information, tr("已收下同步包"), tr(
                "已收下 %1 的同步包。下次同步时（连上县服务器后会自动同步，也可按 F9）转交县服务器；"
                "之后用“导出回复包…”把回复交还给 %1。").replace("%1", result.username or "?"))
            if self.control.state == "connected":
                self.control.sync_now()
            return
        if result.changes:
            self.window.opener.records_pulled(result.changes)
            self.window.sig_changed.emit(result.changes)
        text = tr("回复已导入：县服务器处理了 %1 项修改，收到别人的修改 %2 条。").replace(
            "%1", str(sum(result.answered.values()))).replace("%2", str(result.pulled))
        if result.refused:
            text += tr("其中 %n 项被服务器拒绝，已标在各自的记录上。", None, len(result.refused))
        self._say(QMessageBox.Icon.Information, tr("已导入回复包"), text)

    # -- the replies a clerk hands back --------------------------------------------------------------
    def export_replies(self, folder: str | None = None) -> None:
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self.window, tr("把回复包存到哪个文件夹"), self._folder())
            if not folder:
                return
        from sync.bundles import write_replies

        target = Path(folder)
        self.ctx.op(lambda store: write_replies(store, target)).success(self._replies_written).failure(
            lambda error: self._refused(tr("没有导出回复包"), error)).run()

    def _replies_written(self, paths: list[Path]) -> None:
        if not paths:
            self._say(QMessageBox.Icon.Information, tr("没有回复包"), tr(
                "现在没有等待交还的回复包。网格员的同步包要先随一次同步转交县服务器，回复才会到。"))
            return
        self._say(QMessageBox.Icon.Information, tr("已导出回复包"), tr(
            "已写出 %n 个回复包，请交还给对应的网格员导入：", None, len(paths)) + "\n" + "\n".join(p.name for p in paths))

    def after_sync(self, report: Any) -> None:
        """A clerk's sync took workers' bundles to the server: say so, and what the server refused."""
        from gui.i18n import bilingual

        lines = []
        if report.bundles_forwarded:
            lines.append(tr("已把 %n 个网格员的同步包转交县服务器。请用“同步 → 导出回复包…”把回复交还给他们。", None,
                            report.bundles_forwarded))
        for refused in report.bundle_refusals:
            words = tr("%1 的同步包这次没能转交，下次同步再试：%2") if refused.get("kept") else tr(
                "%1 的同步包被县服务器拒绝（已从待转交中去掉）：%2")
            lines.append(words.replace("%1", refused.get("username") or "?").replace(
                "%2", bilingual(refused.get("reason"), self.ctx.lang)))
        icon = QMessageBox.Icon.Warning if report.bundle_refusals else QMessageBox.Icon.Information
        self._say(icon, tr("同步包"), "\n".join(lines))

    # -- words --------------------------------------------------------------------------------------
    def _refused(self, title: str, error: BaseException) -> None:
        self._say(QMessageBox.Icon.Warning, title, error_message(error, self.ctx.lang))

    def _say(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        self.last_message = (title, text)
        self.control._notify(icon, title, text)
