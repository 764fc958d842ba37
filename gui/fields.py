"""Editors for the fields of a record, built from core's FieldSpec; each can show its problem.

An editor hands back what the worker typed (text, a code, a list of codes, True/False); core/
parses and checks it, so the form and the store agree on what is wrong.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QSizePolicy, QVBoxLayout, QWidget,
)

from core.codes import code_lists
from core.forms import FieldSpec
from core.validation.records import PLACE_CODE_LENGTH
from gui.area_picker import AreaCodeEdit
from gui.i18n import tr

LONG_LIST = 12  # a longer code list gets a combo box one can type into


def shown(value: Any) -> str:
    """A stored value as the text an editor shows."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def placeholder(spec: FieldSpec) -> str:
    return {"month": tr("年-月，如 2026-11"), "date": tr("年-月-日，如 2026-11-23"),
            "int": tr("整数"), "float": tr("数字")}.get(spec.kind, "")


class FieldEditor(QWidget):
    """One field: its input widget and, under it, the message of its problem (if any)."""

    sig_changed = Signal(str)  # the field name

    def __init__(self, spec: FieldSpec, lang: str, choices: list[tuple[str, str]] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.spec, self.lang = spec, lang
        self.setObjectName(f"field_{spec.name}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.input = self._make_input(choices)
        self.input.setObjectName(f"input_{spec.name}")
        self.setFocusProxy(self.input)
        self.message = QLabel(self)
        self.message.setObjectName("problem_message")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addLayout(self._input_row())
        layout.addWidget(self.message)
        # As tall as its input and message, no taller: a form's spare room stays below its fields.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    # -- building -----------------------------------------------------------------------------
    def _input_row(self) -> QHBoxLayout:
        """The input, as wide as its content needs (a number or a date does not stretch across
        the window), with its unit after it."""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        width = self._width_limit()
        if width:
            self.input.setMaximumWidth(width)
        row.addWidget(self.input, 1)
        unit = self.spec.unit(self.lang)
        if unit:
            self.unit_label = QLabel(unit, self)
            self.unit_label.setObjectName("unit")
            row.addWidget(self.unit_label)
        if width:
            row.addStretch(0)  # the input grows first, up to its width; only then the space after it
        return row

    def _width_limit(self) -> int | None:
        """The widest an input need be, or None for one that takes the whole width."""
        digit = self.fontMetrics().horizontalAdvance("0")
        kind = self.spec.kind
        if kind in ("int", "float", "month", "date"):
            return max(digit * 16, self.fontMetrics().horizontalAdvance(placeholder(self.spec)) + digit * 4)
        if kind == "bool":
            return None
        if kind in ("code", "ref"):
            return max(self.input.sizeHint().width() + digit * 2, digit * 18)
        if kind == "text":
            return digit * min(44, max(26, 2 * (self.spec.max_length or 22)))
        return None

    def _make_input(self, choices: list[tuple[str, str]] | None) -> QWidget:
        kind = self.spec.kind
        if kind == "area":
            picker = AreaCodeEdit(self, places_only=self.spec.max_length == PLACE_CODE_LENGTH)
            picker.textChanged.connect(self._changed)
            return picker
        if kind in ("code", "ref"):
            return self._combo(choices if kind == "ref" else self._code_choices())
        if kind == "codes":
            return self._checklist()
        if kind == "bool":
            box = QCheckBox(self)
            box.toggled.connect(self._changed)
            return box
        if kind == "longtext":
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            edit.textChanged.connect(self._changed)
            return edit
        line = QLineEdit(self)
        line.setPlaceholderText(placeholder(self.spec))
        if self.spec.max_length:
            line.setMaxLength(self.spec.max_length + 8)  # the store says how much too long, not a silent cut
        line.textChanged.connect(self._changed)
        return line

    def _code_choices(self) -> list[tuple[str, str]]:
        return [(c.code, c.label(self.lang)) for c in code_lists().codes(self.spec.code_list)]

    def _combo(self, choices: list[tuple[str, str]] | None) -> QComboBox:
        combo = QComboBox(self)
        self.set_choices(choices or [], combo)
        if len(choices or []) > LONG_LIST:
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
            combo.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.currentIndexChanged.connect(self._changed)
        return combo

    def set_choices(self, choices: list[tuple[str, str]], combo: QComboBox | None = None) -> None:
        combo = combo or self.input
        keep = self.value() if combo is getattr(self, "input", None) else None
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("", None)
        for code, text in choices:
            combo.addItem(text, code)
        combo.blockSignals(False)
        if keep is not None and combo.findData(keep) >= 0:  # a grid of another settlement is not kept
            self.set_value(keep)
        elif keep is not None:
            self._changed()

    def _checklist(self) -> QListWidget:
        box = QListWidget(self)
        for code, text in self._code_choices():
            item = QListWidgetItem(text, box)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        box.setFixedHeight(110)
        box.itemChanged.connect(self._changed)
        return box

    def _changed(self, *_args: object) -> None:
        self.sig_changed.emit(self.spec.name)

    # -- value ----------------------------------------------------------------------------------
    def value(self) -> Any:
        w = self.input
        if isinstance(w, QComboBox):
            if w.isEditable() and w.currentText() != w.itemText(w.currentIndex()):
                return w.currentText().strip() or None  # typed but not chosen: core reports it
            return w.currentData()
        if isinstance(w, QListWidget):
            return [w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())
                    if w.item(i).checkState() == Qt.CheckState.Checked]
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        return w.text()

    def set_value(self, value: Any) -> None:
        w = self.input
        if isinstance(w, QComboBox):
            index = w.findData(value) if value not in (None, "") else 0
            if index < 0:  # a code this list does not know (sent by a newer version): keep it visible
                w.addItem(str(value), value)
                index = w.count() - 1
            w.setCurrentIndex(index)
        elif isinstance(w, QListWidget):
            wanted = set(value or [])
            for i in range(w.count()):
                item = w.item(i)
                item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted
                                   else Qt.CheckState.Unchecked)
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(shown(value))
        else:
            w.setText(shown(value))

    def text_of(self, value: Any) -> str:
        """A value as this editor would show it, in words: a code's label, yes or no, a list joined."""
        w = self.input
        if isinstance(w, QComboBox):
            index = w.findData(value) if value not in (None, "") else -1
            return w.itemText(index) if index >= 0 else shown(value)
        if isinstance(w, QListWidget):
            labels = {w.item(i).data(Qt.ItemDataRole.UserRole): w.item(i).text() for i in range(w.count())}
            return tr("、").join(labels.get(v, str(v)) for v in (value or []))
        if isinstance(w, QCheckBox):
            return tr("是") if value else tr("否")
        return shown(value)

    # -- problems -------------------------------------------------------------------------------
    def mark(self, message: str | None, severity: str = "error") -> None:
        """Show what is wrong with this field (None clears it)."""
        state = "" if not message else severity
        if self.input.property("problem") != state:
            self.input.setProperty("problem", state)
            self.input.style().unpolish(self.input)
            self.input.style().polish(self.input)
        self.input.setToolTip(message or "")
        self.message.setText(message or "")
        self.message.setProperty("problem", state)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(message))

    @property
    def problem(self) -> str:
        return self.message.text() if self.message.isVisibleTo(self) else ""


