"""offline bundles: the server's keys, the devices' public keys, and the bundles taken

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("private", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_key")))
    op.create_table(
        "bundle_seen",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("bundle_id", sa.String(length=64), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "bundle_id", name=op.f("pk_bundle_seen")))
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bundle_keys", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("bundle_keys")
    op.drop_table("bundle_seen")
    op.drop_table("server_key")
