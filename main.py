"""Anju (安居): the desktop app by default, plus the command-line verbs of DESIGN.md section 6."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from core.commands import build_parser, run

    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
