"""What bench/sync.py prints: each round's figures, the min and median per system over the rounds,
the ratios per round, and the targets. Plain functions of the figures it gathered (a dict per run)."""
from __future__ import annotations

import statistics

from peers import print_peers

# The targets of the sync speed work (docs/architecture.md, "Benchmarks"): push and pull at least half
# of Anki's sync server and three times pouchdb-server's, 1,000 edits in under 100 ms, nothing in under 5 ms.
TARGET_INCREMENTAL_S, TARGET_NOOP_MS, ANKI_FACTOR, POUCH_FACTOR = 0.1, 5.0, 0.5, 3
# The summary's figures: (key in a system's row, label, "rate" (higher is better) or "time" (lower is)).
FIGURES = (("push_rps", "push rec/s", "rate"), ("pull_rps", "pull rec/s", "rate"),
           ("incremental_ms", "incremental ms", "time"),
           ("incremental_no_copy_ms", "incremental, no copy due ms", "time"),
           ("incremental_pull_ms", "receive ms", "time"), ("noop_ms", "no-op ms", "time"))


def anju_row(fig: dict) -> dict:
    n = fig["records"]
    return {"push_rps": n / fig["push"]["seconds"], "push_only_rps": n / fig["push"]["push_only_s"],
            "pull_rps": n / fig["pull"]["seconds"], "incremental_ms": fig["incremental"]["seconds"] * 1000,
            "incremental_no_copy_ms": fig["incremental_no_copy"]["seconds"] * 1000,
            "incremental_pull_ms": fig["incremental_receive"]["seconds"] * 1000,
            "noop_ms": fig["noop"]["median_s"] * 1000}


# ---------------------------------------------------------------- printing

def split_line(split: dict) -> str:
    parts = [f"profile store {split['store_s']:.3f} s ({split['store_calls']} calls)"]
    if split["backup_copies"]:
        parts.append(f"backup copy {split['backup_s']:.3f} s (the copy took {split.get('backup_own_s', 0):.3f} s, "
                     "beside the push and the pull)")
    elif split["backup_calls"]:
        parts.append(f"backup check {split['backup_s']:.3f} s (no copy taken)")
    if split["http_post_n"]:
        parts.append(f"HTTP POST {split['http_post_s']:.3f} s ({split['http_post_n']})")
    if split["http_get_n"]:
        parts.append(f"HTTP GET {split['http_get_s']:.3f} s ({split['http_get_n']})")
    beside = [f"{method} {split[f'beside_{method.lower()}_s']:.3f} s ({split[f'beside_{method.lower()}_n']})"
              for method in ("POST", "GET") if split.get(f"beside_{method.lower()}_n")]
    if beside:  # the sync's own thread waits for them in what is left
        parts.append(f"client Python and waiting on the requests beside {split['client_python_s']:.3f} s")
        parts.append("HTTP beside, overlapping the rest: " + ", ".join(beside))
    else:
        parts.append(f"client Python {split['client_python_s']:.3f} s")
    if "server_cpu_s" in split:
        parts.append(f"[server process CPU {split['server_cpu_s']:.2f} s]")
    if "server_handler_s" in split:
        parts.append(f"[server handlers {split['server_handler_s']:.3f} s in {split['server_handler_n']} calls]")
    return "      where: " + ", ".join(parts)


def print_setup(setup: dict) -> None:
    h = setup["households"]
    print(f"Anju (county server: {setup['server']}, database: {setup['db']}; {setup['records']} members in {h} "
          f"households)")
    print(f"  once: enroll w1 (login, new encrypted profile, reference data) {setup['enroll_s']:.2f} s; making the "
          f"members with save_household (not a sync figure) {setup['local_save_s']:.1f} s "
          f"({h / setup['local_save_s']:.0f} households/s, {setup['outbox_entries']} outbox entries)")


