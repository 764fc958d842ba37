"""Reference data from the county server: areas, settlements (安置点), grids (网格)."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, Synced


class Area(Synced, Base):
    """An administrative division: GB/T 2260 (2/4/6 digits) or statistics codes (9/12 digits)."""

    __tablename__ = "area"
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(String(12), default=None)


class Settlement(Synced, Base):
    """A resettlement site (安置点): where relocated households now live."""

    __tablename__ = "settlement"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    area_code: Mapped[str] = mapped_column(String(12))
    mode: Mapped[str | None] = mapped_column(String(16), default=None)
    address: Mapped[str | None] = mapped_column(String(128), default=None)


class Grid(Synced, Base):
    """A grid (网格): the households one grid worker follows up."""

    __tablename__ = "grid"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    settlement_id: Mapped[str] = mapped_column(ForeignKey("settlement.id"))
    village_code: Mapped[str] = mapped_column(String(12))
