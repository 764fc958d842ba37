"""`export --ledger`: the ledgers from the command line, with the words of every LedgerError."""
from __future__ import annotations

import argparse
import sys
from datetime import date

from core.commands import read_password
from core.ledger_commands import cli_progress, end_progress_line
from core.ledgers import LEDGERS, LedgerError, export_ledgers
from core.progress import Cancelled
from core.store import Store

# Each LedgerError code's words, Chinese then English (the GUI has its own, through Qt's translation).
WORDS = {
    "bad_month": ("统计月份“{month}”不是 YYYY-MM 形式。", "The period “{month}” is not a month YYYY-MM."),
    "future_month": ("统计月份 {month} 还没有到。", "The period {month} is still to come."),
    "unknown_ledger": ("没有名为“{name}”的台账；可选：{known}，或 all。", "No ledger “{name}”; choose from {known}, or all."),
    "no_folder": ("保存台账的文件夹“{path}”不存在。", "The folder {path} does not exist."),
    "need_folder": ("导出多个台账时 --out 须是文件夹，不能是 .xlsx 文件名“{path}”。",
                    "Several ledgers need a folder for --out, not the .xlsx name {path}."),
    "not_a_folder": ("“{path}”是一个文件：--out 请给出 .xlsx 文件名（一个台账）或文件夹。",
                     "{path} is a file: give --out an .xlsx name (one ledger) or a folder."),
    "not_xlsx": ("台账的文件名须以 .xlsx 结尾：“{path}”。", "A ledger's file name ends in .xlsx: {path}."),
    "in_profile": ("“{path}”在档案文件夹里，请换一个位置。", "{path} is inside the profile's folder: choose another place."),
    "no_out": ("请用 --out 指定保存台账的文件或文件夹。", "Give --out, the file or folder for the ledgers."),
}


STAGES = {"counting": ("正在清点", "counting"), "saving": ("正在保存", "saving"), "done": ("完成", "done"),
          **{name: (ledger.title, name) for name, ledger in LEDGERS.items()}}


def words(err: LedgerError) -> str:
    zh, en = WORDS.get(err.code, ("导出台账失败（{code}）。", "The export failed ({code})."))
    params = {"code": err.code, **err.params}
    return f"{zh.format(**params)} / {en.format(**params)}"


def cmd_export(args: argparse.Namespace) -> int:
    if args.list:
        for ledger in LEDGERS.values():
            print(f"{ledger.name:<16} {ledger.title}")
        return 0
    names = list(LEDGERS) if args.ledger == "all" else [n.strip() for n in args.ledger.split(",") if n.strip()]
    period = args.period or date.today().strftime("%Y-%m")
    try:
        if args.out is None:
            raise LedgerError("no_out")
        with Store.open(args.profile, read_password()) as store:
            result = export_ledgers(store, names, period, args.out, masked=not args.unmasked,
                                    per_settlement=args.per_settlement, progress=cli_progress(STAGES))
    except LedgerError as err:
        print(words(err), file=sys.stderr)
        return 2
    except Cancelled:
        print("\n已取消：没有留下写了一半的文件。 / Cancelled: no half-written file is left.", file=sys.stderr)
        return 130
    end_progress_line()
    for path in result.files:
        print(path)
    if args.unmasked:
        print("本次导出含完整身份证号和电话，已记入审计日志。 / ID numbers and phones are in full; "
              "the export is in the audit log.", file=sys.stderr)
    return 0
