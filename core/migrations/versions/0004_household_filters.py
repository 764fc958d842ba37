"""the household's own list filters in the summary: settlement, grid, monitoring category, monitored

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# A frozen copy of what core.store.summary derives, as it was at this revision.
_BACK_FILL = """
UPDATE household_summary SET (settlement_id, grid_id, monitoring_category, monitored) = (
    SELECT h.settlement_id, h.grid_id, h.monitoring_category,
           h.monitoring_category IS NOT NULL AND h.monitoring_cleared_month IS NULL
    FROM household h WHERE h.id = household_summary.household_id)
"""
_COLUMNS = ("settlement_id", "grid_id", "monitoring_category", "monitored")


def upgrade() -> None:
    with op.batch_alter_table("household_summary", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settlement_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("grid_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("monitoring_category", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("monitored", sa.Boolean(), server_default=sa.text("0"), nullable=False))
    op.execute(_BACK_FILL)
    with op.batch_alter_table("household_summary", schema=None) as batch_op:
        for column in _COLUMNS:
            batch_op.create_index(batch_op.f(f"ix_household_summary_{column}"), [column], unique=False)
    # Statistics for the new indexes, so the planner walks the list's sort index from the first open.
    op.execute("PRAGMA analysis_limit = 1000")
    op.execute("ANALYZE household_summary")


def downgrade() -> None:
    with op.batch_alter_table("household_summary", schema=None) as batch_op:
        for column in reversed(_COLUMNS):
            batch_op.drop_index(batch_op.f(f"ix_household_summary_{column}"))
        for column in reversed(_COLUMNS):
            batch_op.drop_column(column)
