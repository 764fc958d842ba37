"""The dry run of a roster: `check_roster(store, path, progress)` reads the file, makes its households and
says every problem, writing nothing. Its households are what `import_roster` saves when no error is left.

Checked: a column a roster needs and lacks; every row (its codes, ID number, dates, a cell left empty that
must be filled: core/roster/members.py); every household (one head, its settlement and grid, validation as
a save does: core/roster/households.py); a person twice in the file; and against the profile, a person
already in it (in the household of the same number, or in another) and a household number already used.
"""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from core.progress import QUIET, Progress
from core.roster.headers import SCAN_ROWS
from core.roster.households import check_household
from core.roster.lookup import households_of_ids, numbers_in_use, numbers_starting
from core.roster.members import MemberCheck, check_member, problem, target_label
from core.roster.problems import RosterCheck, RosterFileError, RosterHousehold, RosterProblem
from core.roster.reading import opened
from core.roster.rows import group_rows, read_roster
from core.roster.values import Places, value_key
from core.roster.variants import REQUIRED_COLUMNS

NUMBER_PREFIX = "R{:%Y%m%d}-"  # households of a roster without 户编号: R20261130-0001, …
REPORT_EVERY = 200


def check_roster(store, path: Path, progress: Progress = QUIET,  # noqa: ANN001 - a Store
                 today: date | None = None) -> RosterCheck:
    """Every problem of the roster at `path` against the profile `store`; RosterFileError when the file
    cannot be read as a roster at all. Cancelled (progress) stops it."""
    started = time.perf_counter()
    today = today or date.today()
    check = RosterCheck(Path(path))
    with opened(check.path) as sheets:
        rows = read_roster(sheets, check, progress)
    if not check.sheets:
        raise RosterFileError("no_header", check.path, rows=SCAN_ROWS)
    if not rows:
        raise RosterFileError("no_rows", check.path)
    check.rows = len(rows)
    targets = set().union(*(row.columns for row in rows))
    check.problems += _missing_columns(targets)
    households = group_rows(rows, targets)
    members = _members(households, today, progress)
    _duplicates([m for hh in households for m in members[id(hh)]], check.sheets)
    numbers = _numbers(store, households, targets, today, check)
    places = Places(store.settlements(), store.grids())
    for done, hh in enumerate(households, 1):
        if hh.number is None and not check.numbered:
            check.problems.append(problem(hh.first, "household.household_no", "required"))
        check.problems += check_household(hh, members[id(hh)], places, numbers[done - 1], today)
        if done % REPORT_EVERY == 0:
            progress.advance(done, len(households), "checking")
    check.problems += [p for hh in households for m in members[id(hh)] for p in m.problems]
    check.problems += _in_profile(store, households, members)
    order = {name: i for i, name in enumerate(check.sheets)}
    check.problems.sort(key=lambda p: (order.get(p.sheet, -1), *p.sort_key()))
    check.households = households
    check.seconds = time.perf_counter() - started
    return check


def _missing_columns(targets: set[str]) -> list[RosterProblem]:
    return [RosterProblem("column_missing", params={"column": target_label(group[0])})
            for group in REQUIRED_COLUMNS if not targets & set(group)]


def _members(households: list[RosterHousehold], today: date, progress: Progress) -> dict[int, list[MemberCheck]]:
    """Each household's rows checked as members (by id() of the household)."""
    out, done = {}, 0
    total = sum(len(hh.rows) for hh in households)
    for hh in households:
        out[id(hh)] = [check_member(row, today) for row in hh.rows]
        done += len(hh.rows)
        progress.advance(done, total, "checking")
    return out


def _duplicates(members: list[MemberCheck], sheets: list[str]) -> None:
    """A person (an ID number) twice in the file: said at the later row, naming the first."""
    order = {name: i for i, name in enumerate(sheets)}
    seen: dict[str, MemberCheck] = {}
    for m in sorted(members, key=lambda m: (order.get(m.row.sheet, 0), m.row.row)):
        key = _id_key(m)
        if key is None:
            continue
        first = seen.setdefault(key, m)
        if first is not m:
            m.add("member.id_number", "duplicate_in_file", first_row=first.row.row, first_sheet=first.row.sheet)


def _id_key(m: MemberCheck) -> str | None:
    number = m.data.get("id_number")
    return None if not number or "id_number" in m.covered else value_key(number).upper()


def _numbers(store, households: list[RosterHousehold], targets: set[str], today: date,  # noqa: ANN001
             check: RosterCheck) -> list[str]:
    """Each household's number: the file's, or (when it has no 户编号 column) the next free R<day>-NNNN."""
    if "household.household_no" in targets:
        return [hh.number or "" for hh in households]
    check.numbered = True
    prefix = NUMBER_PREFIX.format(today)
    used = [int(n[len(prefix):]) for n in numbers_starting(store, prefix) if n[len(prefix):].isdigit()]
    start = max(used, default=0) + 1
    return [f"{prefix}{start + i:04d}" for i in range(len(households))]


def _in_profile(store, households: list[RosterHousehold],  # noqa: ANN001
                members: dict[int, list[MemberCheck]]) -> list[RosterProblem]:
    """People already in the profile, and household numbers it already uses."""
    by_id = {key: (hh, m) for hh in households for m in members[id(hh)] if (key := _id_key(m))}
    problems, present = [], set()
    for key, household_no in households_of_ids(store, by_id).items():
        hh, m = by_id[key]
        same = value_key(household_no) == value_key(hh.household.get("household_no") or "")
        problems.append(problem(m.row, "member.id_number", "already_in_profile" if same else "id_in_other_household",
                                household=household_no))
        present |= {id(hh)} if same else set()
    given = {hh.household.get("household_no") for hh in households if hh.number}
    used = numbers_in_use(store, [n for n in given if n])
    problems += [problem(hh.first, "household.household_no", "household_no_taken", household=hh.number)
                 for hh in households if hh.number and hh.household.get("household_no") in used
                 and id(hh) not in present]
    return problems
