"""What compiling the county server's hot modules with mypyc would give (docs/architecture.md, "Benchmarks").

    python bench/compiled.py [--sync] [--rounds 3] [--members 10000] [--modules core/idcard.py,core/validation/checker.py,...]

A measurement: nothing in this checkout is compiled. The script copies the files git tracks (as they
are in the working tree) to a scratch folder, compiles the named modules there as
installer/compile_server.py compiles the county server's (by default the same modules, with the
mypy of this Python: ``pip install -e ".[test]"`` brings it), and times the same work in both trees
with this interpreter:

- the county's rules (``core.validation.rows.validate_record``) on the records the server checks in
  ``bench/sync.py``'s push: 2,500 households and their 10,000 members, normalised as a push is;
- with ``--sync``, ``bench/sync.py --skip-peers --records MEMBERS`` in each tree, interleaved for
  ``--rounds`` rounds (3): the push of those records and 1,000 edits, laptop and server both running
  the tree's code.

mypyc checks the annotations it compiles at run time: a value of another type than a function's
annotation says raises TypeError where the interpreted code went on. So the figures say what the
compiled code gains, not that it behaves the same; that is for the test suite, run in the compiled
tree. Prints figures, never asserts.
"""
from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from county import ROOT, at_least, compiled_tree, say, tracked_files  # noqa: E402

from sync.server.compiled import HOT_MODULES  # noqa: E402

# What the county server's image compiles (sync.server.compiled.HOT_MODULES), as paths.
MODULES = tuple(name.replace(".", "/") + ".py" for name in HOT_MODULES)
RUN_TIMEOUT = 1800
EDITS = 1000  # members edited for the incremental sync (--sync), as bench/sync.py's own default


RULES = r"""
import importlib.util, json, sys, time
from datetime import date
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/bench"]
spec = importlib.util.spec_from_file_location("bench_sync", sys.argv[1] + "/bench/sync.py")
bench_sync = importlib.util.module_from_spec(spec); spec.loader.exec_module(bench_sync)
from core.models import Household, Member
from core.models.base import data_defaults
from core.validation.household import derive_from_id
from core.validation.normalize import normalize
from core.validation.rows import validate_record
today = date.fromisoformat(sys.argv[2])
records = []
for household, members in bench_sync.households(int(sys.argv[3])):
    values, _ = normalize(Household, household)
    records.append(("household", {**data_defaults(Household.__table__), **values}))
    for member in members:
        values, _ = normalize(Member, {**member, "household_id": household["id"]})
        values.update(derive_from_id(values.get("id_number"), today))
        records.append(("member", {**data_defaults(Member.__table__), **values}))
problems = sum(len(validate_record(e, v, today)) for e, v in records)
times = []
for _ in range(5):
    start = time.perf_counter()
    for entity, values in records:
        validate_record(entity, values, today)
    times.append(time.perf_counter() - start)
compiled = [name for name in sys.argv[4].split(",") if importlib.import_module(name).__file__.endswith(".so")]
print(json.dumps({"records": len(records), "problems": problems, "best_s": min(times), "compiled": compiled}))
"""


