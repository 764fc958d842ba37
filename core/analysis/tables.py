"""What each table of the analysts' copy holds: the profile's columns less the sync bookkeeping, a
Chinese `*_label` beside every coded column, personal data masked (or left out) unless asked, and
the flags the ledgers list by, worked out for the export's month with the indicators' own rules."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Boolean, ColumnElement, Float, Integer, and_
from sqlalchemy.sql.schema import Column

from core.codes import code_lists
from core.idcard import mask_id_number, mask_phone
from core.indicators.base import CountyRules, live_member, working_age
from core.indicators.employment import zero_employment_condition
from core.indicators.flags import special_hardship_condition
from core.indicators.people import employed_member_condition, labour_member_condition
from core.models import (
    Employment, Grid, Grievance, GrievanceParty, Household, HouseholdIncome, Insurance, Measure, Member, Settlement,
    Synced, Training, Visit, VisitMember,
)
from core.validation.fields import CODED_FIELDS

# The order tables are copied in: every table after the tables its foreign keys point at.
MODELS: tuple[type[Synced], ...] = (
    Settlement, Grid, Household, Member, Employment, Training, Grievance, GrievanceParty, Visit, VisitMember,
    Measure, HouseholdIncome, Insurance,
)
# Sync bookkeeping, meaningless outside the profile (every row copied is live, so `deleted` says nothing).
DROPPED = ("deleted", "server_seq", "device_id")
MASKED: dict[tuple[str, str], Callable[[str | None], str]] = {
    ("member", "id_number"): mask_id_number, ("member", "phone"): mask_phone,
    ("household", "phone"): mask_phone, ("grievance_party", "phone"): mask_phone,
}
LEFT_OUT_MASKED = {("member", "health")}  # health is never in a masked copy, not even as a hint
ADDRESS = "address"  # household: settlement, building, unit and room, words apart for the full-text search

Flags = Callable[[str, CountyRules], dict[str, ColumnElement[bool]]]


def _member_flags(month: str, rules: CountyRules) -> dict[str, ColumnElement[bool]]:
    return {
        "is_working_age": and_(live_member(), working_age(month, rules)),
        "is_labour": labour_member_condition(month, rules),
        "is_employed": employed_member_condition(month, rules),
        "is_special_hardship": special_hardship_condition(month, rules),
    }


def _household_flags(month: str, rules: CountyRules) -> dict[str, ColumnElement[bool]]:
    return {"is_zero_employment": zero_employment_condition(month, rules)}


FLAGS: dict[str, Flags] = {"member": _member_flags, "household": _household_flags}


@dataclass(frozen=True)
class TableSpec:
    """One table of the copy: its columns and their SQLite types, its foreign keys, and how a row of
    the profile becomes a row of the copy."""

    model: type[Synced]
    unmasked: bool

    @property
    def name(self) -> str:
        return self.model.__tablename__

    def source_columns(self) -> list[Column]:
        """The profile's columns read for this table."""
        return [c for c in self.model.__table__.columns if c.key not in DROPPED and not self._left_out(c.key)]

    def _left_out(self, field: str) -> bool:
        return not self.unmasked and (self.name, field) in LEFT_OUT_MASKED

    def columns(self, flags: list[str]) -> dict[str, type]:
        """Every column of the copy with its type, in order: each coded column followed by its label."""
        out: dict[str, type] = {}
        coded = CODED_FIELDS.get(self.name, {})
        for column in self.source_columns():
            out[column.key] = _python_type(column)
            if column.key in coded:
                out[f"{column.key}_label"] = str
        if self.model is Household:
            out[ADDRESS] = str
        out.update({flag: int for flag in flags})
        return out

    def foreign_keys(self) -> list[tuple[str, str, str]]:
        return [(c.key, fk.column.table.name, fk.column.name)
                for c in self.source_columns() for fk in c.foreign_keys]

    def row(self, values: dict, places: dict[str, str]) -> dict:
        """A row of the copy from a row of the profile (`values`, with the flags); `places` is the
        settlements' names by id, for the household's address."""
        out: dict = {}
        coded = CODED_FIELDS.get(self.name, {})
        lists = code_lists()
        for column in self.source_columns():
            value = values[column.key]
            mask = MASKED.get((self.name, column.key))
            out[column.key] = mask(value) if mask and not self.unmasked and value else _plain(value)
            if column.key in coded:
                codes = value if isinstance(value, list) else [value]
                out[f"{column.key}_label"] = "、".join(lists.label(coded[column.key], c) for c in codes if c) or None
        if self.model is Household:
            out[ADDRESS] = address_words(places.get(values.get("settlement_id") or ""), values.get("building"),
                                         values.get("unit"), values.get("room"))
        for key, value in values.items():
            if key.startswith("is_"):
                out[key] = int(bool(value))
        return out


def address_words(settlement: str | None, building: object, unit: object, room: object) -> str | None:
    """"幸福家园 12栋 3单元 1104": the parts apart, so the full-text search finds each (missing ones left out)."""
    parts = [settlement or "", f"{building}栋" if building else "", f"{unit}单元" if unit else "", str(room or "")]
    return " ".join(p for p in parts if p) or None


def _python_type(column: Column) -> type:
    kind = column.type
    if isinstance(kind, (Integer, Boolean)):
        return int
    if isinstance(kind, Float):
        return float
    return str  # text, dates (ISO 8601), JSON lists


def _plain(value: object) -> object:
    """A profile's value as SQLite keeps it: dates in ISO 8601, lists as JSON, booleans 0 or 1."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value

