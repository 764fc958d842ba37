"""Regressions found by a review of the county server and sync: each test once failed."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.models import new_id
from sync.client import CountyServer, pull_changes, SyncReport, server_for
from sync.protocol import Op
from sync.server.models import row_state
from tests.sync.sync_helpers import (
    GRID_W1, GRID_W3, add_member, edit_household, household, members, new_household, open_conflicts, run_sync,
    server_count, server_row,
)
from tests.sync.test_server_rules import _client, _household_op, _push, _raw


def _state_seq(county, entity, row_id):
    with county.engine.connect() as conn:
        return conn.execute(select(row_state.c.seq).where(row_state.c.entity == entity,
                                                          row_state.c.row_id == row_id)).scalar_one()


# 1. A worker writes (a new sequence, RESEND stamp) on a household outside their grid by sending a bad value.
def test_bad_value_for_out_of_scope_record_writes_nothing(enrol, county):
    w1, w3 = enrol("w1"), enrol("w3")
    theirs = new_household(w1)
    run_sync(w1)
    before = _state_seq(county, "household", theirs)
    client = _client(w3, county)
    [r] = _push(client, w3, [Op(op_id=f"op-{new_id()}", entity="household", row_id=theirs, kind="upsert",
                               fields={"relocation_year": "not a year"}, hlc="1790000000000-0001-x")]).results
    client.close()
    assert r.status == "rejected"
    assert "不在您的工作范围" in r.reason, r.reason          # answer should be "out of scope"
    assert _state_seq(county, "household", theirs) == before  # and nothing written


# 2. A client's mistake (since beyond 64 bits) gives a 500.
def test_huge_since_is_a_4xx_not_500(enrol, county):
    w1 = enrol("w1")
    answer = _raw(county, w1, "GET", "/api/v1/sync/changes", params={"since": 10**20, "limit": 10})
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:200])


# 3. A NUL character in a text value gives a 500 on PostgreSQL.
def test_nul_in_text_is_rejected_not_500(enrol, county):
    from sync.server.demo import SETTLEMENT_ID

    w1 = enrol("w1")
    op = {"op_id": f"op-{new_id()}", "entity": "household", "row_id": new_id(), "kind": "upsert",
          "fields": {"household_no": "X-nul", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1, "room": "10\x001"},
          "base": {}, "hlc": "1790000000000-0001-x"}
    body = {"batch_id": "b-nul", "device_id": w1.info.device_id, "protocol": 1, "schema": w1.schema_revision(),
            "ops": [op]}
    answer = _raw(county, w1, "POST", "/api/v1/sync/push", data=json.dumps(body).encode(),
                  headers={"Content-Type": "application/json"})
    assert answer.status_code < 500, (answer.status_code, answer.text[:300])


# 4. A conflict on one field with another field applied in the same op: when the device's cursor already
#    passed the other device's change, the record is not sent back and the device keeps its losing value.
def test_mixed_conflict_and_apply_converges(enrol, county):
    w1 = enrol("w1")
    hid = new_household(w1)
    run_sync(w1)
    w2 = enrol("w2")
    edit_household(w1, hid, phone="13800138000")       # w1's edit, waiting in its outbox
    edit_household(w2, hid, phone="13900139000")
    run_sync(w2)                                        # server: phone = w2's
    server = server_for(w1)
    pull_changes(w1, server, SyncReport())              # w1 pulls (phone kept back: pending); cursor moves on
    edit_household(w1, hid, room="909")
    run_sync(w1)                                        # phone: conflict; room: applied
    server.close()
    run_sync(w1)
    on_server = server_row(county, "household", hid)
    assert on_server["phone"] == "13900139000" and on_server["room"] == "909"
    assert [c["field"] for c in open_conflicts(county)] == ["phone"]
    assert household(w1, hid)["phone"] == on_server["phone"]   # once kept its own losing phone


# 5. A household moved to another grid reaches the new grid's worker without its members.
def test_household_moved_to_another_grid_arrives_with_its_members(enrol, county):
    w1, w3, c1 = enrol("w1"), enrol("w3"), enrol("c1")
    hid = new_household(w1)
    add_member(w1, hid, "王小红", "daughter", "20120304")
    run_sync(w1)
    run_sync(w3)                                        # w3's cursor passes the members (not in its grid yet)
    run_sync(c1)
    edit_household(c1, hid, grid_id=GRID_W3)            # the clerk moves the household to grid 02
    assert run_sync(c1).pushed == {"applied": 1}
    assert server_row(county, "household", hid)["grid_id"] == GRID_W3
    run_sync(w3)
    assert household(w3, hid)["grid_id"] == GRID_W3
    assert server_count(county, "member", household_id=hid) == 2
    assert len(members(w3, hid)) == 2                   # once 0: their sequences were older than w3's cursor


# 6. A member added to a household someone else deleted: the clerk cannot restore with "client".
def test_clerk_restores_household_for_a_member_added_after_its_delete(enrol, county):
    w1 = enrol("w1")
    hid = new_household(w1)
    run_sync(w1)
    w2 = enrol("w2")
    w1.delete("household", hid)
    run_sync(w1)
    add_member(w2, hid, "王小红", "daughter", "20120304")
    run_sync(w2)
    parent_conflicts = [c for c in open_conflicts(county) if c["entity"] == "household" and c["kind"] == "edit_deleted"]
    assert parent_conflicts, open_conflicts(county)
    c1 = enrol("c1")
    clerk = CountyServer(county.url, token=c1.meta("server_token"), schema=c1.schema_revision())
    try:
        clerk.resolve(parent_conflicts[0]["id"], "client")   # once 409: "'member' is not a field of a household"
    finally:
        clerk.close()
    assert not server_row(county, "household", hid)["deleted"]


# 7. Logout is said to revoke the token, but it revokes the device: the same laptop can never log in again.
def test_logout_then_login_again_from_the_same_device(enrol, county):
    from tests.sync.conftest import PASSWORD

    w1 = enrol("w1")
    answer = _raw(county, w1, "POST", "/api/v1/auth/logout")
    assert answer.status_code == 200
    client = CountyServer(county.url, schema=w1.schema_revision())
    try:
        client.login("w1", PASSWORD, w1.info.device_id, "laptop")   # once refused: logout revoked the device
    finally:
        client.close()


# 8. Visit A moved from February to March, then a new visit B for February, in one batch: the merge lets it
#    through, but the flush inserts B before updating A, so the partial unique index fails, the retry fails
#    again, the whole batch was answered 409 and stayed frozen: the laptop could never sync again. Now a
#    batch the database refuses is applied op by op.
def test_visit_moved_to_another_month_and_a_new_one_in_its_place(enrol, county):
    from sync.client import SyncError

    w1 = enrol("w1")
    hid = new_household(w1)
    feb, mar = "2025-02", "2025-03"
    a = w1.save_visit({"household_id": hid, "month": feb, "visit_date": "2025-02-10"}, []).id
    run_sync(w1)
    w1.save_visit({"id": a, "household_id": hid, "month": mar, "visit_date": "2025-03-10"}, [])
    b = w1.save_visit({"household_id": hid, "month": feb, "visit_date": "2025-02-20"}, []).id
    try:
        run_sync(w1)                                      # once 409 for the whole batch, for ever
    except SyncError as exc:
        pytest.fail(f"sync refused: {exc}")
    assert server_row(county, "visit", a)["month"] == mar
    assert server_row(county, "visit", b)["month"] == feb


# 9. A visit deleted (with its member rows) on one laptop while another edited the visit: the visit's delete
#    is a conflict and the visit is kept, but its member rows' deletes are applied: the kept visit loses them.
#    (merge.py keeps back only the children of a kept *household*.)
def test_a_kept_visit_keeps_its_member_rows(enrol, county):
    w1 = enrol("w1")
    hid = new_household(w1)
    [head] = members(w1, hid)
    a = w1.save_visit({"household_id": hid, "month": "2025-02", "visit_date": "2025-02-10"},
                      [{"member_id": head["id"], "employment_status": "employed", "income": 3000}]).id
    run_sync(w1)
    w2 = enrol("w2")
    w1.save_visit({"id": a, "household_id": hid, "month": "2025-02", "visit_date": "2025-02-10", "notes": "复访"},
                  [{"id": r, "member_id": head["id"], "employment_status": "employed", "income": 3000}
                   for r in [server_vm(county, a)]])
    w2.delete("visit", a)
    run_sync(w1)
    assert server_count(county, "visit_member", visit_id=a, deleted=False) == 1
    run_sync(w2)
    assert not server_row(county, "visit", a)["deleted"]               # kept: the delete met an edit
    assert server_count(county, "visit_member", visit_id=a, deleted=False) == 1   # once 0


def server_vm(county, visit_id):
    from sqlalchemy import select as _select

    from sync.server.models import ENTITY_TABLES
    t = ENTITY_TABLES["visit_member"]
    with county.engine.connect() as conn:
        return conn.execute(_select(t.c.id).where(t.c.visit_id == visit_id)).scalar_one()


# 10. A record pointing at a member of another household (perhaps of another grid) was accepted: a
#     device pulling it without that member failed its foreign-key check on every pull.
def test_a_record_cannot_point_into_another_household(enrol, county):
    w1, w3 = enrol("w1"), enrol("w3")
    mine, theirs = new_household(w1), new_household(w3, grid_id=GRID_W3)
    run_sync(w1)
    run_sync(w3)
    [their_head] = members(w3, theirs)
    client = _client(w1, county)
    [r] = _push(client, w1, [Op(op_id=f"op-{new_id()}", entity="employment", row_id=new_id(), kind="upsert",
                               fields={"household_id": mine, "member_id": their_head["id"], "start_month": "2025-01"},
                               hlc="1790000000000-0001-x")]).results
    client.close()
    assert r.status == "rejected" and "不属于这一户" in r.reason
    assert server_count(county, "employment") == 0


# 11. A list given for a text field was stored as the text "['a', 'b']".
def test_a_list_for_a_text_field_is_rejected(enrol, county):
    w1 = enrol("w1")
    client = _client(w1, county)
    [r] = _push(client, w1, [_household_op(GRID_W1, room=["1", "2"])]).results
    client.close()
    assert r.status == "rejected" and "房号" in r.reason and "应为文字" in r.reason
