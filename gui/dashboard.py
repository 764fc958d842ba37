"""首页: the dashboard. A card per indicator against its target, twelve months of zero employment and
visit coverage, and the figures of every settlement and grid; any figure a click away from exactly the
households behind it (the household list, narrowed by HouseholdFilter.behind).

Everything is read on the reader worker, never on the UI thread. A save or a pull that touches
households (the main window's sig_changed, core/changes.py) asks for the figures again after a short
pause, so a burst of saves is counted once; a page not on screen counts when it is next shown.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QScrollArea, QSplitter,
    QTableView, QVBoxLayout, QWidget,
)

from core.changes import Changes
from core.indicators import DEFAULT_RULES, CountyRules, Figure, IndicatorReport, Scope
from core.store.facts import PreparingStopped
from gui.context import AppContext
from gui.dashboard_parts import (
    BEHIND_ROLE, BreakdownModel, DistributionPanel, FigureCard, TrendChart, breakdown_rows, figure_text, month_label,
)
from gui.i18n import error_message, tr
from gui.ops import ImmediateWorker, Worker, logged

RECOMPUTE_PAUSE_MS = 300
CARD_COLUMNS = 5
FIGURE_COLUMN_WIDTH = 90  # a breakdown column: "120 / 240" and room to spare
PLACE_ENTITIES = ("settlement", "grid")  # their names are shown: a change to them is read again


@dataclass(frozen=True)
class DashboardData:
    """What the dashboard shows, read in one job on the reader worker."""

    scope: Scope
    report: IndicatorReport
    trend: dict[str, dict[str, Figure]]
    settlements: list[dict] = field(default_factory=list)
    grids: list[dict] = field(default_factory=list)
    rules: CountyRules = DEFAULT_RULES


def read_dashboard(store, today: date, scope: Scope,  # noqa: ANN001 - the Store
                   progress: Callable[[int, int], None] | None = None) -> DashboardData:
    """The reader worker's job: the figures of `scope`, its trend, and the names of places. The first
    of a month counts every household once (`progress(done, of)`)."""
    return DashboardData(scope, store.indicator_report(today, scope, progress), store.indicator_trend(today, scope),
                         store.settlements(), store.grids(), store.county_rules())


class DashboardPage(QWidget):
    """首页. sig_households asks the main window for the household list of a figure."""

    sig_households = Signal(str, object, str)  # behind key, Scope, what the list shows (words)
    sig_shown = Signal()  # new figures are on the screen
    sig_preparing = Signal(int, int)  # households counted for this month's figures, of how many (any thread)

    def __init__(self, ctx: AppContext, reader: Worker | ImmediateWorker, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.reader = ctx, reader
        self.setObjectName("dashboard")
        self.scope = Scope()
        self.data: DashboardData | None = None
        self.cards: dict[str, FigureCard] = {}
        self._asked = 0          # the latest computation asked for; older answers are not shown
        self._stale = True       # to be counted when next shown
        self.stopping = False    # the window is closing: no more counting
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(RECOMPUTE_PAUSE_MS)
        self.timer.timeout.connect(self._recompute_if_shown)
        self.sig_preparing.connect(self._show_preparing)  # emitted on the reader worker: queued to this thread
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.addLayout(self._top_bar(body))
        self.card_grid = QGridLayout()
        layout.addLayout(self.card_grid)
        self.distributions = DistributionPanel(body)
        self.distributions.sig_households.connect(self._card_chosen)
        layout.addWidget(self.distributions)
        layout.addWidget(self._chart_and_table(body), 1)

    # -- building -------------------------------------------------------------------------------
    def _top_bar(self, parent: QWidget) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.heading = QLabel(parent)
        self.heading.setObjectName("dashboard_heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        bar.addWidget(self.heading)
        bar.addStretch(1)
        self.status = QLabel(parent)
        self.status.setObjectName("dashboard_status")
        self.status.setWordWrap(True)
        bar.addWidget(self.status, 2)
        scope_label = QLabel(tr("范围："), parent)
        bar.addWidget(scope_label)
        self.scope_box = QComboBox(parent)
        self.scope_box.setObjectName("dashboard_scope")
        self.scope_box.setMinimumContentsLength(12)
        self.scope_box.addItem(tr("全部"), Scope())
        scope_label.setBuddy(self.scope_box)
        self.scope_box.currentIndexChanged.connect(self._scope_chosen)
        bar.addWidget(self.scope_box)
        return bar

    def _chart_and_table(self, parent: QWidget) -> QSplitter:
        split = QSplitter(Qt.Orientation.Horizontal, parent)
        split.setObjectName("dashboard_split")
        self.chart = TrendChart(split)
        self.breakdown = BreakdownModel(self)
        view = QTableView(split)
        view.setObjectName("dashboard_breakdown")
        view.setModel(self.breakdown)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setMaximumSectionSize(FIGURE_COLUMN_WIDTH * 2)
        view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)  # a header's start says what it is
        view.setMinimumHeight(320)
        view.clicked.connect(self._cell_chosen)
        view.activated.connect(self._cell_chosen)  # Enter on a cell
        self.breakdown_view = view
        split.setSizes([1000, 1000])  # halves, until the worker drags the handle
        return split

    def _size_columns(self) -> None:
        """The place names as wide as they are, each figure's column as wide as its "n / d" (its
        header cut short, whole in its tooltip)."""
        view = self.breakdown_view
        view.resizeColumnsToContents()
        metrics = view.fontMetrics()
        for column in range(2, self.breakdown.columnCount()):
            widest = max([metrics.horizontalAdvance(str(self.breakdown.index(r, column).data()))
                          for r in range(self.breakdown.rowCount())] or [0])
            view.setColumnWidth(column, max(FIGURE_COLUMN_WIDTH, widest + 24))

    # -- computing ------------------------------------------------------------------------------
    def changed(self, changes: Changes) -> None:
        """A save or a pull: count again (after a short pause) when it touched households or places."""
        if changes.touches_households() or changes.touches(*PLACE_ENTITIES):
            self._stale = True
            self.timer.start()

    def refresh(self) -> None:
        """Count again: now when on screen, else when next shown."""
        self._stale = True
        self._recompute_if_shown()

    def _recompute_if_shown(self) -> None:
        if self.isVisible():
            self.recompute()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - counted when first shown, and when stale
        super().showEvent(event)
        if self._stale:
            self.recompute()

    def recompute(self) -> None:
        """Ask the reader worker for the figures of the chosen scope; the screen says it is counting."""
        self.timer.stop()
        self._stale = False
        self._asked += 1
        asked, store, today, scope = self._asked, self.ctx.store, self.ctx.today(), self.scope
        self.status.setStyleSheet("")
        self.status.setText(tr("正在统计…"))
        failed = logged("computing the dashboard")

        def on_failure(error: BaseException) -> None:
            if isinstance(error, PreparingStopped):
                return  # the window closed: nothing to say
            failed(error)
            if shiboken6.isValid(self) and asked == self._asked:
                self.status.setStyleSheet("color: #b3261e;")
                self.status.setText(tr("统计失败：%1").replace("%1", error_message(error, self.ctx.lang)))
        on_failure.logs_the_failure = True  # type: ignore[attr-defined]
        preparing, page = self.sig_preparing, self

        def progress(done: int, of: int) -> None:  # on the reader worker, between chunks
            if page.stopping:
                raise PreparingStopped
            preparing.emit(done, of)
        self.reader.submit(lambda: read_dashboard(store, today, scope, progress),
                           lambda data: self._arrived(asked, data), on_failure)

    def stop(self) -> None:
        """The window is closing: a month's preparing stops after its current chunk (kept for next time)."""
        self.stopping = True
        self.timer.stop()

    def _show_preparing(self, done: int, of: int) -> None:
        """The first figures of a month count every household once: how far that has come."""
        if shiboken6.isValid(self) and done < of:
            self.status.setText(tr("正在准备本月的统计：已算 %1 / %2 户…").replace("%1", str(done)).replace("%2", str(of)))

    def _arrived(self, asked: int, data: DashboardData) -> None:
        if not shiboken6.isValid(self) or asked != self._asked:
            return  # the window closed meanwhile, or a newer count is on its way (another scope, a later save)
        self.data = data
        if not self._fill_scopes(data.settlements, data.grids):
            return  # the chosen place is gone: everywhere is being counted
        self.status.setText("")
        self.heading.setText(tr("%1的情况").replace("%1", month_label(data.report.month, True)))
        self._show_cards(data)
        self.distributions.show_distributions(data.report.total.distributions, self.ctx.lang)
        self.chart.show_trend(data.trend)
        self.breakdown.set_rows(breakdown_rows(data.report.by_settlement, data.report.by_grid, data.settlements,
                                               data.grids, self.place_name), self._breakdown_names(data))
        self._size_columns()
        self.sig_shown.emit()

    # -- showing --------------------------------------------------------------------------------
    def _show_cards(self, data: DashboardData) -> None:
        figures = data.report.total.figures()
        if list(self.cards) != list(figures):  # figures core added or left out: the cards anew
            for card in self.cards.values():
                self.card_grid.removeWidget(card)
                card.deleteLater()
            self.cards = {}
            for i, name in enumerate(figures):
                card = FigureCard(name, self)
                card.sig_households.connect(self._card_chosen)
                self.card_grid.addWidget(card, i // CARD_COLUMNS, i % CARD_COLUMNS)
                self.cards[name] = card
        for name, figure in figures.items():
            self.cards[name].show_figure(figure)

    @staticmethod
    def _breakdown_names(data: DashboardData) -> list[str]:
        return [name for name in data.report.total.figures() if figure_text(name).main]

    def _fill_scopes(self, settlements: list[dict], grids: list[dict]) -> bool:
        """全部, each settlement, each grid under its settlement; the chosen one stays chosen (False when
        it is gone, and everywhere is counted instead)."""
        wanted = [(tr("全部"), Scope())]
        for s in settlements:
            wanted.append((s["name"], Scope(s["id"])))
            wanted += [("　" + g["name"], Scope(s["id"], g["id"])) for g in grids if g.get("settlement_id") == s["id"]]
        shown = [(self.scope_box.itemText(i), self.scope_box.itemData(i)) for i in range(self.scope_box.count())]
        if shown == wanted:
            return True
        self.scope_box.blockSignals(True)
        self.scope_box.clear()
        for text, scope in wanted:
            self.scope_box.addItem(text, scope)
        index = next((i for i, (_t, scope) in enumerate(wanted) if scope == self.scope), 0)
        self.scope_box.setCurrentIndex(index)
        self.scope_box.blockSignals(False)
        if wanted[index][1] != self.scope:  # the chosen place is gone: everywhere again
            self.scope = Scope()
            self.recompute()
            return False
        return True

    def place_name(self, settlement_id: str | None, grid_id: str | None) -> str:
        """A settlement's or grid's name, from the places read with the figures."""
        data = self.data
        if grid_id is not None or settlement_id is None:
            if grid_id is None:
                return tr("未分安置点") if settlement_id is None else tr("未分网格")
            found = next((g["name"] for g in (data.grids if data else []) if g["id"] == grid_id), None)
        else:
            found = next((s["name"] for s in (data.settlements if data else []) if s["id"] == settlement_id), None)
        return found or tr("（已删除的地点）")

    def scope_name(self, scope: Scope) -> str:
        if scope.grid_id:
            return self.place_name(scope.settlement_id, scope.grid_id)
        if scope.settlement_id:
            return self.place_name(scope.settlement_id, None)
        return ""

    # -- choosing -------------------------------------------------------------------------------
    def choose_scope(self, scope: Scope) -> None:
        """Show the figures of everywhere, a settlement or a grid (as the scope picker does)."""
        index = next((i for i in range(self.scope_box.count()) if self.scope_box.itemData(i) == scope), -1)
        if index < 0:
            raise ValueError("no such place in the scope picker")
        self.scope_box.setCurrentIndex(index)

    def _scope_chosen(self, index: int) -> None:
        scope = self.scope_box.itemData(index)
        if isinstance(scope, Scope) and scope != self.scope:
            self.scope = scope
            self.recompute()

    def _card_chosen(self, key: str, shows: str) -> None:
        shown = self.data.scope if self.data else self.scope
        self._ask_households(key, shown, self.scope_name(shown), shows)

    def _cell_chosen(self, index) -> None:  # noqa: ANN001 - a QModelIndex
        behind = index.data(BEHIND_ROLE)
        found = self.breakdown.figure_at(index)
        if not behind or not found:
            return
        key, scope, place = behind
        text = figure_text(found[0])
        self._ask_households(key, scope, place, tr(text.numerator_shows or text.name))

    def _ask_households(self, key: str, scope: Scope, place: str, shows: str) -> None:
        words = tr("%1（%2）").replace("%1", shows).replace("%2", place) if place else shows
        self.sig_households.emit(key, scope, words)

    @property
    def rules(self) -> CountyRules:
        """The county's rules the shown figures were counted by (the household list counts by them too)."""
        return self.data.rules if self.data else DEFAULT_RULES
