"""A household as a roster gives it: its own fields from its rows (the head's row first; a cell left empty
on the other rows is the same household's, a different one is said), its settlement and grid by name, one
head and at most one spouse, and validation's word on everything else, as a save would say it."""
from __future__ import annotations

from datetime import date

from core import validation as v
from core.models import Household
from core.roster.members import MemberCheck, invalid, phone_is_wrong, problem, shown
from core.roster.problems import WARNING, RosterHousehold, RosterProblem, RosterRow
from core.roster.values import Places, blank, cell_text, value_key
from core.validation.checker import row_words

PLACE_FIELDS = {"settlement_id": "place.settlement", "grid_id": "place.grid"}


def ordered_rows(members: list[MemberCheck]) -> list[MemberCheck]:
    """The head's row first (the household's values are read from it first), then the others in order."""
    heads = [m for m in members if m.data.get("relation") == "head"]
    return heads[:1] + [m for m in members if m not in heads[:1]]


def household_values(hh: RosterHousehold, members: list[MemberCheck],
                     places: Places) -> tuple[dict, list[RosterProblem], RosterRow]:
    """The household's fields (raw, for normalize), the problems met, and the row they are said at."""
    rows = [m.row for m in ordered_rows(members)]
    targets = [t for t in rows[0].columns if t.startswith(("household.", "place."))]
    raw: dict = {}
    problems: list[RosterProblem] = []
    for target in targets:
        given = [(r, r.cells.get(target)) for r in rows if not blank(r.cells.get(target))]
        if not given or target == "household.household_no":
            continue
        first_row, first = given[0]
        for r, value in given[1:]:
            if value_key(cell_text(value)) != value_key(cell_text(first)):
                problems.append(problem(r, target, "household_value_differs", WARNING,
                                        kept=shown(target, first), household=hh.label))
        raw[target] = (first_row, cell_text(first))
    return _places(raw, places, problems), problems, rows[0]


def _places(raw: dict, places: Places, problems: list[RosterProblem]) -> dict:
    out = {t.partition(".")[2]: text for t, (_, text) in raw.items() if t.startswith("household.")}
    settlement_id = None
    if "place.settlement" in raw:
        row, text = raw["place.settlement"]
        settlement_id, nearest = places.settlement(text)
        if settlement_id is None:
            problems.append(problem(row, "place.settlement", "unknown_settlement", nearest=nearest))
        out["settlement_id"] = settlement_id
    if "place.grid" in raw:
        row, text = raw["place.grid"]
        grid_id, nearest = places.grid(text, settlement_id)
        if grid_id is None:
            problems.append(problem(row, "place.grid", "unknown_grid", nearest=nearest))
        out["grid_id"] = grid_id
    return {k: value for k, value in out.items() if value is not None}


def household_target(field: str) -> str:
    return PLACE_FIELDS.get(field, f"household.{field}")


def check_household(hh: RosterHousehold, members: list[MemberCheck], places: Places, number: str,
                    today: date) -> list[RosterProblem]:
    """Fill hh.household and hh.members; the problems of the household and of validation."""
    raw, problems, head_row = household_values(hh, members, places)
    h, normalized = v.normalize(Household, {**raw, "household_no": number})
    covered = {p.field for p in normalized} | ({"household_no"} if not number else set())
    problems += [invalid(head_row, household_target(p.field), p) for p in normalized]
    if "phone" not in covered and phone_is_wrong(h.get("phone"), "household.phone"):
        problems.append(problem(head_row, "household.phone", "phone_masked" if "*" in h["phone"] else "bad_phone"))
        covered.add("phone")
    problems += relation_problems(hh, members)
    hh.household, hh.members = h, [m.data for m in members]
    for p in v.validate_household(h, hh.members, today):
        problems += _said_by_validation(p, hh, members, head_row, covered)
    return problems


def relation_problems(hh: RosterHousehold, members: list[MemberCheck]) -> list[RosterProblem]:
    """One head; at most one spouse. Not said while a relation in the household could not be read."""
    if any("relation" in m.covered for m in members):
        return []
    active = [m for m in members if (m.data.get("status") or "normal") != "removed"]
    heads = [m for m in active if m.data.get("relation") == "head"]
    problems = []
    if not heads:
        problems.append(problem(members[0].row, "member.relation", "no_head", household=hh.label))
    spouses = [m for m in active if m.data.get("relation") == "spouse"]
    for code, same in (("two_heads", heads), ("two_spouses", spouses)):
        rows = "、".join(str(m.row.row) for m in same)
        problems += [problem(m.row, "member.relation", code, household=hh.label, rows=rows, count=len(same))
                     for m in same[1:]]
    return problems


def _said_by_validation(p: v.Problem, hh: RosterHousehold, members: list[MemberCheck], head_row: RosterRow,
                        covered: set[str]) -> list[RosterProblem]:
    """A problem of validation not already said in the roster's own words, at its row and column."""
    path, _, field = p.field.rpartition(".")
    if p.field == "members":  # one head, one spouse: said above
        return []
    if not path:
        return [] if field in covered else [invalid(head_row, household_target(field), p)]
    index = int(path.removeprefix("members[").rstrip("]"))
    member = members[index]
    if field in member.covered:
        return []
    zh, en = row_words(path + ".")
    plain = v.Problem(p.field, p.zh.removeprefix(zh), p.en.removeprefix(en), p.severity)
    return [invalid(member.row, f"member.{field}", plain)]
