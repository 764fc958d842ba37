"""PostgreSQL: a county server process keeps a few database connections (`serve --db-connections`), so
that fifty laptops pushing at once do not make fifty backends take turns on the database's cores. A
request that finds every connection busy for long is answered 503 with Retry-After; the laptop waits
as long and tries again, and goes through once a connection is free. A push that waits too long for
another push of its own device is answered the same way."""
from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import event, text

from core.models import new_id
from core.store.migrate import HEAD_REVISION
from sync.client import CountyServer
from sync.errors import ServerUnreachable
from sync.protocol import Op, PushRequest
from sync.server import numbers
from sync.server.demo import SETTLEMENT_ID
from tests.sync.conftest import PASSWORD, running_county
from tests.sync.sync_helpers import GRID_W1

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def one_connection_county(db_url: str):
    """The county server with one database connection, which a request waits half a second for."""
    with running_county(db_url, connections=1, wait_for_connection=0.5) as county:
        yield county


def _warnings(caplog) -> list[str]:  # noqa: ANN001
    return [r.getMessage().split(" (")[0] for r in caplog.records if r.name == "sync.server.requests"]


def test_a_request_that_finds_no_connection_free_is_answered_busy_and_tried_again(one_connection_county, caplog):
    county = one_connection_county
    laptop = CountyServer(county.url, retries=0)
    laptop.login("w1", PASSWORD, device_id="d-busy", device_name="busy")
    pauses: list[float] = []
    patient = CountyServer(county.url, token=laptop.token, retries=6,
                           sleep=lambda s: (pauses.append(s), time.sleep(0.3)))
    held = county.engine.connect()  # the server's one connection, busy with something long
    try:
        with caplog.at_level(logging.WARNING, logger="sync.server.requests"):
            with pytest.raises(ServerUnreachable, match="^县服务器正忙") as busy:
                laptop.changes(0)  # a plain endpoint
            assert busy.value.code == "server_busy" and "出错" not in str(busy.value)  # busy, not broken
            with pytest.raises(ServerUnreachable, match="县服务器正忙"):  # one run in the server's threads
                laptop.push(PushRequest(batch_id=f"b-{new_id()}", device_id="d-busy", protocol=2,
                                        schema=HEAD_REVISION, ops=[]))
        assert _warnings(caplog) == ["no database connection came free, answered 503"] * 2
        raw = laptop.http.get(county.url + "/api/v1/sync/changes", params={"since": 0},
                              headers={"Authorization": f"Bearer {laptop.token}", "Anju-Protocol": "2"})
        assert (raw.status_code, raw.json()["error"], raw.headers.get("Retry-After")) == (503, "server_busy", "5")
        threading.Timer(1.0, held.close).start()  # the long thing ends: the connection goes back
        page = patient.changes(0)  # tried again until it goes through
        assert page.changes, "the demo county's reference data, once a connection was free"
        assert pauses[0] == 5, "the laptop waits as long as the server asked"
    finally:
        held.close()
        laptop.close()
        patient.close()


def test_a_login_waits_for_a_connection_once(one_connection_county):
    """A login counts its attempt, then checks the password, on one connection taken once: were it to
    wait for a connection again in between, a busy server would answer it 503 after the attempt was
    counted, the laptop would send it again, counted again, and five such and the account would wait."""
    county = one_connection_county
    taken: list[object] = []

    def checkout(*_args: object) -> None:
        taken.append(1)

    laptop = CountyServer(county.url, retries=0)
    event.listen(county.engine, "checkout", checkout)
    try:
        assert laptop.login("w1", PASSWORD, device_id="d-turn")["username"] == "w1"
    finally:
        event.remove(county.engine, "checkout", checkout)
        laptop.close()
    assert len(taken) == 1


