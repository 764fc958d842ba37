"""Helpers for the GUI tests: typing like a person, valid ID numbers, picking options."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from core.idcard import check_character

TODAY = date(2026, 11, 20)


def resident_id(area: str, birth: str, seq: str) -> str:
    """A valid 18-digit ID: 6-digit area, YYYYMMDD, 3-digit sequence (odd: male), check character."""
    first17 = f"{area}{birth}{seq}"
    return first17 + check_character(first17)


def type_text(widget: QWidget, text: str) -> None:
    """Type like a person, Chinese included (qtbot.keyClicks aborts on non-ASCII text)."""
    widget.setFocus()
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def choose(editor, code) -> None:  # noqa: ANN001 - a FieldEditor on a combo box
    """Pick an option of a combo box by its code, as a click on the list would."""
    combo = editor.input
    index = combo.findData(code)
    assert index >= 0, f"{code!r} is not an option of {editor.spec.name}"
    combo.setCurrentIndex(index)


def newest_form(window):  # noqa: ANN001, ANN201
    forms = window.opener.open_forms()
    assert forms, "no form is open"
    return forms[-1]


def press(widget: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press as a person makes it: into the active window, so its shortcuts apply."""
    window = widget.window()
    window.activateWindow()
    QApplication.processEvents()
    QTest.keyClick(widget, key, modifier)
    QApplication.processEvents()


def ctrl(widget: QWidget, key: Qt.Key) -> None:
    press(widget, key, Qt.KeyboardModifier.ControlModifier)


def wait_searched(qtbot, page) -> None:  # noqa: ANN001 - a HouseholdPage or RecordPage
    """Search-as-you-type searches once typing pauses: wait until the list has searched what was typed."""
    qtbot.waitUntil(lambda: not page.paused_search.isActive(), timeout=5000)
