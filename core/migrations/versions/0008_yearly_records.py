"""a household's income by year, a member's insurance by year, the county's settings; the household's
year-less income moves into the year it was entered

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Frozen copies, as they are at this revision: the income columns and what they become, and the
# natural id of a moved income (core.models.yearly.natural_id), the same on the county server.
_MOVED = {"income_wage": "wage", "income_business": "business", "income_property": "property",
          "income_transfer": "transfer"}
_NATURAL = uuid.UUID("6f1b7c1e-6a4e-4a8e-9a57-3a3c0f1d2b10")


def _synced_columns() -> list[sa.Column]:
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
        sa.Column("household_size", sa.Integer(), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"],
                                name=op.f("fk_household_income_household_id_household")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_income")))
    op.create_index(op.f("ix_household_income_household_id"), "household_income", ["household_id"])
    op.create_index("uq_household_income_household_year", "household_income", ["household_id", "year"], unique=True,
                    sqlite_where=sa.text("deleted = 0"))
    op.create_table(
        "insurance",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False), sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("insured", sa.Boolean(), nullable=False), sa.Column("scheme", sa.String(length=16), nullable=True),
        sa.Column("paid_by", sa.String(length=16), nullable=True),
        *_synced_columns(),
        sa.ForeignKeyConstraint(["household_id"], ["household.id"], name=op.f("fk_insurance_household_id_household")),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_insurance_member_id_member")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance")))
    op.create_index(op.f("ix_insurance_household_id"), "insurance", ["household_id"])
    op.create_index(op.f("ix_insurance_member_id"), "insurance", ["member_id"])
    op.create_index("uq_insurance_member_year_kind", "insurance", ["member_id", "year", "kind"], unique=True,
                    sqlite_where=sa.text("deleted = 0"))
    op.create_table(
        "county_settings",
        sa.Column("working_age_min", sa.Integer(), nullable=False),
        sa.Column("working_age_max", sa.Integer(), nullable=False),
        sa.Column("round_coverage", sa.Float(), nullable=False),
        sa.Column("training_target", sa.Float(), nullable=False),
        sa.Column("farmer_income_growth", sa.Float(), nullable=True),
        sa.Column("farmer_income_year", sa.Integer(), nullable=True),
        sa.Column("grievance_days", sa.JSON(), nullable=False),
        *_synced_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_settings")))


def _move_income(conn: sa.Connection) -> None:
    """Each household's income becomes its income of the year it was last saved, with the id every
    laptop and the server give it. A household with changes waiting to be pushed (made here, or its
    income edited) has the new record's fields queued too, and its income edits leave the outbox."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    pending = set(conn.execute(sa.text("SELECT DISTINCT row_id FROM outbox WHERE entity = 'household'")).scalars())
    rows = conn.execute(sa.text(
        "SELECT id, updated_at, created_by, device_id, income_wage, income_business, income_property, income_transfer "
        "FROM household WHERE coalesce(income_wage, income_business, income_property, income_transfer) IS NOT NULL"))
    for hid, updated, by, device, *amounts in rows.all():
        year = int(str(updated)[:4])
        rid = str(uuid.uuid5(_NATURAL, f"household_income:{hid}:{year}"))
        values = {"household_id": hid, "year": year, **dict(zip(_MOVED.values(), amounts))}
        conn.execute(sa.text(
            "INSERT INTO household_income (id, household_id, year, wage, business, property, transfer, household_size, "
            "created_at, updated_at, created_by, device_id, deleted, server_seq) VALUES (:id, :household_id, :year, "
            ":wage, :business, :property, :transfer, NULL, :now, :now, :by, :device, 0, 0)"),
            {"id": rid, "now": now, "by": by or "", "device": device or "", **values})
        if hid in pending:
            for name, value in values.items():
                if value is not None:
                    conn.execute(sa.text("INSERT INTO outbox (entity, row_id, kind, field, value, base_seq, at, actor) "
                                         "VALUES ('household_income', :rid, 'upsert', :f, :v, 0, :now, :by)"),
                                 {"rid": rid, "f": name, "v": json.dumps(value),
                                  "now": now, "by": by or ""})
    conn.execute(sa.text("DELETE FROM outbox WHERE entity = 'household' AND field IN "
                         "('income_wage', 'income_business', 'income_property', 'income_transfer')"))


def _create_facts() -> None:
    """What each household adds to the indicators' counts, and their sums (derived, never synced)."""
    op.create_table(
        "indicator_fact",
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("settlement_id", sa.String(length=36), nullable=True),
        sa.Column("grid_id", sa.String(length=36), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_indicator_fact")))
    op.create_index(op.f("ix_indicator_fact_month"), "indicator_fact", ["month"])
    op.create_table(
        "indicator_total",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("settlement_id", sa.String(length=36), nullable=False),
        sa.Column("grid_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "settlement_id", "grid_id", "name", name=op.f("pk_indicator_total")))


def upgrade() -> None:
    _create_tables()
    _create_facts()
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
                   f"household.id AND i.deleted = 0 ORDER BY i.year DESC LIMIT 1)")
    op.drop_table("indicator_total")
    op.drop_index(op.f("ix_indicator_fact_month"), table_name="indicator_fact")
    op.drop_table("indicator_fact")
    op.drop_table("county_settings")
    op.drop_index("uq_insurance_member_year_kind", table_name="insurance")
    op.drop_table("insurance")
    op.drop_index("uq_household_income_household_year", table_name="household_income")
    op.drop_table("household_income")
