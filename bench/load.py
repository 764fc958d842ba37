"""50 devices pushing at once to one county server on PostgreSQL (targets: every op
applied exactly once, p95 push under 500 ms). Prints figures, never asserts.

    python bench/load.py [--devices 50] [--batches 10] [--ops 50] [--db postgresql|URL|sqlite]

1. A scratch PostgreSQL database (dropped at the end) with the demo county; the server as its own
   process (``python -m sync.server serve``), as in production.
2. Each device logs in (devices load-0 … load-N, half as w1 and half as w2, workers of one grid)
   and gets its batches ready beforehand, as PushRequests gzipped the way sync.client sends them:
   each batch new households (1 op) with four members each (4 ops).
3. All devices start together (threads) and push their batches one after another. On top of that
   each device replays: its first batch again with the same batch id (an answer lost on the way),
   the ops of its second batch under a new batch id (ops replayed inside another batch), and its
   last batch twice at the same moment (a retry racing the original). A replay must get the very
   answer the first send got.
4. The database is then checked: every op id once in ``applied_op``, one household or member row
   per distinct op, one row state each, sequence numbers without duplicates and none above the numbers
   handed out (the counter row on SQLite, the sequence on PostgreSQL, which may be ahead by a push
   that was tried again: its first numbers are a gap).
Printed: push latency p50/p95/max, ops/s, and "exactly once: yes/no" with what was compared.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from county import (  # noqa: E402
    PASSWORD, county_database, county_server, make_county, percentile, pg_backends_cpu, process_cpu, resident_id, say,
)

from core.models import new_id  # noqa: E402
from core.store.migrate import HEAD_REVISION  # noqa: E402
from sync.client import CountyServer  # noqa: E402
from sync.protocol import PROTOCOL_VERSION, Op, PushRequest, make_hlc  # noqa: E402
from sync.server.demo import GRID_IDS, SETTLEMENT_ID  # noqa: E402

GRID = GRID_IDS["522601100201-01"]
RELATIONS = ("head", "spouse", "son", "daughter")
NAMES = ("王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊", "黄丽", "赵强")
ATTEMPTS = 4  # a send that fails (connection, 5xx) is sent again, as the client does
RUN_SECONDS = 900  # a device process that has not answered by then is a hung bench


@dataclass
class Batch:
    batch_id: str
    body: bytes            # gzipped JSON, as sync.client sends it
    op_ids: list[str]
    households: list[str]
    members: list[str]


@dataclass
class Send:
    label: str             # first, replay-same-id, replay-ops-new-id, race
    batch_id: str
    seconds: float
    status: int
    results: list[dict] | None
    attempts: int = 1
    error: str = ""


@dataclass
class DeviceRun:
    device_id: str
    token: str
    batches: list[Batch]
    replays: list[tuple[str, Batch]] = field(default_factory=list)
    sends: list[Send] = field(default_factory=list)


# ---------------------------------------------------------------- the batches

def encode(request: PushRequest) -> bytes:
    body = request.model_dump(mode="json", by_alias=True)
    return gzip.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"), compresslevel=5)


def make_batch(device_id: str, ops: list[Op], batch_id: str | None = None) -> Batch:
    request = PushRequest(batch_id=batch_id or f"b-{uuid.uuid4()}", device_id=device_id, protocol=PROTOCOL_VERSION,
                          schema=HEAD_REVISION, ops=ops)
    return Batch(request.batch_id, encode(request), [op.op_id for op in ops],
                 [op.row_id for op in ops if op.entity == "household"],
                 [op.row_id for op in ops if op.entity == "member"])


def new_ops(device: int, batch: int, count: int, people: iter) -> list[Op]:  # noqa: ANN001
    """`count` ops: households of one op each, followed by their four members."""
    device_id = f"load-{device}"
    ops: list[Op] = []
    stamp = int(time.time() * 1000)
    while len(ops) < count:
        hid = new_id()
        k = len(ops) // 5
        ops.append(Op(op_id=str(uuid.uuid4()), entity="household", row_id=hid, kind="upsert",
                      fields={"household_no": f"L{device:02d}-{batch:03d}-{k:03d}", "settlement_id": SETTLEMENT_ID,
                              "grid_id": GRID, "building": str(device), "unit": str(batch), "room": str(k)},
                      hlc=make_hlc(stamp, len(ops), device_id)))
        for relation in RELATIONS[:max(0, min(4, count - len(ops)))]:
            ops.append(Op(op_id=str(uuid.uuid4()), entity="member", row_id=new_id(), kind="upsert",
                          fields={"household_id": hid, "name": NAMES[len(ops) % len(NAMES)], "relation": relation,
                                  "id_number": resident_id(next(people))},
                          hlc=make_hlc(stamp, len(ops), device_id)))
    return ops


def plan_device(device: int, token: str, batches: int, ops: int, people: iter) -> DeviceRun:  # noqa: ANN001
    device_id = f"load-{device}"
    run = DeviceRun(device_id, token, [])
    for b in range(batches):
        run.batches.append(make_batch(device_id, new_ops(device, b, ops, people)))
    first, second, last = run.batches[0], run.batches[min(1, batches - 1)], run.batches[-1]
    run.replays = [("replay-same-id", first)]
    if batches > 1:
        ops_again = json.loads(gzip.decompress(second.body))["ops"]
        run.replays.append(("replay-ops-new-id", make_batch(device_id, [Op.model_validate(o) for o in ops_again])))
    run.replays.append(("race", last))
    return run


# ---------------------------------------------------------------- pushing

def headers(token: str) -> dict[str, str]:
    return {"Anju-Protocol": str(PROTOCOL_VERSION), "Anju-Schema": HEAD_REVISION, "Authorization": f"Bearer {token}",
            "Content-Type": "application/json", "Content-Encoding": "gzip", "Accept-Encoding": "gzip"}


def send(session, url: str, token: str, batch: Batch, label: str) -> Send:  # noqa: ANN001
    """One push, sent again after a connection error or a 5xx; the latency is the successful try's."""
    import requests

    error = ""
    for attempt in range(1, ATTEMPTS + 1):
        start = time.perf_counter()
        try:
            answer = session.post(url + "/api/v1/sync/push", data=batch.body, headers=headers(token),
                                  timeout=(5, 120))
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
            time.sleep(0.2 * attempt)
            continue
        seconds = time.perf_counter() - start
        if answer.status_code >= 500 and attempt < ATTEMPTS:
            error = f"HTTP {answer.status_code}: {answer.text[:200]}"
            time.sleep(0.2 * attempt)
            continue
        results = answer.json().get("results") if answer.ok else None
        return Send(label, batch.batch_id, seconds, answer.status_code, results, attempt,
                    "" if answer.ok else f"HTTP {answer.status_code}: {answer.text[:300]}")
    return Send(label, batch.batch_id, float("nan"), 0, None, ATTEMPTS, error)


