"""The sync verbs of main.py (docs/protocol.md, "Enrollment"): enroll a device, and sync headless.

    python main.py enroll --profile DIR --server URL --username U [--ca-bundle F]
    python main.py sync --profile DIR [--server URL]

Progress goes to stderr; a failure prints why and exits non-zero, keeping everything not yet sent.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.commands import os_error_words, read_password
from core.store import ProfileError, Store, is_profile


def add_sync_verbs(verbs: argparse._SubParsersAction) -> None:
    e = verbs.add_parser("enroll", help="log in to the county server, register this device, make the profile, pull")
    e.add_argument("--profile", type=Path, required=True)
    e.add_argument("--server", required=True, help="the county server, e.g. https://anju.county.example")
    e.add_argument("--username", required=True)
    e.add_argument("--ca-bundle", help="the county's own CA certificate (PEM), for HTTPS")
    e.add_argument("--device-name", default="")
    s = verbs.add_parser("sync", help="push then pull, headless")
    s.add_argument("--profile", type=Path, required=True)
    s.add_argument("--server", help="another address of the county server than the one enrolled with")


def _progress(stage: str, done: int, total: int | None) -> None:
    words = {"push": "上传 push", "pull": "下载 pull"}[stage]
    print(f"\r{words}: {done}" + (f"/{total}" if total else ""), end="", file=sys.stderr, flush=True)


def _summary(report) -> str:  # noqa: ANN001 - sync.client.SyncReport
    pushed = ", ".join(f"{k} {v}" for k, v in sorted(report.pushed.items())) or "nothing"
    return f"pushed: {pushed}; pulled: {report.pulled} records; cursor {report.cursor}; {report.seconds:.2f} s"


def run_sync_verb(args: argparse.Namespace) -> int:
    from sync.client import SyncError, enroll, server_for, sync_profile  # requests only when syncing

    try:
        if args.verb == "enroll":
            if is_profile(args.profile):
                print(f"“{args.profile}”中已有档案。 / A profile already exists in {args.profile}.", file=sys.stderr)
                return 2
            store, report = enroll(args.profile, args.server, args.username, read_password("密码 / Password: "),
                                   args.ca_bundle, args.device_name, _progress)
        else:
            store = Store.open(args.profile, read_password())
            server = server_for(store, args.server)
            try:
                report = sync_profile(store, server, _progress)
            finally:
                server.close()
        with store:
            print(file=sys.stderr)
            for r in report.rejections:
                print(f"rejected {r['entity']} {r['row_id']}: {r['reason']}", file=sys.stderr)
            print(_summary(report))
        return 0
    except (SyncError, ProfileError) as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"\n{os_error_words(exc)}", file=sys.stderr)
        return 1
