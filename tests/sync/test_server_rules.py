"""The county server's rules at its HTTP door: scope, versions, idempotency, tokens and bad input.
Every test talks to a real uvicorn over HTTP, on SQLite and on PostgreSQL."""
from __future__ import annotations

import gzip
import json
import socket
import sqlite3
import time

import pytest
import requests
from sqlalchemy import update

from core.models import new_id
from sync.client import CountyServer, LoginRequired, UpdateRequiredError
from sync.protocol import MAX_BODY_BYTES, Op, PushRequest
from tests.sync.conftest import PASSWORD
from tests.sync.sync_helpers import (
    GRID_ELSEWHERE, GRID_W1, GRID_W3, household, members, new_household, run_sync, server_count,
    server_row,
)
from sync.server.db import writing
from sync.server.demo import SETTLEMENT_ID
from sync.server.models import device


def _client(store, county) -> CountyServer:
    return CountyServer(county.url, token=store.meta("server_token"), schema=store.schema_revision())


def _household_op(grid_id: str, op_id: str | None = None, row_id: str | None = None, **fields) -> Op:
    return Op(op_id=op_id or f"op-{new_id()}", entity="household", row_id=row_id or new_id(), kind="upsert",
              fields={"household_no": f"X-{new_id()[:8]}", "settlement_id": SETTLEMENT_ID, "grid_id": grid_id, **fields},
              hlc="1790000000000-0001-x")


def _push(client: CountyServer, store, ops: list[Op], batch_id: str = "b-test"):
    return client.push(PushRequest(batch_id=batch_id, device_id=store.info.device_id, protocol=1,
                                   schema=store.schema_revision(), ops=ops))


def _raw(county, store, method: str, path: str, **kw) -> requests.Response:
    headers = {"Authorization": f"Bearer {store.meta('server_token')}", "Anju-Protocol": "1",
               "Anju-Schema": store.schema_revision(), **kw.pop("headers", {})}
    return requests.request(method, county.url + path, headers=headers, timeout=30, **kw)


# -- scope ----------------------------------------------------------------------------------

def test_a_worker_neither_reads_nor_writes_a_household_of_another_grid(enrol, county):
    w1 = enrol("w1")
    w3 = enrol("w3")
    theirs = new_household(w3, grid_id=GRID_W3, no="H-70707")
    run_sync(w3)
    run_sync(w1)
    with pytest.raises(Exception):
        household(w1, theirs)  # never pulled
    client = _client(w1, county)
    before = server_row(county, "household", theirs)
    result = _push(client, w1, [_household_op(GRID_W3, row_id=theirs, phone="13800138000"),
                                _household_op(GRID_ELSEWHERE)]).results
    assert [r.status for r in result] == ["rejected", "rejected"]
    assert all("不在您的工作范围" in r.reason for r in result)
    assert server_row(county, "household", theirs) == before  # nothing written, not even a sequence
    client.close()


def _member_op(household_id: str) -> Op:
    return Op(op_id=f"op-{new_id()}", entity="member", row_id=new_id(), kind="upsert",
              fields={"household_id": household_id, "name": "张三", "relation": "son"}, hlc="1790000000000-0001-x")


def test_a_rejection_tells_nothing_about_a_household_outside_the_scope(enrol, county):
    """Neither its number nor whether it exists: an op on another grid's household is answered in
    the words an op on a household that does not exist gets."""
    w1, w3 = enrol("w1"), enrol("w3")
    theirs = new_household(w3, grid_id=GRID_W3, no="H-70707")
    [their_head] = [m["id"] for m in members(w3, theirs)]
    run_sync(w3)
    mine = new_household(w1)
    run_sync(w1)
    client = _client(w1, county)
    job = dict(entity="employment", kind="upsert", hlc="1790000000000-0001-x")
    results = _push(client, w1, [
        _household_op(GRID_W1, row_id=theirs, phone="13800138000"),  # their household, named by its id
        _member_op(theirs), _member_op(new_id()),                     # a member put under it / under nobody
        Op(op_id="op-job-1", row_id=new_id(), fields={"household_id": mine, "member_id": their_head,
                                                      "start_month": "2025-01"}, **job),
        Op(op_id="op-job-2", row_id=new_id(), fields={"household_id": mine, "member_id": new_id(),
                                                      "start_month": "2025-01"}, **job),
    ]).results
    client.close()
    assert [r.status for r in results] == ["rejected"] * 5
    for r in results:
        assert "H-70707" not in r.reason and theirs not in r.reason and their_head not in r.reason
    assert results[1].reason == results[2].reason and "不在您的工作范围" in results[1].reason
    assert results[3].reason == results[4].reason


