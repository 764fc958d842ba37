"""A push applied on the county server: one transaction, one answer per op (docs/protocol.md, "Push").

For each op, in this order:
1. an op this device sent before returns its stored answer, and nothing happens again (answers are
   kept per device: another device's op with the same op id is another op);
2. the record, and the household it belongs to, must be in the caller's scope (before and after);
3. per field: a field nobody else changed since the op's `base` takes the new value; a field
   changed meanwhile to the same value is left; a field changed meanwhile to another value is a
   conflict: the server keeps its value and a conflict record keeps the other, with both authors;
4. a delete that meets an edit, or an edit that meets a delete, is a conflict; the record stays
   as the server has it;
5. the merged record is checked with core/'s rules; a broken rule rejects the op with the reason.
A device's own earlier changes never conflict with its later ones.
"""
from __future__ import annotations

import functools
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Literal

from pydantic import TypeAdapter
from sqlalchemy import Connection, Select, bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError

from core.among import among_param, among_values, keys_param, one_per_key
from core.models import ONE_PER, SYNCED_ENTITIES
from core.models.base import data_defaults
from core.models.conflict import DELETE_MET_EDIT, EDIT_MET_DELETE, FIELD_CONFLICT, OPEN, ROW_FIELD
from core.validation import errors
from core.validation.fields import ENTITY_LABELS, label
from core.validation.normalize import normalize
from core.validation.rows import validate_record
from core.wire_values import same_value, to_wire
from sync.protocol import ADMIN_ENTITIES, ROW_BASE, Op, OpResult, PushRequest, PushResponse
from sync.server import numbers
from sync.server.accounts import Caller, allowed_grid_ids
from sync.server.models import ENTITY_TABLES, SERVER_DEVICE, applied_op, departure
from sync.server.rows import BOOKKEEPING, ENTITY_ORDER, Record, Rows, insert_rows, references

_CONFLICT_NAMESPACE = uuid.UUID("0c1f5a52-77c4-4a4e-8f0e-5b7d2f1a9e63")


class Rejected(Exception):
    """One op cannot be applied; the message says why, in Chinese then English."""


class OutOfScope(Rejected):
    """The record or its household is outside the caller's scope: nothing about it is written, and
    the answer tells nothing about it either (not its number, not whether it exists)."""


# The same words whether the household is in another grid or does not exist at all.
HOUSEHOLD_NOT_IN_SCOPE = "这一户不在您的工作范围内（网格），不能修改。 / This household is outside your scope."
NOT_IN_SCOPE = "所属户不存在，或不在您的工作范围内，不能修改。 / Its household does not exist or is outside your scope."
ADMIN_ONLY = "县级设置只有县管理员可以修改。 / Only a county admin changes the county's settings."

def _one_per_message(entity: str, key: dict[str, Any], other_id: str) -> str:
    if entity == "visit":
        return (f"本户 {key['month']} 已有走访记录（{other_id}）。 / "
                f"This household already has a visit for {key['month']}.")
    if entity == "household_income":
        return f"本户 {key['year']} 年已有收入记录（{other_id}）。 / This household already has its income of {key['year']}."
    return (f"这位成员 {key['year']} 年已有这项保险的记录（{other_id}）。 / "
            f"This member already has a record of this insurance for {key['year']}.")


