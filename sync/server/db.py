"""The county server's database: SQLite for a small county or a demo, PostgreSQL in production.

`open_database(url)` makes the engine and brings the schema to the newest migration, in one
transaction. Writers (a push, a resolution) open with `writing(engine)`: on SQLite that is
BEGIN IMMEDIATE, so a push never meets a half-way lock upgrade; on PostgreSQL pushes write side by
side and take their numbers from a sequence (sync.server.numbers).
"""
from __future__ import annotations

import logging
import sqlite3
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pydantic_core
from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.exc import DisconnectionError

from core.executemany import bind_plainly
from sync.server.models import sequence_counter, server_key
from sync.server.wal import LOG_LIMIT_BYTES, Checkpointer, checkpoint_beside

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# PostgreSQL connections one server process keeps (`serve --db-connections`). A few per core of the
# database host in all: with more, its backends take turns on the same cores and each push costs it more
# (bench/load.py, 50 laptops on 2 cores: 10 kept and 20 more at need against 4, 12 against 9 s of
# PostgreSQL's CPU). As many requests as there are connections work at the database at once; the others
# wait their turn (sync.server.turns), at most WAIT_FOR_CONNECTION seconds, then are answered 503 with
# Retry-After (sync.server.app), which the laptop tries again.
DB_CONNECTIONS = 4
WAIT_FOR_CONNECTION = 20.0  # well below the laptop's 120 s wait for an answer
# A PostgreSQL connection that has waited in the pool this long is tried (one empty statement) before a
# request gets it: the database may have restarted, or a firewall dropped the connection, meanwhile.
# One in steady use is not: under load that try was one round trip of a push's eighteen (bench/load.py).
# A connection lost while in use fails its request, answered 503 (sync.server.app) and sent again by
# the laptop; the pool's other connections are each tried when next handed out, if idle, or fail
# their request the same way.
PING_AFTER_IDLE = 5.0
log = logging.getLogger(__name__)
# Each SQLite engine's log copier (sync.server.wal), woken after every write transaction.
_CHECKPOINTERS: weakref.WeakKeyDictionary[Engine, Checkpointer] = weakref.WeakKeyDictionary()


class DatabaseUrlError(ValueError):
    pass


def json_text(value: Any) -> str:
    """The text of a JSON column's value (a record's field versions, an op's stored answer, a list field):
    pydantic's serializer, in Rust, where json.dumps cost a push of a thousand edits a twentieth of its
    time. Characters are written as they are, not as \\u escapes; what is read back is the same."""
    return pydantic_core.to_json(value).decode()


def make_engine(url: str, connections: int = DB_CONNECTIONS, wait_for_connection: float = WAIT_FOR_CONNECTION,
                ping_after_idle: float = PING_AFTER_IDLE) -> Engine:
    """The engine of a database URL; on PostgreSQL it keeps `connections` (and opens no more)."""
    if url.startswith("sqlite"):
        bind_plainly(sqlite3)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60}, hide_parameters=True,
                               json_serializer=json_text)
        _sqlite_transactions(engine)
        if engine.url.database not in (None, "", ":memory:"):
            _CHECKPOINTERS[engine] = checkpoint_beside(engine, engine.url.database)
        return engine
    if url.startswith("postgresql"):
        # Every statement planned with its values (plan_cache_mode): psycopg prepares a statement run
        # five times, and PostgreSQL's generic plan for one with a list of values, `op_id IN (500
        # parameters)`, compared them row by row against each row of the device's applied ops (0.1-0.2 s
        # a push after its 16th batch, and growing); a plan made with the values hashes the list. The
        # push's lists now go as one array (core.among), where generic plans measured no faster. A
        # COPY's foreign key checks keep one plan instead (sync.server.rows._copy_rows).
        engine = create_engine(url, pool_size=connections, max_overflow=0, pool_timeout=wait_for_connection,
                               hide_parameters=True, connect_args={"options": "-c plan_cache_mode=force_custom_plan"},
                               json_serializer=json_text)
        _try_when_idle(engine, ping_after_idle)
        return engine
    raise DatabaseUrlError(f"--db must be sqlite:///PATH or postgresql+psycopg://…, not {url!r}")


