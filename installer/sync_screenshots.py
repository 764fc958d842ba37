"""Render the screenshots of docs/sync-ux.md (what the laptop user sees of sync) into docs/screenshots/.

    .venv/bin/python installer/sync_screenshots.py [--out docs/screenshots]

Offscreen, in Chinese, on a demo profile in a temporary folder; no county server is needed. Dialogs
are driven the way a sync would drive them: the status bar through SyncController._set_state and
MainWindow._show_pending, a form's sync notice with the merge that a pull runs (merge_pulled), the
refusals with entries shaped like the server's. Writes:

    sync-start-dialog.png       the start dialog with no profile yet (连接县服务器… / 新建本机档案…)
    sync-enroll-dialog.png      连接县服务器, filled in
    sync-enroll-refused.png     the same, with the answer of an address where nothing listens
    sync-enroll-download.png    the download after the server said yes, with 停止下载
    sync-status-connected.png   the status bar: connected, nothing waiting
    sync-status-offline.png     offline, changes waiting
    sync-status-disabled.png    a sync refused because the account is disabled
    sync-failed-message.png     the message that comes with it: why, and what to do
    sync-status-waiting.png     after a sync: changes refused and conflicts waiting (a clerk)
    sync-refused-list.png       同步 → 被服务器拒绝的修改… with two refusals
    sync-form-refused.png       a household form showing a refusal of its record
    sync-form-clash.png         a household form after a pull: a field taken, a field clashing
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["ANJU_DATA_DIR"] = tempfile.mkdtemp(prefix="anju-sync-shots-")  # the dialogs suggest folders here

from gui.screenshots import _grab, offscreen_session  # noqa: E402

LAST_SYNC = "2026-11-30T01:12:00+00:00"
FOLDER = r"C:\Users\wangfang\AppData\Local\anju\wangfang"
OTHER_VISIT = "a41c2e07-3b9d-4f15-8c60-7d2e91f0b5a3"
GRID_REFUSAL = "这一户不在您的工作范围内（网格），不能修改。 / This household is outside your scope."


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def enroll_shots(app, ctx, out: Path) -> None:  # noqa: ANN001
    from gui.ops import ImmediateWorker
    from gui.start import StartDialog

    start = StartDialog(ctx.settings, ImmediateWorker())
    start.show()
    _grab(start, out / "sync-start-dialog.png")
    start.findChild(type(start.open_button), "enroll_profile").click()
    dialog = start.enroll_dialog
    dialog.resize(640, dialog.sizeHint().height())
    for line, text in ((dialog.url, "https://anju.example.gov.cn"), (dialog.username, "wangfang"),
                       (dialog.password, "********"), (dialog.folder, FOLDER)):
        line.setText(text)
    _grab(dialog, out / "sync-enroll-dialog.png")

    dialog.url.setText(f"http://127.0.0.1:{unused_port()}")  # nothing listens there
    dialog.check_button.click()  # ImmediateWorker: the answer is in before click() returns
    _grab(dialog, out / "sync-enroll-refused.png")

    # After the server said yes: what _registered shows while the households come down.
    dialog.url.setText("https://anju.example.gov.cn")
    dialog._busy(True)
    dialog.password.clear()
    dialog.progress.show()
    dialog.stop_button.show()
    dialog.cancel_button.setEnabled(False)
    dialog._show_progress("pull", 3000, None)
    _grab(dialog, out / "sync-enroll-download.png")
    dialog.stop_button.hide()  # so that closing does not ask the (absent) download to stop
    dialog.done(0)
    start.close()


def status_shots(window, out: Path) -> None:  # noqa: ANN001
    from sync.client import LoginRequired, SyncReport

    from PySide6.QtWidgets import QMessageBox

    from gui.i18n import tr
    from gui.sync_ops import CONNECTED, FAILED, OFFLINE, report_summary
    from gui.sync_words import failure_words

    control, bar = window.sync_control, window.statusBar()
    control.last_sync = LAST_SYNC
    control._set_state(CONNECTED)
    window._show_pending((0, 0, 0))
    _grab(bar, out / "sync-status-connected.png")

    control._set_state(OFFLINE)
    window._show_pending((7, 0, 0))
    _grab(bar, out / "sync-status-offline.png")

    disabled = LoginRequired("此账号已停用，请联系县管理员。 / This account is disabled.")
    disabled.code = "account_disabled"
    short, message = failure_words(disabled, window.ctx.lang)
    control._set_state(FAILED, message, short)
    bar.showMessage(tr("同步失败：%1").replace("%1", short), 0)
    _grab(bar, out / "sync-status-disabled.png")
    control._notify(QMessageBox.Icon.Warning, tr("同步失败"), message)  # the box F9 shows with it
    _grab(control.message_box, out / "sync-failed-message.png")
    control.message_box.close()

    control._set_state(CONNECTED)
    window._show_pending((0, 2, 3))  # nothing to send; 2 refused; 3 conflicts (a clerk's laptop)
    report = SyncReport(pushed={"applied": 9, "conflict": 1}, pulled=41, rejections=[{}, {}])
    bar.showMessage(report_summary(report), 0)
    _grab(bar, out / "sync-status-waiting.png")
    bar.clearMessage()


def refusals(ctx, hid: str) -> list[dict]:  # noqa: ANN001
    """Two refusals shaped as the server sends them: a household put into another village's grid, and a
    visit for a month that already has one on the server."""
    visit_month = ctx.today().strftime("%Y-%m")
    return [
        {"entity": "household", "row_id": hid, "reason": GRID_REFUSAL, "fields": {"grid_id": "", "settlement_id": ""},
         "household_id": hid},
        {"entity": "visit", "row_id": "5f0c9a1e-8d44-4b6a-9a51-2c7e0b1d3f42",
         "reason": f"本户 {visit_month} 已有走访记录（{OTHER_VISIT}）。 / This household already has a visit for "
                   f"{visit_month}.", "fields": {"month": visit_month, "visit_date": "", "notes": ""},
         "household_id": hid},
    ]


def refused_shots(window, out: Path) -> None:  # noqa: ANN001
    first = window.households.model.rows[0].id
    dialog = window.sync_control.show_rejections(refusals(window.ctx, first))
    dialog.table.selectRow(0)
    _grab(dialog, out / "sync-refused-list.png")
    dialog.close()

    window.opener.open_household(first)
    form = window.opener.open_forms()[-1]
    form.resize(1100, 720)
    form.tab_widget.setCurrentIndex(0)
    form._show_refused(refusals(window.ctx, first)[:1])
    _grab(form, out / "sync-form-refused.png")
    form.dirty = False
    form.close()


def clash_shot(window, out: Path) -> None:  # noqa: ANN001
    """A household open with typing in it when a pull brings another worker's changes: the pull changed
    the building (not touched here: taken) and the phone (typed here too: a clash)."""
    ctx = window.ctx
    hid = window.households.model.rows[1].id
    window.opener.open_household(hid)
    form = window.opener.open_forms()[-1]
    form.resize(1100, 720)
    form.tab_widget.setCurrentIndex(0)
    form.editors["phone"].set_value("13985120417")  # what the worker typed
    full = ctx.store.get_household(hid, log_access=False)
    pulled = full.household | {"phone": "13908541266", "building": "12"}  # what the sync wrote
    form.merge_pulled(replace(full, household=pulled))
    _grab(form, out / "sync-form-clash.png")
    form.dirty = False
    form.close()


def bundle_shots(window, out: Path) -> None:  # noqa: ANN001
    """The 同步 menu with the bundle actions, and what each action says (export, a worker's bundle kept
    on a clerk's laptop, a reply imported, a damaged file refused)."""
    from PySide6.QtWidgets import QMenu

    from sync.bundle import BundleError
    from sync.bundles import BundleResult

    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title().startswith("同步"))
    menu.popup(window.mapToGlobal(window.rect().topLeft()))
    _grab(menu, out / "sync-bundle-menu.png")
    menu.hide()
    control, bundles = window.sync_control, window.sync_control.bundles
    shots = [
        ("sync-bundle-exported.png", lambda: bundles._exported(Path("w1-2026-11-30.anju-bundle"),
                                                               BundleResult("push", "u-1", "w1", 5, 1800))),
        ("sync-bundle-kept.png", lambda: bundles._imported(BundleResult("push", "u-1", "w1", 5))),
        ("sync-bundle-reply.png", lambda: bundles._imported(BundleResult("reply", "r-1", "w1", 5, 1800,
                                                                         {"applied": 1799, "rejected": 1}, 41,
                                                                         [{}]))),
        ("sync-bundle-refused.png", lambda: bundles._refused("没有导入", BundleError("damaged", (
            "同步包的校验和不对：文件在复制中损坏或被改动过，没有导入任何内容。请让对方重新导出。 / The bundle's checksum is "
            "wrong: it was damaged or altered; nothing was imported.")))),
    ]
    for name, show in shots:
        show()
        _grab(control.message_box, out / name)
        control.message_box.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        with offscreen_session(households=20) as (app, ctx, window):
            enroll_shots(app, ctx, args.out)
            status_shots(window, args.out)
            refused_shots(window, args.out)
            clash_shot(window, args.out)
            bundle_shots(window, args.out)
    finally:
        shutil.rmtree(os.environ["ANJU_DATA_DIR"], ignore_errors=True)
    print(f"wrote sync-*.png into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
