"""The app's own Chinese font, and a word to the worker when some text cannot be drawn.

The app carries Noto Sans SC (a subset: all of GB 2312, the UI's strings, the code lists and area
names; SIL Open Font License 1.1, beside it in gui/resources/fonts/OFL.txt; rebuilt by
installer/make_cjk_font.py). At start, when the system has no font for Simplified Chinese, it is
registered and put first in the app font's families, so every label is drawn with it; the point
size stays the one the settings ask for. A system that has a Chinese font keeps it: that font
covers more characters than the subset.

Either way a character that no font can draw (it would show as an empty box) is not passed over in
silence: the first text found holding one is said once, in words, and logged, with how many such
characters there were and where, never which (they may be part of a person's name).
"""
from __future__ import annotations

import logging
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from gui.i18n import DEFAULT_LANGUAGE, translations_dir, tr

BUNDLED_FAMILY = "Noto Sans SC"
FONT_FILE = Path(__file__).resolve().parent / "resources" / "fonts" / "NotoSansSC-Regular-subset.ttf"
# Characters that are never drawn on their own, so never "missing": spaces, controls, format
# characters, variation selectors.
SILENT_CATEGORIES = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}

log = logging.getLogger(__name__)
_bundled_id: int | None = None  # the bundled font's id in QFontDatabase, once registered


def system_chinese_families() -> list[str]:
    """The system's font families that say they draw Simplified Chinese (ours left out)."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    return [f for f in families if _bundled_id is None or f not in QFontDatabase.applicationFontFamilies(_bundled_id)]


def register_bundled_font() -> str:
    """Register the bundled font (once); returns its family, or "" when it cannot be loaded."""
    global _bundled_id
    if _bundled_id is None:
        font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
        if font_id < 0:
            log.error("the bundled Chinese font %s could not be loaded", FONT_FILE)
            return ""
        _bundled_id = font_id
    families = QFontDatabase.applicationFontFamilies(_bundled_id)
    return families[0] if families else ""


def install_chinese_font(app: QApplication) -> str:
    """Make sure the app draws Chinese; returns the family that draws it ("" when none does).

    Call before the point size is set: only the families of the app font change here."""
    system = system_chinese_families()
    if system:
        log.info("Chinese is drawn with the system's fonts (%s, of %d)", system[0], len(system))
        return system[0]
    family = register_bundled_font()
    if not family:
        log.warning("no font on this system draws Chinese, and the bundled one did not load: Chinese shows as boxes")
        return ""
    font = QFont(app.font())
    font.setFamilies([family, *[f for f in font.families() if f != family]])
    app.setFont(font)
    log.info("no system font draws Chinese: using the bundled %s (%s)", family, FONT_FILE.name)
    return family


def _needs_a_glyph(ch: str) -> bool:
    if 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF:  # variation selectors
        return False
    return unicodedata.category(ch) not in SILENT_CATEGORIES


class GlyphCheck(QObject):
    """Which characters the app font (with its fallbacks) cannot draw; says so once a session."""

    sig_missing = Signal(str)  # the words for the worker, emitted the first time only

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._drawable: dict[str, bool] = {}
        self._families: list[str] = []
        self.message = ""  # once said, the words (for a window made after it was said)

    def missing(self, text: str) -> str:
        """The distinct characters of `text` that no font can draw, in order of first appearance."""
        font = QApplication.font()
        if font.families() != self._families:  # another font: what it draws is asked again
            self._drawable.clear()
            self._families = font.families()
        metrics = QFontMetrics(font)
        out: dict[str, None] = {}
        for ch in text:
            if ch in out or not _needs_a_glyph(ch):
                continue
            drawable = self._drawable.get(ch)
            if drawable is None:
                drawable = self._drawable[ch] = metrics.inFontUcs4(ord(ch))
            if not drawable:
                out[ch] = None
        return "".join(out)

    def note(self, text: str, where: str) -> bool:
        """Check `text` (shown to the worker at `where`, a phrase for the log); True when some of it
        cannot be drawn. The first time that happens the worker is told and it is logged."""
        if self.message:
            return bool(self.missing(text))
        lost = self.missing(text)
        if not lost:
            return False
        log.warning("%d character(s) of %s cannot be drawn by any font on this machine", len(lost), where)
        self.message = tr("本机缺少可以显示某些汉字的字体，这些字会显示成方框。请安装完整的中文字体，"
                          "或告诉帮你维护电脑的人。")
        self.sig_missing.emit(self.message)
        return True


_check: GlyphCheck | None = None


def glyph_check() -> GlyphCheck:
    """The session's one GlyphCheck."""
    global _check
    if _check is None:
        _check = GlyphCheck(QApplication.instance())
    return _check


def missing_characters(text: str) -> str:
    """The characters of `text` that no font can draw (for the GUI to check a text it shows)."""
    return glyph_check().missing(text)


def ui_strings(qt_language: str) -> str:
    """The interface's words in `qt_language`, from the translation source shipped beside the app."""
    texts = []
    for ts in sorted(translations_dir().glob("*.ts")):
        root = ET.parse(ts).getroot()
        tag = "source" if qt_language == DEFAULT_LANGUAGE else "translation"
        if tag == "translation" and f"_{qt_language}." not in ts.name:
            continue
        texts.extend("".join(e.itertext()) for e in root.iter(tag))
    return "\n".join(texts)


def check_ui_strings(qt_language: str) -> bool:
    """At start: can every interface string be drawn? True when some cannot (then said once)."""
    try:
        text = ui_strings(qt_language)
    except (OSError, ET.ParseError) as exc:
        log.warning("the interface's strings could not be read to check the font", exc_info=exc)
        return False
    return glyph_check().note(text, "the interface's strings")