def run_device(url: str, run: DeviceRun, start: threading.Barrier) -> None:
    import requests

    with requests.Session() as session, requests.Session() as racer:
        start.wait()
        for i, batch in enumerate(run.batches):
            if i == len(run.batches) - 1:
                # the last batch twice at the same moment: an answer slow to come, and its retry
                with ThreadPoolExecutor(2) as pool:
                    a = pool.submit(send, session, url, run.token, batch, "first")
                    b = pool.submit(send, racer, url, run.token, batch, "race")
                    run.sends += [a.result(), b.result()]
            else:
                run.sends.append(send(session, url, run.token, batch, "first"))
            if i == 1:  # replay the first batch, as after an answer lost on the way
                run.sends.append(send(session, url, run.token, run.replays[0][1], "replay-same-id"))
        for label, batch in run.replays[1:]:
            if label != "race":
                run.sends.append(send(session, url, run.token, batch, label))


def _device_process(url: str, run: DeviceRun, start, answers) -> None:  # noqa: ANN001 - multiprocessing objects
    """One device in a process of its own: its sends and its own CPU time go back to the bench."""
    cpu = time.process_time()
    try:
        run_device(url, run, start)
    finally:
        answers.put((run.device_id, run.sends, time.process_time() - cpu))


def push_all(url: str, runs: list[DeviceRun], server_pid: int, db_url: str,
             clients: str = "process") -> tuple[float, dict]:
    """Push everything at once; (wall seconds, CPU seconds of the server, PostgreSQL and the clients).
    Each device is a process of its own by default, so that the clients' own Python (one GIL in a
    single process) adds nothing to the latency measured; `clients="thread"` runs them as threads."""
    if clients == "thread":
        return _push_with_threads(url, runs, server_pid, db_url)
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    barrier, answers = ctx.Barrier(len(runs) + 1), ctx.Queue()
    procs = [ctx.Process(target=_device_process, args=(url, r, barrier, answers), name=r.device_id) for r in runs]
    for p in procs:
        p.start()
    pg_before, server_before = pg_backends_cpu(db_url), process_cpu(server_pid)
    barrier.wait()
    start = time.perf_counter()
    by_device, client_cpu = {}, 0.0
    for _ in procs:
        device_id, sends, cpu = answers.get(timeout=RUN_SECONDS)
        by_device[device_id] = sends
        client_cpu += cpu
    wall = time.perf_counter() - start
    for p in procs:
        p.join()
    for r in runs:
        r.sends = by_device[r.device_id]
    return wall, _cpu_since(server_pid, server_before, db_url, pg_before, client_cpu)


