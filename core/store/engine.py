"""SQLAlchemy engines on a SQLCipher file: one for reads, one (a single connection) for writes."""
from __future__ import annotations

from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from core.executemany import bind_plainly


def _connect(path: Path, key: bytes, cache_mib: int = 16) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported by us, not logged to stderr
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.Error:
        conn.close()
        raise  # a wrong key, a damaged file, a full disk: core.store.failures tells them apart
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    # FULL: a save that returned survives a power cut, not only a crash of the process.
    conn.execute("PRAGMA synchronous = FULL")
    # Every page read is decrypted: a larger cache saves re-decrypting the hot index pages.
    conn.execute(f"PRAGMA cache_size = -{cache_mib * 1024}")
    return conn


def check_key(path: Path, key: bytes) -> None:
    """Raise the driver's error unless `key` opens the database at `path`; turns on WAL."""
    conn = _connect(path, key)
    try:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
    finally:
        conn.close()


# An execution option of a write transaction (a sessionmaker's `execution_options`): "NORMAL" for one
# whose commit may be undone by a power cut, because what it wrote can be had again (a pulled page and
# its cursor, summaries derived from the records). In WAL mode such a commit is not synced to the disk
# until the next FULL commit, or the log's copy into the file, syncs it with everything before it: a
# power cut undoes the latest such transactions whole, never one half of one, nor one before a FULL
# commit. SQLite takes the level only outside a transaction: it is set before BEGIN, when it changes.
SYNCHRONOUS = "anju_synchronous"
_LEVEL = "anju_synchronous_level"  # the level the driver's connection was last set to (its pool record's info)


def _set_synchronous(conn, level: str) -> None:  # noqa: ANN001 - a SQLAlchemy Connection
    if level not in ("FULL", "NORMAL"):
        raise ValueError(f"synchronous level {level!r}")
    info = conn.connection.info  # kept with the driver's connection for as long as it lives
    if info.get(_LEVEL, "FULL") != level:
        conn.connection.driver_connection.execute(f"PRAGMA synchronous = {level}")
        info[_LEVEL] = level


def make_engine(path: Path, key: bytes, *, writer: bool) -> Engine:
    """An engine whose transactions really begin at BEGIN (IMMEDIATE for the writer).

    pysqlite-style drivers defer BEGIN until the first write, which breaks SERIALIZABLE reads
    and lets two writers read the same audit-chain head; we take control of BEGIN ourselves.
    """
    bind_plainly(sqlcipher3)
    engine = create_engine(
        "sqlite://", creator=lambda: _connect(path, key, 64 if writer else 16), poolclass=QueuePool,
        pool_size=1 if writer else 2, max_overflow=0 if writer else 4, pool_timeout=60,
        hide_parameters=True,  # an error's text (and so the log) never carries a name, ID or phone
    )
    begin = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy event signature
        if writer:
            _set_synchronous(conn, conn.get_execution_options().get(SYNCHRONOUS, "FULL"))
        conn.exec_driver_sql(begin)

    return engine
