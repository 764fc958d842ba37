"""`main.py export --profile P --sqlite OUT.db [--unmasked]`: the analysts' copy from the command line."""
from __future__ import annotations

import argparse
import json
import sys

from core.outputs import check_output_file


def cmd_export_sqlite(args: argparse.Namespace) -> int:
    """Refuses a folder or a missing folder before asking for the password; progress on stderr, the
    rows per table as JSON on stdout. A ProfileError (a wrong password, OutputRefused) is said by
    core.commands.run in one line, exit 2; Ctrl+C leaves no file."""
    from core.analysis.export import export_sqlite
    from core.commands import read_password
    from core.ledger_commands import cli_progress, end_progress_line
    from core.store import Store

    out = check_output_file(args.sqlite)
    with Store.open(args.profile, read_password()) as store:
        counts = export_sqlite(store, out, unmasked=args.unmasked,
                               progress=cli_progress({"rows": ("正在复制记录", "copying records")}))
    end_progress_line()
    masked = "完整身份证号和电话（已记入审计日志）" if args.unmasked else "身份证号和电话已遮蔽，不含健康状况"
    print(f"已导出到 {out}：{sum(counts.values())} 行，{masked}。 / Exported to {out}: {sum(counts.values())} rows"
          f"{', unmasked (audited)' if args.unmasked else ', masked'}.", file=sys.stderr)
    print(json.dumps(counts, ensure_ascii=False))
    return 0
