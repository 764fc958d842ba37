"""What a validation rule reports: a Problem, and the error raised when a save must stop."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record.

    `field` is a path: 'id_number' for the record itself, 'members[2].id_number' for a row
    of a form, 'members' for a rule over all members. `zh` and `en` are whole sentences that
    already name the field by its label. An error stops a save; a warning asks to check.
    """

    field: str
    zh: str
    en: str
    severity: Severity = ERROR

    def message(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class ValidationError(Exception):
    """Raised when a record has errors; `.problems` holds every problem found (warnings too)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        lines = ["资料有误，请修改后再保存："]
        for p in self.problems:
            mark = "" if p.is_error else "（提醒）"
            lines.append(f"- {mark}{p.zh}")
        return "\n".join(lines)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a save."""
    return [p for p in problems if p.severity == ERROR]


def warnings(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that only ask the worker to check."""
    return [p for p in problems if p.severity == WARNING]


def raise_if_errors(problems: Iterable[Problem]) -> None:
    """Raise ValidationError (carrying all problems) when any problem is an error."""
    problems = list(problems)
    if errors(problems):
        raise ValidationError(problems)