def test_a_direct_read_answers_alike_for_a_record_out_of_scope_and_one_that_does_not_exist(enrol, county):
    w1, w3 = enrol("w1"), enrol("w3")
    theirs = new_household(w3, grid_id=GRID_W3, no="H-70707")
    run_sync(w3)
    mine = new_household(w1)
    run_sync(w1)
    assert _raw(county, w1, "GET", f"/api/v1/records/household/{mine}").status_code == 200
    out_of_scope = _raw(county, w1, "GET", f"/api/v1/records/household/{theirs}")
    missing_id = new_id()
    missing = _raw(county, w1, "GET", f"/api/v1/records/household/{missing_id}")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.content == missing.content
    assert "不在您的工作范围" in missing.json()["message"] and theirs not in out_of_scope.text


def test_a_clerk_of_another_village_learns_nothing_of_a_conflict_there(enrol, county):
    from core.models import utc_now
    from sync.server.accounts import add_user
    from sync.server.db import writing
    from sync.server.demo import OTHER_VILLAGE
    from tests.sync.sync_helpers import open_conflicts, phone_conflict

    with writing(county.engine) as conn:
        add_user(conn, "c9", PASSWORD, "clerk", OTHER_VILLAGE, utc_now())
    _w1, _w2, hid = phone_conflict(enrol)
    [conflict] = open_conflicts(county)
    c1 = enrol("c1")
    other = CountyServer(county.url, schema=c1.schema_revision())
    other.login("c9", PASSWORD, "dev-c9")
    headers = {"Authorization": f"Bearer {other.token}", "Anju-Protocol": "1"}
    other.close()

    def resolve_as_c9(conflict_id: str) -> requests.Response:
        return requests.post(f"{county.url}/api/v1/conflicts/{conflict_id}/resolve", json={"choice": "client"},
                             headers=headers, timeout=30)
    theirs, nonexistent = resolve_as_c9(conflict["id"]), resolve_as_c9(new_id())
    assert theirs.status_code == nonexistent.status_code == 404
    assert theirs.json()["message"] == "没有这条冲突记录，或它不在您的工作范围内。 / No such conflict in your scope."
    assert theirs.content == nonexistent.content
    assert server_row(county, "household", hid)["phone"] == "13800138000"  # nothing changed
    clerk = CountyServer(county.url, token=c1.meta("server_token"), schema=c1.schema_revision())
    clerk.resolve(conflict["id"], "server")
    clerk.close()
    after = resolve_as_c9(conflict["id"])  # resolved now: still not a word of who resolved it
    assert after.status_code == 404 and after.json() == theirs.json() and "c1" not in after.text


def test_a_worker_cannot_move_a_household_out_of_their_grid(enrol, county):
    w1 = enrol("w1")
    hid = new_household(w1)
    run_sync(w1)
    client = _client(w1, county)
    [result] = _push(client, w1, [_household_op(GRID_W3, row_id=hid)]).results
    client.close()
    assert result.status == "rejected"
    assert server_row(county, "household", hid)["grid_id"] == GRID_W1


def test_the_clerk_sees_every_grid_of_the_village_and_no_other(enrol, county):
    w1, w3, a1 = enrol("w1"), enrol("w3"), enrol("a1")
    mine, theirs = new_household(w1), new_household(w3, grid_id=GRID_W3)
    elsewhere = new_household(a1, grid_id=GRID_ELSEWHERE)
    for s in (w1, w3, a1):
        run_sync(s)
    c1 = enrol("c1")
    household(c1, mine), household(c1, theirs)
    with pytest.raises(Exception):
        household(c1, elsewhere)
    run_sync(a1)
    assert household(a1, mine) and household(a1, theirs)


# -- versions and idempotency -------------------------------------------------------------