@dataclass
class Merger:
    """The state of one push (or one resolution) inside its transaction."""

    rows: Rows
    caller: Caller
    today: date
    grids: frozenset[str] | None  # the grid ids in scope; None for a county admin without limits
    # Records whose delete met an edit in this push: the deletes of the records under them that came
    # with it (a household, visit or grievance deleted with everything under it) are kept back too.
    kept: set[tuple[str, str]] = field(default_factory=set)

    # -- scope ---------------------------------------------------------------------------
    def household_of(self, entity: str, values: dict[str, Any]) -> str | None:
        return values.get("id") if entity == "household" else values.get("household_id")

    def check_scope(self, entity: str, values: dict[str, Any]) -> Record | None:
        """The household a record belongs to, which must exist and be in the caller's scope; the
        county's settings belong to no household, and only a county admin changes them."""
        if entity in ADMIN_ENTITIES:
            if self.caller.role != "admin":
                raise OutOfScope(ADMIN_ONLY)
            return None
        household_id = self.household_of(entity, values)
        household = values if entity == "household" else None
        if household is None:
            found = self.rows.get("household", household_id)
            if found is None:
                raise OutOfScope(NOT_IN_SCOPE)
            household = found.values
        grid_id = household.get("grid_id")
        if self.grids is not None and grid_id not in self.grids:
            raise OutOfScope(HOUSEHOLD_NOT_IN_SCOPE if entity == "household" else NOT_IN_SCOPE)
        return None if entity == "household" else self.rows.get("household", household_id)

    # -- one op --------------------------------------------------------------------------
    def apply(self, op: Op) -> OpResult:
        record = self.rows.get(op.entity, op.row_id)
        if op.kind == "delete":
            return self._delete(op, record)
        if record is None:
            return self._create(op, self._coerce(op))
        self.check_scope(op.entity, record.values)  # before anything else is said or written about it
        values = self._coerce(op)
        if record.deleted:
            return self._conflict_result(op, [self._row_conflict(op, record, EDIT_MET_DELETE)], record)
        return self._update(op, record, values)

    def _coerce(self, op: Op) -> dict[str, Any]:
        model = SYNCED_ENTITIES[op.entity]
        values, problems = normalize(model, dict(op.fields))
        _reject_if(op.entity, problems)
        return values

    def _create(self, op: Op, values: dict[str, Any]) -> OpResult:
        table = ENTITY_TABLES[op.entity]
        full = {**data_defaults(table), **values, "id": op.row_id}
        parent = self.check_scope(op.entity, full)
        self.check_record(op.entity, full)
        record = self.rows.create(op.entity, full, self.caller.username, self.caller.device_id,
                                  self.household_of(op.entity, full))
        conflicts = self._parent_deleted(op, parent)
        if conflicts:
            return self._conflict_result(op, conflicts, record, touch=False)
        return OpResult(op_id=op.op_id, status="applied", server_seq=record.state["seq"])

    def _update(self, op: Op, record: Record, values: dict[str, Any]) -> OpResult:
        applying: dict[str, Any] = {}
        clashing: list[str] = []
        for name, value in values.items():
            if same_value(record.values.get(name), value):
                continue
            version = record.version(name)
            if version.seq > op.base.get(name, 0) and version.device != self.caller.device_id:
                clashing.append(name)
            else:
                applying[name] = value
        merged = {**record.values, **applying}
        if applying:
            self.check_scope(op.entity, merged)  # a record moved to another household or grid
            self.check_record(op.entity, merged)
        conflicts = [self._field_conflict(op, record, name, values[name]) for name in clashing]
        seq = None
        left_grid = record.values.get("grid_id")  # before the change: a household leaving a grid is noted
        if applying:
            seq = self.rows.change(record, applying, self.caller.username, self.caller.device_id,
                                   self.household_of(op.entity, merged))
            if op.entity == "household" and "grid_id" in applying:
                self.resend_household(record.id)
                self.note_departure(record.id, left_grid, applying["grid_id"])
        if conflicts:  # sent again to every device: the one that lost holds its own value
            return self._conflict_result(op, conflicts, record)
        status: Literal["applied", "unchanged"] = "applied" if applying else "unchanged"
        return OpResult(op_id=op.op_id, status=status, server_seq=seq or record.state["seq"])

    def _delete(self, op: Op, record: Record | None) -> OpResult:
        if record is None:
            return OpResult(op_id=op.op_id, status="unchanged")  # made and deleted offline: nothing to do
        self.check_scope(op.entity, record.values)
        if record.deleted:
            return OpResult(op_id=op.op_id, status="unchanged", server_seq=record.state["seq"])
        kept_parent = any((target, record.values.get(column)) in self.kept for column, target in references(op.entity))
        if kept_parent or record.changed_since(op.base.get(ROW_BASE, 0), self.caller.device_id):
            self.kept.add((op.entity, record.id))
            return self._conflict_result(op, [self._row_conflict(op, record, DELETE_MET_EDIT)], record)
        seq = self.rows.change(record, {"deleted": True}, self.caller.username, self.caller.device_id)
        return OpResult(op_id=op.op_id, status="applied", server_seq=seq)

    def resend_household(self, household_id: str) -> None:
        """A household moved to another grid: everything under it gets a new sequence, so that the
        devices of the new grid, whose cursors are long past those records, pull them."""
        for entity in ENTITY_ORDER:
            table = ENTITY_TABLES[entity]
            if entity == "household" or "household_id" not in table.c:
                continue
            ids = list(self.rows.conn.execute(select(table.c.id).where(table.c.household_id == household_id)).scalars())
            self.rows.preload([(entity, i) for i in ids], existing=True)
            for row_id in ids:
                record = self.rows.get(entity, row_id)
                if record is not None:
                    self.rows.touch(record)

    def note_departure(self, household_id: str, left: str | None, joined: str | None) -> None:
        """The grid a household left keeps its id, so that its laptops are told to let it go; coming
        back to a grid clears it."""
        conn = self.rows.conn
        conn.execute(delete(departure).where(departure.c.household_id == household_id,
                                             departure.c.from_grid_id == joined))
        if left and not conn.execute(select(departure.c.household_id).where(
                departure.c.household_id == household_id, departure.c.from_grid_id == left)).first():
            conn.execute(insert(departure).values(household_id=household_id, from_grid_id=left))

    # -- rules ---------------------------------------------------------------------------
    def check_record(self, entity: str, values: dict[str, Any]) -> None:
        problems = validate_record(entity, values, self.today)
        for column, targets, required in _column_rules(entity):
            for target_entity, in_household in targets:
                self._check_reference(entity, values, column, target_entity, in_household)
            if required and values.get(column) is None:
                zh, en = label(entity, column)
                raise Rejected(f"{zh}：不能为空。 / {en}: is required.")
        _reject_if(entity, problems)
        if entity in ONE_PER and not values.get("deleted"):
            key = {name: values[name] for name in ONE_PER[entity]}
            clash = [r for r in self.rows.find(entity, **key) if r.id != values["id"]]
            if clash:
                raise Rejected(_one_per_message(entity, key, clash[0].id))

    def _check_reference(self, entity: str, values: dict[str, Any], column: str, target_entity: str,
                         in_household: bool) -> None:
        """The record pointed to exists and, when it belongs to a household (a member, a visit, a
        grievance, a job: `in_household`), to this record's household: no reaching into another
        household or grid."""
        target = values.get(column)
        if target is None:
            return
        found = self.rows.get(target_entity, target)
        if in_household:
            # One answer whether it does not exist or belongs to another household, perhaps out of scope.
            if found is None or ("household_id" in values and found.values["household_id"] != values["household_id"]):
                zh, en = label(entity, column)
                raise Rejected(f"{zh}：所指的记录不存在，或不属于这一户。 / {en}: no such record in this household.")
        elif found is None:
            zh, en = label(entity, column)
            raise Rejected(f"{zh}：所指的记录不存在（{target}）。 / {en}: no such record {target}.")

    # -- conflicts -----------------------------------------------------------------------
    def _field_conflict(self, op: Op, record: Record, name: str, value: Any) -> Record:
        version = record.version(name)
        return self._make_conflict(op, record, name, FIELD_CONFLICT, to_wire(record.values.get(name)),
                                   to_wire(value), version.user, version.device, version.at)

    def _row_conflict(self, op: Op, record: Record, kind: str) -> Record:
        if kind == DELETE_MET_EDIT:  # the server's side: what changed since the device last saw it
            changed = record.changed_since(op.base.get(ROW_BASE, 0), self.caller.device_id)
            server: Any = {n: to_wire(record.values.get(n)) for n in changed if n in record.values}
            client: Any = "deleted"
            version = max((record.version(n) for n in changed if n != "(created)"), key=lambda v: v.seq,
                          default=record.version("(created)"))
        else:
            server, client = "deleted", dict(op.fields)
            version = record.version("*")
        return self._make_conflict(op, record, ROW_FIELD, kind, server, client, version.user, version.device, version.at)

    def _parent_deleted(self, op: Op, parent: Record | None) -> list[Record]:
        """A record added to a household someone else deleted is kept, and the clerk is asked."""
        if parent is None or not parent.deleted or parent.version("*").device == self.caller.device_id:
            return []
        version = parent.version("*")
        return [self._make_conflict(op, parent, ROW_FIELD, EDIT_MET_DELETE, "deleted",
                                    {op.entity: dict(op.fields)}, version.user, version.device, version.at)]

    def _make_conflict(self, op: Op, record: Record, name: str, kind: str, server_value: Any, client_value: Any,
                       server_user: str, server_device: str, server_at: str) -> Record:
        household_id = self.household_of(record.entity, record.values)
        values = {
            "id": str(uuid.uuid5(_CONFLICT_NAMESPACE,
                                 f"{self.caller.device_id}|{op.op_id}|{record.entity}|{record.id}|{name}")),
            "entity": record.entity, "row_id": record.id, "field": name, "household_id": household_id,
            "kind": kind, "server_value": json.dumps(server_value, ensure_ascii=False),
            "client_value": json.dumps(client_value, ensure_ascii=False),
            "server_author": server_user, "server_device": server_device, "server_at": datetime.fromisoformat(server_at),
            "client_author": self.caller.username, "client_device": self.caller.device_id,
            "client_at": _hlc_time(op.hlc) or self.rows.now, "status": OPEN, "resolution": None,
            "resolved_by": None, "resolved_at": None,
        }
        return self.rows.create("conflict", values, "server", SERVER_DEVICE, household_id)

    def _conflict_result(self, op: Op, conflicts: list[Record], record: Record, touch: bool = True) -> OpResult:
        seq = self.rows.touch(record) if touch else record.state["seq"]
        return OpResult(op_id=op.op_id, status="conflict", server_seq=seq, conflict_ids=[c.id for c in conflicts])


