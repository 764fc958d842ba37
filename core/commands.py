"""Command-line verbs that need only core/: demo-data, status, selftest.

The desktop app (no verb) and the sync verbs are added by gui/ and sync/ when they land; main.py
stays the one entry point.
"""
from __future__ import annotations

import argparse
import errno
import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from core.backup_commands import BACKUP_VERBS, add_backup_verbs
from core.codes import code_lists
from core.passwords import read_password
from core.ledger_commands import add_ledger_verbs, run_ledger_verb
from core.store import ProfileError, Store
from core.store.failures import ProfileDamaged
from core.store.journal import SERVER_FLAG_META
from core.store.profile import check_new_profile_folder
from core.version import VersionAction


def build_parser(add_verbs: Callable[[argparse._SubParsersAction], None] | None = None) -> argparse.ArgumentParser:
    """The command line; `add_verbs` lets main.py add the verbs that need Qt (core/ knows no Qt)."""
    parser = _Parser(prog="anju", description="安居 Anju: follow-up of relocated households")
    parser.profile_verbs = set()
    parser.add_argument("--profile", type=Path, help="profile folder to open")
    parser.add_argument("--demo", action="store_true", help="open a generated demo profile (no server)")
    parser.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"),
                        help="what goes to the log file (see README: where it is)")
    parser.add_argument("--version", action=VersionAction)
    verbs = parser.add_subparsers(dest="verb")
    demo = verbs.add_parser("demo-data", help="create a profile filled with generated demo households")
    demo.add_argument("--profile", type=Path, required=True)
    demo.add_argument("--households", type=int, required=True)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--as-of", type=date.fromisoformat, default=date.today(),
                      help="the day the data is as of (YYYY-MM-DD); the same seed and day give the same data")
    status = verbs.add_parser("status", help="counts of households, members, pending changes, conflicts, last sync")
    status.add_argument("--profile", type=Path, required=True)
    status.add_argument("--json", action="store_true")
    verbs.add_parser("selftest", help="open a temporary encrypted profile, migrate, save, search, render the main window")
    add_backup_verbs(verbs)
    add_ledger_verbs(verbs)
    if add_verbs is not None:
        add_verbs(verbs)
    _profile_anywhere(parser, verbs)
    return parser


class _Parser(argparse.ArgumentParser):
    """`main.py --profile DIR status` as users type it, as well as `main.py status --profile DIR`."""

    profile_verbs: set[str] = set()

    def parse_args(self, args=None, namespace=None):  # noqa: ANN001, ANN201 - argparse's signature
        parsed = super().parse_args(args, namespace)
        if getattr(parsed, "verb", None) in self.profile_verbs and getattr(parsed, "profile", None) is None:
            self.error(f"{parsed.verb} 需要 --profile 档案文件夹 / {parsed.verb} needs --profile DIR")
        return parsed


def _profile_anywhere(parser: "_Parser", verbs: argparse._SubParsersAction) -> None:
    """A verb's own --profile, when not given, leaves the one given before the verb in place."""
    for name, sub in verbs.choices.items():
        for action in sub._actions:
            if action.dest == "profile" and action.required:
                action.required, action.default = False, argparse.SUPPRESS
                parser.profile_verbs.add(name)


def run(args: argparse.Namespace) -> int:
    handlers = {"demo-data": cmd_demo_data, "status": cmd_status, "selftest": cmd_selftest, **BACKUP_VERBS,
                "export": run_ledger_verb, "import": run_ledger_verb}
    handler = handlers[args.verb]  # no verb is the desktop app, which main.py starts
    try:
        return handler(args)
    except ProfileError as exc:
        print(exc, file=sys.stderr)
        return 2
    except BrokenPipeError:  # `status | head`: the reader has all it wanted (the entry point answers it)
        raise
    except OSError as exc:  # a folder without permission, a path through a file: said, not a traceback
        print(os_error_words(exc), file=sys.stderr)
        return 2


_OS_ERRORS = {
    errno.EEXIST: "那里已有一个同名的文件", errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EACCES: "没有权限", errno.EPERM: "没有权限", errno.ENOSPC: "磁盘已满", errno.EROFS: "磁盘是只读的",
    errno.ENOENT: "找不到", errno.ENAMETOOLONG: "路径太长",
}


