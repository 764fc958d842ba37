"""`anju` (and `python main.py`): the desktop app by default, plus the command-line verbs that
README.md lists (core's, the screenshots, and the sync client's enroll and sync)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from core.collector import collect_less


def add_app_verbs(verbs) -> None:  # noqa: ANN001 - argparse's sub-parsers
    """The verbs that need more than core/: screenshots and card (Qt), enroll and sync (sync/)."""
    shots = verbs.add_parser("screenshots", help="write screenshots of the main screens with demo data to a folder")
    shots.add_argument("--out", required=True, help="folder for the PNG files")
    shots.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    from sync.commands import add_sync_verbs

    add_sync_verbs(verbs)
    card = verbs.add_parser("card", help="a household's one-page A4 card as PDF (masked unless --unmasked)")
    card.add_argument("--profile", type=Path, required=True)
    card.add_argument("--household", required=True, metavar="NO", help="the household's number (户编号)")
    card.add_argument("--out", type=Path, required=True, metavar="card.pdf")
    card.add_argument("--unmasked", action="store_true",
                      help="ID numbers, phones and health in full (written to the audit log)")


def main(argv: list[str] | None = None) -> int:
    from core.commands import build_parser, run
    from core.paths import configure_logging

    args = build_parser(add_app_verbs).parse_args(sys.argv[1:] if argv is None else argv)
    configure_logging(args.log_level)
    if args.verb is None:
        from gui.app import run_app

        return run_app(args)
    if args.verb == "screenshots":
        from gui.screenshots import write_screenshots

        try:
            Path(args.out).mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file in the way, no permission
            from core.commands import os_error_words

            print(os_error_words(exc), file=sys.stderr)
            return 2
        return write_screenshots(args.out, args.lang)
    if args.verb == "card":
        from gui.card import cmd_card

        return cmd_card(args)
    if args.verb in ("enroll", "sync", "bundle"):
        from sync.commands import run_sync_verb

        return run_sync_verb(args)
    status = run(args)
    if args.verb == "selftest" and status == 0:
        from gui.selftest import run_gui_selftest

        status = run_gui_selftest(print)
    return status


def entry() -> int:
    """main() with Ctrl+C answered in words: whatever was being written is rolled back or removed."""
    collect_less()  # a pull or a bulk load makes objects by the hundred thousand (core.collector)
    try:
        return main()
    except KeyboardInterrupt:
        print("\n已取消：未完成的部分没有保存。 / Cancelled: nothing half-done was kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `main.py status | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(entry())