@functools.cache
def _column_rules(entity: str) -> tuple[tuple[str, tuple[tuple[str, bool], ...], bool], ...]:
    """The columns of an entity that check_record checks, in table order: (column, the entities its
    foreign keys point to, each with whether it belongs to a household other than by being one,
    whether it is required). Worked out once, not once a record."""
    rules = []
    for column in ENTITY_TABLES[entity].columns:
        if column.key == "id":
            continue
        targets = tuple((name, name != "household" and "household_id" in ENTITY_TABLES[name].c)
                        for name in (fk.column.table.name for fk in column.foreign_keys))
        required = not column.nullable and column.key not in BOOKKEEPING
        if targets or required:
            rules.append((column.key, targets, required))
    return tuple(rules)


def _reject_if(entity: str, problems: list) -> None:  # noqa: ANN001
    wrong = errors(problems)
    if wrong:
        zh_entity, en_entity = ENTITY_LABELS.get(entity, (entity, entity))
        raise Rejected(f"{zh_entity}：" + "；".join(p.zh for p in wrong) + " / "
                       + f"{en_entity}: " + "; ".join(p.en for p in wrong))


def _hlc_time(hlc: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(hlc.split("-", 1)[0]) / 1000, timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None


# -- a push --------------------------------------------------------------------------------

def _stored(conn: Connection, device_id: str, op_ids: list[str]) -> dict[str, OpResult]:
    """The answers already given to these ops of this device (op ids are unique per device only)."""
    dialect = conn.dialect.name
    return {r.op_id: OpResult.model_validate(r.result) for r in conn.execute(
        _answers_of(dialect), {"device_id": device_id, "op_ids": among_values(op_ids, dialect)})}


@functools.cache
def _answers_of(dialect: str) -> Select:
    """The stored answers of a device's ops (parameters `device_id`, `op_ids`), built once per database."""
    if dialect == "postgresql":
        keys = keys_param(op_ids=applied_op.c.op_id)
        return one_per_key(keys, select(applied_op.c.op_id, applied_op.c.result).where(
            applied_op.c.device_id == bindparam("device_id"), applied_op.c.op_id == keys.c.op_ids))
    return (select(applied_op.c.op_id, applied_op.c.result)
            .where(applied_op.c.device_id == bindparam("device_id"), among_param(applied_op.c.op_id, "op_ids", dialect)))


def all_answered(conn: Connection, device_id: str, request: PushRequest) -> bool:
    """Every op of the batch has its answer stored: a batch sent again (its answer was lost)."""
    return len(_stored(conn, device_id, [op.op_id for op in request.ops])) == len(request.ops)


def apply_push_one_by_one(conn: Connection, caller: Caller, request: PushRequest, now: datetime,
                          today: date) -> PushResponse:
    """The last resort for a batch the database refused as a whole (a uniqueness or reference rule
    that only shows when rows are written in one go): each op in a savepoint of its own, written at
    once; an op the database refuses is rejected with its reason and the others are applied."""
    # The numbering held alone for the whole transaction, before any op: each op's savepoint takes it
    # again (a count), and rolling one back does not let other pushes in halfway.
    numbers.one_push_of(conn, caller.device_id)
    counter = Rows(conn, now)
    counter.take_counter()
    stored = _stored(conn, caller.device_id, [op.op_id for op in request.ops])
    results: dict[str, OpResult] = dict(stored)
    order = {e: i for i, e in enumerate(ENTITY_ORDER)}
    for op in sorted(request.ops, key=lambda o: order[o.entity]):
        if op.op_id in stored:
            continue
        try:
            with conn.begin_nested():
                results[op.op_id] = apply_push(conn, caller, request.model_copy(update={"ops": [op]}), now,
                                               today).results[0]
        except IntegrityError as exc:
            results[op.op_id] = OpResult(op_id=op.op_id, status="rejected",
                                         reason=f"与服务器上已有的记录冲突，无法保存。 / The server's database refused it: "
                                                f"{str(exc.orig).splitlines()[0]}")
            conn.execute(insert(applied_op), [{"op_id": op.op_id, "device_id": caller.device_id,
                                               "batch_id": request.batch_id, "at": now,
                                               "result": results[op.op_id].model_dump(mode="json")}])
    counter.take_counter()  # where the numbering stands after the ops
    return PushResponse(batch_id=request.batch_id, results=[results[op.op_id] for op in request.ops],
                        server_seq=counter.seq)


def apply_push(conn: Connection, caller: Caller, request: PushRequest, now: datetime, today: date,
               optimistic: bool = False, answered: set[str] | None = None) -> PushResponse:
    """Apply a push in the caller's transaction; ops already applied are answered from the store (their
    ids are added to `answered`, when given).

    Optimistic (PostgreSQL): numbers are taken and records locked only to write (sync.server.rows.Rows); raises
    StaleRead when something read changed meanwhile, and IntegrityError when a record it creates was
    written meanwhile by another device's push; the caller runs it again, not optimistic. Two pushes of
    one device take turns (numbers.one_push_of), so the answers it stores are never written meanwhile."""
    numbers.one_push_of(conn, caller.device_id)  # first: a lock no push takes while it holds another
    rows = Rows(conn, now, optimistic=optimistic)
    if not optimistic:
        rows.take_counter()
    op_ids = [op.op_id for op in request.ops]
    stored = _stored(conn, caller.device_id, op_ids)
    if answered is not None:
        answered.update(stored)
    merger = Merger(rows, caller, today, None if caller.role == "admin" and not caller.scope
                    else allowed_grid_ids(conn, caller))
    fresh_ops = [op for op in request.ops if op.op_id not in stored]
    rows.preload([(op.entity, op.row_id) for op in fresh_ops])
    rows.preload([(target, value) for op in fresh_ops for column, target in references(op.entity)
                  if isinstance(value := op.fields.get(column), str)], existing=True)
    rows.preload_parents()
    order = {e: i for i, e in enumerate(ENTITY_ORDER)}
    results: dict[str, OpResult] = {}
    for op in sorted(request.ops, key=lambda o: order[o.entity]):  # parents first
        if op.op_id in stored:
            results[op.op_id] = stored[op.op_id]
            continue
        try:
            results[op.op_id] = merger.apply(op)
        except OutOfScope as outside:  # a name of its own: compiled (mypyc), one name keeps one type
            results[op.op_id] = OpResult(op_id=op.op_id, status="rejected", reason=str(outside))
        except Rejected as exc:
            results[op.op_id] = _rejected(op, rows, str(exc))
    # The same op sent twice at once waited above for the other request, and found its answer stored.
    rows.flush()
    results = {i: (r if i in stored or r.server_seq is None or r.server_seq >= 0
                   else r.model_copy(update={"server_seq": rows.real(r.server_seq)})) for i, r in results.items()}
    fresh_ids = [i for i in results if i not in stored]
    # One call to pydantic's serializer for the batch, not one an op; a field at its default (no reason, no
    # conflicts) is left out, and read back as the default (_stored).
    answers = _OP_RESULTS.dump_python([results[i] for i in fresh_ids], mode="json", exclude_defaults=True)
    fresh = [{"op_id": i, "device_id": caller.device_id, "batch_id": request.batch_id, "result": answer, "at": now}
             for i, answer in zip(fresh_ids, answers)]
    if fresh:
        insert_rows(conn, applied_op, fresh)
    return PushResponse(batch_id=request.batch_id, results=[results[i] for i in op_ids], server_seq=rows.seq)


_OP_RESULTS = TypeAdapter(list[OpResult])


def _rejected(op: Op, rows: Rows, reason: str) -> OpResult:
    """A rejected op; the record, if the server has it, is sent again so the device shows the server's value."""
    record = rows.get(op.entity, op.row_id)
    seq = rows.touch(record) if record is not None else None
    return OpResult(op_id=op.op_id, status="rejected", reason=reason, server_seq=seq)