def _try_when_idle(engine: Engine, idle: float) -> None:
    """Try a pooled connection before handing it out when it has waited `idle` seconds or more since it
    was last given back (SQLAlchemy's pool_pre_ping tries every one, every time); a dead one is
    replaced by a new connection (the pool does that on DisconnectionError)."""

    @event.listens_for(engine, "checkin")
    def _given_back(_dbapi_conn, record) -> None:  # noqa: ANN001
        record.info["given_back"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_conn, record, _proxy) -> None:  # noqa: ANN001
        given_back = record.info.get("given_back")  # none for a new connection (info goes with it)
        if given_back is None or time.monotonic() - given_back < idle:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            idle_for = time.monotonic() - given_back
            log.warning("a pooled database connection idle %.0f s no longer answered; replaced by a new one",
                        idle_for, exc_info=exc)
            raise DisconnectionError(f"a pooled connection idle {idle_for:.0f} s no longer answers") from exc


def _sqlite_transactions(engine: Engine) -> None:
    """pysqlite's own transaction handling starts transactions late; take it over (SQLAlchemy's advice)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA journal_mode = WAL")
        # FULL: the log is synced at every commit, so a push the server answered survives a power cut
        # (NORMAL would sync it only when it is copied back, and an answered push could be lost).
        dbapi_conn.execute("PRAGMA synchronous = FULL")
        dbapi_conn.execute("PRAGMA wal_autocheckpoint = 0")  # copied back beside the writes (sync.server.wal)
        dbapi_conn.execute(f"PRAGMA journal_size_limit = {LOG_LIMIT_BYTES}")
        dbapi_conn.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("writer") else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def planned_with(conn: Connection, setting: str, value: str) -> Iterator[None]:
    """PostgreSQL: the statements inside planned with the planner's `setting` at `value` (SET LOCAL),
    the rest of the transaction as the connection plans (make_engine). No `finally`: a statement that
    fails inside aborts the transaction, whose rollback (or its savepoint's) undoes the SET, and a SET
    sent then would fail in its turn and hide the first error."""
    conn.exec_driver_sql(f"SET LOCAL {setting} = {value}")
    yield
    conn.exec_driver_sql(f"SET LOCAL {setting} TO DEFAULT")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction."""
    with writing_in_turn(engine) as conn, conn.begin():
        yield conn


@contextmanager
def writing_in_turn(engine: Engine) -> Iterator[Connection]:
    """One connection for write transactions one after another (`conn.begin()` each), for a request
    that must not wait for a connection again halfway (a login: its attempt counted, then checked)."""
    try:
        with engine.connect().execution_options(writer=True) as conn:
            yield conn
    finally:  # a transaction before the one that failed may have written
        _written(engine)


def _written(engine: Engine) -> None:
    checkpointer = checkpointer_of(engine)
    if checkpointer is not None:
        checkpointer.written()


def checkpointer_of(engine: Engine) -> Checkpointer | None:
    """The thread that copies an SQLite engine's log back (sync.server.wal); None on PostgreSQL."""
    return _CHECKPOINTERS.get(engine)


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """One read transaction on one snapshot (REPEATABLE READ on PostgreSQL)."""
    options = {} if is_sqlite(engine) else {"isolation_level": "REPEATABLE READ"}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """One write transaction for schema steps. On SQLite, a step in batch mode rebuilds a table (copy,
    drop, rename), which foreign keys checked row by row would refuse while other tables point at it:
    they are switched off for the transaction (SQLite ignores the switch inside one) and every
    reference is checked before it commits, as the laptop's upgrade does."""
    with engine.connect().execution_options(writer=True) as conn:
        sqlite = is_sqlite(engine)
        driver = conn.connection.driver_connection if sqlite else None
        if driver is not None:
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the schema upgrade left {len(broken)} broken references")
        finally:
            if driver is not None:
                driver.execute("PRAGMA foreign_keys = ON")
    _written(engine)


def upgrade_database(engine: Engine) -> None:
    """Run every pending migration in one transaction, and make the sequence counter's one row."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with migrating(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if conn.execute(select(sequence_counter.c.id)).first() is None:
            conn.execute(insert(sequence_counter).values(id=1, value=0))
        if conn.execute(select(server_key.c.id)).first() is None:  # the county's keys for offline bundles
            from sync.bundle import KeyPair

            conn.execute(insert(server_key).values(id=1, private=KeyPair.generate().private_text()))


def open_database(url: str, connections: int = DB_CONNECTIONS, wait_for_connection: float = WAIT_FOR_CONNECTION,
                  ping_after_idle: float = PING_AFTER_IDLE) -> Engine:
    engine = make_engine(url, connections, wait_for_connection, ping_after_idle)
    upgrade_database(engine)
    return engine
