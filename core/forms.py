"""What a form needs to know about a record's fields, and the checks it runs as the worker types.

The GUI builds its editors from `field_spec` (kind, code list, label, length) and marks fields
from `check_form`, the same rules the store runs on save, so gui/ needs neither SQLAlchemy nor
its own copy of any rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text

from core import validation as v
from core.validation.rows import validate_record
from core.models import SYNCED_ENTITIES
from core.store.rules import complete_from_id
from core.validation.fields import MONTH_FIELDS, code_list_of, label
from core.validation.normalize import normalize_rows

# Links to other records: the form offers a choice of the household's members or jobs.
REFERENCE_FIELDS = {"member_id": "member", "employment_id": "employment", "settlement_id": "settlement",
                    "grid_id": "grid"}

# Administrative division codes picked from the place hierarchy (core/areas.py): a household's
# origin (6, 9 or 12 digits), a place of work (6: a province, prefecture or county).
AREA_FIELDS = frozenset({"origin_area_code", "place_code"})

# The unit of a number, (zh, en), by field name; household incomes are a year's, the others as named.
_YEAR_INCOME = ("元/年", "yuan/year")
_MONTH_INCOME = ("元/月", "yuan/month")
UNITS: dict[tuple[str, str], tuple[str, str]] = {
    ("household_income", "wage"): _YEAR_INCOME, ("household_income", "business"): _YEAR_INCOME,
    ("household_income", "property"): _YEAR_INCOME, ("household_income", "transfer"): _YEAR_INCOME,
    ("household_income", "household_size"): ("人", "people"), ("household_income", "year"): ("年", "year"),
    ("insurance", "year"): ("年", "year"),
    ("county_settings", "working_age_min"): ("周岁", "years old"),
    ("county_settings", "working_age_max"): ("周岁", "years old"),
    ("household", "house_area"): ("㎡", "m²"), ("household", "relocation_year"): ("年", "year"),
    ("employment", "insurance_months"): ("个月", "months"),
    ("member", "graduate_year"): ("年", "year"),
    ("employment", "monthly_income"): _MONTH_INCOME, ("visit_member", "income"): _MONTH_INCOME,
    ("training", "hours"): ("课时", "hours"), ("training", "subsidy"): ("元", "yuan"),
    ("measure", "amount"): ("元", "yuan"),
}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: `kind` is text, longtext, code, codes, month, date, int, float, bool, ref or area
    (a division code); `unit` is what a number is counted in."""

    entity: str
    name: str
    kind: str
    code_list: str | None
    required: bool
    max_length: int | None
    zh: str
    en: str
    unit_zh: str = ""
    unit_en: str = ""

    def label(self, lang: str = "zh") -> str:
        """The label a form shows; English labels start with a capital ('Birth date')."""
        return self.en[:1].upper() + self.en[1:] if lang.startswith("en") else self.zh

    def unit(self, lang: str = "zh") -> str:
        """The unit a form shows beside the field ('元/年', '㎡'), or ''."""
        return self.unit_en if lang.startswith("en") else self.unit_zh


def _kind(entity: str, name: str, column: Any) -> str:
    type_ = column.type
    if name in REFERENCE_FIELDS:
        return "ref"
    if name in AREA_FIELDS:
        return "area"
    if isinstance(type_, JSON):
        return "codes" if code_list_of(entity, name) else "text"  # a keyed list is typed: "维修：30，纠纷：15"
    if isinstance(type_, Boolean):
        return "bool"
    if isinstance(type_, Date):
        return "date"
    if isinstance(type_, Integer):
        return "int"
    if isinstance(type_, Float):
        return "float"
    if isinstance(type_, Text):
        return "longtext"
    if name in MONTH_FIELDS:
        return "month"
    if code_list_of(entity, name):
        return "code"
    return "text"