def test_a_push_waiting_too_long_for_its_device_s_other_push_is_answered_busy(county, monkeypatch, caplog):
    """The device's other push holds on (here: its lock held by the test); this one gives up after
    DEVICE_WAIT_SECONDS with 503 device_busy, and goes through once the other has ended."""
    monkeypatch.setattr(numbers, "DEVICE_WAIT_SECONDS", 0.5)
    laptop = CountyServer(county.url, retries=0)
    laptop.login("w1", PASSWORD, device_id="d-stuck", device_name="stuck")
    request = PushRequest(batch_id=f"b-{new_id()}", device_id="d-stuck", protocol=2, schema=HEAD_REVISION, ops=[])
    key = {"a": numbers.DEVICES, "b": numbers.zlib.crc32(b"d-stuck") - (1 << 31)}
    try:
        with county.engine.connect() as other, other.begin():  # the device's other push, stuck
            other.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), key)
            with caplog.at_level(logging.WARNING, logger="sync.server.requests"):
                with pytest.raises(ServerUnreachable, match="^这台电脑的上一次同步还没有结束") as busy:
                    laptop.push(request)
                assert busy.value.code == "device_busy" and "出错" not in str(busy.value)
            assert _warnings(caplog) == ["a push waited for another push of its device too long: answered 503"]
        assert laptop.push(request).batch_id == request.batch_id  # the other ended: this one goes through
    finally:
        laptop.close()


def test_a_request_waits_its_turn_behind_those_at_the_database_and_is_answered_busy_after_a_while(
        db_url, monkeypatch, caplog):
    """One connection, so one request at the database at a time (sync.server.turns): a push stuck there
    (its device's lock held by the test) keeps a pull waiting in line, without a thread or a connection
    of its own; after as long as a connection would be waited for, the pull is answered 503 "busy". The
    push then finishes, and the pull sent again goes through."""
    import psycopg

    monkeypatch.setattr(numbers, "DEVICE_WAIT_SECONDS", 20)
    with running_county(db_url, connections=1, wait_for_connection=0.5) as county:
        first, second = CountyServer(county.url, retries=0), CountyServer(county.url, retries=0)
        pushed: list[object] = []
        try:
            first.login("w1", PASSWORD, device_id="d-first", device_name="first")
            second.login("w2", PASSWORD, device_id="d-second", device_name="second")
            push = _new_household_push("d-first")
            key = (numbers.DEVICES, numbers.zlib.crc32(b"d-first") - (1 << 31))
            with psycopg.connect(db_url.replace("+psycopg", "")) as other:  # not one of the server's
                other.execute("SELECT pg_advisory_xact_lock(%s, %s)", key)
                at_the_database = threading.Thread(target=lambda: pushed.append(first.push(push)))
                at_the_database.start()
                time.sleep(0.3)  # the push has its turn, and waits for its device's lock
                with caplog.at_level(logging.WARNING, logger="sync.server.requests"):
                    started = time.monotonic()
                    with pytest.raises(ServerUnreachable, match="^县服务器正忙") as busy:
                        second.changes(0)
                    waited = time.monotonic() - started
                assert busy.value.code == "server_busy"
                assert 0.4 <= waited < 5, "told after about as long as a connection would be waited for"
                assert _warnings(caplog) == ["no turn at the database came, answered 503"]
                assert not pushed, "the push is still at the database"
            at_the_database.join(10)  # the lock went with the test's connection
            assert pushed and pushed[0].results[0].status == "applied"
            assert second.changes(0).changes, "sent again, the pull goes through"
        finally:
            first.close()
            second.close()


def _drop_server_connections(db_url: str) -> int:
    """What a PostgreSQL restart or a dropped network does to the server's pooled connections."""
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as admin:
        return len(admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                                 "AND pid <> pg_backend_pid()", (name,)).fetchall())


def _new_household_push(device_id: str) -> PushRequest:
    op = Op(op_id=f"op-{new_id()}", entity="household", row_id=new_id(), kind="upsert",
            fields={"household_no": f"X-{new_id()[:8]}", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1},
            hlc="1790000000000-0001-x")
    return PushRequest(batch_id=f"b-{new_id()}", device_id=device_id, protocol=2, schema=HEAD_REVISION, ops=[op])


