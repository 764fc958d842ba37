"""The pages of the main window: the household list with search and filters, and the lists of
people, jobs, training, grievances and visits."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QTableView,
    QToolButton, QVBoxLayout, QWidget,
)

from core.changes import Changes
from core.codes import code_lists
from core.indicators import DEFAULT_RULES, CountyRules, Scope
from core.store import RECORD_LISTS, HouseholdFilter
from gui.context import AppContext
from gui.forms.base import ADD_TEXTS, new_button
from gui.i18n import tr
from gui.record_filters import RecordFilterBar
from gui.table_models import HOUSEHOLD_COLUMNS, ID_ROLE, HouseholdTableModel, RecordTableModel


def _table(parent: QWidget, name: str, model) -> QTableView:  # noqa: ANN001 - a lazy table model
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    # A new search or filter starts at the top; left scrolled down, the view would at once ask
    # the lazy model for a second page it does not need.
    view.setModel(model)
    model.modelReset.connect(view.scrollToTop)
    return view


SEARCH_PAUSE_MS = 250  # search-as-you-type waits for this pause in typing; Enter searches at once


class PausedSearch(QTimer):
    """Runs `search(text)` once typing in `box` pauses, or at once on `now()` (Enter)."""

    def __init__(self, box: QLineEdit, search: Callable[[str], None]):
        super().__init__(box)
        self.box, self.search = box, search
        self.setSingleShot(True)
        self.setInterval(SEARCH_PAUSE_MS)
        self.timeout.connect(self._run)
        box.textChanged.connect(lambda _text: self.start())

    def _run(self) -> None:
        self.search(self.box.text())

    def now(self) -> None:
        """Typing not yet searched is searched now."""
        if self.isActive():
            self.stop()
            self._run()


# What the household list shows of each household: a change to these reloads it whatever its filters.
HOUSEHOLD_LIST_ENTITIES = ("household", "member", "settlement", "grid")


# A typical value of each column of the household list, to size the column by.
COLUMN_SAMPLES = {"household_no": "522601001001-0000000", "head_name": "阿依古丽·买买", "head_id_masked": "522601********000X",
                  "phone_masked": "138****0000", "settlement": "福泉社区安置点", "grid": "福泉社区第1网格",
                  "address": "12栋3单元1104", "member_count": "10", "monitoring_category": "突发严重困难户",
                  "updated_at": "2026-11-23 10:00"}


class HouseholdPage(QWidget):
    """户: search as you type by name, ID number, phone, household number or building/room."""

    sig_open = Signal(str)          # household id
    sig_new = Signal()              # a new household
    sig_count_wanted = Signal(object)  # the filter whose count the status line should show

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = HouseholdTableModel(self._fetch, ctx.lang, self)
        self.behind: tuple[str, Scope, CountyRules] | None = None  # a dashboard figure's households only
        layout = QVBoxLayout(self)
        layout.addLayout(self._search_bar())
        layout.addLayout(self._filter_bar())
        layout.addWidget(self._behind_note())
        self.view = _table(self, "household_table", self.model)
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setSectionsClickable(True)
        self.view.horizontalHeader().sectionClicked.connect(self._sort_by)
        self.view.activated.connect(self._activated)
        layout.addWidget(self.view, 1)
        self._size_columns()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("household_count")
        layout.addWidget(self.count_label)
        self.model.sig_reset.connect(self._count_wanted)

    def _size_columns(self) -> None:
        """Widths that fit typical values, from the font alone (measuring the rows themselves would
        cost tens of milliseconds at every start)."""
        metrics, header = self.view.fontMetrics(), self.view.horizontalHeader()
        for column, (attribute, _title, _key) in enumerate(HOUSEHOLD_COLUMNS):
            sample = COLUMN_SAMPLES.get(attribute, "")
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(sample), header.fontMetrics().horizontalAdvance(title) + 16)
            self.view.setColumnWidth(column, width + 16)

    def _fetch(self, f: HouseholdFilter, sort: str, descending: bool, offset: int, limit: int) -> list:
        return self.ctx.store.list_households(replace(f, today=self.ctx.today()), sort, descending, offset, limit,
                                             self.ctx.lang)

    def _search_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("household_search")
        self.search.setPlaceholderText(tr("搜索：姓名、身份证号、电话、户编号或楼栋房号（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.paused_search = PausedSearch(self.search, self.model.set_text)
        self.search.returnPressed.connect(self._open_first)
        bar.addWidget(self.search, 1)
        self.add_button = new_button(tr("新建户"), self, "add_household")
        self.add_button.clicked.connect(self.sig_new)
        bar.addWidget(self.add_button)
        return bar

    def _filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.settlement = QComboBox(self)
        self.settlement.setObjectName("filter_settlement")
        self.grid = QComboBox(self)
        self.grid.setObjectName("filter_grid")
        self.category = QComboBox(self)
        self.category.setObjectName("filter_category")
        self.category.addItem(tr("全部监测类别"), None)
        for c in code_lists().codes("monitoring_category"):
            self.category.addItem(c.label(self.ctx.lang), c.code)
        self.zero = QCheckBox(tr("零就业"), self)
        self.zero.setObjectName("filter_zero_employment")
        self.overdue = QCheckBox(tr("有超期诉求"), self)
        self.overdue.setObjectName("filter_overdue")
        self.unvisited = QCheckBox(tr("本月未走访"), self)
        self.unvisited.setObjectName("filter_unvisited")
        for combo in (self.settlement, self.grid, self.category):
            combo.currentIndexChanged.connect(self._filters_changed)
            bar.addWidget(combo)
        for box in (self.zero, self.overdue, self.unvisited):
            box.toggled.connect(self._filters_changed)
            bar.addWidget(box)
        bar.addStretch(1)
        return bar

    def set_places(self, settlements: list[dict], grids: list[dict]) -> None:
        """The settlements and grids to choose from (again after a pull brought new ones); the chosen
        ones stay chosen."""
        self._grids = grids
        chosen = self.settlement.currentData()
        self.settlement.blockSignals(True)
        self.settlement.clear()
        self.settlement.addItem(tr("全部安置点"), None)
        for s in settlements:
            self.settlement.addItem(s["name"], s["id"])
        self.settlement.setCurrentIndex(max(self.settlement.findData(chosen), 0))
        self.settlement.blockSignals(False)
        self._fill_grids(keep=True)

    def _fill_grids(self, keep: bool = False) -> None:
        settlement, chosen = self.settlement.currentData(), self.grid.currentData() if keep else None
        self.grid.blockSignals(True)
        self.grid.clear()
        self.grid.addItem(tr("全部网格"), None)
        for g in getattr(self, "_grids", []):
            if not settlement or g.get("settlement_id") == settlement:
                self.grid.addItem(g["name"], g["id"])
        self.grid.setCurrentIndex(max(self.grid.findData(chosen), 0) if chosen else 0)
        self.grid.blockSignals(False)

    def _filters_changed(self, *_args: object) -> None:
        if self.sender() is self.settlement:
            self._fill_grids()
        key, scope, rules = self.behind or (None, None, DEFAULT_RULES)
        self.paused_search.stop()  # the words typed so far are part of this filter
        self.model.set_filter(HouseholdFilter(
            text=self.search.text(), settlement_id=self.settlement.currentData(), grid_id=self.grid.currentData(),
            monitoring_category=self.category.currentData(),
            zero_employment=True if self.zero.isChecked() else None,
            overdue_grievance=True if self.overdue.isChecked() else None,
            not_visited_this_month=True if self.unvisited.isChecked() else None,
            behind=key, scope=scope, rules=rules))

    # -- a dashboard figure's households ----------------------------------------------------------
    def _behind_note(self) -> QFrame:
        """「正在查看：零就业家庭（一网格）×」 above the list while it shows a figure's households."""
        note = QFrame(self)
        note.setObjectName("behind_note")
        note.setStyleSheet("QFrame#behind_note { background: #e8f0fe; border: 1px solid #a8c7fa; border-radius: 3px; }")
        row = QHBoxLayout(note)
        row.setContentsMargins(8, 2, 2, 2)
        self.behind_text = QLabel(note)
        self.behind_text.setObjectName("behind_text")
        self.behind_text.setWordWrap(True)
        row.addWidget(self.behind_text, 1)
        clear = QToolButton(note)
        clear.setObjectName("behind_clear")
        clear.setText("×")
        clear.setToolTip(tr("显示全部户"))
        clear.setAccessibleName(tr("显示全部户"))
        clear.setAutoRaise(True)
        clear.clicked.connect(self.clear_behind)
        row.addWidget(clear)
        note.hide()
        self.behind_note = note
        return note

    def show_behind(self, key: str, scope: Scope, rules: CountyRules, words: str) -> None:
        """Exactly the households behind figure `key` of `scope` (HouseholdFilter.behind): the search
        and the other filters are cleared, and the note above the list says what it shows."""
        self.paused_search.stop()
        for widget in (self.search, self.settlement, self.grid, self.category, self.zero, self.overdue, self.unvisited):
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.settlement, self.category):
            combo.setCurrentIndex(0)
        self._fill_grids()
        for box in (self.zero, self.overdue, self.unvisited):
            box.setChecked(False)
        for widget in (self.search, self.settlement, self.grid, self.category, self.zero, self.overdue, self.unvisited):
            widget.blockSignals(False)
        self.behind = (key, scope, rules)
        self.behind_text.setText(tr("正在查看：%1").replace("%1", words))
        self.behind_note.show()
        self._filters_changed()

    def clear_behind(self) -> None:
        """The note's ×: every household again (with the search and filters as they are)."""
        self.behind = None
        self.behind_note.hide()
        self._filters_changed()

    def shows(self, changes: Changes) -> bool:
        """Whether `changes` can alter what the list shows: households, members and places always; other
        records only while a filter reads them (zero employment, overdue, not visited, a figure)."""
        if changes.touches(*HOUSEHOLD_LIST_ENTITIES):
            return True
        f = self.model.filter
        reads_records = any(x is not None for x in (f.zero_employment, f.overdue_grievance, f.not_visited_this_month))
        return (reads_records or bool(f.behind)) and changes.touches_households()

    def _count_wanted(self) -> None:
        """The list changed: no number until its own count arrives (the last one would be wrong)."""
        self.count_label.setText(tr("正在统计…"))
        self.sig_count_wanted.emit(self.model.filter)

    def show_count(self, count: int, counted: HouseholdFilter | None = None) -> None:
        """The count of `counted`; one that arrives for a search or filter since changed is not shown."""
        if counted is not None and counted != self.model.filter:
            return
        self.count_label.setText(tr("共 %n 户", None, count))

    def _sort_by(self, column: int) -> None:
        if not self.model.sortable(column):
            return
        header = self.view.horizontalHeader()
        same = header.sortIndicatorSection() == column and header.isSortIndicatorShown()
        order = Qt.SortOrder.DescendingOrder if same and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder \
            else Qt.SortOrder.AscendingOrder
        header.setSortIndicatorShown(True)
        header.setSortIndicator(column, order)
        self.model.sort(column, order)

    def _activated(self, index) -> None:  # noqa: ANN001 - a QModelIndex
        if index.isValid():
            self.sig_open.emit(index.data(ID_ROLE))

    def _open_first(self) -> None:
        self.paused_search.now()  # Enter searches what was typed at once
        if self.model.rowCount() == 1:
            self.sig_open.emit(self.model.rows[0].id)
        elif self.model.rowCount():
            self.view.setFocus()
            self.view.selectRow(0)

    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1


