"""households that moved out of a grid, so that the laptops of that grid let them go

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departure",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("from_grid_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("household_id", "from_grid_id", name=op.f("pk_departure")))


def downgrade() -> None:
    op.drop_table("departure")
