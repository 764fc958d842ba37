"""outbox numbers are never handed out again (AUTOINCREMENT)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

A batch frozen for a push or an offline bundle names its outbox entries by number. Without
AUTOINCREMENT, SQLite gives the number of the newest entry, once it is gone, to the next save: a
save could then be taken for an entry of a batch frozen before it, and be answered, and forgotten,
under that batch's id (core.store.push.unfreeze now prevents the one path known to do so). With it,
a number is used once in the life of the profile. The table is rebuilt with its entries and their
numbers as they are; SQLite starts the count after the highest.
"""
from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass


def downgrade() -> None:
    with op.batch_alter_table("outbox", recreate="always", table_kwargs={"sqlite_autoincrement": False}):
        pass
