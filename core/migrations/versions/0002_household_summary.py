"""household summary: head, member count and search text for the household list

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# A frozen copy of core.store.summary's statement as it was at this revision: migrations must not
# change meaning when the application code changes later.
_BACKFILL = """
INSERT OR REPLACE INTO household_summary (household_id, head_name, head_id_number, member_count, search_text)
SELECT h.id,
       coalesce((SELECT m.name FROM member m WHERE m.household_id = h.id AND m.relation = 'head'
                 AND m.deleted = 0 AND m.status != 'removed' LIMIT 1), ''),
       coalesce((SELECT m.id_number FROM member m WHERE m.household_id = h.id AND m.relation = 'head'
                 AND m.deleted = 0 AND m.status != 'removed' LIMIT 1), ''),
       (SELECT count(*) FROM member m WHERE m.household_id = h.id AND m.deleted = 0 AND m.status != 'removed'),
       lower(h.household_no || ' ' || coalesce(h.phone, '') || ' '
             || coalesce(h.building, '') || '-' || coalesce(h.unit, '') || '-' || coalesce(h.room, '') || ' '
             || coalesce(h.building, '') || '栋' || coalesce(h.unit, '') || '单元' || coalesce(h.room, '') || ' '
             || coalesce((SELECT group_concat(m.name || ' ' || coalesce(m.id_number, '') || ' ' || coalesce(m.phone, ''), ' ')
                          FROM member m WHERE m.household_id = h.id AND m.deleted = 0), ''))
FROM household h WHERE h.deleted = 0
"""


def upgrade() -> None:
    op.create_table(
        "household_summary",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("head_name", sa.String(length=64), nullable=False),
        sa.Column("head_id_number", sa.String(length=32), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_household_summary")),
    )
    with op.batch_alter_table("household_summary", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_summary_head_name"), ["head_name"], unique=False)
    op.execute(_BACKFILL)


def downgrade() -> None:
    op.drop_table("household_summary")
