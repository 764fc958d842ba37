"""The wire format refuses what it cannot trust, saying where; the outbox becomes stable ops."""
from __future__ import annotations

import json
import uuid
from datetime import datetime

import pytest
from pydantic import ValidationError

from sync.batch import OutboxItem, build_ops
from sync.protocol import (
    MAX_BODY_BYTES, MAX_OPS_PER_BATCH, PushRequest, UpdateRequired, check_protocol, parse_push,
)

ROW = str(uuid.uuid4())


def op(**overrides) -> dict:  # noqa: ANN003
    return {"op_id": "op-1", "entity": "household", "row_id": ROW, "kind": "upsert",
            "fields": {"phone": "13812345678"}, "base": {"phone": 0}, "hlc": "0000000000001-0001-dev1", **overrides}


def push(*ops: dict, **overrides) -> bytes:  # noqa: ANN003
    return json.dumps({"batch_id": "b-1", "device_id": "dev1", "protocol": 1, "schema": "0004",
                       "ops": list(ops), **overrides}).encode()


def test_a_well_formed_push_is_read():
    request = parse_push(push(op(), op(op_id="op-2", kind="delete", fields={}, base={"*": 3})))
    assert request.schema_revision == "0004" and [o.kind for o in request.ops] == ["upsert", "delete"]


@pytest.mark.parametrize("bad, where", [
    (op(entity="grid"), "entity"),                         # reference data is the county's
    (op(entity="nonsense"), "entity"),
    (op(row_id="not-a-uuid"), "row_id"),
    (op(fields={"phone": "1", "salary": 3}), "salary"),   # not a field of a household
    (op(kind="delete", fields={"phone": "1"}), "delete carries no fields"),
    (op(fields={}), "at least one field"),
    (op(base={"room": 2}), "base names"),
    (op(kind="merge"), "kind"),
    (op(fields={"notes": "x" * 10_001}), "longer than"),
    (op(fields={"risk_types": {"a": 1}}), "risk_types"),  # an object is no field value
    (op(op_id="has space"), "op_id"),
])
def test_bad_ops_are_refused_naming_the_problem(bad, where):
    with pytest.raises(ValidationError) as refused:
        parse_push(push(bad))
    assert where in str(refused.value)


def test_malformed_oversized_and_overlong_requests_are_refused():
    with pytest.raises(ValueError):
        parse_push(b"{not json")
    with pytest.raises(ValueError, match="at most"):
        parse_push(b" " * (MAX_BODY_BYTES + 1))
    many = [op(op_id=f"op-{i}") for i in range(MAX_OPS_PER_BATCH + 1)]
    with pytest.raises(ValidationError):
        parse_push(push(*many))
    with pytest.raises(ValidationError, match="twice"):
        parse_push(push(op(), op()))
    with pytest.raises(ValidationError, match="extra"):
        parse_push(push(op(), surprise=1))


def test_an_old_protocol_is_told_to_update():
    check_protocol(PushRequest.model_validate_json(push()).protocol)
    with pytest.raises(UpdateRequired, match="需要更新"):
        check_protocol(0)


def item(seq: int, fields: dict, base: int = 0, kind: str = "upsert", row: str = ROW) -> OutboxItem:
    """One save of a record, as the outbox holds it."""
    return OutboxItem(seq=seq, entity="household", row_id=row, kind=kind, fields=fields, base_seq=base,
                      at=datetime(2026, 11, 23, 10, 0, seq))


def test_the_outbox_becomes_one_op_per_row_with_the_first_base_and_the_last_value():
    other = str(uuid.uuid4())
    ops = build_ops([item(1, {"phone": "1", "room": "501"}, base=4), item(2, {"notes": "a"}, base=4),
                     item(3, {"phone": "2", "notes": "b"}, base=7), item(4, {"room": "2"}, row=other),
                     item(5, {"building": "3"}, base=9)], "dev1", "b-1")
    assert [(o.row_id, o.kind) for o in ops] == [(ROW, "upsert"), (other, "upsert")]
    assert ops[0].fields == {"phone": "2", "room": "501", "notes": "b", "building": "3"}
    assert ops[0].base == {"phone": 4, "room": 4, "notes": 4, "building": 9}  # each field: its first save's
    assert ops[1].fields == {"room": "2"} and ops[1].base == {"room": 0}


def test_a_delete_replaces_the_edits_before_it_and_op_ids_are_stable():
    entries = [item(1, {"phone": "1"}, base=4), item(2, {}, base=4, kind="delete")]
    ops = build_ops(entries, "dev1", "b-1")
    assert len(ops) == 1 and ops[0].kind == "delete" and ops[0].base == {"*": 4}
    assert build_ops(list(reversed(entries)), "dev1", "b-1")[0].op_id == ops[0].op_id  # the frozen batch again
    # The same outbox numbers in a later batch (SQLite reuses them once the outbox is empty) are new ops.
    assert build_ops(entries, "dev1", "b-2")[0].op_id != ops[0].op_id
    assert build_ops(entries, "dev2", "b-1")[0].op_id != ops[0].op_id


def test_a_batch_frozen_before_an_upgrade_goes_again_with_the_same_op_ids():
    """Op ids were str(uuid.uuid5(namespace, "device|batch|entity|row")) before they were made by hand:
    a batch frozen then and sent again now must carry the same ids, or the server applies it twice."""
    namespace = uuid.UUID("6f6a1f0e-3d0b-4c52-9a43-2f1f6b9f7c11")
    for n, (entity, row_id) in enumerate([("member", str(uuid.uuid4())), ("household", "户-1"), ("visit", "x" * 36)]):
        entry = OutboxItem(n + 1, entity, row_id, "upsert", {"notes": "a"}, 0, datetime(2026, 12, 4, 8))
        device, batch = f"dev-{n}", f"b-{uuid.uuid4()}"
        [op] = build_ops([entry], device, batch)
        assert op.op_id == str(uuid.uuid5(namespace, f"{device}|{batch}|{entity}|{row_id}"))


def test_the_push_body_written_directly_is_the_protocols_own_json_and_passes_its_checks():
    """The client writes a batch's JSON itself (sync.push.push_body): it must be what PushRequest
    would give and what the server's parser takes, for upserts of every kind of value and a delete."""
    from sync.push import push_body
    from sync.protocol import PROTOCOL_VERSION, AuditHead

    entries = [item(1, {"phone": "13800138000", "house_area": 72.5, "relocation_year": 2019,
                        "notes": None, "risk_types": ["illness", "disability"]}, base=3),
               item(2, {}, base=5, kind="delete", row=str(uuid.uuid4()))]
    ops = build_ops(entries, "dev1", "b-1")
    audit = AuditHead(seq=7, hash="a" * 64, anchor_seq=5, anchor_hash="b" * 64)
    body = push_body("b-1", "dev1", "0009", ops, audit)
    request = PushRequest(batch_id="b-1", device_id="dev1", protocol=PROTOCOL_VERSION, schema="0009",
                          ops=[op._asdict() for op in ops], audit=audit)
    assert body == request.model_dump(mode="json", by_alias=True)
    assert parse_push(json.dumps(body)) == request
