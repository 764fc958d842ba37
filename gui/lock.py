"""Locking: after a set idle time the app hides its windows and asks for the password again;
unlocking shows them exactly as they were. Failed attempts pause like the login does."""
from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.store import ProfileError, TooManyAttempts, login_pause_seconds
from gui.i18n import error_message, tr

ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
            QEvent.Type.InputMethod}


class IdleWatcher(QObject):
    """Emits sig_idle after `minutes` without a key press or mouse use anywhere in the app."""

    sig_idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sig_idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self._timer.stop()
        self.minutes = minutes
        if minutes > 0:
            self._timer.start(int(minutes * 60_000))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in ACTIVITY and self.minutes > 0:
            self._timer.start(int(self.minutes * 60_000))
        return False

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        self.set_minutes(self.minutes)


class PasswordGate:
    """Counts failures in a row and says how long the next attempt must wait."""

    def __init__(self, failures: int = 0, until: float = 0.0, clock: Callable[[], float] = time.time):
        self.failures, self.until, self.clock = failures, until, clock

    def wait_seconds(self) -> int:
        return max(0, int(self.until - self.clock() + 0.999))

    def failed(self) -> int:
        self.failures += 1
        pause = login_pause_seconds(self.failures)
        self.until = self.clock() + pause
        return pause

    def succeeded(self) -> None:
        self.failures, self.until = 0, 0.0

    def message(self) -> str:
        wait = self.wait_seconds()
        wrong = tr("密码不正确（已连续错 %n 次）。", None, self.failures)
        if not wait:
            return wrong
        return tr("%1为保护资料，请 %n 秒后再试。", None, wait).replace("%1", wrong)


class LockDialog(QDialog):
    """Asks for the profile password; `verify(password)` says whether it is right."""

    def __init__(self, verify: Callable[[str], bool], who: str, parent: QWidget | None = None,
                 demo_password: str | None = None, by_user: bool = False):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("lock_dialog")
        self.setWindowTitle(tr("安居 — 已锁定"))
        self.setModal(True)
        self.verify = verify
        self.gate = PasswordGate()
        layout = QVBoxLayout(self)
        why = tr("已锁定。请输入“%1”的档案密码继续。") if by_user else tr("长时间没有操作，已自动锁定。请输入“%1”的档案密码继续。")
        reason = QLabel(why.replace("%1", who), self)
        reason.setObjectName("lock_reason")
        layout.addWidget(reason)
        if demo_password:  # the demo is for trying the app: its password is no secret
            hint = QLabel(tr("这是演示档案，密码是：%1").replace("%1", demo_password), self)
            hint.setObjectName("lock_demo_password")
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(hint)
        self.password = QLineEdit(self)
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.message = QLabel(self)
        self.message.setObjectName("lock_message")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.unlock_button = buttons.addButton(tr("解锁"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setObjectName("unlock_button")
        self.unlock_button.setDefault(True)  # Enter in the password field presses it (one attempt per Enter)
        self.unlock_button.clicked.connect(self.try_unlock)
        layout.addWidget(buttons)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._count_down)

    def try_unlock(self) -> None:
        if self.gate.wait_seconds():
            self.message.setText(self.gate.message())
            return
        if not self.password.text():
            self.message.setText(tr("请输入密码。"))
            return
        try:
            right = self.verify(self.password.text())
        except TooManyAttempts as exc:  # the profile's own pause (wrong passwords elsewhere too)
            self.gate = PasswordGate(exc.failures, self.gate.clock() + exc.wait_seconds)
            self._wait_out()
            return
        except ProfileError as exc:
            self.message.setText(error_message(exc))
            return
        if right:
            self.gate.succeeded()
            self.password.clear()
            self.accept()
            return
        self.gate.failed()
        self.password.selectAll()
        self._wait_out()

    def _wait_out(self) -> None:
        self.message.setText(self.gate.message())
        if self.gate.wait_seconds():
            self.unlock_button.setEnabled(False)
            self._tick.start(1000)

    def _count_down(self) -> None:
        if self.gate.wait_seconds():
            self.message.setText(self.gate.message())
            return
        self._tick.stop()
        self.unlock_button.setEnabled(True)
        self.message.setText(tr("可以再试了。"))

    def reject(self) -> None:
        """Esc does not get past the lock."""
