"""The peers of the side-by-side sync benchmark: Anki's sync server and pouchdb-server (docs/architecture.md, "Benchmarks").

    python bench/peers.py [--records 10000] [--edits 1000] [--peers anki,pouchdb] [--json]

Importable by bench/sync.py: ``run_peers(records=10_000, edits=1_000)`` returns the figures per peer,
``print_peers(figures)`` prints them, ``member_rows(n)`` gives the rows every peer is fed.

Each peer installs on first use into a cache folder OUTSIDE the repository (``$ANJU_PEERS_DIR``, default
``~/.cache/anju-peers``) and is reused after that:

- ``anki-venv/``: a venv with the PyPI package ``anki`` (``python -m anki.syncserver`` and its client, the
  Rust backend behind ``anki.collection.Collection``);
- ``pouchdb/``: ``npm install pouchdb-server pouchdb`` (plus ``bench.js``, a copy of bench/peers_pouch.js).

A peer that cannot be installed or started is skipped with the reason; the others still run.
Every server binds 127.0.0.1 on a free port and is stopped when its block ends.

The same work for each peer, with its own client, on the same member rows (10 short fields):
push N new records from device A, pull them into an empty device B, sync 1,000 edited records
(the editing device's sync, then another device receiving them), and a sync with nothing to do.
What a "record" is, and full-versus-delta, differs by peer: see ``PEER_NOTES``.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CACHE = Path(os.environ.get("ANJU_PEERS_DIR") or Path.home() / ".cache" / "anju-peers")
ANKI_SPEC = os.environ.get("ANJU_ANKI_SPEC", "anki")  # e.g. "anki==25.9.2" to pin
POUCH_PACKAGES = ("pouchdb-server", "pouchdb")
USER, PASSWORD = "bench", "bench-pass"
INSTALL_TIMEOUT = 900
RUN_TIMEOUT = 1800

MEMBER_FIELDS = (
    "name", "id_number", "sex", "birth_date", "relation",
    "phone", "education", "labour_skill", "status", "household_id",
)

PEER_NOTES = {
    "anki": (
        "record = one Anki note (10 fields joined in one row) plus the card Anki generates for it. "
        "push/pull = Anki's normal (delta) sync of N new notes, chunked record by record; "
        "full_push/full_pull = Anki's full sync, one whole-collection SQLite file upload/download "
        "(what Anki does on a first sync). sync = one bidirectional sync_collection call."
    ),
    "pouchdb": (
        "record = one CouchDB document (the 10 fields, _id, one revision). "
        "push = replicate.to(remote), pull = replicate.from(remote) into an empty local db "
        "(replication is always by document: _changes, _revs_diff, _bulk_docs/_bulk_get, checkpoints). "
        "sync = replicate.to then replicate.from, one after the other, like Anju's push-then-pull."
    ),
}


# ---------------------------------------------------------------- the rows

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
RELATIONS = ("户主", "配偶", "子", "女", "父亲", "母亲", "孙子", "孙女", "儿媳", "其他")
EDUCATION = ("文盲", "小学", "初中", "高中", "中专", "大专", "本科", "研究生")
SKILLS = ("无", "普通劳动力", "技能劳动力", "丧失劳动力", "弱劳动力")
STATUS = ("在家", "外出务工", "在校生", "服役", "死亡", "迁出")


def member_rows(n: int, seed: int = 1) -> list[dict[str, str]]:
    """n member rows like a household ledger's, 10 short string fields each; deterministic for a seed."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        born = f"{rng.randint(1930, 2020)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        rows.append({
            "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
            "id_number": f"5301{rng.randint(10, 99)}{born}{rng.randint(0, 9999):04d}",
            "sex": rng.choice(("男", "女")),
            "birth_date": f"{born[:4]}-{born[4:6]}-{born[6:]}",
            "relation": RELATIONS[0] if i % 4 == 0 else rng.choice(RELATIONS[1:]),
            "phone": f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
            "education": rng.choice(EDUCATION),
            "labour_skill": rng.choice(SKILLS),
            "status": rng.choice(STATUS),
            "household_id": f"H{i // 4:07d}",
        })
    return rows


