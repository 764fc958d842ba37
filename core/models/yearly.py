"""What is recorded once a year: a household's income (年度收入) and a member's insurance (参保),
and the county's own settings (县级设置), a single record only a county admin edits."""
from __future__ import annotations

import uuid

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, Synced

# The id of the county's one settings record, the same on every laptop and on the server.
COUNTY_SETTINGS_ID = "c0a7e5e7-5e77-4000-8000-000000000001"
_NATURAL = uuid.UUID("6f1b7c1e-6a4e-4a8e-9a57-3a3c0f1d2b10")


def natural_id(entity: str, *key: object) -> str:
    """The id a record made from its natural key gets everywhere alike (a household's income of a
    year moved out of the household by the schema upgrade, on every laptop and on the server)."""
    return str(uuid.uuid5(_NATURAL, ":".join([entity, *map(str, key)])))


class HouseholdIncome(Synced, Base):
    """A household's income of one calendar year, by the four sources of 可支配收入, and its size that
    year (人均可支配收入 = the sum over the size; 工资性收入占比 = wage over the sum)."""

    __tablename__ = "household_income"
    __table_args__ = (
        Index("uq_household_income_household_year", "household_id", "year", unique=True,
              sqlite_where=text("deleted = 0"), postgresql_where=text("deleted = false")),
    )
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    wage: Mapped[float | None] = mapped_column(Float, default=None)
    business: Mapped[float | None] = mapped_column(Float, default=None)
    property: Mapped[float | None] = mapped_column(Float, default=None)
    transfer: Mapped[float | None] = mapped_column(Float, default=None)
    household_size: Mapped[int | None] = mapped_column(Integer, default=None)


class Insurance(Synced, Base):
    """One member's basic medical or basic pension insurance in one year (城乡居民/职工, who paid)."""

    __tablename__ = "insurance"
    __table_args__ = (
        Index("uq_insurance_member_year_kind", "member_id", "year", "kind", unique=True,
              sqlite_where=text("deleted = 0"), postgresql_where=text("deleted = false")),
    )
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    insured: Mapped[bool] = mapped_column(Boolean, default=True)
    scheme: Mapped[str | None] = mapped_column(String(16), default=None)
    paid_by: Mapped[str | None] = mapped_column(String(16), default=None)


class CountySettings(Synced, Base):
    """The county's figures the indicators are held to (core.indicators.CountyRules): one record,
    id COUNTY_SETTINGS_ID, edited by a county admin and pulled by every laptop."""

    __tablename__ = "county_settings"
    working_age_min: Mapped[int] = mapped_column(Integer, default=16)
    working_age_max: Mapped[int] = mapped_column(Integer, default=59)
    round_coverage: Mapped[float] = mapped_column(Float, default=0.95)
    training_target: Mapped[float] = mapped_column(Float, default=0.30)
    farmer_income_growth: Mapped[float | None] = mapped_column(Float, default=None)
    farmer_income_year: Mapped[int | None] = mapped_column(Integer, default=None)
    # Days to handle a grievance, per kind: ["repair:30", "dispute:15"] (a list, as the wire carries lists).
    grievance_days: Mapped[list[str]] = mapped_column(JSON, default=list)
