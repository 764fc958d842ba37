"""applied ops keyed by (device_id, op_id): op ids are unique per device, not across devices

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every stored answer keeps its device, so the rows already there fit the new key as they are.
    # On SQLite the batch copies the table; on PostgreSQL it alters the key in place.
    with op.batch_alter_table('applied_op', schema=None) as batch_op:
        batch_op.drop_constraint('pk_applied_op', type_='primary')
        batch_op.create_primary_key('pk_applied_op', ['device_id', 'op_id'])


def downgrade() -> None:
    # Two devices' answers under one op id cannot both stay under the old key: keep the earliest.
    op.execute("DELETE FROM applied_op WHERE EXISTS (SELECT 1 FROM applied_op AS other "
               "WHERE other.op_id = applied_op.op_id AND (other.at < applied_op.at OR "
               "(other.at = applied_op.at AND other.device_id < applied_op.device_id)))")
    with op.batch_alter_table('applied_op', schema=None) as batch_op:
        batch_op.drop_constraint('pk_applied_op', type_='primary')
        batch_op.create_primary_key('pk_applied_op', ['op_id'])
