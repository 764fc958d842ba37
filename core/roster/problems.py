"""What a roster's dry run finds: each problem a code with parameters, where it is (sheet, Excel row,
column as headed in the file) and whether it stops the import. The words are made at the edge, from the
code: core/roster/words.py for the command line and the report file, gui/roster_words.py through tr()."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class RosterProblem:
    """One problem. `row` is the Excel row (None for the whole file), `column` the header text as in the
    file ('' when about a row or a household), `letter` the column's letter; `params` fill the words and
    hold only masked ID numbers and phones (`value` is the cell as shown, masked where personal)."""

    code: str
    row: int | None = None
    column: str = ""
    letter: str = ""
    params: dict = field(default_factory=dict)
    severity: str = ERROR
    sheet: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def value(self) -> str:
        return str(self.params.get("value", ""))

    def sort_key(self) -> tuple:
        return (self.row or 0, len(self.letter), self.letter, self.code)


class RosterFileError(Exception):
    """The file cannot be checked at all (missing, not Excel, no header row, empty): a code, its params."""

    def __init__(self, code: str, path: Path, **params: object) -> None:
        self.code, self.path = code, Path(path)
        self.params = {"file": self.path.name, **params}
        super().__init__(f"{code}: {self.path.name}")


@dataclass
class Column:
    """One column of a sheet: its index (0-based), header text as in the file, letter, and target
    ('member.name', 'household.building', 'place.settlement', 'key.head_name'), None when not imported."""

    index: int
    header: str
    letter: str
    target: str | None = None


@dataclass
class RosterRow:
    """One data row: where it is and its cells by target (raw values as the file holds them)."""

    sheet: str
    row: int
    cells: dict[str, object]
    columns: dict[str, Column]


@dataclass
class RosterHousehold:
    """A household as the file gives it: its number (None when the file has no 户编号 column: one is
    made at check time), its rows (the head's first once checked), and once checked the clean household
    and members the import saves."""

    number: str | None
    rows: list[RosterRow] = field(default_factory=list)
    household: dict = field(default_factory=dict)
    members: list[dict] = field(default_factory=list)

    @property
    def first(self) -> RosterRow:
        return self.rows[0]

    @property
    def label(self) -> str:
        """How the household is named in a problem: its number, else the row it starts on."""
        return self.number or f"第{self.first.row}行起"


@dataclass
class RosterCheck:
    """The dry run of one file: what it holds and every problem found."""

    path: Path
    sheets: list[str] = field(default_factory=list)
    header_rows: dict[str, list[int]] = field(default_factory=dict)  # sheet -> its header row(s)
    households: list[RosterHousehold] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    numbered: bool = False  # the file had no 户编号: the households were numbered by the check
    seconds: float = 0.0

    @property
    def errors(self) -> list[RosterProblem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[RosterProblem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        """Nothing stops the import (warnings may remain)."""
        return not self.errors

    @property
    def member_count(self) -> int:
        return sum(len(h.rows) for h in self.households)

    def importable(self) -> list[tuple[dict, list[dict]]]:
        """The households and members to save, as Store.import_households takes them."""
        return [(h.household, h.members) for h in self.households]