def field_spec(entity: str, name: str) -> FieldSpec:
    column = SYNCED_ENTITIES[entity].__table__.columns[name]
    zh, en = label(entity, name)
    required = not column.nullable and column.default is None and not column.foreign_keys
    length = column.type.length if isinstance(column.type, String) else None
    unit_zh, unit_en = UNITS.get((entity, name), ("", ""))
    return FieldSpec(entity, name, _kind(entity, name, column), code_list_of(entity, name), required, length, zh, en,
                     unit_zh, unit_en)


def data_fields(entity: str) -> list[str]:
    """The fields a person fills in, in table order (no bookkeeping columns, no parent link)."""
    return [f for f in SYNCED_ENTITIES[entity].data_fields() if f not in ("household_id", "visit_id", "grievance_id")]


def check_form(entity: str, data: dict, rows: list[dict] | None = None, today: date | None = None,
               others: list[dict] | None = None) -> list[v.Problem]:
    """Every problem the store would find on save that can be found without the database.

    `rows` are the form's child rows (members, parties, visit rows); `others` the member's other
    employment periods. Problems name the field the way the form names its editors.
    """
    today = today or date.today()
    model = SYNCED_ENTITIES[entity]
    clean, problems = v.normalize(model, data)
    clean_rows: list[dict] = []
    if entity in ("household", "grievance", "visit"):
        child, rows_name = {"household": ("member", "members"), "grievance": ("grievance_party", "parties"),
                            "visit": ("visit_member", "members")}[entity]
        set_by_store = ("household_id",) if entity == "household" else (f"{entity}_id", "household_id")
        clean_rows, row_problems = normalize_rows(SYNCED_ENTITIES[child], rows or [], rows_name, set_by_store)
        problems += row_problems
    if entity == "household":
        members = [complete_from_id(m, today) for m in clean_rows]
        return unread_first(problems, v.validate_household(clean, members, today))
    if entity == "member":
        return unread_first(problems, v.validate_member(complete_from_id(clean, today), today))
    if entity == "employment":
        return unread_first(problems, v.validate_employment(clean, others or [], today))
    if entity in ("grievance", "visit"):
        validate = v.validate_grievance if entity == "grievance" else v.validate_visit
        return unread_first(problems, validate(clean, clean_rows, today))
    return unread_first(problems, validate_record(entity, clean, today))  # training, measure, the yearly records


def unread_first(unread: list[v.Problem], rules: list[v.Problem]) -> list[v.Problem]:
    """What could not be read, then what the rules say about the rest. A value that could not be
    read is left out before the rules run, so a rule's word on that field (that it is missing)
    would contradict the first message: it is dropped."""
    said = {p.field for p in unread}
    return unread + [p for p in rules if p.field not in said]


# What a new visit's member row takes from the same member's row of the last visit.
VISIT_CARRIED = ("employment_status", "income", "place_code", "sector")


def prefill_visit(members: list[dict], visits: list[dict], employments: list[dict], month: str,
                  today: date | None = None) -> tuple[dict, list[dict]]:
    """A new visit for `month`: one row per current member, taken from the last visit where there
    is one, else from the member's job records, so a routine visit is a matter of confirming.

    `visits` are the household's visits newest first, each with its "members" rows.
    """
    today = today or date.today()
    last = next((vis for vis in visits if vis["month"] < month), None)
    last_rows = {r["member_id"]: r for r in (last or {}).get("members", [])}
    rows = []
    for m in members:
        if m.get("status") == "removed":
            continue
        before = last_rows.get(m["id"])
        if before is not None:
            rows.append({"member_id": m["id"], **{f: before.get(f) for f in VISIT_CARRIED}})
            continue
        job = next((e for e in employments if e["member_id"] == m["id"] and e["start_month"] <= month
                    and (not e.get("end_month") or e["end_month"] >= month)), None)
        rows.append({"member_id": m["id"], "employment_status": "employed" if job else None,
                     "income": job.get("monthly_income") if job else None,
                     "place_code": job.get("place_code") if job else None, "sector": job.get("sector") if job else None})
    visit = {"month": month, "visit_date": today, "method": (last or {}).get("method") or "home",
             "visitor": (last or {}).get("visitor")}
    return visit, rows
