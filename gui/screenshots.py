"""Screenshots of the main screens on demo data, for review: `python main.py screenshots --out DIR`.

Also the offscreen session that the self-test and the GUI benchmark start from.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

from core.demo import write_demo_profile
from core.store import Store

DEMO_PASSWORD = "anju-demo"
DASHBOARD_HEIGHT = 1180


@contextmanager
def offscreen_session(households: int = 60, lang: str = "zh_CN", folder: Path | None = None,
                      as_of: date | None = None) -> Iterator:
    """(app, ctx, window): a main window on a fresh demo profile, rendered offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.app import make_application
    from gui.context import AppContext
    from gui.main_window import MainWindow
    from gui.ops import ImmediateWorker
    from gui.settings import Settings

    with tempfile.TemporaryDirectory(prefix="anju-gui-") as tmp:
        settings = Settings(Path(tmp) / "settings.ini")
        settings.set("ui/language", lang)
        app = make_application(settings)
        profile = folder or Path(tmp) / "profile"
        as_of = as_of or date.today()
        from gui.i18n import tr

        store = Store.create(profile, DEMO_PASSWORD, username="demo", display_name=tr("演示档案"))
        try:
            write_demo_profile(store, households, seed=1, as_of=as_of)
            ctx = AppContext(store, settings, app._anju_language, ImmediateWorker(), today=lambda: as_of)  # type: ignore[attr-defined]
            window = MainWindow(ctx, ImmediateWorker())
            window.resize(1280, 800)
            window.show()
            app.processEvents()
            try:
                yield app, ctx, window
            finally:
                for form in window.opener.open_forms():
                    form.dirty = False
                window.close()
                window.deleteLater()
                app.processEvents()
        finally:
            store.close()


def _grab(widget, path: Path) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")


def _dashboards(app, ctx, window, folder: Path) -> None:  # noqa: ANN001
    """The dashboard (the home page the window opens on) in Chinese and in English, whichever language
    the rest of the screens are in: a second main window is made in the other language on the same profile."""
    from gui.i18n import install_language
    from gui.main_window import MainWindow
    from gui.ops import ImmediateWorker

    own, size = ctx.language.qt, window.size()
    window.resize(size.width(), DASHBOARD_HEIGHT)  # every card, the trend and the breakdown in one picture
    _grab(window, folder / f"0-dashboard-{ctx.language.code}.png")
    window.resize(size)
    other = "en" if ctx.language.code == "zh" else "zh_CN"
    language, _translators = install_language(app, other)
    try:
        second = MainWindow(replace(ctx, language=language), ImmediateWorker())
        second.resize(size.width(), DASHBOARD_HEIGHT)
        second.show()
        _grab(second, folder / f"0-dashboard-{language.code}.png")
        second.close()
        second.deleteLater()
        app.processEvents()
    finally:
        install_language(app, own)


def _roster_report(ctx, window, folder: Path) -> None:  # noqa: ANN001
    """The import dialog's report on a roster with mistakes of the kinds villages make: the profile's own
    户籍花名册 exported in full, a check character mistyped, a nationality no list knows, a person twice."""
    import tempfile

    from openpyxl import load_workbook

    from core.ledgers import export_ledgers
    from gui.roster_dialog import RosterImportDialog

    with tempfile.TemporaryDirectory(prefix="anju-roster-") as tmp:
        roster = Path(tmp) / "花名册.xlsx"
        export_ledgers(ctx.store, ["roster"], f"{ctx.today():%Y-%m}", roster, masked=False, today=ctx.today())
        wb = load_workbook(roster)
        ws = wb.worksheets[0]
        number = ws.cell(row=6, column=8).value
        ws.cell(row=6, column=8).value = number[:-1] + ("0" if number[-1] != "0" else "1")  # 身份证号
        ws.cell(row=9, column=7).value = "汉族人"  # 民族: no list knows it; 汉族 is offered
        ws.append([c.value for c in ws[12]])  # a person twice
        wb.save(roster)
        # checked against a profile holding the county's places and no households yet, as a village's first import
        with Store.create(Path(tmp) / "empty", DEMO_PASSWORD, username="demo") as empty:
            write_demo_profile(empty, 0, seed=1, as_of=ctx.today())
            dialog = RosterImportDialog(replace(ctx, store=empty), window)
            dialog.resize(1000, 640)
            dialog.show()
            dialog.check_file(roster)
            _grab(dialog, folder / "8-roster-import-report.png")
            dialog.close()


def write_screenshots(out: str, lang: str = "zh_CN") -> int:
    """The dashboard in both languages, the household list, a household form on its members, a
    grievance form, a visit form, a job form, the training list, the 台账 page and a roster import's
    report."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    from gui.main_window import NAVIGATION

    with offscreen_session(lang=lang) as (app, ctx, window):
        _dashboards(app, ctx, window, folder)
        window.nav.setCurrentRow([key for key, _title in NAVIGATION].index("households"))
        _grab(window, folder / "1-household-list.png")
        first = window.households.model.rows[0].id
        window.opener.open_household(first)
        form = window.opener.open_forms()[-1]
        form.resize(1100, 720)
        form.tab_widget.setCurrentIndex(0)
        _grab(form, folder / "2a-household-form-basic.png")
        form.tab_widget.setCurrentWidget(form.members)
        _grab(form, folder / "2-household-form-members.png")
        with_grievance = next((r.id for r in window.households.model.rows
                               if ctx.store.get_household(r.id, log_access=False).grievances), first)
        full = ctx.store.get_household(with_grievance, log_access=False)
        window.opener.open_record("grievance", full, full.grievances[0] if full.grievances else None)
        grievance = window.opener.open_forms()[-1]
        grievance.resize(900, 640)
        _grab(grievance, folder / "3-grievance-form.png")
        window.opener.open_record("visit", full, None, {"month": f"{ctx.today():%Y-%m}"})
        visit = window.opener.open_forms()[-1]
        visit.resize(900, 640)
        _grab(visit, folder / "4-visit-form.png")
        window.opener.open_record("employment", full, None, {"member_id": full.members[0]["id"]})
        job = window.opener.open_forms()[-1]
        job.resize(900, 640)
        _grab(job, folder / "5-employment-form.png")
        window.nav.setCurrentRow([key for key, _title in NAVIGATION].index("training"))
        _grab(window, folder / "6-training-list.png")
        window.nav.setCurrentRow([key for key, _title in NAVIGATION].index("ledger"))
        _grab(window, folder / "7-ledger-page.png")
        _roster_report(ctx, window, folder)
    print(f"screenshots written to {folder}")
    return 0
