"""Picking a division code (迁出地) from the place hierarchy: type part of a county's name, its
prefecture's or its code, choose "贵州省 黔南布依族苗族自治州 福泉市" from the list (core/areas.py),
then its township and village: chosen from the profile's places under that county (the county
server's reference data, Store.areas_under) when it has them, typed as digits when it has none."""
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
    says what is wrong. With `places_only` it is six digits: a province, prefecture or county (a
    place of work), with no township or village after it."""

    textChanged = Signal(str)  # noqa: N815 - the name of QLineEdit's signal, which the field editor expects

    def __init__(self, parent: QWidget | None = None, places_only: bool = False):
        super().__init__(parent)
        self.places_only = places_only
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.place = QLineEdit(self)
        self.place.setObjectName("area_place")
        self.place.setPlaceholderText(tr("省、市或县：输入名称或代码查找，如“东莞”") if places_only
                                      else tr("县（市、区）：输入名称或代码查找，如“福泉”"))
        self.place.setClearButtonEnabled(True)
        self.rest = QLineEdit(self)
        self.rest.setObjectName("area_rest")
        self.rest.setPlaceholderText(tr("乡镇+村代码"))
        self.rest.setToolTip(tr("县以下的代码：乡镇3位，或乡镇3位加村3位；本档案有的乡镇和村可从列表中选，没有可不填"))
        self.rest.setMaxLength(6)
        self.rest.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        layout.addWidget(self.place, 1)
        layout.addWidget(self.rest)
        self.rest.setVisible(not places_only)
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
        self.below: list[dict] = []     # the profile's townships and villages (code, name), set_places_below
        self.below_choices = QStringListModel(self)
        self.below_completer = QCompleter(self.below_choices, self)
        self.below_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.below_completer.setMaxVisibleItems(12)
        self.below_completer.setWidget(self.rest)
        self.below_completer.activated[str].connect(self.choose_below)
        self.rest.textEdited.connect(self._offer_below)

    def set_places_below(self, areas: list[dict]) -> None:
        """The places the profile knows below the counties (rows with a 9- or 12-digit code)."""
        self.below = [a for a in areas if len(a.get("code") or "") in (9, 12)]

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
        if not self.places_only:
            self.rest.setFocus()
            self._offer_below(self.rest.text())

    def _settle(self) -> None:
        """Typed but not chosen: a name (or code) only one place has is taken as chosen."""
        text = self.place.text().strip()
        if not text or CHOSEN.search(text) or text.isdigit():
            return
        found = search_areas(text, 2)
        if len(found) == 1 or (found and found[0].name == text):
            self.place.setText(f"{found[0].path_text} {found[0].code}")

    # -- township and village ---------------------------------------------------------------------
    def below_offered(self, typed: str) -> list[str]:
        """The choices for what is typed after the county: its townships ("101 炉山镇"), or, once a
        township's three digits are there, its villages ("101001 炉山镇 锦绣社区"); narrowed by the
        digits or the words typed."""
        county = self.text()[:6] if CHOSEN.search(self.place.text().strip()) else ""
        if not county:
            return []
        places = {a["code"][6:]: a["name"] for a in self.below if a["code"].startswith(county)}
        towns = {digits: name for digits, name in places.items() if len(digits) == 3}
        villages = {digits: name for digits, name in places.items() if len(digits) == 6}
        if typed[:3] in towns and len(typed) >= 3 and any(v.startswith(typed[:3]) for v in villages):
            offered = {d: f"{towns[typed[:3]]} {name}" for d, name in villages.items() if d.startswith(typed[:3])}
        else:
            offered = towns
        word = typed.strip()
        return [f"{d} {name}" for d, name in sorted(offered.items())
                if not word or d.startswith(word) or (not word.isdigit() and word in name)]

    def _offer_below(self, typed: str) -> None:
        offered = self.below_offered(typed)
        self.below_choices.setStringList(offered)
        if offered and [o.split()[0] for o in offered] != [typed]:  # not just what is already typed
            self.below_completer.complete()
        else:
            self.below_completer.popup().hide()

    def choose_below(self, shown: str) -> None:
        """A township chosen: its villages come next, if the profile has any; a village: done."""
        self.rest.setText(shown.split()[0])
        self.below_completer.popup().hide()
        if len(self.rest.text()) == 3:
            self._offer_below(self.rest.text())

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
