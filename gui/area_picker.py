"""Picking a division code (迁出地) from the place hierarchy: type part of a county's name, its
prefecture's or its code, choose "贵州省 黔南布依族苗族自治州 福泉市" from the list, then type the
township and village digits that the shipped list does not hold (core/areas.py)."""
from __future__ import annotations

import re

from PySide6.QtCore import QStringListModel, Signal
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLineEdit, QWidget

from core.areas import area, search_areas
from gui.i18n import tr

SHOWN = 30                              # places offered at a time
CHOSEN = re.compile(r"\s(\d{6})$")       # a chosen place ends with its code: "… 福泉市 522702"


def place_text(code: str) -> str:
    """What the place box shows for a code: the county's path and its six digits, or the code itself."""
    found = area(code)
    return f"{found.path_text} {found.code}" if found else code


class AreaCodeEdit(QWidget):
    """A division code of 6, 9 or 12 digits as a county picked by name plus typed digits. Its
    `text()` is the code; text that names no place is handed back as typed, so the form's check
    says what is wrong."""

    textChanged = Signal(str)  # noqa: N815 - the name of QLineEdit's signal, which the field editor expects

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.place = QLineEdit(self)
        self.place.setObjectName("area_place")
        self.place.setPlaceholderText(tr("县（市、区）：输入名称或代码查找，如“福泉”"))
        self.place.setClearButtonEnabled(True)
        self.rest = QLineEdit(self)
        self.rest.setObjectName("area_rest")
        self.rest.setPlaceholderText(tr("乡镇+村代码"))
        self.rest.setToolTip(tr("县以下的代码：乡镇3位，或乡镇3位加村3位；没有可不填"))
        self.rest.setMaxLength(6)
        self.rest.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        layout.addWidget(self.place, 1)
        layout.addWidget(self.rest)
        self.choices = QStringListModel(self)
        self.completer = QCompleter(self.choices, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self.place)  # not setCompleter: the list is filtered by core, not by prefix
        self.completer.activated[str].connect(self.choose)
        self.place.textEdited.connect(self._search)
        self.place.editingFinished.connect(self._settle)
        self.place.textChanged.connect(self._changed)
        self.rest.textChanged.connect(self._changed)
        self.setFocusProxy(self.place)

    def _search(self, text: str) -> None:
        words = CHOSEN.sub("", text).strip()
        found = search_areas(words, SHOWN) if words else []
        self.choices.setStringList([f"{a.path_text} {a.code}" for a in found])
        if found:
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def choose(self, shown: str) -> None:
        """A place chosen from the list: the box shows its path and code; the digits come next."""
        self.place.setText(shown)
        self.completer.popup().hide()
        self.rest.setFocus()

    def _settle(self) -> None:
        """Typed but not chosen: a name (or code) only one place has is taken as chosen."""
        text = self.place.text().strip()
        if not text or CHOSEN.search(text) or text.isdigit():
            return
        found = search_areas(text, 2)
        if len(found) == 1 or (found and found[0].name == text):
            self.place.setText(f"{found[0].path_text} {found[0].code}")

    def _changed(self, *_args: object) -> None:
        self.textChanged.emit(self.text())

    # -- what a QLineEdit would say -------------------------------------------------------------
    def text(self) -> str:
        typed, rest = self.place.text().strip(), self.rest.text().strip()
        chosen = CHOSEN.search(typed)
        if chosen:
            return chosen.group(1) + rest
        return typed + rest

    def setText(self, code: str) -> None:  # noqa: N802 - QLineEdit's name
        code = (code or "").strip()
        found = area(code) if len(code) in (6, 9, 12) and code.isdigit() else None
        self.place.blockSignals(True)
        self.rest.blockSignals(True)
        self.place.setText(place_text(code[:6]) if found else code)
        self.rest.setText(code[6:] if found else "")
        self.place.blockSignals(False)
        self.rest.blockSignals(False)
        self._changed()

    def place_path(self) -> str:
        """The chosen county's path ('' when none is chosen)."""
        chosen = CHOSEN.search(self.place.text().strip())
        found = area(chosen.group(1)) if chosen else None
        return found.path_text if found else ""
