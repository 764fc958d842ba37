"""A county server to measure, shared by bench/sync.py and bench/load.py.

- ``county_database(kind)``: a scratch county database, removed afterwards: ``sqlite`` (a file in a
  temporary folder), ``postgresql`` (a new database on ``$ANJU_BENCH_PG_URL``, default the
  PostgreSQL at 127.0.0.1:5432), or a ``postgresql+psycopg://…`` URL, on whose server a scratch
  database is made (the URL's own database is only used to CREATE and DROP it).
- ``make_county(url)``: the demo county (sync.server.demo), users w1 w2 w3 c1 a1 with ``PASSWORD``.
- ``county_server(url, mode)``: the real server on 127.0.0.1:<free port>, either as its own process
  (``python -m sync.server serve``, like production) or as uvicorn in a thread of this process,
  where ``HandlerClock`` can time (and cProfile) what the request handlers do.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("ANJU_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = os.environ.get("ANJU_PASSWORD") or "bench-county-2026"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def at_least(low: int):  # noqa: ANN201 - an argparse type
    """An argparse type: a whole number of at least `low`, or a message naming what was given."""
    def whole(value: str) -> int:
        if not value.strip().isdigit() or int(value) < low:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least {low}, not {value!r}")
        return int(value)
    return whole


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a live process and its live children (uvicorn's worker processes)
    have used so far (Linux /proc); 0.0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return own + sum(process_cpu(int(c)) for c in children)


def pg_backends_cpu(db_url: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend connected to db_url's database (same machine only), and
    under the key 0 the CPU of the backends that have exited (a pool closes its overflow connections):
    the postmaster's reaped children. Compare two readings key by key."""
    import psycopg

    if not db_url.startswith("postgresql"):
        return {}
    name = db_url.rsplit("/", 1)[1]
    with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as conn:
        pids = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND "
                                           "pid <> pg_backend_pid()", (name,))]
        # Asked while this backend lives: once the connection closes its process is gone, the parent
        # reads as 0, and the reaped CPU of the whole day would drop out of one of the two readings.
        postmaster = _parent_of(conn.execute("SELECT pg_backend_pid()").fetchone()[0])
    cpu = {pid: process_cpu(pid) for pid in pids}
    cpu[0] = _reaped_children_cpu(postmaster)
    return cpu


