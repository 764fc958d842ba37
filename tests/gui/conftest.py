"""GUI fixtures: a real encrypted profile, settings in a temp file, and work made synchronous by
ImmediateWorker (the 'fake pool'), so a test sees the result of a save as soon as it asks."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox


from gui_helpers import TODAY
from tests.sync.conftest import PASSWORD, County


@pytest.fixture
def settings(tmp_path: Path):
    from gui.settings import Settings

    s = Settings(tmp_path / "settings.ini")
    s.set("forms/draft_seconds", 1)
    s.set("security/idle_lock_minutes", 0)
    return s


@pytest.fixture
def make_ctx(qapp, settings):
    """make_ctx(store) -> an AppContext in Chinese, with synchronous workers (database and network) and a
    fixed today."""
    from gui.context import AppContext
    from gui.fields import PROBLEM_STYLE
    from gui.fonts import register_bundled_font
    from gui.i18n import install_language
    from gui.ops import ImmediateWorker

    language, _ = install_language(qapp, "zh_CN")
    qapp.setStyleSheet(PROBLEM_STYLE)
    register_bundled_font()  # Chinese drawn as on a machine with no Chinese font of its own (gui/fonts.py)

    def make(store):  # noqa: ANN001, ANN202
        return AppContext(store, settings, language, ImmediateWorker(), today=lambda: TODAY, net=ImmediateWorker())

    return make


@pytest.fixture
def ctx(make_ctx, store):
    return make_ctx(store)


@pytest.fixture
def make_window(qtbot):
    from gui.main_window import MainWindow
    from gui.ops import ImmediateWorker

    def make(ctx):  # noqa: ANN001, ANN202
        window = MainWindow(ctx, ImmediateWorker())
        qtbot.addWidget(window)
        window.show()
        return window

    return make


@pytest.fixture
def window(make_window, ctx):
    return make_window(ctx)


@pytest.fixture
def answer(monkeypatch):
    """answer(button): every QMessageBox.question from now on returns `button`; returns the questions asked."""
    asked: list[str] = []

    def set_answer(button):  # noqa: ANN001, ANN202
        def question(parent, title, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            asked.append(text)
            return button
        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
        return asked

    return set_answer


@pytest.fixture(autouse=True)
def no_blocking_message_boxes(monkeypatch):
    """A modal message box would wait for a click that never comes: record them instead.

    Questions answer Discard (so closing windows at the end of a test never blocks); a test that
    wants another answer uses `answer`. Returns the list of (kind, text) shown.
    """
    shown: list[tuple[str, str]] = []

    def record(kind, result):  # noqa: ANN001, ANN202
        def box(parent, title, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            shown.append((kind, text))
            return result
        return staticmethod(box)

    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Discard))
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, record(kind, QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "about", record("about", None))
    return shown


# -- a real county server on 127.0.0.1 and profiles enrolled with it --------------------------------
@pytest.fixture
def county(tmp_path):
    from core.models import utc_now
    from sync.server.db import open_database, writing
    from sync.server.demo import make_demo_county

    engine = open_database(f"sqlite:///{tmp_path / 'county.db'}")
    with writing(engine) as conn:
        make_demo_county(conn, PASSWORD, utc_now())
    c = County(f"sqlite:///{tmp_path / 'county.db'}", engine=engine)
    c.start_in_thread()
    yield c
    c.stop()
    engine.dispose()


@pytest.fixture
def enrol(county, tmp_path):
    """enrol("w1") -> an open Store of a profile enrolled with the county as that user."""
    from sync.client import enroll

    stores = []

    def make(username: str):  # noqa: ANN202
        store, _report = enroll(tmp_path / username, county.url, username, PASSWORD)
        stores.append(store)
        return store
    yield make
    for s in stores:
        s.close()
