"""The pieces of the dashboard (gui/dashboard.py): what each figure is called, a card per figure, the
twelve-month trend chart and the breakdown by settlement and grid.

Cards are made from whatever figures core computes (`Indicators.figures()`), named by FIGURE_TEXTS;
a figure core adds later gets a card under its own name until it is given words here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QAbstractTableModel, QDate, QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.codes import code_lists
from core.indicators import INDICATOR_KEYS, Figure, Indicators, Scope
from gui.i18n import tr, tr_noop

Index = QModelIndex | QPersistentModelIndex
MET_COLOUR, UNMET_COLOUR = "#1b7a3a", "#b3261e"
BEHIND_ROLE = Qt.ItemDataRole.UserRole  # a breakdown cell's (figure key, scope)


@dataclass(frozen=True)
class FigureText:
    """A figure's words: its name, what its denominator counts, and the households behind each part
    (a key of core.indicators.INDICATOR_KEYS, with the words the household list says it shows)."""

    name: str
    base: str = ""
    numerator_key: str | None = None
    numerator_shows: str = ""      # words for the numerator's households when not the name itself
    denominator_key: str | None = None
    denominator_shows: str = ""    # words for the denominator's households when not `base`
    rest_key: str | None = None    # the households of the denominator not in the numerator
    rest_shows: str = ""
    main: bool = False             # a column of the breakdown by settlement and grid


# By figure name: the words of core/commands.py's _INDICATOR_LABELS, through tr() here.
_TEXTS = [
    ("zero_employment", FigureText(tr_noop("零就业家庭"), tr_noop("有劳动能力和就业意愿的户"), "zero_employment",
                                   denominator_key="able_and_willing", main=True)),
    ("cleared_zero_employment", FigureText(tr_noop("本月动态清零"), tr_noop("上月零就业家庭"),
                                           "cleared_zero_employment", tr_noop("本月清零的零就业家庭"))),
    ("at_least_one_employed", FigureText(tr_noop("至少一人就业的户"), tr_noop("有劳动能力和就业意愿的户"),
                                         "at_least_one_employed", denominator_key="able_and_willing", main=True)),
    ("training", FigureText(tr_noop("本年培训人数"), tr_noop("常住且有培训意愿的劳动力"), "training",
                            tr_noop("有人本年参加培训的户"), "training_base",
                            tr_noop("有常住且有培训意愿劳动力的户"), main=True)),
    ("monitoring_rounds", FigureText(tr_noop("本年完成监测期数"), tr_noop("全年期数"), "monitoring_rounds",
                                     tr_noop("本月监测尚未走访的户"))),
    ("visit_coverage", FigureText(tr_noop("本月走访户数"), tr_noop("户数"), "visit_coverage",
                                  tr_noop("本月已走访的户"), rest_key="not_visited", rest_shows=tr_noop("本月未走访的户"),
                                  main=True)),
    ("overdue_grievances", FigureText(tr_noop("超期诉求"), tr_noop("未办结诉求"), "overdue_grievances",
                                      tr_noop("有超期诉求的户"), main=True)),
    ("monitored_without_measure", FigureText(tr_noop("监测户未落实帮扶措施"), tr_noop("监测户"),
                                             "monitored_without_measure", main=True)),
    ("employed_members", FigureText(tr_noop("本月就业的劳动力"), tr_noop("劳动力"), "employed_members",
                                    tr_noop("有人就业的户"), "labour_members", tr_noop("有劳动力的户"))),
    ("returned_workers_employed", FigureText(tr_noop("返乡劳动力中就业的"), tr_noop("返乡劳动力"),
                                             "returned_workers_employed", tr_noop("有返乡劳动力就业的户"),
                                             "returned_workers", tr_noop("有返乡劳动力的户"))),
    ("school_dropouts", FigureText(tr_noop("失学辍学儿童"), tr_noop("义务教育阶段儿童"), "school_dropouts",
                                   tr_noop("有失学辍学儿童的户"), main=True)),
    ("left_behind_children", FigureText(tr_noop("留守儿童"), tr_noop("儿童"), "left_behind_children",
                                        tr_noop("有留守儿童的户"))),
    ("left_behind_elderly", FigureText(tr_noop("留守老人"), tr_noop("老年人"), "left_behind_elderly",
                                       tr_noop("有留守老人的户"))),
    ("left_behind_women", FigureText(tr_noop("留守妇女"), tr_noop("劳动年龄的已婚妇女"), "left_behind_women",
                                     tr_noop("有留守妇女的户"))),
    ("special_hardship", FigureText(tr_noop("特殊困难人员（鳏寡孤独残）"), tr_noop("在册人员"), "special_hardship",
                                    tr_noop("有特殊困难人员的户"))),
    ("income_per_person", FigureText(tr_noop("上年人均可支配收入"), tr_noop("共享收入的人数"), "income_per_person",
                                     tr_noop("有上年收入记录的户"))),
    ("income_growth", FigureText(tr_noop("人均可支配收入增速"), tr_noop("前年人均（同一批户）"), "income_growth",
                                 tr_noop("有上年收入记录的户"))),
    ("wage_share", FigureText(tr_noop("上年工资性收入占比"), tr_noop("可支配收入"), "wage_share",
                              tr_noop("有上年收入记录的户"))),
    ("insurance_gaps", FigureText(tr_noop("漏保断保人数"), tr_noop("在册人员"), "insurance_gaps",
                                  tr_noop("有漏保断保人员的户"), main=True)),
]
FIGURE_TEXTS = dict(_TEXTS)


def figure_text(name: str) -> FigureText:
    """The words of figure `name`; one without words yet is shown under its own name, its households
    a click away when core lists them."""
    return FIGURE_TEXTS.get(name) or FigureText(name, "", name if name in INDICATOR_KEYS else None)


def percent(rate: float) -> str:
    return QLocale().toString(rate * 100, "f", 1) + "%"


def fraction(figure: Figure) -> str:
    return f"{figure.numerator} / {figure.denominator}"


def rate_text(figure: Figure) -> str:
    """The rate as its unit says: a share in %, yuan a person, a signed growth, so many of 12."""
    if not figure.denominator:
        return "—"
    if figure.unit == "amount":
        return tr("%1 元/人").replace("%1", QLocale().toString(round(figure.rate)))
    if figure.unit == "growth":
        return ("+" if figure.rate >= 0 else "") + percent(figure.rate)
    if figure.unit == "count":
        return tr("%1 / %2 期").replace("%1", str(figure.numerator)).replace("%2", str(figure.denominator))
    return percent(figure.rate)


def target_words(figure: Figure) -> tuple[str, str]:
    """("✓ 已达到目标 95%", colour) or ("✗ 未达到目标 …", colour), said in words, not by colour alone;
    ("", "") for a figure without a target (a growth: above the county's, "高于")."""
    if figure.target is None or figure.target_met is None:
        return "", ""
    goal = QLocale().toString(figure.target * 100, "f", 1 if figure.unit == "growth" else 0) + "%"
    if figure.unit == "growth":
        goal = tr("高于全县 %1").replace("%1", goal)
    if figure.target_met:
        return "✓ " + tr("已达到目标 %1").replace("%1", goal), MET_COLOUR
    return "✗ " + tr("未达到目标 %1").replace("%1", goal), UNMET_COLOUR


def _link(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setToolTip(tr("点击查看这些户"))
    button.setStyleSheet("QPushButton { color: #0b57d0; text-decoration: underline; padding: 0 2px; }")
    return button


class FigureCard(QFrame):
    """One figure: its name, numerator / denominator (each a click away from its households), what the
    denominator counts, the rate, and the target met or not."""

    sig_households = Signal(str, str)  # behind key, what the list shows (words)

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name, self.text = name, figure_text(name)
        self.setObjectName(f"card_{name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(200)
        layout = QVBoxLayout(self)
        self.title = QLabel(tr(self.text.name), self)
        self.title.setObjectName(f"card_{name}_title")
        self.title.setWordWrap(True)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        layout.addWidget(self.title)
        layout.addLayout(self._fraction_row())
        rest = self._rest_row()
        if rest is not None:
            layout.addLayout(rest)
        self.base = QLabel(tr("分母：%1").replace("%1", tr(self.text.base)) if self.text.base else "", self)
        self.base.setObjectName(f"card_{name}_base")
        self.base.setWordWrap(True)
        self.base.setStyleSheet("color: #555;")
        layout.addWidget(self.base)
        self.rate = QLabel(self)
        self.rate.setObjectName(f"card_{name}_rate")
        big = self.rate.font()
        big.setPointSizeF(big.pointSizeF() * 1.4)
        big.setBold(True)
        self.rate.setFont(big)
        layout.addWidget(self.rate)
        self.target = QLabel(self)
        self.target.setObjectName(f"card_{name}_target")
        self.target.setWordWrap(True)
        layout.addWidget(self.target)
        layout.addStretch(1)

    def _fraction_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        t = self.text
        self.numerator = self._part("numerator", t.numerator_key, t.numerator_shows or t.name)
        self.denominator = self._part("denominator", t.denominator_key, t.denominator_shows or t.base)
        row.addWidget(self.numerator)
        row.addWidget(QLabel("/", self))
        row.addWidget(self.denominator)
        row.addStretch(1)
        return row

    def _rest_row(self) -> QHBoxLayout | None:
        """The households of the denominator not in the numerator (本月未走访的户：2), a click away."""
        self.rest: QWidget | None = None
        if not self.text.rest_key:
            return None
        row = QHBoxLayout()
        self.rest = self._part("rest", self.text.rest_key, self.text.rest_shows)
        row.addWidget(QLabel(tr(self.text.rest_shows) + tr("："), self))
        row.addWidget(self.rest)
        row.addStretch(1)
        return row

    def _part(self, part: str, key: str | None, shows: str) -> QWidget:
        name = f"card_{self.name}_{part}"
        if not key:
            label = QLabel(self)
            label.setObjectName(name)
            return label
        button = _link("", name, self)
        button.clicked.connect(lambda: self.sig_households.emit(key, tr(shows)))
        return button

    def show_figure(self, figure: Figure) -> None:
        self.numerator.setText(str(figure.numerator))
        self.denominator.setText(str(figure.denominator))
        if self.rest is not None:
            self.rest.setText(str(max(figure.denominator - figure.numerator, 0)))
        self.rate.setText(rate_text(figure))
        words, colour = target_words(figure)
        self.target.setText(words)
        self.target.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")


# -- the trend -------------------------------------------------------------------------------------
def month_label(month: str, with_year: bool = False) -> str:
    """'2026-11' as the UI language writes it: 11月 / Nov, with the year when asked."""
    day = QDate(int(month[:4]), int(month[5:7]), 1)
    locale = QLocale()
    if locale.language() == QLocale.Language.Chinese:
        return locale.toString(day, "yyyy年M月" if with_year else "M月")
    return locale.toString(day, "MMM yyyy" if with_year else "MMM")


class TrendChart(QChartView):
    """Twelve months: zero-employment households (bars, left axis) and visit coverage (line, right axis, %)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard_trend")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(280)
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        self.zero: QBarSet | None = None
        self.coverage: QLineSeries | None = None
        self.months: list[str] = []

    def show_trend(self, trend: dict[str, dict[str, Figure]]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.months = list(trend)
        chart.setTitle(tr("近12个月：%1 — %2").replace("%1", month_label(self.months[0], True))
                       .replace("%2", month_label(self.months[-1], True)) if self.months else "")
        self.zero = QBarSet(tr("零就业家庭（户）"))
        self.zero.append([float(trend[m]["zero_employment"].numerator) for m in self.months])
        bars = QBarSeries()
        bars.append(self.zero)
        self.coverage = QLineSeries()
        self.coverage.setName(tr("走访覆盖率（%）"))
        for i, m in enumerate(self.months):
            self.coverage.append(float(i), trend[m]["visit_coverage"].rate * 100)
        chart.addSeries(bars)
        chart.addSeries(self.coverage)
        self._axes(bars, max([self.zero.at(i) for i in range(self.zero.count())] or [0.0]))

    def _axes(self, bars: QBarSeries, highest: float) -> None:
        chart = self.chart()
        months = QBarCategoryAxis()
        months.append([month_label(m) for m in self.months])  # the years are in the title
        months.setTitleText(tr("月份"))
        months.setTruncateLabels(False)
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        counts = QValueAxis()
        counts.setTitleText(tr("零就业家庭（户）"))
        counts.setLabelFormat("%d")
        counts.setRange(0, max(4, int(highest) + 1))
        counts.applyNiceNumbers()
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        share = QValueAxis()
        share.setTitleText(tr("走访覆盖率（%）"))
        share.setLabelFormat("%d")
        share.setRange(0, 100)
        chart.addAxis(share, Qt.AlignmentFlag.AlignRight)
        bars.attachAxis(months)
        bars.attachAxis(counts)
        self.coverage.attachAxis(months)
        self.coverage.attachAxis(share)


# -- the breakdown ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class BreakdownRow:
    settlement: str
    grid: str
    scope: Scope
    place: str            # the words for the place, after a figure's name in the household list's note
    indicators: Indicators
    total: bool           # a settlement's own row (its grids follow it)

    @property
    def clickable(self) -> bool:
        """A place a Scope can name (households without a settlement or grid it cannot)."""
        return bool(self.scope.settlement_id) and (self.total or bool(self.scope.grid_id))


class BreakdownModel(QAbstractTableModel):
    """One row per settlement (its figures added up), its grids under it; a column per main figure as
    "n / d". A cell's BEHIND_ROLE is the figure's key and the row's scope."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.rows: list[BreakdownRow] = []
        self.names: list[str] = []

    def set_rows(self, rows: list[BreakdownRow], names: list[str]) -> None:
        self.beginResetModel()
        self.rows, self.names = rows, names
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's names
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 2 + len(self.names)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) \
                or orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and section >= 2:
            return tr(figure_text(self.names[section - 2]).name)
        if section == 0:
            return tr("安置点")
        if section == 1:
            return tr("网格")
        return tr(figure_text(self.names[section - 2]).name)

    def figure_at(self, index: Index) -> tuple[str, Figure] | None:
        if not index.isValid() or index.column() < 2:
            return None
        name = self.names[index.column() - 2]
        figure = self.rows[index.row()].indicators.figures().get(name)
        return (name, figure) if figure is not None else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.FontRole and row.total:
            font = QFont()
            font.setBold(True)
            return font
        found = self.figure_at(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() < 2:
                return row.settlement if index.column() == 0 else row.grid
            return fraction(found[1]) if found else ""
        if role == Qt.ItemDataRole.ToolTipRole and found:
            return rate_text(found[1])
        if role == BEHIND_ROLE and found:
            key = figure_text(found[0]).numerator_key
            return (key, row.scope, row.place) if key and row.clickable else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def breakdown_rows(by_settlement: dict, by_grid: dict, settlements: list[dict], grids: list[dict],
                   name_of: Callable[[str | None, str | None], str]) -> list[BreakdownRow]:
    """Settlements in code order, each followed by its grids; places without a name last."""
    order = {s["id"]: i for i, s in enumerate(settlements)}
    grid_order = {g["id"]: i for i, g in enumerate(grids)}
    rows = []
    for sid in sorted(by_settlement, key=lambda s: (order.get(s, len(order)), s or "")):
        settlement = name_of(sid, None)
        rows.append(BreakdownRow(settlement, tr("（合计）"), Scope(sid), settlement, by_settlement[sid], True))
        places = sorted((gid for s, gid in by_grid if s == sid),
                        key=lambda g: (grid_order.get(g, len(grid_order)), g or ""))
        for gid in places:
            grid = name_of(sid, gid)
            rows.append(BreakdownRow("", grid, Scope(sid, gid), grid, by_grid[(sid, gid)], False))
    return rows


# -- distributions: a count per code (where and in what trade the employed work, the kinds of hardship) --
# name -> (title, the code list of its codes, or words by code)
DISTRIBUTION_TEXTS: dict[str, tuple[str, str | dict[str, str]]] = {
    "employment_place": (tr_noop("本月就业去向"), "employment_scope"),
    "employment_sector": (tr_noop("本月就业行业分布"), "industry_section"),
    "special_hardship_kind": (tr_noop("鳏寡孤独残"), {"widower": tr_noop("鳏（丧偶老年男性）"),
                                                  "widow": tr_noop("寡（丧偶老年女性）"),
                                                  "orphan": tr_noop("孤（孤儿）"), "alone": tr_noop("独（独居老人）"),
                                                  "disabled": tr_noop("残（残疾人）")}),
    "insurance_gap_kind": (tr_noop("漏保断保"), {"medical_missing": tr_noop("缺本年基本医保"),
                                             "pension_missing": tr_noop("缺本年基本养老保险"),
                                             "lapsed": tr_noop("上年参保、本年断保")}),
}


def code_words(name: str, code: str, lang: str) -> str:
    """A distribution's code in words: its code list's label, the words above, 未记录 for ''."""
    if code == "":
        return tr("未记录")
    source = DISTRIBUTION_TEXTS.get(name, (name, {}))[1]
    if isinstance(source, str):
        return code_lists().label(source, code, lang)
    return tr(source[code]) if code in source else code


class DistributionPanel(QWidget):
    """Each distribution as its title and its codes with their counts, most first; a count is a click
    away from the households behind it (the behind key 'name:code')."""

    sig_households = Signal(str, str)  # behind key, what the list shows (words)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard_distributions")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}

    def show_distributions(self, distributions: dict[str, dict[str, int]], lang: str) -> None:
        while self.row.count():
            item = self.row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = {}
        for name, counts in distributions.items():
            self.row.addWidget(self._box(name, counts, lang), 1)

    def _box(self, name: str, counts: dict[str, int], lang: str) -> QFrame:
        box = QFrame(self)
        box.setObjectName(f"distribution_{name}")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(box)
        title = QLabel(tr(DISTRIBUTION_TEXTS.get(name, (name, {}))[0]), box)
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        layout.addWidget(title)
        shown = sorted(((n, code) for code, n in counts.items() if n), reverse=True)
        if not shown:
            layout.addWidget(QLabel(tr("（无）"), box))
        for n, code in shown:
            words = code_words(name, code, lang)
            line = QHBoxLayout()
            line.addWidget(QLabel(words, box), 1)
            key = f"{name}:{code}"
            button = _link(str(n), f"distribution_{name}_{code or 'unrecorded'}", box)
            button.clicked.connect(lambda _c=False, k=key, w=words: self.sig_households.emit(k, w))
            line.addWidget(button)
            layout.addLayout(line)
            self.buttons[key] = button
        layout.addStretch(1)
        return box
