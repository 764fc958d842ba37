"""PostgreSQL: pushes write side by side, so two of them must never wait for each other in a circle
(a deadlock costs a second's stall and a retry), and a deadlock PostgreSQL does find must be tried
again, not answered with a server error.

1. Two pushes lock the records they read in one order: push 1 writes households a1 and b and reads
   a2 (a member's household); push 2 writes a2 and reads b. Locking its written records first and
   its read ones after, push 1 would hold b while waiting for a2, and push 2 a2 while waiting for b.
2. New rows go in by COPY: a deadlock there (two pushes' new rows with the same keys, crossed) comes
   out as the database error the push's retry knows, as an INSERT's would.
3. One batch sent twice at once (a retry racing its original): the second waits for the first, and
   the batch is applied once, both answered alike, whether it creates records or writes none (only
   its answers)."""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from core.among import among
from core.models import new_id
from core.store.migrate import HEAD_REVISION
from sync.client import CountyServer
from sync.protocol import Op, PushRequest, PushResponse
from sync.server.accounts import Caller
from sync.server.db import writing
from sync.server.merge import apply_push
from sync.server.demo import SETTLEMENT_ID
from sync.server.models import ENTITY_TABLES, applied_op, row_state
from sync.server.numbers import DEVICES, raced
from sync.server.rows import StaleRead, insert_rows
from tests.sync.conftest import PASSWORD
from tests.sync.sync_helpers import GRID_W1, members, new_household, resident_id, run_sync, server_row

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
NOW = datetime(2026, 1, 5, 10, 0)


def _edit(county, entity: str, row_id: str, field: str, value: str) -> Op:
    base = server_row(county, entity, row_id)["server_seq"]
    return Op(op_id=f"op-{new_id()}", entity=entity, row_id=row_id, kind="upsert", fields={field: value},
              base={field: base}, hlc="1790000000000-0001-x")


def _push(county, device: str, ops: list[Op]) -> None:
    request = PushRequest(batch_id=f"b-{new_id()}", device_id=device, protocol=1, schema="0007", ops=ops)
    with writing(county.engine) as conn:
        apply_push(conn, Caller("w1", "worker", "522601100201-01", device), request, NOW, NOW.date(),
                   optimistic=True)


def test_two_pushes_lock_what_they_read_in_one_order(county, enrol):
    w1 = enrol("w1")
    a1, a2, b = sorted(new_household(w1) for _ in range(3))
    run_sync(w1)
    member_a2, member_b = members(w1, a2)[0]["id"], members(w1, b)[0]["id"]
    first = [_edit(county, "household", a1, "room", "201"), _edit(county, "household", b, "room", "202"),
             _edit(county, "member", member_a2, "name", "李一")]
    second = [_edit(county, "household", a2, "room", "203"), _edit(county, "member", member_b, "name", "李二")]
    paused, second_done = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def pause_first(conn, cursor, statement, params, context, executemany):  # noqa: ANN001
        if threading.current_thread() is one and "FOR NO KEY UPDATE" in statement and not paused.is_set():
            paused.set()
            second_done.wait(4)  # the second push runs meanwhile, if it can

    def run(name: str, device: str, ops: list[Op], done: threading.Event | None = None) -> None:
        try:
            _push(county, device, ops)
            outcome[name] = "applied"
        except Exception as exc:  # noqa: BLE001 - shown by the asserts below
            outcome[name] = exc
        finally:
            if done is not None:
                done.set()

    event.listens_for(county.engine, "after_cursor_execute")(pause_first)
    one = threading.Thread(target=run, args=("first", "d-one", first))
    two = threading.Thread(target=run, args=("second", "d-two", second, second_done))
    try:
        one.start()
        assert paused.wait(30)
        two.start()
        two.join(30)
        one.join(30)
    finally:
        second_done.set()
        event.remove(county.engine, "after_cursor_execute", pause_first)
    assert outcome["second"] == "applied"  # it never waited on the first's locks
    # The first finds a2 changed since it read it and is done again alone (StaleRead), never a deadlock.
    assert outcome["first"] == "applied" or isinstance(outcome["first"], StaleRead), outcome["first"]
    assert server_row(county, "household", a2)["room"] == "203"


def test_a_deadlock_in_copy_is_the_error_a_push_tries_again(county):
    keys = [f"op-{new_id()}" for _ in range(2)]
    inserted = [threading.Event(), threading.Event()]
    errors: list[BaseException] = []

    def rows(key: str) -> list[dict]:
        return [{"device_id": "d-copy", "op_id": key, "batch_id": "b", "result": {}, "at": NOW}]

    def writer(i: int) -> None:
        try:
            with writing(county.engine) as conn:
                insert_rows(conn, applied_op, rows(keys[i]))
                inserted[i].set()
                inserted[1 - i].wait(10)
                insert_rows(conn, applied_op, rows(keys[1 - i]))  # the other's key, still uncommitted
        except Exception as exc:  # noqa: BLE001 - shown by the asserts below
            errors.append(exc)
            inserted[i].set()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # One of the two is given up for the other (and goes on once the push is tried again); the other commits.
    assert len(errors) == 1 and isinstance(errors[0], OperationalError) and raced(errors[0]), errors


def _household_and_members(hid: str) -> list[Op]:
    ops = [Op(op_id=f"op-{new_id()}", entity="household", row_id=hid, kind="upsert", hlc="1790000000000-0001-x",
              fields={"household_no": "T-0001", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1, "room": "101"})]
    return ops + [Op(op_id=f"op-{new_id()}", entity="member", row_id=new_id(), kind="upsert",
                     hlc="1790000000000-0002-x",
                     fields={"household_id": hid, "name": name, "relation": relation, "id_number": resident_id()})
                  for name, relation in (("王建国", "head"), ("李秀英", "spouse"))]