def edited(row: dict[str, str], i: int) -> dict[str, str]:
    """The edit applied to the first `edits` rows, the same for every peer: two fields change."""
    return {**row, "phone": f"139{i:08d}", "status": "外出务工" if row["status"] != "外出务工" else "在家"}


# ---------------------------------------------------------------- helpers

class PeerUnavailable(Exception):
    """The peer cannot be installed or started here; the message says why."""


def say(message: str) -> None:
    print(f"[peers] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def folder_bytes(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _install_record(folder: Path, seconds: float | None, reused: bool) -> dict:
    marker = folder / ".anju-install.json"
    if seconds is not None:
        marker.write_text(json.dumps({"seconds": round(seconds, 1)}))
    try:
        first = json.loads(marker.read_text())["seconds"]
    except (OSError, ValueError, KeyError):
        first = None
    return {"folder": str(folder), "reused": reused, "install_seconds": first,
            "megabytes": round(folder_bytes(folder) / 1e6, 1)}


@contextmanager
def running_server(cmd: list[str], *, env: dict[str, str], cwd: Path, health_url: str,
                   log_path: Path, timeout: float = 60.0) -> Iterator[subprocess.Popen]:
    """Start a server process, wait until health_url answers 2xx, yield it; then stop it (TERM, then KILL)."""
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise PeerUnavailable(f"server exited with {proc.returncode} before answering:\n{tail(log_path)}")
            try:
                with urllib.request.urlopen(health_url, timeout=2) as answer:
                    if 200 <= answer.status < 300:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise PeerUnavailable(f"server did not answer {health_url} within {timeout:.0f} s:\n{tail(log_path)}")
            time.sleep(0.1)
        yield proc
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        log.close()


def _run_json(cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> dict:
    """Run a client that prints one JSON object as its last stdout line."""
    try:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise PeerUnavailable(f"client timed out after {RUN_TIMEOUT} s") from exc
    if done.returncode != 0:
        raise PeerUnavailable(f"client failed ({done.returncode}):\n{(done.stderr or done.stdout)[-3000:]}")
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError) as exc:
        raise PeerUnavailable(f"client printed no JSON:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}") from exc


def _write_rows(folder: Path, rows: list[dict[str, str]], edits: int) -> Path:
    path = folder / "rows.json"
    path.write_text(json.dumps({"rows": rows, "edited": [edited(rows[i], i) for i in range(edits)]},
                               ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- Anki

def anki_python(cache: Path = CACHE) -> Path:
    return cache / "anki-venv" / "bin" / "python"


def ensure_anki(cache: Path = CACHE) -> dict:
    """A venv with `anki` under the cache folder; created once, reused after. Raises PeerUnavailable."""
    venv = cache / "anki-venv"
    python = anki_python(cache)
    probe = [str(python), "-c", "import anki.syncserver, anki.collection, anki.buildinfo as b; print(b.version)"]
    if python.exists():
        done = subprocess.run(probe, capture_output=True, text=True)
        if done.returncode == 0:
            return {**_install_record(venv, None, True), "version": done.stdout.strip()}
        say(f"anki venv at {venv} is broken; reinstalling")
        shutil.rmtree(venv, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    log_path = cache / "anki-install.log"
    say(f"installing {ANKI_SPEC} into {venv} (first run only; log {log_path})")
    start = time.perf_counter()
    with open(log_path, "w") as log:
        base = getattr(sys, "_base_executable", None) or sys.executable
        steps = [[base, "-m", "venv", str(venv)],
                 [str(python), "-m", "pip", "install", "--disable-pip-version-check", ANKI_SPEC]]
        for step in steps:
            try:
                done = subprocess.run(step, stdout=log, stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT)
            except (OSError, subprocess.TimeoutExpired) as exc:
                shutil.rmtree(venv, ignore_errors=True)
                raise PeerUnavailable(f"{' '.join(step[:4])}: {exc}") from exc
            if done.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                raise PeerUnavailable(f"{' '.join(step[-3:])} failed:\n{tail(log_path)}")
    seconds = time.perf_counter() - start
    done = subprocess.run(probe, capture_output=True, text=True)
    if done.returncode != 0:
        raise PeerUnavailable(f"anki installed but does not import:\n{done.stderr[-2000:]}")
    return {**_install_record(venv, seconds, False), "version": done.stdout.strip()}


@contextmanager
def anki_server(cache: Path = CACHE) -> Iterator[str]:
    """Anki's own sync server on 127.0.0.1:<free port>, one user; yields the endpoint URL."""
    port = free_port()
    base = Path(tempfile.mkdtemp(prefix="anju-anki-server-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNC_")}
    env.update(SYNC_HOST="127.0.0.1", SYNC_PORT=str(port), SYNC_BASE=str(base / "data"),
               SYNC_USER1=f"{USER}:{PASSWORD}")
    try:
        with running_server([str(anki_python(cache)), "-m", "anki.syncserver"], env=env, cwd=base,
                            health_url=f"http://127.0.0.1:{port}/health", log_path=base / "server.log"):
            yield f"http://127.0.0.1:{port}/"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run_anki(rows: list[dict[str, str]], edits: int, cache: Path = CACHE) -> dict:
    install = ensure_anki(cache)
    work = Path(tempfile.mkdtemp(prefix="anju-anki-client-"))
    try:
        rows_path = _write_rows(work, rows, edits)
        with anki_server(cache) as endpoint:
            say(f"anki {install['version']}: server at {endpoint}, {len(rows)} notes")
            figures = _run_json([str(anki_python(cache)), str(Path(__file__).resolve()), "_anki-client",
                                 "--endpoint", endpoint, "--rows", str(rows_path), "--work", str(work)], cwd=work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"peer": "anki", "status": "ok", "version": install["version"], "install": install,
            "record": PEER_NOTES["anki"], **figures}


def _anki_client(endpoint: str, rows_path: Path, work: Path) -> dict:
    """Runs inside the anki venv (python peers.py _anki-client ...). Prints the timings as JSON."""
    from anki.collection import AddNoteRequest, Collection  # noqa: PLC0415  (only in the anki venv)
    from anki.sync import SyncOutput  # noqa: PLC0415

    data = json.loads(rows_path.read_text(encoding="utf-8"))
    rows, edited_rows = data["rows"], data["edited"]

    def open_col(name: str, with_notetype: bool) -> Collection:
        col = Collection(str(work / name / "collection.anki2"))
        if with_notetype:
            model = col.models.new("Member")
            for field in MEMBER_FIELDS:
                col.models.add_field(model, col.models.new_field(field))
            template = col.models.new_template("Member")
            template["qfmt"], template["afmt"] = "{{name}}", "{{id_number}} {{household_id}}"
            col.models.add_template(model, template)
            col.models.add(model)
        return col

    def add(col: Collection, batch: list[dict[str, str]]) -> None:
        model = col.models.by_name("Member")
        deck = col.decks.id("Default")
        requests = []
        for row in batch:
            note = col.new_note(model)
            for field in MEMBER_FIELDS:
                note[field] = row[field]
            requests.append(AddNoteRequest(note=note, deck_id=deck))
        col.add_notes(requests)

    def sync(col: Collection, auth) -> int:  # noqa: ANN001
        """One sync as Anki's GUI does it; a full upload/download when the server asks for one."""
        out = col.sync_collection(auth, False)
        if out.required in (SyncOutput.FULL_UPLOAD, SyncOutput.FULL_DOWNLOAD, SyncOutput.FULL_SYNC):
            upload = out.required != SyncOutput.FULL_DOWNLOAD
            col.close_for_full_sync()
            col.full_upload_or_download(auth=auth, server_usn=None, upload=upload)
            col.reopen(after_full_sync=True)
        return out.required

    def timed_sync(col: Collection, auth, expect: tuple) -> float:  # noqa: ANN001
        start = time.perf_counter()
        required = sync(col, auth)
        seconds = time.perf_counter() - start
        if required not in expect:
            raise SystemExit(f"unexpected sync state {SyncOutput.ChangesRequired.Name(required)}")
        return seconds

    n = len(rows)
    (work / "a").mkdir(), (work / "b").mkdir(), (work / "c").mkdir()
    # device A: the notetype and one seed note, first sync = full upload; device B: full download.
    a = open_col("a", with_notetype=True)
    add(a, [rows[0]])
    auth_a = a.sync_login(USER, PASSWORD, endpoint)
    sync(a, auth_a)
    b = open_col("b", with_notetype=False)
    auth_b = b.sync_login(USER, PASSWORD, endpoint)
    sync(b, auth_b)

    # delta: N new notes on A, a normal sync up; B's normal sync down.
    add(a, rows)
    NORMAL = (SyncOutput.NORMAL_SYNC, SyncOutput.NO_CHANGES)
    push = timed_sync(a, auth_a, NORMAL)
    pull = timed_sync(b, auth_b, NORMAL)
    if b.note_count() != n + 1:
        raise SystemExit(f"delta pull: B has {b.note_count()} notes, expected {n + 1}")

    # full: A forces a one-way full upload (as after a schema change), C (empty) downloads the whole file.
    a.mod_schema(check=False)
    full_push = timed_sync(a, auth_a, (SyncOutput.FULL_SYNC, SyncOutput.FULL_UPLOAD))
    c = open_col("c", with_notetype=False)
    auth_c = c.sync_login(USER, PASSWORD, endpoint)
    full_pull = timed_sync(c, auth_c, (SyncOutput.FULL_DOWNLOAD,))
    if c.note_count() != n + 1:
        raise SystemExit(f"full pull: C has {c.note_count()} notes, expected {n + 1}")

    # incremental: the first `edits` member notes changed on A; A syncs, then C receives them.
    nids = sorted(a.find_notes("note:Member"))[1:1 + len(edited_rows)]  # skip the seed note
    notes = []
    for nid, row in zip(nids, edited_rows):
        note = a.get_note(nid)
        for field in MEMBER_FIELDS:
            note[field] = row[field]
        notes.append(note)
    a.update_notes(notes)
    incremental = timed_sync(a, auth_a, NORMAL)
    incremental_pull = timed_sync(c, auth_c, NORMAL)
    if edited_rows and c.get_note(nids[0])["phone"] != edited_rows[0]["phone"]:
        raise SystemExit("incremental pull: the edit did not arrive on C")

    noops = sorted(timed_sync(a, auth_a, (SyncOutput.NO_CHANGES,)) for _ in range(5))
    noop = noops[2]  # the median of 5
    for col in (a, b, c):
        col.close()
    return {
        "records": n, "edits": len(edited_rows),
        "push_rps": round(n / push), "pull_rps": round(n / pull),
        "full_push_rps": round(n / full_push), "full_pull_rps": round(n / full_pull),
        "push_s": round(push, 3), "pull_s": round(pull, 3),
        "full_push_s": round(full_push, 3), "full_pull_s": round(full_pull, 3),
        "incremental_ms": round(incremental * 1000, 1), "incremental_pull_ms": round(incremental_pull * 1000, 1),
        "noop_ms": round(noop * 1000, 1),
    }


# ---------------------------------------------------------------- PouchDB

# The PouchDB client lives in bench/peers_pouch.js, copied next to its npm packages as bench.js.
POUCH_JS = Path(__file__).with_name("peers_pouch.js")


def pouch_folder(cache: Path = CACHE) -> Path:
    return cache / "pouchdb"


def ensure_pouchdb(cache: Path = CACHE) -> dict:
    """npm install pouchdb-server pouchdb under the cache folder; once, reused after. Raises PeerUnavailable."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise PeerUnavailable("node and npm are needed for pouchdb-server (not on PATH)")
    folder = pouch_folder(cache)
    modules = folder / "node_modules"
    present = all((modules / name / "package.json").exists() for name in POUCH_PACKAGES)
    seconds = None
    if not present:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text(json.dumps(
            {"name": "anju-bench-peer-pouchdb", "private": True, "version": "0.0.0"}, indent=2))
        log_path = cache / "pouchdb-install.log"
        say(f"npm install {' '.join(POUCH_PACKAGES)} into {folder} (first run only; log {log_path})")
        start = time.perf_counter()
        with open(log_path, "w") as log:
            try:
                done = subprocess.run([npm, "install", "--no-audit", "--no-fund", *POUCH_PACKAGES], cwd=folder,
                                      stdout=log, stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise PeerUnavailable(f"npm install: {exc}") from exc
        if done.returncode != 0:
            raise PeerUnavailable(f"npm install failed:\n{tail(log_path)}")
        seconds = time.perf_counter() - start
    shutil.copyfile(POUCH_JS, folder / "bench.js")
    versions = {}
    for name in (*POUCH_PACKAGES, "pouchdb-adapter-memory", "leveldown"):
        try:
            versions[name] = json.loads((modules / name / "package.json").read_text())["version"]
        except (OSError, ValueError, KeyError):
            pass
    return {**_install_record(folder, seconds, present), "version": versions.get("pouchdb-server", "?"),
            "versions": versions, "node": subprocess.run([node, "--version"], capture_output=True,
                                                         text=True).stdout.strip()}


@contextmanager
def pouchdb_server(cache: Path = CACHE) -> Iterator[str]:
    """pouchdb-server on 127.0.0.1:<free port>, LevelDB files in a temp folder; yields its URL."""
    port = free_port()
    base = Path(tempfile.mkdtemp(prefix="anju-pouchdb-server-"))
    script = pouch_folder(cache) / "node_modules" / "pouchdb-server" / "bin" / "pouchdb-server"
    cmd = [shutil.which("node") or "node", str(script), "--host", "127.0.0.1", "--port", str(port),
           "--dir", str(base), "--config", str(base / "config.json"), "--no-stdout-logs"]
    try:
        with running_server(cmd, env=dict(os.environ), cwd=base, health_url=f"http://127.0.0.1:{port}/",
                            log_path=base / "server.log"):
            yield f"http://127.0.0.1:{port}"
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run_pouchdb(rows: list[dict[str, str]], edits: int, cache: Path = CACHE, client_adapter: str = "memory") -> dict:
    install = ensure_pouchdb(cache)
    work = Path(tempfile.mkdtemp(prefix="anju-pouch-rows-"))
    try:
        rows_path = _write_rows(work, rows, edits)
        with pouchdb_server(cache) as url:
            say(f"pouchdb-server {install['version']}: at {url}, {len(rows)} documents")
            figures = _run_json([shutil.which("node") or "node", str(pouch_folder(cache) / "bench.js"), url,
                                 str(rows_path), client_adapter], cwd=pouch_folder(cache))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"peer": "pouchdb", "status": "ok", "version": install["version"], "install": install,
            "record": PEER_NOTES["pouchdb"], "server_storage": "leveldb (on disk)", **figures}



# ---------------------------------------------------------------- both

PEERS = {"anki": run_anki, "pouchdb": run_pouchdb}


INSTALLERS = {"anki": ensure_anki, "pouchdb": ensure_pouchdb}


def install_peers(peers: tuple[str, ...] = ("anki", "pouchdb"), cache: Path = CACHE) -> dict[str, dict]:
    """Install (once) every peer before anything is timed, so that a first install's minutes do not
    fall between two measured runs. Returns {peer: install facts} or {peer: {"status": "skipped",
    "reason": ...}} for a peer that cannot be installed here."""
    done: dict[str, dict] = {}
    for name in peers:
        try:
            done[name] = {"status": "ok", **INSTALLERS[name](cache)}
        except PeerUnavailable as exc:
            say(f"{name}: cannot be installed: {exc}")
            done[name] = {"peer": name, "status": "skipped", "reason": str(exc)}
    return done


def run_peers(records: int = 10_000, edits: int = 1_000, peers: tuple[str, ...] = ("anki", "pouchdb"),
              rows: list[dict[str, str]] | None = None, cache: Path = CACHE,
              pouch_client: str = "memory") -> dict[str, dict]:
    """Install (once), start, measure and stop each peer; a peer that cannot run comes back skipped.

    Returns {peer: {"status": "ok", "push_rps", "pull_rps", "incremental_ms", "incremental_pull_ms",
    "noop_ms", ... } or {"status": "skipped", "reason": ...}}. Anki also has "full_push_rps"/"full_pull_rps".
    pouch_client: the PouchDB client's local adapter, "memory" (pouchdb-adapter-memory) or "leveldb" (on disk).
    """
    rows = rows if rows is not None else member_rows(records)
    edits = min(edits, len(rows))
    results: dict[str, dict] = {}
    for name in peers:
        try:
            extra = {"client_adapter": pouch_client} if name == "pouchdb" else {}
            results[name] = PEERS[name](rows, edits, cache, **extra)
        except PeerUnavailable as exc:
            say(f"{name}: skipped: {exc}")
            results[name] = {"peer": name, "status": "skipped", "reason": str(exc)}
    return results


def print_peers(results: dict[str, dict], out=sys.stdout) -> None:  # noqa: ANN001
    for name, fig in results.items():
        if fig["status"] != "ok":
            print(f"{name}: SKIPPED: {fig['reason']}", file=out)
            continue
        inst = fig["install"]
        print(f"{name} {fig['version']} ({fig['records']} records, {fig['edits']} edits; "
              f"install {inst['megabytes']} MB, {inst['install_seconds']} s first time"
              f"{', reused' if inst['reused'] else ''})", file=out)
        print(f"  push  {fig['push_rps']:>8} records/s  ({fig['push_s']} s)", file=out)
        print(f"  pull  {fig['pull_rps']:>8} records/s  ({fig['pull_s']} s)", file=out)
        if "full_push_rps" in fig:
            print(f"  full push {fig['full_push_rps']:>4} records/s  ({fig['full_push_s']} s, whole-file upload)",
                  file=out)
            print(f"  full pull {fig['full_pull_rps']:>4} records/s  ({fig['full_pull_s']} s, whole-file download)",
                  file=out)
        print(f"  incremental sync of {fig['edits']} edits  {fig['incremental_ms']} ms "
              f"(another device receiving them: {fig['incremental_pull_ms']} ms)", file=out)
        print(f"  sync with nothing to do  {fig['noop_ms']} ms (median of 5)", file=out)
        if "client_adapter" in fig:
            print(f"  client storage: {fig['client_adapter']}; server storage: {fig['server_storage']}", file=out)
        print(f"  record: {fig['record']}", file=out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_anki-client"]:
        parser = argparse.ArgumentParser(prog="peers.py _anki-client")
        parser.add_argument("--endpoint", required=True)
        parser.add_argument("--rows", type=Path, required=True)
        parser.add_argument("--work", type=Path, required=True)
        args = parser.parse_args(argv[1:])
        print(json.dumps(_anki_client(args.endpoint, args.rows, args.work)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=1_000)
    parser.add_argument("--peers", default="anki,pouchdb", help="comma-separated: anki, pouchdb")
    parser.add_argument("--pouch-client", choices=("memory", "leveldb"), default="memory",
                        help="the PouchDB client's local storage (default memory)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    peers = tuple(p.strip() for p in args.peers.split(",") if p.strip())
    unknown = [p for p in peers if p not in PEERS]
    if unknown:
        parser.error(f"unknown peer(s): {', '.join(unknown)}")
    results = run_peers(args.records, args.edits, peers, pouch_client=args.pouch_client)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print_peers(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
