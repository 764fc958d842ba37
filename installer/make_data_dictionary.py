"""Write docs/data-dictionary.md from core/: the models, the field labels, the validation tables and
the code lists, so the dictionary says what the code does and cannot silently fall behind it.

    python installer/make_data_dictionary.py            # rewrite docs/data-dictionary.md
    python installer/make_data_dictionary.py --check    # exit 1 when the file is out of date

What the code declares is read from it: every column of every table (core.models), its type and
length, its labels (core.validation.fields.FIELD_LABELS), the code list it takes its values from
(CODED_FIELDS) and every code of every list (core/resources/codes/codes.json). What a rule in
core/validation says in code is written once below, in RULES, beside the field it checks; a rule
naming a field that no longer exists, a synced field without a label, or a local column without a
description stops the script, so a field cannot be added or removed without this file noticing.
tests/core/test_data_dictionary.py fails when docs/data-dictionary.md is not what this writes.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, Text  # noqa: E402

from core.codes import code_lists  # noqa: E402
from core.models import SYNCED_ENTITIES, Base, Synced  # noqa: E402
from core.validation.fields import (  # noqa: E402
    ASCII_FIELDS, CODED_FIELDS, ENTITY_LABELS, FIELD_LABELS, MONTH_FIELDS, label,
)

OUTPUT = ROOT / "docs" / "data-dictionary.md"


class DictionaryError(Exception):
    """The code and the texts of this script disagree (a field added, renamed or removed)."""


# -- one column ---------------------------------------------------------------------------

def type_text(entity: str, column) -> str:  # noqa: ANN001 - a SQLAlchemy Column
    """The column's type in words: text ≤ n, month, date, number, list of codes, …"""
    type_ = column.type
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column.table.name
        return f"id of a `{target}`"
    if isinstance(type_, JSON):
        return "list of codes" if CODED_FIELDS.get(entity, {}).get(column.key) else "JSON"
    if isinstance(type_, Boolean):
        return "yes/no"
    if isinstance(type_, DateTime):
        return "date and time (UTC)"
    if isinstance(type_, Date):
        return "date (YYYY-MM-DD)"
    if isinstance(type_, Integer):
        return "whole number"
    if isinstance(type_, Float):
        return "number"
    if isinstance(type_, Text):
        return "long text"
    if column.key in MONTH_FIELDS:
        return "month (YYYY-MM)"
    if isinstance(type_, String) and type_.length:
        return f"text ≤ {type_.length}"
    return type(type_).__name__


def required_text(column) -> str:  # noqa: ANN001
    """'yes' for a column that cannot be empty and has no default; its default when it has one."""
    default = column.default
    if default is not None and default.is_scalar:
        arg = default.arg
        shown = "yes" if arg is True else "no" if arg is False else f"`{arg}`" if arg != "" else "empty text"
        return f"default {shown}"
    if default is not None and default.is_callable:
        return "default `[]`" if isinstance(column.type, JSON) else "set by the store"
    return "—" if column.nullable else "yes"


def rule_text(entity: str, column) -> str:  # noqa: ANN001
    """The rules a field is checked by: what the declared tables imply, then RULES' own words."""
    parts = []
    name = column.key
    code_list = CODED_FIELDS.get(entity, {}).get(name)
    if code_list:
        parts.append(f"a code of [`{code_list}`](#{code_list})")
    elif isinstance(column.type, String) and column.type.length and not column.foreign_keys \
            and name not in MONTH_FIELDS:
        parts.append(f"at most {column.type.length} characters")
    if name in ASCII_FIELDS:
        parts.append("full-width digits and letters are made ASCII")
    rule = RULES.get(f"{entity}.{name}")
    if rule:
        parts.append(rule)
    return "; ".join(parts) if parts else "—"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# -- the sections --------------------------------------------------------------------------

