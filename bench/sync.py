"""Sync push and pull through Anju's real county server, side by side with Anki's sync server and
pouchdb-server in the same run (docs/architecture.md, "Benchmarks"). Prints figures, never asserts.

    python bench/sync.py [--records 10000] [--edits 1000] [--db sqlite|postgresql|URL]
                         [--server process|thread] [--skip-peers] [--noop-runs 20]
                         [--profile DIR] [--json FILE]

Anju's side, all through HTTP on loopback with the real client (sync.client):
1. the demo county in a scratch database (SQLite by default; ``--db postgresql`` makes a scratch
   database on 127.0.0.1:5432 and drops it at the end) and the server (its own process by default);
2. profiles enrolled as w1 and w2 (workers of the same grid); w1 makes N members in N/4 households
   with ``Store.save_household`` (timed on its own: not part of any sync figure);
3. push: w1's ``push_outbox``; pull: w2's ``pull_changes`` of all of it into a profile holding only
   the reference data; records/s counts members (households are sent too, and are said);
4. incremental: 1,000 members edited on w1 (phone and education), w1's ``sync_profile`` (push, then
   the pull that follows it), then w2's ``sync_profile`` receiving them;
5. a sync with nothing to do: w1's ``sync_profile``, the median of ``--noop-runs``.
Each figure is split into profile store time, HTTP round trips (server time plus loopback), and the
client's own Python (ops, pydantic, JSON, gzip); with ``--server thread`` the time the server's
request handlers take is shown too, and ``--profile DIR`` keeps cProfile files of both sides.

The peers come from bench/peers.py (installed once into ~/.cache/anju-peers) and get the same
member rows (names, phones, households of four).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))  # before bench/ itself: `sync` is the package, not this file

from county import (  # noqa: E402
    PASSWORD, HandlerClock, county_database, county_server, make_county, process_cpu, resident_id, say,
)
from peers import member_rows, print_peers, run_peers  # noqa: E402

from sync.client import SyncReport, enroll, pull_changes, push_outbox, server_for, sync_profile  # noqa: E402
from sync.server.demo import GRID_IDS, SETTLEMENT_ID  # noqa: E402

GRID_W1 = GRID_IDS["522601100201-01"]
RELATIONS = ("head", "spouse", "son", "daughter")
EDUCATION = ("none", "primary", "junior", "senior", "vocational", "college", "bachelor")
SKILLS = ("skilled", "ordinary", "weak", "none")
STORE_METHODS = ("pending_change_count", "next_push_batch", "finish_push_batch", "pull_cursor", "apply_pulled",
                 "schema_revision", "set_meta")
TARGET_INCREMENTAL_S, TARGET_NOOP_MS, POUCH_FACTOR = 0.3, 20.0, 5


# ---------------------------------------------------------------- the data

def households(records: int) -> list[tuple[dict, list[dict]]]:
    """Households of four (head, spouse, son, daughter) holding `records` members; names and
    phones are the peers' rows (bench/peers.py member_rows), the rest valid Anju codes."""
    from core.models import new_id

    rows = member_rows(records)
    out: list[tuple[dict, list[dict]]] = []
    for i, row in enumerate(rows):
        if i % 4 == 0:
            h = i // 4
            out.append(({"id": new_id(), "household_no": row["household_id"], "settlement_id": SETTLEMENT_ID,
                         "grid_id": GRID_W1, "building": str(1 + h // 200), "unit": str(1 + h // 50 % 4),
                         "room": f"{1 + h // 4 % 12}{1 + h % 4:02d}"}, []))
        out[-1][1].append({"id": new_id(), "name": row["name"], "relation": RELATIONS[i % 4],
                           "id_number": resident_id(i), "phone": row["phone"],
                           "education": EDUCATION[i % len(EDUCATION)], "labour_skill": SKILLS[i % len(SKILLS)]})
    return out


def save_all(store, specs: list[tuple[dict, list[dict]]]) -> float:  # noqa: ANN001
    start = time.perf_counter()
    for n, (household, members) in enumerate(specs, 1):
        store.save_household(household, members)
        if n % 500 == 0:
            say(f"saved {n}/{len(specs)} households")
    return time.perf_counter() - start


def edit_members(store, specs: list[tuple[dict, list[dict]]], edits: int) -> float:  # noqa: ANN001
    """Change phone and education of the first `edits` members, household by household, as a form does."""
    start = time.perf_counter()
    done = 0
    for household, _members in specs:
        if done >= edits:
            break
        record = store.get_household(household["id"], log_access=False)
        data = {k: v for k, v in record.household.items() if k != "updated_at"}
        members = []
        for m in record.members:
            if done < edits:
                m = {**m, "phone": f"139{done:08d}", "education": "junior" if m["education"] != "junior" else "senior"}
                done += 1
            members.append(m)
        store.save_household(data, members, removed=[])
    return time.perf_counter() - start


# ---------------------------------------------------------------- where the time goes

class Split:
    """Wraps a store's sync methods and a client's HTTP session to split a phase's wall time into
    profile store, HTTP round trips (server + loopback) and the client's own Python."""

    def __init__(self, handler: HandlerClock | None, server_pid: int | None) -> None:
        self.handler = handler
        self.server_pid = server_pid  # the server's own process: its CPU time is read around a phase
        self.parts: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self.client_profile: cProfile.Profile | None = None

    def _wrap(self, obj, name: str, label) -> None:  # noqa: ANN001
        fn = getattr(obj, name)

        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                key = label(args) if callable(label) else label
                self.parts[key] += time.perf_counter() - start
                self.counts[key] += 1
        setattr(obj, name, timed)

    def attach(self, store, server) -> None:  # noqa: ANN001
        for name in STORE_METHODS:
            self._wrap(store, name, "store")
        self._wrap(server.http, "request", lambda args: f"http {args[0]}")

    def run(self, fn, profile: bool = False) -> tuple[float, dict]:  # noqa: ANN001
        """Time fn() alone; returns (seconds, the split)."""
        self.parts.clear()
        self.counts.clear()
        if self.handler is not None:
            self.handler.reset(profile)
        self.client_profile = cProfile.Profile() if profile else None
        cpu = process_cpu(self.server_pid) if self.server_pid else 0.0
        start = time.perf_counter()
        if self.client_profile is not None:
            self.client_profile.runcall(fn)
        else:
            fn()
        seconds = time.perf_counter() - start
        if self.server_pid:
            cpu = process_cpu(self.server_pid) - cpu
        split = {"store_s": self.parts["store"], "store_calls": self.counts["store"]}
        for method in ("POST", "GET"):
            split[f"http_{method.lower()}_s"] = self.parts[f"http {method}"]
            split[f"http_{method.lower()}_n"] = self.counts[f"http {method}"]
        split["client_python_s"] = seconds - sum(v for k, v in self.parts.items())
        if self.handler is not None:
            split["server_handler_s"], split["server_handler_n"] = self.handler.seconds, self.handler.calls
        if self.server_pid:
            split["server_cpu_s"] = cpu
        return seconds, split

    def server_profile(self) -> cProfile.Profile | None:
        return self.handler.reset(False) if self.handler is not None else None


def keep_profiles(folder: Path | None, phase: str, split: Split, notes: list[str]) -> None:
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for side, prof in (("client", split.client_profile), ("server", split.server_profile())):
        if prof is None:
            continue
        path = folder / f"{phase}-{side}.pstats"
        prof.dump_stats(str(path))
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime").print_stats(12)
        notes.append(f"--- {phase}, {side} side, top 12 by own time ({path})\n"
                     + "\n".join(out.getvalue().splitlines()[4:]))


# ---------------------------------------------------------------- Anju

class Device:
    """An enrolled profile with one open client (its HTTP session timed by a Split)."""

    def __init__(self, folder: Path, url: str, username: str, handler: HandlerClock | None, server_pid: int | None):
        start = time.perf_counter()
        self.store, self.enroll_report = enroll(folder, url, username, PASSWORD)
        self.enroll_s = time.perf_counter() - start
        self.server = server_for(self.store)
        self.split = Split(handler, server_pid)
        self.split.attach(self.store, self.server)

    def close(self) -> None:
        self.server.close()
        self.store.close()

    def push(self, report: SyncReport) -> None:
        push_outbox(self.store, self.server, report)

    def pull(self, report: SyncReport) -> None:
        pull_changes(self.store, self.server, report)

    def sync(self) -> SyncReport:
        return sync_profile(self.store, self.server)


def phase(device: Device, name: str, fn, profile_dir: Path | None, notes: list[str]) -> dict:  # noqa: ANN001
    seconds, split = device.split.run(fn, profile=profile_dir is not None)
    keep_profiles(profile_dir, name, device.split, notes)
    return {"seconds": seconds, "split": split}


def run_anju(args: argparse.Namespace, db_url: str, work: Path, notes: list[str]) -> dict:
    make_county(db_url)
    handler = HandlerClock() if args.server == "thread" else None
    specs = households(args.records)
    members = sum(len(m) for _h, m in specs)
    fig: dict = {"records": members, "households": len(specs), "db": db_url.split(":", 1)[0],
                 "server": args.server}
    with county_server(db_url, args.server, handler) as server, ExitStack() as stack:
        pid = server.pid if args.server == "process" else None
        w1 = Device(work / "w1", server.url, "w1", handler, pid)
        stack.callback(w1.close)
        w2 = Device(work / "w2", server.url, "w2", handler, pid)
        stack.callback(w2.close)
        fig["enroll_s"] = w1.enroll_s
        say(f"making {members} members in {len(specs)} households on w1 (save_household)")
        fig["local_save_s"] = save_all(w1.store, specs)
        fig["outbox_entries"] = w1.store.pending_change_count()
        measure_push_pull(w1, w2, fig, args.profile, notes)
        measure_incremental(w1, w2, specs, args.edits, fig, args.profile, notes)
        measure_noop(w1, args.noop_runs, fig, args.profile, notes)
    return fig


def measure_push_pull(w1: Device, w2: Device, fig: dict, profile: Path | None, notes: list[str]) -> None:
    say("push: w1's outbox to the server")
    report = SyncReport()
    fig["push"] = phase(w1, "push", lambda: w1.push(report), profile, notes)
    fig["push"]["statuses"] = dict(report.pushed)
    fig["push"]["rejections"] = report.rejections[:3]
    say("pull: everything into w2")
    report = SyncReport()
    fig["pull"] = phase(w2, "pull", lambda: w2.pull(report), profile, notes)
    fig["pull"]["rows"] = report.pulled
    say("w1 pulls back what it pushed (its own rows, with their server sequence)")
    report = SyncReport()
    fig["echo"] = phase(w1, "echo", lambda: w1.pull(report), None, notes)
    fig["echo"]["rows"] = report.pulled


def measure_incremental(w1: Device, w2: Device, specs: list, edits: int, fig: dict, profile: Path | None,
                        notes: list[str]) -> None:
    say(f"incremental: {edits} members edited on w1, then w1 syncs and w2 syncs")
    fig["edits"] = edits
    fig["edit_save_s"] = edit_members(w1.store, specs, edits)
    fig["edit_outbox_entries"] = w1.store.pending_change_count()
    reports: list[SyncReport] = []
    fig["incremental"] = phase(w1, "incremental", lambda: reports.append(w1.sync()), profile, notes)
    fig["incremental"].update(pushed=dict(reports[0].pushed), pulled=reports[0].pulled)
    fig["incremental_receive"] = phase(w2, "receive", lambda: reports.append(w2.sync()), None, notes)
    fig["incremental_receive"]["pulled"] = reports[1].pulled


def measure_noop(w1: Device, runs: int, fig: dict, profile: Path | None, notes: list[str]) -> None:
    say(f"a sync with nothing to do, {runs} times")
    w1.sync()  # anything left from w2's sync (nothing is expected) is taken first
    times, splits = [], []
    for _ in range(runs):
        seconds, split = w1.split.run(w1.sync)
        times.append(seconds)
        splits.append(split)
    median = statistics.median(times)
    middle = splits[times.index(sorted(times)[len(times) // 2])]
    fig["noop"] = {"median_s": median, "min_s": min(times), "max_s": max(times), "runs": runs, "split": middle}
    if profile is not None:  # a few more under cProfile, kept apart from the timings
        phase(w1, "noop", lambda: [w1.sync() for _ in range(5)], profile, notes)


# ---------------------------------------------------------------- printing

def split_line(split: dict) -> str:
    parts = [f"profile store {split['store_s']:.3f} s ({split['store_calls']} calls)"]
    if split["http_post_n"]:
        parts.append(f"HTTP POST {split['http_post_s']:.3f} s ({split['http_post_n']})")
    if split["http_get_n"]:
        parts.append(f"HTTP GET {split['http_get_s']:.3f} s ({split['http_get_n']})")
    parts.append(f"client Python {split['client_python_s']:.3f} s")
    if "server_cpu_s" in split:
        parts.append(f"[server process CPU {split['server_cpu_s']:.2f} s]")
    if "server_handler_s" in split:
        parts.append(f"[server handlers {split['server_handler_s']:.3f} s in {split['server_handler_n']} calls]")
    return "      where: " + ", ".join(parts)


def print_anju(fig: dict) -> None:
    n, h = fig["records"], fig["households"]
    push, pull, echo = fig["push"], fig["pull"], fig["echo"]
    print(f"Anju (county server: {fig['server']}, database: {fig['db']}; {n} members in {h} households)")
    print(f"  enroll (login, new encrypted profile, reference data): {fig['enroll_s']:.2f} s")
    print(f"  making them locally with save_household (not a sync figure): {fig['local_save_s']:.1f} s "
          f"({h / fig['local_save_s']:.0f} households/s, {fig['outbox_entries']} outbox entries)")
    print(f"  push  {n / push['seconds']:>8.0f} member records/s  ({push['seconds']:.2f} s; "
          f"{(n + h) / push['seconds']:.0f} rows/s counting the {h} households; results {push['statuses']})")
    print(split_line(push["split"]))
    if push["rejections"]:
        print(f"      REJECTED (first): {push['rejections'][0]}")
    print(f"  pull  {n / pull['seconds']:>8.0f} member records/s  ({pull['seconds']:.2f} s; {pull['rows']} rows "
          f"pulled: the members and their households)")
    print(split_line(pull["split"]))
    print(f"  (w1 pulling back the {echo['rows']} rows it had just pushed: {echo['seconds']:.2f} s)")
    inc, rec = fig["incremental"], fig["incremental_receive"]
    print(f"  incremental sync of {fig['edits']} edited members on w1: {inc['seconds'] * 1000:.0f} ms "
          f"(pushed {inc['pushed']}, then pulled {inc['pulled']} rows back); another device receiving them: "
          f"{rec['seconds'] * 1000:.0f} ms ({rec['pulled']} rows). Editing them took {fig['edit_save_s']:.2f} s")
    print(split_line(inc["split"]))
    print(split_line(rec["split"]).replace("where:", "receive:"))
    noop = fig["noop"]
    print(f"  sync with nothing to do: {noop['median_s'] * 1000:.1f} ms median of {noop['runs']} "
          f"(min {noop['min_s'] * 1000:.1f}, max {noop['max_s'] * 1000:.1f})")
    print(split_line(noop["split"]))


def anju_row(fig: dict) -> dict:
    n = fig["records"]
    return {"push_rps": n / fig["push"]["seconds"], "pull_rps": n / fig["pull"]["seconds"],
            "incremental_ms": fig["incremental"]["seconds"] * 1000,
            "incremental_pull_ms": fig["incremental_receive"]["seconds"] * 1000,
            "noop_ms": fig["noop"]["median_s"] * 1000}


def print_table(fig: dict, peers: dict) -> None:
    rows = {"anju": anju_row(fig)} | {k: v for k, v in peers.items() if v.get("status") == "ok"}
    print()
    print(f"{'system':<10} {'push rec/s':>11} {'pull rec/s':>11} {'incremental':>15} {'receive them':>13} "
          f"{'no-op sync':>11}")
    for name, r in rows.items():
        print(f"{name:<10} {r['push_rps']:>11.0f} {r['pull_rps']:>11.0f} {r['incremental_ms']:>12.0f} ms "
              f"{r['incremental_pull_ms']:>10.0f} ms {r['noop_ms']:>8.1f} ms")
    anki = rows.get("anki")
    if anki and "full_push_rps" in anki:
        print(f"{'anki full':<10} {anki['full_push_rps']:>11.0f} {anki['full_pull_rps']:>11.0f}   "
              f"(whole-collection upload/download, what Anki does on a first sync)")
    for name, r in peers.items():
        if r.get("status") != "ok":
            print(f"{name}: skipped ({r.get('reason', '?').splitlines()[0]})")
    print_targets(rows, fig["edits"])


def print_targets(rows: dict, edits: int) -> None:
    a = rows["anju"]
    print("\nTargets (figures from this run, not pass/fail tests):")
    for peer, factor in (("anki", 1), ("pouchdb", POUCH_FACTOR)):
        r = rows.get(peer)
        if r is None:
            print(f"  vs {peer}: no figures (peer skipped)")
            continue
        for way in ("push", "pull"):
            ratio = a[f"{way}_rps"] / r[f"{way}_rps"]
            verdict = "meets" if ratio >= factor else "misses"
            print(f"  {way}: Anju/{peer} = {ratio:.2f}x  (target at least {factor}x: {verdict})")
    inc, noop = a["incremental_ms"], a["noop_ms"]
    print(f"  incremental sync of {edits:,} edits: {inc:.0f} ms (target under {TARGET_INCREMENTAL_S * 1000:.0f} ms: "
          f"{'meets' if inc < TARGET_INCREMENTAL_S * 1000 else 'misses'})")
    print(f"  sync with nothing to do: {noop:.1f} ms (target under {TARGET_NOOP_MS:.0f} ms: "
          f"{'meets' if noop < TARGET_NOOP_MS else 'misses'})")


# ---------------------------------------------------------------- main

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="member records (households of four)")
    parser.add_argument("--edits", type=int, default=1_000, help="members edited for the incremental sync")
    parser.add_argument("--db", default="sqlite",
                        help="sqlite (default), postgresql (a scratch database on 127.0.0.1:5432), or a "
                             "postgresql+psycopg:// URL on whose server a scratch database is made")
    parser.add_argument("--server", choices=("process", "thread"), default="process",
                        help="the county server as its own process (default) or uvicorn in a thread of this one "
                             "(then the server's handler time is shown too)")
    parser.add_argument("--skip-peers", action="store_true", help="Anju only")
    parser.add_argument("--noop-runs", type=int, default=20)
    parser.add_argument("--profile", type=Path, help="keep cProfile files of client and server here "
                                                     "(implies --server thread)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    if args.profile is not None:
        args.server = "thread"
    args.edits = min(args.edits, args.records)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="anju-bench-sync-") as tmp, county_database(args.db) as db_url:
        fig = run_anju(args, db_url, Path(tmp), notes)
    peers: dict = {}
    if not args.skip_peers:
        say("the peers: Anki's sync server and pouchdb-server (bench/peers.py)")
        peers = run_peers(args.records, args.edits, rows=member_rows(args.records))
    print()
    print_anju(fig)
    if peers:
        print()
        print_peers(peers)
    print_table(fig, peers)
    if args.server == "thread":
        print("\n(the server ran in a thread of this process: client and server shared one GIL)")
    for note in notes:
        print("\n" + note)
    if args.json:
        args.json.write_text(json.dumps({"anju": fig, "peers": peers}, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