def _parent_of(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _reaped_children_cpu(pid: int) -> float:
    """CPU seconds of a process's children that have exited and been waited for (cutime + cstime)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def resident_id(i: int) -> str:
    """A valid 18-character resident ID, unique for i below 20 million (birth 1950 onwards, serial from i)."""
    from datetime import date, timedelta

    from core.idcard import check_character

    birth = date(1950, 1, 1) + timedelta(days=i % 20_000)
    first17 = f"522601{birth:%Y%m%d}{(i // 20_000) % 1000:03d}"
    return first17 + check_character(first17)


# ---------------------------------------------------------------- the database

@contextmanager
def county_database(kind: str = "sqlite") -> Iterator[str]:
    """Yield the URL of an empty scratch county database; it is removed when the block ends."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="anju-bench-county-"))
        try:
            yield f"sqlite:///{folder / 'county.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    if kind == "postgresql":
        kind = PG_ADMIN_URL
    if not kind.startswith("postgresql"):
        raise SystemExit(f"--db must be sqlite, postgresql or a postgresql+psycopg:// URL, not {kind!r}")
    with scratch_pg_database(kind) as url:
        yield url


@contextmanager
def scratch_pg_database(admin_url: str) -> Iterator[str]:
    """CREATE DATABASE anju_bench_<random> on admin_url's server; DROP … WITH (FORCE) at the end."""
    import psycopg

    name = f"anju_bench_{uuid.uuid4().hex[:10]}"
    plain = admin_url.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    say(f"scratch PostgreSQL database {name}")
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        say(f"dropped {name}")


def make_county(url: str, password: str = PASSWORD) -> None:
    """Migrate the database and make the demo county in it."""
    from core.models import utc_now
    from sync.server.db import open_database, writing
    from sync.server.demo import make_demo_county

    engine = open_database(url)
    try:
        with writing(engine) as conn:
            make_demo_county(conn, password, utc_now())
    finally:
        engine.dispose()


# ---------------------------------------------------------------- the server

class HandlerClock:
    """Times what the server's request handlers do in their worker threads (thread mode only):
    every request's database work goes through `sync.server.app.run_in_threadpool` once it is the
    request's turn (sync.server.turns), and a plain `def` endpoint through FastAPI's; both names are
    wrapped. With `profile` on, each handler call
    runs under the current cProfile.Profile (requests are one at a time in bench/sync.py)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self.profiler: cProfile.Profile | None = None
        self._lock = threading.Lock()

    def reset(self, profile: bool = False) -> cProfile.Profile | None:
        """Start a new phase; returns the previous phase's profiler (if any)."""
        done, self.profiler = self.profiler, (cProfile.Profile() if profile else None)
        self.seconds, self.calls = 0.0, 0
        return done

    def install(self) -> None:
        import fastapi.routing
        import starlette.concurrency

        import sync.server.app

        real = starlette.concurrency.run_in_threadpool

        def timed_call(func, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            start = time.perf_counter()
            try:
                profiler = self.profiler
                if profiler is not None:
                    return profiler.runcall(func, *args, **kwargs)
                return func(*args, **kwargs)
            finally:
                with self._lock:
                    self.seconds += time.perf_counter() - start
                    self.calls += 1

        async def run_in_threadpool(func, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            return await real(timed_call, func, *args, **kwargs)

        sync.server.app.run_in_threadpool = run_in_threadpool
        fastapi.routing.run_in_threadpool = run_in_threadpool


def wait_ready(url: str, proc: subprocess.Popen | None = None, timeout: float = 60.0,
               log_path: Path | None = None) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            log = log_path.read_text(errors="replace")[-3000:] if log_path else ""
            raise RuntimeError(f"the county server exited with {proc.returncode}:\n{log}")
        try:
            if requests.get(url + "/api/v1/health", timeout=1).ok:
                return
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or slow to answer (a
            pass  # server under callgrind on a loaded machine took more than the second): asked again
        time.sleep(0.05)
    raise RuntimeError(f"the county server at {url} did not answer within {timeout:.0f} s")


@dataclass(frozen=True)
class Server:
    url: str
    pid: int  # the server's own process, or this one (thread mode)


def tracked_files() -> list[str]:
    """The files git tracks, by their path from the repository's top."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [name for name in listed.decode().split("\0") if name]


def copy_tree(dest: Path, names: list[str]) -> None:
    """The files `names`, as they are in the working tree (uncommitted edits included)."""
    for name in names:
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def compiled_tree(dest: Path, modules: tuple[str, ...] | None = None) -> float:
    """A copy of the tracked files in `dest` with `modules` (dotted; the county server's hot modules by
    default) compiled in place as installer/compile_server.py compiles them; the seconds it took. Exits
    with what is missing (mypy: pip install -e ".[test]") or mypy's errors."""
    sys.path.insert(0, str(ROOT / "installer"))
    from compile_server import build, check_mypyc, put_in_place, remove_scratch

    from sync.server.compiled import HOT_MODULES

    check_mypyc()
    copy_tree(dest, tracked_files())
    start = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="anju-bench-build-"))
    try:
        put_in_place(dest, build(dest, scratch, modules or HOT_MODULES), modules or HOT_MODULES)
    finally:
        remove_scratch(scratch)
    return time.perf_counter() - start


@contextmanager
def county_server(db_url: str, mode: str = "process", clock: HandlerClock | None = None,
                  workers: int = 1, tree: Path = ROOT) -> Iterator[Server]:
    """The county server on 127.0.0.1:<free port>; yields its URL and pid, and stops it afterwards.
    `tree`: the code it runs as its own process (another is a compiled copy: compiled_tree)."""
    if mode == "thread":
        with _thread_server(db_url, clock) as url:
            yield Server(url, os.getpid())
        return
    port = free_port()
    log_path = Path(tempfile.mkstemp(prefix="anju-bench-server-", suffix=".log")[1])
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "sync.server", "serve", "--db", db_url, "--port", str(port),
                                 "--workers", str(workers)],
                                cwd=tree, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            wait_ready(url, proc, log_path=log_path)
            say(f"county server pid {proc.pid} at {url} (log {log_path})")
            yield Server(url, proc.pid)
        finally:
            _stop(proc)
    errors = log_path.read_text(errors="replace")
    if "Traceback" in errors or "ERROR" in errors:
        say(f"the server's log has errors (kept at {log_path}):\n{errors[-2000:]}")
    else:
        log_path.unlink(missing_ok=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


@contextmanager
def _thread_server(db_url: str, clock: HandlerClock | None) -> Iterator[str]:
    import uvicorn

    from sync.server.app import create_app
    from sync.server.db import open_database

    if clock is not None:
        clock.install()
    engine = open_database(db_url)
    port = free_port()
    config = uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name="county-server")
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url)
        say(f"county server in a thread at {url}")
        yield url
    finally:
        server.should_exit = True
        thread.join(15)
        engine.dispose()