def print_anju(fig: dict, rnd: int) -> None:
    n, h = fig["records"], fig["households"]
    push, pull = fig["push"], fig["pull"]
    print(f"  round {rnd}: w1's copy joining this round's county {fig['rejoin_s']:.2f} s, enrolling w2 "
          f"{fig['enroll_s']:.2f} s")
    print(f"  push  {n / push['seconds']:>8.0f} member records/s  ({push['seconds']:.2f} s: the push "
          f"{push['push_only_s']:.2f} s ({n / push['push_only_s']:.0f}/s), then the pull that follows, "
          f"{push['pulled_back']} rows; {h} households sent too; results {push['statuses']})")
    print(split_line(push["split"]))
    if push["rejections"]:
        print(f"      REJECTED (first): {push['rejections'][0]}")
    print(f"  pull  {n / pull['seconds']:>8.0f} member records/s  ({pull['seconds']:.2f} s, w2's sync; {pull['rows']} "
          f"rows pulled: the members and their households)")
    print(split_line(pull["split"]))
    inc, rec = fig["incremental"], fig["incremental_receive"]
    print(f"  incremental sync of {fig['edits']} edited members on w1: {inc['seconds'] * 1000:.0f} ms, "
          f"{inc['without_backup_s'] * 1000:.0f} ms without the time it spent on its backup copy "
          f"(pushed {inc['pushed']}, then pulled {inc['pulled']} rows back); another device receiving them: "
          f"{rec['seconds'] * 1000:.0f} ms ({rec['pulled']} rows). Editing them took {fig['edit_save_s']:.2f} s")
    print(split_line(inc["split"]))
    print(split_line(rec["split"]).replace("where:", "receive:"))
    again = fig["incremental_no_copy"]
    due = ("no backup copy due (the first sync's is minutes old)" if not again["split"]["backup_copies"]
           else "A BACKUP COPY WAS TAKEN after all (the figure is not the one without)")
    print(f"  incremental sync of the next {fig['edits']} edited members on w1, {due}: "
          f"{again['seconds'] * 1000:.0f} ms (pushed {again['pushed']}, then pulled {again['pulled']} rows back)")
    print(split_line(again["split"]))
    noop = fig["noop"]
    print(f"  sync with nothing to do: {noop['median_s'] * 1000:.1f} ms median of {noop['runs']} "
          f"(min {noop['min_s'] * 1000:.1f}, max {noop['max_s'] * 1000:.1f})")
    print(split_line(noop["split"]))


def rows_by_system(run: dict) -> dict[str, list[dict | None]]:
    """Per system, its row of figures in each round (None for a round it was skipped in)."""
    out: dict[str, list[dict | None]] = {}
    for system in run["systems"]:
        out[system] = []
        for r in run["rounds"]:
            if system == "anju":
                out[system].append(anju_row(r["anju"]))
            else:
                peer = r["peers"].get(system, {})
                # a peer takes no backup before its sync: its incremental is the same with none due
                ok = peer.get("status") == "ok"
                out[system].append({**peer, "incremental_no_copy_ms": peer["incremental_ms"]} if ok else None)
    return out


def summarize(run: dict) -> dict:
    """Min and median per figure and system over the rounds, and per round the ratios (>1: Anju better)."""
    rows = rows_by_system(run)
    stats: dict = {}
    for key, _label, _kind in FIGURES:
        for system, per_round in rows.items():
            values = [r[key] for r in per_round if r is not None]
            stats.setdefault(key, {})[system] = {"min": min(values) if values else None,
                                                 "median": statistics.median(values) if values else None,
                                                 "rounds": [r[key] if r else None for r in per_round]}
    ratios: dict = {}
    for peer in run["systems"][1:]:
        for key, _label, kind in FIGURES:
            ratios.setdefault(peer, {})[key] = [
                None if p is None else (a[key] / p[key] if kind == "rate" else p[key] / a[key])
                for a, p in zip(rows["anju"], rows[peer])]
    return {"figures": stats, "ratios": ratios}


