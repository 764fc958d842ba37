"""Start: choose a profile (or create one) and log in with its password.

A wrong password opens nothing and says so; after five failures in a row each further attempt
waits longer (30 s, doubling, at most 15 minutes), and the count survives a restart of the app.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QVBoxLayout, QWidget,
)

from core.paths import data_dir
from core.store import ProfileError, Store, TooManyAttempts, WrongPassword, is_profile
from core.store.profile import read_attempts, read_profile_info
from gui.forms.base import new_button
from gui.i18n import error_message, tr
from gui.lock import PasswordGate
from gui.ops import ImmediateWorker, Worker
from gui.settings import GeometryMixin, Settings

MIN_PASSWORD = 6


def profile_title(folder: Path) -> str:
    try:
        info = read_profile_info(folder)
    except (ProfileError, OSError, ValueError):
        return str(folder)
    return f"{info.display_name or folder.name}  —  {folder}"


def fitting_width(widget: QWidget) -> int:
    """The widest a dialog's content may ask for: nine tenths of the screen."""
    return int(widget.screen().availableGeometry().width() * 0.9)


class StartDialog(GeometryMixin, QDialog):
    """Emits sig_opened(store) and accepts once a profile is open."""

    sig_opened = Signal(object)
    default_size = (760, 460)

    def __init__(self, settings: Settings, worker: Worker | ImmediateWorker, preselect: Path | None = None,
                 open_store: Callable[[Path, str], Store] = Store.open, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("start_dialog")
        self.setWindowTitle(tr("安居 — 打开档案"))
        self.settings, self.worker, self.open_store = settings, worker, open_store
        self.store: Store | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("选择档案："), self))
        self.profiles = QListWidget(self)
        self.profiles.setObjectName("profile_list")
        self.profiles.currentItemChanged.connect(lambda *_: self._show_wait())
        layout.addWidget(self.profiles)
        row = QHBoxLayout()
        enroll = new_button(tr("连接县服务器…"), self, "enroll_profile")
        enroll.setToolTip(tr("用县里给您的账号登记这台电脑，下载您网格里的户"))
        create = new_button(tr("新建本机档案…"), self, "create_profile")
        create.setToolTip(tr("不连服务器，只在这台电脑上记录；以后可以再连接县服务器"))
        browse = new_button(tr("打开其他文件夹…"), self, "browse_profile")
        enroll.clicked.connect(self._enroll)
        create.clicked.connect(self._create)
        browse.clicked.connect(self._browse)
        row.addWidget(enroll)
        row.addWidget(create)
        row.addWidget(browse)
        row.addStretch(1)
        layout.addLayout(row)
        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("密码"), self.password)
        layout.addLayout(form)
        self.message = QLabel(self)
        self.message.setObjectName("start_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.open_button = buttons.addButton(tr("打开"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setObjectName("open_button")
        self.open_button.setDefault(True)  # Enter in the password field presses it (one attempt per Enter)
        self.open_button.clicked.connect(self.try_open)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._show_wait)
        self._fill(preselect)
        self.restore_geometry(settings)
        self.password.setFocus()

    def _fill(self, preselect: Path | None) -> None:
        folders = [Path(p) for p in self.settings.get("profiles/recent")]
        if preselect is not None:
            folders = [preselect] + [f for f in folders if f != preselect]
        self.profiles.clear()
        for folder in folders:
            if is_profile(folder):
                item = QListWidgetItem(profile_title(folder), self.profiles)
                item.setData(Qt.ItemDataRole.UserRole, str(folder))
        widest = max((self.profiles.fontMetrics().horizontalAdvance(self.profiles.item(i).text())
                      for i in range(self.profiles.count())), default=0)
        self.profiles.setMinimumWidth(min(widest + 48, fitting_width(self)))  # the name and the whole path
        if self.profiles.count():
            self.profiles.setCurrentRow(0)
        else:
            self.message.setText(tr("还没有档案。有县里给的账号，请点“连接县服务器…”；只在本机记录，请点“新建本机档案…”；"
                                    "也可以打开已有的档案文件夹。"))

    def add_profile(self, folder: Path) -> None:
        self.settings.remember_profile(folder)
        self._fill(folder)

    def selected_folder(self) -> Path | None:
        item = self.profiles.currentItem()
        return Path(item.data(Qt.ItemDataRole.UserRole)) if item else None

    # -- failures -------------------------------------------------------------------------------
    def _gate(self, folder: Path) -> PasswordGate:
        """The profile's own count of wrong passwords (kept in its folder by the store)."""
        attempts = read_attempts(folder)
        return PasswordGate(attempts.failures, attempts.until)

    def _show_wait(self) -> None:
        folder = self.selected_folder()
        gate = self._gate(folder) if folder else PasswordGate()
        wait = gate.wait_seconds()
        self.open_button.setEnabled(folder is not None and not wait)
        if wait:
            self.message.setText(gate.message())
            self._tick.start(1000)
        elif self._tick.isActive():
            self._tick.stop()
            self.message.setText(tr("可以再试了。"))

    # -- opening --------------------------------------------------------------------------------
    def try_open(self) -> None:
        folder = self.selected_folder()
        if folder is None:
            self.message.setText(tr("请先选择一个档案。"))
            return
        gate = self._gate(folder)
        if gate.wait_seconds():
            self._show_wait()
            return
        if not self.password.text():
            self.message.setText(tr("请输入密码。"))
            return
        password = self.password.text()
        self.open_button.setEnabled(False)
        self.message.setText(tr("正在打开……"))
        self.worker.submit(lambda: self.open_store(folder, password),
                           lambda store: self._opened(folder, store), lambda error: self._failed(folder, error))

    def _opened(self, folder: Path, store: Store) -> None:
        self.settings.remember_profile(folder)
        self.store = store
        self.password.clear()
        self.save_geometry(self.settings)
        self.sig_opened.emit(store)
        self.accept()

    def _failed(self, folder: Path, error: BaseException) -> None:
        self.open_button.setEnabled(True)
        if isinstance(error, (WrongPassword, TooManyAttempts)):
            gate = self._gate(folder)  # the store has counted the failure in the profile
            self.password.selectAll()
            self.password.setFocus()
            self.message.setText(gate.message())
            self._show_wait()
            return
        self.message.setText(error_message(error) if isinstance(error, ProfileError)
                             else tr("打不开这个档案：%1").replace("%1", error_message(error)))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("选择档案文件夹"))
        if not folder:
            return
        if not is_profile(Path(folder)):
            self.message.setText(tr("这个文件夹里没有安居档案。"))
            return
        self.add_profile(Path(folder))

    def _create(self) -> None:
        dialog = CreateProfileDialog(self.worker, self)
        dialog.sig_created.connect(self._created)
        dialog.open()

    def _created(self, folder: Path, store: Store) -> None:
        self._opened(folder, store)

    def _enroll(self) -> None:
        from gui.enroll_dialog import EnrollDialog

        self.enroll_dialog = dialog = EnrollDialog(self.worker, parent=self)
        dialog.sig_enrolled.connect(self._created)
        dialog.open()


