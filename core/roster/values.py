"""A roster's cells as the store takes them: a code from its label (or a common way of writing it, or the
nearest known label when none fits), a settlement or grid from its name, and any cell as text."""
from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import datetime
from functools import cache

from core.codes import code_lists
from core.roster.variants import VALUE_ALIASES

NEAREST_CUTOFF = 0.4
_SPACES = re.compile(r"\s+")
_PLACE_SUFFIX = re.compile(r"(集中安置点|安置点|安置区|安置小区|小区|社区)$")
LARGEST_EXACT = 10**15  # Excel keeps 15 significant digits: a longer number typed as a number lost its tail


def value_key(text: object) -> str:
    """A cell as compared with labels: full-width to ASCII, no spaces, lower case."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def cell_text(value: object) -> str:
    """Any cell as the text it shows: a whole number without '.0', a date without midnight."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < LARGEST_EXACT:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    return str(value).strip()


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def number_lost_digits(value: object) -> bool:
    """A long number (an ID) Excel kept as a number: its last digits are gone."""
    return isinstance(value, float) and abs(value) >= LARGEST_EXACT


@cache
def _code_index(list_name: str) -> tuple[dict[str, str], dict[str, str]]:
    """(every accepted way of writing a code -> the code, each zh label and alias -> the code's zh label)."""
    lists = code_lists()
    index: dict[str, str] = {}
    shown: dict[str, str] = {}
    for c in lists.codes(list_name):
        for written in (c.zh, c.en, c.code):
            index.setdefault(value_key(written), c.code)
        shown[c.zh] = c.zh
        if list_name == "ethnicity" and c.zh.endswith("族") and len(c.zh) >= 2:
            index.setdefault(value_key(c.zh[:-1]), c.code)  # 苗 for 苗族
    for written, code in VALUE_ALIASES.get(list_name, {}).items():
        index.setdefault(value_key(written), code)
        shown.setdefault(written, lists.label(list_name, code))
    return index, shown


def match_code(list_name: str, text: str) -> str | None:
    """The code `text` writes, or None."""
    return _code_index(list_name)[0].get(value_key(text))


def nearest_label(list_name: str, text: str) -> str:
    """The Chinese label most like `text` ('' when none is near): what the worker probably meant."""
    shown = _code_index(list_name)[1]
    found = difflib.get_close_matches(text, list(shown), n=1, cutoff=NEAREST_CUTOFF)
    return shown[found[0]] if found else ""


def labels(list_name: str) -> list[str]:
    return [c.zh for c in code_lists().codes(list_name)]


def _place_key(name: str) -> str:
    """A place's name without what it is (阳光社区安置点 and 阳光社区 are 阳光)."""
    key, before = value_key(name), ""
    while key != before:
        before, key = key, _PLACE_SUFFIX.sub("", key)
    return key


class Places:
    """The profile's settlements and grids, looked up by a roster's names (or codes)."""

    def __init__(self, settlements: list[dict], grids: list[dict]) -> None:
        self.settlements, self.grids = settlements, grids

    def settlement(self, text: str) -> tuple[str | None, str]:
        """(its id, '') or (None, the nearest name)."""
        found = _find(self.settlements, text)
        return (found, "") if found else (None, _nearest(self.settlements, text))

    def grid(self, text: str, settlement_id: str | None) -> tuple[str | None, str]:
        rows = [g for g in self.grids if settlement_id in (None, g["settlement_id"])]
        found = _find(rows, text)
        return (found, "") if found else (None, _nearest(rows, text))


def _find(rows: list[dict], text: str) -> str | None:
    key = value_key(text)
    exact = [r["id"] for r in rows if key in (value_key(r["name"]), value_key(r["code"]))]
    if len(exact) == 1:
        return exact[0]
    loose = [r["id"] for r in rows if _place_key(r["name"]) == _place_key(text)]
    return loose[0] if len(loose) == 1 and not exact else None


def _nearest(rows: list[dict], text: str) -> str:
    names = [r["name"] for r in rows]
    found = difflib.get_close_matches(text, names, n=1, cutoff=NEAREST_CUTOFF)
    return found[0] if found else ""
