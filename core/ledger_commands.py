"""The verbs of the county's paperwork that need only core/: `export` (the 台账 ledgers, or a plain
SQLite copy for analysts) and `import` (a village's existing Excel roster). `card` needs Qt's printing
and is added by gui/cli.py."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from core.progress import Progress
from core.validation.coerce import CoerceError, parse_month


def _month(text: str) -> str:
    """--period as core.validation reads a month anywhere (2026-11, 2026/11, 2026年11月)."""
    try:
        return parse_month(text)
    except CoerceError as exc:
        raise argparse.ArgumentTypeError(f"{exc.zh} / {exc.en}") from None


def add_ledger_verbs(verbs: argparse._SubParsersAction) -> None:
    export = verbs.add_parser("export", help="write the 台账 ledgers (.xlsx), or a plain SQLite copy for analysts")
    export.add_argument("--profile", type=Path, required=True)
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--ledger", help="a ledger's name (see --list) or 'all'")
    what.add_argument("--sqlite", type=Path, metavar="OUT.db", help="a plain, unencrypted SQLite copy for analysis")
    what.add_argument("--list", action="store_true", help="list the ledgers' names and titles")
    export.add_argument("--period", type=_month, help="the month YYYY-MM (default: this month)")
    export.add_argument("--out", type=Path, help="the .xlsx file (one ledger) or a folder (all)")
    export.add_argument("--per-settlement", action="store_true", help="one sheet per settlement (default: one sheet)")
    export.add_argument("--unmasked", action="store_true",
                        help="ID numbers and phones in full (written to the audit log)")
    roster = verbs.add_parser("import", help="import a village's Excel roster (.xlsx or .xls); a dry run first")
    roster.add_argument("--profile", type=Path, required=True)
    roster.add_argument("roster", type=Path, metavar="ROSTER.xlsx")
    roster.add_argument("--dry-run", action="store_true", help="check only: print every problem, import nothing")
    roster.add_argument("--report", type=Path, metavar="REPORT.xlsx", help="also write the problems to this file")


def cli_lang() -> str:
    """The command line's language for its own words: English when LANG says so, else Chinese."""
    return "en" if os.environ.get("LANG", "").lower().startswith("en") else "zh"


def cli_progress(stages: dict[str, tuple[str, str]] | None = None) -> Progress:
    """A Progress that keeps one line of stderr up to date when stderr is a terminal (a pipe or a log gets
    no carriage returns); `stages` gives each stage code's words, (Chinese, English)."""
    if not sys.stderr.isatty():
        return Progress()
    en = cli_lang() == "en"

    def report(done: int, total: int, stage: str) -> None:
        words = (stages or {}).get(stage, (stage, stage))[1 if en else 0]
        # padded, so a shorter stage name does not leave the end of a longer one on the line
        print(f"\r{words} {done}/{total}".ljust(48), end="", file=sys.stderr, flush=True)

    return Progress(report)


def end_progress_line() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def run_ledger_verb(args: argparse.Namespace) -> int:
    if args.verb == "export" and args.sqlite is not None:
        from core.analysis import cmd_export_sqlite

        return cmd_export_sqlite(args)
    if args.verb == "export":
        from core.ledgers.commands import cmd_export

        return cmd_export(args)
    from core.roster.commands import cmd_import

    return cmd_import(args)