def os_error_words(exc: OSError) -> str:
    """One line for a file-system error: what, where, in Chinese then English."""
    where = exc.filename or ""
    zh = _OS_ERRORS.get(exc.errno or 0, "读写出错")
    return f"无法读写“{where}”：{zh}。 / Cannot read or write {where}: {exc.strerror or exc}."


def _progress(done: int, total: int) -> None:
    print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)


def cmd_demo_data(args: argparse.Namespace) -> int:
    from core.demo import write_demo_profile

    if args.households < 1:
        print("--households 必须是正整数。 / --households must be a positive number.", file=sys.stderr)
        return 2
    check_new_profile_folder(args.profile)  # before asking for a password
    started = time.perf_counter()
    counts: dict = {}
    # Built beside the folder and renamed into place when complete: Ctrl+C or a kill leaves no profile.
    with Store.create(args.profile, read_password(), username="demo", display_name="演示档案",
                      fill=lambda store: counts.update(write_demo_profile(store, args.households, args.seed,
                                                                          args.as_of, _progress))):
        pass
    print(file=sys.stderr)
    print(json.dumps({"seconds": round(time.perf_counter() - started, 1), **counts}, ensure_ascii=False))
    return 0


def _preparing(done: int, total: int) -> None:
    """The first status of a month counts every household once: how far, on one line of stderr."""
    print(f"\r正在准备本月的统计：已算 {done} / {total} 户", end="" if done < total else "\n", file=sys.stderr,
          flush=True)


def profile_status(store: Store, progress: Callable[[int, int], None] | None = None) -> dict:
    ind = store.indicator_report(progress=progress).total
    return {
        "profile": str(store.info.folder), "device_id": store.info.device_id, "user": store.actor.username,
        "households": ind.households, "members": store.member_count(), "pending_changes": store.pending_change_count(),
        "last_sync": store.meta("last_sync"), "server": store.meta("server_url"),
        "open_conflicts": len(store.conflicts(open_only=True)), "sync_rejections": len(store.sync_rejections()),
        "pulled_records_waiting": store.pulled_records_waiting(),
        "month": ind.month,
        "indicators": {name: {"numerator": f.numerator, "denominator": f.denominator, "rate": round(f.rate, 4),
                              "target": f.target, "target_met": f.target_met, "unit": f.unit}
                       for name, f in ind.figures().items()},
        "distributions": ind.distributions,  # name -> code -> how many (就业去向, 行业分布, 鳏寡孤独残)
        "audit_log_intact": store.audit_chain_break() is None,
        "file_intact": not store.damaged_pages(),
        # The county server found this log cut or rewritten (what the laptop alone cannot see).
        "audit_flagged_by_server": bool(store.meta(SERVER_FLAG_META)),
    }


