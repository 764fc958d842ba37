"""Two workers' laptops and a clerk's, syncing with a real county server over HTTP, on SQLite
and on PostgreSQL: edits merge field by field, clashes become conflicts a clerk settles, a delete
that meets an edit loses nothing."""
from __future__ import annotations

import json

import pytest

from sync.client import CountyServer
from tests.sync.sync_helpers import (
    add_member, edit_household, household, members, new_household, open_conflicts, phone_conflict, run_sync,
    server_count,
    server_row,
)


@pytest.fixture
def shared(enrol):
    """w1 made a household and synced; w2 (same grid) enrolled after and has it too."""
    w1 = enrol("w1")
    hid = new_household(w1, head="王建国")
    run_sync(w1)
    w2 = enrol("w2")
    assert household(w2, hid)["household_no"] == household(w1, hid)["household_no"]
    return w1, w2, hid


@pytest.mark.parametrize("first", ["w1", "w2"])
def test_edits_of_different_fields_both_survive_in_either_order(shared, county, first):
    w1, w2, hid = shared
    edit_household(w1, hid, phone="13800138000")
    edit_household(w2, hid, room="302", house_area=88.5)
    order = [w1, w2] if first == "w1" else [w2, w1]
    for store in order + order:  # each syncs twice: the second pull brings the other's edit
        run_sync(store)
    on_server = server_row(county, "household", hid)
    assert (on_server["phone"], on_server["room"], on_server["house_area"]) == ("13800138000", "302", 88.5)
    for store in (w1, w2):
        h = household(store, hid)
        assert (h["phone"], h["room"], h["house_area"]) == ("13800138000", "302", 88.5)
        assert store.pending_change_count() == 0
    assert open_conflicts(county) == []


def test_same_field_changed_twice_is_a_conflict_a_clerk_resolves_for_everyone(shared, county, enrol):
    w1, w2, hid = shared
    edit_household(w1, hid, phone="13800138000")
    edit_household(w2, hid, phone="13900139000")
    first = run_sync(w1)
    second = run_sync(w2)
    assert first.pushed == {"applied": 1}
    assert second.pushed == {"conflict": 1}
    [conflict] = open_conflicts(county)
    assert (conflict["entity"], conflict["row_id"], conflict["field"]) == ("household", hid, "phone")
    assert (conflict["server_value"], conflict["server_author"]) == ("13800138000", "w1")
    assert (conflict["client_value"], conflict["client_author"]) == ("13900139000", "w2")
    # The server kept the first value and w2's laptop now shows it too; nothing is waiting.
    assert household(w2, hid)["phone"] == "13800138000" and w2.pending_change_count() == 0

    c1 = enrol("c1")  # the village clerk receives the conflict with the households of the village
    assert [c["id"] for c in c1.conflicts()] == [conflict["id"]]
    clerk = CountyServer(county.url, token=c1.meta("server_token"), schema=c1.schema_revision())
    clerk.resolve(conflict["id"], "client")
    clerk.close()
    for store in (c1, w1, w2):
        run_sync(store)
        assert household(store, hid)["phone"] == "13900139000"
    assert open_conflicts(county) == []
    assert c1.conflicts(open_only=True) == []


def test_a_delete_that_meets_an_edit_is_a_conflict_and_nothing_is_lost(shared, county):
    w1, w2, hid = shared
    edit_household(w1, hid, phone="13800138000")
    w2.delete("household", hid)
    run_sync(w1)
    report = run_sync(w2)
    assert report.pushed.get("conflict", 0) >= 1
    row = server_row(county, "household", hid)
    assert not row["deleted"] and row["phone"] == "13800138000"
    kinds = {(c["entity"], c["field"], c["kind"]) for c in open_conflicts(county)}
    assert ("household", "*", "delete_edit") in kinds
    # w2's laptop gets the household back as the server holds it, edit included.
    assert household(w2, hid)["phone"] == "13800138000"


def test_a_delete_after_a_synced_edit_reaches_the_server(shared, county):
    """Found by the property test: the outbox numbers start again at 1 once it is empty, so op ids
    made from them repeated an earlier op's id and the server answered the delete from its store."""
    _w1, w2, hid = shared
    edit_household(w2, hid, phone="13900139000")
    run_sync(w2)
    w2.delete("household", hid)
    assert run_sync(w2).pushed == {"applied": 2}  # the household and its member
    assert server_row(county, "household", hid)["deleted"]


