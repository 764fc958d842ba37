"""The members tab of the household form: a table of members, the selected member's details
beside it, and that member's job and training records under them."""
from __future__ import annotations

from datetime import date
import uuid
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QListWidgetItem, QMessageBox,
    QScrollArea,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from core import validation as v
from core.codes import code_lists
from core.forms import data_fields, field_spec
from gui.context import AppContext
from gui.fields import FieldEditor, shown
from gui.forms.base import new_button, records_box
from gui.i18n import tr
from gui.rows import RowsDelegate, RowsModel

TABLE_FIELDS = ["name", "relation", "id_number", "sex", "birth_date", "labour_skill", "status"]
KEEP = ("id", "server_seq")


def same_value(shown_value: Any, stored: Any) -> bool:
    """Whether an editor already shows `stored` (an editor gives text, the row may hold a date)."""
    return shown(shown_value) == shown(stored) or (shown_value in (None, "", False) and stored in (None, "", False))


def member_row(record: dict) -> dict:
    """A member as the form edits it: its fields, plus id and server_seq when it is saved."""
    return {k: record.get(k) for k in (*KEEP, *data_fields("member")) if k in record or k not in KEEP}


class MembersPanel(QWidget):
    """Members of one household. `sig_row_edited(row)` says a row changed; -1 when one was removed."""

    sig_row_edited = Signal(int)
    sig_row_removed = Signal(int)
    sig_open_record = Signal(str, str, object)  # entity, member id, record (None for a new one)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._loading = False
        self.model = RowsModel([field_spec("member", f) for f in TABLE_FIELDS], ctx.lang, parent=self)
        self.model.sig_edited.connect(self._row_edited)
        self.employments: list[dict] = []
        self.trainings: list[dict] = []
        self.removed_ids: list[str] = []  # members taken out since the last save: the save deletes them
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("members_splitter")
        splitter.addWidget(self._table_side())
        splitter.addWidget(self._detail_side())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._show_detail(-1)

    # -- building -------------------------------------------------------------------------------
    def _table_side(self) -> QWidget:
        side = QWidget(self)
        layout = QVBoxLayout(side)
        self.table = QTableView(side)
        self.table.setObjectName("members_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(RowsDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self._show_detail(current.row()))
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.dataChanged):
            signal.connect(self._fit_table)
        buttons = QHBoxLayout()
        self.add_button = new_button(tr("新增成员 (Ctrl+N)"), side, "add_member")
        self.remove_button = new_button(tr("移除成员"), side, "remove_member")
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_current)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        return side

    def _fit_table(self, *_args: object) -> None:
        """The table as wide as its columns, so they all show without a horizontal scrollbar; the
        member's details beside it get the rest of the width."""
        header = self.table.horizontalHeader()
        columns = sum(max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c))
                      for c in range(self.model.columnCount()))
        extra = self.table.verticalHeader().sizeHint().width() + self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(columns + extra + 2 * self.table.frameWidth() + 4)

    def _detail_side(self) -> QWidget:
        side = QWidget(self)
        layout = QVBoxLayout(side)
        self.detail_title = QLabel(side)
        self.detail_title.setObjectName("member_detail_title")
        layout.addWidget(self.detail_title)
        page = QWidget()
        form = QFormLayout(page)
        self.editors: dict[str, FieldEditor] = {}
        for name in data_fields("member"):
            spec = field_spec("member", name)
            editor = FieldEditor(spec, self.ctx.lang, None, page)
            editor.setObjectName(f"member_{name}")
            editor.sig_changed.connect(self._detail_edited)
            self.editors[name] = editor
            form.addRow(spec.label(self.ctx.lang) + (" *" if spec.required else ""), editor)
        scroll = QScrollArea(side)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        layout.addWidget(scroll, 3)
        layout.addWidget(self._records_box(side), 1)
        return side

    def _records_box(self, parent: QWidget) -> QWidget:
        box, self.record_lists = records_box(parent, [("employment", tr("就业记录")), ("training", tr("培训记录"))],
                                             self._open_record)
        return box

    # -- rows -----------------------------------------------------------------------------------
    def set_members(self, members: list[dict], employments: list[dict], trainings: list[dict]) -> None:
        """Show the members as stored; the member selected before stays selected (found by id,
        since the store lists them head first, then by age)."""
        current = self.current_row()
        selected = self.model.rows[current].get("id") if 0 <= current < len(self.model.rows) else None
        self.model.set_rows([member_row(m) for m in members])
        self.set_records(employments, trainings)
        ids = [r.get("id") for r in self.model.rows]
        if self.model.rows:
            self.select_row(ids.index(selected) if selected in ids else min(max(current, 0), len(ids) - 1))
        else:
            self._show_detail(-1)

    def set_records(self, employments: list[dict], trainings: list[dict]) -> None:
        self.employments, self.trainings = employments, trainings
        self._show_records(self.current_row())

    def rows(self) -> list[dict]:
        return [dict(r) for r in self.model.rows]

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int, column: int = 0) -> None:
        index = self.model.index(row, column)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show_detail(row)

    def add_member(self) -> int:
        defaults = {"id": str(uuid.uuid4()),  # made here, so saving twice never makes the member twice
                    "relation": None if self.model.rows else "head", "id_type": "resident_id", "status": "normal"}
        row = self.model.add_row(defaults)
        self.select_row(row)
        self.editors["name"].setFocus()
        return row

    def remove_current(self) -> None:
        row = self.current_row()
        if row < 0:
            return
        member = self.model.rows[row]
        if member.get("server_seq") is not None or any(r.get("member_id") == member.get("id")
                                                       for r in self.employments + self.trainings):
            answer = QMessageBox.question(
                self, tr("移除成员"),
                tr("移除“%1”？保存后，此人的就业、培训等记录也会一起删除。如果此人只是迁出或去世，"
                   "请不要移除，而是把“成员状态”改为“减少”。").replace("%1", member.get("name") or ""),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.model.remove_row(row)
        if member.get("id"):
            self.removed_ids.append(member["id"])
        self.sig_row_removed.emit(row)
        if self.model.rows:
            self.select_row(min(row, len(self.model.rows) - 1))
        else:
            self._show_detail(-1)

    def _row_edited(self, row: int, field: str) -> None:
        if self._loading:
            return
        if field == "id_number" and row >= 0:
            self._fill_from_id(row)
        if row == self.current_row() and field:
            # Only editors whose value changed are set again: re-setting the one being typed in
            # would move its cursor to the end and scramble a correction in the middle.
            self._show_detail(row, only_changed=True)
        self.sig_row_edited.emit(row)

    def _fill_from_id(self, row: int) -> None:
        """Typing a resident ID fills sex and birth date from it."""
        member = self.model.rows[row]
        if (member.get("id_type") or "resident_id") != "resident_id":
            return
        derived = v.derive_from_id(str(member.get("id_number") or "").strip().upper(), self.ctx.today())
        for field, value in derived.items():
            self.model.set_field(row, field, value, quiet=True)

    # -- detail ---------------------------------------------------------------------------------
    def _show_detail(self, row: int, only_changed: bool = False) -> None:
        enabled = 0 <= row < len(self.model.rows)
        self._loading = True
        try:
            for name, editor in self.editors.items():
                value = self.model.rows[row].get(name) if enabled else None
                editor.setEnabled(enabled)
                if not only_changed or not same_value(editor.value(), value):
                    editor.set_value(value)
        finally:
            self._loading = False
        self._mark_filled_from_id(row)
        name = self.model.rows[row].get("name") if enabled else ""
        self.detail_title.setText(tr("第 %1 位成员：%2").replace("%1", str(row + 1)).replace("%2", name or "")
                                  if enabled else tr("在左边选一位成员，或按 Ctrl+N 新增。"))
        self.remove_button.setEnabled(enabled)
        self._show_records(row)

    def _mark_filled_from_id(self, row: int) -> None:
        """Sex and birth date read from the member's ID number: Enter passes over them."""
        member = self.model.rows[row] if 0 <= row < len(self.model.rows) else {}
        derived = {}
        if (member.get("id_type") or "resident_id") == "resident_id":
            derived = v.derive_from_id(str(member.get("id_number") or "").strip().upper(), self.ctx.today())
        for field in ("sex", "birth_date"):
            filled = field in derived and same_value(self.editors[field].value(), derived[field])
            self.editors[field].input.setProperty("filled_by_itself", filled)

    def _detail_edited(self, field: str) -> None:
        row = self.current_row()
        if self._loading or row < 0:
            return
        self.model.set_field(row, field, self.editors[field].value())

    def mark(self, problems: dict[tuple[int, str], tuple[str, str]]) -> None:
        """Problems of the selected member on its detail editors (the table marks every row)."""
        row = self.current_row()
        for name, editor in self.editors.items():
            found = problems.get((row, name))
            editor.mark(found[0] if found else None, found[1] if found else "error")

    def focus_field(self, row: int, field: str) -> None:
        column = self.model.column_of(field)
        self.select_row(row, column or 0)
        if field in self.editors:
            self.editors[field].setFocus()

    # -- the member's jobs and training ---------------------------------------------------------
    def _show_records(self, row: int) -> None:
        member_id = self.model.rows[row].get("id") if 0 <= row < len(self.model.rows) else None
        for entity, records in (("employment", self.employments), ("training", self.trainings)):
            box = self.record_lists[entity]
            box.clear()
            for record in records:
                if member_id and record.get("member_id") == member_id:
                    item = QListWidgetItem(self._describe(entity, record), box)
                    item.setData(Qt.ItemDataRole.UserRole, record)

    def _describe(self, entity: str, r: dict) -> str:
        lists = code_lists()
        if entity == "employment":
            until = r.get("end_month") or tr("至今")
            return f"{r.get('start_month')}–{until} {lists.label('employment_channel', r.get('channel'), self.ctx.lang)} " \
                   f"{r.get('employer') or ''}"
        start: Any = r.get("start_date")
        shown_start = start.isoformat() if isinstance(start, date) else (start or "")
        return f"{shown_start} {r.get('programme') or ''} {lists.label('training_result', r.get('result'), self.ctx.lang)}"

    def add_record(self, entity: str) -> None:
        """A new job or training record for the member selected (what its add button does)."""
        self._open_record(entity, None)

    def _open_record(self, entity: str, record: dict | None) -> None:
        row = self.current_row()
        member_id = self.model.rows[row].get("id") if row >= 0 else None
        self.sig_open_record.emit(entity, member_id or "", record)
