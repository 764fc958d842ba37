"""Backup and restore figures (core/store/backup.py) over a demo profile. Prints, never asserts.

    python bench/backup.py [--households 10000] [--profile DIR] [--runs 3] [--edits 200]

Without --profile a temporary demo profile of N households is made first (as
`python main.py demo-data --profile DIR --households N` does; the password is ANJU_PASSWORD, or
"bench-password"). Prints the profile's size, then for each run the time of a backup (one
consistent copy through SQLite's backup API, encrypted with the profile's key, fsynced, renamed)
and its size; the time of a backup while another thread saves households; and the time of a
restore that keeps `--edits` unsynced household edits made after the backup. The machine's load
average is printed alongside, since the figures mean little on a busy machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.demo import write_demo_profile  # noqa: E402
from core.store import Store, is_profile  # noqa: E402

PASSWORD = os.environ.get("ANJU_PASSWORD", "bench-password")


def mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def profile_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("anju.db*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--profile", type=Path, help="an existing profile (left as it was, but for its backups)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=200, help="unsynced edits made after the backup, then restored")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="anju-bench-backup-") as scratch:
        folder = args.profile or Path(scratch) / "profile"
        if not is_profile(folder):
            started = time.perf_counter()
            with Store.create(folder, PASSWORD, username="bench", display_name="bench") as store:
                write_demo_profile(store, args.households, 1, date.today())
            print(f"made a demo profile of {args.households} households in {time.perf_counter() - started:.1f} s")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
        with Store.open(folder, PASSWORD) as store:
            households = store.count_households()
            print(f"profile: {households} households, {store.member_count()} members, "
                  f"anju.db {mb(profile_bytes(folder))}")
            times = []
            for _ in range(args.runs):
                result = store.backups.take("manual")
                times.append(result.seconds)
                print(f"backup: {result.seconds * 1000:.0f} ms, {mb(result.size)} ({result.path.name})")
            print(f"backup median: {statistics.median(times) * 1000:.0f} ms "
                  f"({mb(result.size)}; {result.size / max(1, profile_bytes(folder)):.2f} x the profile)")
            listed = time.perf_counter()
            backups = store.backups.list()
            print(f"listing {len(backups)} backups with what each holds: {(time.perf_counter() - listed) * 1000:.0f} ms")

            # A backup while the app goes on saving: the copy is one snapshot, the saves are not stopped.
            stop, saves = threading.Event(), []

            def keep_saving() -> None:
                rows = store.list_households(limit=200)
                i = 0
                while not stop.is_set():
                    record = store.get_household(rows[i % len(rows)].id, log_access=False)
                    t = time.perf_counter()
                    store.save_household({**record.household, "phone": f"139{i:08d}"}, record.members, removed=[])
                    saves.append(time.perf_counter() - t)
                    i += 1

            writer = threading.Thread(target=keep_saving)
            writer.start()
            time.sleep(0.2)
            during = store.backups.take("manual")
            stop.set()
            writer.join()
            print(f"backup while saving: {during.seconds * 1000:.0f} ms; {len(saves)} saves meanwhile, "
                  f"slowest {max(saves) * 1000:.0f} ms, median {statistics.median(saves) * 1000:.1f} ms")

            taken = store.backups.take("manual")
            for row in store.list_households(limit=args.edits):
                record = store.get_household(row.id, log_access=False)
                store.save_household({**record.household, "room": "808"}, record.members, removed=[])
            pending = store.pending_change_count()
            restored = store.backups.restore(taken.path)
            print(f"restore keeping {restored.kept_changes} unsynced changes ({pending} waiting) of "
                  f"{restored.carried_records} records: {restored.seconds * 1000:.0f} ms "
                  f"(safety backup included), then the store reopened")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
