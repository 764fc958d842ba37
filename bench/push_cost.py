"""What one push costs the county server, counted in instructions by valgrind's callgrind: the same
code gives the same count to within a few tenths of a percent, where its CPU time on a shared machine
moves by a fifth from one run to the next. Two versions of the code compare exactly; prints figures,
never asserts.

    python bench/push_cost.py [--pushes 20] [--ops 50] [--small 5] [--db postgresql|sqlite|URL]

The server runs as its own process (`python -m sync.server serve`, one worker) under callgrind,
three times, each on a new demo county: two devices log in, one of them pushes two batches (the
caches every push fills, filled), then the other pushes nothing, `--pushes` batches of `--ops` new
records, or as many of `--small` (households and their four members, as bench/load.py sends them,
one after another). The differences from the run without pushes are what the pushes cost, every
instruction of the server process included (HTTP, parsing, the county's rules, the merge, the
database driver), but none of the database's own. Two sizes split a push's cost into what every
push costs whatever its size and what each record adds.

Needs valgrind (Debian's package); about three minutes on PostgreSQL, where the server runs some
fifty times slower than it would.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from county import ROOT, at_least, county_database, free_port, make_county, say, wait_ready  # noqa: E402
from load import login_all, plan_device, send  # noqa: E402

WARM_PUSHES = 2
_COLLECTED = re.compile(r"Collected : (\d+)")


def server_instructions(db: str, pushes: int, ops: int) -> int:
    """The instructions of a county server process that starts, serves two logins and the warm-up
    pushes, then `pushes` pushes of `ops` new records each, and stops."""
    import requests

    with county_database(db) as db_url:
        make_county(db_url)
        port, url = free_port(), ""
        folder = Path(tempfile.mkdtemp(prefix="anju-push-cost-"))
        try:
            counts = folder / "valgrind.log"
            with open(folder / "server.log", "wb") as log:
                proc = subprocess.Popen(
                    ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", f"--log-file={counts}",
                     sys.executable, "-m", "sync.server", "serve", "--db", db_url, "--port", str(port), "--workers", "1"],
                    cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
                try:
                    url = f"http://127.0.0.1:{port}"
                    wait_ready(url, proc, timeout=900)
                    warm_token, token = login_all(url, 2)
                    people = iter(range(10**7))
                    warm = plan_device(0, warm_token, WARM_PUSHES, 50, people)
                    measured = plan_device(1, token, max(2, pushes), ops, people)
                    with requests.Session() as session:
                        for device, batches in ((warm, warm.batches), (measured, measured.batches[:pushes])):
                            for batch in batches:
                                sent = send(session, url, device.token, batch, "first")
                                if sent.status != 200:
                                    raise SystemExit(f"a push failed: {sent.status} {sent.error}")
                finally:
                    os.killpg(proc.pid, signal.SIGTERM)  # uvicorn stops; valgrind then writes its count
                    proc.wait(900)
            found = _COLLECTED.search(counts.read_text(errors="replace"))
            if found is None:
                raise SystemExit(f"valgrind gave no count:\n{counts.read_text(errors='replace')[-2000:]}")
            return int(found.group(1))
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pushes", type=at_least(1), default=20, help="pushes counted in each size")
    parser.add_argument("--ops", type=at_least(2), default=50, help="records in a push (households and members)")
    parser.add_argument("--small", type=at_least(1), default=5, help="records in a small push (fewer than --ops)")
    parser.add_argument("--db", default="postgresql", help="postgresql (default: a scratch database on "
                                                           "127.0.0.1:5432), a postgresql+psycopg:// URL, or sqlite")
    args = parser.parse_args(argv)
    if args.small >= args.ops:
        parser.error(f"--small ({args.small}) must be fewer records than --ops ({args.ops})")
    if shutil.which("valgrind") is None:
        print("push_cost needs valgrind (apt-get install valgrind); nothing was measured", file=sys.stderr)
        return 2
    runs = {}
    for label, ops in (("none", 0), ("large", args.ops), ("small", args.small)):
        say(f"server under callgrind: {args.pushes if ops else 0} pushes of {ops} records")
        runs[label] = server_instructions(args.db, args.pushes if ops else 0, max(ops, 1))
    large = (runs["large"] - runs["none"]) / args.pushes
    small = (runs["small"] - runs["none"]) / args.pushes
    per_record = (large - small) / (args.ops - args.small)
    fixed = small - per_record * args.small
    db = "SQLite" if args.db == "sqlite" else "PostgreSQL"
    print(f"\nthe county server's instructions a push of new households and members, on {db} "
          f"(callgrind, {args.pushes} pushes of each size, the database's own work not counted)")
    print(f"  a push of {args.ops} records: {large / 1e6:.2f} million")
    print(f"  a push of {args.small} records: {small / 1e6:.2f} million")
    print(f"  so every push {fixed / 1e6:.2f} million whatever its size, and each record {per_record / 1e3:.0f} thousand")
    print(f"  (the server's start, two logins and {WARM_PUSHES} warm-up pushes: {runs['none'] / 1e6:.0f} million, "
          f"left out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
