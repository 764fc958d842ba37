"""failed logins per account and per client address, shared by every server process

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_throttle',
                    sa.Column('key', sa.String(length=128), nullable=False),
                    sa.Column('failures', sa.Integer(), nullable=False),
                    sa.Column('last_at', sa.DateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle')))
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index('ix_login_throttle_last_at', ['last_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index('ix_login_throttle_last_at')
    op.drop_table('login_throttle')
