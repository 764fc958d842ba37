"""Sync push and pull through Anju's real county server, side by side with Anki's sync server and
pouchdb-server, interleaved in rounds (docs/architecture.md, "Benchmarks"). Prints figures, never asserts.

    python bench/sync.py [--records 10000] [--edits 1000] [--rounds 3] [--db sqlite|postgresql|URL]
                         [--server process|thread] [--skip-peers] [--noop-runs 20]
                         [--profile DIR] [--json FILE]

Once, before any round: the peers are installed (bench/peers.py, into ~/.cache/anju-peers), and w1 is
enrolled and makes N members in N/4 households with ``Store.save_household`` (timed on its own, not
part of any sync figure); its closed profile folder is kept, and every round starts from a copy of it.

Each round runs Anju, then each peer, in an order that turns round by round (anju, anki, pouchdb;
then pouchdb, anki, anju; ...), so that a change in the machine's load hits all of them alike.
Anju's round, all through HTTP on loopback with the real client (sync.client):
1. a new demo county in a new scratch database (SQLite by default; ``--db postgresql`` makes a scratch
   database on 127.0.0.1:5432 and drops it after the round) and the server (its own process by default);
2. the copy of w1's profile logs in to it as the same device (``connect_profile``); w2 is enrolled;
3. push: w1's ``push_outbox`` and the pull that follows it, as in a sync (Anki's sync also asks the
   server for its changes after sending; the push alone is shown too); pull: w2's ``sync_profile``
   downloading all of it (nothing to push); records/s counts members (households are sent too);
4. incremental: ``--edits`` members edited on w1 (phone and education), w1's ``sync_profile`` (the
   backup copy a sync takes, at most one every 30 minutes, of the profile as it was before the sync,
   written beside the push and the pull; the push; the pull that follows), shown with and without the
   time the sync spent on that copy (starting it, and waiting for it at the end); then w2's
   ``sync_profile`` receiving them; then the next ``--edits`` members edited on w1 and its sync again,
   with no backup copy due (the first one's is minutes old): a sync as most of a day's are, and the
   fair figure without the copy, which on two cores shared with the server slows the sync beside it
   more than the wait for it shows;
5. a sync with nothing to do: w1's ``sync_profile``, the median of ``--noop-runs``.
Each of Anju's figures is split into profile store time, the backup copy, HTTP round trips (server
time plus loopback), and the client's own Python (ops, pydantic, JSON, gzip); with ``--server thread``
the time the server's request handlers take is shown too, and ``--profile DIR`` keeps cProfile files of
both sides from one more Anju round after the measured ones (cProfile slows what it watches, so that
round is left out of the figures).

The peers get the same member rows (names, phones, households of four); each round starts a fresh
server and fresh clients for them. The summary gives, per figure and system, the min and median over
the rounds, and per round the ratios (rates: Anju/peer; times: peer/Anju; above 1 means Anju is better).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))  # before bench/ itself: `sync` is the package, not this file

from county import (  # noqa: E402
    PASSWORD, ROOT, HandlerClock, compiled_tree, county_database, county_server, make_county, process_cpu, resident_id,
    say,
)
from peers import PEERS, install_peers, member_rows, run_peers  # noqa: E402
from sync_report import print_run, summarize  # noqa: E402

from core.collector import collect_less  # noqa: E402
from core.store import Store  # noqa: E402
from sync.bundles import REGISTERED, ensure_bundle_keys  # noqa: E402
from sync.client import (  # noqa: E402
    ENROLMENT_META, SyncReport, connect_profile, enroll, pull_changes, push_outbox, server_for, sync_profile,
)
from sync.server.demo import GRID_IDS, SETTLEMENT_ID  # noqa: E402

GRID_W1 = GRID_IDS["522601100201-01"]
RELATIONS = ("head", "spouse", "son", "daughter")
EDUCATION = ("none", "primary", "junior", "senior", "vocational", "college", "bachelor")
SKILLS = ("skilled", "ordinary", "weak", "none")
STORE_METHODS = ("pending_change_count", "next_push_batch", "freeze_following_batch", "finish_push_batch",
                 "pull_cursor", "apply_pulled", "settle_summaries", "schema_revision", "set_meta", "set_metas", "metas",
                 "sync_outset")

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


def edit_members(store, specs: list[tuple[dict, list[dict]]], edits: int, first: int = 0) -> float:  # noqa: ANN001
    """Change phone and education of `edits` members from the `first`-th on, household by household,
    as a form does."""
    start = time.perf_counter()
    seen = 0  # members passed, in the households' order
    for household, members in specs:
        if seen >= first + edits:
            break
        if seen + len(members) <= first:
            seen += len(members)
            continue
        record = store.get_household(household["id"], log_access=False)
        data = {k: v for k, v in record.household.items() if k != "updated_at"}
        changed = []
        for m in record.members:
            if first <= seen < first + edits:
                m = {**m, "phone": f"139{seen:08d}", "education": "junior" if m["education"] != "junior" else "senior"}
            seen += 1
            changed.append(m)
        store.save_household(data, changed, removed=[])
    return time.perf_counter() - start


# ---------------------------------------------------------------- where the time goes

class Split:
    """Wraps a store's sync methods, its backup before a sync, and a client's HTTP session to split a
    phase's wall time into profile store, backup copy, HTTP round trips (server + loopback) and the
    client's own Python. The requests a sync makes beside its own thread (a batch on its way while
    the next is made ready, a page fetched ahead while one is written: `CountyServer.twin`) are timed
    apart, as "waited on beside": they overlap the rest, so they are not taken from it."""

    def __init__(self, handler: HandlerClock | None, server_pid: int | None) -> None:
        self.handler = handler
        self.server_pid = server_pid  # the server's own process: its CPU time is read around a phase
        self.parts: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self.copies = 0  # backups a sync actually took (begin_before_sync starts none when none is due)
        # How deep in wrapped calls each thread is. One count for all hid the store's calls made while a
        # request was on its way beside them (a push's next batch frozen, a pulled page written): the
        # split showed a push's store as 0.05 s in 5 calls where it took 0.25 s in 14.
        self._local = threading.local()
        self.client_profile: cProfile.Profile | None = None

    def _wrap(self, obj, name: str, label) -> None:  # noqa: ANN001
        fn = getattr(obj, name)

        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if getattr(self._local, "depth", 0):  # inside another wrapped call (the backup counts the outbox)
                return fn(*args, **kwargs)
            self._local.depth = getattr(self._local, "depth", 0) + 1
            start = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
                if label == "backup" and result.taking:
                    self.copies += 1
                    self._time_the_wait(result)
                return result
            finally:
                self._local.depth -= 1
                key = label(args) if callable(label) else label
                self.parts[key] += time.perf_counter() - start
                self.counts[key] += 1
        setattr(obj, name, timed)

    def _time_the_wait(self, copying) -> None:  # noqa: ANN001
        """The backup before a sync is written beside the push and the pull (core.store.backup.BackupUnderWay):
        the sync's own time on it is its start and its wait at the end; the copy's time is kept apart."""
        wait = copying.wait

        def timed_wait():  # noqa: ANN202
            start = time.perf_counter()
            try:
                result = wait()
                if result is not None:
                    self.parts["backup own"] += result.seconds
                return result
            finally:
                self.parts["backup"] += time.perf_counter() - start
        copying.wait = timed_wait

    def attach(self, store, server) -> None:  # noqa: ANN001
        for name in STORE_METHODS:
            self._wrap(store, name, "store")
        self._wrap(store.backups, "begin_before_sync", "backup")  # a cached_property: sync_profile gets this object
        self._wrap(server.http, "request", lambda args: f"http {args[0]}")
        make_twin = server.twin

        def twin():  # noqa: ANN202
            made = make_twin()
            self._wrap(made.http, "request", lambda args: f"beside {args[0]}")
            return made
        server.twin = twin

    def run(self, fn, profile: bool = False) -> tuple[float, dict]:  # noqa: ANN001
        """Time fn() alone; returns (seconds, the split)."""
        self.parts.clear()
        self.counts.clear()
        self.copies = 0
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
        return seconds, self._split(seconds, cpu)

    def _split(self, seconds: float, server_cpu: float) -> dict:
        split = {"store_s": self.parts["store"], "store_calls": self.counts["store"],
                 "backup_s": self.parts["backup"], "backup_calls": self.counts["backup"], "backup_copies": self.copies,
                 "backup_own_s": self.parts["backup own"]}
        for method in ("POST", "GET"):
            split[f"http_{method.lower()}_s"] = self.parts[f"http {method}"]
            split[f"http_{method.lower()}_n"] = self.counts[f"http {method}"]
            split[f"beside_{method.lower()}_s"] = self.parts[f"beside {method}"]
            split[f"beside_{method.lower()}_n"] = self.counts[f"beside {method}"]
        split["client_python_s"] = seconds - sum(v for k, v in self.parts.items()
                                                 if not k.startswith("beside") and k != "backup own")
        if self.handler is not None:
            split["server_handler_s"], split["server_handler_n"] = self.handler.seconds, self.handler.calls
        if self.server_pid:
            split["server_cpu_s"] = server_cpu
        return split

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

    def __init__(self, store: Store, handler: HandlerClock | None, server_pid: int | None, setup_s: float):
        self.store = store
        self.setup_s = setup_s  # enrolling it, or joining this round's county
        self.server = server_for(store)
        self.split = Split(handler, server_pid)
        self.split.attach(self.store, self.server)

    @classmethod
    def enrolled(cls, folder: Path, url: str, username: str, handler: HandlerClock | None,
                 server_pid: int | None) -> Device:
        start = time.perf_counter()
        store, _report = enroll(folder, url, username, PASSWORD)
        return cls(store, handler, server_pid, time.perf_counter() - start)

    @classmethod
    def rejoined(cls, folder: Path, url: str, username: str, handler: HandlerClock | None,
                 server_pid: int | None) -> Device:
        """A copy of a profile enrolled (and filled) on another county database of the same demo county
        joins this one: the same device logs in (connect_profile: a new token, this server's URL) and
        registers its bundle keys, as enroll's first sync did. The demo county's ids and sequence numbers
        are the same in every database, so its reference data and pull cursor hold here too."""
        start = time.perf_counter()
        store = Store.open(folder, PASSWORD)
        try:
            connect_profile(store, url, username, PASSWORD)
            # connect_profile marks a first download as pending: this profile has had its own already
            store.set_meta(ENROLMENT_META, "")
            store.set_meta(REGISTERED, "")  # the new database does not know the keys: send them again
            server = server_for(store)
            try:
                ensure_bundle_keys(store, server)
            finally:
                server.close()
        except BaseException:
            store.close()
            raise
        return cls(store, handler, server_pid, time.perf_counter() - start)

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


def make_saved_profile(args: argparse.Namespace, specs: list, folder: Path) -> dict:
    """Once for all rounds: w1 enrolled on a scratch county, the members made on it, and its profile
    closed (the encrypted SQLite file and its -wal are whole on disk) so that a round can copy the
    folder. Making them is the slow part (about 45 s at 10,000 members) and no part of a sync figure."""
    members = sum(len(m) for _h, m in specs)
    with county_database(args.db) as db_url:
        make_county(db_url)
        with county_server(db_url, args.server, tree=args.server_tree) as server:  # never the clock: round 1 installs it
            start = time.perf_counter()
            store, _report = enroll(folder, server.url, "w1", PASSWORD)
            enroll_s = time.perf_counter() - start
    try:
        say(f"making {members} members in {len(specs)} households on w1 (save_household), once for all rounds")
        local_save_s = save_all(store, specs)
        outbox = store.pending_change_count()
    finally:
        store.close()
    return {"records": members, "households": len(specs), "enroll_s": enroll_s, "local_save_s": local_save_s,
            "outbox_entries": outbox, "db": args.db.split(":", 1)[0],
            "server": args.server + (", its hot modules compiled" if args.compiled_server else "")}


def run_anju(args: argparse.Namespace, saved: Path, specs: list, work: Path, rnd: int, handler: HandlerClock | None,
             profile: Path | None, notes: list[str]) -> dict:
    """One round of Anju's sequence on a new county database, from a copy of w1's saved profile."""
    fig: dict = {"records": sum(len(m) for _h, m in specs), "households": len(specs), "edits": args.edits}
    with county_database(args.db) as db_url:
        make_county(db_url)
        # HandlerClock.install patches the server module once and for all: given again, it would time twice
        clock = handler if rnd == 1 else None
        with county_server(db_url, args.server, clock, tree=args.server_tree) as server, ExitStack() as stack:
            pid = server.pid if args.server == "process" else None
            shutil.copytree(saved, work / f"w1-round{rnd}")
            w1 = Device.rejoined(work / f"w1-round{rnd}", server.url, "w1", handler, pid)
            stack.callback(w1.close)
            w2 = Device.enrolled(work / f"w2-round{rnd}", server.url, "w2", handler, pid)
            stack.callback(w2.close)
            fig.update(rejoin_s=w1.setup_s, enroll_s=w2.setup_s, outbox_entries=w1.store.pending_change_count())
            measure_push_pull(w1, w2, fig, profile, notes)
            measure_incremental(w1, w2, specs, args.edits, fig, profile, notes)
            measure_noop(w1, args.noop_runs, fig, profile, notes)
    for name in ("w1", "w2"):  # a round's profiles are not needed after it (the disk holds one round's)
        shutil.rmtree(work / f"{name}-round{rnd}")
    return fig


def measure_push_pull(w1: Device, w2: Device, fig: dict, profile: Path | None, notes: list[str]) -> None:
    say("push: w1's outbox to the server, then the pull that follows it in a sync")
    report, back, marks = SyncReport(), SyncReport(), {}

    def push_then_pull() -> None:
        start = time.perf_counter()
        w1.push(report)
        marks["push_only_s"] = time.perf_counter() - start
        w1.pull(back)

    fig["push"] = phase(w1, "push", push_then_pull, profile, notes)
    fig["push"].update(push_only_s=marks["push_only_s"], statuses=dict(report.pushed),
                       rejections=report.rejections[:3], pulled_back=back.pulled)
    say("pull: w2's sync downloads everything (nothing to push)")
    reports: list[SyncReport] = []
    fig["pull"] = phase(w2, "pull", lambda: reports.append(w2.sync()), profile, notes)
    fig["pull"]["rows"] = reports[0].pulled


def measure_incremental(w1: Device, w2: Device, specs: list, edits: int, fig: dict, profile: Path | None,
                        notes: list[str]) -> None:
    say(f"incremental: {edits} members edited on w1, then w1 syncs and w2 syncs")
    fig["edit_save_s"] = edit_members(w1.store, specs, edits)
    fig["edit_outbox_entries"] = w1.store.pending_change_count()
    reports: list[SyncReport] = []
    inc = fig["incremental"] = phase(w1, "incremental", lambda: reports.append(w1.sync()), profile, notes)
    inc.update(pushed=dict(reports[0].pushed), pulled=reports[0].pulled, backup_s=inc["split"]["backup_s"],
               without_backup_s=inc["seconds"] - inc["split"]["backup_s"])
    fig["incremental_receive"] = phase(w2, "receive", lambda: reports.append(w2.sync()), profile, notes)
    fig["incremental_receive"]["pulled"] = reports[1].pulled
    # The next members edited and synced again: the copy the first sync took is minutes old, so none is
    # due (SYNC_BACKUP_EVERY), as for most of a day's syncs. Its copy ran beside the first sync on
    # this machine's two cores with the server, so the first sync less the wait for it is not this.
    say(f"incremental again: the next {edits} members edited on w1, then w1 syncs with no backup copy due")
    edit_members(w1.store, specs, edits, first=edits)
    again = fig["incremental_no_copy"] = phase(w1, "incremental-no-copy", lambda: reports.append(w1.sync()),
                                               profile, notes)
    again.update(pushed=dict(reports[2].pushed), pulled=reports[2].pulled)


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


# ---------------------------------------------------------------- the rounds

def round_order(rnd: int, systems: list[str]) -> list[str]:
    """Round 1 in the given order, round 2 reversed, and so on: each system runs early and late."""
    return list(systems) if rnd % 2 == 1 else list(reversed(systems))


def run_rounds(args: argparse.Namespace, work: Path, notes: list[str]) -> dict:
    installed = {} if args.skip_peers else install_peers(tuple(PEERS))
    systems = ["anju"] + [name for name, facts in installed.items() if facts["status"] == "ok"]
    specs = households(args.records)
    saved = work / "w1-saved"
    setup = make_saved_profile(args, specs, saved)
    rows = member_rows(args.records)
    handler = HandlerClock() if args.server == "thread" else None
    rounds = []
    for rnd in range(1, args.rounds + 1):
        result: dict = {"round": rnd, "order": round_order(rnd, systems), "peers": {}}
        for system in result["order"]:
            say(f"round {rnd}/{args.rounds}: {system}")
            if system == "anju":
                result["anju"] = run_anju(args, saved, specs, work, rnd, handler, None, notes)
            else:
                result["peers"].update(run_peers(args.records, args.edits, (system,), rows=rows))
        rounds.append(result)
    run = {"setup": setup, "installed": installed, "systems": systems, "rounds": rounds}
    if args.profile is not None:  # cProfile slows what it watches: its run is one more, kept out of the figures
        say("one more Anju round under cProfile (--profile), not counted in the figures")
        run["profiled"] = run_anju(args, saved, specs, work, args.rounds + 1, handler, args.profile, notes)
    return run


# ---------------------------------------------------------------- main

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="member records (households of four)")
    parser.add_argument("--edits", type=int, default=1_000, help="members edited for the incremental sync")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of Anju and each peer, interleaved")
    parser.add_argument("--db", default="sqlite",
                        help="sqlite (default), postgresql (a scratch database on 127.0.0.1:5432), or a "
                             "postgresql+psycopg:// URL on whose server a scratch database is made")
    parser.add_argument("--server", choices=("process", "thread"), default="process",
                        help="the county server as its own process (default) or uvicorn in a thread of this one "
                             "(then the server's handler time is shown too)")
    parser.add_argument("--skip-peers", action="store_true", help="Anju only")
    parser.add_argument("--noop-runs", type=int, default=20)
    parser.add_argument("--profile", type=Path, help="keep cProfile files of client and server here, from one more "
                                                     "Anju round after the measured ones (implies --server thread)")
    parser.add_argument("--json", type=Path, help="also write every round's figures to this JSON file")
    parser.add_argument("--compiled-server", action="store_true",
                        help="the county server with its hot modules compiled, as its container image runs them "
                             "(installer/compile_server.py, in a scratch copy); the laptop as it runs, never compiled")
    args = parser.parse_args(argv)
    if args.compiled_server and (args.server == "thread" or args.profile is not None):
        parser.error("--compiled-server runs the server as its own process: not with --server thread or --profile")
    args.server_tree = ROOT
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    if args.profile is not None:
        args.server = "thread"
    args.edits = min(args.edits, args.records)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.server == "process":  # with the server in a thread of this process, it would collect less too
        collect_less()  # as the app does at its entry (gui.cli.entry): this process stands in for the laptop
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="anju-bench-sync-") as tmp:
        if args.compiled_server:
            args.server_tree = Path(tmp) / "server-tree"
            say(f"compiling the county server's hot modules in a copy of the code: {compiled_tree(args.server_tree):.0f} s")
        run = run_rounds(args, Path(tmp), notes)
    summary = summarize(run)
    print_run(run, summary, args.edits)
    if args.server == "thread":
        print("\n(the server ran in a thread of this process: client and server shared one GIL)")
    for note in notes:
        print("\n" + note)
    if args.json:
        args.json.write_text(json.dumps({**run, "summary": summary}, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
