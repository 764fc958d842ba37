"""The county server's tables: the same entity tables as a laptop's (copied from core/'s models),
plus the server's own bookkeeping. The server reads and writes them with SQLAlchemy Core.

- `sequence_counter`: one row; on SQLite every accepted change takes the next number, inside the
  push transaction, which holds the row's lock until it commits, so commit order equals number
  order. On PostgreSQL the numbers come from the sequence `change_seq` (migration 0009; pulls stop
  at a watermark, sync.server.numbers) and the row keeps the value it had at that upgrade.
- `row_state`: one row per record: its latest sequence (what a pull walks), the household it
  belongs to (what scope is decided by), who may read it (`audience`), and when and by whom each
  field last changed (what the per-field merge compares an edit's `base` against).
- `applied_op`: every op's stored answer, keyed by (device, op id), so that a batch or an op sent
  again by the same device is answered the same and applied once. Op ids are unique per device
  only: another device's op with the same id is a different op, applied or rejected on its own.
- `account`, `device`: users with Argon2 password hashes, roles and scopes; registered devices
  with the SHA-256 of their token (a token is 256 random bits, so a fast hash is enough), a
  revocation time, and the anchor of their audit log with its flag (sync.server.audit).
- `access_log`: who pushed, pulled, read or resolved what, from which device, and when (PIPL).
- `login_throttle`: failed logins in a row per account and per client address, and when the last
  was (sync.server.throttle), shared by every server process.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, Text,
)

from core.models import SYNCED_ENTITIES
from core.models.base import NAMING

server_metadata = MetaData(naming_convention=NAMING)

# The device id the server stamps its own changes with (a record sent again, a conflict, the demo
# county's records): no laptop may log in with it, or it would take them for its own and never pull them.
SERVER_DEVICE = "server"

# The entity tables, exactly as core/ declares them (a household means one thing everywhere).
ENTITY_TABLES: dict[str, Table] = {
    name: model.__table__.to_metadata(server_metadata)  # type: ignore[attr-defined]
    for name, model in SYNCED_ENTITIES.items()
}

# Who may pull a record: reference data goes to everyone, household data to whoever's scope holds
# the household, conflicts to the clerks and admins whose scope holds it.
AUDIENCE_REFERENCE, AUDIENCE_SCOPED, AUDIENCE_REVIEW = "reference", "scoped", "review"

sequence_counter = Table(
    "sequence_counter", server_metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

row_state = Table(
    "row_state", server_metadata,
    Column("entity", String(32), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("household_id", String(36), index=True),
    Column("audience", String(16), nullable=False),
    # The version every field has until it is changed: the row's creation.
    Column("created_seq", BigInteger, nullable=False),
    Column("created_device", String(64), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    # {field: [seq, device, user, ISO time]} for every field changed since, "*" for a delete.
    Column("versions", JSON, nullable=False),
)

# A household that moved out of a grid: the laptops of that grid are told to let it go when they
# next pull past its latest change (sync.server.changes.departures_in).
departure = Table(
    "departure", server_metadata,
    Column("household_id", String(36), primary_key=True),
    Column("from_grid_id", String(36), primary_key=True),
)

# The county server's own keys for offline bundles (one row): devices seal their bundles for it and
# check its signature on replies (sync.bundle). Made when the database is first migrated.
server_key = Table(
    "server_key", server_metadata,
    Column("id", Integer, primary_key=True),
    Column("private", Text, nullable=False),
)

# Each offline bundle the server has taken, with its reply: the same bundle forwarded again gets the
# same reply and changes nothing.
bundle_seen = Table(
    "bundle_seen", server_metadata,
    Column("device_id", String(64), primary_key=True),
    Column("bundle_id", String(64), primary_key=True),
    Column("reply", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)

applied_op = Table(
    "applied_op", server_metadata,
    Column("device_id", String(64), primary_key=True),
    Column("op_id", String(64), primary_key=True),
    Column("batch_id", String(64), nullable=False),
    Column("result", JSON, nullable=False),
    Column("at", DateTime, nullable=False),
)

account = Table(
    "account", server_metadata,
    Column("username", String(64), primary_key=True),
    Column("display_name", String(64), nullable=False, default=""),
    Column("password_hash", String(256), nullable=False),
    Column("role", String(16), nullable=False),
    # worker: grid codes separated by commas; clerk: a village code; admin: a county code.
    Column("scope", String(256), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

device = Table(
    "device", server_metadata,
    Column("device_id", String(64), primary_key=True),
    Column("username", ForeignKey("account.username"), nullable=False, index=True),
    Column("name", String(128), nullable=False, default=""),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("registered_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime),
    Column("revoked_at", DateTime),
    # The anchor of the device's audit log (sync.server.audit): the newest line it reported and was
    # checked to extend the one before, and when and why its log was found cut or rewritten.
    Column("audit_seq", BigInteger),
    Column("audit_hash", String(64)),
    Column("audit_flagged_at", DateTime),
    Column("audit_flag", Text),
    # The public keys the device made at enrolment ({"sign": …, "box": …}, sync.bundle): the server
    # checks the signature of the device's offline bundles and seals its replies with them.
    Column("bundle_keys", Text),
)

access_log = Table(
    "access_log", server_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("username", String(64), nullable=False),
    Column("device_id", String(64), nullable=False, default=""),
    Column("action", String(24), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_access_log_at", "at"),
)

login_throttle = Table(
    "login_throttle", server_metadata,
    Column("key", String(128), primary_key=True),  # "account:NAME" or "address:IP"
    Column("failures", Integer, nullable=False),
    Column("last_at", DateTime, nullable=False),
    Index("ix_login_throttle_last_at", "last_at"),
)
