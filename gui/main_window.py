"""The main window: navigation (首页, 户, 人员, 就业, 培训, 诉求, 走访, 台账/同步), the dashboard and the
lists, menus for every action, the status bar, and the lock after idle time.

A save or a pull says what it wrote (core/changes.py); the window passes it on in one signal,
sig_changed, and each screen reads again only what that touches."""
from __future__ import annotations

import logging

from dataclasses import replace
from functools import partial

import shiboken6

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication, QInputDialog, QLabel, QListWidget, QMainWindow, QMessageBox, QPushButton, QSplitter,
    QStackedWidget, QWidget,
)

from core.changes import Changes
from core.indicators import Scope
from core.paths import log_dir
from core.store import HouseholdFilter
from gui.about import AboutDialog
from gui.backup_dialog import BackupController
from gui.context import AppContext
from gui.dashboard import DashboardPage
from gui.forms.opener import FormOpener
from gui.fonts import glyph_check
from gui.i18n import LANGUAGES, error_message, tr, tr_noop, written_time
from gui.lock import IdleWatcher, LockDialog
from gui.ops import ImmediateWorker, Worker, logged
from gui.pages import HouseholdPage, RecordPage
from gui.record_filters import HouseholdChooser
from gui.settings import LARGE_FONT_FACTOR, GeometryMixin
from gui.sync_ops import SyncController

NAVIGATION = [("home", tr_noop("首页")), ("households", tr_noop("户")), ("member", tr_noop("人员")),
              ("employment", tr_noop("就业")), ("training", tr_noop("培训")), ("grievance", tr_noop("诉求")),
              ("visit", tr_noop("走访")), ("ledger", tr_noop("台账/同步"))]


def apply_font(app: QApplication, points: int, large: bool) -> None:
    font = app.font()
    font.setPointSizeF(points * (LARGE_FONT_FACTOR if large else 1.0))
    app.setFont(font)


log = logging.getLogger(__name__)

