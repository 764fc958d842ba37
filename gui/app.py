"""Starting the desktop app: settings, language, font, the start dialog (or the demo profile),
then the main window. `python main.py` and `python main.py --demo` land here."""
from __future__ import annotations

import argparse
import logging
import signal
import sys
from datetime import date
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from core.paths import data_dir
from core.store import ProfileError, Store, WrongPassword, is_profile
from gui.context import AppContext
from gui.fields import PROBLEM_STYLE
from gui.fonts import check_ui_strings, install_chinese_font
from gui.i18n import error_message, install_language, tr
from gui.main_window import MainWindow, apply_font
from gui.ops import Worker
from gui.settings import Settings
from gui.start import StartDialog
from gui.startup_probe import watch_startup

log = logging.getLogger(__name__)

ICON = Path(__file__).resolve().parent / "resources" / "icons" / "anju.png"  # installer/make_icon.py
DEMO_PASSWORD = "anju-demo"
DEMO_HOUSEHOLDS = 300


def make_application(settings: Settings, argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Anju")
    app.setApplicationDisplayName(tr("安居"))
    app.setWindowIcon(QIcon(str(ICON)))  # every window's, and the taskbar's
    app._anju_language, _ = install_language(app, settings.get("ui/language"))  # type: ignore[attr-defined]
    install_chinese_font(app)  # the families; apply_font then sets the size
    apply_font(app, settings.get("ui/font_points"), settings.get("ui/large_font"))
    check_ui_strings(app._anju_language.qt)  # type: ignore[attr-defined]
    app.setStyleSheet(PROBLEM_STYLE)
    return app


def install_exception_hook(lang: str) -> None:
    """An exception no handler caught (a slot, a callback without a failure handler) is logged
    with its traceback and said to the worker once in words; the app keeps running."""
    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        log.error("unexpected error on the UI thread", exc_info=(kind, error, trace))
        QMessageBox.critical(None, tr("出错了"), error_message(error, lang))
    sys.excepthook = hook


def close_on_interrupt(window: QWidget) -> QTimer:
    """Ctrl+C in the terminal the app was started from (SIGINT) closes the main window as its close
    button does (open forms asked about, a backup being written finished), instead of a
    KeyboardInterrupt's traceback printed from inside Qt while the app runs on. Python runs a signal
    handler only between its own steps, and Qt's loop runs none while idle: the timer returned (kept
    by the window) wakes it four times a second."""
    signal.signal(signal.SIGINT, lambda _signum, _frame: QTimer.singleShot(0, window.close))
    awake = QTimer(window)
    awake.timeout.connect(lambda: None)
    awake.start(250)
    return awake


def demo_folder() -> Path:
    return data_dir() / "demo-profile"


def open_demo_profile(folder: Path, households: int = DEMO_HOUSEHOLDS) -> Store:
    """The demo profile (generated on first use, offline, with a known password).

    A folder holding a profile the demo password does not open is someone's real profile: it is
    refused and left exactly as it is, never replaced by a demo."""
    from core.demo import write_demo_profile  # only for --demo: kept out of the normal start-up

    if is_profile(folder):
        try:
            return Store.open(folder, DEMO_PASSWORD, count_failure=False)
        except WrongPassword:
            raise ProfileError(tr("“%1”里的档案不是演示档案（演示密码打不开它），没有改动它。请不加 --demo 打开它，"
                                  "或给 --demo 换一个文件夹。").replace("%1", str(folder))) from None
    progress = QProgressDialog(tr("正在生成演示档案……"), "", 0, households)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.show()
    try:
        return Store.create(folder, DEMO_PASSWORD, username="demo", display_name=tr("演示档案"), fill=lambda store: (
            write_demo_profile(store, households, seed=1, as_of=date.today(),
                               progress=lambda done, _total: (progress.setValue(done), QApplication.processEvents()))))
    finally:
        progress.close()


def run_app(args: argparse.Namespace) -> int:
    settings = Settings()
    app = make_application(settings)
    db = Worker("database")
    if args.demo:
        try:
            store = open_demo_profile(Path(args.profile) if args.profile else demo_folder())
        except ProfileError as exc:
            print(exc, file=sys.stderr)
            QMessageBox.critical(None, tr("打不开演示档案"), error_message(exc))
            return 2
    else:
        start = StartDialog(settings, db, Path(args.profile) if args.profile else None)
        if start.exec() != StartDialog.DialogCode.Accepted or start.store is None:
            return 0  # the worker chose not to open a profile: nothing went wrong
        store = start.store
    net = Worker("network")
    ctx = AppContext(store, settings, app._anju_language, db, net=net,  # type: ignore[attr-defined]
                     demo_password=DEMO_PASSWORD if args.demo else None)
    window = MainWindow(ctx, Worker("reader"))
    window.show()
    watch_startup(window)  # bench/package.py's measure of a start; nothing unless asked for
    window.offer_drafts()
    window.check_profile_file()
    install_exception_hook(ctx.lang)
    close_on_interrupt(window)
    try:
        return app.exec()
    finally:
        window.sync_control.shutdown()  # a sync still running stops at its next safe point
        net.wait_idle()
        db.wait_idle()
        window.reader.wait_idle()
        store.close()
