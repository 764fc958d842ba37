"""The sync wire format (docs/protocol.md), shared by the laptop's client and the county server.

    POST /api/v1/sync/push     PushRequest  -> PushResponse
    GET  /api/v1/sync/changes  ?since=N&limit=M -> ChangesPage

Everything that arrives is checked here before any of it is looked at: the protocol version, the
size of a batch, entity and field names (the entities and their user fields are core/'s models),
row ids, and the shape of every value. What a value means (a valid ID number, a month, a code)
is core/'s validation, which the server runs per op. Field values travel as JSON
(core.wire_values: dates as ISO text).
"""
from __future__ import annotations

import functools
import gzip
import re
import uuid
from typing import Annotated, Any, Literal, Union

import pydantic_core
from pydantic import (
    BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, StringConstraints,
    model_validator,
)

from core.models import SYNCED_ENTITIES
from core.schema import HEAD_REVISION

# 2: a changes page says the caller's scope and the households that left it (`scope`, `left`); a
# laptop of protocol 1 gets pages without them (it refuses fields it does not know).
PROTOCOL_VERSION = 2
# The protocol versions this code can speak; a request outside them gets "update required".
SUPPORTED_PROTOCOLS = frozenset({1, 2})
PAGE_FIELDS_SINCE_2 = {"left", "scope"}
# A push batch's ops. The server takes up to its own limit (at most MAX_OPS_PER_BATCH) and says it on
# every answer (BATCH_OPS_HEADER); a laptop sends batches of that size once it has
# heard it, and of OPS_EVERY_SERVER_TAKES before (a server from before the header takes no more). One
# commit for five times the rows is what makes the bigger batch pay: the county's SQLite writes every
# page a batch touched once a commit, and random ids touch a page per row in each of five indexes.
MAX_OPS_PER_BATCH = 2500
OPS_EVERY_SERVER_TAKES = 500
BATCH_OPS_HEADER = "Anju-Batch-Ops"


def batch_ops_of(text: str | None) -> int | None:
    """A batch size or a page's rows as the header says it or the profile keeps it (digits only), or None."""
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) <= 6 else None


# The records a changes page may hold. The server says it on every answer (PAGE_ROWS_HEADER); a laptop
# asks for pages of that size once it has heard it, and of ROWS_EVERY_SERVER_PAGES before (a server
# from before the header refuses a larger `limit`). A page is written in one transaction on the laptop,
# and its index pages go to the disk once a commit: 2,500 records a page, where 1,000 wrote them twice as
# often, made a first download a fifth faster (bench/sync.py).
MAX_PAGE = 2500
ROWS_EVERY_SERVER_PAGES = 1000
PAGE_ROWS_HEADER = "Anju-Page-Rows"
MAX_TEXT_VALUE = 10_000  # characters in one field value; the columns themselves are far shorter
MAX_BODY_BYTES = 4 * 1024 * 1024

# Reference data (areas, settlements, grids) comes from the county and conflicts are written by the
# server (a clerk resolves one through its own endpoint): laptops push neither.
SERVER_ENTITIES = frozenset({"area", "settlement", "grid", "conflict"})
# The county's settings: pushed only by a county admin (the server refuses anyone else).
ADMIN_ENTITIES = frozenset({"county_settings"})
CLIENT_ENTITIES = frozenset(SYNCED_ENTITIES) - SERVER_ENTITIES
ROW_BASE = "*"  # the key of `base` for a delete: the row's server sequence when it was read

Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$")]
# A field's value: JSON's null, true or false, a number, a text, or a list of these. Each type is
# tried in turn, strictly (a true is a bool, never an int's 1 or the text "true"; an int is never a
# float): for every JSON value the same outcome as pydantic's "smart" union, which tries them all
# and picks the best, in about three quarters of its time (a push's or a page's thousands of values).
Scalar = Annotated[Union[StrictStr, None, StrictBool, StrictInt, StrictFloat], Field(union_mode="left_to_right")]
Value = Annotated[Union[StrictStr, None, StrictBool, StrictInt, StrictFloat, list[Scalar]],
                  Field(union_mode="left_to_right")]