PROBLEM_STYLE = """
*[problem="error"] { border: 1px solid #c62828; background: #fff3f3; }
*[problem="warning"] { border: 1px solid #ef8f00; background: #fff8e6; }
*[problem="synced"] { border: 1px solid #5b8fc7; background: #eef5fc; }
QLabel#problem_message[problem="error"] { color: #c62828; border: none; background: transparent; }
QLabel#problem_message[problem="warning"] { color: #a15c00; border: none; background: transparent; }
QLabel#problem_message[problem="synced"] { color: #2c5d91; border: none; background: transparent; }
"""


WIDE_KINDS = ("longtext", "codes", "area")  # fields given the whole width of a form


def field_grid(page: QWidget, rows: list[tuple[str, FieldEditor]], columns: int = 2) -> QGridLayout:
    """Fields in `columns` label/field pairs side by side, in reading order (left to right, then
    down); a long text, a checklist or a place takes a row of its own. The grid sits at the top
    of `page`, the spare room below it."""
    outer = QVBoxLayout(page)
    grid = QGridLayout()
    grid.setHorizontalSpacing(14)
    outer.addLayout(grid)
    outer.addStretch(1)
    row, column = 0, 0
    for text, editor in rows:
        wide = editor.spec.kind in WIDE_KINDS
        if wide and column:
            row, column = row + 1, 0
        label = QLabel(text, page)
        label.setBuddy(editor.input)
        label.setContentsMargins(0, 4, 0, 0)
        grid.addWidget(label, row, column * 2, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(editor, row, column * 2 + 1, 1, 2 * columns - 1 if wide else 1)
        column = 0 if wide or column == columns - 1 else column + 1
        row += 1 if column == 0 else 0
    for c in range(columns):
        grid.setColumnStretch(c * 2 + 1, 1)
    return grid


def add_grid_row(grid: QGridLayout, text: str, widget: QWidget) -> None:
    """One more labelled row under a field grid, across its width (a figure worked out from the fields)."""
    row = grid.rowCount()
    grid.addWidget(QLabel(text, widget.parentWidget()), row, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    grid.addWidget(widget, row, 1, 1, max(1, grid.columnCount() - 1))
