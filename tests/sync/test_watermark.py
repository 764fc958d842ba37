"""PostgreSQL: pushes take their numbers from a sequence and commit side by side, so they can commit
out of order (sync.server.numbers). A pull must never pass a number whose push has not committed:
else the laptop's cursor goes past it and the record never reaches it.

Deterministic: push A stops right after taking its numbers (a hook in its thread) while w1's push,
through the real server, takes later numbers and commits; w2 pulls; then A commits, and w2 pulls
again. w2 must end with both households."""
from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import event

from core.models import new_id
from sync.protocol import Op, PushRequest
from sync.server.accounts import Caller
from sync.server.db import writing
from sync.server.demo import SETTLEMENT_ID
from sync.server.merge import apply_push
from sync.server.numbers import watermark
from tests.sync.sync_helpers import GRID_W1, household, new_household, run_sync, server_row

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def _household_op(hid: str) -> Op:
    return Op(op_id=f"op-{new_id()}", entity="household", row_id=hid, kind="upsert",
              fields={"household_no": "H-LATE", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1},
              base={}, hlc="1790000000000-0001-x")


def test_a_push_committing_after_a_later_one_still_reaches_every_laptop(county, enrol):
    w1, w2 = enrol("w1"), enrol("w2")
    run_sync(w2)
    late = new_id()
    numbered, go, failed = threading.Event(), threading.Event(), []

    def hold(conn, cursor, statement, params, context, executemany):  # noqa: ANN001
        if threading.current_thread() is slow and "nextval" in statement and not numbered.is_set():
            numbered.set()
            go.wait(30)

    def push_late() -> None:
        try:
            request = PushRequest(batch_id=f"b-{new_id()}", device_id="d-late", protocol=1, schema="0007",
                                  ops=[_household_op(late)])
            now = datetime(2026, 1, 5, 10, 0)
            with writing(county.engine) as conn:
                apply_push(conn, Caller("w1", "worker", "522601100201-01", "d-late"), request, now, now.date(),
                           optimistic=True)
        except Exception as exc:  # noqa: BLE001 - shown by the assert below
            failed.append(exc)

    event.listens_for(county.engine, "after_cursor_execute")(hold)
    slow = threading.Thread(target=push_late)
    slow.start()
    try:
        assert numbered.wait(30)
        early = new_household(w1, no="H-EARLY")
        run_sync(w1)                      # takes later numbers and commits first
        assert server_row(county, "household", early) is not None
        assert server_row(county, "household", late) is None
        held_back = watermark(county.engine)
        run_sync(w2)                      # must stop below the late push's numbers
    finally:
        go.set()
        slow.join(30)
        event.remove(county.engine, "after_cursor_execute", hold)
    assert not failed and server_row(county, "household", late) is not None
    run_sync(w2)
    assert household(w2, late)["household_no"] == "H-LATE"
    assert household(w2, early)["household_no"] == "H-EARLY"
    # The first pull of w2 stopped below the late push's numbers, though later ones had committed.
    late_seq, early_seq = (server_row(county, "household", h)["server_seq"] for h in (late, early))
    assert held_back < late_seq < early_seq <= watermark(county.engine)


def test_a_push_holds_its_lease_below_every_number_it_draws_until_it_commits(county):
    """`take` locks and draws in one statement: the lease (what keeps every pull below the push's
    numbers until it commits) must be taken before the first number is drawn, so it sits at or below
    it, and a pull's watermark stays below the numbers while the push is open; after, it passes them."""
    from sqlalchemy import text

    from sync.server import numbers

    with writing(county.engine) as conn:
        drawn = numbers.take(conn, 5)
        leases = conn.execute(text(
            "SELECT ((classid::bigint << 32) | objid::bigint) - :base FROM pg_locks WHERE locktype = 'advisory' "
            "AND objsubid = 1 AND pid = pg_backend_pid()"), {"base": numbers.LEASE_BASE}).scalars().all()
        writers = conn.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2 AND mode = 'ShareLock' "
            "AND classid = :a AND objid = :b AND pid = pg_backend_pid()"), dict(zip("ab", numbers.WRITERS))).scalar()
        assert drawn == sorted(drawn) and len(drawn) == 5 and writers == 1
        assert len(leases) == 1 and leases[0] <= drawn[0], (leases, drawn)
        assert watermark(county.engine) < drawn[0]
    assert watermark(county.engine) >= drawn[-1]