def _push_with_threads(url: str, runs: list[DeviceRun], server_pid: int, db_url: str) -> tuple[float, dict]:
    barrier = threading.Barrier(len(runs) + 1)
    threads = [threading.Thread(target=run_device, args=(url, r, barrier), name=r.device_id) for r in runs]
    for t in threads:
        t.start()
    pg_before, server_before = pg_backends_cpu(db_url), process_cpu(server_pid)
    barrier.wait()
    start, client_before = time.perf_counter(), time.process_time()
    for t in threads:
        t.join()
    wall, client = time.perf_counter() - start, time.process_time() - client_before
    return wall, _cpu_since(server_pid, server_before, db_url, pg_before, client)


def _cpu_since(server_pid: int, server_before: float, db_url: str, pg_before: dict, client: float) -> dict:
    pg_after = pg_backends_cpu(db_url)
    pg = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
    return {"server": process_cpu(server_pid) - server_before, "postgres": pg, "client": client,
            "pg_connections": len([pid for pid in pg_after if pid])}


# ---------------------------------------------------------------- checking

def same_answers(runs: list[DeviceRun]) -> tuple[int, int]:
    """(replays whose answer equals the first send's, replays compared)."""
    equal = compared = 0
    for run in runs:
        by_op: dict[str, dict] = {}
        for s in run.sends:
            if s.label == "first" and s.results:
                by_op.update({r["op_id"]: r for r in s.results})
        for s in run.sends:
            if s.label != "first" and s.results is not None:
                compared += 1
                equal += all(by_op.get(r["op_id"]) == r for r in s.results)
    return equal, compared


def check_database(db_url: str, runs: list[DeviceRun]) -> dict:
    from sqlalchemy import create_engine, text

    ops = {o for r in runs for b in r.batches for o in b.op_ids}
    households = {h for r in runs for b in r.batches for h in b.households}
    members = {m for r in runs for b in r.batches for m in b.members}
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
            applied = q("SELECT op_id, count(*) FROM applied_op WHERE device_id LIKE 'load-%' GROUP BY op_id")
            rows_h = {r[0] for r in q("SELECT id FROM household WHERE device_id LIKE 'load-%'")}
            rows_m = {r[0] for r in q("SELECT id FROM member WHERE device_id LIKE 'load-%'")}
            states = q("SELECT count(*), count(DISTINCT seq), max(seq) FROM row_state")[0]
            counter = (q("SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM change_seq")[0][0]
                       if engine.dialect.name == "postgresql" else q("SELECT value FROM sequence_counter")[0][0])
            load_states = q("SELECT count(*) FROM row_state WHERE created_device LIKE 'load-%'")[0][0]
    finally:
        engine.dispose()
    applied_ids = {r[0] for r in applied}
    twice = sum(1 for r in applied if r[1] != 1)
    return {"ops_sent": len(ops), "applied_op_rows": len(applied), "applied_twice": twice,
            "ops_missing": len(ops - applied_ids), "ops_unknown": len(applied_ids - ops),
            "households_sent": len(households), "household_rows": len(rows_h), "households_match": rows_h == households,
            "members_sent": len(members), "member_rows": len(rows_m), "members_match": rows_m == members,
            "row_states": load_states, "seq_unique": states[0] == states[1], "seq_max": states[2], "counter": counter}


def exactly_once(db: dict, answers: tuple[int, int], runs: list[DeviceRun]) -> bool:
    """The database holds each op once, and every send (first, replayed or racing) answered "applied"
    for each of its ops, replays with the very answer of the first send."""
    sends = [s for r in runs for s in r.sends]
    every_send_applied = all(s.results is not None and all(x["status"] == "applied" for x in s.results)
                             for s in sends)
    return (db["applied_twice"] == 0 and db["ops_missing"] == 0 and db["ops_unknown"] == 0
            and db["households_match"] and db["members_match"]
            and db["row_states"] == db["households_sent"] + db["members_sent"]
            and db["seq_unique"] and db["seq_max"] <= db["counter"]
            and answers[0] == answers[1] and every_send_applied)


# ---------------------------------------------------------------- main

