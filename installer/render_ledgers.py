"""Render exported ledgers to PNG for docs/screenshots/ (the first page as printed: A4 landscape, the
header rows, the page number), so a reader sees what a county office files.

    python installer/render_ledgers.py [--out docs/screenshots] [--ledgers labour,dispatch]

Needs LibreOffice (`soffice`, Debian: libreoffice-calc-nogui) to print the .xlsx to PDF, poppler's
`pdftoppm` (poppler-utils) to rasterise it, and a Chinese font for LibreOffice (fonts-noto-cjk). Makes
a 300-household demo profile in a temporary folder; writes ledger-<name>.png.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.demo import write_demo_profile  # noqa: E402
from core.ledgers import LEDGERS, export_ledgers, ledger_file_name  # noqa: E402
from core.store import Store  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--ledgers", default="labour,dispatch")
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args()
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        print(f"needs {', '.join(missing)} (Debian: libreoffice-calc-nogui poppler-utils fonts-noto-cjk)",
              file=sys.stderr)
        return 2
    names = args.ledgers.split(",")
    today = date(2026, 11, 30)
    month = today.strftime("%Y-%m")
    with tempfile.TemporaryDirectory(prefix="anju-render-") as scratch:
        work = Path(scratch)
        with Store.create(work / "profile", "render-password", username="c1") as store:
            write_demo_profile(store, 300, seed=1, as_of=today)
            export_ledgers(store, names, month, work, today=today)
        for name in names:
            xlsx = work / ledger_file_name(LEDGERS[name], month)
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(xlsx)],
                           check=True, capture_output=True, timeout=300)
            prefix = work / f"ledger-{name}"
            subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", "1", "-singlefile",
                            str(xlsx.with_suffix(".pdf")), str(prefix)], check=True, timeout=120)
            args.out.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(prefix.with_suffix(".png"), args.out / f"ledger-{name}.png")
            print(args.out / f"ledger-{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