def _check_texts() -> None:
    """Stop when RULES, ENTITY_NOTES or LOCAL_TABLES name something the models no longer have, or a
    synced field has no label of its own."""
    problems = []
    for key in RULES:
        entity, _, name = key.partition(".")
        model = SYNCED_ENTITIES.get(entity)
        if model is None or name not in model.__table__.columns:  # type: ignore[attr-defined]
            problems.append(f"RULES names {key}, which no model has")
    for entity in ENTITY_NOTES:
        if entity not in SYNCED_ENTITIES:
            problems.append(f"ENTITY_NOTES names {entity}, which is not a synced entity")
    for entity, model in SYNCED_ENTITIES.items():
        for name in model.data_fields():
            if f"{entity}.{name}" not in FIELD_LABELS and name not in FIELD_LABELS:
                problems.append(f"{entity}.{name} has no label in core/validation/fields.py FIELD_LABELS")
        if entity not in ENTITY_LABELS:
            problems.append(f"{entity} has no name in core/validation/fields.py ENTITY_LABELS")
    local = {t.name: t for t in Base.metadata.sorted_tables if t.name not in SYNCED_ENTITIES}
    for name, table in local.items():
        described = LOCAL_TABLES.get(name)
        if described is None:
            problems.append(f"the local table {name} is not described in LOCAL_TABLES")
            continue
        for column in table.columns:
            if column.key not in described["columns"]:
                problems.append(f"the local column {name}.{column.key} is not described in LOCAL_TABLES")
        problems += [f"LOCAL_TABLES describes {name}.{c}, which the table does not have"
                     for c in described["columns"] if c not in table.columns]
    problems += [f"LOCAL_TABLES describes {name}, which no model declares" for name in LOCAL_TABLES if name not in local]
    lists = set(code_lists().names())
    problems += [f"{entity}.{field} takes its codes from {name}, which codes.json does not have"
                 for entity, fields in CODED_FIELDS.items() for field, name in fields.items() if name not in lists]
    if problems:
        raise DictionaryError("\n".join(problems))


HEADER = """\
# 数据字典 Data dictionary

<!-- Generated by installer/make_data_dictionary.py from core/models, core/validation and
core/resources/codes/codes.json. Do not edit by hand: change the code (or the texts at the end of
installer/make_data_dictionary.py) and run `python installer/make_data_dictionary.py`;
tests/core/test_data_dictionary.py fails while this file is out of date. -->

Every table a profile holds, every field, and every code list. The synced entities are the same
on a laptop and on the county server (the server copies core/'s tables, `sync/server/models.py`);
an entity's name is its table's name and the name it has on the sync wire
([protocol.md](protocol.md)). How to add a field is [adding-a-field.md](adding-a-field.md).

How to read the tables:

- **中文 / English**: the field's label, as forms and messages show it
  (`core/validation/fields.py`, `FIELD_LABELS`).
- **Type**: text ≤ n is the column's length in characters; a month is stored as `YYYY-MM` text;
  an id is the UUID of another record (made on the device that created it).
- **Required**: `yes` when the column cannot be empty and has no default; `default …` is what a
  record gets when the field is not given. A rule may require more (the Rules column says so).
- **Rules**: what `core/validation` checks, the same on the laptop (on every keystroke of a form,
  `core.forms.check_form`, and on save, `core.store.Store`) and on the county server (per pushed
  op, `core.validation.rows.validate_record`), unless the rule says it needs other records.
  A *warning* asks the worker to check and does not stop a save; everything else is an error.
- Before any rule, input is normalised (`core/validation/normalize.py`): text is stripped and
  blank text is empty; dates are read from `2024-03-05`, `2024/3/5`, `20240305` or `2024年3月5日`,
  months from `2024-03`, `202403` or `2024年3月`; yes/no from 是/否, 有/无, yes/no, 1/0; a code may
  be given by its Chinese or English label; a list of codes may be text separated by `,`, `，`,
  `、`, `;` or spaces.
"""


def bookkeeping_section() -> list[str]:
    lines = ["", "## Columns of every synced table", "",
             "Every synced table (`core.models.base.Synced`) carries these besides its own fields. They are",
             "bookkeeping, never user data: a save never puts them in the outbox, and a pull carries only the",
             "tombstone (`deleted`) beside a record's fields.",
             "", "| Field | 中文 | English | Type | Meaning |", "|---|---|---|---|---|"]
    sample = SYNCED_ENTITIES["household"].__table__  # type: ignore[attr-defined]
    for name in Synced.BOOKKEEPING:
        zh, en = label("household", name)
        lines.append(f"| `{name}` | {zh} | {en} | {type_text('household', sample.columns[name])} | "
                     f"{_cell(BOOKKEEPING_MEANING[name])} |")
    return lines