def test_an_old_protocol_gets_update_required_and_keeps_its_outbox(enrol, county):
    w1 = enrol("w1")
    new_household(w1)
    pending = w1.pending_change_count()
    client = _client(w1, county)
    answer = _raw(county, w1, "GET", "/api/v1/sync/changes", headers={"Anju-Protocol": "0"})
    assert answer.status_code == 426 and "需要更新" in answer.json()["message"]
    client.schema = "0004"
    from sync.client import SyncReport, push_outbox

    with pytest.raises(UpdateRequiredError, match="需要更新"):
        push_outbox(w1, client, SyncReport())
    client.close()
    assert w1.pending_change_count() == pending
    assert server_count(county, "household") == 0


def test_a_laptop_updated_before_its_server_syncs_when_only_its_own_tables_changed(enrol, county, monkeypatch):
    """A county updates its laptops first: a profile whose newer revisions changed only the laptop's own
    tables (the outbox, the owed summaries) still pushes and pulls with a server that knows none of them."""
    from core.schema import HEAD_REVISION, WIRE_REVISION

    w1, second = enrol("w1"), enrol("w1", folder="w1-second-laptop")
    assert w1.schema_revision() == HEAD_REVISION > WIRE_REVISION
    monkeypatch.setattr("sync.protocol.HEAD_REVISION", WIRE_REVISION)  # the server as of that revision
    hid = new_household(w1)
    assert run_sync(w1).pushed.get("applied")
    assert w1.pending_change_count() == 0 and server_count(county, "household") == 1
    run_sync(second)
    assert household(second, hid)["id"] == hid


def test_a_batch_sent_twice_is_applied_once(enrol, county):
    w1 = enrol("w1")
    client = _client(w1, county)
    ops = [_household_op(GRID_W1) for _ in range(3)]
    first = _push(client, w1, ops, "b-twice")
    second = _push(client, w1, ops, "b-twice")  # the first answer was "lost"
    one_op_again = _push(client, w1, [ops[1]], "b-other")
    client.close()
    assert [r.status for r in first.results] == ["applied"] * 3
    assert second.results == first.results and one_op_again.results == [first.results[1]]
    assert server_count(county, "household") == 3


def test_an_op_id_another_device_used_is_applied_or_rejected_on_its_own_merits(enrol, county):
    """Op ids are unique per device only: a second device's op under an id the first device used
    is another op, never answered with the first device's stored answer and dropped."""
    w1, w2, w3 = enrol("w1"), enrol("w2"), enrol("w3")
    clients = [_client(s, county) for s in (w1, w2, w3)]
    ops = [_household_op(GRID_W1, op_id="op-shared") for _ in range(3)]
    first = _push(clients[0], w1, [ops[0]], "b-1").results[0]
    second = _push(clients[1], w2, [ops[1]], "b-1").results[0]
    third = _push(clients[2], w3, [ops[2]], "b-1").results[0]  # w3 works in another grid
    again = _push(clients[1], w2, [ops[1]], "b-2").results[0]  # w2's answer was lost: sent again
    for client in clients:
        client.close()
    assert (first.status, second.status, third.status) == ("applied", "applied", "rejected")
    assert second.server_seq != first.server_seq and again == second
    assert server_row(county, "household", ops[0].row_id) and server_row(county, "household", ops[1].row_id)
    assert server_row(county, "household", ops[2].row_id) is None and server_count(county, "household") == 2


def test_a_revoked_device_is_refused(enrol, county):
    from core.models import utc_now
    from sync.server.accounts import revoke_device
    from sync.server.db import writing

    w1 = enrol("w1")
    with writing(county.engine) as conn:
        assert revoke_device(conn, w1.info.device_id, utc_now())
    new_household(w1)
    with pytest.raises(LoginRequired, match="停用"):
        run_sync(w1)
    assert w1.pending_change_count() > 0


def test_a_device_registered_to_one_user_cannot_log_in_as_another(enrol, county):
    w1 = enrol("w1")
    client = CountyServer(county.url)
    with pytest.raises(LoginRequired, match="另一位用户"):
        client.login("w2", PASSWORD, w1.info.device_id)
    with pytest.raises(LoginRequired, match="用户名或密码不正确"):
        client.login("w2", "wrong password", "dev-new")
    client.close()


