"""One roster row as a member: its cells made the store's values, and the problems of the row itself.

The checks a roster needs said precisely (an ID number's check character, a birth date or sex that the
number contradicts, a code not in its list and the label nearest to it, a masked number, a number Excel
kept as a number) are made here with a code each; the field they are about is `covered`, so validation's
own word on that field is not said a second time (core/roster/check.py runs validation for the rest).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.codes import code_lists
from core.idcard import InvalidResidentId, mask_id_number, mask_phone, parse_resident_id, unknown_area
from core.models import Member
from core.roster.problems import ERROR, WARNING, RosterProblem, RosterRow
from core.roster.values import blank, cell_text, labels, match_code, nearest_label, number_lost_digits
from core.store.rules import complete_from_id
from core.validation import code_list_of, label, normalize
from core.validation.checker import LANDLINE, MOBILE, zh_date
from core.validation.coerce import ascii_text

PERSONAL = {"member.id_number", "member.phone", "household.phone", "key.head_id"}
ID_PROBLEMS = {"check": "id_check", "length": "id_length", "characters": "id_characters",
               "x_position": "id_characters", "province": "id_province", "birth_date": "id_birth_date",
               "too_early": "id_birth_date", "future": "id_birth_date"}
CHOICES_SHOWN = 12  # a list this short is shown whole when no label is near


def target_label(target: str) -> str:
    entity, _, name = target.partition(".")
    if entity in ("member", "household"):
        return label(entity, name)[0]
    return {"place.settlement": "安置点", "place.grid": "网格", "key.head_name": "户主姓名",
            "key.head_id": "户主身份证号"}.get(target, name)


def shown(target: str | None, value: object) -> str:
    """A cell as a problem shows it: ID numbers and phones masked."""
    text = cell_text(value)
    if target in ("member.id_number", "key.head_id"):
        return mask_id_number(text)
    return mask_phone(text) if target in PERSONAL else text


def problem(row: RosterRow, target: str | None, code: str, severity: str = ERROR, **params: object) -> RosterProblem:
    """A problem at `row`, in the column of `target` (its label when the file has no such column)."""
    column = row.columns.get(target) if target else None
    header = column.header if column else (target_label(target) if target else "")
    if target and "value" not in params:
        params["value"] = shown(target, row.cells.get(target))
    return RosterProblem(code, row.row, header, column.letter if column else "", params, severity, row.sheet)


def unknown_code(row: RosterRow, target: str, list_name: str, text: str) -> RosterProblem:
    nearest = nearest_label(list_name, text)
    choices = labels(list_name)
    return problem(row, target, "unknown_code", field=target_label(target), nearest=nearest,
                   choices="、".join(choices) if len(choices) <= CHOICES_SHOWN else "")


@dataclass
class MemberCheck:
    row: RosterRow
    data: dict = field(default_factory=dict)
    problems: list[RosterProblem] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)

    def add(self, target: str | None, code: str, severity: str = ERROR, **params: object) -> None:
        self.problems.append(problem(self.row, target, code, severity, **params))
        if target:
            self.covered.add(target.partition(".")[2])


def check_member(row: RosterRow, today: date) -> MemberCheck:
    """The member a row gives, normalised as a save normalises it, with the row's own problems."""
    m = MemberCheck(row)
    raw: dict = {}
    for target, value in row.cells.items():
        entity, _, name = target.partition(".")
        if entity != "member" or blank(value):
            continue
        list_name = code_list_of("member", name)
        text = cell_text(value)
        if name == "id_number":
            raw[name] = _id_cell(m, value)
        elif list_name and match_code(list_name, text) is None:
            m.problems.append(unknown_code(row, target, list_name, text))
            m.covered.add(name)
        else:
            raw[name] = match_code(list_name, text) if list_name else text
    clean, problems = normalize(Member, {k: v for k, v in raw.items() if v is not None})
    for p in problems:
        m.problems.append(invalid(row, f"member.{p.field}", p))
        m.covered.add(p.field)
    _required(m, clean)
    if "phone" not in m.covered and phone_is_wrong(clean.get("phone"), "member.phone"):
        m.add("member.phone", "phone_masked" if "*" in clean["phone"] else "bad_phone")
    if (clean.get("id_type") or "resident_id") == "resident_id":
        _resident_id(m, clean, today)
    m.data = complete_from_id(clean, today) if "id_number" not in m.covered else clean
    return m


def _id_cell(m: MemberCheck, value: object) -> str | None:
    text = cell_text(value)
    if number_lost_digits(value):
        m.add("member.id_number", "id_as_number")
    elif "*" in text:
        m.add("member.id_number", "id_masked")
    else:
        return text
    return None


def _required(m: MemberCheck, clean: dict) -> None:
    """A name and a relation on every row; a column the file lacks altogether is said once (check.py)."""
    for name in ("name", "relation"):
        if name in m.covered or not blank(clean.get(name)):
            continue
        if f"member.{name}" in m.row.columns:
            m.add(f"member.{name}", "required")
        else:
            m.covered.add(name)


def phone_is_wrong(value: str | None, target: str) -> bool:
    """A member's phone is a mobile; a household's may be a landline with its area code."""
    if value is None:
        return False
    text = ascii_text(value)
    return not (MOBILE.match(text) or (target == "household.phone" and LANDLINE.match(text)))


def invalid(row: RosterRow, target: str, p) -> RosterProblem:  # noqa: ANN001 - a validation Problem
    """What normalisation or validation said of a field; its words are kept, but never of an ID or phone
    (they would show the number in clear)."""
    if target in PERSONAL:
        return problem(row, target, "invalid_personal", p.severity, field=target_label(target))
    return problem(row, target, "invalid", p.severity, message_zh=p.zh, message_en=p.en)


def _resident_id(m: MemberCheck, clean: dict, today: date) -> None:
    number = clean.get("id_number")
    if "id_number" in m.covered:
        return
    if not number:
        m.add("member.id_number", "id_missing", WARNING)
        return
    try:
        rid = parse_resident_id(number, today)
    except InvalidResidentId as e:
        m.add("member.id_number", ID_PROBLEMS.get(e.problem, "id_characters"), length=len(ascii_text(number)))
        return
    if unknown_area(rid.area_code) is not None:
        m.add("member.id_number", "id_area_unknown", WARNING, area=rid.area_code)
    sex = clean.get("sex")
    if sex in ("1", "2") and sex != rid.sex:
        m.add("member.sex", "sex_mismatch", expected=code_lists().label("sex", rid.sex))
    birth = clean.get("birth_date")
    if birth is not None and birth != rid.birth_date:
        m.add("member.birth_date", "birth_mismatch", expected=zh_date(rid.birth_date))
