"""Failed logins slow guessing down, per account and per client address (issue: password guessing).

Every login attempt is counted before its password is checked, under the account's name and under
the client's address, in the database, so that all processes of `serve --workers N` share the
counts, and attempts sent side by side are counted too. A login with the right password takes its
attempt back: the account's count is cleared, the address's goes down by one.

Once a key has ACCOUNT_FREE (an account) or ADDRESS_FREE (an address: a county office puts many
laptops behind one) attempts in a row that failed, each further attempt waits: FIRST_WAIT after the
last failure, twice as long after each further failure, at most MAX_WAIT. During a wait every
login on that key, with the right password too, is answered 429 with Retry-After, and its password
is not even checked. A key with no failure for FORGET starts again from nothing.
"""
from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sync.server.models import login_throttle

log = logging.getLogger(__name__)

ACCOUNT_FREE = 5
ADDRESS_FREE = 20
FIRST_WAIT = timedelta(seconds=2)
MAX_WAIT = timedelta(minutes=15)
FORGET = timedelta(hours=1)


class Throttled(Exception):
    """Too many failed logins: wait `seconds` before the next attempt."""

    def __init__(self, seconds: int):
        super().__init__(f"wait {seconds} s")
        self.seconds = seconds


def keys_of(username: str, address: str) -> dict[str, int]:
    """The counters an attempt is counted under, with the failures each allows before waiting."""
    return {_ACCOUNT + username: ACCOUNT_FREE, _ADDRESS + address: ADDRESS_FREE}


_ACCOUNT, _ADDRESS = "account:", "address:"


def wait_left(failures: int, last_at: datetime, free: int, now: datetime) -> timedelta:
    """How long a key with `failures` attempts in a row, the last at `last_at`, must still wait."""
    if failures < free or now - last_at >= FORGET:
        return timedelta(0)
    wait = min(FIRST_WAIT * 2 ** min(failures - free, 20), MAX_WAIT)
    return max(last_at + wait - now, timedelta(0))


def begin_attempt(conn: Connection, keys: dict[str, int], now: datetime) -> list[str]:
    """Count one attempt under every key, or raise Throttled (counting nothing) while one must wait;
    returns the keys that will wait from now on if this attempt fails. The caller's transaction is
    a writer; the keys' rows stay locked until it commits."""
    stale = select(login_throttle.c.key).where(login_throttle.c.last_at < now - FORGET).with_for_update(skip_locked=True)
    conn.execute(delete(login_throttle).where(login_throttle.c.key.in_(stale)))
    names = sorted(keys)  # always locked in one order, so two attempts never wait for each other
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(dialect_insert(login_throttle).values([{"key": k, "failures": 0, "last_at": now} for k in names])
                 .on_conflict_do_nothing())
    rows = conn.execute(select(login_throttle).where(login_throttle.c.key.in_(names))
                        .order_by(login_throttle.c.key).with_for_update()).all()
    waits = [wait_left(r.failures, r.last_at, keys[r.key], now) for r in rows]
    if max(waits) > timedelta(0):
        raise Throttled(math.ceil(max(waits).total_seconds()))
    reaching = []
    for r in rows:
        failures = (0 if now - r.last_at >= FORGET else r.failures) + 1
        conn.execute(update(login_throttle).where(login_throttle.c.key == r.key).values(failures=failures, last_at=now))
        if failures == keys[r.key]:
            reaching.append(r.key)
    return reaching


def log_throttled(keys: list[str]) -> None:
    """Said in the server's log when a key starts to wait (an address is not named: it may point at a person)."""
    for key in keys:
        which = key if key.startswith(_ACCOUNT) else "one client address"
        log.warning("too many failed logins in a row for %s: further attempts there now wait", which)


def forgive(conn: Connection, keys: dict[str, int]) -> None:
    """The attempt had the right password: the account starts again, the address gets one back."""
    for key in keys:
        if key.startswith(_ACCOUNT):
            conn.execute(delete(login_throttle).where(login_throttle.c.key == key))
        else:
            conn.execute(update(login_throttle).where(login_throttle.c.key == key, login_throttle.c.failures > 0)
                         .values(failures=login_throttle.c.failures - 1))
