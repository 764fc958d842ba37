"""Local bookkeeping tables: the audit log, the sync outbox and profile metadata. Never synced as rows."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, utc_now


class AuditEntry(Base):
    """One append-only, hash-chained line of the audit log: who did what to which record, when."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    actor: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(24))
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36))
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEntry(Base):
    """One save of one record waiting to be pushed: the fields it changed (their wire values), or a
    delete, with the server sequence the save was based on."""

    __tablename__ = "outbox"
    # AUTOINCREMENT: a number is never given again, so a batch frozen by numbers names only its own
    # entries (migration 0010).
    __table_args__ = {"sqlite_autoincrement": True}
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # "upsert" or "delete"
    fields: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> wire value; {} for a delete
    base_seq: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    actor: Mapped[str] = mapped_column(String(64), default="")


class PulledOrphan(Base):
    """A pulled record whose parent has not arrived yet, held until it does. Never synced.

    Pages come in server-sequence order and a record travels at its latest sequence, so a member
    can arrive pages before its household's latest version. The record waits here (the cursor
    moves past it in the same transaction) and is applied in the transaction that brings the
    record it `waits_for` (core/store/held.py)."""

    __tablename__ = "pulled_orphan"
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    fields: Mapped[object] = mapped_column(JSON)  # as the server sent them (wire values)
    waits_for: Mapped[str] = mapped_column(String(36), index=True)  # the id of a record not here yet


class ProfileMeta(Base):
    """Key/value facts about this profile: device id, user, sync cursor, last sync."""

    __tablename__ = "profile_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class HouseholdSummary(Base):
    """Local, derived, never synced: what the household list shows and searches, one row a household.

    Rebuilt by the store in the transaction of every save and after every pull (core.store.summary).
    `rid` is the row id of the two full-text indexes over `search_text` (see migration 0002), and
    what the list's pages are read by (core.store.queries).
    """

    __tablename__ = "household_summary"
    rid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    household_id: Mapped[str] = mapped_column(String(36), unique=True)
    # Sort keys of the list, each indexed so a page is read in order without sorting the county.
    household_no: Mapped[str] = mapped_column(String(32), default="", index=True)
    head_name: Mapped[str] = mapped_column(String(64), default="", index=True)
    address_key: Mapped[str] = mapped_column(String(64), default="", index=True)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, default=None, index=True)
    head_id_number: Mapped[str] = mapped_column(String(32), default="")
    member_count: Mapped[int] = mapped_column(Integer, default=0, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    search_tokens: Mapped[str] = mapped_column(Text, default="")
    # The latest month with a live visit, '' for none (migration 0003): "not visited in month M" is
    # decided from it alone unless the household has a visit dated after M.
    last_visit_month: Mapped[str] = mapped_column(String(7), default="", server_default="", index=True)
    # Copies of the household's own list filters (migration 0004), so that no filter of the list joins
    # the household table: its settlement, grid and monitoring category, and whether it is monitored
    # now (a monitoring category and no cleared month).
    settlement_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    grid_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    monitoring_category: Mapped[str | None] = mapped_column(String(24), default=None, index=True)
    monitored: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"), index=True)


class OwedSummary(Base):
    """Local, never synced: a household whose summary, search entries and zero-employment spans a
    pull has yet to refresh (migration 0011).

    A download of many pages writes each page's records with its cursor, and owes the summaries of
    the households it touched rather than rebuilding them page after page (a household's members
    often come pages after it). The pull settles them when it ends, also when it is cut off or
    cancelled, and opening a profile settles what a crash left (core.store.summary)."""

    __tablename__ = "summary_owed"
    household_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class ZeroEmploymentSpan(Base):
    """Local, derived, never synced: when a household is a zero-employment household (零就业家庭).

    A household is zero-employment (core.indicators.zero_employment_condition: a member of working
    age, able and willing to work, and no working-age member employed that month by the month's
    visit or else a job) in every month M with `after_month < M < before_month`. '' stands for
    "always before" and '~' for "never after". The spans are found by asking that condition at every
    month where its answer may change (core.indicators.zero_employment_spans), refreshed with the
    summary on every save and pull, and rebuilt when the definition changes (ZERO_EMPLOYMENT_RULE).
    """

    __tablename__ = "zero_employment_span"
    __table_args__ = (Index("ix_zero_employment_span_months", "before_month", "after_month", "household_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    household_id: Mapped[str] = mapped_column(String(36), index=True)
    after_month: Mapped[str] = mapped_column(String(7))
    before_month: Mapped[str] = mapped_column(String(7))


class IndicatorFact(Base):
    """Local, derived, never synced: what one household adds to every indicator's counts in the month
    the store keeps figures for (core.store.facts), so that the figures are a sum, not a count again."""

    __tablename__ = "indicator_fact"
    household_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    settlement_id: Mapped[str | None] = mapped_column(String(36), default=None)
    grid_id: Mapped[str | None] = mapped_column(String(36), default=None)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)  # count name -> how many (nonzero only)


class IndicatorTotal(Base):
    """Local, derived, never synced: the sum of the households' IndicatorFact counts per settlement and
    grid, kept by adding each household's change (core.store.facts)."""

    __tablename__ = "indicator_total"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    settlement_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # '' for none
    grid_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # '' for none
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)