def entity_section(entity: str) -> list[str]:
    model = SYNCED_ENTITIES[entity]
    zh, en = ENTITY_LABELS[entity]
    lines = ["", f"### `{entity}` {zh} / {en}", ""]
    note = ENTITY_NOTES.get(entity)
    if note:
        lines += [note, ""]
    lines += ["| Field | 中文 | English | Type | Required | Rules |", "|---|---|---|---|---|---|"]
    table = model.__table__  # type: ignore[attr-defined]
    for name in model.data_fields():
        column = table.columns[name]
        fzh, fen = label(entity, name)
        lines.append(f"| `{name}` | {fzh} | {fen} | {type_text(entity, column)} | {required_text(column)} | "
                     f"{_cell(rule_text(entity, column))} |")
    return lines


def local_section() -> list[str]:
    lines = ["", "## Local tables (never synced)", "",
             "Tables only a profile holds: the sync outbox, the audit log and what the store derives for",
             "the household list. Nothing above `core/store` reads or writes them.", ""]
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    for name, described in LOCAL_TABLES.items():
        zh, en = described["name"]
        lines += [f"### `{name}` {zh} / {en}", "", described["about"], "",
                  "| Column | Type | 中文 | English |", "|---|---|---|---|"]
        for column in tables[name].columns:
            czh, cen = described["columns"][column.key]
            lines.append(f"| `{column.key}` | {type_text(name, column)} | {czh} | {cen} |")
        lines.append("")
    return lines[:-1]


def code_list_section() -> list[str]:
    users: dict[str, list[str]] = {}
    for entity, fields in CODED_FIELDS.items():
        for field, name in fields.items():
            users.setdefault(name, []).append(f"`{entity}.{field}`")
    lists = code_lists()
    lines = ["", "## Code lists (代码表)", "",
             "From `core/resources/codes/codes.json` (`core.codes.code_lists()`): each code with its Chinese",
             "and English label, in the order forms offer them. A field stores the code; forms, lists and",
             "ledgers show the label. Resident ID area codes are not a code list: every GB/T 2260 code ever",
             "issued is in `core/resources/codes/gbt2260_areas.txt` (its sources in the README beside it).", ""]
    for name in lists.names():
        used = ", ".join(users.get(name, [])) or "no field (yet)"
        lines += [f"### {name}", "", f"Used by {used}.", "", "| Code | 中文 | English |", "|---|---|---|"]
        lines += [f"| `{c.code}` | {_cell(c.zh)} | {_cell(c.en)} |" for c in lists.codes(name)]
        lines.append("")
    return lines[:-1]


def render() -> str:
    """The whole of docs/data-dictionary.md."""
    _check_texts()
    lines = HEADER.rstrip("\n").split("\n")
    lines += bookkeeping_section()
    lines += ["", "## Synced entities"]
    for entity in SYNCED_ENTITIES:
        lines += entity_section(entity)
    lines += local_section()
    lines += code_list_section()
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/data-dictionary.md from core/.")
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/data-dictionary.md is out of date")
    args = parser.parse_args(argv)
    text = render()
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else None
    if args.check:
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date: run python installer/make_data_dictionary.py",
                  file=sys.stderr)
            return 1
        return 0
    if current != text:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


# -- what the code says in rules, written once here ---------------------------------------

BOOKKEEPING_MEANING = {
    "id": "UUID made on the device that created the record, so records can be made offline and saving twice "
          "updates, never duplicates.",
    "created_at": "When the record was made (on a laptop: here; for a pulled record: when it arrived).",
    "updated_at": "When the record last changed here.",
    "created_by": "The user who made it (`server` for a record that arrived by a pull).",
    "device_id": "The device that made it (`server` for a record that arrived by a pull).",
    "deleted": "Tombstone: a deleted record stays, marked, so the delete can sync; lists never show it.",
    "server_seq": "The server sequence of the last version of this record the device has seen (0: never "
                  "synced). An edit is based on it; a form may only save over the version it opened.",
}

