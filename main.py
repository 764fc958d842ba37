"""Anju (安居): the desktop app by default, plus the command-line verbs of DESIGN.md section 6."""
from __future__ import annotations

import sys


def add_gui_verbs(verbs) -> None:  # noqa: ANN001 - argparse's sub-parsers
    shots = verbs.add_parser("screenshots", help="write screenshots of the main screens with demo data to a folder")
    shots.add_argument("--out", required=True, help="folder for the PNG files")
    shots.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])


def main(argv: list[str] | None = None) -> int:
    from core.commands import build_parser, run

    args = build_parser(add_gui_verbs).parse_args(sys.argv[1:] if argv is None else argv)
    if args.verb is None:
        from gui.app import run_app

        return run_app(args)
    if args.verb == "screenshots":
        from gui.screenshots import write_screenshots

        return write_screenshots(args.out, args.lang)
    status = run(args)
    if args.verb == "selftest" and status == 0:
        from gui.selftest import run_gui_selftest

        status = run_gui_selftest(print)
    return status


if __name__ == "__main__":
    sys.exit(main())