# The column that takes a list's spare width.
STRETCHED = {"member": "name", "employment": "employer", "training": "programme", "grievance": "kind",
             "visit": "visitor"}


class RecordPage(QWidget):
    """人员, 就业, 培训, 诉求 or 走访: newest first, narrowed by a word and the list's filters."""

    sig_open = Signal(str, dict)  # kind, the row (ids of the record, its household and member)
    sig_add = Signal(str)         # kind: a new record, for a household still to be chosen
    _sized = False

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        spec = RECORD_LISTS[kind]
        self.model = RecordTableModel(self._fetch, spec.columns, ctx.lang, self)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName(f"{kind}_search")
        self.search.setPlaceholderText(tr("搜索：户编号、姓名或记录中的文字"))
        self.search.setClearButtonEnabled(True)
        self.paused_search = PausedSearch(self.search, self.model.set_text)
        self.search.returnPressed.connect(self.paused_search.now)
        bar.addWidget(self.search, 1)
        self.add_button = new_button(tr(ADD_TEXTS[kind]) + "…", self, f"add_{kind}_record")  # … a household to choose first
        self.add_button.clicked.connect(lambda: self.sig_add.emit(self.kind))
        bar.addWidget(self.add_button)
        layout.addLayout(bar)
        self.filters = RecordFilterBar(ctx, kind, self)
        self.filters.sig_changed.connect(self.model.reload)
        layout.addWidget(self.filters)
        self.view = _table(self, f"{kind}_table", self.model)
        self.view.activated.connect(self._activated)
        self.model.modelReset.connect(self._size_columns)
        layout.addWidget(self.view, 1)

    def _fetch(self, text: str, offset: int, limit: int) -> list[dict]:
        return self.ctx.store.list_records(self.kind, text, offset, limit, self.ctx.today(), self.ctx.lang,
                                           self.filters.values())

    def _size_columns(self) -> None:
        """Once, on the first rows: each column as wide as its title and values; the record's own
        text (programme, employer…) takes the room left over."""
        if self._sized or not self.model.rows:
            return
        self._sized = True
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(header.sectionSize(column), header.fontMetrics().horizontalAdvance(title) + 24)
            self.view.setColumnWidth(column, width + 12)
        fields = [c[0] for c in RECORD_LISTS[self.kind].columns]
        if STRETCHED.get(self.kind) in fields:
            header.setSectionResizeMode(fields.index(STRETCHED[self.kind]), QHeaderView.ResizeMode.Stretch)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - read only when first shown
        self.model.ensure_loaded()
        super().showEvent(event)

    def _activated(self, index) -> None:  # noqa: ANN001
        if index.isValid():
            self.sig_open.emit(self.kind, index.data(ID_ROLE))

    def shows(self, changes: Changes) -> bool:
        """Whether `changes` can alter this list: records of its kind, or the households and members
        of the records it shows (their numbers and names)."""
        if changes.touches(self.kind):
            return True
        shown = {r.get("household_id") for r in self.model.rows}
        return changes.touches("household", "member") and changes.touches_households(shown)
