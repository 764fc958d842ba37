"""A roster's sheets read into rows, and the rows into households.

Rows are read after the header until the sheet ends; a blank row, a row that names no person (no name,
ID number or relation: a subtotal, a note) and the foot of a ledger (合计, 填表人：…) are passed over.
Households are made, in this order of preference, from the 户编号 column (a cell left empty continues
the household above, as a merged cell does), from 户主姓名 / 户主身份证号 with the address, or from the
order of the rows: a row whose relation is 户主 starts a household and the rows under it belong to it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from core.progress import Progress
from core.roster.headers import SCAN_ROWS, find_header, used_columns
from core.roster.problems import RosterCheck, RosterHousehold, RosterRow
from core.roster.reading import Sheet
from core.roster.values import blank, cell_text, match_code, value_key
from core.roster.variants import FOOTER_WORDS

PERSON = ("member.name", "member.id_number", "member.relation")
ADDRESS = ("place.settlement", "household.building", "household.unit", "household.room")
_FOOTER = re.compile(rf"^({'|'.join(FOOTER_WORDS)})\s*([：:（(]|$)")
REPORT_EVERY = 500


def read_sheet(sheet: Sheet, check: RosterCheck, progress: Progress, done: int) -> list[RosterRow]:
    """The data rows of one sheet (none when it has no header: a cover, a list of codes)."""
    top: list[tuple] = []
    rows: Iterator[tuple] = iter(sheet.rows)
    for row in rows:
        top.append(row)
        if len(top) == SCAN_ROWS:
            break
    header = find_header(top)
    if header is None:
        return []
    used, ignored = used_columns(header.columns)
    check.sheets.append(sheet.name)
    check.header_rows[sheet.name] = list(range(header.first + 1, header.first + header.depth + 1))
    check.ignored_columns += [h for h in ignored if h not in check.ignored_columns]
    out: list[RosterRow] = []
    start = header.first + header.depth
    for number, row in enumerate(_rows_after(top, rows, start), start + 1):
        cells = {target: row[c.index] if c.index < len(row) else None for target, c in used.items()}
        if _is_person(cells, row):
            out.append(RosterRow(sheet.name, number, cells, used))
        if number % REPORT_EVERY == 0:
            progress.advance(done + number, done + max(sheet.size, number), "reading")
    return out


def _rows_after(top: list[tuple], rest: Iterator[tuple], start: int) -> Iterator[tuple]:
    yield from top[start:]
    yield from rest


def _is_person(cells: dict[str, object], row: tuple) -> bool:
    if all(blank(cells.get(t)) for t in PERSON):
        return False
    return not any(isinstance(v, str) and _FOOTER.match(v.strip()) for v in row)


def household_key(row: RosterRow) -> str:
    return value_key(cell_text(row.cells.get("household.household_no")))


def group_rows(rows: list[RosterRow], targets: set[str]) -> list[RosterHousehold]:
    """The households the rows make (see the module's docstring for how)."""
    if "household.household_no" in targets:
        return _by_number(rows)
    if targets & {"key.head_name", "key.head_id"}:
        return _by_head(rows)
    return _in_blocks(rows)


def _by_number(rows: list[RosterRow]) -> list[RosterHousehold]:
    households: dict[str, RosterHousehold] = {}
    current: RosterHousehold | None = None
    for row in rows:
        key = household_key(row)
        if current is not None and current.rows[-1].sheet != row.sheet:
            current = None  # a sheet's first rows do not continue the last household of the sheet before
        if key:
            text = cell_text(row.cells["household.household_no"])
            current = households.setdefault(key, RosterHousehold(text))
        elif current is None:  # no number, and none above to continue: said by the check
            current = households.setdefault(f"\0{row.sheet}:{row.row}", RosterHousehold(None))
        current.rows.append(row)
    return list(households.values())


def _by_head(rows: list[RosterRow]) -> list[RosterHousehold]:
    households: dict[tuple, RosterHousehold] = {}
    addresses: dict[str, tuple] = {}  # the address last given with each head: rows that leave it out share it
    last_head = ""
    for row in rows:
        head = next((value_key(cell_text(row.cells.get(t))) for t in ("key.head_id", "key.head_name")
                     if not blank(row.cells.get(t))), last_head)
        last_head = head
        given = tuple(value_key(cell_text(row.cells.get(t))) for t in ADDRESS)
        address = given if any(given) else addresses.get(head, given)
        addresses[head] = address
        households.setdefault((head, address), RosterHousehold(None)).rows.append(row)
    return list(households.values())


def _in_blocks(rows: list[RosterRow]) -> list[RosterHousehold]:
    households: list[RosterHousehold] = []
    for row in rows:
        if not households or match_code("relation", cell_text(row.cells.get("member.relation"))) == "head":
            households.append(RosterHousehold(None))
        households[-1].rows.append(row)
    return households


def read_roster(sheets: list[Sheet], check: RosterCheck, progress: Progress) -> list[RosterRow]:
    """Every data row of every sheet that has a header."""
    rows: list[RosterRow] = []
    for sheet in sheets:
        rows += read_sheet(sheet, check, progress, len(rows))
    return rows
