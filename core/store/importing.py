"""What a household's save checks before its transaction, shared by a form's save (`Store.save_household`)
and a roster's import (`Store.import_households`), so an imported household is refused or accepted exactly
as the same household typed into the form would be.

An import is one transaction over every household: all of them or none, each written as a save writes one
(outbox entries for every field, an audit line per record), and one audit line for the import itself that
says how many and from which file, never whom.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from core import validation as v
from core.among import among_param, among_values
from core.changes import Changes
from core.models import Household, Member
from core.progress import Progress
from core.store.deletion import DEPENDENTS, delete_with_dependents
from core.store.journal import Actor, append_audit, record_upsert
from core.store.records import row_to_dict
from core.store.rules import check_places, complete_from_id, ids_registered_elsewhere
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


def write_household(s: Session, actor: Actor, h: dict, clean_members: list[dict], today: date,
                    removed: Iterable[str] | None) -> tuple[str, Changes]:
    """A prepared household and its members written inside the caller's transaction (a save, an import).
    Without `removed`, members missing from the list are deleted; else only those named. The caller
    refreshes the list's summaries of the households in the Changes (an import once for all)."""
    v.raise_if_errors(ids_registered_elsewhere(s, h.get("id"), clean_members) + check_places(s, h))
    listed = {m.get("id") for m in clean_members}
    found = _members_concerned(s, h.get("id"), [m["id"] for m in clean_members if m.get("id")])
    stored = [m for m in found.values() if m.household_id == h.get("id") and not m.deleted]
    going = [m for m in stored if m.id not in listed and (removed is None or m.id in set(removed))]
    staying = [row_to_dict(m) for m in stored if m.id not in listed and m not in going]
    if staying:  # one head, one spouse, no ID twice: over everyone who will be in the household
        v.raise_if_errors(v.validate_household(h, clean_members + staying, today))
    # members moving in from another household: they leave it
    left = list(dict.fromkeys(m.household_id for m in found.values()
                              if m.id in listed and m.household_id != (h.get("id") or "")))
    row, _ = record_upsert(s, actor, Household, h)
    written = [record_upsert(s, actor, Member, {**m, "household_id": row.id},
                             found.get(m["id"]) if m.get("id") else None)[0].id for m in clean_members]
    for old in going:
        delete_with_dependents(s, actor, old)
    entities = {"household", "member"} | ({m.__tablename__ for m, _ in DEPENDENTS["member"]} if going else set())
    return row.id, Changes.of(entities, [row.id, *written, *(m.id for m in going)], [row.id, *left])


def write_households(s: Session, actor: Actor, prepared: Sequence[tuple[dict, list[dict], list]], today: date,
                     progress: Progress) -> Changes:
    """Every prepared household of an import written in the caller's transaction; what they changed."""
    changes = []
    for done, (h, clean_members, _) in enumerate(prepared, 1):
        changes.append(write_household(s, actor, h, clean_members, today, None)[1])
        progress.advance(done, len(prepared), "saving")
    return Changes().merge(*changes)


def _members_concerned(s: Session, household_id: str | None, ids: list[str]) -> dict[str, Member]:
    """In one query: the household's members (deleted ones too) and the members the save lists by id,
    wherever they are now; the ids the save lists that are not here are new members."""
    if not household_id and not ids:
        return {}
    found = s.execute(_MEMBERS_CONCERNED, {"household": household_id or "", "ids": among_values(ids)}).scalars()
    return {m.id: m for m in found}


# Built once (every save of a household asks it), with the listed ids as one parameter (core.among).
_MEMBERS_CONCERNED = select(Member).where(or_(Member.household_id == bindparam("household"),
                                              among_param(Member.id, "ids")))


def audit_import(s: Session, actor: Actor, prepared: Sequence[tuple[dict, list[dict], list]], source: str) -> None:
    """One line for the import: how many households and members, and the file's name (no personal data)."""
    members = sum(len(m) for _, m, _ in prepared)
    append_audit(s, actor, "import", "household", "", f"roster {source}: {len(prepared)} households, {members} members")


def import_result(prepared: Sequence[tuple[dict, list[dict], list[v.Problem]]], changes: Changes) -> ImportResult:
    warnings = [p for _, _, problems in prepared for p in v.warnings(problems)]
    return ImportResult(len(prepared), sum(len(m) for _, m, _ in prepared), warnings, changes)
