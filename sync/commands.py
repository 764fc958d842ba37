"""The sync verbs of main.py (docs/protocol.md, "Enrollment"): enroll a device, and sync headless.

    python main.py enroll --profile DIR --server URL --username U [--ca-bundle F]
    python main.py sync --profile DIR [--server URL]
    python main.py bundle export --profile DIR FILE      a worker's pending changes, for a clerk to forward
    python main.py bundle import --profile DIR FILE      a worker's bundle (clerk), or the server's reply (worker)
    python main.py bundle replies --profile DIR --out FOLDER   the replies a clerk's sync brought, to hand back

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
    b = verbs.add_parser("bundle", help="offline bundles for a worker with no connection (docs/bundles.md)")
    actions = b.add_subparsers(dest="action", required=True)
    for action, words in (("export", "write this laptop's pending changes into FILE, for a clerk to forward"),
                          ("import", "take FILE: a worker's bundle (on a clerk's laptop) or the server's reply")):
        one = actions.add_parser(action, help=words)
        one.add_argument("--profile", type=Path, required=True)
        one.add_argument("file", type=Path)
    replies = actions.add_parser("replies", help="write the replies a clerk's sync brought into FOLDER")
    replies.add_argument("--profile", type=Path, required=True)
    replies.add_argument("--out", type=Path, required=True)


def _progress(stage: str, done: int, total: int | None) -> None:
    words = {"push": "上传 push", "pull": "下载 pull", "settle": "整理户列表 listing households"}[stage]
    print(f"\r{words}: {done}" + (f"/{total}" if total else ""), end="", file=sys.stderr, flush=True)


def _summary(report) -> str:  # noqa: ANN001 - sync.client.SyncReport
    pushed = ", ".join(f"{k} {v}" for k, v in sorted(report.pushed.items())) or "nothing"
    return f"pushed: {pushed}; pulled: {report.pulled} records; cursor {report.cursor}; {report.seconds:.2f} s"


def run_bundle_verb(args: argparse.Namespace) -> int:
    from sync.bundle import BundleError
    from sync.bundles import export_bundle, import_bundle, write_replies

    if args.action == "import" and not args.file.is_file():
        print(f"找不到文件“{args.file}”。 / No such file: {args.file}", file=sys.stderr)
        return 2
    try:
        with Store.open(args.profile, read_password()) as store:
            if args.action == "export":
                r = export_bundle(store, args.file)
                print(f"wrote {args.file}: {r.ops} changes in {r.batches} batches (bundle {r.bundle_id})")
            elif args.action == "import":
                r = import_bundle(store, args.file)
                answered = ", ".join(f"{k} {v}" for k, v in sorted(r.answered.items())) or "nothing to answer"
                print(f"reply imported: {answered}; {r.pulled} records received; {len(r.refused)} refused"
                      if r.kind == "reply" else
                      f"bundle of {r.username} kept: it goes to the county server with this laptop's next sync")
                for refused in r.refused:
                    print(f"rejected {refused['entity']} {refused['row_id']}: {refused['reason']}", file=sys.stderr)
            else:
                for path in write_replies(store, args.out):
                    print(f"wrote {path}")
        return 0
    except BundleError as exc:
        print(exc, file=sys.stderr)
        return 1
    except ProfileError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(os_error_words(exc), file=sys.stderr)
        return 1


def run_sync_verb(args: argparse.Namespace) -> int:
    from sync.client import SyncError, enroll, server_for, sync_profile  # requests only when syncing

    if args.verb == "bundle":
        return run_bundle_verb(args)
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
            if report.bundles_forwarded or report.bundle_refusals:
                print(f"offline bundles forwarded: {report.bundles_forwarded}; replies to hand back: "
                      f"main.py bundle replies --profile {args.profile} --out FOLDER")
            for refused in report.bundle_refusals:
                print(f"bundle of {refused['username']} refused: {refused['reason']}", file=sys.stderr)
        return 0
    except (SyncError, ProfileError) as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"\n{os_error_words(exc)}", file=sys.stderr)
        return 1
