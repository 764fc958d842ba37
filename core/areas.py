"""The place hierarchy of GB/T 2260, for picking a place by name: province → prefecture → county.

A division code is six digits for a county (two for the province, two for the prefecture, two for
the county), nine with a township (乡镇, three more digits) and twelve with a village (村, three
more). The list shipped (core/resources/codes/gbt2260_areas.txt) stops at the county; the townships
and villages under a county come from the profile's reference data (Store.areas_under) or are
typed as digits. Codes since retired are kept (a household's origin may be a
county since merged), each under its latest name.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from core.idcard import area_codes

# Names that stand for "the districts of the city" or "counties governed by the province": no
# place of their own, so they are left out of a path and of a search.
PLACEHOLDERS = ("市辖区", "县", "省直辖", "自治区直辖", "直辖县级", "直辖行政")
LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Area:
    code: str                  # six digits
    name: str                  # its latest name
    level: str                 # province, prefecture or county
    path: tuple[str, ...]      # the names from the province down to this place

    @property
    def path_text(self) -> str:
        return " ".join(self.path)


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def _placeholder(name: str) -> bool:
    return name in PLACEHOLDERS or any(name.startswith(p) or p in name for p in PLACEHOLDERS[2:])


def _parent_codes(code: str) -> list[str]:
    level = level_of(code)
    if level == "province":
        return []
    if level == "prefecture":
        return [code[:2] + "0000"]
    return [code[:2] + "0000", code[:4] + "00"]


@cache
def all_areas() -> dict[str, Area]:
    """Every six-digit code that names a place -> its Area (read once)."""
    codes = area_codes()
    areas: dict[str, Area] = {}
    for code in sorted(codes):
        name = codes[code][-1]
        if _placeholder(name):
            continue
        parents = [codes[p][-1] for p in _parent_codes(code) if p in codes and not _placeholder(codes[p][-1])]
        areas[code] = Area(code, name, level_of(code), (*parents, name))
    return areas


def area(code: str) -> Area | None:
    """The place of a code's first six digits, or None when GB/T 2260 has no such place."""
    return all_areas().get((code or "")[:6])


def search_areas(text: str, limit: int = 50, levels: tuple[str, ...] = LEVELS) -> list[Area]:
    """Places whose code starts with the digits typed, or whose path holds every word typed
    ("贵州 福泉"; "黔南州" finds 黔南布依族苗族自治州 too: a name that begins as the word
    does and holds its other characters in order). An exact code first, then places holding the
    words as typed, counties before prefectures and provinces, then by code."""
    words = text.split()
    if not words:
        return []
    found = [a for a in all_areas().values() if a.level in levels and all(_matches(a, w) for w in words)]
    found.sort(key=lambda a: (a.code != words[0], not all(w.isdigit() or w in a.path_text for w in words),
                              LEVELS.index(a.level) != 2, a.code))
    return found[:limit]


def _matches(a: Area, word: str) -> bool:
    if word.isdigit():
        return a.code.startswith(word[:6])
    return word in a.path_text or any(_in_order(word, name) for name in a.path)


def _in_order(word: str, name: str) -> bool:
    """Whether `name` starts as `word` does and holds its other characters in order ('黔南州' is
    黔南布依族苗族自治州, not 黔西南布依族苗族自治州)."""
    if not name.startswith(word[:2]):
        return False
    rest = iter(name)
    return all(ch in rest for ch in word)