ENTITY_NOTES = {
    "area": "Reference data from the county server (laptops never push it). GB/T 2260 codes of 2, 4 or 6 "
            "digits and the statistics bureau's 9- and 12-digit township and village codes.",
    "settlement": "Reference data from the county server (laptops never push it).",
    "grid": "Reference data from the county server (laptops never push it). A worker's scope is a list of "
            "grid codes, a clerk's a `village_code`, an admin's a county code (`sync/server/accounts.py`).",
    "household": "Rules across the household form (`validate_household`): among members whose status is not "
                 "`removed`, exactly one has relation `head` and at most one `spouse`, and no ID number is "
                 "given twice (a 15-digit number counts as its 18-digit form). On save the store also refuses an "
                 "ID number already in another live household (`core.store.rules.ids_registered_elsewhere`). "
                 "The county server checks only the household's own fields: its members arrive as records of "
                 "their own (`core/validation/rows.py`). Its income is recorded per year "
                 "(`household_income`).",
    "member": "A resident ID fills sex and birth date when they are left empty, and is stored in its 18-digit "
              "form (`core.store.rules.complete_from_id`). A head cannot be deleted alone.",
    "employment": "Periods of one member may not overlap (checked on the laptop against the member's other "
                  "live periods; the server keeps both devices' records).",
    "grievance": "Status moves one step at a time: `registered` → `in_progress` → `closed` → `followed_up` "
                 "(checked by the store on save, `check_status_move`). Overdue is derived, never stored: not "
                 "closed and past its deadline (`is_overdue`).",
    "grievance_party": "Rows of a grievance form; the store keeps their `household_id` equal to the "
                       "grievance's.",
    "visit": "One live visit per household and month: a unique index over live rows "
             "(`uq_visit_household_month`), checked by the store on save and by the county server per op.",
    "visit_member": "Rows of a visit form: one row per member (checked on the laptop), each a member of the "
                    "visit's household.",
    "measure": "For the household, or for one of its members when `member_id` is given.",
    "household_income": "One live record per household and year (`uq_household_income_household_year`, checked "
                        "by the store and by the county server). 人均可支配收入 is the sum of the four sources over "
                        "`household_size` (or the live members), derived, never stored. Profile step 0008 and "
                        "server step 0006 moved each household's year-less income here, into the year the household "
                        "was last saved, under an id made from the household and year (`natural_id`), the same on "
                        "every laptop and on the server.",
    "insurance": "One live record per member, year and kind (`uq_insurance_member_year_kind`). A member without "
                 "this year's basic medical insurance, or aged 16 or over and not at school without basic "
                 "pension insurance, counts under 漏保断保 (`core.indicators.income`).",
    "county_settings": "One record, id `c0a7e5e7-5e77-4000-8000-000000000001`, pushed only by a county admin "
                       "(the server refuses anyone else) and pulled by every laptop as reference data. Without it "
                       "the policy's own figures apply (`core.indicators.CountyRules`).",
    "conflict": "Written only by the county server when it cannot merge a push (`sync/server/merge.py`); "
                "laptops never push it. Values are JSON text. A clerk settles it through the server "
                "([protocol.md](protocol.md#conflicts)).",
}

