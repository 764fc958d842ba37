"""Getting in: choosing a profile, the password, the pause after failures, and the idle lock."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

import pytest

from core.store import Store, TooManyAttempts, WrongPassword
from core.store.profile import ATTEMPTS_FILE, read_attempts
from gui.ops import ImmediateWorker
from gui.start import CreateProfileDialog, StartDialog
from gui_helpers import newest_form, press, type_text


def start_dialog(qtbot, settings, folder):  # noqa: ANN001, ANN201
    dialog = StartDialog(settings, ImmediateWorker(), preselect=folder)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def attempt(dialog, password: str) -> None:  # noqa: ANN001
    dialog.password.clear()
    type_text(dialog.password, password)
    press(dialog.password, Qt.Key.Key_Return)


def test_the_right_password_opens_the_profile_and_a_wrong_one_opens_nothing(qtbot, settings, store, profile_dir,
                                                                              profile_password):
    store.close()
    dialog = start_dialog(qtbot, settings, profile_dir)
    attempt(dialog, "not the password")
    assert dialog.store is None and dialog.isVisible()
    assert "密码不正确" in dialog.message.text()
    attempt(dialog, profile_password)
    assert dialog.store is not None and not dialog.isVisible()
    assert str(profile_dir) in settings.get("profiles/recent")
    dialog.store.close()


def test_five_failures_in_a_row_make_the_next_attempt_wait_even_after_a_restart(qtbot, settings, store, profile_dir,
                                                                                profile_password):
    store.close()
    dialog = start_dialog(qtbot, settings, profile_dir)
    for _ in range(4):
        attempt(dialog, "wrong")
        assert dialog.open_button.isEnabled()
    attempt(dialog, "wrong")
    assert not dialog.open_button.isEnabled()
    assert "秒后再试" in dialog.message.text()
    attempt(dialog, profile_password)  # even the right password waits
    assert dialog.store is None
    dialog.close()

    again = start_dialog(qtbot, settings, profile_dir)  # the app started again
    assert not again.open_button.isEnabled() and "秒后再试" in again.message.text()


def test_a_new_profile_names_the_field_that_is_wrong_and_then_opens(qtbot, tmp_path, settings):
    dialog = CreateProfileDialog(ImmediateWorker())
    qtbot.addWidget(dialog)
    created = []
    dialog.sig_created.connect(lambda folder, store: created.append(store))
    dialog.folder.setText(str(tmp_path / "new-profile"))
    type_text(dialog.display_name, "幸福社区")
    QTest.keyClicks(dialog.username, "w1")
    QTest.keyClicks(dialog.password, "abc")
    dialog.create_button.click()
    assert dialog.message.text().startswith("密码") and not created
    dialog.password.setText("secret-123")
    dialog.again.setText("secret-124")
    dialog.create_button.click()
    assert "两次" in dialog.message.text() and not created
    dialog.again.setText("secret-123")
    dialog.create_button.click()
    assert len(created) == 1
    store = created[0]
    assert store.info.display_name == "幸福社区" and store.actor.username == "w1"
    store.close()
    assert Store.open(tmp_path / "new-profile", "secret-123").close() is None


def test_the_app_locks_when_idle_and_unlocks_with_nothing_lost(qtbot, window, store, profile_password):
    window.opener.open_household(None)
    form = newest_form(window)
    QTest.keyClicks(form.editors["household_no"].input, "H-LOCK")
    window.idle.set_minutes(0.002)  # about a tenth of a second
    qtbot.waitUntil(lambda: window.lock_dialog is not None, timeout=3000)
    assert not window.isVisible() and not form.isVisible()  # nothing readable behind the lock
    lock = window.lock_dialog
    QTest.keyClicks(lock.password, "wrong")
    lock.unlock_button.click()
    assert "密码不正确" in lock.message.text() and window.lock_dialog is lock
    lock.password.setText(profile_password)
    lock.unlock_button.click()
    assert window.lock_dialog is None
    assert window.isVisible() and form.isVisible()
    assert form.editors["household_no"].value() == "H-LOCK" and form.dirty
    window.idle.set_minutes(0)


def test_ctrl_l_locks_at_once(window, profile_password):
    window.activateWindow()
    QApplication.processEvents()
    press(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.lock_dialog is not None and not window.isVisible()
    lock = window.lock_dialog
    press(lock, Qt.Key.Key_Escape)  # Esc does not get past the lock
    assert window.lock_dialog is lock
    lock.password.setText(profile_password)  # unlocked, so the lock (modal) does not outlive the test
    lock.unlock_button.click()
    assert window.lock_dialog is None and window.isVisible()


def test_the_demo_lock_shows_the_demo_password_and_a_real_one_does_not(qtbot, window, ctx, profile_password):
    window.lock()
    assert window.lock_dialog.findChild(QLabel, "lock_demo_password") is None
    window.lock_dialog.password.setText(profile_password)
    window.lock_dialog.unlock_button.click()
    ctx.demo_password = "anju-demo"
    window.lock()
    hint = window.lock_dialog.findChild(QLabel, "lock_demo_password")
    assert hint is not None and "anju-demo" in hint.text()
    window.lock_dialog.password.setText(profile_password)
    window.lock_dialog.unlock_button.click()
    assert window.lock_dialog is None


def test_wrong_passwords_at_the_lock_count_for_the_profile(qtbot, window, store, profile_password):
    window.lock()
    for _ in range(5):
        window.lock_dialog.password.setText("wrong")
        window.lock_dialog.unlock_button.click()
    assert read_attempts(store.info.folder).failures == 5
    with pytest.raises(TooManyAttempts):
        store.verify_password(profile_password)  # the right password waits too
    (store.info.folder / ATTEMPTS_FILE).unlink()  # the pause over
    window.lock_dialog.password.setText(profile_password)
    window.lock_dialog.unlock_button.setEnabled(True)
    window.lock_dialog.gate.succeeded()
    window.lock_dialog.unlock_button.click()
    assert window.lock_dialog is None


def test_the_lock_during_the_profiles_pause_says_wait_not_wrong_password(qtbot, window, store, profile_password):
    for _ in range(5):
        with pytest.raises(WrongPassword):
            Store.open(store.info.folder, "guess")      # wrong passwords on the command line meanwhile
    window.lock()
    lock = window.lock_dialog
    lock.password.setText(profile_password)
    lock.unlock_button.click()
    assert window.lock_dialog is lock and "秒后再试" in lock.message.text()
    assert "密码不正确（已连续错 5 次）" in lock.message.text() and not lock.unlock_button.isEnabled()
    (store.info.folder / ATTEMPTS_FILE).unlink()
    lock.gate.succeeded()
    lock.unlock_button.setEnabled(True)
    lock.unlock_button.click()
    assert window.lock_dialog is None


def test_ctrl_l_says_the_user_locked_it_and_idle_says_idle(qtbot, window, profile_password):
    window.lock(by_user=True)
    assert "已锁定" in window.lock_dialog.findChild(QLabel, "lock_reason").text()
    assert "长时间没有操作" not in window.lock_dialog.findChild(QLabel, "lock_reason").text()
    window.lock_dialog.password.setText(profile_password)
    window.lock_dialog.unlock_button.click()
    window.lock()
    assert "长时间没有操作" in window.lock_dialog.findChild(QLabel, "lock_reason").text()
    window.lock_dialog.password.setText(profile_password)
    window.lock_dialog.unlock_button.click()


def test_ctrl_c_in_the_terminal_closes_the_window_as_its_close_button_does(qtbot, window):
    """SIGINT (Ctrl+C where the app was started) closes the main window through its own close, not a
    traceback printed from inside Qt while the app runs on."""
    import os
    import signal

    from gui.app import close_on_interrupt

    before = signal.getsignal(signal.SIGINT)
    try:
        close_on_interrupt(window)
        os.kill(os.getpid(), signal.SIGINT)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    finally:
        signal.signal(signal.SIGINT, before)
