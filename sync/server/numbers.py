"""Sequence numbers on PostgreSQL: taken from a sequence, so that pushes write and commit side by side,
and a visibility watermark that pulls never pass, so that a pull never skips a change committed late.

A change's number is taken before its transaction commits, and numbers do not commit in order: a push
holding 101-150 may commit after one holding 151-200. A pull that had passed 200 would never see
101-150. So each transaction that takes numbers first holds a *lease*: a shared advisory lock, kept
until it commits or rolls back, whose key is one more than the sequence's value when it was taken;
every number it takes after that is at or above the lease. A pull asks, before its snapshot, for the
sequence's value H and then for the leases held; it reads up to

    watermark = min(H, lowest lease - 1)

A number at or below H was taken before H was read, so its lease was taken before that too; if that
lease is no longer held when the leases are read, its transaction had ended, and a snapshot taken
after sees its commit. Numbers of a rolled-back push are a gap that nobody waits for.

Pushes run optimistically (`sync.server.rows.Rows`): they read and merge without locks, then hold
the writers' lock shared, take a lease and their numbers, and lock the rows they read (in one order
for all) to check that none changed meanwhile; a record a push creates is not read again, as the
primary key refuses a twin made meanwhile (IntegrityError: the push runs again, alone). A writer that must not race
(a push tried again, a clerk's resolution, the demo county) holds the writers' lock alone, from its
start, and numbers as it goes from the sequence's value, which nobody else moves meanwhile.

SQLite has one writer at a time and keeps the counter row (`sequence_counter`); none of this applies.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from sync.server.db import reading

MAX_SEQUENCE = 2**62  # far beyond any county's changes, well inside a 64-bit column: the largest cursor asked
SEQUENCE = "change_seq"  # CACHE 1 (the default) is required: a cached block would be numbers below a lease
# The writers' lock, in the two-key form of advisory locks (pg_locks.objsubid = 2); leases use the
# one-key form (objsubid = 1), keyed by the number plus LEASE_BASE, so the two never meet, and a
# one-key advisory lock some other tool takes in the same database (a small key) is not a lease.
WRITERS = (0x616E6A75, 1)  # "anju"
LEASE_BASE = 1 << 62  # numbers stay far below it; pg_locks shows the key's high half as classid
# One push of a device at a time: two-key form too, its second key the device id's CRC-32 (two devices
# that share one only take turns).
DEVICES = 0x616E6A64  # "anjd"
DEVICE_WAIT_SECONDS = 20.0  # a device's push waits this long for its other one, then is answered busy (503)

_LEASES = text(f"""
    SELECT min(((classid::bigint << 32) | objid::bigint) - {LEASE_BASE}) FROM pg_locks
    WHERE locktype = 'advisory' AND objsubid = 1 AND mode = 'ShareLock' AND granted
      AND classid::bigint >= {LEASE_BASE >> 32}
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")
_TAKEN_SQL = "(CASE WHEN is_called THEN last_value ELSE last_value - 1 END)"
_TAKEN = text(f"SELECT {_TAKEN_SQL} FROM {SEQUENCE}")
# What every push runs, made once. The lease in the statement that reads the numbers taken: one round trip.
_LEASE = text(f"SELECT {_TAKEN_SQL}, pg_advisory_xact_lock_shared({LEASE_BASE} + {_TAKEN_SQL} + 1) FROM {SEQUENCE}")
_WRITERS_SHARED = text("SELECT pg_advisory_xact_lock_shared(:a, :b)")
# The three steps of `take` in one round trip, in their order: the subquery (an InitPlan, the gate of a
# one-time filter) takes the writers' lock shared, then reads the numbers taken and the lease above them,
# before any number is drawn (PostgreSQL draws them above the filter, only once it passed).
_TAKE = text(f"""
    SELECT nextval('{SEQUENCE}') FROM generate_series(1, :n)
    WHERE (SELECT count(*) FROM (SELECT pg_advisory_xact_lock_shared(:a, :b),
                                        pg_advisory_xact_lock_shared({LEASE_BASE} + {_TAKEN_SQL} + 1)
                                 FROM {SEQUENCE}) AS held) = 1
    ORDER BY 1""")
_DEVICE_FREE = text("SELECT pg_try_advisory_xact_lock(:a, :b)")
_DEVICE = text("SELECT pg_advisory_xact_lock(:a, :b)")
_WAIT_AS_BEFORE = text("SET LOCAL lock_timeout = DEFAULT")