class UpdateRequired(ValueError):
    """The client speaks a protocol version this server (or client) does not."""

    def __init__(self, version: int):
        super().__init__(f"需要更新安居：此版本的同步协议（{version}）已不受支持。 / Update required: sync protocol "
                         f"{version} is not supported (supported: {sorted(SUPPORTED_PROTOCOLS)}).")
        self.version = version


def check_protocol(version: int) -> None:
    if version not in SUPPORTED_PROTOCOLS:
        raise UpdateRequired(version)


# The profile schemas whose tables match what the server sends: from the first with every synced
# field the server has (0008: yearly income and insurance, county settings; no income on the
# household) up to the newest this code knows. A profile outside them must update first.
MIN_SCHEMA = "0008"


def supported_schemas() -> list[str]:
    return [MIN_SCHEMA, HEAD_REVISION]


class SchemaUnsupported(UpdateRequired):
    def __init__(self, schema: str):
        low, high = supported_schemas()
        ValueError.__init__(self, f"需要更新安居：档案数据结构 {schema} 与服务器（{low}–{high}）不匹配。 / Update required: "
                                  f"profile schema {schema} is outside the server's {low}–{high}.")
        self.version = schema


def check_schema(schema: str) -> None:
    low, high = supported_schemas()
    if not (len(schema) == len(low) and low <= schema <= high):
        raise SchemaUnsupported(schema)


_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _is_uuid(text: str) -> bool:
    if _CANONICAL_UUID.fullmatch(text):  # how every row id is written: no need to build a UUID
        return True
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Op(_Strict):
    """One change to one row: the fields an upsert sets, or a delete; `base` holds, per field, the
    server sequence the edit started from (for a delete, under "*", the row's). Its shape is checked
    here; what pydantic's schema cannot say (a known entity and its fields, a UUID, text a database
    keeps) is checked for the whole batch at once by PushRequest (`op_problem`): four checks an op, each
    run by pydantic as a call of its own, took twice as long (16 against 8.5 ms for 2,500 members' ops)."""

    op_id: Id
    entity: str
    row_id: str
    kind: Literal["upsert", "delete"]
    fields: dict[str, Value] = Field(default_factory=dict)
    base: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    hlc: Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _text_problem(name: str, items: list[Value]) -> str | None:
    """A field whose text is too long or holds a NUL (no database keeps it as text): the length
    first, over all its items, then the NUL."""
    if any(isinstance(v, str) and len(v) > MAX_TEXT_VALUE for v in items):
        return f"the value of {name!r} is longer than {MAX_TEXT_VALUE} characters"
    if any(isinstance(v, str) and "\x00" in v for v in items):
        return f"the value of {name!r} holds a NUL character"
    return None


_DELETE_BASE = frozenset({ROW_BASE})


@functools.cache
def _known_fields(entity: str) -> frozenset[str]:
    return frozenset(SYNCED_ENTITIES[entity].data_fields())


AuditHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class AuditHead(_Strict):
    """The head of the laptop's hash-chained audit log, sent with every push: its newest line
    (position and hash), and its hash now at the position the server acknowledged last (`anchor_seq`,
    from the previous push's answer; None before the first), so that the server can tell whether
    the chain still extends what the laptop reported before (sync.server.audit)."""

    seq: Annotated[int, Field(ge=0)]
    hash: AuditHash
    anchor_seq: Annotated[int, Field(ge=0)] | None = None
    anchor_hash: AuditHash | None = None  # None: the laptop has no line there any more


class AuditAnswer(_Strict):
    """The position the server holds as this device's anchor (send the hash at it next time), and
    whether the server has flagged this device's audit log as cut or rewritten."""

    seq: int
    flagged: bool


class PushRequest(_Strict):
    batch_id: Id
    device_id: Id
    protocol: int
    schema_revision: Annotated[str, StringConstraints(max_length=32)] = Field(alias="schema")
    ops: Annotated[list[Op], Field(max_length=MAX_OPS_PER_BATCH)]
    audit: AuditHead | None = None  # optional: a client of before the anchor sends none

    @model_validator(mode="after")
    def _sound_ops(self) -> "PushRequest":
        """Every op of the batch checked (`op_problem`), and no op id twice; the first problem is said,
        with the op's place (`ops.3.row_id: ...`)."""
        seen: set[str] = set()
        for place, op in enumerate(self.ops):
            problem = op_problem(op)
            if problem:
                raise ValueError(f"ops.{place}.{problem}")
            if op.op_id in seen:
                raise ValueError(f"op_id {op.op_id!r} appears twice in the batch")
            seen.add(op.op_id)
        return self


