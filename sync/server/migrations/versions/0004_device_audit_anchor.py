"""each device's audit-log anchor (its last reported and checked head) and the flag of a log cut or rewritten

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('audit_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('audit_flagged_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('audit_flag', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_column('audit_flag')
        batch_op.drop_column('audit_flagged_at')
        batch_op.drop_column('audit_hash')
        batch_op.drop_column('audit_seq')