def uses_sequence(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _lease(conn: Connection) -> int:
    """Hold a lease at one above the numbers taken so far (read first, in the same statement); returns
    the numbers taken so far."""
    return conn.execute(_LEASE).one()[0]


class DeviceBusy(Exception):
    """Another push of the device held on for DEVICE_WAIT_SECONDS (the laptop sends again later)."""


def one_push_of(conn: Connection, device_id: str) -> None:
    """Hold the device's own lock until the transaction ends, before its stored answers are read: the same
    batch sent twice at once (a retry racing its original) waits for the first and is answered from what
    it stored, instead of both merging and the second being refused at its writes and done again holding
    the writers' lock alone, which stops every other push meanwhile. Pushes of other devices go on.
    A wait longer than DEVICE_WAIT_SECONDS raises DeviceBusy: a laptop sending again and again while its
    first push is stuck would otherwise keep one of the server's few connections waiting each time."""
    if not uses_sequence(conn):
        return
    key = {"a": DEVICES, "b": zlib.crc32(device_id.encode("utf-8")) - (1 << 31)}
    if conn.execute(_DEVICE_FREE, key).scalar_one():  # nearly always: the device's one push
        return
    conn.execute(text(f"SET LOCAL lock_timeout = '{int(DEVICE_WAIT_SECONDS * 1000)}ms'"))
    try:
        conn.execute(_DEVICE, key)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available: the wait ran out
            raise DeviceBusy(device_id) from None
        raise
    conn.execute(_WAIT_AS_BEFORE)


def take(conn: Connection, count: int) -> list[int]:
    """An optimistic writer's `count` numbers, ascending, not always contiguous (other pushes take
    theirs meanwhile). Holds the writers' lock shared and a lease, both until the transaction ends."""
    if count == 0:
        conn.execute(_WRITERS_SHARED, {"a": WRITERS[0], "b": WRITERS[1]})
        _lease(conn)
        return []
    return list(conn.execute(_TAKE, {"n": count, "a": WRITERS[0], "b": WRITERS[1]}).scalars())


def hold_alone(conn: Connection) -> int:
    """A writer that must not race: the writers' lock alone and a lease; returns the numbers taken
    so far, from which it numbers its changes (then `publish`)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": WRITERS[0], "b": WRITERS[1]})
    return _lease(conn)


def publish(conn: Connection, last: int) -> None:
    """After `hold_alone`: the sequence moves past the numbers used (the lease keeps pulls below
    them until the transaction commits)."""
    conn.execute(text(f"SELECT setval('{SEQUENCE}', :last, true)"), {"last": last})


def watermark(engine: Engine) -> int | None:
    """The highest number below which every change has committed or is gone: what a pull may read
    up to. Asked before the pull's snapshot, in a transaction of its own. None on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        return _watermark_on(conn)


@contextmanager
def reading_below_watermark(engine: Engine) -> Iterator[tuple[Connection, int | None]]:
    """A pull's read transaction (one snapshot) and its watermark (None on SQLite), asked for on the
    same connection just before the snapshot begins: one connection taken from the pool, not two."""
    if engine.dialect.name != "postgresql":
        with reading(engine) as conn:
            yield conn, None
        return
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")  # no BEGIN and ROLLBACK around two reads
        upto = _watermark_on(conn)
        conn.execution_options(isolation_level="REPEATABLE READ")  # as `reading`; the snapshot is taken
        with conn.begin():  # at the transaction's first statement, after the watermark
            yield conn, upto


def _watermark_on(conn: Connection) -> int:
    taken = conn.execute(_TAKEN).scalar_one()      # first the numbers taken,
    lowest = conn.execute(_LEASES).scalar_one()    # then the leases still held
    conn.rollback()
    return taken if lowest is None else min(taken, lowest - 1)


def raced(exc: DBAPIError) -> bool:
    """Whether PostgreSQL gave up a transaction for another's sake (a deadlock between two pushes'
    new rows, each waiting on the other's same key): the push is then done again, alone."""
    return getattr(exc.orig, "sqlstate", None) in ("40P01", "40001")


def current(conn: Connection) -> int:
    """The numbers taken so far (a push that took none answers with it)."""
    return conn.execute(_TAKEN).scalar_one()
