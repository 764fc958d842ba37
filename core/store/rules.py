"""Rules that need the database, checked inside the save's transaction."""
from __future__ import annotations

import functools
from datetime import date

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from core import validation as v
from core.among import among_param, json_values
from core.idcard import InvalidResidentId, mask_id_number, parse_resident_id
from core.models import ONE_PER, Grid, Household, Member, Settlement, Visit


def complete_from_id(member: dict, today: date) -> dict:
    """Store the 18-digit form of a resident ID and fill sex and birth date from it when left empty."""
    if member.get("id_type", "resident_id") != "resident_id" or not member.get("id_number"):
        return member
    try:
        rid = parse_resident_id(member["id_number"], today)
    except InvalidResidentId:
        return member  # validation reports it, naming the field
    out = {**member, "id_number": rid.number}
    if out.get("sex") is None:
        out["sex"] = rid.sex
    if out.get("birth_date") is None:
        out["birth_date"] = rid.birth_date
    return out


def ids_registered_elsewhere(session: Session, household_id: str | None, members: list[dict]) -> list[v.Problem]:
    """A person lives in one household: an ID number already in another live household is an error.
    The same member record moving into this household (a son starting his own) is not a second person."""
    numbers = {m["id_number"]: i for i, m in enumerate(members)
               if m.get("id_number") and m.get("status") != "removed"}
    if not numbers:
        return []
    problems = []
    # Through the session: what an import wrote before this household, not yet flushed, is seen too.
    found = session.execute(_REGISTERED, {"numbers": json_values(numbers), "household": household_id or ""})
    for number, household_no, member_id in found:
        i = numbers[number]
        if member_id == members[i].get("id"):
            continue
        problems.append(v.Problem(
            f"members[{i}].id_number",
            f"第{i + 1}行成员：身份证号码 {mask_id_number(number)} 已登记在户 {household_no} 中，一人不能同时在两户。",
            f"row {i + 1}: ID number {mask_id_number(number)} is already registered in household {household_no}.",
            "error"))
    return problems


# Built once (a save asks it every time; building it cost as much as running it), the numbers as one
# parameter (core.among).
_REGISTERED = (select(Member.id_number, Household.household_no, Member.id)
               .join(Household, Household.id == Member.household_id)
               .where(among_param(Member.id_number, "numbers"), Member.deleted.is_(False), Member.status != "removed",
                      Household.deleted.is_(False), Household.id != bindparam("household")))


def check_owner(session: Session, data: dict, member_required: bool = False) -> list[v.Problem]:
    """A record belongs to a live household, and its member (if any) to that same household."""
    household = session.get(Household, data.get("household_id") or "")
    if household is None or household.deleted:
        return [v.Problem("household_id", "所属户不存在或已被删除。", "The household does not exist or was deleted.", "error")]
    member_id = data.get("member_id")
    if member_required and not member_id:
        return [v.Problem("member_id", "请选择这条记录属于哪位家庭成员。", "Choose the member this record is about.", "error")]
    if member_id:
        member = session.get(Member, member_id)
        if member is None or member.deleted or member.household_id != household.id:
            return [v.Problem("member_id", "所选成员不属于这一户，或已被删除。",
                              "The member does not belong to this household or was deleted.", "error")]
    return []


def check_one_per(session: Session, model: type, data: dict) -> list[v.Problem]:
    """A record of which there is one per key (core.models.ONE_PER: a household's income per year, a
    member's insurance per year and kind) does not repeat another live one. Visits say it their own
    way, with their month (check_rows)."""
    key = ONE_PER.get(model.__tablename__, ())
    if not key or model.__tablename__ == "visit":
        return []
    stmt = select(model.id).where(model.deleted.is_(False), model.id != (data.get("id") or ""),
                                  *[getattr(model, k) == data.get(k) for k in key])
    if session.execute(stmt.limit(1)).first() is None:
        return []
    entity = model.__tablename__
    field = "kind" if "kind" in key else key[-1]
    zh, en = v.label(entity, field)
    if entity == "household_income":
        return [v.Problem(field, f"{zh}：这一户这一年的收入已经登记过，请打开原记录修改。",
                          f"{en}: this household's income of that year is recorded already; open it to change it.")]
    return [v.Problem(field, f"{zh}：这位成员这一年的这项保险已经登记过，请打开原记录修改。",
                      f"{en}: this member's insurance of this kind is recorded for that year already; "
                      "open it to change it.")]


def check_places(session: Session, household: dict) -> list[v.Problem]:
    """The settlement and grid a household names exist (reference data from the county): one query
    for both, as a save asks it every time."""
    named = [(field, model, zh) for field, model, zh in _PLACES if household.get(field)]
    if not named:
        return []
    found = session.execute(_places_statement(tuple(field for field, _, _ in named)),
                            {field: household[field] for field, _, _ in named}).one()
    return [v.Problem(field, f"{zh}不在本机的参考数据中，请重新选择，或同步后再试。",
                      f"The {field[:-3]} is not in this device's reference data.", "error")
            for (field, _, zh), exists in zip(named, found) if not exists]


_PLACES = (("settlement_id", Settlement, "安置点"), ("grid_id", Grid, "网格"))


@functools.lru_cache(maxsize=4)
def _places_statement(fields: tuple[str, ...]) -> Select:
    """Whether each place named in `fields` exists, its id bound by the field's name: built once."""
    models = dict((field, model) for field, model, _ in _PLACES)
    return select(*(select(models[f].id).where(models[f].id == bindparam(f)).exists() for f in fields))


def check_rows(session: Session, model: type, record: dict, rows: list[dict], label: str) -> list[v.Problem]:
    """Rows of a visit or grievance: members of the same household; one visit a household a month."""
    problems = check_owner(session, record)
    if problems:
        return problems
    for i, row in enumerate(rows):
        owner = check_owner(session, {"household_id": record["household_id"], **row}, member_required=model is Visit)
        problems += [v.Problem(f"{label}[{i}].{p.field}", f"第{i + 1}行：{p.zh}", f"row {i + 1}: {p.en}", "error")
                     for p in owner]
    if model is Visit and record.get("month"):
        clash = session.execute(select(Visit.id).where(
            Visit.household_id == record["household_id"], Visit.month == record["month"], Visit.deleted.is_(False),
            Visit.id != (record.get("id") or ""))).first()
        if clash:
            problems.append(v.Problem("month", f"本户 {record['month']} 已有走访记录，请打开那条记录修改。",
                                      f"This household already has a visit for {record['month']}; edit that one.",
                                      "error"))
    return problems
