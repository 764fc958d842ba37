"""the outbox holds one entry per save of a record (the fields it changed together) instead of one
per field

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

Each entry of one field becomes an entry holding that one field, under the same sequence number,
time and base: the push makes the same ops of it (sync/batch.py merges a record's entries in
sequence order), so a batch frozen before the upgrade is sent again with the same op ids and
values. A delete holds no fields.
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `value` holds a field's JSON text (a number as a number: the column's numeric affinity);
    # json() gives it back as JSON, which json_object nests as it is.
    op.execute("UPDATE outbox SET value = CASE WHEN kind = 'delete' OR field IS NULL THEN '{}' "
               "ELSE json_object(field, json(value)) END")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("value", new_column_name="fields", existing_type=sa.JSON(), existing_nullable=False)
        batch_op.drop_column("field")


def downgrade() -> None:
    """Back to one entry per field. The entries are numbered again, so the batches frozen for a push
    or a bundle are let go: a later push sends what waits in new batches (the server's per-field
    merge finds what it already applied unchanged)."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("field", sa.String(length=64), nullable=True))
        batch_op.alter_column("fields", new_column_name="value", existing_type=sa.JSON(), existing_nullable=False)
    conn = op.get_bind()
    saves = conn.execute(sa.text("SELECT entity, row_id, kind, value, base_seq, at, actor FROM outbox ORDER BY seq")).all()
    conn.execute(sa.text("DELETE FROM outbox"))
    conn.execute(sa.text("DELETE FROM profile_meta WHERE key IN ('sync_frozen_batch', 'sync_bundled_batches')"))
    insert = sa.text("INSERT INTO outbox (entity, row_id, kind, field, value, base_seq, at, actor) "
                     "VALUES (:entity, :row_id, :kind, :field, :value, :base_seq, :at, :actor)")
    for entity, row_id, kind, fields, base_seq, at, actor in saves:
        names = json.loads(fields) if kind != "delete" and isinstance(fields, str) else {None: None}
        for name, value in names.items():
            conn.execute(insert, {"entity": entity, "row_id": row_id, "kind": kind, "field": name,
                                  "value": json.dumps(value), "base_seq": base_seq, "at": at, "actor": actor})