def dotted(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def time_rules(tree: Path, members: int, modules: list[str]) -> dict:
    """The rules timed in a process of their own in `tree`; "compiled": which of `modules` it imported compiled."""
    try:
        done = subprocess.run([sys.executable, "-c", RULES, str(tree), date.today().isoformat(), str(members),
                               ",".join(dotted(m) for m in modules)],
                              cwd=tree, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        sys.exit(f"timing the rules took more than {RUN_TIMEOUT} s in {tree}")
    if done.returncode != 0:
        sys.exit(f"the rules could not be timed in {tree}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def sync_round(tree: Path, out: Path, members: int) -> dict:
    """One round of bench/sync.py --skip-peers in `tree`: push records/s, 1,000 edits with no copy due.
    Its output goes to a log beside `out`, shown when the round fails; a warning it gives is said."""
    log = out.with_suffix(".log")
    with open(log, "w") as sink:
        child = subprocess.Popen([sys.executable, "bench/sync.py", "--skip-peers", "--rounds", "1",
                                  "--records", str(members), "--edits", str(min(EDITS, members)), "--json", str(out)],
                                 cwd=tree, stdout=sink, stderr=sink)
        try:
            code = child.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGINT)  # bench/sync.py stops its county server on the way out
            _wait_out(child)
            sys.exit(f"bench/sync.py took more than {RUN_TIMEOUT} s in {tree}; its output ended:\n"
                     f"{log.read_text(errors='replace')[-3000:]}")
        except KeyboardInterrupt:  # Ctrl+C reached it too: its own cleanup stops its county server
            _wait_out(child)
            raise
    said = log.read_text(errors="replace")
    if code != 0:
        sys.exit(f"bench/sync.py failed in {tree} (exit {code}):\n{said[-3000:]}")
    for line in said.splitlines():
        if "log has errors" in line or "Traceback" in line:
            say(f"bench/sync.py in {tree.name}: {line.strip()}")
    anju = json.loads(out.read_text())["rounds"][0]["anju"]
    return {"push": anju["records"] / anju["push"]["seconds"], "push_server_cpu": anju["push"]["split"]["server_cpu_s"],
            "edits_ms": 1000 * anju["incremental_no_copy"]["seconds"]}


def _wait_out(child: subprocess.Popen) -> None:
    """Give a bench/sync.py that was told to stop the time to stop its county server, then end it."""
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        say("bench/sync.py did not stop within 30 s and was ended: its county server may still be running")
        child.kill()
        child.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", default=",".join(MODULES), help="comma-separated paths of the modules to compile")
    parser.add_argument("--members", type=at_least(4), default=10_000,
                        help="members whose records the rules check (and, with --sync, that bench/sync.py pushes)")
    parser.add_argument("--sync", action="store_true", help="also bench/sync.py --skip-peers in both trees")
    parser.add_argument("--rounds", type=at_least(1), help="rounds of bench/sync.py in each tree (--sync; 3)")
    args = parser.parse_args(argv)
    if args.rounds is not None and not args.sync:
        parser.error("--rounds is for --sync")
    rounds = args.rounds or 3
    modules = [m.strip() for m in args.modules.split(",") if m.strip()]
    if not modules:
        parser.error("--modules names no module")
    tracked = tracked_files()
    missing = [m for m in modules if m not in tracked or not m.endswith(".py")]
    if missing:
        parser.error(f"not a module git tracks (a path from the repository's top, such as core/idcard.py): "
                     f"{', '.join(missing)}")
    with tempfile.TemporaryDirectory(prefix="anju-compiled-") as scratch:
        tree = Path(scratch) / "tree"
        seconds = compiled_tree(tree, tuple(m.removesuffix(".py").replace("/", ".") for m in modules))
        say(f"compiled {len(modules)} modules in {seconds:.0f} s")
        plain, compiled = time_rules(ROOT, args.members, modules), time_rules(tree, args.members, modules)
        if len(compiled["compiled"]) != len(modules) or plain["compiled"]:
            sys.exit(f"the compiled tree imported compiled only {compiled['compiled']}, this one {plain['compiled']}")
        print(f"the county's rules on {plain['records']} records ({plain['problems']} problems interpreted, "
              f"{compiled['problems']} compiled):")
        for name, figures in (("interpreted", plain), ("compiled", compiled)):
            print(f"  {name:12s} {1e6 * figures['best_s'] / figures['records']:6.2f} µs a record")
        print(f"  compiled / interpreted: {compiled['best_s'] / plain['best_s']:.2f}")
        if args.sync:
            runs: dict[str, list[dict]] = {"interpreted": [], "compiled": []}
            for rnd in range(rounds):
                for name, where in (("interpreted", ROOT), ("compiled", tree))[::1 if rnd % 2 == 0 else -1]:
                    say(f"round {rnd + 1}: bench/sync.py in the {name} tree")
                    runs[name].append(sync_round(where, Path(scratch) / f"{name}-{rnd}.json", args.members))
            print(f"bench/sync.py --skip-peers --records {args.members}, medians of {rounds} rounds each, interleaved:")
            for name, figures in runs.items():
                print(f"  {name:12s} push {statistics.median(r['push'] for r in figures):7.0f} records/s "
                      f"(server CPU {statistics.median(r['push_server_cpu'] for r in figures):.2f} s), "
                      f"{min(EDITS, args.members):,} edits {statistics.median(r['edits_ms'] for r in figures):.0f} ms "
                      "with no copy due")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the scratch copy is gone with its folder, and a round's county server with its bench
        say("stopped")
        sys.exit(130)