RULES = {
    # household
    "household.household_no": "required",
    "household.settlement_id": "must be a settlement in the device's reference data",
    "household.grid_id": "must be a grid in the device's reference data; decides whose scope the household is in",
    "household.relocation_year": "from 2000 to this year",
    "household.origin_area_code": "6, 9 or 12 digits",
    "household.house_area": "square metres; more than 0 and less than 1000",
    "household.phone": "a mobile (11 digits, 13–19 first) or a landline with its area code (0855-8221234)",
    "household.monitoring_category": "required when a monitoring month is given",
    "household.monitoring_identified_month": "required when a monitoring category is chosen; not in the future",
    "household.monitoring_cleared_month": "not in the future; not before the month identified",
    "household.risk_types": "at least one when a monitoring category is chosen",
    "household.consent_date": "not in the future",
    # member
    "member.name": "required; no digits; a single character is a warning",
    "member.id_number": "a warning when empty. Resident ID (GB 11643): 18 characters (a 15-digit number is "
                        "converted), check character right, a real birth date from 1900 to today, a province "
                        "code that exists; an area code GB/T 2260 never issued is a warning. Passport: 5 to 20 "
                        "letters and digits",
    "member.sex": "must agree with a resident ID number",
    "member.birth_date": "not in the future, not before 1900; must agree with a resident ID number",
    "member.relation": "required",
    "member.phone": "a mobile: 11 digits, 13–19 first",
    "member.disability_category": "required when a disability level is given; a warning when health is "
                                  "`disabled` and neither is given",
    "member.disability_level": "required when a disability category is given",
    "member.graduate_year": "from 1950 to five years from now; at least 15 years after the birth date",
    "member.status": "a `removed` member no longer counts for the household's head, spouse and ID rules",
    "member.lives_alone": "a warning when the member does not live at the site, or another member of the "
                          "household does (no residence recorded counts as living at the site)",
    "member.residence_place": "a warning when given for a member not working away",
    "member.residence_since": "not in the future; not before the month of birth",
    "member.returned_worker": "a warning when a month of return is given but the member is not marked a "
                              "returned worker",
    "member.returned_month": "required for a returned worker; not in the future; not before the month of birth",
    # employment
    "employment.member_id": "required; a member of the same household",
    "employment.start_month": "required",
    "employment.end_month": "empty: still working; not before the start month; no overlap with the "
                            "member's other periods",
    "employment.monthly_income": "yuan; not negative; a warning outside 100–30,000",
    "employment.insurance_months": "months; not negative",
    "employment.has_social_insurance": "a warning when months of insurance paid are given without it",
    "employment.has_contract": "a warning when a contract term is given without a contract",
    "employment.place_code": "six digits: a province, prefecture or county in GB/T 2260",
    # training
    "training.member_id": "required; a member of the same household",
    "training.end_date": "not before the start date",
    "training.hours": "more than 0; a warning above 2000",
    "training.result": "`passed` or `failed` only once the end date is not in the future",
    "training.certificate_type": "required (not `none`) when a certificate level or number is given",
    "training.subsidy": "yuan; not negative",
    "training.employment_id": "a job record (the county server also requires one of the same household)",
    # grievance
    "grievance.case_no": "required",
    "grievance.kind": "required",
    "grievance.dispute_type": "required when the kind is `dispute`",
    "grievance.summary": "required",
    "grievance.received_date": "required; not in the future",
    "grievance.deadline": "not before the received date",
    "grievance.status": "moves one step at a time (see above)",
    "grievance.resolution": "a warning when the case is closed without it",
    "grievance.closed_date": "required once `closed` or `followed_up`, not allowed before; not in the "
                             "future; not before the received date",
    "grievance.followup_date": "required once `followed_up`, not allowed before; not in the future; not "
                               "before the closing date",
    "grievance.satisfaction": "required once `followed_up`, not allowed before",
    "grievance_party.name": "required",
    "grievance_party.phone": "a mobile: 11 digits, 13–19 first",
    # visit
    "visit.month": "required; not in the future; one live visit per household and month",
    "visit.visit_date": "required; not in the future; inside the visit's month",
    "visit_member.member_id": "required; a member of the visit's household; one row per member",
    "visit_member.income": "yuan; not negative",
    "visit_member.place_code": "six digits: a province, prefecture or county in GB/T 2260",
    # measure
    "measure.member_id": "empty for the whole household; else a member of the same household",
    "measure.category": "required",
    "measure.name": "required",
    "measure.end_date": "not before the start date; once `completed`, not in the future (a warning when empty)",
    "measure.amount": "yuan; not negative",
    # a household's income of a year
    "household_income.year": "required; from 2015 to this year; one live record per household and year",
    "household_income.wage": "yuan a year; not negative; at least one of the four sources is given",
    "household_income.business": "yuan a year, net: may be a loss",
    "household_income.property": "yuan a year; not negative",
    "household_income.transfer": "yuan a year; not negative",
    "household_income.household_size": "people sharing the income that year, 1 to 30; the live members when empty",
    # a member's insurance of a year
    "insurance.member_id": "required; a member of the same household",
    "insurance.year": "required; from 2015 to this year; one live record per member, year and kind",
    "insurance.kind": "required",
    "insurance.insured": "a warning when not insured yet a scheme or payer is given",
    # the county's settings
    "county_settings.working_age_min": "required; 14 to 20",
    "county_settings.working_age_max": "required; 50 to 70",
    "county_settings.round_coverage": "required; a share above 0, at most 1 (0.95 means 95%)",
    "county_settings.training_target": "required; a share above 0, at most 1",
    "county_settings.farmer_income_growth": "a share from -0.5 to 1 (0.065 means 6.5%); needs its year",
    "county_settings.grievance_days": "items `kind:days` (a grievance_kind code, 1 to 365 days); typed as "
                                      "住房维修：30",
    # reference data
    "area.code": "unique",
    "settlement.code": "unique",
    "grid.code": "unique",
    # sync conflicts (written by the server)
    "conflict.field": "the field in conflict, `*` for a whole-record conflict",
    "conflict.kind": "`field` (both changed a field), `delete_edit` (a delete met an edit) or `edit_deleted` "
                     "(an edit met a delete)",
    "conflict.status": "`open` or `resolved`",
    "conflict.resolution": "the clerk's choice as JSON: `server`, `client` or a typed `value`",
}

