"""The dry run's report as an .xlsx: every problem on a row of its own (行号, 列, 内容, 类型, 问题, 建议),
ID numbers and phones masked as everywhere else; written beside its target and renamed into place."""
from __future__ import annotations

from pathlib import Path

from core.files import written_atomically
from core.ledgers.fastsheet import abandon, add_sheet
from core.roster.problems import RosterCheck
from core.roster.words import advice_text, problem_text, severity_text

HEADERS = ("行号", "列", "内容", "类型", "问题", "建议")
WIDTHS = (8, 16, 22, 8, 50, 40)


def write_report(check: RosterCheck, path: Path, lang: str = "zh") -> Path:
    """Write the report of `check` to `path` (an .xlsx) atomically; returns the path."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    several = len(check.sheets) > 1
    wb = Workbook(write_only=True)
    # plain rows as text: a control character a roster cell held is dropped, an "=…" stays text
    ws = add_sheet(wb, "导入检查")
    ws.freeze_panes = "A4"  # the header stays in sight
    headers = (("工作表",) if several else ()) + HEADERS
    for i, width in enumerate(((16,) if several else ()) + WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.append([f"花名册导入检查：{check.path.name}"])
    ws.append([f"共 {check.rows} 行，{len(check.households)} 户；错误 {len(check.errors)} 个，"
               f"提醒 {len(check.warnings)} 个。身份证号、电话已遮挡。"])
    ws.append([_bold(ws, text) for text in headers])
    for p in check.problems:
        column = f"{p.column}（{p.letter}列）" if p.letter else p.column
        value = None if p.value is None else str(p.value)
        row = [p.row, column, value, severity_text(p, lang), problem_text(p, lang), advice_text(p, lang)]
        ws.append(([p.sheet] if several else []) + row)
    if not check.problems:
        ws.append([None, None, None, None, "没有发现问题，可以导入。"])
    with written_atomically(Path(path)) as tmp:
        try:
            wb.save(tmp)
        except BaseException:  # its sheet's temporary file goes too
            abandon(wb)
            raise
    return Path(path)


def _bold(ws, text: str):  # noqa: ANN001, ANN202 - a write-only sheet and its cell
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(ws, value=text)
    cell.font = Font(bold=True)
    return cell
