"""Chinese always renders: on a machine with no font at all the app draws Chinese with the font it
carries, and a character that no font can draw is said to the worker once, not shown as a silent box."""
from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

import gui.fonts as fonts
from core.selftest import sample_household
from tests.installed import ANJU, OUTSIDE

CHARACTERS = "安居户籍"
# Starts the app as `anju` does (make_application), then draws each character alone in a label.
# Run from outside the repository: what is imported is the installed package.
PROBE = r"""
import sys
from pathlib import Path
from PySide6.QtWidgets import QLabel
from gui.app import make_application
from gui.settings import Settings

out = Path(sys.argv[1])
app = make_application(Settings(out / "settings.ini"))
for i, ch in enumerate(sys.argv[2]):
    label = QLabel(ch)
    label.setStyleSheet("font-size: 40px; background: white; color: black;")
    label.setFixedSize(64, 64)
    if not label.grab().save(str(out / f"{i}.png")):
        sys.exit(f"could not write {i}.png")
"""
# The main window the screenshots show (gui/screenshots.py), with each entry of its navigation
# cropped: the labels the worker reads, as drawn.
NAVIGATION_PROBE = r"""
import sys
from pathlib import Path
from gui.screenshots import offscreen_session

out = Path(sys.argv[1])
with offscreen_session(households=3) as (app, ctx, window):
    nav = window.nav
    for row in range(nav.count()):
        item = nav.item(row)
        if not nav.viewport().grab(nav.visualItemRect(item)).save(str(out / f"{row}.png")):
            sys.exit(f"could not write {row}.png")
        (out / f"{row}.txt").write_text(f"{int(item.isSelected())}{item.text()}", encoding="utf-8")
"""


def assert_drawn_as_glyphs(images: list[QImage], texts: list[str]) -> None:
    """Each image leaves a mark, and two different texts of one length never look the same: empty
    boxes (tofu) all look alike, characters drawn for real do not."""
    for text, image in zip(texts, images):
        inks = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
        assert len(inks) > 2, f"{text} left no mark"
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            if texts[i] != texts[j] and len(texts[i]) == len(texts[j]):
                assert images[i] != images[j], f"{texts[i]} and {texts[j]} look the same: boxes, not glyphs"


@pytest.fixture
def no_fonts_env(tmp_path):
    """The environment of a machine with no font installed: fontconfig knows no folder of fonts."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FONTCONFIG_FILE": str(conf)}


def test_with_no_system_font_chinese_is_drawn_as_glyphs_not_boxes(tmp_path, no_fonts_env):
    out = tmp_path / "drawn"
    out.mkdir()
    result = subprocess.run([sys.executable, "-c", PROBE, str(out), CHARACTERS], cwd=OUTSIDE, env=no_fonts_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert_drawn_as_glyphs([QImage(str(out / f"{i}.png")) for i in range(len(CHARACTERS))], list(CHARACTERS))


def test_with_no_system_font_the_screenshots_show_the_screens(tmp_path, no_fonts_env):
    out = tmp_path / "shots"
    result = subprocess.run([ANJU, "screenshots", "--out", str(out)], cwd=OUTSIDE,
                            env=no_fonts_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    assert "1-household-list.png" in names and len(names) >= 4
    for name in names:
        image = QImage(str(out / name))
        assert len({image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)}) > 5
    # More than colours: the labels of that window are characters, not boxes (人员, 就业, 培训…).
    crops = tmp_path / "navigation"
    crops.mkdir()
    result = subprocess.run([sys.executable, "-c", NAVIGATION_PROBE, str(crops)], cwd=OUTSIDE, env=no_fonts_env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    shown = sorted(crops.glob("*.txt"), key=lambda p: int(p.stem))
    entries = [(p.read_text(encoding="utf-8"), QImage(str(p.with_suffix(".png")))) for p in shown]
    unselected = [(text[1:], image) for text, image in entries if text[0] == "0"]  # the selection is coloured
    assert sum(len(text) == 2 for text, _image in unselected) >= 4, [text for text, _image in entries]
    assert_drawn_as_glyphs([image for _text, image in unselected], [text for text, _image in unselected])


@pytest.fixture
def fresh_check(monkeypatch, qapp):
    """A new session's check (the one-time warning not yet given), with the bundled font loaded."""
    monkeypatch.setattr(fonts, "_check", None)
    assert fonts.register_bundled_font() == fonts.BUNDLED_FAMILY
    return fonts


def test_the_bundled_font_draws_what_the_records_hold_and_nothing_is_missing(fresh_check, store, make_ctx, make_window):
    assert fonts.missing_characters("安居户籍 罗生林 福泉社区安置点 1栋3单元402 ㎡ ①（）“”") == ""
    store.save_household(*sample_household(1))
    window = make_window(make_ctx(store))
    assert window.households.model.rowCount() == 1
    assert window.findChild(QLabel, "font_warning").isHidden()


def test_a_name_no_font_can_draw_is_said_once_and_logged_without_the_name(fresh_check, store, make_ctx,
                                                                          make_window, caplog):
    assert fonts.missing_characters("王\ue000国") == "\ue000"  # a Private Use Area character: no font has it
    household, members = sample_household(1)
    members[0]["name"] = "王\ue000国"
    store.save_household(household, members)
    with caplog.at_level(logging.INFO, logger="gui.fonts"):
        window = make_window(make_ctx(store))
        warning = window.findChild(QLabel, "font_warning")
        assert warning.isVisible() and "缺少可以显示某些汉字的字体" in warning.text()
        window.households.model.reload()  # the list read again, a second window: not said again
        second = make_window(make_ctx(store))
        assert second.findChild(QLabel, "font_warning").text() == warning.text()
    said = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(said) == 1 and "household list" in said[0].getMessage()
    assert "王" not in caplog.text and "\ue000" not in caplog.text


def saved_with_a_member_named(store, name: str) -> str:  # noqa: ANN001
    """A household whose second member (not its head, whom the household list shows) has `name`."""
    household, members = sample_household(1)
    assert members[1]["relation"] != "head"
    members[1]["name"] = name
    return store.save_household(household, members).id


def test_a_name_in_a_list_of_records_no_font_can_draw_is_said_once(fresh_check, store, make_ctx, make_window,
                                                                   caplog):
    household_id = saved_with_a_member_named(store, "李\ue000梅")
    with caplog.at_level(logging.INFO, logger="gui.fonts"):
        window = make_window(make_ctx(store))
        warning = window.findChild(QLabel, "font_warning")
        assert warning.isHidden()  # the household list shows the head only
        window.nav.setCurrentRow(list(window.pages).index("member"))  # 人员: every member's name
        assert warning.isVisible() and "缺少可以显示某些汉字的字体" in warning.text()
        window.opener.open_household(household_id)  # the same name again, in the form: not said again
        assert window.opener.open_forms()[-1].isVisible()
    said = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(said) == 1 and "list of records" in said[0].getMessage()
    assert "\ue000" not in caplog.text and "李" not in caplog.text


def test_a_name_in_an_opened_form_no_font_can_draw_is_said(fresh_check, store, make_ctx, make_window, caplog):
    household_id = saved_with_a_member_named(store, "李\ue000梅")
    with caplog.at_level(logging.INFO, logger="gui.fonts"):
        window = make_window(make_ctx(store))
        warning = window.findChild(QLabel, "font_warning")
        assert warning.isHidden()
        window.opener.open_household(household_id)
        assert warning.isVisible() and "缺少可以显示某些汉字的字体" in warning.text()
    said = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(said) == 1 and "form's record" in said[0].getMessage()
