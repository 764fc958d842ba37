"""Households (户) and their members (成员)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, Synced


class Household(Synced, Base):
    __tablename__ = "household"
    household_no: Mapped[str] = mapped_column(String(32), index=True)
    settlement_id: Mapped[str | None] = mapped_column(ForeignKey("settlement.id"), index=True, default=None)
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grid.id"), index=True, default=None)
    building: Mapped[str | None] = mapped_column(String(16), default=None)
    unit: Mapped[str | None] = mapped_column(String(16), default=None)
    room: Mapped[str | None] = mapped_column(String(16), default=None)
    resettlement_mode: Mapped[str | None] = mapped_column(String(16), default=None)
    resettlement_area: Mapped[str | None] = mapped_column(String(16), default=None)
    relocation_year: Mapped[int | None] = mapped_column(Integer, default=None)
    origin_area_code: Mapped[str | None] = mapped_column(String(12), default=None)
    house_area: Mapped[float | None] = mapped_column(Float, default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    household_type: Mapped[str | None] = mapped_column(String(16), default=None)
    monitoring_category: Mapped[str | None] = mapped_column(String(24), index=True, default=None)
    monitoring_identified_month: Mapped[str | None] = mapped_column(String(7), default=None)
    monitoring_cleared_month: Mapped[str | None] = mapped_column(String(7), default=None)
    risk_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_date: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)


class Member(Synced, Base):
    __tablename__ = "member"
    __table_args__ = (Index("ix_member_household_relation", "household_id", "relation"),)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"))
    name: Mapped[str] = mapped_column(String(64))
    id_type: Mapped[str] = mapped_column(String(16), default="resident_id")
    id_number: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    sex: Mapped[str | None] = mapped_column(String(1), default=None)
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    ethnicity: Mapped[str | None] = mapped_column(String(4), default=None)
    relation: Mapped[str] = mapped_column(String(16), default="other")
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    education: Mapped[str | None] = mapped_column(String(16), default=None)
    school_status: Mapped[str | None] = mapped_column(String(24), default=None)
    health: Mapped[str | None] = mapped_column(String(16), default=None)
    disability_category: Mapped[str | None] = mapped_column(String(16), default=None)
    disability_level: Mapped[str | None] = mapped_column(String(2), default=None)
    labour_skill: Mapped[str | None] = mapped_column(String(16), default=None)
    graduate_year: Mapped[int | None] = mapped_column(Integer, default=None)
    dibao: Mapped[bool] = mapped_column(Boolean, default=False)
    tekun: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_insurance: Mapped[bool] = mapped_column(Boolean, default=False)
    pension_insurance: Mapped[bool] = mapped_column(Boolean, default=False)
    job_need: Mapped[str | None] = mapped_column(String(16), default=None)
    training_willing: Mapped[bool] = mapped_column(Boolean, default=False)
    wished_trade: Mapped[str | None] = mapped_column(String(64), default=None)
    marital_status: Mapped[str | None] = mapped_column(String(16), default=None)
    lives_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    residence: Mapped[str | None] = mapped_column(String(16), default=None)
    residence_place: Mapped[str | None] = mapped_column(String(64), default=None)
    residence_since: Mapped[str | None] = mapped_column(String(7), default=None)
    returned_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    returned_month: Mapped[str | None] = mapped_column(String(7), default=None)
    status: Mapped[str] = mapped_column(String(16), default="normal")
