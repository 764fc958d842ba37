"""Lazily fetching table models over the store: a page at a time as the view scrolls, so a list
of 100,000 households opens at once and scrolls smoothly. Nothing here writes SQL."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from core.codes import code_lists
from core.store import SORT_KEYS, HouseholdFilter, HouseholdRow
from gui.fonts import glyph_check
from gui.i18n import tr, tr_noop

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
ID_ROLE = Qt.ItemDataRole.UserRole

# (attribute of HouseholdRow, header, sort key or None)
HOUSEHOLD_COLUMNS = [
    ("household_no", tr_noop("户编号"), "household_no"),
    ("head_name", tr_noop("户主"), "head_name"),
    ("head_id_masked", tr_noop("户主身份证号"), None),
    ("phone_masked", tr_noop("联系电话"), None),
    ("settlement", tr_noop("安置点"), None),
    ("grid", tr_noop("网格"), None),
    ("address", tr_noop("楼栋/单元/房号"), "address"),
    ("member_count", tr_noop("人数"), "member_count"),
    ("monitoring_category", tr_noop("监测类别"), None),
    ("updated_at", tr_noop("修改时间"), "updated_at"),
]
REVEAL_COLUMNS = {"head_id_masked": "head_id_number", "phone_masked": "phone"}


class LazyTableModel(QAbstractTableModel):
    """Rows read a page at a time: `read_page(offset, limit)` is the one thing a subclass says."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list = []
        self._exhausted = True
        self.loaded = False

    def read_page(self, offset: int, limit: int) -> list:
        raise NotImplementedError

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = self.read_page(0, PAGE)
        self._exhausted = len(self.rows) < PAGE
        self.loaded = True
        self.endResetModel()

    def ensure_loaded(self) -> None:
        if not self.loaded:
            self.reload()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802 - Qt's names
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._exhausted:
            return
        page = self.read_page(len(self.rows), PAGE)
        self._exhausted = len(page) < PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)


class HouseholdTableModel(LazyTableModel):
    """The household list. `fetch(filter, sort, descending, offset, limit)` reads one page."""

    sig_reset = Signal()

    def __init__(self, fetch: Callable[..., list[HouseholdRow]], lang: str, parent: Any = None):
        super().__init__(parent)
        self._fetch, self.lang = fetch, lang
        self.filter = HouseholdFilter()
        self.sort_key, self.descending = "household_no", False
        self.revealed: dict[tuple[str, str], str] = {}

    def set_filter(self, f: HouseholdFilter) -> None:
        self.filter = f
        self.reload()

    def set_text(self, text: str) -> None:
        self.set_filter(replace(self.filter, text=text))

    def read_page(self, offset: int, limit: int) -> list[HouseholdRow]:
        rows = self._fetch(self.filter, self.sort_key, self.descending, offset, limit)
        glyph_check().note("".join(f"{r.head_name or ''}{r.settlement or ''}{r.grid or ''}{r.address or ''}"
                                   for r in rows), "the household list")  # a name no font can draw is said
        return rows

    def reload(self) -> None:
        self.revealed.clear()  # a value shown on purpose is masked again once the list is read anew
        super().reload()
        self.sig_reset.emit()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HOUSEHOLD_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(HOUSEHOLD_COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        attribute = HOUSEHOLD_COLUMNS[index.column()][0]
        if attribute in REVEAL_COLUMNS and (row.id, attribute) in self.revealed:
            return self.revealed[(row.id, attribute)]
        value = getattr(row, attribute)
        if attribute == "monitoring_category":
            return code_lists().label("monitoring_category", value, self.lang)
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        return value

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = HOUSEHOLD_COLUMNS[column][2]
        if key is None or key not in SORT_KEYS:
            return
        self.sort_key, self.descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    def sortable(self, column: int) -> bool:
        return HOUSEHOLD_COLUMNS[column][2] is not None

    def show_revealed(self, household_id: str, attribute: str, value: str) -> None:
        """A value shown in clear on purpose (and logged by the store) until the list reloads."""
        row = self.row_of(household_id)
        if row is None:  # the list changed while the store was asked: show it nowhere
            return
        self.revealed[(household_id, attribute)] = value
        column = [c[0] for c in HOUSEHOLD_COLUMNS].index(attribute)
        cell = self.index(row, column)
        self.dataChanged.emit(cell, cell)

    def row_of(self, household_id: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == household_id), None)


class RecordTableModel(LazyTableModel):
    """People, jobs, training, grievances or visits: `fetch(text, offset, limit)` reads a page of
    dicts whose keys are the `columns` (field, zh header, en header)."""

    def __init__(self, fetch: Callable[[str, int, int], list[dict]], columns: tuple[tuple[str, str, str], ...],
                 lang: str, parent: Any = None):
        super().__init__(parent)
        self._fetch, self.columns, self.lang = fetch, columns, lang
        self.text = ""

    def set_text(self, text: str) -> None:
        self.text = text
        self.reload()

    def read_page(self, offset: int, limit: int) -> list[dict]:
        rows = self._fetch(self.text, offset, limit)
        fields = [c[0] for c in self.columns]
        glyph_check().note("".join(str(r.get(f)) for r in rows for f in fields if isinstance(r.get(f), str)),
                           "a list of records")  # a name no font can draw is said, once
        return rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            _field, zh, en = self.columns[section]
            return en if self.lang == "en" else zh
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ID_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            value = row.get(self.columns[index.column()][0])
            return "" if value is None else str(value)
        return None