LOCAL_TABLES = {
    "audit_log": {
        "name": ("审计日志", "audit log"),
        "about": "Append-only and hash-chained: each line's hash covers the line and the hash before it, so a "
                 "line changed, removed or reordered breaks the chain (`core.store.journal.verify_audit_chain`). "
                 "Written in the transaction of every save, delete, pull, push, restore and every look at "
                 "personal data in clear. Its head goes with every push ([protocol.md](protocol.md#audit)).",
        "columns": {
            "seq": ("行号", "line number, from 1"),
            "at": ("时间", "when (UTC)"),
            "actor": ("操作人", "user"),
            "device_id": ("设备编号", "device"),
            "action": ("操作", "create, update, delete, reveal, push, pull, restore, bulk_load"),
            "entity": ("记录类型", "entity (or `sync`, `profile`)"),
            "row_id": ("记录编号", "record id (or batch id, cursor)"),
            "detail": ("说明", "fields changed, or what was done; never a field's value"),
            "prev_hash": ("上一行哈希", "hash of the line before (64 zeros for the first)"),
            "hash": ("本行哈希", "SHA-256 of this line and prev_hash"),
        },
    },
    "outbox": {
        "name": ("待同步修改", "sync outbox"),
        "about": "One entry per save of a record (or per delete), written in the save's own transaction; an entry "
                 "leaves only when the server has answered the push that carried it.",
        "columns": {
            "seq": ("序号", "order of the edits"),
            "entity": ("记录类型", "entity"),
            "row_id": ("记录编号", "record id"),
            "kind": ("修改类型", "`upsert` or `delete`"),
            "fields": ("修改的字段", "the fields the save changed and their new values as they travel (wire values: "
                                "dates as ISO text); empty for a delete"),
            "base_seq": ("基于的服务器版本", "the record's server_seq when it was saved: what the save was based on"),
            "at": ("时间", "when (UTC)"),
            "actor": ("操作人", "user"),
        },
    },
    "pulled_orphan": {
        "name": ("待父记录的拉取记录", "pulled records waiting"),
        "about": "A pulled record whose parent (or whose unique month) is not on the laptop yet; written when "
                 "the record it waits for arrives ([sync.md](sync.md)).",
        "columns": {
            "entity": ("记录类型", "entity"),
            "row_id": ("记录编号", "record id"),
            "seq": ("服务器版本号", "server sequence of this version"),
            "deleted": ("已删除", "the server's tombstone"),
            "fields": ("字段值", "fields as the server sent them (wire values)"),
            "waits_for": ("等待的记录", "id of the record it waits for"),
        },
    },
    "profile_meta": {
        "name": ("档案信息", "profile facts"),
        "about": "Key/value facts of the profile: `username`, `server_url`, `server_token`, `server_ca`, `role`, "
                 "`scope`, `pull_cursor`, `pull_origin`, `last_sync`, `sync_frozen_batch`, `sync_rejections`, "
                 "`audit_server_anchor`, `audit_flagged_by_server`, and `draft:…` (a form's unsaved typing).",
        "columns": {
            "key": ("键", "key"),
            "value": ("值", "value (text, JSON for the structured ones)"),
        },
    },
    "household_summary": {
        "name": ("户列表摘要", "household list summary"),
        "about": "Derived, one row a household, rebuilt in the transaction of every save and pull, or once "
                 "at the end of a download of several pages (`summary_owed`; `core/store/summary.py`): what "
                 "the household list shows, sorts, filters and searches (two FTS5 indexes over `search_text` "
                 "and `search_tokens`, rowid `rid`).",
        "columns": {
            "rid": ("行号", "row id of the full-text indexes"),
            "household_id": ("户", "the household"),
            "household_no": ("户编号", "sort key"),
            "head_name": ("户主姓名", "sort key"),
            "address_key": ("地址排序键", "sort key of building/unit/room"),
            "updated_at": ("修改时间", "sort key"),
            "head_id_number": ("户主身份证号", "the head's ID number (shown masked)"),
            "member_count": ("人数", "live members"),
            "search_text": ("检索文本", "names, ID numbers, phones, numbers and address, for substring search"),
            "search_tokens": ("检索词", "word prefixes, for searches shorter than three characters"),
            "last_visit_month": ("最近走访月份", "latest month with a live visit, '' for none"),
            "settlement_id": ("安置点", "copy of the household's, for the list filter"),
            "grid_id": ("网格", "copy of the household's, for the list filter"),
            "monitoring_category": ("监测对象类别", "copy of the household's, for the list filter"),
            "monitored": ("监测中", "a monitoring category and no cleared month"),
        },
    },
    "summary_owed": {
        "name": ("待整理的户摘要", "household summaries owed"),
        "about": "A household whose list summary, search entries and zero-employment spans a download's pages "
                 "left to its end, noted in each page's transaction; the pull settles them when it ends or stops, "
                 "the next pull what a cancel or a failure left, and opening the profile what a kill left.",
        "columns": {
            "household_id": ("户", "the household"),
        },
    },
    "zero_employment_span": {
        "name": ("零就业区间", "zero-employment spans"),
        "about": "Derived: the months in which a household with labour had nobody working (零就业家庭), as "
                 "open intervals `after_month < M < before_month` ('' always before, '~' never after).",
        "columns": {
            "id": ("行号", "row id"),
            "household_id": ("户", "the household"),
            "after_month": ("起（不含）", "the month a stretch of work ended ('' for always before)"),
            "before_month": ("止（不含）", "the month the next stretch begins ('~' for never after)"),
        },
    },
    "indicator_fact": {
        "name": ("户指标计数", "what a household adds to the indicators"),
        "about": "Derived: each household's counts for every indicator in the month the figures are kept for "
                 "(`core.store.facts`), counted again in the transaction of every save or pull that touches it.",
        "columns": {
            "household_id": ("户", "the household"),
            "month": ("月份", "the month counted"),
            "settlement_id": ("安置点", "its settlement when counted"),
            "grid_id": ("网格", "its grid when counted"),
            "counts": ("计数", "count name → how many (nonzero only)"),
        },
    },
    "indicator_total": {
        "name": ("指标合计", "indicator totals"),
        "about": "Derived: the sums of `indicator_fact` per settlement and grid, kept by adding each change; the "
                 "dashboard's figures are read from here in milliseconds.",
        "columns": {
            "month": ("月份", "the month counted"),
            "settlement_id": ("安置点", "the settlement ('' for none)"),
            "grid_id": ("网格", "the grid ('' for none)"),
            "name": ("计数名", "the count"),
            "n": ("合计", "how many"),
        },
    },
}


if __name__ == "__main__":
    sys.exit(main())