def _nothing_written(hid: str) -> list[Op]:
    """A delete of a household the server never had (unchanged), and a member of it (rejected): ops
    that write no record, only their answers."""
    return [Op(op_id=f"op-{new_id()}", entity="household", row_id=hid, kind="delete", hlc="1790000000000-0001-x"),
            Op(op_id=f"op-{new_id()}", entity="member", row_id=new_id(), kind="upsert", hlc="1790000000000-0002-x",
               fields={"household_id": hid, "name": "王建国", "relation": "head"})]


def _waiting_for_a_device(engine) -> bool:  # noqa: ANN001
    """Whether a push waits for another push of its device (sync.server.numbers.one_push_of)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(text("pg_locks")).where(
            text("locktype = 'advisory' AND objsubid = 2 AND NOT granted AND classid = :devices AND database = "
                 "(SELECT oid FROM pg_database WHERE datname = current_database())"))
            .params(devices=DEVICES)).scalar_one() > 0


@pytest.mark.parametrize("make_ops, statuses, members_after", [
    (_household_and_members, ["applied"] * 3, 2),
    (_nothing_written, ["unchanged", "rejected"], 0),
], ids=["creating-records", "writing-only-answers"])
def test_one_batch_sent_twice_at_once_is_applied_once_and_answered_alike(county, make_ops, statuses, members_after,
                                                                        caplog):
    """A retry racing its original (the answer was slow to come): the one that comes second waits for
    the first, then finds every op applied and answers from what was stored. Records once, one answer
    an op, the same to both; neither is refused at its writes and done again alone (which would hold
    up every other device's push)."""
    client = CountyServer(county.url)
    client.login("w1", PASSWORD, device_id="d-twice", device_name="retry")
    other = client.twin()
    hid = new_id()
    ops = make_ops(hid)
    request = PushRequest(batch_id=f"b-{new_id()}", device_id="d-twice", protocol=1, schema=HEAD_REVISION, ops=ops)
    reads = iter(range(10**6))
    held: list[bool] = []

    def hold(conn, cursor, statement, params, context, executemany):  # noqa: ANN001
        if "FROM applied_op" in statement and next(reads) == 0:  # the first has found nothing applied:
            deadline = time.monotonic() + 20  # it goes on once the second waits for it
            while not _waiting_for_a_device(county.engine) and time.monotonic() < deadline:
                time.sleep(0.02)
            held.append(time.monotonic() < deadline)

    answers: dict[str, object] = {}

    def send(name: str, server: CountyServer) -> None:
        try:
            answers[name] = server.push(request)
        except Exception as exc:  # noqa: BLE001 - shown by the asserts below
            answers[name] = exc

    event.listens_for(county.engine, "after_cursor_execute")(hold)
    threads = [threading.Thread(target=send, args=(n, s)) for n, s in (("one", client), ("two", other))]
    try:
        with caplog.at_level(logging.DEBUG, logger="sync.server.requests"):
            for t in threads:
                t.start()
                time.sleep(0.05)
            for t in threads:
                t.join(60)
    finally:
        event.remove(county.engine, "after_cursor_execute", hold)
        client.close()
        other.close()
    one, two = answers["one"], answers["two"]
    assert isinstance(one, PushResponse) and isinstance(two, PushResponse), answers
    assert held == [True], "the second push never waited for the first"
    assert [r.status for r in one.results] == statuses
    assert [(r.status, r.server_seq) for r in one.results] == [(r.status, r.server_seq) for r in two.results]
    assert [r.getMessage() for r in caplog.records if "raced another push" in r.getMessage()] == []
    with county.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(applied_op)
                            .where(applied_op.c.device_id == "d-twice")).scalar_one() == len(ops)
        member = ENTITY_TABLES["member"]
        assert conn.execute(select(func.count()).select_from(member)
                            .where(member.c.household_id == hid)).scalar_one() == members_after


def test_a_list_of_ids_finds_exactly_those_ids(county):
    """core.among on PostgreSQL (one array): an id is found by itself only, not by a longer text that
    begins with it (an array of VARCHAR(36) would cut that text down to the id), and an empty list finds
    nothing."""
    with county.engine.connect() as conn:
        some = conn.execute(select(row_state.c.row_id).where(row_state.c.entity == "grid")).scalars().all()
        found = lambda ids: sorted(conn.execute(  # noqa: E731
            select(row_state.c.row_id).where(among(row_state.c.row_id, ids, conn.dialect.name))).scalars())
        assert found(some) == sorted(some) and len(some) >= 2
        assert found([some[0] + "-and-more", some[1][:-1]]) == []
        assert found([]) == []


def test_a_list_of_ids_finds_ids_of_any_text(county):
    """An op id is the laptop's own text: whatever it holds (quotes, backslashes, commas, braces, blanks,
    the word NULL), the push's stored answers are found by it exactly, and only by it."""
    odd = ['a"b', "back\\slash", "comma,id", "{brace}", " spaced ", "NULL", "", "安居-1", "tail\\"]
    with county.engine.begin() as conn:
        conn.execute(applied_op.insert(), [{"device_id": "d-odd", "op_id": op_id, "batch_id": "b-odd",
                                            "result": {}, "at": datetime(2026, 12, 2)} for op_id in odd])
        found = lambda ids: sorted(conn.execute(select(applied_op.c.op_id).where(  # noqa: E731
            applied_op.c.device_id == "d-odd", among(applied_op.c.op_id, ids, conn.dialect.name))).scalars())
        assert found(odd) == sorted(odd)
        for op_id in odd:
            assert found([op_id]) == [op_id]
        assert found(["a", "b", "back", "slash", "comma", "id", "brace", "spaced", "null", "安居"]) == []
        conn.rollback()
