"""PostgreSQL numbers changes from a sequence, so that pushes commit side by side (sync.server.numbers)

The sequence starts where the counter row stands. SQLite keeps numbering from the counter row (one
writer at a time) and has nothing to do here. On the way down the counter row takes the sequence's
value, so no number is handed out twice.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SEQUENCE = "change_seq"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    op.execute(sa.text(f"CREATE SEQUENCE {SEQUENCE} AS bigint MINVALUE 0 START WITH 1"))
    counter = conn.execute(sa.text("SELECT value FROM sequence_counter WHERE id = 1")).scalar()
    if counter:
        conn.execute(sa.text(f"SELECT setval('{SEQUENCE}', :v, true)"), {"v": counter})


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    taken = conn.execute(sa.text(f"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
                                 f"FROM {SEQUENCE}")).scalar_one()
    if conn.execute(sa.text("SELECT 1 FROM sequence_counter WHERE id = 1")).first():
        conn.execute(sa.text("UPDATE sequence_counter SET value = :v WHERE id = 1"), {"v": taken})
    elif taken:
        conn.execute(sa.text("INSERT INTO sequence_counter (id, value) VALUES (1, :v)"), {"v": taken})
    op.execute(sa.text(f"DROP SEQUENCE {SEQUENCE}"))
