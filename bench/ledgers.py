"""The 台账 figures: a ledger of 100,000 members to .xlsx (seconds and peak memory), and the dry run of a
10,000-row roster (seconds). Prints, never asserts.

    python bench/ledgers.py [--households 26000] [--profile DIR] [--ledgers roster,labour] [--runs 2]
                            [--roster-rows 10000]

Without --profile a temporary demo profile is made first (26,000 demo households hold about 100,000
members; the password is ANJU_PASSWORD, or "bench-password"). Each export runs in a process of its own,
as `main.py export` does, so its peak resident memory is the export's (os.wait4's ru_maxrss); the time
is the export itself, after the profile is open. The dry run checks a roster written from the demo data
(unmasked, so every ID can be checked) against a profile with the county's places and no households,
as a village's first import would be.
The machine's load average is printed alongside: the figures mean little on a busy machine.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.demo import write_demo_profile  # noqa: E402
from core.store import Store, is_profile  # noqa: E402

PASSWORD = os.environ.get("ANJU_PASSWORD", "bench-password")
CHILD = """
import json, sys, time
from pathlib import Path
from core.ledgers import export_ledgers
from core.store import Store
store = Store.open(Path(sys.argv[1]), sys.argv[2])
started = time.perf_counter()
result = export_ledgers(store, [sys.argv[3]], sys.argv[4], Path(sys.argv[5]))
print(json.dumps({"seconds": time.perf_counter() - started, "rows": result.rows[sys.argv[3]]}))
store.close()
"""


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def export_once(folder: Path, ledger: str, month: str, out: Path) -> tuple[float, int, float, int]:
    """(seconds, rows, peak MB, file bytes) of one export in a process of its own."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), PASSWORD, ledger, month, str(out)],
                            stdout=subprocess.PIPE, cwd=ROOT)
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"the export of {ledger} failed (exit {proc.returncode})")
    figures = json.loads(output)
    return figures["seconds"], figures["rows"], usage.ru_maxrss / 1024, out.stat().st_size


def _places(store: Store) -> dict[str, list[dict]]:
    from sqlalchemy import select

    from core.models import Area, Grid, Settlement
    from core.store.records import row_to_dict

    with store.reading() as s:
        return {model.__tablename__: [row_to_dict(r) for r in s.execute(select(model)).scalars()]
                for model in (Area, Settlement, Grid)}


def dry_run(scratch: Path, rows: int) -> None:
    """Write a roster of about `rows` members from a demo profile and check it against an empty profile."""
    from core.ledgers import export_ledgers
    from core.progress import QUIET
    from core.roster import check_roster

    small = scratch / "roster-source"
    households = max(1, rows * 26_000 // 102_000)
    with Store.create(small, PASSWORD, username="bench") as store:
        write_demo_profile(store, households, seed=11, as_of=date.today())
        roster = scratch / "roster.xlsx"
        export_ledgers(store, ["roster"], date.today().strftime("%Y-%m"), roster, masked=False)
        written = store.member_count()
        places = _places(store)
    with Store.create(scratch / "empty", PASSWORD, username="bench") as empty:
        empty.bulk_load(places, "bench: the county's places")  # its settlements and grids, no households yet
        started = time.perf_counter()
        check = check_roster(empty, roster, QUIET)
        seconds = time.perf_counter() - started
    print(f"roster dry run: {written} rows checked in {seconds:.2f} s ({written / seconds:,.0f} rows/s), "
          f"{len(check.problems)} problems found; target under 10 s for 10,000 rows  [{load()}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=26_000)
    parser.add_argument("--profile", type=Path, help="an existing profile (read only; the audit log gains a line)")
    parser.add_argument("--ledgers", default="roster,labour")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--roster-rows", type=int, default=10_000)
    args = parser.parse_args()
    month = date.today().strftime("%Y-%m")
    with tempfile.TemporaryDirectory(prefix="anju-bench-ledgers-") as scratch:
        folder = args.profile or Path(scratch) / "profile"
        if not is_profile(folder):
            started = time.perf_counter()
            with Store.create(folder, PASSWORD, username="bench") as store:
                write_demo_profile(store, args.households, seed=1, as_of=date.today())
            print(f"demo profile of {args.households:,} households made in {time.perf_counter() - started:.1f} s")
        with Store.open(folder, PASSWORD) as store:
            print(f"{store.member_count():,} members  [{load()}]")
        for ledger in filter(None, args.ledgers.split(",")):
            for run in range(1, args.runs + 1):
                out = Path(scratch) / f"{ledger}-{run}.xlsx"
                seconds, rows, peak, size = export_once(folder, ledger, month, out)
                print(f"{ledger:<12} run {run}: {rows:,} rows in {seconds:.2f} s ({rows / seconds:,.0f} rows/s), "
                      f"peak {peak:.0f} MB resident, file {size / 2**20:.1f} MB; target under 15 s and 300 MB  "
                      f"[{load()}]")
                out.unlink()
        if args.roster_rows:
            dry_run(Path(scratch), args.roster_rows)


if __name__ == "__main__":
    main()
