"""A village's Excel roster (.xlsx, .xls) into the profile: a dry run first, then all or nothing.

    check = check_roster(store, path, progress)      # every problem by row and column; writes nothing
    write_report(check, report_path)                 # the problems as an .xlsx, written atomically
    result = import_roster(store, check, progress)   # only when check.ok: one transaction, in the outbox

Modules: variants (the accepted header names and ways of writing codes: data), reading (the file), headers
(finding the header), rows (rows and households), values (codes, places), members and households (the
checks of a row and of a household), lookup (the profile), check (the dry run), words (the problems in
words for the command line and the report), report, commands (`main.py import`). docs/roster-import.md
says it for users.
"""
from __future__ import annotations

from datetime import date

from core.progress import QUIET, Progress
from core.roster.check import check_roster
from core.roster.problems import RosterCheck, RosterFileError, RosterProblem
from core.roster.report import write_report
from core.store.importing import ImportResult


class RosterRefused(Exception):
    """An import asked of a roster whose dry run found errors: nothing is written."""

    code = "roster_has_errors"

    def __init__(self, errors: int) -> None:
        self.errors = errors
        super().__init__(f"花名册还有 {errors} 个错误，没有导入。 / The roster has {errors} errors; nothing was imported.")


def import_roster(store, check: RosterCheck, progress: Progress = QUIET,  # noqa: ANN001 - a Store
                  today: date | None = None) -> ImportResult:
    """Save the checked roster's households in one transaction (Store.import_households); refused while
    the dry run has errors. A cancel or a failure part way writes nothing."""
    if not check.ok:
        raise RosterRefused(len(check.errors))
    return store.import_households(check.importable(), progress, source=check.path.name, today=today)


__all__ = ["RosterCheck", "RosterFileError", "RosterProblem", "RosterRefused", "ImportResult", "check_roster",
           "import_roster", "write_report"]