_STATUS_LABELS = {
    "profile": "档案", "device_id": "设备", "user": "用户", "households": "户数", "members": "人数",
    "pending_changes": "待同步修改", "last_sync": "上次同步", "server": "县服务器",
    "open_conflicts": "待处理冲突", "sync_rejections": "被服务器退回",
    # Held back: waiting for the record they belong to, or (one an earlier version held whose values its
    # columns cannot take) for the county's corrected version (core/store/held.py).
    "pulled_records_waiting": "暂缓写入的下载记录",
    "month": "统计月份", "audit_log_intact": "审计日志完整",
    "file_intact": "档案文件完好",
    "audit_flagged_by_server": "服务器发现审计日志缺损",
}
# Each indicator's name and what its denominator counts (core.indicators.Indicators).
_INDICATOR_LABELS = {
    "zero_employment": ("零就业家庭", "有劳动能力和就业意愿的户"),
    "cleared_zero_employment": ("本月动态清零", "上月零就业家庭"),
    "at_least_one_employed": ("至少一人就业的户", "有劳动能力和就业意愿的户"),
    "training": ("本年培训人数", "常住且有培训意愿的劳动力"),
    "monitoring_rounds": ("本年完成监测期数", "全年期数"),
    "visit_coverage": ("本月走访户数", "户数"),
    "overdue_grievances": ("超期诉求", "未办结诉求"),
    "monitored_without_measure": ("监测户未落实帮扶措施", "监测户"),
    "employed_members": ("就业的劳动力", "有劳动能力和就业意愿的劳动力"),
    "returned_workers_employed": ("返乡劳动力就业", "近12个月返乡的劳动力"),
    "school_dropouts": ("义务教育阶段失学辍学", "6至15周岁儿童"),
    "left_behind_children": ("留守儿童", "不满16周岁儿童"),
    "left_behind_elderly": ("留守老人", "60周岁以上老人"),
    "left_behind_women": ("留守妇女", "劳动年龄的已婚妇女"),
    "special_hardship": ("鳏寡孤独残", "全部成员"),
    "income_per_person": ("上年人均可支配收入", "元 / 人"),
    "income_growth": ("人均可支配收入增速", "上年 / 前年，同一批户"),
    "wage_share": ("上年工资性收入占比", "可支配收入"),
    "insurance_gaps": ("漏保断保人数", "全部成员"),
}
# Each distribution's name and the code list its codes come from ('' is 未记录).
_DISTRIBUTION_LABELS = {
    "employment_place": ("就业去向", "employment_scope"),
    "employment_sector": ("行业分布", "industry_section"),
    "special_hardship_kind": ("鳏寡孤独残分类", {"widower": "鳏", "widow": "寡", "orphan": "孤", "alone": "独", "disabled": "残"}),
    "insurance_gap_kind": ("漏保断保分类", {"medical_missing": "缺基本医保", "pension_missing": "缺基本养老保险",
                                        "lapsed": "断保"}),
}


def _indicator_line(name: str, figure: dict) -> str:
    label, base = _INDICATOR_LABELS.get(name, (name, ""))
    unit, rate, target = figure.get("unit", "share"), figure["rate"], figure["target"]
    # a share or count as a percentage, an amount in yuan a person, a growth signed ("高于" its target)
    shown = f"{rate:,.0f} 元/人" if unit == "amount" else f"{rate:+.1%}" if unit == "growth" else f"{rate:.1%}"
    line = f"{label:　<10} {figure['numerator']} / {figure['denominator']}（{base}）{shown}"
    if target is not None:
        goal = f"高于 {target:.1%}" if unit == "growth" else f"{target:.0%}"
        line += f"，目标 {goal}，{'已达到' if figure['target_met'] else '未达到'}"
    return line


def _distribution_line(name: str, counts: dict[str, int]) -> str:
    """One distribution on a line, its codes by their Chinese labels; codes nobody has are left out."""
    label, labels = _DISTRIBUTION_LABELS.get(name, (name, {}))

    def word(code: str) -> str:
        if code == "":
            return "未记录"
        return code_lists().label(labels, code) if isinstance(labels, str) else labels.get(code, code)

    words = [f"{word(code)} {n}" for code, n in counts.items() if n]
    return f"{label:　<10} {'，'.join(words) or '—'}"


def cmd_status(args: argparse.Namespace) -> int:
    with Store.open(args.profile, read_password()) as store:
        # A damaged file is said before anything is counted from it (a damaged page may fail any read).
        damaged = bool(store.damaged_pages())
        try:
            status = None if damaged else profile_status(store, _preparing)
        except ProfileDamaged:
            damaged = True
        if damaged:
            status = {"profile": str(store.info.folder), "device_id": store.info.device_id, "file_intact": False}
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=1))
    else:
        for key, value in status.items():
            if key == "indicators":
                for name, figure in value.items():
                    print(_indicator_line(name, figure))
            elif key == "distributions":
                for name, counts in value.items():
                    print(_distribution_line(name, counts))
            else:
                print(f"{_STATUS_LABELS.get(key, key):　<10} {'—' if value is None else value}")
    if not status["file_intact"]:
        print("档案文件有损坏的数据页：请尽快同步，并从备份恢复（main.py restore）。 / "
              "The profile's file has damaged pages: sync soon and restore a backup.", file=sys.stderr)
        return 1
    return 0


def cmd_selftest(args: argparse.Namespace) -> int:
    from core.selftest import run_selftest

    with tempfile.TemporaryDirectory(prefix="anju-selftest-") as folder:
        return run_selftest(Path(folder) / "profile", print)