class CreateProfileDialog(QDialog):
    """A new encrypted profile: folder, name, user, password twice."""

    sig_created = Signal(object, object)  # folder, store

    def __init__(self, worker: Worker | ImmediateWorker, parent: QWidget | None = None,
                 create_store: Callable[..., Store] = Store.create):
        super().__init__(parent)
        self.setObjectName("create_profile_dialog")
        self.setWindowTitle(tr("新建档案"))
        self.worker, self.create_store = worker, create_store
        form = QFormLayout(self)
        self.folder = QLineEdit(str(data_dir() / "profile"), self)
        self.folder.setObjectName("new_folder")
        choose = new_button(tr("选择…"), self, "choose_folder")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        form.addRow(tr("档案文件夹"), row)
        path_width = self.folder.fontMetrics().horizontalAdvance(self.folder.text() + "/" + "0" * 24)
        self.folder.setMinimumWidth(min(path_width, fitting_width(self) - 200))  # the whole path shows
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("new_display_name")
        form.addRow(tr("档案名称"), self.display_name)
        self.username = QLineEdit(self)
        self.username.setObjectName("new_username")
        form.addRow(tr("用户名"), self.username)
        self.password = QLineEdit(self)
        self.password.setObjectName("new_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("密码"), self.password)
        self.again = QLineEdit(self)
        self.again.setObjectName("new_password_again")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("再输一次密码"), self.again)
        self.message = QLabel(self)
        self.message.setObjectName("create_message")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = buttons.addButton(tr("创建"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("create_button")
        self.create_button.clicked.connect(self.try_create)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("选择档案文件夹"))
        if folder:
            self.folder.setText(folder)

    def problem(self) -> str | None:
        """What is wrong with the form, naming the field, or None."""
        folder = Path(self.folder.text().strip()) if self.folder.text().strip() else None
        if folder is None:
            return tr("档案文件夹：请填写或选择一个文件夹。")
        if is_profile(folder):
            return tr("档案文件夹：这里已经有一个档案了，请换一个文件夹，或回到上一步直接打开它。")
        if folder.exists() and any(folder.iterdir()):
            return tr("档案文件夹：这个文件夹不是空的，请选一个空文件夹或新文件夹。")
        if not self.username.text().strip():
            return tr("用户名：请填写（同步时用它登录县里的服务器）。")
        if len(self.password.text()) < MIN_PASSWORD:
            return tr("密码：至少要 %n 个字符。", None, MIN_PASSWORD)
        if self.password.text() != self.again.text():
            return tr("再输一次密码：两次输入的密码不一样。")
        return None

    def try_create(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            return
        folder = Path(self.folder.text().strip())
        name, user, password = self.display_name.text().strip(), self.username.text().strip(), self.password.text()
        self.create_button.setEnabled(False)
        self.message.setText(tr("正在创建加密档案……"))
        self.worker.submit(lambda: self.create_store(folder, password, username=user, display_name=name),
                           lambda store: self._created(folder, store), self._failed)

    def _created(self, folder: Path, store: Store) -> None:
        self.accept()
        self.sig_created.emit(folder, store)

    def _failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.message.setText(tr("没能创建档案：%1").replace("%1", error_message(error)))