def report(runs: list[DeviceRun], wall: float, db: dict, answers: tuple[int, int], ok: bool, args,  # noqa: ANN001
           cpu: dict) -> None:
    sends = [s for r in runs for s in r.sends]
    good = [s.seconds * 1000 for s in sends if s.results is not None]
    first = [s.seconds * 1000 for s in sends if s.label == "first" and s.results is not None]
    failed = [s for s in sends if s.results is None]
    retried = sum(s.attempts - 1 for s in sends)
    print(f"\n{len(runs)} devices pushing at once, county server on {args.db_kind} (its own process)")
    print(f"  each: {args.batches} batches of {args.ops} ops (households and their four members), "
          f"plus 3 replays (same batch id, same ops under a new batch id, a retry racing the last batch)")
    print(f"  requests: {len(sends)} ({len(failed)} failed after {ATTEMPTS} tries, {retried} retries), "
          f"wall time {wall:.2f} s, {len(sends) / wall:.1f} pushes/s")
    print(f"  push latency, every push:  p50 {percentile(good, .5):.0f} ms, p95 {percentile(good, .95):.0f} ms, "
          f"max {max(good, default=float('nan')):.0f} ms")
    print(f"  push latency, first sends: p50 {percentile(first, .5):.0f} ms, p95 {percentile(first, .95):.0f} ms, "
          f"max {max(first, default=float('nan')):.0f} ms  (target p95 under 500 ms)")
    print(f"  throughput: {db['ops_sent'] / wall:.0f} distinct ops/s ({db['ops_sent']} ops applied in {wall:.2f} s)")
    cores = os.cpu_count() or 1
    print(f"  CPU while pushing ({wall:.1f} s wall x {cores} cores = {cores * wall:.1f} core-seconds on this machine): "
          f"server process {cpu['server']:.1f} s ({cpu['server'] / max(1, len(sends)) * 1000:.0f} ms a push), "
          f"PostgreSQL backends {cpu['postgres']:.1f} s ({cpu['pg_connections']} connections), "
          f"the {len(runs)} devices' clients (a {args.clients} each) {cpu['client']:.1f} s")
    print(f"  database: {db['applied_op_rows']} applied_op rows for {db['ops_sent']} distinct ops sent "
          f"({db['applied_twice']} twice, {db['ops_missing']} missing, {db['ops_unknown']} unknown); "
          f"{db['household_rows']} household rows for {db['households_sent']} household ops "
          f"(same ids: {db['households_match']}); {db['member_rows']} member rows for {db['members_sent']} member ops "
          f"(same ids: {db['members_match']}); {db['row_states']} row states; sequence unique: {db['seq_unique']}, "
          f"max {db['seq_max']}, numbers handed out {db['counter']}: {db['seq_max'] <= db['counter']}")
    print(f"  replays answered exactly as the first send: {answers[0]} of {answers[1]}")
    for s in failed[:5]:
        print(f"  FAILED {s.label} {s.batch_id}: {s.error}")
    print(f"  exactly once: {'yes' if ok else 'no'}")


def login_all(url: str, devices: int) -> list[str]:
    tokens = []
    for i in range(devices):
        client = CountyServer(url)
        try:
            tokens.append(client.login("w1" if i % 2 == 0 else "w2", PASSWORD, device_id=f"load-{i}",
                                       device_name=f"load test {i}")["token"])
        finally:
            client.close()
    return tokens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--batches", type=int, default=10, help="batches each device sends (at least 2)")
    parser.add_argument("--ops", type=int, default=50, help="ops in a batch (households and their members)")
    parser.add_argument("--db", default="postgresql", help="postgresql (default: a scratch database on "
                                                           "127.0.0.1:5432), a postgresql+psycopg:// URL, or sqlite")
    parser.add_argument("--workers", type=int, default=2, help="server processes (`serve --workers`)")
    parser.add_argument("--clients", choices=("process", "thread"), default="process",
                        help="each device a process of its own (default), or a thread of this one")
    args = parser.parse_args(argv)
    args.batches = max(2, args.batches)
    args.db_kind = "sqlite" if args.db == "sqlite" else "PostgreSQL"
    with county_database(args.db) as db_url:
        make_county(db_url)
        with county_server(db_url, "process", workers=args.workers) as server:
            say(f"logging in {args.devices} devices")
            tokens = login_all(server.url, args.devices)
            people = iter(range(10**7))
            runs = [plan_device(i, t, args.batches, args.ops, people) for i, t in enumerate(tokens)]
            say(f"{args.devices} devices pushing {args.batches} batches of {args.ops} ops each, at once")
            wall, cpu = push_all(server.url, runs, server.pid, db_url, args.clients)
        db = check_database(db_url, runs)
    answers = same_answers(runs)
    report(runs, wall, db, answers, exactly_once(db, answers, runs), args, cpu)
    return 0


if __name__ == "__main__":
    sys.exit(main())
