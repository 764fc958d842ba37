"""Every user-visible string of gui/ goes through `tr`; Chinese is the source language.

Strings are written in Chinese and translated to English in gui/resources/i18n/anju_en.ts (Qt
Linguist format, compiled to .qm by installer/update_translations.py). One context, "Anju", so a
string means the same in a base class and its subclasses. Field labels, code labels and
validation messages come from core/ with both languages; `Language.code` picks one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLibraryInfo, QLocale, QTime, QTranslator


CONTEXT = "Anju"
LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"


def tr_noop(text: str) -> str:
    """Marks a string for translation where it is declared; `tr` translates it where it is shown."""
    return text


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate(CONTEXT, text, disambiguation, n)


def error_message(error: BaseException, lang: str | None = None) -> str:
    """What went wrong, in the UI language. core/ writes its errors as "中文 / English" (and
    validation errors as problems carrying both), so the GUI picks the half it needs."""
    lang = lang or ("en" if QLocale().name().startswith("en") else "zh")
    problems = getattr(error, "problems", None)
    if problems:
        return "\n".join(p.message(lang) for p in problems)
    from gui.ops import unforeseen

    if unforeseen(error):  # a bug or a library's error: said plainly; its text (code words, SQL)
        return tr("程序出错了，详情已记入日志（帮助 → 打开日志文件夹）。")  # and traceback go to the log
    return bilingual(str(error), lang)


def bilingual(text: str | None, lang: str) -> str:
    """The half of a "中文 / English" text (core's errors, the server's reasons) in the UI language."""
    text = text or ""
    if " / " in text:
        zh, _, en = text.partition(" / ")
        return en.strip() if lang == "en" else zh.strip()
    return text


def written_time(stamp: str | None) -> str:
    """A time kept as ISO text ('2026-11-30T01:21:38') as people write it: '2026年11月30日 01:21',
    '30 November 2026 01:21' in English (the UI language's locale); '' when there is none."""
    try:
        when = datetime.fromisoformat(stamp or "")
    except ValueError:
        return stamp or ""
    locale = QLocale()
    shown = QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute))
    if locale.language() == QLocale.Language.Chinese:
        return locale.toString(shown, "yyyy年M月d日 HH:mm")
    return locale.toString(shown, "d MMMM yyyy HH:mm")


@dataclass(frozen=True)
class Language:
    """The UI language: `qt` for Qt ('zh_CN', 'en'), `code` for core's bilingual data ('zh', 'en')."""

    qt: str

    @property
    def code(self) -> str:
        return "en" if self.qt.startswith("en") else "zh"


def translations_dir() -> Path:
    """The compiled translations, shipped inside the gui package."""
    return Path(__file__).resolve().parent / "resources" / "i18n"


def install_language(app: QCoreApplication, qt_name: str) -> tuple[Language, list[QTranslator]]:
    """Load Anju's and Qt's own translations for `qt_name`; returns the translators (keep them alive)."""
    if qt_name not in LANGUAGES:
        qt_name = DEFAULT_LANGUAGE
    for old in getattr(app, "_anju_translators", []):
        app.removeTranslator(old)
    translators = []
    if qt_name != DEFAULT_LANGUAGE:
        ours = QTranslator(app)
        if not ours.load(str(translations_dir() / f"anju_{qt_name}.qm")):
            raise FileNotFoundError(f"translation anju_{qt_name}.qm is missing from {translations_dir()}")
        translators.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{qt_name}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt_own)
    for t in translators:
        app.installTranslator(t)
    app._anju_translators = translators  # type: ignore[attr-defined]
    QLocale.setDefault(QLocale(qt_name))
    return Language(qt_name), translators
