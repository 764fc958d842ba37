"""Syncing from the main window: 同步 → 立即同步 (F9), its progress and cancelling, and the
status bar's word on the county server (docs/protocol.md; docs/architecture.md, "Threads").

Network work runs on the network worker (`ctx.net`), never on the UI thread, and answers by
signal. Reachability is decided by asking the county server itself (GET /api/v1/health, no
retries) at start and every `sync/check_minutes` minutes; a sync asks it first too, so its
outcome says whether the server was there. Qt's network-information backend says "online"
whenever a default route exists, so it is not asked. A demo or never-enrolled profile keeps
working offline and F9 says how to enrol.

Why the sync writes to the profile from the network thread: `sync_profile` freezes push batches,
records the server's answers and applies pulled pages itself (store.next_push_batch,
freeze_following_batch, finish_push_batch, apply_pulled, set_meta), each in its own short
transaction on the store's one writer connection (BEGIN IMMEDIATE; the pool hands that connection
to one thread at a time and waits up to a minute for it). No transaction is held across a request, so a save on the database
worker waits at most for one page to commit and neither worker ever waits on the other: no
deadlock. Handing each page to the database worker instead would make the network thread wait on
the UI thread's event loop, for nothing gained: the engine already serialises the writers.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar, QMessageBox, QWidget

from gui.i18n import error_message, tr
from gui.ops import Worker, logged

if TYPE_CHECKING:  # sync.client (requests, pydantic) is imported when first needed, not at start-up
    from sync.client import CancelFlag, SyncReport

# Connection states shown by the status bar's connection label.
UNENROLLED, CHECKING, CONNECTED, OFFLINE, FAILED = "unenrolled", "checking", "connected", "offline", "failed"
BUSY = "busy"  # the server answered busy (503 server_busy, device_busy): like offline, tried again after a check
CLERK_ROLES = ("clerk", "admin")
LABEL_CHARS = 40  # a longer message is cut short in the status bar


def _failed_state(error: BaseException) -> str:
    """The connection state a failed sync leaves: busy or offline (tried again after the next check of
    the server), else failed (said once; F9 or 连接县服务器… tries again)."""
    from sync.client import BUSY as BUSY_CODES, ServerUnreachable

    if isinstance(error, ServerUnreachable):
        return BUSY if getattr(error, "code", "") in BUSY_CODES else OFFLINE
    return FAILED


def _pause(cancel: CancelFlag, seconds: float) -> None:
    """The client's pause between retries, cut short by a cancel."""
    deadline = time.monotonic() + seconds
    while not cancel.cancelled and time.monotonic() < deadline:
        time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))


def run_sync(store: Any, cancel: CancelFlag, progress: Callable[[str, int, int | None], None],
             report: SyncReport | None = None) -> tuple[SyncReport, str | None]:
    """The network worker's job: ask the server first (so an absent server fails at once instead of
    after half a minute of retries), then push and pull. Returns the report and the new last-sync time;
    a `report` given is filled as it goes, so what a failed sync pulled before failing is known."""
    from sync.client import server_for, sync_profile

    cancel.check()  # cancelled while it waited behind other network work
    server = server_for(store)
    server.sleep = lambda seconds: _pause(cancel, seconds)
    try:
        server.health()
        report = sync_profile(store, server, progress, cancel, report=report)
        return report, store.meta("last_sync")
    finally:
        server.close()


def check_server(store: Any) -> tuple[bool, str | None]:
    """The network worker's job: can the county server be reached? And when did this profile last sync?"""
    from sync.client import ServerUnreachable, server_for

    server = server_for(store)
    try:
        server.health()
        return True, store.meta("last_sync")
    except ServerUnreachable:
        return False, store.meta("last_sync")
    finally:
        server.close()


