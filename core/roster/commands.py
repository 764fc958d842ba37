"""`main.py import --profile P ROSTER.xlsx [--dry-run] [--report REPORT.xlsx]`.

The roster is always checked first and every problem printed (ID numbers and phones masked), one a line:
where (row, column as headed in the file, its letter), what, and what to do. A dry run exits 1 when it
finds errors and 0 when none; without --dry-run the households are imported only when there are none, in
one transaction (Ctrl+C writes nothing). A file that cannot be read as a roster is one line and exit 2.
"""
from __future__ import annotations

import argparse
import sys

from core.ledger_commands import cli_lang, cli_progress, end_progress_line
from core.progress import Cancelled
from core.roster import RosterCheck, RosterFileError, check_roster, import_roster, write_report
from core.roster.reading import probe
from core.roster.words import advice_text, file_error_text, problem_text, shown_value, where_text
from core.validation import ValidationError

STAGES = {"reading": ("读取", "reading"), "checking": ("检查", "checking"), "saving": ("导入", "importing")}


def _file_error(e: RosterFileError) -> int:
    print(f"{file_error_text(e, 'zh')}。 / {file_error_text(e, 'en')}.", file=sys.stderr)
    return 2


def print_check(check: RosterCheck, lang: str = "zh") -> None:
    """The summary and every problem, one a line (stdout)."""
    rows = "，".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in check.header_rows.values())
    people = check.member_count
    print(f"“{check.path.name}”：表头在第{rows}行，{check.rows} 行，{len(check.households)} 户 {people} 人。"
          f" / {check.path.name}: {check.rows} rows, {len(check.households)} households, {people} people.")
    if check.ignored_columns:
        print(f"没有导入的列 / columns not imported：{'、'.join(check.ignored_columns)}")
    if check.numbered and check.households:
        first = check.households[0].household.get("household_no", "")
        print(f"文件里没有户编号，导入时从 {first} 起编号。 / The file has no household numbers: "
              f"they are numbered from {first}.")
    en = lang == "en"
    for p in check.problems:
        mark = "" if p.is_error else ("(warning) " if en else "【提醒】")
        cell = shown_value(p)
        value = f" ({cell})" if en and cell else (f"（{cell}）" if cell else "")
        advice = advice_text(p, lang)
        where = where_text(p, lang, len(check.sheets))
        print(f"{mark}{where}{': ' if en else '：'}{problem_text(p, lang)}{value}"
              f"{('. ' if en else '。') + advice if advice else ''}")


def cmd_import(args: argparse.Namespace) -> int:
    from core.commands import read_password
    from core.store import Store

    try:
        probe(args.roster)  # before the password: a wrong path is said at once
    except RosterFileError as e:
        return _file_error(e)
    with Store.open(args.profile, read_password()) as store:
        try:
            check = check_roster(store, args.roster, cli_progress(STAGES))
        except RosterFileError as e:
            return _file_error(e)
        except (KeyboardInterrupt, Cancelled):
            print("\n已取消。 / Cancelled.", file=sys.stderr)
            return 130
        end_progress_line()
        print_check(check, cli_lang())
        if args.report is not None:
            write_report(check, args.report, cli_lang())
            print(f"检查报告已写到 {args.report} / The report is in {args.report}", file=sys.stderr)
        if check.errors:
            print(f"发现 {len(check.errors)} 个错误、{len(check.warnings)} 个提醒：没有导入任何数据。 / "
                  f"{len(check.errors)} errors, {len(check.warnings)} warnings: nothing was imported.",
                  file=sys.stderr)
            return 1
        if args.dry_run:
            print(f"没有错误（{len(check.warnings)} 个提醒），去掉 --dry-run 即可导入。 / No errors "
                  f"({len(check.warnings)} warnings): run again without --dry-run to import.", file=sys.stderr)
            return 0
        return _import(store, check)


def _import(store, check: RosterCheck) -> int:  # noqa: ANN001 - a Store
    try:
        result = import_roster(store, check, cli_progress(STAGES))
    except (KeyboardInterrupt, Cancelled):
        print("\n已取消：没有导入任何数据。 / Cancelled: nothing was imported.", file=sys.stderr)
        return 130
    except ValidationError as e:  # the dry run and the save disagree: said, and nothing is written
        print(f"{e}\n没有导入任何数据。 / Nothing was imported.", file=sys.stderr)
        return 1
    end_progress_line()
    print(f"已导入 {result.households} 户 {result.members} 人，{store.pending_change_count()} 项待同步。 / "
          f"Imported {result.households} households, {result.members} people; they sync with the next sync.")
    return 0


