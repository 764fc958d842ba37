"""Chinese always renders: on a machine with no font at all the app draws Chinese with the font it
carries, and a character that no font can draw is said to the worker once, not shown as a silent box."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

import gui.fonts as fonts
from core.selftest import sample_household

ROOT = Path(__file__).resolve().parents[2]
CHARACTERS = "安居户籍"
# Starts the app as `anju` does (make_application), then draws each character alone in a label.
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
    result = subprocess.run([sys.executable, "-c", PROBE, str(out), CHARACTERS], cwd=ROOT, env=no_fonts_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    images = [QImage(str(out / f"{i}.png")) for i in range(len(CHARACTERS))]
    for ch, image in zip(CHARACTERS, images):
        inks = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
        assert len(inks) > 2, f"{ch} left no mark"
    # Empty boxes (tofu) all look alike; four different characters drawn for real do not.
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            assert images[i] != images[j], f"{CHARACTERS[i]} and {CHARACTERS[j]} look the same: boxes, not glyphs"


def test_with_no_system_font_the_screenshots_show_the_screens(tmp_path, no_fonts_env):
    out = tmp_path / "shots"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "screenshots", "--out", str(out)], cwd=ROOT,
                            env=no_fonts_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.glob("*.png"))
    assert "1-household-list.png" in names and len(names) >= 4
    for name in names:
        image = QImage(str(out / name))
        assert len({image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)}) > 5


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
