"""The household list: filters, sorting, paging and search-as-you-type over the summary table."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, and_, column, func, not_, select, table
from sqlalchemy.orm import Session

from core.idcard import mask_id_number, mask_phone
from core.indicators import (
    month_of, overdue_grievance_condition, visited_condition, zero_employment_condition,
)
from core.models import Grid, Household, HouseholdSummary, Settlement
from core.store.summary import fts_phrase


@dataclass(frozen=True)
class HouseholdFilter:
    """What the household list is narrowed to; every field left None means 'any'."""

    text: str = ""
    settlement_id: str | None = None
    grid_id: str | None = None
    monitoring_category: str | None = None
    monitored_only: bool = False
    zero_employment: bool | None = None
    overdue_grievance: bool | None = None
    not_visited_this_month: bool | None = None
    today: date = field(default_factory=date.today)


@dataclass(frozen=True)
class HouseholdRow:
    """One line of the household list; ID number and phone are masked."""

    id: str
    household_no: str
    head_name: str
    head_id_masked: str
    phone_masked: str
    settlement: str
    grid: str
    address: str
    member_count: int
    monitoring_category: str | None
    updated_at: datetime


SORT_KEYS = {
    "household_no": (Household.household_no,),
    "head_name": (HouseholdSummary.head_name,),
    "settlement": (Settlement.name, Household.building, Household.unit, Household.room),
    "address": (Household.building, Household.unit, Household.room),
    "member_count": (HouseholdSummary.member_count,),
    "updated_at": (Household.updated_at,),
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TRIGRAM = table("household_trigram", column("rowid"), column("household_trigram"))
_TOKENS = table("household_tokens", column("rowid"), column("household_tokens"))


def _matching(word: str):  # noqa: ANN202 - a SQL condition
    """Households whose search text holds `word`: any substring from three characters on,
    the start of a word below that (the trigram index cannot see shorter strings)."""
    if len(word) >= 3:
        hits = select(_TRIGRAM.c.rowid).where(_TRIGRAM.c.household_trigram.op("MATCH")(fts_phrase(word)))
    else:
        hits = select(_TOKENS.c.rowid).where(_TOKENS.c.household_tokens.op("MATCH")(fts_phrase(word) + "*"))
    return HouseholdSummary.rid.in_(hits)


def _conditions(f: HouseholdFilter) -> list:
    conds = [Household.deleted.is_(False)]
    for word in _CONTROL.sub(" ", f.text).lower().split():
        conds.append(_matching(word))
    if f.settlement_id:
        conds.append(Household.settlement_id == f.settlement_id)
    if f.grid_id:
        conds.append(Household.grid_id == f.grid_id)
    if f.monitoring_category:
        conds.append(Household.monitoring_category == f.monitoring_category)
    if f.monitored_only:
        conds.append(and_(Household.monitoring_category.is_not(None), Household.monitoring_cleared_month.is_(None)))
    month = month_of(f.today)
    flags = ((f.zero_employment, zero_employment_condition(month)),
             (f.overdue_grievance, overdue_grievance_condition(f.today)),
             (f.not_visited_this_month, not_(visited_condition(month))))
    for wanted, condition in flags:
        if wanted is not None:
            conds.append(condition if wanted else not_(condition))
    return conds


def _base(f: HouseholdFilter, *columns) -> Select:  # noqa: ANN002 - selected columns
    stmt = select(*columns).select_from(Household).join(HouseholdSummary, HouseholdSummary.household_id == Household.id)
    stmt = stmt.outerjoin(Settlement, Settlement.id == Household.settlement_id).outerjoin(Grid, Grid.id == Household.grid_id)
    return stmt.where(*_conditions(f))


def _address(building: str | None, unit: str | None, room: str | None) -> str:
    parts = [f"{building}栋" if building else "", f"{unit}单元" if unit else "", room or ""]
    return "".join(parts)


def list_households(session: Session, f: HouseholdFilter, sort: str = "household_no", descending: bool = False,
                    offset: int = 0, limit: int = 100) -> list[HouseholdRow]:
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}; one of {sorted(SORT_KEYS)}")
    order = [c.desc() if descending else c.asc() for c in SORT_KEYS[sort]]
    order.append(Household.id.desc() if descending else Household.id.asc())
    stmt = _base(f, Household.id, Household.household_no, HouseholdSummary.head_name, HouseholdSummary.head_id_number,
                 Household.phone, Settlement.name, Grid.name, Household.building, Household.unit, Household.room,
                 HouseholdSummary.member_count, Household.monitoring_category, Household.updated_at)
    rows = session.execute(stmt.order_by(*order).offset(offset).limit(limit)).all()
    return [HouseholdRow(id=r[0], household_no=r[1], head_name=r[2], head_id_masked=mask_id_number(r[3] or ""),
                         phone_masked=mask_phone(r[4] or ""), settlement=r[5] or "", grid=r[6] or "",
                         address=_address(r[7], r[8], r[9]), member_count=r[10], monitoring_category=r[11],
                         updated_at=r[12]) for r in rows]


def count_households(session: Session, f: HouseholdFilter) -> int:
    return int(session.execute(_base(f, func.count())).scalar_one())
