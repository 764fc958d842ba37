"""Figures of the local store over a large demo profile (docs/architecture.md, "Benchmarks"). Prints, never asserts.

    python bench/store.py [--households 100000] [--profile DIR] [--seed 1]

Without --profile a temporary profile is generated first (about a minute for 100,000 households).
It writes to the profile it measures: edited notes and members, and 100 new households (the saves'
figures), so give --profile only a demo profile.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.collector import collect_less  # noqa: E402
from core.demo import write_demo_profile  # noqa: E402
from core.demo.load import BACKGROUND_MIN_HOUSEHOLDS  # noqa: E402
from core.store import HouseholdFilter, Store, is_profile  # noqa: E402

PASSWORD = os.environ.get("ANJU_PASSWORD", "bench-password")
# The notes and household numbers the saves write: new at every run. From the seeded generator, a
# second run on the same --profile wrote the very notes the first had, and timed saves that change
# nothing (about half as long). The households saved are still the seed's.
UNSEEDED = random.Random()


class LoadClock:
    """Stands between write_demo_profile and the store: the wall and CPU time of this process in the
    bulk loads and in the finishing step (summaries, search indexes, statistics), to show which side
    of the generating process's pipe holds the other up."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.load = [0.0, 0.0]  # wall, CPU
        self.finish = [0.0, 0.0]

    def _timed(self, into: list[float], fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            into[0] += time.perf_counter() - wall
            into[1] += time.process_time() - cpu

    def bulk_load(self, rows, reason: str, refresh: bool = True) -> dict[str, int]:  # noqa: ANN001
        return self._timed(self.load, self.store.bulk_load, rows, reason, refresh)

    def finish_bulk_load(self) -> None:
        self._timed(self.finish, self.store.finish_bulk_load)


def make_demo_profile(folder: Path, households: int, seed: int) -> None:
    """The demo profile, and where its time went."""
    with Store.create(folder, PASSWORD, username="bench") as store:
        clock = LoadClock(store)
        cpu, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        t, _ = timed(write_demo_profile, clock, households, seed, date.today())
        cpu = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    rest, rest_cpu = t - clock.load[0] - clock.finish[0], cpu - clock.load[1] - clock.finish[1]
    beside = households >= BACKGROUND_MIN_HOUSEHOLDS  # write_demo_profile's own choice
    chunks = "reading the chunks and waiting for them" if beside else "generating the chunks"
    print(f"demo data: {households} households generated and loaded in {t:.1f} s")
    print(f"  this process: bulk loads {clock.load[0]:.1f} s ({clock.load[1]:.1f} s CPU), the summaries, search "
          f"indexes and statistics at the end {clock.finish[0]:.1f} s ({clock.finish[1]:.1f} s CPU), {chunks} "
          f"{rest:.1f} s ({rest_cpu:.1f} s CPU)")
    if beside:
        print(f"  the generating process: {child:.1f} s CPU")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timed(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def keystrokes(store: Store, rng: random.Random) -> list[str]:
    """What workers type: a name, an ID number, a phone, a room, one keystroke at a time."""
    sample = store.list_households(limit=200, offset=rng.randrange(0, max(1, store.count_households() - 200)))
    words = []
    for row in rng.sample(sample, 5):
        record = store.get_household(row.id)
        head = record.members[0]
        words += [head["name"], (head["id_number"] or "")[-6:], (record.household["phone"] or "")[:7],
                  f"{record.household['building']}-{record.household['unit']}-{record.household['room']}"]
    words += ["赵无极", "13900000000"]  # matches nothing: the whole index is read
    return [w[:i] for w in words if w for i in range(1, len(w) + 1)]


def bench_search(store: Store, rng: random.Random) -> None:
    first_page, counts = [], []
    for text in keystrokes(store, rng):
        first_page.append(timed(store.search_households, text, 50)[0])
        counts.append(timed(store.count_households, HouseholdFilter(text=text))[0])
    print(f"search first page (50 rows), per keystroke: median {ms(statistics.median(first_page))}, "
          f"p95 {ms(percentile(first_page, 0.95))}, max {ms(max(first_page))} over {len(first_page)} keystrokes")
    print(f"search match count, per keystroke:           median {ms(statistics.median(counts))}, "
          f"p95 {ms(percentile(counts, 0.95))}, max {ms(max(counts))}")


# Words that match many households in the demo data: a family name, a given name's start, digits of
# phones and ID numbers, a building, and two words together. Each is read in every sort order.
BROAD_WORDS = ["袁", "龙", "王", "13", "1", "5201", "44栋", "5226011965", "5226", "袁 13", "龙 5201", "44栋 1"]


def bench_broad_words(store: Store) -> None:
    from core.store.queries import SORT_KEYS

    pages, counts, worst = [], [], (0.0, "")
    for word in BROAD_WORDS:
        f = HouseholdFilter(text=word)
        counts.append(timed(store.count_households, f)[0])
        for key in SORT_KEYS:
            for descending in (False, True):
                t = timed(store.list_households, f, key, descending, 0, 200)[0]
                pages.append(t)
                worst = max(worst, (t, f"{word!r} by {key}{' desc' if descending else ''}"))
    print(f"broad words, first page of 200 in each of {2 * len(SORT_KEYS)} orders: median {ms(statistics.median(pages))}, "
          f"p95 {ms(percentile(pages, 0.95))}, max {ms(max(pages))} ({worst[1]}); "
          f"their counts: median {ms(statistics.median(counts))}, max {ms(max(counts))}")


def bench_saves(store: Store, rng: random.Random, n: int = 200) -> None:
    total = store.count_households()
    times = []
    for _ in range(n):
        row = store.list_households(offset=rng.randrange(total), limit=1)[0]
        record = store.get_household(row.id)
        household = {**record.household, "notes": f"走访备注 {UNSEEDED.random():.12f}"}
        times.append(timed(store.save_household, household, record.members)[0])
    print(f"household save (edit with members): median {ms(statistics.median(times))}, p95 {ms(percentile(times, 0.95))}")


def bench_lists(store: Store) -> None:
    for sort in ("household_no", "head_name", "updated_at"):
        t, _ = timed(store.list_households, None, sort, False, 50_000, 100)
        print(f"list page of 100 at offset 50,000 sorted by {sort}: {ms(t)}")
    settlement = store.settlements()[0]["id"] if store.settlements() else "none"
    grids = store.grids(settlement)
    grid = grids[0]["id"] if grids else "none"
    for name, f in (("zero employment", HouseholdFilter(zero_employment=True)),
                    ("overdue grievance", HouseholdFilter(overdue_grievance=True)),
                    ("not visited this month", HouseholdFilter(not_visited_this_month=True)),
                    ("settlement", HouseholdFilter(settlement_id=settlement)),
                    ("grid", HouseholdFilter(grid_id=grid)),
                    ("monitoring category 边缘易致贫户", HouseholdFilter(monitoring_category="marginal")),
                    ("monitored only", HouseholdFilter(monitored_only=True)),
                    ("settlement + zero employment", HouseholdFilter(settlement_id=settlement, zero_employment=True)),
                    ("settlement + not visited", HouseholdFilter(settlement_id=settlement, not_visited_this_month=True)),
                    ("settlement + monitored", HouseholdFilter(settlement_id=settlement, monitored_only=True)),
                    ("settlement + word 袁", HouseholdFilter(settlement_id=settlement, text="袁")),
                    ("grid + word 王", HouseholdFilter(grid_id=grid, text="王")),
                    ("monitored + zero employment", HouseholdFilter(monitored_only=True, zero_employment=True))):
        t, n = timed(store.count_households, f)
        page, _ = timed(store.list_households, f, "household_no", False, 0, 200)
        print(f"filter {name}: {n} households counted in {ms(t)}; first page of 200 in {ms(page)}")


def households_count(text: str) -> int:
    """--households: a whole number, 0 or more (0: the reference data alone)."""
    if not text.isdecimal():
        raise argparse.ArgumentTypeError(f"a whole number of households, 0 or more, not {text!r}")
    return int(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=households_count, default=100_000)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    collect_less()  # as the app does at its entry (gui.cli.entry)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="anju-bench-") as tmp:
        folder = args.profile or Path(tmp) / "profile"
        if not is_profile(folder):
            make_demo_profile(folder, args.households, args.seed)
        opens = []
        for _ in range(3):
            t, opened = timed(Store.open, folder, PASSWORD)
            opened.close()
            opens.append(t)
        print(f"profile open (scrypt key derivation + schema check): median {ms(statistics.median(opens))}")
        with Store.open(folder, PASSWORD) as store:
            print(f"households: {store.count_households()}, members: {store.member_count()}")
            bench_search(store, rng)
            bench_broad_words(store)
            bench_saves(store, rng)
            bench_lists(store)
            bench_indicators(store)
            bench_saves_with_facts(store, rng)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak resident memory: {peak:.0f} MB")


def bench_saves_with_facts(store: Store, rng: random.Random, n: int = 100) -> None:
    """Saves once this month's facts are kept (the dashboard keeps them from its first opening in a
    month): each save counts its household again for the indicators before it commits. A household
    edited with its members, and a new household of four copied from one there (new ids, no ID
    numbers, so none is refused as registered elsewhere)."""
    total = store.count_households()
    edits, new = [], []
    for i in range(n):
        row = store.list_households(offset=rng.randrange(total), limit=1)[0]
        record = store.get_household(row.id)
        household = {**record.household, "notes": f"走访备注 {UNSEEDED.random():.12f}"}
        edits.append(timed(store.save_household, household, record.members)[0])
        fresh = {k: v for k, v in record.household.items() if k not in ("id", "updated_at", "created_at")}
        fresh["household_no"] = f"B{i:07d}{UNSEEDED.randrange(10**6):06d}"
        members = [{k: v for k, v in m.items() if k not in ("id", "household_id", "updated_at", "created_at")}
                   | {"id_number": None} for m in record.members[:4]]
        new.append(timed(store.save_household, fresh, members)[0])
    print(f"with this month's facts kept: household save (edit with members): median {ms(statistics.median(edits))}, "
          f"p95 {ms(percentile(edits, 0.95))}; a new household: median {ms(statistics.median(new))}, "
          f"p95 {ms(percentile(new, 0.95))}")


def bench_indicators(store: Store) -> None:
    """The figures of this month: counted from every record (as for another month), prepared (what each
    household adds, once a month or after the county's rules change), then read as sums (the dashboard)."""
    from core.indicators import compute_report

    with store.reading() as s:
        t, _ = timed(compute_report, s, date.today(), store.county_rules())
    print(f"indicators counted from every record: {ms(t)}")
    # the prepared facts are dropped so that their preparing is timed too
    with store.writing() as s:
        from core.store.facts import forget_facts
        forget_facts(s)
    t, _ = timed(store.indicator_report)
    print(f"indicators, this month's facts prepared (once a month): {ms(t)}")
    times = [timed(store.indicator_report)[0] for _ in range(5)]
    report = store.indicator_report()
    ind = report.total
    print(f"indicators (all {len(ind.figures())} figures, {len(report.by_grid)} grids), as kept sums: "
          f"median {ms(statistics.median(times))}; zero-employment {ind.zero_employment_households}, "
          f"at least one employed {ind.at_least_one_employed.rate:.1%}, training coverage {ind.training.rate:.1%}")
    t, _ = timed(store.indicator_trend)
    print(f"twelve-month trend: {ms(t)}")


if __name__ == "__main__":
    main()