def test_no_laptop_logs_in_with_the_servers_own_device_id(enrol, county):
    """The server stamps what it sends again and its conflicts with its own device id: a laptop
    logged in with it would take them for its own changes and never pull them."""
    client = CountyServer(county.url)
    with pytest.raises(LoginRequired, match="留给县服务器"):
        client.login("w1", PASSWORD, "server")
    assert client.login("w1", PASSWORD, "dev-own")["username"] == "w1"
    client.close()
    # A device registered with it before the id was refused at login: its token is refused too.
    with writing(county.engine) as conn:
        conn.execute(update(device).where(device.c.device_id == "dev-own").values(device_id="server"))
    with pytest.raises(LoginRequired, match="留给县服务器"):
        client.changes(0)


# -- bad input: a clear 4xx, never a 500, nothing written ------------------------------------

@pytest.mark.parametrize("body, status, words", [
    (b"{not json", 422, "invalid"),
    (json.dumps({"batch_id": "b", "device_id": "D", "protocol": 1, "schema": "0007", "ops": "x"}).encode(), 422, "ops"),
    (json.dumps({"batch_id": "b", "device_id": "D", "protocol": 1, "schema": "0007",
                 "ops": [{"op_id": "o", "entity": "spaceship", "row_id": new_id(), "kind": "upsert",
                          "fields": {"x": 1}, "hlc": "h"}]}).encode(), 422, "spaceship"),
    (json.dumps({"batch_id": "b", "device_id": "D", "protocol": 1, "schema": "0007",
                 "ops": [{"op_id": "o", "entity": "member", "row_id": new_id(), "kind": "upsert",
                          "fields": {"shoe_size": 42}, "hlc": "h"}]}).encode(), 422, "shoe_size"),
    (json.dumps({"batch_id": "b", "device_id": "D", "protocol": 1, "schema": "0007",
                 "ops": [{"op_id": "o", "entity": "member", "row_id": "not-a-uuid", "kind": "upsert",
                          "fields": {"name": "x"}, "hlc": "h"}]}).encode(), 422, "UUID"),
])
def test_malformed_pushes_get_a_4xx_that_says_what_is_wrong(enrol, county, body, status, words):
    w1 = enrol("w1")
    body = body.replace(b'"D"', json.dumps(w1.info.device_id).encode())
    answer = _raw(county, w1, "POST", "/api/v1/sync/push", data=body)
    assert answer.status_code == status, answer.text
    assert words in answer.json()["message"]
    assert server_count(county, "household") == 0 and server_count(county, "member") == 0


def test_oversized_and_bomb_bodies_are_refused(enrol, county):
    w1 = enrol("w1")
    big = b"[" + b" " * (MAX_BODY_BYTES + 10) + b"]"
    answer = _raw(county, w1, "POST", "/api/v1/sync/push", data=big)
    assert answer.status_code == 413 and "太大" in answer.json()["message"]
    bomb = gzip.compress(big)
    answer = _raw(county, w1, "POST", "/api/v1/sync/push", data=bomb, headers={"Content-Encoding": "gzip"})
    assert answer.status_code == 413
    answer = _raw(county, w1, "POST", "/api/v1/sync/push", data=b"not gzip", headers={"Content-Encoding": "gzip"})
    assert answer.status_code == 400 and "gzip" in answer.json()["message"]


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]


