"""The laptop's side of sync without a network: the outbox handed out and forgotten, and pulled
pages applied in one transaction with their cursor, never over the worker's pending edits."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from core.selftest import sample_household
from core.store.pull import PulledChange
from sync.batch import OutboxItem, build_ops

TODAY = date(2026, 11, 20)


def server_household(household_id: str, head_id: str, seq: int) -> list[PulledChange]:
    """A household and its head as the server sends them: the member's change first."""
    return [PulledChange(seq, "member", head_id, False, {"household_id": household_id, "name": "欧阳明",
                                                          "relation": "head", "birth_date": "1975-05-05"}),
            PulledChange(seq + 1, "household", household_id, False, {"household_no": "S-001", "room": "302"})]


def test_a_pulled_page_creates_rows_that_the_list_finds_and_moves_the_cursor(store):
    household_id, head_id = str(uuid.uuid4()), str(uuid.uuid4())
    result = store.apply_pulled(server_household(household_id, head_id, 10), next_cursor=11)
    assert (result.applied, result.cursor) == (2, 11) and store.pull_cursor() == 11
    assert [r.head_name for r in store.search_households("欧阳明")] == ["欧阳明"]
    record = store.get_household(household_id)
    assert record.household["server_seq"] == 11 and record.members[0]["birth_date"] == date(1975, 5, 5)
    assert store.pending_change_count() == 0  # what came from the server does not go back to it


def test_a_field_waiting_in_the_outbox_is_not_overwritten(store):
    household, members = sample_household(1)
    saved = store.save_household(household, members, TODAY)
    result = store.apply_pulled([PulledChange(20, "household", saved.id, False,
                                              {"phone": "13900000000", "room": "999"})], next_cursor=20)
    after = store.get_household(saved.id).household
    assert after["phone"] == household["phone"]  # the worker's phone waits to be pushed
    assert after["room"] == household["room"]     # so does every field of a new household
    assert result.kept_local == 2
    store.forget_outbox([e["seq"] for e in store.outbox()])  # the server has answered
    store.apply_pulled([PulledChange(21, "household", saved.id, False, {"room": "999"})], next_cursor=21)
    assert store.get_household(saved.id).household["room"] == "999"


def test_a_pulled_delete_hides_the_household(store):
    household, members = sample_household(2)
    saved = store.save_household(household, members, TODAY)
    store.forget_outbox([e["seq"] for e in store.outbox()])
    store.apply_pulled([PulledChange(30, "household", saved.id, True, {})], next_cursor=30)
    assert store.count_households() == 0


def test_a_page_that_fails_half_way_applies_nothing(store):
    household_id, head_id = str(uuid.uuid4()), str(uuid.uuid4())
    page = server_household(household_id, head_id, 10) + [
        PulledChange(12, "household", household_id, False, {"no_such_field": 1})]
    with pytest.raises(ValueError, match="no_such_field"):
        store.apply_pulled(page, next_cursor=12)
    assert store.pull_cursor() == 0 and store.count_households() == 0  # resume from where it was


def test_the_outbox_becomes_ops_and_leaves_once_answered(store):
    household, members = sample_household(3)
    saved = store.save_household(household, members, TODAY)
    entries = store.outbox()
    ops = build_ops([OutboxItem(**e) for e in entries], store.info.device_id, "b-1")
    assert {(o.entity, o.kind) for o in ops} == {("household", "upsert"), ("member", "upsert")}
    household_op = next(o for o in ops if o.entity == "household")
    assert household_op.row_id == saved.id and household_op.fields["household_no"] == household["household_no"]
    assert set(household_op.base.values()) == {0}  # made here, never synced
    store.forget_outbox([e["seq"] for e in entries])
    assert store.outbox() == [] and store.pending_change_count() == 0