def op_problem(op: Op) -> str | None:
    """What is wrong with an op beyond its shape, starting with the field it is about, or None."""
    if op.entity not in CLIENT_ENTITIES:
        return f"entity: unknown or server-owned entity {op.entity!r}; one of {sorted(CLIENT_ENTITIES)}"
    if not _is_uuid(op.row_id):
        return f"row_id: {op.row_id!r} is not a UUID"
    fields = op.fields
    for name, value in fields.items():
        if isinstance(value, str):
            if len(value) > MAX_TEXT_VALUE or "\x00" in value:
                return f"fields: {_text_problem(name, [value])}"
        elif isinstance(value, list):
            problem = _text_problem(name, value)
            if problem:
                return f"fields: {problem}"
    known = _known_fields(op.entity)
    if not known.issuperset(fields):
        return f"fields: {op.entity} has no field(s) {sorted(set(fields) - known)}"
    if op.kind == "delete" and fields:
        return "fields: a delete carries no fields"
    if op.kind == "upsert" and not fields:
        return "fields: an upsert carries at least one field"
    changed = _DELETE_BASE if op.kind == "delete" else fields.keys()
    if not op.base.keys() <= changed:
        return f"base: base names field(s) the op does not change: {sorted(set(op.base) - set(changed))}"
    return None


OpStatus = Literal["applied", "unchanged", "conflict", "rejected"]


class OpResult(_Strict):
    """What became of one op. A rejected op says why, in Chinese and English, naming the field."""

    op_id: Id
    status: OpStatus
    server_seq: int | None = None
    reason: str | None = None
    conflict_ids: list[str] = Field(default_factory=list)


class PushResponse(_Strict):
    batch_id: Id
    results: list[OpResult]
    server_seq: int  # the highest sequence when the batch committed
    audit: AuditAnswer | None = None  # only to a push that sent its audit head (older clients forbid extras)


class Change(_Strict):
    """One row as it stands on the server after sequence `seq` (only rows in the caller's scope)."""

    seq: int
    entity: str
    row_id: str
    deleted: bool
    fields: dict[str, Value]


class ChangesPage(_Strict):
    changes: list[Change]
    next_since: int  # ask again from here; equal to `since` when there was nothing
    more: bool
    # Households that moved out of the caller's grids in this page's range: the laptop lets them go.
    left: list[str] = Field(default_factory=list)
    # The caller's scope now: a laptop that held another one downloads again from the start.
    scope: str = ""


def too_many_logins(seconds: int) -> str:
    """What a client is told while its logins must wait (a 429 with Retry-After: seconds)."""
    if seconds >= 120:
        zh, en = f"{-(-seconds // 60)} 分钟", f"{-(-seconds // 60)} minutes"
    else:
        zh, en = f"{seconds} 秒", f"{seconds} seconds"
    return f"登录失败次数过多，请 {zh}后再试。 / Too many failed logins: try again in {en}."


HLC_FORMAT = re.compile(r"^\d{13}-\d{4}-[A-Za-z0-9._:\-]+$")


def make_hlc(wall_ms: int, counter: int, device_id: str) -> str:
    """A hybrid logical clock stamp that sorts as text: milliseconds, a counter, the device."""
    return f"{wall_ms:013d}-{counter:04d}-{device_id}"


def encode_body(body: Any) -> bytes:
    """A request's JSON body as it goes, gzipped. pydantic's serializer (in Rust) writes a push of 500
    ops in a fifth of json.dumps's time."""
    return gzip.compress(pydantic_core.to_json(body), compresslevel=5)


def parse_push(body: bytes) -> PushRequest:
    """A push request from raw JSON; a body too large, malformed or of the wrong shape raises
    ValueError (pydantic's ValidationError is one) saying where and what is wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise ValueError(f"the request is {len(body)} bytes; at most {MAX_BODY_BYTES} are accepted")
    return PushRequest.model_validate_json(body)


def wire_fields(data: dict[str, Any]) -> dict[str, Value]:
    """Field values ready for the wire (dates as ISO text)."""
    from core.wire_values import to_wire

    return {k: to_wire(v) for k, v in data.items()}  # type: ignore[misc]
