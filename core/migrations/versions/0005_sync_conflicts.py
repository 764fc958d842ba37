"""sync conflicts: the review queue the county server fills and village clerks work through

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conflict",
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("server_value", sa.Text(), nullable=True),
        sa.Column("client_value", sa.Text(), nullable=True),
        sa.Column("server_author", sa.String(length=64), nullable=True),
        sa.Column("server_device", sa.String(length=64), nullable=True),
        sa.Column("server_at", sa.DateTime(), nullable=True),
        sa.Column("client_author", sa.String(length=64), nullable=True),
        sa.Column("client_device", sa.String(length=64), nullable=True),
        sa.Column("client_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict")),
    )
    with op.batch_alter_table("conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflict_household_id"), ["household_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conflict_row_id"), ["row_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conflict_status"), ["status"], unique=False)
