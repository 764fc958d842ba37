"""The GUI half of `python main.py selftest`: render the main window offscreen on demo data."""
from __future__ import annotations

from collections.abc import Callable


def chinese_drawn(text: str = "安居户籍") -> bool:
    """Whether the app's font draws each of `text`'s characters as a glyph of its own: a font without them
    draws the same empty box for all, so their pictures would be alike (or blank)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from gui.fonts import missing_characters

    pictures = set()
    for ch in text:
        image = QImage(48, 48, QImage.Format.Format_Grayscale8)
        image.fill(255)
        painter = QPainter(image)
        font = QFont(QApplication.font())
        font.setPixelSize(40)
        painter.setFont(font)
        painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, ch)
        painter.end()
        pictures.add(bytes(image.constBits()))
    blank = bytes([255]) * len(next(iter(pictures)))
    return not missing_characters(text) and len(pictures) == len(text) and blank not in pictures


def run_gui_selftest(say: Callable[[str], None]) -> int:
    from gui.screenshots import offscreen_session

    try:
        with offscreen_session(households=30) as (app, ctx, window):
            shown = window.households.model.rowCount()
            assert shown == 30, f"the household list shows {shown} rows, not 30"
            image = window.grab().toImage()
            assert not image.isNull() and image.width() > 200, "the main window did not render"
            window.opener.open_household(window.households.model.rows[0].id)
            form = window.opener.open_forms()[-1]
            assert form.members.model.rowCount() >= 1, "the household form shows no members"
            say(f"✓ 主窗口已在屏幕外绘制，{shown} 户；户表单已打开 / main window rendered offscreen, form opened")
            assert chinese_drawn(), "Chinese characters are drawn as empty boxes"
            say("✓ 中文字形已绘制（不是方框）/ Chinese drawn with real glyphs, not boxes")
    except AssertionError as exc:
        say(f"✗ 界面自检失败 / GUI self-test failed: {exc}")
        return 1
    say("界面自检通过 / GUI self-test passed")
    return 0
