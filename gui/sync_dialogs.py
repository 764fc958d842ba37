"""The windows of sync: what the server refused and why, and (for village clerks) the conflicts
the server could not merge, with their settling (docs/protocol.md, "Conflicts"). Both are non-modal."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton,
    QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from core.codes import code_lists
from core.models.conflict import DELETE_MET_EDIT, EDIT_MET_DELETE, ROW_FIELD
from core.validation.fields import ENTITY_LABELS, code_list_of, label
from gui.forms.refused import field_label
from gui.i18n import bilingual, tr, tr_noop
from gui.ops import logged

Index = QModelIndex | QPersistentModelIndex
CONFLICT_KINDS = {"field": tr_noop("同一字段改成了不同的值"), DELETE_MET_EDIT: tr_noop("本机删除时别人改过"),
                  EDIT_MET_DELETE: tr_noop("修改的记录已被别人删除")}


def entity_name(entity: str, lang: str) -> str:
    zh, en = ENTITY_LABELS.get(entity, (entity, entity))
    return en if lang == "en" else zh


def _table(parent: QWidget, view: QAbstractItemView) -> QAbstractItemView:
    view.setParent(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view


class RejectionsDialog(QDialog):
    """The changes the server refused and the worker has not yet sent again or given up, each with
    its reason and fields; 打开记录 opens the record's form, where it is corrected or given up."""

    COLUMNS = (tr_noop("记录"), tr_noop("编号"), tr_noop("原因"), tr_noop("涉及的项"))

    def __init__(self, rejections: list[dict], lang: str, parent: QWidget | None = None,
                 open_record: Callable[[dict], None] | None = None):
        super().__init__(parent)
        self.setObjectName("rejections_dialog")
        self.setWindowTitle(tr("被服务器拒绝的修改"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.rejections, self.open_record = rejections, open_record
        layout = QVBoxLayout(self)
        note = QLabel(tr("县服务器没有接受下面这些修改，原因写在每一行。打开记录，按原因改正后保存，"
                         "下次同步时会再上传；也可以在记录里放弃这些修改。"), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = _table(self, QTableWidget(len(rejections), len(self.COLUMNS)))
        self.table.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        for row, r in enumerate(rejections):
            fields = tr("、").join(field_label(r.get("entity", ""), f, lang) for f in r.get("fields") or {})
            cells = (entity_name(r.get("entity", ""), lang), str(r.get("row_id", ""))[:8],
                     bilingual(r.get("reason"), lang), fields)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.table.cellDoubleClicked.connect(lambda row, _column: self.open_row(row))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = buttons.addButton(tr("打开记录"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setObjectName("open_refused_record")
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentRow()))
        self.open_button.setEnabled(open_record is not None and bool(rejections))
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(860, 360)

    def reasons(self) -> list[str]:
        return [self.table.item(row, 2).text() for row in range(self.table.rowCount())]

    def open_row(self, row: int) -> None:
        if self.open_record is None or not 0 <= row < len(self.rejections):
            return
        self.open_record(self.rejections[row])


def shown_value(entity: str, field: str, raw: str | None, lang: str) -> str:
    """A conflict's value as a person reads it: a code's label, '(empty)', or a record's fields."""
    try:
        value = json.loads(raw) if raw is not None else None
    except ValueError:
        value = raw
    if value is None or value == "":
        return tr("（空）")
    if isinstance(value, dict):  # a whole record: its fields
        i, between, colon = (1, "; ", ": ") if lang == "en" else (0, "；", "：")
        return between.join(f"{label(entity, k)[i]}{colon}{v}" for k, v in value.items()
                            if v not in (None, "") and k != "id")
    codes = code_list_of(entity, field)
    if codes and isinstance(value, str):
        return code_lists().label(codes, value, lang) or value
    return str(value)


class ConflictsModel(QAbstractTableModel):
    """The open conflicts: which record and field, both values, both authors."""

    COLUMNS = (tr_noop("记录"), tr_noop("字段"), tr_noop("服务器上的值"), tr_noop("服务器一方"),
               tr_noop("另一方的值"), tr_noop("另一方"), tr_noop("情况"))

    def __init__(self, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.lang = lang
        self.rows: list[dict] = []

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's names
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return self.cells(self.rows[index.row()])[index.column()]

    def cells(self, c: dict) -> tuple[str, ...]:
        entity, field, lang = c.get("entity", ""), c.get("field", ""), self.lang
        field_name = tr("整条记录") if field == ROW_FIELD else label(entity, field)[1 if lang == "en" else 0]
        kind = CONFLICT_KINDS.get(c.get("kind", ""))
        return (entity_name(entity, lang), field_name, shown_value(entity, field, c.get("server_value"), lang),
                c.get("server_author") or "", shown_value(entity, field, c.get("client_value"), lang),
                c.get("client_author") or "", tr(kind) if kind else c.get("kind", ""))


class ConflictsDialog(QDialog):
    """A clerk's review queue: keep the server's value, take the other one, or type the right one."""

    def __init__(self, controller: Any, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("conflicts_dialog")
        self.setWindowTitle(tr("同步冲突审核"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.model = ConflictsModel(controller.ctx.lang, self)
        self.view = _table(self, QTableView())
        self.view.setObjectName("conflict_table")
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.view, 1)
        layout.addLayout(self._buttons())
        controller.sig_synced.connect(self.reload)
        self.resize(980, 420)
        self.reload()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.keep_server = QPushButton(tr("保留服务器的值"), self)
        self.take_client = QPushButton(tr("改用另一方的值"), self)
        self.type_value = QPushButton(tr("填写正确的值…"), self)
        self.keep_server.clicked.connect(lambda: self.resolve("server"))
        self.take_client.clicked.connect(lambda: self.resolve("client"))
        self.type_value.clicked.connect(self.ask_value)
        refresh, close = QPushButton(tr("刷新"), self), QPushButton(tr("关闭"), self)
        refresh.clicked.connect(self.reload)
        close.clicked.connect(self.close)
        for button in (self.keep_server, self.take_client, self.type_value):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(refresh)
        row.addWidget(close)
        self._selection_changed()
        return row

    def reload(self, *_args: object) -> None:
        store = self.controller.store
        self.controller.window.reader.submit(lambda: store.conflicts(open_only=True), self._show,
                                             logged("reading conflicts"))

    def _show(self, rows: list[dict]) -> None:
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.note.setText(tr("有 %n 条同步冲突等待处理。选择保留哪一方的值；处理结果会在下次同步时发给所有相关的电脑。",
                             None, len(rows)) if rows else tr("没有等待处理的同步冲突。"))
        self._selection_changed()

    def selected(self) -> dict | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows else None

    def _selection_changed(self, *_args: object) -> None:
        conflict = self.selected()
        for button in (self.keep_server, self.take_client):
            button.setEnabled(conflict is not None)
        self.type_value.setEnabled(conflict is not None and conflict.get("kind") == "field")

    def ask_value(self) -> None:
        conflict = self.selected()
        if conflict is None:
            return
        text, ok = QInputDialog.getText(self, tr("填写正确的值"), tr("“%1”的正确值：").replace(
            "%1", self.model.cells(conflict)[1]))
        if ok:
            self.resolve("value", text)

    def resolve(self, choice: str, value: Any = None) -> None:
        conflict = self.selected()
        if conflict is None:
            return
        for button in (self.keep_server, self.take_client, self.type_value):
            button.setEnabled(False)
        self.controller.resolve(conflict["id"], choice, value, self.reload)
