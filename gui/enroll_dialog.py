"""连接县服务器: enrolling this laptop from the app, with no terminal.

A new profile (from the start dialog): the county server's address, user name, password and the
county's CA certificate when it has one; the address is checked first and every refusal is said in
words (not an Anju server, unreachable, certificate, wrong password, disabled account). The profile is
made (atomically) once the server has said yes, then the households in scope come down with a
progress bar and a stop button; a stopped download is kept page by page and the app goes on with it
when the profile opens (sync.client.first_pull).

An existing local profile (同步 → 连接县服务器…) is connected the same way and keeps its records,
which go up with the first sync.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QProgressBar,
    QWidget,
)

from core.paths import data_dir
from core.store import Store, is_profile
from gui.forms.base import new_button
from gui.i18n import error_message, tr


def free_folder(base: Path, name: str) -> Path:
    """A folder for a new profile that holds nothing yet: base/name, or base/name-2, -3…"""
    candidate, n = base / name, 2
    while candidate.exists() and (is_profile(candidate) or any(candidate.iterdir())):
        candidate, n = base / f"{name}-{n}", n + 1
    return candidate


class EnrollDialog(QDialog):
    """Connect to the county server. `store` None: enrol a new profile; otherwise connect that one.

    sig_enrolled(folder, store) once a new profile exists (its download finished or stopped);
    sig_connected(answer) once an existing profile is connected."""

    sig_enrolled = Signal(object, object)
    sig_connected = Signal(object)
    sig_progress = Signal(str, int, object)  # stage, done, total: emitted on the worker's thread
    page_size: int | None = None  # records a page of the first download asks for (None: sync.pull.PULL_PAGE)

    def __init__(self, worker: Any, store: Store | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("enroll_dialog")
        self.setWindowTitle(tr("连接县服务器"))
        self.worker, self.existing = worker, store
        self.store: Store | None = None
        self.folder_path: Path | None = None
        self.cancel_flag: Any = None
        self._folder_typed = False
        form = QFormLayout(self)
        intro = QLabel(tr("填写县里给您的服务器地址和账号。连接后，您网格里的户会下载到这台电脑上。")
                       if store is None else
                       tr("把这个档案连接到县服务器：档案里已有的记录都保留，第一次同步时上传。"), self)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.url = self._line("server_url", tr("例如 https://anju.县名.gov.cn 或 http://192.168.1.10:8765"))
        form.addRow(tr("服务器地址"), self.url)
        self.username = self._line("server_username")
        if store is not None:
            self.username.setText(store.actor.username if store.actor.username != "local" else "")
        form.addRow(tr("用户名"), self.username)
        self.password = self._line("server_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("密码"), self.password)
        self.ca = self._line("server_ca", tr("县里有自己的证书时才需要"))
        form.addRow(tr("CA 证书（可不填）"), self._with_button(self.ca, "choose_ca", self._choose_ca))
        self.folder = self._line("enroll_folder")
        if store is None:
            self.folder.setText(str(free_folder(data_dir(), "profile")))
            self.folder.textEdited.connect(lambda _t: setattr(self, "_folder_typed", True))
            self.username.textChanged.connect(self._suggest_folder)
            form.addRow(tr("档案文件夹"), self._with_button(self.folder, "choose_enroll_folder", self._choose_folder))
            note = QLabel(tr("档案用同一个密码加密。"), self)
            form.addRow(note)
        else:
            self.folder.hide()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("enroll_progress")
        self.progress.setRange(0, 0)
        self.progress.hide()
        form.addRow(self.progress)
        self.message = QLabel(self)
        self.message.setObjectName("enroll_message")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        form.addRow(self._buttons())
        self.sig_progress.connect(self._show_progress)

    def _line(self, name: str, hint: str = "") -> QLineEdit:
        line = QLineEdit(self)
        line.setObjectName(name)
        line.setPlaceholderText(hint)
        return line

    def _with_button(self, line: QLineEdit, name: str, slot: Any) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(line, 1)
        button = new_button(tr("选择…"), self, name)
        button.clicked.connect(slot)
        row.addWidget(button)
        return row

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(self)
        self.check_button = buttons.addButton(tr("检查地址"), QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.setObjectName("check_address")
        self.check_button.clicked.connect(self.check_address)
        self.connect_button = buttons.addButton(tr("连接并下载") if self.existing is None else tr("连接"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setObjectName("connect_button")
        self.connect_button.clicked.connect(self.try_connect)
        self.stop_button = buttons.addButton(tr("停止下载"), QDialogButtonBox.ButtonRole.ActionRole)
        self.stop_button.setObjectName("stop_download")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        self.open_button = buttons.addButton(tr("打开档案"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setObjectName("open_enrolled")
        self.open_button.clicked.connect(self._hand_over)
        self.open_button.hide()
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.reject)
        for button in buttons.buttons():
            button.setAutoDefault(False)
        self.connect_button.setDefault(True)
        return buttons

    # -- the fields -----------------------------------------------------------------------------
    def _suggest_folder(self, username: str) -> None:
        if not self._folder_typed and username.strip():
            self.folder.setText(str(free_folder(data_dir(), username.strip())))

    def _choose_ca(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, tr("选择县里的 CA 证书"), "",
                                                    tr("证书 (*.pem *.crt *.cer);;所有文件 (*)"))
        if path:
            self.ca.setText(path)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("选择档案文件夹"))
        if folder:
            self.folder.setText(folder)
            self._folder_typed = True

    def address_problem(self) -> str | None:
        from sync.client import BadAddress, check_server_address

        if not self.url.text().strip():
            return tr("服务器地址：请填写县里给您的地址。")
        try:
            check_server_address(self.url.text(), self.ca.text().strip() or None)
        except BadAddress as error:
            return tr("服务器地址：%1").replace("%1", error_message(error))
        return None

    def problem(self) -> str | None:
        """What is wrong with what was typed, naming the field, or None."""
        wrong = self.address_problem()
        if wrong:
            return wrong
        if not self.username.text().strip():
            return tr("用户名：请填写县里给您的用户名。")
        if not self.password.text():
            return tr("密码：请填写。")
        if self.existing is None:
            folder = self.folder.text().strip()
            if not folder:
                return tr("档案文件夹：请填写或选择一个文件夹。")
            if is_profile(Path(folder)):
                return tr("档案文件夹：这里已经有一个档案了，请换一个文件夹。")
            if Path(folder).exists() and (not Path(folder).is_dir() or any(Path(folder).iterdir())):
                return tr("档案文件夹：这个文件夹不是空的，请选一个空文件夹或新文件夹。")
        return None

    # -- checking the address -------------------------------------------------------------------
    def check_address(self) -> None:
        wrong = self.address_problem()
        if wrong:
            self.message.setText(wrong)
            return
        from sync.client import CountyServer

        url, ca = self.url.text(), self.ca.text().strip() or None

        def job() -> dict:
            server = CountyServer(url, ca_bundle=ca, retries=0)
            try:
                return server.health()
            finally:
                server.close()

        self.message.setText(tr("正在检查……"))
        self.check_button.setEnabled(False)
        self.worker.submit(job, self._checked, self._check_failed)

    def _checked(self, health: Any) -> None:
        self.check_button.setEnabled(True)
        if not isinstance(health, dict) or "protocols" not in health:
            self.message.setText(tr("这个地址上不是安居县服务器，请核对地址。"))
            return
        self.message.setText(tr("地址没问题：这是安居县服务器。"))

    def _check_failed(self, error: BaseException) -> None:
        self.check_button.setEnabled(True)
        self.message.setText(error_message(error))

    # -- connecting and downloading -------------------------------------------------------------
    def try_connect(self) -> None:
        wrong = self.problem()
        if wrong:
            self.message.setText(wrong)
            return
        from sync.client import connect_profile, register_profile

        url, user, password = self.url.text().strip(), self.username.text().strip(), self.password.text()
        ca = self.ca.text().strip() or None
        self._busy(True)
        self.message.setText(tr("正在连接县服务器……"))
        if self.existing is not None:
            store = self.existing
            self.worker.submit(lambda: connect_profile(store, url, user, password, ca), self._connected, self._refused)
            return
        folder = Path(self.folder.text().strip())
        self.worker.submit(lambda: register_profile(folder, url, user, password, ca),
                           lambda store: self._registered(folder, store), self._refused)

    def _busy(self, busy: bool) -> None:
        for widget in (self.url, self.username, self.password, self.ca, self.folder, self.connect_button,
                       self.check_button):
            widget.setEnabled(not busy)

    def _refused(self, error: BaseException) -> None:
        """Nothing was made: the fields stay as typed, the reason is said."""
        self._busy(False)
        self.message.setText(tr("没有连接上：%1").replace("%1", error_message(error)))
        self.password.selectAll()

    def _connected(self, answer: dict) -> None:
        self.password.clear()
        self.accept()
        self.sig_connected.emit(answer)

    def _registered(self, folder: Path, store: Store) -> None:
        from sync.client import PULL_PAGE, CancelFlag, SyncReport, first_pull

        self.store, self.folder_path = store, folder
        self.password.clear()
        self.cancel_flag = cancel = CancelFlag()
        self.report = report = SyncReport()
        self.progress.show()
        self.stop_button.show()
        self.cancel_button.setEnabled(False)  # the profile exists now: it is opened or kept, never thrown away
        self.message.setText(tr("已登记这台电脑，正在下载您范围内的户……"))
        emit, page = self.sig_progress.emit, self.page_size or PULL_PAGE
        self.worker.submit(lambda: first_pull(store, lambda stage, done, total: emit(stage, done, total), cancel,
                                              report, page), self._downloaded, self._download_stopped)

    def _show_progress(self, stage: str, done: int, total: object) -> None:
        if self.cancel_flag is not None and self.cancel_flag.cancelled:
            return  # "正在停止……" stays until it has stopped (a stopped download still lists what came)
        if stage == "pull":
            self.progress.setRange(0, 0)
            self.message.setText(tr("正在下载：已收到 %1 条").replace("%1", str(done)))
        elif stage == "settle" and isinstance(total, int) and total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.message.setText(tr("正在整理户列表：%1/%2 户").replace("%1", str(done)).replace("%2", str(total)))

    def stop(self) -> None:
        if self.cancel_flag is not None:
            self.cancel_flag.cancel()
            self.stop_button.setEnabled(False)
            self.message.setText(tr("正在停止……"))

    def _downloaded(self, _report: Any) -> None:
        self.message.setText(tr("下载完成。"))
        self._hand_over()

    def _download_stopped(self, error: BaseException) -> None:
        """Stopped or failed half-way: what came down is kept, and the app goes on with it when the
        profile opens."""
        from sync.client import Cancelled

        self.progress.hide()
        self.stop_button.hide()
        self.open_button.show()
        self.open_button.setDefault(True)
        done = self.report.pulled if getattr(self, "report", None) else 0
        why = tr("已停止下载") if isinstance(error, Cancelled) else tr("下载中断：%1").replace(
            "%1", error_message(error))
        self.message.setText(why + tr("。已收到的 %1 条保存在档案里；打开档案后，连上服务器时会接着下载。").replace(
            "%1", str(done)))

    def _hand_over(self) -> None:
        if self.store is None:
            return
        store, folder, self.store = self.store, self.folder_path, None
        self.accept()
        self.sig_enrolled.emit(folder, store)

    def reject(self) -> None:
        if self.stop_button.isVisible():  # Esc during the download stops it first; the profile is kept
            self.stop()
            return
        if self.store is not None:  # a profile was made: it is handed over rather than left open
            self._hand_over()
            return
        super().reject()
