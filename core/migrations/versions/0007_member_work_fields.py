"""where a member lives, marital status and return; a job's contract term, insurance months and place;
a visit row's place and sector

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
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marital_status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("lives_alone", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("residence", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("residence_place", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("residence_since", sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column("returned_worker", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("returned_month", sa.String(length=7), nullable=True))
    with op.batch_alter_table("employment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contract_term", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("insurance_months", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("place_code", sa.String(length=6), nullable=True))
    with op.batch_alter_table("visit_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place_code", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("sector", sa.String(length=1), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit_member", schema=None) as batch_op:
        batch_op.drop_column("sector")
        batch_op.drop_column("place_code")
    with op.batch_alter_table("employment", schema=None) as batch_op:
        batch_op.drop_column("place_code")
        batch_op.drop_column("insurance_months")
        batch_op.drop_column("contract_term")
    with op.batch_alter_table("member", schema=None) as batch_op:
        for name in ("returned_month", "returned_worker", "residence_since", "residence_place", "residence",
                     "lives_alone", "marital_status"):
            batch_op.drop_column(name)
