"""household summary and search indexes: head, member count and full-text search for the list

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# A frozen copy of what core.store.summary derives, as it was at this revision: a migration must
# not change meaning when the application code changes later.
_PEOPLE = "FROM member m WHERE m.household_id = h.id AND m.deleted = 0"
_HEAD = _PEOPLE + " AND m.relation = 'head' AND m.status != 'removed'"
_BACKFILL = f"""
INSERT INTO household_summary (household_id, household_no, head_name, address_key, updated_at, head_id_number, member_count, search_text, search_tokens)
SELECT h.id, h.household_no,
       coalesce((SELECT m.name {_HEAD} LIMIT 1), ''),
       substr('00000' || coalesce(h.building, ''), -5) || substr('00000' || coalesce(h.unit, ''), -5)
           || substr('00000000' || coalesce(h.room, ''), -8),
       h.updated_at,
       coalesce((SELECT m.id_number {_HEAD} LIMIT 1), ''),
       (SELECT count(*) {_PEOPLE} AND m.status != 'removed'),
       lower(h.household_no || ' ' || coalesce(h.phone, '') || ' '
             || coalesce(h.building, '') || '-' || coalesce(h.unit, '') || '-' || coalesce(h.room, '') || ' '
             || coalesce(h.building, '') || '栋' || coalesce(h.unit, '') || '单元' || coalesce(h.room, '') || ' '
             || coalesce((SELECT group_concat(m.name || ' ' || coalesce(m.id_number, '') || ' ' || coalesce(m.phone, ''), ' ')
                          {_PEOPLE}), '')),
       lower(replace(h.household_no, '-', ' ') || ' ' || coalesce(h.phone, '') || ' ' || coalesce(h.building, '') || ' '
             || coalesce(h.room, '') || ' ' || coalesce(h.building, '') || '栋' || coalesce(h.unit, '') || '单元'
             || coalesce(h.room, '') || ' '
             || coalesce((SELECT group_concat(replace(m.name, '·', ' ') || ' ' || substr(m.name, 2) || ' ' || substr(m.name, 3) || ' '
                                              || coalesce(m.id_number, '') || ' ' || coalesce(m.phone, ''), ' ')
                          {_PEOPLE}), ''))
FROM household h WHERE h.deleted = 0
"""


def upgrade() -> None:
    op.create_table(
        "household_summary",
        sa.Column("rid", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("household_no", sa.String(length=32), nullable=False),
        sa.Column("head_name", sa.String(length=64), nullable=False),
        sa.Column("address_key", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("head_id_number", sa.String(length=32), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("search_tokens", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("rid", name=op.f("pk_household_summary")),
        sa.UniqueConstraint("household_id", name=op.f("uq_household_summary_household_id")),
    )
    with op.batch_alter_table("household_summary", schema=None) as batch_op:
        for column in ("household_no", "head_name", "address_key", "updated_at"):
            batch_op.create_index(batch_op.f(f"ix_household_summary_{column}"), [column], unique=False)
    # Substrings of three characters or more (ID tails, phones, rooms, full names).
    op.execute("CREATE VIRTUAL TABLE household_trigram USING fts5(search_text, content='', "
               "contentless_delete=1, tokenize='trigram')")
    # One or two characters as the start of a word (a surname, a given name, a building).
    op.execute("CREATE VIRTUAL TABLE household_tokens USING fts5(search_tokens, content='', "
               "contentless_delete=1, tokenize='unicode61', prefix='1 2')")
    op.execute(_BACKFILL)
    op.execute("INSERT INTO household_trigram (rowid, search_text) SELECT rid, search_text FROM household_summary")
    op.execute("INSERT INTO household_tokens (rowid, search_tokens) SELECT rid, search_tokens FROM household_summary")


def downgrade() -> None:
    op.execute("DROP TABLE household_tokens")
    op.execute("DROP TABLE household_trigram")
    op.drop_table("household_summary")
