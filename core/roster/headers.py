"""Finding a roster's header among its first rows and what each column holds.

A sheet may start with a title, a line naming the unit and period, and then one header row, or two: a
group's cell merged over its columns ("住址" over 楼栋 / 单元 / 房号) with the other columns' titles merged
down both rows. Merged cells read as a value in their first cell and nothing in the rest, so the lower
row is a sub-header when every cell it fills sits under a group (or under nothing) and one of them is a
known column; a sub-header's column is known by the group and its title together ("户主" + "姓名" is 户主姓名)
or by its title alone.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from openpyxl.utils import get_column_letter

from core.models import Household, Member
from core.roster.problems import Column
from core.roster.variants import HEADERS
from core.validation.fields import label

SCAN_ROWS = 10  # a header is looked for on the first rows only
ANCHORS = ("member.name", "member.id_number")  # a header names at least one of these
_NOTE = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_MARKS = re.compile(r"[\s*＊:：]")
NOT_BY_LABEL = {"settlement_id", "grid_id", "household_id"}  # matched by name, or set by the store


def header_key(text: object) -> str:
    """A header as compared: full-width to ASCII, no spaces, line breaks, *, colons or bracketed notes."""
    if text is None:
        return ""
    plain = unicodedata.normalize("NFKC", str(text))
    return _MARKS.sub("", _NOTE.sub("", plain))


@cache
def header_targets() -> dict[str, str]:
    """Every accepted header (as header_key makes it) -> its target; the variants first, then the labels."""
    found: dict[str, str] = {}
    for target, names in HEADERS.items():
        for name in names:
            found.setdefault(header_key(name), target)
    for entity, model in (("member", Member), ("household", Household)):
        for field in model.data_fields():
            if field not in NOT_BY_LABEL:
                found.setdefault(header_key(label(entity, field)[0]), f"{entity}.{field}")
    return found


def target_of(text: object) -> str | None:
    key = header_key(text)
    return header_targets().get(key) if key else None


def _text(row: Sequence, i: int) -> str:
    value = row[i] if i < len(row) else None
    return "" if value is None else str(value).strip()


def columns_of(upper: Sequence, lower: Sequence | None = None) -> list[Column]:
    """The columns of a one-row header (`upper`) or a two-row one (`upper` over `lower`)."""
    width = max(len(upper), len(lower or ()))
    columns, group = [], ""
    for i in range(width):
        up, low = _text(upper, i), _text(lower, i) if lower is not None else ""
        if up:
            group = up
        if low:
            column = Column(i, low, get_column_letter(i + 1), target_of(group + low) or target_of(low))
        else:
            column = Column(i, up, get_column_letter(i + 1), target_of(up))
        columns.append(column)
    return columns


def _is_sub_header(upper: Sequence, lower: Sequence) -> bool:
    """Every cell the lower row fills is a known title, or sits under a group or nothing; one is known.
    (A first data row fills cells under known titles with values that are no title: 张三 under 姓名.)"""
    if sum(1 for i in range(len(upper)) if _text(upper, i)) < 2:
        return False  # a title or a unit line (one cell across the sheet) is no header's upper row
    filled = {c.index: c for c in columns_of(upper, lower) if _text(lower, c.index)}
    if not any(c.target for c in filled.values()):
        return False
    return all(c.target or not target_of(_text(upper, i)) for i, c in filled.items())


def _score(columns: list[Column]) -> int:
    targets = {c.target for c in columns if c.target and c.target != "skip"}
    return len(targets) if targets & set(ANCHORS) and len(targets) >= 2 else 0


@dataclass(frozen=True)
class Header:
    """Where the header is (0-based index of its first row, 1 or 2 rows) and its columns."""

    first: int
    depth: int
    columns: list[Column]


def find_header(top: Sequence[Sequence]) -> Header | None:
    """The header among the first rows: the row (or pair of rows) naming most known columns."""
    best: Header | None = None
    best_score = 0
    for i, row in enumerate(top[:SCAN_ROWS]):
        lower = top[i + 1] if i + 1 < len(top) else None
        depth = 2 if lower is not None and _is_sub_header(row, lower) else 1
        columns = columns_of(row, lower if depth == 2 else None)
        score = _score(columns)
        if score > best_score:
            best, best_score = Header(i, depth, columns), score
    return best


def used_columns(columns: list[Column]) -> tuple[dict[str, Column], list[str]]:
    """target -> its column (the first, when two carry the same), and the headers left unread."""
    used: dict[str, Column] = {}
    ignored = []
    for c in columns:
        if c.target and c.target != "skip" and c.target not in used:
            used[c.target] = c
        elif c.header and c.target != "skip":
            ignored.append(c.header)
    return used, ignored
