"""How a ledger looks on paper: the columns a ledger declares, and the sheet they are written to.

Every ledger sheet has the same frame, the one a county office files: a title row; a line naming the
reporting unit (village, settlement, grid), the period and the day it was made; two header rows, where a
group's cell is merged over its columns and a column without a group is merged down both rows; 序号 in
the first column; the data; a totals or count row; a line for who filled it in and who checked it. The
header rows are frozen and repeated on every printed page, the page is A4 landscape, fitted to the width,
with page numbers at the foot.

The sheet is written with openpyxl's write-only mode, row by row, so 100,000 rows take little memory:
widths are declared before the first row (from the column's kind and title, not measured), and data cells
carry no style of their own (printed gridlines draw the table), which keeps writing at openpyxl's speed.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties

# The width (in characters) a kind of value takes; a column's title can make it wider.
KIND_WIDTHS = {"text": 14, "name": 8, "id": 20, "phone": 13, "int": 6, "money": 10, "date": 11, "month": 9,
               "code": 10, "long": 26, "yesno": 6, "share": 8, "no": 21, "place": 16}
MAX_WIDTH = 30
HEAD_ROWS = 4  # title, unit line, two header rows


@dataclass(frozen=True)
class Column:
    """One column: its title, the group above it (a two-level header), its kind of value and whether
    its numbers are summed in the totals row."""

    title: str
    kind: str = "text"
    group: str | None = None
    total: bool = False

    @property
    def width(self) -> float:
        # A CJK character is about two character widths: a short title on one line, a long one on two.
        title = sum(2 if ord(ch) > 0x2E80 else 1 for ch in self.title)
        return min(MAX_WIDTH, max(KIND_WIDTHS.get(self.kind, 10), title + 2 if title <= 14 else title // 2 + 3))


@dataclass(frozen=True)
class Heading:
    """What the lines above the table say."""

    title: str
    unit: str        # 填报单位: the village, or the settlement of a per-settlement sheet
    period: str      # 统计期: 2026年11月, 2026年第四季度
    made: str        # 制表日期
    note: str = ""   # under the unit line: e.g. 身份证号、电话已遮挡


@dataclass
class SheetTotals:
    """What the foot of a sheet says: how many rows, and the sums of the columns marked total."""

    rows: int = 0
    sums: dict[int, float] = field(default_factory=dict)

    def add(self, columns: Sequence[Column], values: Sequence) -> None:
        self.rows += 1
        for i, col in enumerate(columns):
            if col.total and isinstance(values[i], (int, float)) and not isinstance(values[i], bool):
                self.sums[i] = self.sums.get(i, 0) + values[i]


_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


class SheetWriter:
    """Writes one ledger sheet: `start()` the frame, `row(values)` for each row, `finish(extra)`."""

    def __init__(self, ws, columns: Sequence[Column], heading: Heading) -> None:  # noqa: ANN001 - a sheet
        self.ws, self.heading = ws, heading
        self.columns = (Column("序号", "int"), *columns)
        self.totals = SheetTotals()
        self._number = 0

    @property
    def width(self) -> int:
        return len(self.columns)

    def _cell(self, value: object, *, font: Font | None = None, border: bool = True,
              align: Alignment | None = None, fill: PatternFill | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=value)
        if font is not None:
            cell.font = font
        if border:
            cell.border = _BORDER
        if align is not None:
            cell.alignment = align
        if fill is not None:
            cell.fill = fill
        return cell

    def _merge(self, row: int, first: int, last: int, bottom: int | None = None) -> None:
        if last > first or (bottom or row) > row:
            self.ws.merged_cells.add(CellRange(min_col=first, min_row=row, max_col=last, max_row=bottom or row))

    def start(self) -> None:
        """Widths, print setup, and the four rows above the data (must come before any row)."""
        ws, n = self.ws, self.width
        for i, col in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        self._print_setup()
        h = self.heading
        ws.row_dimensions[1].height = 28
        ws.append([self._cell(h.title, font=Font(bold=True, size=16), border=False, align=_CENTRE)])
        self._merge(1, 1, n)
        unit = f"填报单位：{h.unit}　　统计期：{h.period}　　制表日期：{h.made}"
        ws.append([self._cell(unit + (f"　　{h.note}" if h.note else ""), border=False,
                              align=Alignment(horizontal="left", vertical="center"))])
        self._merge(2, 1, n)
        self._header_rows()

    def _header_rows(self) -> None:
        upper, lower = [], []
        i = 0
        while i < self.width:
            col = self.columns[i]
            j = i
            while col.group and j + 1 < self.width and self.columns[j + 1].group == col.group:
                j += 1
            if col.group:
                upper.append(self._head(col.group))
                upper += [self._head(None) for _ in range(j - i)]
                lower += [self._head(c.title) for c in self.columns[i:j + 1]]
                self._merge(3, i + 1, j + 1)
            else:
                upper.append(self._head(col.title))
                lower.append(self._head(None))
                self._merge(3, i + 1, i + 1, bottom=4)
            i = j + 1
        self.ws.row_dimensions[3].height = self.ws.row_dimensions[4].height = 30  # room for two lines
        self.ws.append(upper)
        self.ws.append(lower)

    def _head(self, text: str | None) -> WriteOnlyCell:
        return self._cell(text, font=_HEAD_FONT, align=_CENTRE, fill=_HEAD_FILL)

    def _print_setup(self) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as wide as the page, as long as it takes
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.gridLines = True  # the data cells' lines on paper, without a style per cell
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
        ws.print_title_rows = f"3:{HEAD_ROWS}"
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.freeze_panes = f"{get_column_letter(min(self._frozen_columns() + 1, self.width))}{HEAD_ROWS + 1}"

    def _frozen_columns(self) -> int:
        """序号 and the columns up to the name, so a row stays readable when scrolled to the right."""
        for i, col in enumerate(self.columns):
            if col.kind == "name":
                return i + 1
        return 1

    def row(self, values: Sequence) -> None:
        """One data row (without 序号, which is numbered here)."""
        self._number += 1
        self.totals.add(self.columns[1:], values)
        # An empty text is no cell at all (openpyxl skips None): fewer cells, a quicker file.
        self.ws.append([self._number, *(None if v == "" else v for v in values)])

    def rows(self, many: Iterable[Sequence]) -> None:
        for values in many:
            self.row(values)

    def finish(self, extra: Sequence[Sequence] = ()) -> None:
        """The totals row (合计 with the sums, or 共 N 条), any lines the ledger adds, and the sign-off."""
        sums = self.totals.sums
        label = f"合计（{self.totals.rows} 条）"
        cells = [self._cell(label, font=_HEAD_FONT)]
        cells += [self._cell(round(sums[i], 2) if i in sums else None, font=_HEAD_FONT)
                  for i in range(len(self.columns) - 1)]
        self.ws.append(cells)
        foot = HEAD_ROWS + self.totals.rows + 1
        self._merge(foot, 1, 1 + self._first_total_gap())
        for line in extra:
            self.ws.append([self._cell(text, border=False) for text in line])
        self.ws.append([])
        self.ws.append([self._cell("填表人：", border=False), None, None,
                        self._cell("审核人：", border=False), None, None, self._cell("联系电话：", border=False)])

    def _first_total_gap(self) -> int:
        """How many columns after 序号 the 合计 label may spread over (up to the first summed column)."""
        for i in range(len(self.columns) - 1):
            if i in self.totals.sums or self.columns[i + 1].total:
                return i
        return min(2, len(self.columns) - 1)