def fmt(value: float | None, kind: str) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if kind == "rate" or value >= 100 else f"{value:.1f}"


def print_summary(run: dict, summary: dict) -> None:
    n_rounds = len(run["rounds"])
    heads = "".join(f"{'round ' + str(i + 1):>10}" for i in range(n_rounds))
    print(f"\nOver {n_rounds} rounds (orders: {'; '.join(', '.join(r['order']) for r in run['rounds'])})")
    print(f"{'figure':<32}{'system':<9}{'min':>10}{'median':>10}   {heads}")
    for key, label, kind in FIGURES:
        for system, s in summary["figures"][key].items():
            rounds = "".join(f"{fmt(v, kind):>10}" for v in s["rounds"])
            print(f"{label:<32}{system:<9}{fmt(s['min'], kind):>10}{fmt(s['median'], kind):>10}   {rounds}")
    for peer, by_key in summary["ratios"].items():
        print(f"\nAnju vs {peer}, per round (rates: Anju/{peer}, times: {peer}/Anju; above 1: Anju is better)")
        for key, label, _kind in FIGURES:
            cells = "".join(f"{'-' if v is None else f'{v:.2f}x':>10}" for v in by_key[key])
            print(f"  {label:<38}{cells}")
    for r in run["rounds"]:
        for name, fig in r["peers"].items():
            if fig.get("status") != "ok":
                print(f"{name}, round {r['round']}: skipped ({fig.get('reason', '?').splitlines()[0]})")
    for name, facts in run["installed"].items():
        if facts["status"] != "ok":
            print(f"{name}: not run, it could not be installed: {facts['reason']}")


def print_targets(summary: dict, edits: int) -> None:
    figures = summary["figures"]

    def median(key: str, system: str) -> float | None:
        return figures[key].get(system, {}).get("median")

    print("\nTargets (medians from this run, not pass/fail tests):")
    for peer, factor in (("anki", ANKI_FACTOR), ("pouchdb", POUCH_FACTOR)):
        if median("push_rps", peer) is None:
            print(f"  vs {peer}: no figures (peer skipped)")
            continue
        for way in ("push", "pull"):
            ratio = median(f"{way}_rps", "anju") / median(f"{way}_rps", peer)
            verdict = "meets" if ratio >= factor else "misses"
            print(f"  {way}: Anju/{peer} = {ratio:.2f}x  (target at least {factor}x: {verdict})")
    for key, what in (("incremental_ms", "with the backup copy"), ("incremental_no_copy_ms", "no backup copy due")):
        inc = median(key, "anju")
        print(f"  incremental sync of {edits:,} edits, {what}: {inc:.0f} ms (target under "
              f"{TARGET_INCREMENTAL_S * 1000:.0f} ms: {'meets' if inc < TARGET_INCREMENTAL_S * 1000 else 'misses'})")
    noop = median("noop_ms", "anju")
    print(f"  sync with nothing to do: {noop:.1f} ms (target under {TARGET_NOOP_MS:.0f} ms: "
          f"{'meets' if noop < TARGET_NOOP_MS else 'misses'})")


def print_run(run: dict, summary: dict, edits: int) -> None:
    last = run["rounds"][-1]
    print()
    print_setup(run["setup"])
    print_anju(last["anju"], last["round"])
    peers = {k: v for k, v in last["peers"].items() if v.get("status") == "ok"}
    if peers:
        print(f"\nThe peers, round {last['round']}:")
        print_peers(peers)
    anki = peers.get("anki")
    if anki and "full_push_rps" in anki:
        print(f"(anki full sync, round {last['round']}: upload {anki['full_push_rps']} rec/s, download "
              f"{anki['full_pull_rps']} rec/s: whole-collection files, what Anki does on a first sync)")
    if "profiled" in run:
        print("\nThe run under cProfile (--profile; one more round, not in the figures below):")
        print_anju(run["profiled"], len(run["rounds"]) + 1)
    print_summary(run, summary)
    print_targets(summary, edits)