class MainWindow(GeometryMixin, QMainWindow):
    sig_locked = Signal(bool)
    sig_file_checked = Signal(int)  # damaged pages found by the check after opening (0: the file is whole)
    sig_changed = Signal(object)  # Changes: what a save (the opener's forms) or a pull (the sync) wrote

    def __init__(self, ctx: AppContext, reader: Worker | ImmediateWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.reader = ctx, reader
        self.setObjectName("main_window")
        self.setWindowTitle(tr("安居 — %1").replace("%1", ctx.store.info.display_name or ctx.store.info.folder.name))
        self.opener = FormOpener(ctx, self)
        self._just_saved: str | None = None  # the household a form just saved: it stays selected
        self.opener.sig_saved.connect(self._record_saved)
        self.opener.sig_changed.connect(self.sig_changed)
        self.sig_changed.connect(self.apply_changes)
        self.sync_control = SyncController(self)
        self.backup_control = BackupController(self)
        self._build_pages()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self.lock_dialog: LockDialog | None = None
        self._hidden_for_lock: list[QWidget] = []
        self.idle = IdleWatcher(ctx.settings.get("security/idle_lock_minutes"), self)
        self.idle.sig_idle.connect(self.lock)
        QApplication.instance().installEventFilter(self.idle)
        self.restore_geometry(ctx.settings)
        self.households.set_places(ctx.store.settlements(), ctx.store.grids())
        self.households.model.reload()
        self.refresh_pending()
        self.sync_control.start()
        self.backup_control.start()  # the day's backup, a little later

    # -- building -------------------------------------------------------------------------------
    def _build_pages(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("main_splitter")
        self.nav = QListWidget(splitter)
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget(splitter)
        self.households = HouseholdPage(self.ctx, self.stack)
        self.households.sig_open.connect(self.opener.open_household)
        self.households.sig_new.connect(lambda: self.opener.open_household(None))
        self.households.sig_count_wanted.connect(self._count_households)
        self.dashboard = DashboardPage(self.ctx, self.reader, self.stack)
        self.dashboard.sig_households.connect(self.show_households_behind)
        self.pages: dict[str, QWidget] = {}
        for key, title in NAVIGATION:
            self.nav.addItem(tr(title))
            if key == "home":
                page = self.dashboard
            elif key == "households":
                page = self.households
            elif key == "ledger":
                page = self._ledger_page()
            else:
                page = RecordPage(self.ctx, key, self.stack)
                page.sig_open.connect(self._open_listed_record)
                page.sig_add.connect(self.add_record)
            self.pages[key] = page
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self.nav.setMaximumWidth(160)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([120, 1160])  # until the worker drags it (then the mixin remembers)
        self.setCentralWidget(splitter)

    def _ledger_page(self) -> QWidget:
        from gui.ledger_page import LedgerPage

        page = self.ledgers = LedgerPage(self.ctx, self.stack)
        layout = page.content
        self.ledger_note = QLabel(page)
        self.ledger_note.setObjectName("ledger_note")
        self.ledger_note.setWordWrap(True)
        layout.addWidget(self.ledger_note)
        self.sync_button = QPushButton(tr("立即同步 (F9)"), page)
        self.sync_button.setObjectName("sync_button")
        self.sync_button.clicked.connect(self.sync_control.sync_now)
        self.sync_control.sig_running.connect(lambda running: self.sync_button.setEnabled(not running))
        layout.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    def _action(self, menu, text: str, slot, shortcut=None, name: str = "") -> QAction:  # noqa: ANN001
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        action.setObjectName(name)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(tr("文件(&F)"))
        self._action(file, tr("新建户"), lambda: self.opener.open_household(None), QKeySequence.StandardKey.New,
                     "action_new_household")
        self._action(file, tr("打开所选户"), self.open_selected, "Ctrl+O", "action_open")
        file.addSeparator()
        self._action(file, tr("锁定"), lambda: self.lock(by_user=True), "Ctrl+L", "action_lock")
        self._action(file, tr("退出"), self.close, QKeySequence.StandardKey.Quit, "action_quit")
        view = bar.addMenu(tr("查看(&V)"))
        self._action(view, tr("查找"), self.focus_search, QKeySequence.StandardKey.Find, "action_find")
        self._action(view, tr("刷新"), self.refresh, QKeySequence.StandardKey.Refresh, "action_refresh")
        view.addSeparator()
        for i, (_key, title) in enumerate(NAVIGATION):
            self._action(view, tr(title), partial(self.nav.setCurrentRow, i), f"Ctrl+{i + 1}")
        record = bar.addMenu(tr("记录(&R)"))
        self._action(record, tr("显示所选户主的完整身份证号"), partial(self.reveal_selected, "head_id_masked"),
                     "Ctrl+Shift+I", "action_reveal_id")
        self._action(record, tr("显示所选户的完整电话"), partial(self.reveal_selected, "phone_masked"),
                     "Ctrl+Shift+P", "action_reveal_phone")
        self.sync_control.build_menu(bar)
        settings = bar.addMenu(tr("设置(&S)"))
        self._action(settings, tr("县级设置…"), self.opener.open_county_settings, name="action_county_settings")
        language = settings.addMenu(tr("界面语言"))
        group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            action = self._action(language, name, partial(self.set_language, code), name=f"language_{code}")
            action.setCheckable(True)
            action.setChecked(code == self.ctx.language.qt)
            group.addAction(action)
        self.large_font_action = self._action(settings, tr("大字体"), self.toggle_large_font, "Ctrl+=",
                                              "action_large_font")
        self.large_font_action.setCheckable(True)
        self.large_font_action.setChecked(self.ctx.settings.get("ui/large_font"))
        self._action(settings, tr("自动锁定时间…"), self.ask_lock_minutes, name="action_lock_minutes")
        settings.addSeparator()
        self._action(settings, tr("备份与恢复…"), self.backup_control.show_dialog, name="action_backups")
        self._action(settings, tr("重新下载…"), self.sync_control.download_again, name="action_download_again")
        help_menu = bar.addMenu(tr("帮助(&H)"))
        self._action(help_menu, tr("打开日志文件夹"), self.open_log_folder, name="action_log_folder")
        self._action(help_menu, tr("关于安居"), self.about, name="action_about")

    def _build_toolbar(self) -> None:
        """The two things done most, a click away: a new household and a sync (the menus' own actions)."""
        bar = self.addToolBar(tr("常用"))
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in ("action_new_household", "action_sync"):
            action = self.findChild(QAction, name)
            if action is not None:
                bar.addAction(action)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.pending_label = QLabel(self)
        self.pending_label.setObjectName("pending_changes")
        self.connection_label = QLabel(tr("未连接服务器（离线工作）"), self)
        self.connection_label.setObjectName("connection_state")
        self.user_label = QLabel(tr("用户：%1").replace("%1", self.ctx.store.actor.username), self)
        self.font_label = QLabel(self)  # said once a session: some text cannot be drawn
        self.font_label.setObjectName("font_warning")
        self.font_label.setStyleSheet("color: #a94400;")
        self.font_label.setWordWrap(True)
        self.font_label.hide()
        bar.addWidget(self.font_label, 1)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.pending_label)
        glyph_check().sig_missing.connect(self._show_font_warning)
        if glyph_check().message:  # said before this window was made (the check at start)
            self._show_font_warning(glyph_check().message)

    def _show_font_warning(self, message: str) -> None:
        self.font_label.setText(message)
        self.font_label.show()

    # -- lists and status -----------------------------------------------------------------------
    def _count_households(self, wanted: HouseholdFilter) -> None:
        f = replace(wanted, today=self.ctx.today())
        store = self.ctx.store
        self.reader.submit(lambda: store.count_households(f), lambda count: self.households.show_count(count, wanted),
                           logged("counting households"))

    def refresh_pending(self) -> None:
        """What waits: changes to send, changes the server refused, and (clerks) conflicts to settle."""
        store, clerk = self.ctx.store, self.sync_control.is_clerk

        def waiting() -> tuple[int, int, int]:
            return (store.pending_change_count(), len(store.sync_rejections()),
                    len(store.conflicts(open_only=True)) if clerk else 0)

        self.reader.submit(waiting, self._show_pending, logged("counting pending changes"))

    def _show_pending(self, waiting: tuple[int, int, int]) -> None:
        count, refused, conflicts = waiting
        self.pending_count, self.refused_count, self.conflict_count = count, refused, conflicts
        text = tr("待同步的修改：%n 项", None, count)
        if refused:
            text += tr("，被拒绝 %n 项", None, refused)
        if conflicts:
            text += tr("，待处理冲突 %n 条", None, conflicts)
        self.pending_label.setText(text)
        self.pending_label.setToolTip(tr("被拒绝的修改见“同步 → 被服务器拒绝的修改…”") if refused else "")
        self.ledger_note.setText(tr("现在有 %n 项修改等待同步；它们安全地保存在本机的加密档案里，"
                                    "联网后按 F9 与县服务器同步。", None, count))

    def _record_saved(self, entity: str, record_id: str) -> None:
        self._just_saved = record_id if entity == "household" else None  # its sig_changed follows
        self.sync_control.saved_locally()

    def apply_changes(self, changes: Changes) -> None:
        """What a save or a pull wrote: each screen reads again only if it shows what that touches."""
        keep, self._just_saved = self._just_saved, None
        if changes.touches("settlement", "grid"):
            store = self.ctx.store
            self.reader.submit(lambda: (store.settlements(), store.grids()),
                               lambda places: self.households.set_places(*places), logged("reading the places"))
        if self.households.shows(changes):
            self._reload_households(keep)
        for page in self.pages.values():
            if isinstance(page, RecordPage) and page.model.loaded and page.shows(changes):
                page.model.reload()
        self.dashboard.changed(changes)
        self.refresh_pending()

    def refresh(self, keep: str | None = None) -> None:
        """Read everything again (查看 → 刷新); the household selected stays selected and in view."""
        self._reload_households(keep)
        for page in self.pages.values():
            if isinstance(page, RecordPage) and page.model.loaded:
                page.model.reload()
        self.dashboard.refresh()
        self.refresh_pending()

    def _reload_households(self, keep: str | None = None) -> None:
        """The household list read again; the household selected (or just saved) stays selected and in view."""
        model, view = self.households.model, self.households.view
        row = self.households.current_row()
        keep = keep or (model.rows[row].id if 0 <= row < len(model.rows) else None)
        model.reload()
        found = model.row_of(keep) if keep else None
        if found is not None:
            view.selectRow(found)
            view.scrollTo(model.index(found, 0))

    def show_households_behind(self, key: str, scope: Scope, words: str) -> None:
        """A dashboard figure clicked: the household list of exactly its households."""
        self.nav.setCurrentRow(list(self.pages).index("households"))
        self.households.show_behind(key, scope, self.dashboard.rules, words)

    def focus_search(self) -> None:
        """The search box of the list shown; from the dashboard, the household list's."""
        page = self.stack.currentWidget()
        if getattr(page, "search", None) is None:
            self.nav.setCurrentRow(list(self.pages).index("households"))
            page = self.households
        search = getattr(page, "search", None)
        if search is not None:
            search.setFocus()
            search.selectAll()

    def open_selected(self) -> None:
        row = self.households.current_row()
        if self.stack.currentWidget() is self.households and row >= 0:
            self.opener.open_household(self.households.model.rows[row].id)

    def _open_listed_record(self, kind: str, row: dict) -> None:
        if kind == "member":
            self.opener.open_household(row["household_id"])
        else:
            self.opener.open_record_by_id(kind, row["household_id"], row["id"])

    def add_record(self, kind: str) -> None:
        """A new record from a list: ask which household it is for, then open its form (a new
        member is added on the household's form)."""
        chooser = HouseholdChooser(self.ctx, self)
        self.household_chooser = chooser
        chooser.accepted.connect(lambda: self._add_record_to(kind, chooser.chosen()))
        chooser.open()

    def _add_record_to(self, kind: str, household_id: str | None) -> None:
        if not household_id:
            return
        if kind == "member":
            self.opener.open_household(household_id)
        else:
            self.opener.open_record_by_id(kind, household_id, None)

    def reveal_selected(self, attribute: str) -> None:
        """Show one masked value in clear, on purpose; the store writes it to the audit log."""
        row = self.households.current_row()
        if row < 0:
            self.statusBar().showMessage(tr("请先在列表中选择一户。"), 5000)
            return
        household_id = self.households.model.rows[row].id
        field = "head_id_number" if attribute == "head_id_masked" else "phone"
        self.ctx.op(lambda store: store.reveal("household", household_id, field)).success(
            lambda value: self.households.model.show_revealed(household_id, attribute, value)).failure(
            lambda error: QMessageBox.warning(self, tr("无法显示"), error_message(error, self.ctx.lang))).run()

    # -- settings -------------------------------------------------------------------------------
    def set_language(self, code: str) -> None:
        self.ctx.settings.set("ui/language", code)
        QMessageBox.information(self, tr("界面语言"), tr("界面语言将在下次启动安居时切换。"))

    def toggle_large_font(self) -> None:
        large = self.large_font_action.isChecked()
        self.ctx.settings.set("ui/large_font", large)
        apply_font(QApplication.instance(), self.ctx.settings.get("ui/font_points"), large)

    def ask_lock_minutes(self) -> None:
        minutes, ok = QInputDialog.getInt(self, tr("自动锁定时间"), tr("无操作多少分钟后锁定（0 表示不锁定）："),
                                          self.ctx.settings.get("security/idle_lock_minutes"), 0, 240)
        if ok:
            self.ctx.settings.set("security/idle_lock_minutes", minutes)
            self.idle.set_minutes(minutes)

    def about(self) -> None:
        """The version, the open profile's folder, the data and log folders, and the licences of what the program ships."""
        self.about_dialog = AboutDialog(self, self.ctx.store.info.folder)
        self.about_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog.open()

    # -- locking --------------------------------------------------------------------------------
    def open_log_folder(self) -> None:
        """The folder of the app's log, in the system's file manager (for whoever helps the worker)."""
        folder = log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("the log folder cannot be made", exc_info=exc)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            QMessageBox.information(self, tr("日志文件夹"), tr("日志文件在：%1").replace("%1", str(folder)))

    def lock(self, by_user: bool = False) -> None:
        """Hide every window (forms keep what was typed) and ask for the password."""
        if self.lock_dialog is not None:
            return
        self.idle.pause()
        self.opener.locked = True  # forms that finish loading meanwhile wait behind the lock
        self._hidden_for_lock = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for w in self._hidden_for_lock:
            w.hide()
        self.lock_dialog = LockDialog(self.ctx.store.verify_password, self.ctx.store.actor.username,
                                      demo_password=self.ctx.demo_password, by_user=by_user)
        self.lock_dialog.accepted.connect(self._unlocked)
        self.lock_dialog.show()
        self.sig_locked.emit(True)

    def _unlocked(self) -> None:
        try:
            for w in self._hidden_for_lock:
                if shiboken6.isValid(w) and not getattr(w, "closed", False):  # a form may have closed meanwhile
                    w.show()
            self.opener.unlocked()
        finally:
            self._hidden_for_lock = []
            self.lock_dialog.deleteLater()
            self.lock_dialog = None
            self.idle.resume()
            self.sig_locked.emit(False)

    # -- drafts and closing ---------------------------------------------------------------------
    def check_profile_file(self) -> None:
        """Right after opening, SQLCipher checks every page of the profile off the UI thread; a
        damaged file is said at once, in words, not later as an error in some unrelated screen."""
        self.reader.submit(self.ctx.store.damaged_pages, self._file_checked, self._file_checked)

    def _file_checked(self, found: list[str] | BaseException) -> None:
        if isinstance(found, BaseException):
            log.warning("checking the profile's file failed", exc_info=found)
            found = [str(found)]
        self.sig_file_checked.emit(len(found))
        if found:
            QMessageBox.warning(self, tr("档案文件有损坏"), tr(
                "检查档案文件时发现 %n 处损坏，有些已保存的资料可能读不出来。请尽快同步，"
                "然后从备份恢复（设置 → 备份与恢复）。", None, len(found)))

    def offer_drafts(self) -> None:
        """Forms left unsaved by a crash or a power cut: offer to open them again."""
        drafts = self.ctx.store.drafts()
        if not drafts:
            return
        titles = "\n".join(f"· {d.get('title', key)}  ({written_time(d.get('at'))})" for key, d in drafts.items())
        answer = QMessageBox.question(
            self, tr("恢复未保存的表单"),
            tr("上次有 %n 份表单没有保存就关闭了：", None, len(drafts)) + "\n" + titles + "\n\n" + tr("要恢复它们吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard, QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Discard:
            for key in drafts:
                self.ctx.op(lambda store, k=key: store.discard_draft(k)).run()
        elif answer == QMessageBox.StandardButton.Yes:
            self.restore_drafts(drafts)
        # no answer (the box was closed): the drafts stay and are offered again next time

    def restore_drafts(self, drafts: dict[str, dict]) -> None:
        for key, payload in drafts.items():
            self.opener.restore_draft(key, payload)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        for form in self.opener.open_forms():
            if not form.close():
                event.ignore()
                return
        self.sync_control.shutdown()
        self.dashboard.stop()  # a month's figures being prepared stop after the current chunk
        self.ledgers.stop()  # an export under way stops at its next row and removes its unfinished file
        self.ledgers.wait_idle()
        self.backup_control.worker.wait_idle()  # a backup being written is finished, not cut off
        QApplication.instance().removeEventFilter(self.idle)
        self.save_geometry(self.ctx.settings)
        self.ctx.settings.sync()
        event.accept()