def test_an_edit_that_meets_a_delete_keeps_the_edit_in_a_conflict(shared, county):
    w1, w2, hid = shared
    w1.delete("household", hid)
    edit_household(w2, hid, phone="13900139000")
    run_sync(w1)
    report = run_sync(w2)
    assert report.pushed.get("conflict", 0) == 1
    assert server_row(county, "household", hid)["deleted"]
    [conflict] = [c for c in open_conflicts(county) if c["entity"] == "household"]
    assert conflict["kind"] == "edit_deleted" and conflict["client_value"] == {"phone": "13900139000"}


def test_members_added_by_two_workers_both_arrive(shared, county):
    w1, w2, hid = shared
    a = add_member(w1, hid, "王小红", "daughter", "20120304")
    b = add_member(w2, hid, "李桂英", "spouse", "19870506")
    for store in (w1, w2, w1):
        run_sync(store)
    names = {m["name"] for m in members(w1, hid)}
    assert {"王建国", "王小红", "李桂英"} <= names
    assert {m["name"] for m in members(w2, hid)} == names
    assert server_row(county, "member", a)["name"] == "王小红"
    assert server_row(county, "member", b)["household_id"] == hid
    assert server_count(county, "member", household_id=hid) == 3


def test_an_invalid_value_is_rejected_with_the_field_named_and_not_written(shared, county):
    """A value that passed an old laptop's rules but breaks the server's is refused per op."""
    w1, _w2, hid = shared
    from sync.protocol import Op, PushRequest  # built by hand, as an older laptop would send it

    server = CountyServer(county.url, token=w1.meta("server_token"), schema=w1.schema_revision())
    bad = Op(op_id="op-bad-1", entity="household", row_id=hid, kind="upsert",
             fields={"relocation_year": 1890, "phone": "13700137000"}, base={"relocation_year": 99, "phone": 99},
             hlc="0000000000001-0000-x")
    answer = server.push(PushRequest(batch_id="b-bad", device_id=w1.info.device_id, protocol=1,
                                     schema=w1.schema_revision(), ops=[bad]))
    server.close()
    [result] = answer.results
    assert result.status == "rejected" and "搬迁年度" in result.reason
    row = server_row(county, "household", hid)
    assert row["relocation_year"] is None and row["phone"] != "13700137000"


def test_conflict_values_keep_both_authors_and_times(shared, county):
    w1, w2, hid = shared
    edit_household(w1, hid, notes="一楼漏水")
    edit_household(w2, hid, notes="已修好")
    run_sync(w1)
    run_sync(w2)
    [c] = open_conflicts(county)
    assert c["server_device"] == w1.info.device_id and c["client_device"] == w2.info.device_id
    assert c["server_at"] is not None and c["client_at"] is not None
    assert json.loads(json.dumps(c["client_value"])) == "已修好"


def test_the_clerk_can_also_keep_the_server_value_or_type_another(shared, county, enrol):
    w1, w2, hid = shared
    edit_household(w1, hid, phone="13800138000", room="501")
    edit_household(w2, hid, phone="13900139000", room="502")
    run_sync(w1)
    run_sync(w2)
    by_field = {c["field"]: c for c in open_conflicts(county)}
    assert set(by_field) == {"phone", "room"}
    c1 = enrol("c1")
    clerk = CountyServer(county.url, token=c1.meta("server_token"), schema=c1.schema_revision())
    clerk.resolve(by_field["phone"]["id"], "server")
    first = clerk.resolve(by_field["room"]["id"], "value", "503")
    # the same choice sent again (its answer lost on the way back) is done, not refused, and applies nothing
    assert clerk.resolve(by_field["room"]["id"], "value", "503") == first
    with pytest.raises(Exception, match="已由 c1 处理过"):
        clerk.resolve(by_field["room"]["id"], "value", "504")
    clerk.close()
    run_sync(w2)
    h = household(w2, hid)
    assert (h["phone"], h["room"]) == ("13800138000", "503")


def test_a_worker_may_not_resolve_conflicts(enrol, county):
    _w1, w2, _hid = phone_conflict(enrol)
    [c] = open_conflicts(county)
    worker = CountyServer(county.url, token=w2.meta("server_token"), schema=w2.schema_revision())
    with pytest.raises(Exception, match="只有村文书"):
        worker.resolve(c["id"], "client")
    worker.close()
    assert len(open_conflicts(county)) == 1
