"""pulled records waiting for their parent: a pull applies pages in any order without a foreign-key failure

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pulled_orphan",
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("waits_for", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("entity", "row_id", name=op.f("pk_pulled_orphan")),
    )
    with op.batch_alter_table("pulled_orphan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulled_orphan_waits_for"), ["waits_for"], unique=False)
