"""list filters without a query per household: last visit month, zero-employment spans, member-count index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen copies of what core.store.summary derives, as it was at this revision: a migration must
# not change meaning when the application code changes later.
_LAST_VISIT = """
UPDATE household_summary SET last_visit_month = coalesce(
    (SELECT max(v.month) FROM visit v WHERE v.household_id = household_summary.household_id AND v.deleted = 0), '')
"""
_SPANS = """
WITH labour AS (
    SELECT m.id, m.household_id FROM household h JOIN member m ON m.household_id = h.id
    WHERE h.deleted = 0 AND m.deleted = 0 AND m.status != 'removed' AND m.labour_skill IN ('skilled', 'ordinary', 'weak')
), jobs AS (
    SELECT l.household_id AS hid, e.start_month AS s, coalesce(e.end_month, '~') AS en
    FROM labour l JOIN employment e ON e.member_id = l.id
    WHERE e.deleted = 0 AND e.start_month <= coalesce(e.end_month, '~')
), runs AS (
    SELECT hid, s, max(en) OVER (PARTITION BY hid ORDER BY s, en ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
           AS worked_until
    FROM jobs
)
INSERT INTO zero_employment_span (household_id, after_month, before_month)
SELECT hid, coalesce(worked_until, ''), s FROM runs WHERE coalesce(worked_until, '') < s
UNION ALL
SELECT hid, max(en), '~' FROM jobs GROUP BY hid HAVING max(en) < '~'
UNION ALL
SELECT DISTINCT household_id, '', '~' FROM labour WHERE household_id NOT IN (SELECT hid FROM jobs)
"""


def upgrade() -> None:
    with op.batch_alter_table("household_summary", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_visit_month", sa.String(length=7), server_default="", nullable=False))
        batch_op.create_index(batch_op.f("ix_household_summary_last_visit_month"), ["last_visit_month"], unique=False)
        batch_op.create_index(batch_op.f("ix_household_summary_member_count"), ["member_count"], unique=False)
    op.create_table(
        "zero_employment_span",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("after_month", sa.String(length=7), nullable=False),
        sa.Column("before_month", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zero_employment_span")),
    )
    with op.batch_alter_table("zero_employment_span", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zero_employment_span_household_id"), ["household_id"], unique=False)
        batch_op.create_index("ix_zero_employment_span_months", ["before_month", "after_month", "household_id"],
                              unique=False)
    op.execute(_LAST_VISIT)
    op.execute(_SPANS)
    # Statistics for the new indexes, so the planner walks the list's sort index from the first open.
    op.execute("PRAGMA analysis_limit = 1000")
    op.execute("ANALYZE household_summary")
    op.execute("ANALYZE zero_employment_span")


def downgrade() -> None:
    op.drop_table("zero_employment_span")
    with op.batch_alter_table("household_summary", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_summary_member_count"))
        batch_op.drop_index(batch_op.f("ix_household_summary_last_visit_month"))
        batch_op.drop_column("last_visit_month")
