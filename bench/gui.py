"""Figures of the desktop app over a large demo profile (docs/architecture.md, "Benchmarks"). Prints, never asserts.

    python bench/gui.py [--households 100000] [--profile DIR] [--runs 5] [--quick]

1. cold start from source to a usable main window (fresh child processes): the home page's figures
   shown and the household list's first page read, and the child's memory;
2. search as you type, per keystroke, by kind of query (each keystroke searched at once, as if the
   pause in typing the list waits for had passed);
3. fetching the next page of 200 rows as the list scrolls;
4. the filter check boxes, and opening a household form;
5. the peak memory of this process.

Rendered offscreen (QT_QPA_PLATFORM=offscreen unless set). Without --profile a demo profile is
generated first with `python main.py demo-data` (about a minute and 1 GB for 100,000 households);
a profile given with --profile that does not exist yet is generated there and kept for the next run.
The password is ANJU_PASSWORD when set. The last line printed is every figure as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = os.environ.get("ANJU_PASSWORD", "bench-password")
QUICK_HOUSEHOLDS = 2_000

# The cold start, run in a fresh interpreter: what `python main.py --profile DIR` does up to a main
# window showing the home page's figures (the dashboard, the first page) with the first page of
# households read, minus the password dialog (the password is given).
CHILD = r"""
import time
T_FIRST_LINE = time.time()
import json, os, resource, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
folder, password, settings_path = Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
marks = {}
def mark(name):
    marks[name] = round((time.time() - T_FIRST_LINE) * 1000, 1)

import main                                     # what `python main.py` imports first (gui.cli)
from core.commands import build_parser
from gui.cli import add_app_verbs
args = build_parser(add_app_verbs).parse_args(["--profile", str(folder)])
from gui import app as gui_app                  # run_app's module: Qt, core.store, every form
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
mark("imports")
settings = gui_app.Settings(settings_path)
app = gui_app.make_application(settings)
mark("qapplication")
db = gui_app.Worker("database")
store = gui_app.Store.open(folder, password)     # scrypt key derivation, schema check
mark("store_open")
ctx = gui_app.AppContext(store, settings, app._anju_language, db)
window = gui_app.MainWindow(ctx, gui_app.Worker("reader"))
mark("main_window_built")


class Painted(QObject):
    seen = False

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            Painted.seen = True
        return False


painted = Painted()
window.dashboard.installEventFilter(painted)
window.resize(1280, 800)
window.show()
window.offer_drafts()
deadline = time.time() + 30
while not (Painted.seen and window.households.model.rowCount() > 0) and time.time() < deadline:
    app.processEvents()
mark("first_page_painted")
while window.dashboard.data is None and time.time() < deadline:  # the figures come from the reader worker
    app.processEvents()
    time.sleep(0.001)