def _households_of(county, row_id: str) -> int:  # noqa: ANN001
    with county.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM household WHERE id = :id"), {"id": row_id}).scalar_one()


def test_a_connection_dropped_while_the_server_was_idle_is_replaced_before_a_push_uses_it(db_url, caplog):
    """The server keeps its connections between requests; one that waited in the pool a while is tried
    before a request gets it, so a database restarted overnight costs the morning's first push nothing."""
    with running_county(db_url, connections=2, ping_after_idle=0.2) as county:
        laptop = CountyServer(county.url, retries=0)  # an answer other than 200 would fail the test
        try:
            laptop.login("w1", PASSWORD, device_id="d-idle", device_name="idle")
            assert laptop.push(_new_household_push("d-idle")).results[0].status == "applied"
            assert _drop_server_connections(db_url) >= 1
            time.sleep(0.3)  # idle longer than ping_after_idle
            push = _new_household_push("d-idle")
            with caplog.at_level(logging.WARNING, logger="sync.server.db"):
                assert laptop.push(push).results[0].status == "applied"
            assert _households_of(county, push.ops[0].row_id) == 1
            replaced = [r for r in caplog.records if r.name == "sync.server.db"]
            assert replaced and "no longer answered; replaced" in replaced[0].getMessage()
            assert replaced[0].exc_info is not None, "logged with why the connection failed"
        finally:
            laptop.close()


def test_a_connection_lost_under_a_push_is_answered_busy_and_the_push_sent_again_goes_through(db_url, caplog):
    """A connection in steady use is not tried first (under load that was one round trip in eighteen):
    when the database drops it, the push it carried never commits and is answered 503 "busy", which the
    laptop sends again, on a new connection, and it is applied once."""
    with running_county(db_url, connections=2, ping_after_idle=3600) as county:
        laptop = CountyServer(county.url, retries=0)
        try:
            laptop.login("w1", PASSWORD, device_id="d-lost", device_name="lost")
            assert _drop_server_connections(db_url) >= 1
            push = _new_household_push("d-lost")
            with caplog.at_level(logging.WARNING, logger="sync.server.requests"):
                with pytest.raises(ServerUnreachable, match="^县服务器正忙") as busy:
                    laptop.push(push)
            assert busy.value.code == "server_busy"
            lost = [r for r in caplog.records if r.name == "sync.server.requests"]
            assert [r.getMessage() for r in lost] == ["the database connection was lost during POST /api/v1/sync/push, "
                                                      "answered 503"]
            assert lost[0].exc_info is not None, "logged with its traceback"
            assert _households_of(county, push.ops[0].row_id) == 0
            assert laptop.push(push).results[0].status == "applied"  # sent again: the pool was renewed
            assert _households_of(county, push.ops[0].row_id) == 1
        finally:
            laptop.close()


def test_a_database_that_cannot_be_reached_is_answered_busy_and_the_push_goes_through_once_it_is_back(db_url):
    """PostgreSQL restarting (connections refused for a while): the laptop is told "busy", not "the
    server failed", and its push, sent again once the database is back, is applied once."""
    import psycopg

    name = db_url.rsplit("/", 1)[1]
    admin_url = db_url.replace("+psycopg", "").rsplit("/", 1)[0] + "/postgres"
    with running_county(db_url, connections=1, ping_after_idle=0.0) as county:
        laptop = CountyServer(county.url, retries=0)
        try:
            laptop.login("w1", PASSWORD, device_id="d-down", device_name="down")
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
                try:
                    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
                    push = _new_household_push("d-down")
                    with pytest.raises(ServerUnreachable, match="^县服务器正忙") as busy:
                        laptop.push(push)
                    assert busy.value.code == "server_busy"
                finally:
                    admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
            assert laptop.push(push).results[0].status == "applied"
            assert _households_of(county, push.ops[0].row_id) == 1
        finally:
            laptop.close()
