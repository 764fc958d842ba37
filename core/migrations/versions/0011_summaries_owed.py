"""households whose list summaries a pull owes: a download rebuilds each household's summary once, at its end

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

A download of many pages wrote each page's records and rebuilt the summary, search entries and
zero-employment spans of every household the page touched. A household's members often come pages
after it, so most households were summarised twice, and their search entries written, deleted and
written again: 40% of the laptop's time in a first download. Now every page but a one-page pull
notes its households here, in its own transaction, and the pull settles them at its end
(core.store.summary). Local and derived: the table is empty outside a pull.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "summary_owed",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_summary_owed")),
    )


def downgrade() -> None:
    op.drop_table("summary_owed")