@pytest.mark.parametrize("damage, words", [
    (lambda z: z[:-8], "不完整"),           # the CRC-32 and length trailer cut off
    (lambda z: z[:-3], "不完整"),           # half the trailer
    (lambda z: z[:len(z) // 2], "不完整"),  # cut in the middle of the data
    (lambda z: _flip(z, len(z) - 6), "校验"),  # a wrong CRC-32
    (lambda z: _flip(z, len(z) - 2), "校验"),  # a wrong length
    (lambda z: z + b"\x00\x01", "多余"),     # bytes after the end
], ids=["no-trailer", "half-trailer", "cut-mid-data", "wrong-crc", "wrong-length", "extra-bytes"])
def test_a_gzip_body_cut_off_or_damaged_is_refused_and_nothing_written(enrol, county, damage, words):
    w1 = enrol("w1")
    body = PushRequest(batch_id="b-gz", device_id=w1.info.device_id, protocol=1, schema=w1.schema_revision(),
                       ops=[_household_op(GRID_W1)]).model_dump_json(by_alias=True).encode()
    answer = _raw(county, w1, "POST", "/api/v1/sync/push", data=damage(gzip.compress(body)),
                  headers={"Content-Encoding": "gzip"})
    assert answer.status_code == 400, answer.text
    assert "gzip" in answer.json()["message"] and words in answer.json()["message"]
    assert server_count(county, "household") == 0
    whole = _raw(county, w1, "POST", "/api/v1/sync/push", data=gzip.compress(body), headers={"Content-Encoding": "gzip"})
    assert whole.status_code == 200 and server_count(county, "household") == 1


def test_bad_queries_tokens_and_batches_of_another_device(enrol, county):
    w1 = enrol("w1")
    assert _raw(county, w1, "GET", "/api/v1/sync/changes?since=abc").status_code == 422
    assert _raw(county, w1, "GET", "/api/v1/sync/changes?limit=0").status_code == 422
    larger = _raw(county, w1, "GET", "/api/v1/sync/changes?limit=100000")  # a page of the server's size
    assert larger.status_code == 200 and larger.headers["Anju-Page-Rows"] == "2500"
    assert _raw(county, w1, "GET", "/api/v1/sync/changes", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert _raw(county, w1, "GET", "/api/v1/records/spaceship/1").status_code == 404
    body = PushRequest(batch_id="b", device_id="someone-else", protocol=1, schema=w1.schema_revision(),
                       ops=[_household_op(GRID_W1)]).model_dump_json(by_alias=True)
    answer = _raw(county, w1, "POST", "/api/v1/sync/push", data=body)
    assert answer.status_code == 403 and "设备" in answer.json()["message"]
    assert server_count(county, "household") == 0
    # A stranger hears that they must log in, whatever the body: not what is wrong with it, nothing written.
    stranger = {"Authorization": "Bearer nope"}
    mine = body.replace('"someone-else"', json.dumps(w1.info.device_id))
    for data in (mine, b"{not json", json.dumps({"batch_id": "b"})):
        answer = _raw(county, w1, "POST", "/api/v1/sync/push", data=data, headers=stranger)
        assert answer.status_code == 401 and answer.json()["error"] == "token_invalid", answer.text
    assert server_count(county, "household") == 0
    assert _raw(county, w1, "POST", "/api/v1/sync/push", data=mine).status_code == 200  # the same body, signed in
    assert server_count(county, "household") == 1


def test_a_batch_mixing_good_and_bad_ops_applies_the_good_ones(enrol, county):
    w1 = enrol("w1")
    client = _client(w1, county)
    good = _household_op(GRID_W1)
    bad = _household_op(GRID_W1, house_area=-5)
    member_of_nobody = Op(op_id="op-orphan", entity="member", row_id=new_id(), kind="upsert",
                          fields={"household_id": new_id(), "name": "张三", "relation": "head"}, hlc="h")
    results = _push(client, w1, [good, bad, member_of_nobody]).results
    client.close()
    assert [r.status for r in results] == ["applied", "rejected", "rejected"]
    assert "住房面积" in results[1].reason and "所属户不存在" in results[2].reason
    assert server_count(county, "household") == 1 and server_count(county, "member") == 0


def test_devices_racing_to_change_one_field_give_one_winner_and_conflicts_for_the_rest(enrol, county):
    """Pushes run side by side (on PostgreSQL they merge before taking the counter's lock and are
    done again, locked, when they raced): one value wins, every other is kept in a conflict."""
    from concurrent.futures import ThreadPoolExecutor

    w1 = enrol("w1")
    hid = new_household(w1)
    run_sync(w1)
    base = server_row(county, "household", hid)["server_seq"]
    devices = []
    for i in range(8):
        client = CountyServer(county.url, schema=w1.schema_revision())
        client.login("w1" if i % 2 else "w2", PASSWORD, f"racer-{i}")
        devices.append(client)

    def push(i: int):
        op = Op(op_id=f"op-race-{i}", entity="household", row_id=hid, kind="upsert",
                fields={"phone": f"1390000000{i}"}, base={"phone": base}, hlc="1790000000000-0001-x")
        return devices[i].push(PushRequest(batch_id=f"b-race-{i}", device_id=f"racer-{i}", protocol=1,
                                           schema=w1.schema_revision(), ops=[op])).results[0]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(push, range(8)))
    for client in devices:
        client.close()
    statuses = sorted(r.status for r in results)
    assert statuses == ["applied"] + ["conflict"] * 7
    winner = next(i for i, r in enumerate(results) if r.status == "applied")
    assert server_row(county, "household", hid)["phone"] == f"1390000000{winner}"
    from tests.sync.sync_helpers import open_conflicts

    kept = sorted(c["client_value"] for c in open_conflicts(county))
    assert kept == sorted(f"1390000000{i}" for i in range(8) if i != winner)
    seqs = [r.server_seq for r in results]
    assert len(set(seqs)) == 8 and min(seqs) > base  # every answer has its own, real sequence


# -- the server's own faults ------------------------------------------------------------------

def test_a_bug_in_the_server_answers_500_and_is_logged_not_blamed_on_the_client(enrol, county, monkeypatch, caplog):
    """A ValueError from the server's own code is its fault: 500 with a reference, the traceback in
    its log under that reference; the laptop hears "server error", never "your request was wrong"."""
    import sync.server.app as server_app

    w1 = enrol("w1")

    def broken(*_args, **_kwargs):
        raise ValueError("a bug in the county server")
    monkeypatch.setattr(server_app, "changes_since", broken)
    with caplog.at_level("ERROR", logger="sync.server.faults"):
        answer = _raw(county, w1, "GET", "/api/v1/sync/changes?since=0")
    assert answer.status_code == 500 and answer.json()["error"] == "server_error"
    reference = answer.json()["message"].split("编号 ")[1].split("）")[0]
    [record] = [r for r in caplog.records if r.name == "sync.server.faults"]
    assert reference in record.getMessage() and record.exc_info[0] is ValueError
    from sync.client import ServerUnreachable

    with pytest.raises(ServerUnreachable, match="县服务器出错"):
        run_sync(w1)


def test_a_laptop_gone_in_the_middle_of_sending_a_push_is_no_server_fault(enrol, county, caplog):
    """A laptop that loses its connection (or is shut) while its push is on its way is common in the
    field: the server logs one line, no traceback and no "server fault" for the county's IT office
    to chase, and goes on serving; the laptop's next sync sends the push whole."""
    w1 = enrol("w1")
    hid = new_household(w1, no="H-49901")
    host, port = county.url.removeprefix("http://").split(":")
    with caplog.at_level("INFO", logger="sync.server"):
        with socket.create_connection((host, int(port)), timeout=10) as cut_off:
            cut_off.sendall(("POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             f"Authorization: Bearer {w1.meta('server_token')}\r\nAnju-Protocol: 1\r\n"
                             f"Anju-Schema: {w1.schema_revision()}\r\nContent-Length: 200000\r\n\r\n"
                             '{"batch_id": "b-cut", "ops": [').encode())
            time.sleep(0.3)  # the server is reading the body
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any("went away" in r.getMessage() for r in caplog.records):
            time.sleep(0.05)
        run_sync(w1)
    assert any("went away before POST /api/v1/sync/push" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.name == "sync.server.faults" or r.exc_info]
    assert w1.pending_change_count() == 0  # the next sync sent it whole
    assert server_row(county, "household", hid)["household_no"] == "H-49901"  # and the server took it


def test_a_failed_statement_on_the_county_database_never_carries_its_values(db_url):
    """A database error's text, which the fault log and the server's stderr show, names the
    statement but never the names, ID numbers or phones bound to it."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from sync.server.db import make_engine

    engine = make_engine(db_url)
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table WHERE name = :name"), {"name": "王秘密-13800138000"})
    finally:
        engine.dispose()
    assert "no_such_table" in str(caught.value) and "13800138000" not in str(caught.value)


def test_a_stranger_hears_401_while_the_sqlite_county_is_busy_writing(enrol, county):
    """On SQLite a push's transaction holds the one writer lock: a push with a bad token is told to log
    in without waiting for it (it would wait up to a minute behind a long write)."""
    if not county.db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's writers do not wait for each other")
    w1 = enrol("w1")
    body = PushRequest(batch_id="b-busy", device_id=w1.info.device_id, protocol=1, schema=w1.schema_revision(),
                       ops=[_household_op(GRID_W1)]).model_dump_json(by_alias=True)
    writer = sqlite3.connect(county.db_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another write under way, for longer than the request may take
        answer = _raw(county, w1, "POST", "/api/v1/sync/push", data=body, headers={"Authorization": "Bearer nope"})
        assert answer.status_code == 401 and answer.json()["error"] == "token_invalid", answer.text
    finally:
        writer.rollback()
        writer.close()
    assert _raw(county, w1, "POST", "/api/v1/sync/push", data=body).status_code == 200
