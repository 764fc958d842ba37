"""Child rows edited in a table inside a form: members of a household, parties of a grievance,
one row per member of a visit. The rows are plain dicts of what was typed; core/ checks them."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from core.codes import code_lists
from core.forms import FieldSpec
from gui.area_picker import AreaCodeEdit, place_text
from gui.fields import shown

Index = QModelIndex | QPersistentModelIndex
PROBLEM_COLOURS = {"error": QColor("#ffd6d6"), "warning": QColor("#ffefc7")}


class RowsModel(QAbstractTableModel):
    """Rows as dicts; columns are fields. `choices` gives the options of ref fields (id, label)."""

    sig_edited = Signal(int, str)  # row, field

    def __init__(self, specs: list[FieldSpec], lang: str, choices: dict[str, list[tuple[str, str]]] | None = None,
                 read_only: set[str] | None = None, parent: Any = None):
        super().__init__(parent)
        self.specs, self.lang = specs, lang
        self.choices = choices or {}
        self.read_only = read_only or set()
        self.rows: list[dict] = []
        self.problems: dict[tuple[int, str], tuple[str, str]] = {}

    # -- rows -----------------------------------------------------------------------------------
    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = [dict(r) for r in rows]
        self.problems = {}
        self.endResetModel()

    def add_row(self, values: dict) -> int:
        at = len(self.rows)
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.append(dict(values))
        self.endInsertRows()
        self.sig_edited.emit(at, "")
        return at

    def remove_row(self, at: int) -> dict:
        self.beginRemoveRows(QModelIndex(), at, at)
        removed = self.rows.pop(at)
        self.endRemoveRows()
        self.sig_edited.emit(-1, "")
        return removed

    def set_field(self, at: int, field: str, value: Any, quiet: bool = False) -> None:
        """Change one value of a row (from a detail panel); the table shows it at once."""
        if self.rows[at].get(field) == value:
            return
        self.rows[at][field] = value
        column = self.column_of(field)
        if column is not None:
            cell = self.index(at, column)
            self.dataChanged.emit(cell, cell)
        if not quiet:
            self.sig_edited.emit(at, field)

    def column_of(self, field: str) -> int | None:
        return next((i for i, s in enumerate(self.specs) if s.name == field), None)

    def set_problems(self, problems: dict[tuple[int, str], tuple[str, str]]) -> None:
        self.problems = problems
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.specs) - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole])

    # -- the model ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.specs)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                spec = self.specs[section]
                unit = spec.unit(self.lang)
                return f"{spec.label(self.lang)}（{unit}）" if unit else spec.label(self.lang)
            return str(section + 1)
        return None

    def label_of(self, spec: FieldSpec, value: Any) -> str:
        if spec.kind == "code":
            return code_lists().label(spec.code_list, value, self.lang)
        if spec.kind == "ref":
            return dict(self.choices.get(spec.name, [])).get(value, "" if value is None else str(value))
        if spec.kind == "bool":
            return ""
        if spec.kind == "area" and value:
            return place_text(str(value))
        return shown(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        spec, row = self.specs[index.column()], self.rows[index.row()]
        value = row.get(spec.name)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.label_of(spec, value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.CheckStateRole and spec.kind == "bool":
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        problem = self.problems.get((index.row(), spec.name))
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return PROBLEM_COLOURS[problem[1]]
        if role == Qt.ItemDataRole.ToolTipRole and problem:
            return problem[0]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        spec = self.specs[index.column()]
        if spec.name in self.read_only:
            return base
        if spec.kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        spec = self.specs[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and spec.kind == "bool":
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        self.rows[index.row()][spec.name] = value
        self.dataChanged.emit(index, index)
        self.sig_edited.emit(index.row(), spec.name)
        return True


class RowsDelegate(QStyledItemDelegate):
    """A combo box for coded and linked columns, the place picker for a place of work, a line for the rest."""

    def __init__(self, model: RowsModel, parent: Any = None):
        super().__init__(parent)
        self.rows_model = model

    def _options(self, spec: FieldSpec) -> list[tuple[str, str]]:
        if spec.kind == "ref":
            return self.rows_model.choices.get(spec.name, [])
        return [(c.code, c.label(self.rows_model.lang)) for c in code_lists().codes(spec.code_list)]

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        spec = self.rows_model.specs[index.column()]
        if spec.kind in ("code", "ref"):
            combo = QComboBox(parent)
            combo.addItem("", None)
            for code, text in self._options(spec):
                combo.addItem(text, code)
            return combo
        if spec.kind == "area":
            return self._place_picker(parent)
        return QLineEdit(parent)

    def _place_picker(self, parent: QWidget) -> AreaCodeEdit:
        """The place picker in a cell: a place chosen from its list is taken at once, Enter takes what is
        typed and closes it (the keys reach the picker's line, not the editor the view watches)."""
        picker = AreaCodeEdit(parent, places_only=True)
        picker.completer.activated[str].connect(lambda _shown: self.commitData.emit(picker))

        def take_and_close() -> None:
            self.commitData.emit(picker)
            self.closeEditor.emit(picker)

        picker.place.returnPressed.connect(take_and_close)
        return picker

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            if value not in (None, "") and editor.findData(value) < 0:
                editor.addItem(str(value), value)  # a code this version does not know is kept, not erased
            editor.setCurrentIndex(editor.findData(value) if value not in (None, "") else 0)
        else:
            editor.setText(shown(value))

    def setModelData(self, editor: QWidget, model: QAbstractTableModel, index: Index) -> None:  # noqa: N802
        value = editor.currentData() if isinstance(editor, QComboBox) else editor.text()
        if shown(value) != shown(index.data(Qt.ItemDataRole.EditRole)):  # looking at a cell changes nothing
            model.setData(index, value, Qt.ItemDataRole.EditRole)
