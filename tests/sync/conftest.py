"""A real county server for the sync tests: uvicorn on 127.0.0.1 on a free port, over a real
SQLite file or a fresh database on the PostgreSQL at 127.0.0.1:5432 (or ANJU_TEST_PG_URL; docs/architecture.md, "Tests"), and
real encrypted profiles enrolled with it through real HTTP."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import requests

from tests.installed import ANJU_SERVER, OUTSIDE

PASSWORD = "县里的密码-2026"
PG_ADMIN_URL = os.environ.get("ANJU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TODAY = date.today()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_reachable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", said in the skip reason
        return f"{type(exc).__name__}: {exc}"


@pytest.fixture(scope="session")
def pg_admin() -> str:
    problem = _pg_reachable()
    if problem:
        if os.environ.get("ANJU_REQUIRE_PG") == "1":
            pytest.fail(f"ANJU_REQUIRE_PG=1 but PostgreSQL at {PG_ADMIN_URL} is not reachable: {problem}")
        pytest.skip(f"no PostgreSQL reachable at {PG_ADMIN_URL} ({problem}); set ANJU_TEST_PG_URL")
    return PG_ADMIN_URL


def _make_demo_county(url: str) -> None:
    from core.models import utc_now
    from sync.server.db import open_database, writing
    from sync.server.demo import make_demo_county

    engine = open_database(url)
    with writing(engine) as conn:
        make_demo_county(conn, PASSWORD, utc_now())
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A county database with the demo county, made once (Argon2 makes each user cost a while)."""
    path = tmp_path_factory.mktemp("county") / "template.db"
    _make_demo_county(f"sqlite:///{path}")
    return path


def _pg(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def pg_template(pg_admin: str):
    name = f"anju_template_{uuid.uuid4().hex[:10]}"
    _pg(pg_admin, f'CREATE DATABASE "{name}"')
    _make_demo_county(pg_admin.rsplit("/", 1)[0] + f"/{name}")
    yield name
    _pg(pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path):
    """A fresh county database holding the demo county, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        target = tmp_path / "county.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    yield from _fresh_pg_county(request.getfixturevalue("pg_admin"), request.getfixturevalue("pg_template"))


@pytest.fixture
def postgres_url(pg_admin: str, pg_template: str):
    """A fresh PostgreSQL county database only, for what only PostgreSQL does (the optimistic push)."""
    yield from _fresh_pg_county(pg_admin, pg_template)


@pytest.fixture
def postgres_engine(postgres_url: str):
    """The server's engine on a fresh PostgreSQL county database (no server running)."""
    from sync.server.db import open_database

    engine = open_database(postgres_url)
    yield engine
    engine.dispose()


def _fresh_pg_county(admin: str, template: str):  # noqa: ANN202
    name = f"anju_test_{uuid.uuid4().hex[:10]}"
    _pg(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield admin.rsplit("/", 1)[0] + f"/{name}"
    _pg(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class County:
    """A running county server with the demo county in its database."""

    db_url: str
    port: int = field(default_factory=free_port)
    engine: object = None
    _server: object = None
    _thread: threading.Thread | None = None
    process: subprocess.Popen | None = None
    clock: object = None  # the server's clock (sync.server.app.create_app), when a test moves time itself
    batch_ops: int | None = None  # the ops a push batch may hold (create_app's), when a test lowers it
    page_rows: int | None = None  # the records a changes page may hold (create_app's), when a test lowers it
    wrap: object = None  # an ASGI middleware class put around the app, when a test plays an older server

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start_in_thread(self) -> None:
        import uvicorn

        from sync.server.app import create_app

        options = {"clock": self.clock, "batch_ops": self.batch_ops, "page_rows": self.page_rows}
        app = create_app(self.engine, **{name: value for name, value in options.items() if value is not None})
        if self.wrap is not None:
            app = self.wrap(app)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        self.wait_ready()

    def start_process(self, *options: str) -> None:
        """The server as its own process (`python -m sync.server serve`), for tests that kill it."""
        self.process = subprocess.Popen(
            [ANJU_SERVER, "serve", "--db", self.db_url, "--port", str(self.port), *options],
            cwd=OUTSIDE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.wait_ready()

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=5).ok:
                    return
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or a loaded machine answering late
                time.sleep(0.05)
        raise RuntimeError("the county server did not start")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(10)
            self._server = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@contextmanager
def running_county(db_url: str, **engine_options: float) -> Iterator[County]:
    """A county server on its database (migrated on opening), in a thread of this process;
    `engine_options`: sync.server.db.open_database's."""
    from sync.server.db import open_database

    engine = open_database(db_url, **engine_options)
    c = County(db_url, engine=engine)
    c.start_in_thread()
    try:
        yield c
    finally:
        c.stop()
        engine.dispose()


@pytest.fixture
def county(db_url: str):
    with running_county(db_url) as c:
        yield c


@pytest.fixture
def enrol(county: County, tmp_path: Path):
    """enrol("w1") -> an open Store of a new profile enrolled as w1 (closed at the end)."""
    from sync.client import enroll

    stores = []

    def make(username: str, folder: str | None = None):
        store, _report = enroll(tmp_path / (folder or username), county.url, username, PASSWORD)
        stores.append(store)
        return store
    yield make
    for s in stores:
        s.close()
