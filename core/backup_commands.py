"""The backup verbs of main.py (core/store/backup.py and restore.py do the work):

    python main.py backup --profile DIR [--keep N]
    python main.py restore --profile DIR --list
    python main.py restore --profile DIR --backup FILE [--keep N]

`backup` takes an encrypted copy now, prints its size and time as JSON, and keeps the newest N of
each kind. `restore --list` shows the rotating backups with what each holds; `restore --backup`
puts one back (a file, or a name from the list) while keeping the changes not yet synced, after
saving the current state as a backup of its own, whose name it prints. The profile must be
closed: a profile open in the app is refused, untouched.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.store.backup import KEEP


def add_backup_verbs(verbs: argparse._SubParsersAction) -> None:
    b = verbs.add_parser("backup", help="take an encrypted backup of a profile now (kept with the rotating backups)")
    b.add_argument("--profile", type=Path, required=True)
    b.add_argument("--keep", type=int, default=KEEP, help=f"backups of each kind kept (default {KEEP})")
    r = verbs.add_parser("restore", help="list a profile's backups, or restore one keeping the unsynced changes")
    r.add_argument("--profile", type=Path, required=True)
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--backup", help="the backup file, or its name as --list shows it")
    which.add_argument("--list", action="store_true", help="list the backups: time, kind, size, what each holds")
    r.add_argument("--json", action="store_true", help="with --list: as JSON")
    r.add_argument("--keep", type=int, default=KEEP, help=f"backups of each kind kept (default {KEEP})")


def cmd_backup(args: argparse.Namespace) -> int:
    from core.commands import read_password
    from core.store import Store

    if args.keep < 1:
        print("--keep 必须是正整数。 / --keep must be a positive number.", file=sys.stderr)
        return 2
    with Store.open(args.profile, read_password()) as store:
        store.backups.keep = args.keep
        result = store.backups.take("manual")
    print(f"已备份到 {result.path.name}（{result.size / 2**20:.1f} MB，{result.seconds * 1000:.0f} ms） / "
          f"Backed up to {result.path}", file=sys.stderr)
    print(json.dumps(result.as_dict(), ensure_ascii=False))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from core.commands import read_password
    from core.store.restore import list_folder, restore_folder

    if args.list:
        backups = list_folder(args.profile, read_password())
        if args.json:
            print(json.dumps([{"file": b.path.name, "taken_at": b.taken_at.isoformat(timespec="seconds"),
                               "kind": b.kind, "size_mb": round(b.size / 2**20, 2), "households": b.households,
                               "members": b.members, "pending_changes": b.pending, "problem": b.problem or None}
                              for b in backups], ensure_ascii=False, indent=1))
        elif not backups:
            print("这个档案还没有备份。 / This profile has no backups yet.")
        for b in backups if not args.json else ():
            what = (f"{b.households} 户 households, {b.members} 人 members, {b.pending} 项待同步 unsynced"
                    if b.readable else b.problem)
            print(f"{b.path.name}  {b.taken_at:%Y-%m-%d %H:%M:%S}  {b.kind_label()}/{b.kind_label('en')}  "
                  f"{b.size / 2**20:.1f} MB  {what}")
        return 0
    result = restore_folder(args.profile, read_password(), args.backup, keep=max(1, args.keep))
    print(result.message(), file=sys.stderr)
    print(json.dumps(result.as_dict(), ensure_ascii=False))
    return 0


BACKUP_VERBS = {"backup": cmd_backup, "restore": cmd_restore}