def local_time(iso: str | None) -> str:
    """'2026-11-23 19:20' in local time, from the ISO time the profile keeps (UTC)."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def report_summary(report: SyncReport) -> str:
    """One line for the status bar: what went up, what came down, what the server refused."""
    sent = sum(report.pushed.values())
    text = tr("同步完成：上传 %1 项，下载 %2 项").replace("%1", str(sent)).replace("%2", str(report.pulled))
    conflicts = report.pushed.get("conflict", 0)
    if conflicts:
        text += tr("，%n 项与别人的修改冲突，等待村文书处理", None, conflicts)
    if report.rejections:
        text += tr("，%n 项被服务器拒绝", None, len(report.rejections))
    return text


class SyncController(QObject):
    """The sync actions of a main window, and its connection label kept up to date."""

    sig_progress = Signal(str, int, object)  # stage, done, total or None: emitted on the network thread
    sig_running = Signal(bool)
    sig_synced = Signal(object)   # SyncReport
    sig_failed = Signal(str)      # the message shown
    sig_state = Signal(str)       # one of the states above

    def __init__(self, window: Any):
        super().__init__(window)
        self.window, self.ctx = window, window.ctx
        self.store = window.ctx.store
        self.net = window.ctx.net if window.ctx.net is not None else Worker("network", self)
        self.server_url = self.store.meta("server_url") or ""
        self.server_ca = self.store.meta("server_ca") or ""
        self.enrolled = bool(self.server_url)
        self.role = self.store.meta("role") or ""
        # Read once here, as the two above: a profile enrolled from the app whose download did not finish.
        self.first_download = self.store.meta("enrolment") == "pulling"
        self.last_sync = self.store.meta("last_sync")
        self.state = CHECKING if self.enrolled else UNENROLLED
        self.detail = ""
        self.short = ""  # a few words for the label when the detail is long (gui/sync_words.py)
        self.cancel_flag: CancelFlag | None = None
        self.report: SyncReport | None = None  # the running sync's, filled on the network thread
        self.checking = False
        self.sync_again = False  # a clerk settled a conflict while a sync ran: sync once more after it
        self.auto = False  # the running sync started on its own: a failure shows no box
        self.last_auto = time.monotonic()
        self.after_save = QTimer(self)  # a save starts a sync on its own a little later (sync/after_save_seconds)
        self.after_save.setSingleShot(True)
        self.after_save.timeout.connect(lambda: self.maybe_sync_on_its_own(changes_waiting=True))
        self.message_box: QMessageBox | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check_connection)
        self.sig_progress.connect(self._show_progress)  # queued from the network thread to the UI

    @property
    def running(self) -> bool:
        return self.cancel_flag is not None

    @property
    def is_clerk(self) -> bool:
        return self.role in CLERK_ROLES

    # -- the menu -----------------------------------------------------------------------------
    def build_menu(self, bar: QMenuBar) -> None:
        menu = bar.addMenu(tr("同步(&Y)"))
        add = self.window._action
        self.sync_action = add(menu, tr("立即同步"), self.sync_now, "F9", "action_sync")
        self.cancel_action = add(menu, tr("取消同步"), self.cancel, "Shift+F9", "action_cancel_sync")
        self.cancel_action.setEnabled(False)
        self.check_action = add(menu, tr("检查与县服务器的连接"), self.check_connection, name="action_check_server")
        self.connect_action = add(menu, tr("连接县服务器…"), self.connect_server, name="action_connect_server")
        menu.addSeparator()
        add(menu, tr("被服务器拒绝的修改…"), self.show_kept_rejections, name="action_rejections")
        from gui.bundle_ops import BundleActions

        self.bundles = BundleActions(self)
        self.bundles.add_to(menu)
        self.conflicts_action: QAction | None = None
        if self.is_clerk:
            self.conflicts_action = add(menu, tr("同步冲突审核…"), self.show_conflicts, name="action_conflicts")

    def start(self) -> None:
        """Say what is known, then ask the server (now, and every few minutes)."""
        self._show_state()
        if not self.enrolled:
            return
        minutes = self.ctx.settings.get("sync/check_minutes")
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        self.check_connection()

    def shutdown(self) -> None:
        """The window closes: no more checks, and a running sync stops at its next safe point."""
        self.timer.stop()
        if self.cancel_flag is not None:
            self.cancel_flag.cancel()

    # -- syncing ------------------------------------------------------------------------------
    def sync_now(self, auto: bool = False) -> None:
        if self.running:
            return  # one sync at a time; a second F9 does nothing
        from sync.client import CancelFlag, SyncReport
        if not self.enrolled:
            self._notify(QMessageBox.Icon.Information, tr("不能同步"), tr(
                "这个档案还没有连接县服务器，只能离线工作。要同步，请点“同步 → 连接县服务器…”，"
                "填写县里给您的服务器地址和账号；档案里的记录都会保留，连接后上传。"))
            return
        self.auto = auto
        self.after_save.stop()
        self.cancel_flag = cancel = CancelFlag()
        self.report = report = SyncReport()
        self._set_running(True)
        self.window.statusBar().showMessage(tr("正在同步……"))
        store, emit = self.store, self.sig_progress.emit
        self.net.submit(lambda: run_sync(store, cancel, lambda stage, done, total: emit(stage, done, total), report),
                        self._synced, self._sync_failed)

    def cancel(self) -> None:
        if self.cancel_flag is not None:
            self.cancel_flag.cancel()
            self.window.statusBar().showMessage(tr("正在取消同步……"))

    def _set_running(self, running: bool) -> None:
        if hasattr(self, "sync_action"):
            self.sync_action.setEnabled(not running)
            self.cancel_action.setEnabled(running)
        self.sig_running.emit(running)

    def _show_progress(self, stage: str, done: int, total: object) -> None:
        if self.cancel_flag is not None and self.cancel_flag.cancelled:
            return  # "正在取消同步……" stays until it has stopped (a cancelled download still lists what came)
        if stage == "push":
            text = tr("正在同步：上传 %1/%2").replace("%1", str(done)).replace("%2", str(total if total else done))
        elif stage == "settle":  # the end of a long download: the list's entries of what came
            text = tr("正在同步：整理户列表 %1/%2").replace("%1", str(done)).replace("%2", str(total))
        else:
            text = tr("正在同步：下载 %1 条").replace("%1", str(done))
        self.window.statusBar().showMessage(text)

    def _finished(self, succeeded: bool) -> None:
        self.cancel_flag = None
        self._set_running(False)
        again, self.sync_again = self.sync_again and succeeded, False
        if again:
            QTimer.singleShot(0, self.sync_now)

    def _synced(self, result: tuple[SyncReport, str | None]) -> None:
        report, last_sync = result
        auto, self.auto = self.auto, False
        self.last_auto = time.monotonic()
        self.first_download = False
        self._finished(True)
        self.last_sync = last_sync or self.last_sync
        self._set_state(CONNECTED)
        self._show_pulled(report)
        self.window.statusBar().showMessage(report_summary(report), 20_000)
        if report.rejections and not auto:  # kept on their records either way; a sync on its own pops nothing
            self.show_kept_rejections()
        if report.bundles_forwarded or report.bundle_refusals:  # a clerk's: workers' offline bundles
            self.bundles.after_sync(report)
        self.sig_synced.emit(report)

    def _sync_failed(self, error: BaseException) -> None:
        from sync.client import Cancelled, ServerUnreachable

        from gui.sync_words import failure_words

        auto, self.auto = self.auto, False
        self._finished(False)
        self._show_pulled(self.report)  # what was pushed or pulled before the failure is kept and shown
        if isinstance(error, Cancelled):
            message = error_message(error, self.ctx.lang)
            self.window.statusBar().showMessage(message, 20_000)
            self._show_state()
        else:
            short, message = failure_words(error, self.ctx.lang)
            self._set_state(_failed_state(error), message, short)
            self.window.statusBar().showMessage(tr("同步失败：%1").replace("%1", short), 20_000)
            if not auto or not isinstance(error, ServerUnreachable):  # a server away is no news on its own
                self._notify(QMessageBox.Icon.Warning, tr("同步失败"), message)
        self.sig_failed.emit(message)

    def _show_pulled(self, report: SyncReport | None) -> None:
        """The screens show what the pull wrote (the window's sig_changed), the status bar what waits."""
        self.report = None
        self.window.refresh_pending()
        if report is not None and report.changes:
            self.window.opener.records_pulled(report.changes)  # before the lists: a form merges what it shows
            self.window.sig_changed.emit(report.changes)

    # -- reachability -------------------------------------------------------------------------
    def check_connection(self) -> None:
        if not self.enrolled or self.checking or self.running:
            return
        self.checking = True
        store = self.store
        self.net.submit(lambda: check_server(store), self._checked, self._check_failed)

    def _checked(self, result: tuple[bool, str | None]) -> None:
        self.checking = False
        reachable, last_sync = result
        self.last_sync = last_sync or self.last_sync
        if not reachable:
            self._set_state(OFFLINE)
            return
        if self.state != FAILED:  # a server that answers may still refuse this laptop: the sync will say
            self._set_state(CONNECTED)
        self.maybe_sync_on_its_own()

    # -- syncing on its own ---------------------------------------------------------------------
    def maybe_sync_on_its_own(self, changes_waiting: bool = False) -> bool:
        """Sync without being asked (the server answered, or a save was made a minute ago) when
        something waits to go up, the first download is unfinished, or `sync/auto_minutes` passed.
        Never while a sync runs, nor while a form holds unsaved typing or is saving."""
        settings = self.ctx.settings
        if not self.enrolled or self.running or not settings.get("sync/auto") or self.state in (OFFLINE, BUSY, FAILED):
            return False  # a refused login, an update required: said once; F9 or 连接县服务器… tries again
        if any(form.dirty or form._saving for form in self.window.opener.open_forms()):
            return False
        every = settings.get("sync/auto_minutes")
        due = every > 0 and time.monotonic() - self.last_auto >= every * 60
        waiting = changes_waiting or getattr(self.window, "pending_count", 0) > 0 or self.first_download
        if not (waiting or due):
            return False
        self.sync_now(auto=True)
        return True

    def saved_locally(self) -> None:
        """A save was made: sync it on its own a little later (several saves, one sync)."""
        seconds = self.ctx.settings.get("sync/after_save_seconds")
        if self.enrolled and self.ctx.settings.get("sync/auto") and seconds > 0 and self.state == CONNECTED:
            self.after_save.start(seconds * 1000)

    def download_again(self) -> None:
        """设置 → 重新下载: everything in scope comes down again (a repair); what waits to go up stays and
        goes first."""
        if not self.enrolled:
            self.sync_now()  # says how to connect
            return
        answer = QMessageBox.question(
            self.window, tr("重新下载"), tr("从县服务器重新下载您范围内的全部记录？本机还没上传的修改会保留，并先上传。"
                                        "户数多时要几分钟，期间可以继续工作。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes or self.running:
            return
        self.ctx.op(lambda store: store.restart_pull()).success(lambda _none: self.sync_now()).run()

    # -- connecting a profile made on this laptop -----------------------------------------------
    def connect_server(self) -> QWidget:
        """同步 → 连接县服务器…: a profile made here joins the county server (or logs in again)."""
        from gui.enroll_dialog import EnrollDialog

        dialog = EnrollDialog(self.net, self.store, self.window)
        if self.enrolled:
            dialog.url.setText(self.server_url)
            dialog.ca.setText(self.server_ca)
        dialog.sig_connected.connect(self._connected)
        dialog.open()
        self.connect_dialog = dialog
        return dialog

    def _connected(self, answer: dict) -> None:
        self.enrolled, self.role = True, answer.get("role") or ""
        self.first_download = True
        self._set_state(CONNECTED)
        minutes = self.ctx.settings.get("sync/check_minutes")
        if minutes > 0 and not self.timer.isActive():
            self.timer.start(minutes * 60_000)
        self.sync_now()

    def _check_failed(self, error: BaseException) -> None:
        self.checking = False
        self._set_state(FAILED, error_message(error, self.ctx.lang))

    def _set_state(self, state: str, detail: str = "", short: str = "") -> None:
        self.state, self.detail, self.short = state, detail, short
        self._show_state()
        self.sig_state.emit(state)

    def connection_text(self) -> str:
        if self.state == UNENROLLED:
            return tr("未连接服务器（离线工作）")
        text = {CHECKING: tr("正在连接县服务器……"), CONNECTED: tr("已连接 县服务器"),
                OFFLINE: tr("离线（连不上服务器）"), BUSY: tr("县服务器正忙，稍后自动再同步")}.get(self.state)
        if text is None:  # the whole message is the label's tooltip and the message box
            short = self.short or self.detail
            short = short if len(short) <= LABEL_CHARS else short[:LABEL_CHARS - 1] + "…"
            text = tr("同步失败：%1").replace("%1", short)
        last = local_time(self.last_sync)
        return text + " · " + (tr("上次同步：%1").replace("%1", last) if last else tr("尚未同步"))

    def _show_state(self) -> None:
        label = self.window.connection_label
        label.setText(self.connection_text())
        label.setToolTip(self.detail)

    # -- messages and dialogs -----------------------------------------------------------------
    def _notify(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        """A message that does not block: the worker may go on working while it shows."""
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: self._forget_box(box))
        self.message_box = box
        box.show()

    def _forget_box(self, box: QMessageBox) -> None:
        if self.message_box is box:
            self.message_box = None

    def show_rejections(self, rejections: list[dict]) -> QWidget:
        from gui.sync_dialogs import RejectionsDialog

        if getattr(self, "rejections_dialog", None) is not None and shiboken6.isValid(self.rejections_dialog):
            self.rejections_dialog.close()
        dialog = RejectionsDialog(rejections, self.ctx.lang, self.window, self.open_refused)
        dialog.show()
        self.rejections_dialog = dialog
        return dialog

    def show_kept_rejections(self) -> None:
        store = self.store
        self.window.reader.submit(store.rejections_with_households, self._kept_rejections,
                                  logged("reading sync rejections"))

    def open_refused(self, rejection: dict) -> None:
        """The record a refusal belongs to, in its form (the household's for the household and its members)."""
        from gui.forms.opener import CHILD_FORMS

        household_id, entity = rejection.get("household_id"), rejection.get("entity")
        if not household_id:
            self.window.statusBar().showMessage(tr("这条记录在本机已经不存在了。"), 5000)
        elif entity in CHILD_FORMS:
            self.window.opener.open_record_by_id(entity, household_id, rejection.get("row_id"))
        elif rejection.get("parent_entity") in CHILD_FORMS and rejection.get("parent_id"):  # a party, a visit's row
            self.window.opener.open_record_by_id(rejection["parent_entity"], household_id, rejection["parent_id"])
        else:  # the household, a member, a row of a grievance or a visit: the household's form
            self.window.opener.open_household(household_id)

    def _kept_rejections(self, rejections: list[dict]) -> None:
        if rejections:
            self.show_rejections(rejections)
        else:
            self.window.statusBar().showMessage(tr("没有被服务器拒绝的修改。"), 5000)

    def show_conflicts(self) -> QWidget:
        from gui.sync_dialogs import ConflictsDialog

        dialog = ConflictsDialog(self, self.window)
        dialog.show()
        self.conflicts_dialog = dialog
        return dialog

    def resolve(self, conflict_id: str, choice: str, value: Any, on_done: Callable[[], None]) -> None:
        """A clerk settles a conflict on the server, then a sync brings the result to this laptop."""
        store = self.store

        def job() -> dict:
            from sync.client import server_for

            server = server_for(store)
            try:
                return server.resolve(conflict_id, choice, value)
            finally:
                server.close()

        def done(_answer: dict) -> None:
            on_done()
            if self.running:
                self.sync_again = True
            else:
                self.sync_now()

        def failed(error: BaseException) -> None:
            self._notify(QMessageBox.Icon.Warning, tr("未能处理冲突"), error_message(error, self.ctx.lang))

        self.net.submit(job, done, failed)
