"""Code lists (代码表): data under core/resources/codes, each code with a Chinese and an English label."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.paths import resources_dir


@dataclass(frozen=True)
class Code:
    code: str
    zh: str
    en: str

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class CodeLists:
    """All code lists, keyed by list name; each list keeps its codes in file order."""

    def __init__(self, lists: dict[str, list[Code]]):
        self._lists = {name: {c.code: c for c in codes} for name, codes in lists.items()}

    @classmethod
    def load(cls, path: Path) -> "CodeLists":
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls({name: [Code(**item) for item in items] for name, items in raw.items()})

    def names(self) -> list[str]:
        return list(self._lists)

    def codes(self, list_name: str) -> list[Code]:
        return list(self._lists[list_name].values())

    def contains(self, list_name: str, code: str) -> bool:
        return code in self._lists[list_name]

    def label(self, list_name: str, code: str | None, lang: str = "zh") -> str:
        if code is None or code == "":
            return ""
        found = self._lists[list_name].get(code)
        return found.label(lang) if found else code

    def code_for_label(self, list_name: str, label: str) -> str | None:
        """The code whose Chinese or English label (or code) is `label`; for imports."""
        for c in self._lists[list_name].values():
            if label in (c.code, c.zh, c.en):
                return c.code
        return None


@cache
def code_lists() -> CodeLists:
    """The project's code lists, read once per process."""
    return CodeLists.load(resources_dir() / "codes" / "codes.json")