mark("figures_shown")
now = time.time()
import psutil
me = psutil.Process()
ready = {
    "painted": Painted.seen, "rows": window.households.model.rowCount(),
    "figures": window.dashboard.data is not None,
    # psutil's create_time() adds the boot time, which Linux gives in whole seconds (up to 1 s off);
    # the start tick against CLOCK_BOOTTIME is exact to a tick (10 ms).
    "from_process_start_ms": round((time.clock_gettime(time.CLOCK_BOOTTIME) - int(
        open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")) * 1000, 1),
    "psutil_create_time_ms": round((now - me.create_time()) * 1000, 1),
    "from_first_line_ms": round((now - T_FIRST_LINE) * 1000, 1),
    "rss_mb": round(me.memory_info().rss / 2**20, 1),
}
# The count under the list comes from the reader worker a moment later.
while not window.households.count_label.text() and time.time() < deadline:
    app.processEvents()
    time.sleep(0.001)
mark("count_shown")
ready.update(marks=marks, count_label=window.households.count_label.text(),
             rss_after_count_mb=round(me.memory_info().rss / 2**20, 1),
             peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
print(json.dumps(ready, ensure_ascii=False), flush=True)
window.close()
db.wait_idle()
window.reader.wait_idle()
store.close()
"""


# -- small helpers --------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def summary(values_ms: list[float]) -> dict:
    if not values_ms:
        return {}
    return {"n": len(values_ms), "median_ms": round(statistics.median(values_ms), 2),
            "p95_ms": round(percentile(values_ms, 0.95), 2), "max_ms": round(max(values_ms), 2)}


def line(label: str, s: dict, unit: str = "") -> str:
    if not s:
        return f"{label}: (nothing measured)"
    return (f"{label}: median {s['median_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, max {s['max_ms']:.1f} ms"
            f" over {s['n']}{unit}")


def verdict(value: float, target: float) -> str:
    return "meets" if value < target else "MISSES"


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def evict_from_page_cache(folder: Path) -> None:
    """Drop the profile's files from the page cache (no root needed), for a colder first start."""
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def ensure_profile(folder: Path, households: int) -> None:
    from core.store import is_profile

    if is_profile(folder):
        return
    print(f"generating a demo profile of {households:,} households in {folder} …", flush=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "demo-data", "--profile", str(folder),
                    "--households", str(households)], check=True, cwd=ROOT,
                   env={**os.environ, "ANJU_PASSWORD": PASSWORD}, stderr=subprocess.DEVNULL)
    print(f"demo profile generated in {time.perf_counter() - start:.1f} s", flush=True)


# -- 1. cold start ------------------------------------------------------------------------------
def bench_cold_start(folder: Path, runs: int, evict: bool, tmp: Path) -> dict:
    results = []
    for i in range(runs):
        settings = tmp / f"cold-{i}" / "settings.ini"
        settings.parent.mkdir()
        if evict and i == 0:
            evict_from_page_cache(folder)
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        launched = time.perf_counter()
        with subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(folder), PASSWORD, str(settings)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
            first_line = proc.stdout.readline()  # printed once the first page is painted and counted
            seen = time.perf_counter()
            _out, err = proc.communicate(timeout=300)
        if proc.returncode != 0 or not first_line.strip():
            raise RuntimeError(f"cold start child failed ({proc.returncode}):\n{err[-3000:]}")
        ready = json.loads(first_line)
        ready["launch_to_counted_ms"] = round((seen - launched) * 1000, 1)  # spawn included, as a user sees it
        ready["child_total_s"] = round(time.perf_counter() - launched, 2)  # includes closing the store
        results.append(ready)
        print(f"  run {i + 1}: {ready['from_process_start_ms']:.0f} ms from process start, "
              f"{ready['from_first_line_ms']:.0f} ms from the script's first line; rss {ready['rss_mb']:.0f} MB; "
              f"steps {ready['marks']}", flush=True)
    first, rest = results[0], results[1:] or results[:1]
    starts = [r["from_process_start_ms"] for r in rest]
    lines = [r["from_first_line_ms"] for r in rest]
    out = {
        "first_run": {k: first[k] for k in ("from_process_start_ms", "from_first_line_ms", "launch_to_counted_ms",
                                            "psutil_create_time_ms", "rss_mb", "marks")},
        "warm_runs": len(rest),
        "from_process_start_ms": {"median": round(statistics.median(starts), 1), "max": max(starts)},
        "from_first_line_ms": {"median": round(statistics.median(lines), 1), "max": max(lines)},
        "launch_to_counted_ms": {"median": round(statistics.median(r["launch_to_counted_ms"] for r in rest), 1),
                                 "max": max(r["launch_to_counted_ms"] for r in rest)},
        "psutil_create_time_ms_median": round(statistics.median(r["psutil_create_time_ms"] for r in rest), 1),
        "rss_mb": {"median": round(statistics.median(r["rss_mb"] for r in rest), 1),
                   "max": max(r["rss_mb"] for r in results)},
        "rss_after_count_mb_max": max(r["rss_after_count_mb"] for r in results),
        "child_peak_rss_mb_max": max(r["peak_rss_mb"] for r in results),
        "count_shown_ms_median": round(statistics.median(r["marks"]["count_shown"] for r in rest), 1),
        "steps_ms_median": {k: round(statistics.median(r["marks"][k] for r in rest), 1) for k in rest[0]["marks"]},
    }
    return out


# -- the in-process window ----------------------------------------------------------------------
class Instrumented:
    """Times the store calls the window makes (list pages, counts) without touching gui/ or core/."""

    def __init__(self, store) -> None:  # noqa: ANN001
        self.calls: list[tuple[str, float]] = []
        for name in ("list_households", "count_households"):
            original = getattr(store, name)

            def wrapper(*args, _original=original, _name=name, **kwargs):  # noqa: ANN002, ANN003, ANN202
                start = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.calls.append((_name, (time.perf_counter() - start) * 1000))

            setattr(store, name, wrapper)

    def take(self) -> dict[str, float]:
        spent = {"list_households": 0.0, "count_households": 0.0}
        for name, t in self.calls:
            spent[name] += t
        self.calls.clear()
        return spent


def settle(app) -> None:  # noqa: ANN001
    app.processEvents()
    app.processEvents()


def timed_ui(app, action, probe: Instrumented) -> tuple[float, dict]:  # noqa: ANN001
    """Milliseconds from the action to the repainted window, and the store time inside it."""
    probe.take()
    start = time.perf_counter()
    action()
    app.processEvents()
    total = (time.perf_counter() - start) * 1000
    return total, probe.take()


def search_queries(ctx, window) -> list[tuple[str, str]]:  # noqa: ANN001
    """(kind, text) pairs taken from real rows of the profile."""
    model = window.households.model
    rows = model.rows[:50]
    names = [r.head_name for r in rows if len(r.head_name) >= 2]
    full = [ctx.store.get_household(r.id, log_access=False) for r in rows[:8]]
    heads = [f.members[0] for f in full]
    ids = [m["id_number"] for m in heads if m.get("id_number")]
    phones = [f.household.get("phone") or "" for f in full]
    phones = [p for p in phones if len(p) >= 7]
    digits = "".join(ch for ch in rows[3].household_no if ch.isdigit())
    b = next((f.household for f in full if f.household.get("building")), full[0].household)
    queries = [
        ("family name", names[0][:1]), ("family name", names[5][:1]),
        ("name start", names[1][:2]),
        ("full name", names[2]), ("full name", names[7]),
        ("household no digits", digits[-6:]),
        ("id number prefix", ids[0][:10]), ("id number prefix", ids[1][:6]),
        ("id number tail", ids[2][-6:]),
        ("phone fragment", phones[0][-4:]), ("phone fragment", phones[1][3:7]),
        ("building/room", f"{b['building']}栋"),
        ("building/room", f"{b['building']}栋{b.get('unit') or ''}单元{b.get('room') or ''}"),
        ("no match", "赵无极"), ("no match", "13900000000"),
    ]
    return [(k, q) for k, q in queries if q]


def type_into(app, search, text: str, probe: Instrumented) -> list[tuple[float, dict]]:  # noqa: ANN001
    """One keystroke at a time: a key press for ASCII, an inserted character (an IME commit) otherwise,
    each searched at once (the list waits for a pause in typing; here every keystroke is the last)."""
    from PySide6.QtTest import QTest

    from gui.pages import PausedSearch

    searched = search.findChild(PausedSearch).now
    out = []
    for ch in text:
        if ch.isascii():
            out.append(timed_ui(app, lambda c=ch: (QTest.keyClick(search, c), searched()), probe))
        else:
            out.append(timed_ui(app, lambda c=ch: (search.insert(c), searched()), probe))
    return out


def bench_search(app, ctx, window, probe: Instrumented) -> dict:  # noqa: ANN001
    from gui.pages import PausedSearch

    search = window.households.search
    search.setFocus()
    per_kind: dict[str, list[float]] = {}
    all_ms, list_ms, count_ms, ui_only_ms, clears = [], [], [], [], []
    worst = (0.0, "", "")
    for kind, query in search_queries(ctx, window):
        for (total, spent), prefix in zip(type_into(app, search, query, probe),
                                          (query[:i] for i in range(1, len(query) + 1))):
            per_kind.setdefault(kind, []).append(total)
            all_ms.append(total)
            list_ms.append(spent["list_households"])
            count_ms.append(spent["count_households"])
            ui_only_ms.append(total - spent["count_households"])
            if total > worst[0]:
                worst = (total, kind, prefix)
        clears.append(timed_ui(app, lambda: (search.clear(), search.findChild(PausedSearch).now()), probe)[0])
    out = {
        "keystrokes": summary(all_ms),
        "keystrokes_without_count": summary(ui_only_ms),
        "list_page_query": summary(list_ms),
        "count_query": summary(count_ms),
        "clear_search": summary(clears),
        "by_kind": {k: summary(v) for k, v in per_kind.items()},
        "worst": {"ms": round(worst[0], 1), "kind": worst[1], "text": worst[2]},
    }
    return out


# -- 3. scrolling ----------------------------------------------------------------------------------
def bench_scroll(app, window, probe: Instrumented, pages: int) -> dict:  # noqa: ANN001
    model, view = window.households.model, window.households.view
    model.reload()
    settle(app)
    fetch = []
    for _ in range(pages):
        if not model.canFetchMore():
            break
        start = time.perf_counter()
        model.fetchMore()
        app.processEvents()
        fetch.append((time.perf_counter() - start) * 1000)
    rows_after_fetch = model.rowCount()
    model.reload()
    settle(app)
    scroll, tries = [], 0
    while len(scroll) < pages and model.canFetchMore() and tries < pages * 3:
        tries += 1
        before = model.rowCount()
        start = time.perf_counter()
        view.scrollToBottom()
        app.processEvents()
        spent = (time.perf_counter() - start) * 1000
        added = (model.rowCount() - before) // 200
        if added:
            scroll.extend([spent / added] * added)
    rows_after_scroll = model.rowCount()
    probe.take()
    model.reload()
    settle(app)
    return {"fetch_more": summary(fetch), "rows_after_fetch_more": rows_after_fetch,
            "scroll_to_bottom": summary(scroll), "rows_after_scrolling": rows_after_scroll}


# -- 4. filters and the household form ---------------------------------------------------------
def bench_filters(app, window, probe: Instrumented) -> dict:  # noqa: ANN001
    page = window.households
    out = {}
    for name, box in (("zero_employment", page.zero), ("overdue_grievance", page.overdue),
                      ("not_visited_this_month", page.unvisited)):
        on, spent_on = timed_ui(app, lambda b=box: b.setChecked(True), probe)
        rows, label = page.model.rowCount(), page.count_label.text()
        off, spent_off = timed_ui(app, lambda b=box: b.setChecked(False), probe)
        out[name] = {"on_ms": round(on, 1), "on_list_ms": round(spent_on["list_households"], 1),
                     "on_count_ms": round(spent_on["count_households"], 1),
                     "off_ms": round(off, 1), "off_count_ms": round(spent_off["count_households"], 1),
                     "first_page_rows": rows, "count_label": label}
    return out


def bench_open_form(app, window, times: int = 5) -> dict:  # noqa: ANN001
    model = window.households.model
    opened = []
    for i in range(times):
        household_id = model.rows[10 + 17 * i].id
        start = time.perf_counter()
        window.opener.open_household(household_id)
        form = window.opener.open_forms()[-1]
        app.processEvents()
        opened.append((time.perf_counter() - start) * 1000)
        assert form.isVisible(), "the household form did not show"
        form.dirty = False
        form.close()
        settle(app)
    return summary(opened)


def quiet_offscreen_warnings() -> None:
    """The offscreen plugin warns on every form shown ('does not support raise()'): keep the figures readable."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:  # noqa: ANN001
        if "This plugin does not support" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def bench_window(folder: Path, tmp: Path, scroll_pages: int) -> dict:
    from gui.app import make_application
    from gui.context import AppContext
    from gui.main_window import MainWindow
    from gui.ops import ImmediateWorker
    from gui.settings import Settings

    from core.store import Store

    quiet_offscreen_warnings()
    settings = Settings(tmp / "window" / "settings.ini")
    app = make_application(settings)
    store = Store.open(folder, PASSWORD)
    probe = Instrumented(store)
    # Both workers run their jobs at once on this thread, so every figure includes the count under
    # the list, which the app computes on its reader thread a moment after the list is shown.
    ctx = AppContext(store, settings, app._anju_language, ImmediateWorker())  # type: ignore[attr-defined]
    window = MainWindow(ctx, ImmediateWorker())
    window.resize(1280, 800)
    window.show()
    settle(app)
    rss_window_up = rss_mb()
    try:
        out = {"rss_window_up_mb": round(rss_window_up, 1)}
        out["search"] = bench_search(app, ctx, window, probe)
        out["scroll"] = bench_scroll(app, window, probe, scroll_pages)
        out["filters"] = bench_filters(app, window, probe)
        out["open_household_form"] = bench_open_form(app, window)
        out["rss_end_mb"] = round(rss_mb(), 1)
        t = time.perf_counter()
        store.list_households(None, "household_no", False, max(0, store.count_households() - 200), 200)
        out["deep_page_ms"] = round((time.perf_counter() - t) * 1000, 1)
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--profile", type=Path, help="a demo profile to reuse (made there when missing)")
    parser.add_argument("--runs", type=int, default=5, help="cold starts (the first is reported apart)")
    parser.add_argument("--scroll-pages", type=int, default=50)
    parser.add_argument("--evict", action="store_true",
                        help="drop the profile's files from the page cache before the first cold start")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_HOUSEHOLDS:,} households, 3 cold starts")
    args = parser.parse_args()
    if args.quick:
        args.households, args.runs, args.scroll_pages = QUICK_HOUSEHOLDS, min(args.runs, 3), min(args.scroll_pages, 9)
    with tempfile.TemporaryDirectory(prefix="anju-bench-gui-") as tmp_name:
        tmp = Path(tmp_name)
        folder = args.profile or tmp / "profile"
        ensure_profile(folder, args.households)
        from core.store import Store

        with Store.open(folder, PASSWORD) as store:
            households = store.count_households()
        print(f"profile {folder}: {households:,} households; Qt platform {os.environ['QT_QPA_PLATFORM']}; "
              f"{os.cpu_count()} cores", flush=True)
        figures: dict = {"households": households, "platform": os.environ["QT_QPA_PLATFORM"]}

        print(f"1. cold start from source, {args.runs} fresh processes:", flush=True)
        cold = figures["cold_start"] = bench_cold_start(folder, args.runs, args.evict, tmp)
        first, med, worst = (cold["first_run"]["from_process_start_ms"], cold["from_process_start_ms"]["median"],
                             cold["from_process_start_ms"]["max"])
        print(f"cold start to the first page painted (target < 1000 ms): first run {first:.0f} ms; then median "
              f"{med:.0f} ms, max {worst:.0f} ms from process start ({verdict(med, 1000)}); median "
              f"{cold['from_first_line_ms']['median']:.0f} ms from the script's first line")
        print(f"  median steps from the first line (ms): {cold['steps_ms_median']}")
        print(f"  from spawning the process to the count shown (parent's clock): median "
              f"{cold['launch_to_counted_ms']['median']:.0f} ms, max {cold['launch_to_counted_ms']['max']:.0f} ms "
              f"(psutil create_time() would say {cold['psutil_create_time_ms_median']:.0f} ms: Linux gives it "
              "the boot time in whole seconds)")
        print(f"memory with {households:,} households open (target < 200 MB): rss {cold['rss_mb']['median']:.0f} MB "
              f"(max {cold['rss_mb']['max']:.0f}, after the count {cold['rss_after_count_mb_max']:.0f}, "
              f"peak {cold['child_peak_rss_mb_max']:.0f}) ({verdict(cold['child_peak_rss_mb_max'], 200)})", flush=True)

        window = figures["window"] = bench_window(folder, tmp, args.scroll_pages)
        s = window["search"]
        print("2. search as you type (key press or IME commit + repaint; counts run at once on this thread):")
        print("  " + line("per keystroke, with the count (target < 50 ms)", s["keystrokes"], " keystrokes")
              + f" ({verdict(s['keystrokes']['p95_ms'], 50)} at p95, {verdict(s['keystrokes']['max_ms'], 50)} at max)")
        print("  " + line("per keystroke, without the count (what the UI thread waits for)",
                          s["keystrokes_without_count"]))
        print("  " + line("  of which the list page query", s["list_page_query"]))
        print("  " + line("  the count query (reader thread in the app)", s["count_query"]))
        print("  " + line("clearing the search", s["clear_search"]))
        for kind, k in s["by_kind"].items():
            print("    " + line(f"{kind:<20}", k, " keystrokes"))
        print(f"  slowest keystroke: {s['worst']}")
        sc = window["scroll"]
        print("3. scrolling, per page of 200 rows:")
        print("  " + line("model.fetchMore()", sc["fetch_more"], " pages") + f" (to {sc['rows_after_fetch_more']:,} rows)")
        print("  " + line("view.scrollToBottom()", sc["scroll_to_bottom"], " pages")
              + f" (to {sc['rows_after_scrolling']:,} rows)")
        print(f"  the last page of the list read by offset: {window['deep_page_ms']:.1f} ms")
        print("4. filters (on: first page + count; off: back to the whole list):")
        for name, f in window["filters"].items():
            print(f"  {name:<24} on {f['on_ms']:.1f} ms (list {f['on_list_ms']:.1f}, count {f['on_count_ms']:.1f}; "
                  f"{f['count_label']}), off {f['off_ms']:.1f} ms")
        print("  " + line("open a household form until shown", window["open_household_form"], " forms"))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures["bench_peak_rss_mb"] = round(peak, 1)
        print(f"5. this process: rss {window['rss_window_up_mb']:.0f} MB with the window up, "
              f"{window['rss_end_mb']:.0f} MB at the end, peak {peak:.0f} MB")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
