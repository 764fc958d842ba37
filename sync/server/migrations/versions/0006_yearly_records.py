"""the records of profile schema 0008: a household's income by year, a member's insurance by year, the
county's settings; the household's year-less income moves into the year it was last changed

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Frozen copies, as at this revision (profile step 0008 moves the same values to the same ids).
_MOVED = {"income_wage": "wage", "income_business": "business", "income_property": "property",
          "income_transfer": "transfer"}
_NATURAL = uuid.UUID("6f1b7c1e-6a4e-4a8e-9a57-3a3c0f1d2b10")
_LIVE = {"sqlite_where": sa.text("deleted = 0"), "postgresql_where": sa.text("deleted = false")}


def _bookkeeping() -> list[sa.Column]:
    return [sa.Column("id", sa.String(length=36), nullable=False),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
            sa.Column("created_by", sa.String(length=64), nullable=False),
            sa.Column("device_id", sa.String(length=64), nullable=False),
            sa.Column("deleted", sa.Boolean(), nullable=False),
            sa.Column("server_seq", sa.Integer(), nullable=False)]


def _create_tables() -> None:
    op.create_table(
        "household_income",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("wage", sa.Float(), nullable=True), sa.Column("business", sa.Float(), nullable=True),
        sa.Column("property", sa.Float(), nullable=True), sa.Column("transfer", sa.Float(), nullable=True),
        sa.Column("household_size", sa.Integer(), nullable=True), *_bookkeeping(),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"],
                                name=op.f("fk_household_income_household_id_household")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_income")))
    op.create_index(op.f("ix_household_income_household_id"), "household_income", ["household_id"])
    op.create_index("uq_household_income_household_year", "household_income", ["household_id", "year"],
                    unique=True, **_LIVE)
    op.create_table(
        "insurance",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False), sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("insured", sa.Boolean(), nullable=False), sa.Column("scheme", sa.String(length=16), nullable=True),
        sa.Column("paid_by", sa.String(length=16), nullable=True), *_bookkeeping(),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_insurance_household_id_household")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_insurance_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance")))
    op.create_index(op.f("ix_insurance_household_id"), "insurance", ["household_id"])
    op.create_index(op.f("ix_insurance_member_id"), "insurance", ["member_id"])
    op.create_index("uq_insurance_member_year_kind", "insurance", ["member_id", "year", "kind"], unique=True, **_LIVE)
    op.create_table(
        "county_settings",
        sa.Column("working_age_min", sa.Integer(), nullable=False),
        sa.Column("working_age_max", sa.Integer(), nullable=False),
        sa.Column("round_coverage", sa.Float(), nullable=False),
        sa.Column("training_target", sa.Float(), nullable=False),
        sa.Column("farmer_income_growth", sa.Float(), nullable=True),
        sa.Column("farmer_income_year", sa.Integer(), nullable=True),
        sa.Column("grievance_days", sa.JSON(), nullable=False), *_bookkeeping(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_settings")))


def _move_income(conn: sa.Connection) -> None:
    """Each household's income becomes its income of the year the household last changed, under the
    id the laptops give it too, with a new sequence so that every laptop in scope pulls it. Its fields
    carry no version of their own (created_seq 0): an edit a laptop made before pulling it is applied,
    not taken for a conflict."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = conn.execute(sa.text(
        "SELECT id, updated_at, created_by, device_id, income_wage, income_business, income_property, income_transfer "
        "FROM household WHERE coalesce(income_wage, income_business, income_property, income_transfer) IS NOT NULL "
        "ORDER BY id")).all()
    counter = conn.execute(sa.text("SELECT value FROM sequence_counter WHERE id = 1")).scalar()
    seq = counter or 0
    for hid, updated, by, device, *amounts in rows:
        seq += 1
        year = int(str(updated)[:4])
        rid = str(uuid.uuid5(_NATURAL, f"household_income:{hid}:{year}"))
        conn.execute(sa.text(
            "INSERT INTO household_income (id, household_id, year, wage, business, property, transfer, household_size, "
            "created_at, updated_at, created_by, device_id, deleted, server_seq) VALUES (:id, :hid, :year, :w, :b, :p, "
            ":t, NULL, :now, :now, :by, :device, false, :seq)"),
            {"id": rid, "hid": hid, "year": year, "w": amounts[0], "b": amounts[1], "p": amounts[2], "t": amounts[3],
             "now": now, "by": by or "", "device": device or "", "seq": seq})
        conn.execute(sa.text(
            "INSERT INTO row_state (entity, row_id, seq, household_id, audience, created_seq, created_device, "
            "created_by, created_at, versions) VALUES ('household_income', :id, :seq, :hid, 'scoped', 0, 'server', "
            "'server', :now, '{}')"), {"id": rid, "seq": seq, "hid": hid, "now": now})
    if rows:
        conn.execute(sa.text("UPDATE sequence_counter SET value = :v WHERE id = 1" if counter is not None else
                             "INSERT INTO sequence_counter (id, value) VALUES (1, :v)"), {"v": seq})


def upgrade() -> None:
    _create_tables()
    _move_income(op.get_bind())
    with op.batch_alter_table("household", schema=None) as batch_op:
        for column in _MOVED:
            batch_op.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table("household", schema=None) as batch_op:
        for column in _MOVED:
            batch_op.add_column(sa.Column(column, sa.Float(), nullable=True))
    for old, new in _MOVED.items():  # the latest year's income goes back to the household
        op.execute(f"UPDATE household SET {old} = (SELECT i.{new} FROM household_income i WHERE i.household_id = "
                   f"household.id AND i.deleted = false ORDER BY i.year DESC LIMIT 1)")
    op.execute("DELETE FROM row_state WHERE entity IN ('household_income', 'insurance', 'county_settings')")
    op.drop_table("county_settings")
    op.drop_index("uq_insurance_member_year_kind", table_name="insurance")
    op.drop_table("insurance")
    op.drop_index("uq_household_income_household_year", table_name="household_income")
    op.drop_table("household_income")
