"""What is recorded about a household and its members: jobs, training, grievances, visits, measures."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, Synced


class Employment(Synced, Base):
    """A period of work of one member (就业); periods of one person do not overlap."""

    __tablename__ = "employment"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    start_month: Mapped[str] = mapped_column(String(7))
    end_month: Mapped[str | None] = mapped_column(String(7), default=None)
    channel: Mapped[str | None] = mapped_column(String(24), default=None)
    scope: Mapped[str | None] = mapped_column(String(16), default=None)
    place: Mapped[str | None] = mapped_column(String(64), default=None)
    employer: Mapped[str | None] = mapped_column(String(128), default=None)
    sector: Mapped[str | None] = mapped_column(String(1), default=None)
    trade: Mapped[str | None] = mapped_column(String(64), default=None)
    monthly_income: Mapped[float | None] = mapped_column(Float, default=None)
    has_contract: Mapped[bool] = mapped_column(Boolean, default=False)
    has_social_insurance: Mapped[bool] = mapped_column(Boolean, default=False)
    contract_term: Mapped[str | None] = mapped_column(String(16), default=None)
    insurance_months: Mapped[int | None] = mapped_column(Integer, default=None)
    place_code: Mapped[str | None] = mapped_column(String(6), default=None)


class Training(Synced, Base):
    """A training course one member took (培训)."""

    __tablename__ = "training"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    programme: Mapped[str | None] = mapped_column(String(128), default=None)
    training_type: Mapped[str | None] = mapped_column(String(24), default=None)
    trade: Mapped[str | None] = mapped_column(String(64), default=None)
    provider: Mapped[str | None] = mapped_column(String(128), default=None)
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    hours: Mapped[float | None] = mapped_column(Float, default=None)
    mode: Mapped[str | None] = mapped_column(String(16), default=None)
    result: Mapped[str | None] = mapped_column(String(16), default=None)
    certificate_type: Mapped[str | None] = mapped_column(String(24), default=None)
    certificate_level: Mapped[str | None] = mapped_column(String(2), default=None)
    certificate_no: Mapped[str | None] = mapped_column(String(64), default=None)
    subsidy: Mapped[float | None] = mapped_column(Float, default=None)
    employment_id: Mapped[str | None] = mapped_column(ForeignKey("employment.id"), default=None)


class Grievance(Synced, Base):
    """A request, dispute, repair or complaint (诉求/矛盾纠纷) and how it was handled."""

    __tablename__ = "grievance"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    case_no: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    dispute_type: Mapped[str | None] = mapped_column(String(16), default=None)
    summary: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(16), default=None)
    received_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(16), default="registered", index=True)
    responsible_unit: Mapped[str | None] = mapped_column(String(64), default=None)
    responsible_person: Mapped[str | None] = mapped_column(String(32), default=None)
    resolution: Mapped[str | None] = mapped_column(Text, default=None)
    closed_date: Mapped[date | None] = mapped_column(Date, default=None)
    followup_date: Mapped[date | None] = mapped_column(Date, default=None)
    satisfaction: Mapped[str | None] = mapped_column(String(16), default=None)


class GrievanceParty(Synced, Base):
    """A party to a grievance or dispute."""

    __tablename__ = "grievance_party"
    grievance_id: Mapped[str] = mapped_column(ForeignKey("grievance.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(16), default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)


class Visit(Synced, Base):
    """A monthly visit (走访/月度监测): one per household and month."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("uq_visit_household_month", "household_id", "month", unique=True,
              sqlite_where=text("deleted = 0"), postgresql_where=text("deleted = false")),
        # Not partial, so the planner uses it for "visited this month" whatever the query says of `deleted`.
        Index("ix_visit_household_month", "household_id", "month"),
    )
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"))
    month: Mapped[str] = mapped_column(String(7))
    visit_date: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str | None] = mapped_column(String(32), default=None)
    method: Mapped[str | None] = mapped_column(String(16), default=None)
    notes: Mapped[str | None] = mapped_column(Text, default=None)
    new_risks: Mapped[str | None] = mapped_column(Text, default=None)


class VisitMember(Synced, Base):
    """One member's employment status and income in the month of a visit."""

    __tablename__ = "visit_member"
    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"))  # rows are reached through their visit
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"))
    employment_status: Mapped[str | None] = mapped_column(String(16), default=None)
    income: Mapped[float | None] = mapped_column(Float, default=None)
    place_code: Mapped[str | None] = mapped_column(String(6), default=None)
    sector: Mapped[str | None] = mapped_column(String(1), default=None)


class Measure(Synced, Base):
    """An assistance measure (帮扶措施) for a household or one of its members."""

    __tablename__ = "measure"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), default=None)
    category: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(128))
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    amount: Mapped[float | None] = mapped_column(Float, default=None)
    responsible_person: Mapped[str | None] = mapped_column(String(32), default=None)
    status: Mapped[str | None] = mapped_column(String(16), default=None)
