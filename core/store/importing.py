"""What a household's save checks before its transaction, shared by a form's save (`Store.save_household`)
and a roster's import (`Store.import_households`), so an imported household is refused or accepted exactly
as the same household typed into the form would be.

An import is one transaction over every household: all of them or none, each written as a save writes one
(outbox entries for every field, an audit line per record), and one audit line for the import itself that
says how many and from which file, never whom.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from core import validation as v
from core.changes import Changes
from core.models import Household, Member
from core.progress import Progress
from core.store.journal import Actor, append_audit
from core.store.rules import complete_from_id
from core.validation.normalize import normalize_rows


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: how many households and members, the warnings the saves gave, the Changes."""

    households: int
    members: int
    warnings: list[v.Problem] = field(default_factory=list)
    changes: Changes = Changes()


def prepare_household(household: dict, members: list[dict], today: date) -> tuple[dict, list[dict], list[v.Problem]]:
    """Normalise and validate a household and its members as a save does; ValidationError on an error.
    Returns the clean household, the clean members (sex and birth date filled from the ID) and the warnings."""
    h, problems = v.normalize(Household, household)
    clean_members, member_problems = normalize_rows(Member, members, "members", ("household_id",))
    problems += member_problems
    v.raise_if_errors(problems)
    clean_members = [complete_from_id(m, today) for m in clean_members]
    problems += v.validate_household(h, clean_members, today)
    v.raise_if_errors(problems)
    return h, clean_members, problems


def prepare_households(households: Sequence[tuple[dict, list[dict]]], today: date,
                       progress: Progress) -> list[tuple[dict, list[dict], list[v.Problem]]]:
    """Every household of an import prepared before the transaction opens; the first that a save would
    refuse raises ValidationError, its problems naming the household by its number."""
    prepared = []
    for done, (household, members) in enumerate(households, 1):
        try:
            prepared.append(prepare_household(household, members, today))
        except v.ValidationError as exc:
            number = household.get("household_no") or str(done)
            raise v.ValidationError([v.Problem(p.field, f"户 {number}：{p.zh}", f"household {number}: {p.en}",
                                               p.severity) for p in exc.problems]) from None
        if done % 100 == 0:
            progress.advance(done, len(households), "checking")
    return prepared


def audit_import(s: Session, actor: Actor, prepared: Sequence[tuple[dict, list[dict], list]], source: str) -> None:
    """One line for the import: how many households and members, and the file's name (no personal data)."""
    members = sum(len(m) for _, m, _ in prepared)
    append_audit(s, actor, "import", "household", "", f"roster {source}: {len(prepared)} households, {members} members")


def import_result(prepared: Sequence[tuple[dict, list[dict], list[v.Problem]]], changes: list[Changes]) -> ImportResult:
    warnings = [p for _, _, problems in prepared for p in v.warnings(problems)]
    return ImportResult(len(prepared), sum(len(m) for _, m, _ in prepared), warnings, Changes().merge(*changes))
