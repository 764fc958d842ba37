"""Rules for a household (户) and its members (成员)."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from core.codes import code_lists
from core.idcard import InvalidResidentId, parse_resident_id, unknown_area
from core.validation import coerce
from core.validation.checker import Checker, zh_date
from core.validation.problems import Problem

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
EARLIEST_RELOCATION_YEAR = 2000  # the programme started in 2001
EARLIEST_GRADUATE_YEAR = 1950
MAX_HOUSE_AREA = 1000.0
AREA_CODE = re.compile(r"^\d{6}(\d{3}){0,2}$")
PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
REMOVED = "removed"


def derive_from_id(id_number: str | None, today: date) -> dict[str, Any]:
    """{'sex', 'birth_date'} read from a resident ID number, for the form to fill in; {} if invalid."""
    if not id_number:
        return {}
    try:
        rid = parse_resident_id(id_number, today)
    except InvalidResidentId:
        return {}
    return {"sex": rid.sex, "birth_date": rid.birth_date}


# -- a member ---------------------------------------------------------------------------

def validate_member(m: dict[str, Any], today: date, prefix: str = "") -> list[Problem]:
    """Rules for one member; `prefix` ('members[2].') when the member is a row of a household form."""
    c = Checker("member", m, today, prefix)
    c.basics()
    _check_name(c)
    c.required("relation")
    birth = c.date("birth_date", not_future=True)
    if birth is not None and birth < EARLIEST_BIRTH_DATE:
        c.add("birth_date", f"{zh_date(birth)}早于1900年，请核对", f"{birth.isoformat()} is before 1900")
    _check_id(c, birth)
    c.mobile("phone")
    _check_graduate_year(c, birth)
    _check_disability(c)
    _check_residence(c, birth)
    return c.problems


def _check_name(c: Checker) -> None:
    name = c.text("name", required=True)
    if name is None:
        return
    if any(ch.isdigit() for ch in name):
        c.add("name", f"“{name}”里有数字，姓名不应包含数字", f"{name!r} contains digits")
    elif len(name) == 1:
        c.warn("name", f"“{name}”只有一个字，请核对是否漏写", f"{name!r} has only one character: check it")


def _check_id(c: Checker, birth: date | None) -> None:
    id_type = c.value("id_type") or "resident_id"
    number = c.text("id_number")
    if number is None:
        c.warn("id_number", "没有填写，请尽量补全证件号码", "is missing: please add it if possible")
        return
    if id_type == "resident_id":
        _check_resident_id(c, number, birth)
    elif id_type == "passport" and not PASSPORT.match(coerce.ascii_text(number).upper()):
        c.add("id_number", f"“{number}”不像护照号码，护照号码由5到20位字母和数字组成",
              f"{number!r} is not a passport number (5 to 20 letters and digits)")


def _check_resident_id(c: Checker, number: str, birth: date | None) -> None:
    try:
        rid = parse_resident_id(number, c.today)
    except InvalidResidentId as e:
        c.add("id_number", e.zh, e.en)
        return
    doubtful_area = unknown_area(rid.area_code)
    if doubtful_area is not None:
        c.warn("id_number", *doubtful_area)
    sex = c.value("sex")
    if sex in ("1", "2") and sex != rid.sex:
        zh = code_lists().label("sex", rid.sex, "zh")
        en = code_lists().label("sex", rid.sex, "en").lower()
        c.add("sex", f"与身份证号码不符，按号码应为{zh}", f"does not agree with the ID number, which says {en}")
    if birth is not None and birth != rid.birth_date:
        c.add("birth_date", f"与身份证号码不符，按号码应为{zh_date(rid.birth_date)}",
              f"does not agree with the ID number, which says {rid.birth_date.isoformat()}")


def _check_graduate_year(c: Checker, birth: date | None) -> None:
    year = c.integer("graduate_year")
    if year is None:
        return
    latest = c.today.year + 5  # students may record the year they are due to graduate
    if not EARLIEST_GRADUATE_YEAR <= year <= latest:
        c.add("graduate_year", f"{year}年不合理，应在{EARLIEST_GRADUATE_YEAR}年到{latest}年之间",
              f"{year} should be between {EARLIEST_GRADUATE_YEAR} and {latest}")
    elif birth is not None and year - birth.year < 15:
        c.add("graduate_year", f"{year}年毕业时只有{year - birth.year}岁，请核对",
              f"graduating in {year} at the age of {year - birth.year} is not possible: check it")


def _check_disability(c: Checker) -> None:
    category, level = c.value("disability_category"), c.value("disability_level")
    if category is not None and level is None:
        c.add("disability_level", "填了残疾类别，也要填残疾等级",
              "is required when a disability category is given")
    if level is not None and category is None:
        c.add("disability_category", "填了残疾等级，也要填残疾类别",
              "is required when a disability level is given")
    if category is None and level is None and c.value("health") == "disabled":
        c.warn("disability_category", "健康状况是“残疾”，请填写残疾类别和等级",
               "health is 'disabled': please give the disability category and level")


def _check_residence(c: Checker, birth: date | None) -> None:
    """Where the member lives now and since when; a returned worker and the month of return."""
    if c.value("residence_place") is not None and c.value("residence") != "working_away":
        c.warn("residence_place", "只有现居住情况为“外出务工”时才填写务工地点，请核对",
               "is only for a member working away: check it")
    since = c.month("residence_since", not_future=True)
    returned = c.month("returned_month", not_future=True)
    if _flag(c, "returned_worker") and c.value("returned_month") is None:
        c.add("returned_month", "是返乡劳动力，请填写返乡月份", "is required for a returned worker")
    elif returned is not None and not _flag(c, "returned_worker"):
        c.warn("returned_worker", "填了返乡月份，请确认是否为返乡劳动力",
               "a month of return is given: is the member a returned worker?")
    if birth is None:
        return
    born = birth.year * 12 + birth.month - 1
    for field, month in (("residence_since", since), ("returned_month", returned)):
        if month is not None and month < born:
            c.add(field, f"{coerce.month_text(month)}早于出生月份（{coerce.month_text(born)}），请核对",
                  f"{coerce.month_text(month)} is before the month of birth ({coerce.month_text(born)})")


def _flag(c: Checker, field: str) -> bool:
    """A yes/no field as the store would keep it; a value that is not yes/no counts as no (normalize says so)."""
    value = c.value(field)
    try:
        return value is not None and coerce.parse_bool(value)
    except coerce.CoerceError:
        return False


# -- a household and its members --------------------------------------------------------

def validate_household(h: dict[str, Any], members: list[dict[str, Any]], today: date) -> list[Problem]:
    """Rules for a household form: the household's own fields, each member row, and the rules
    across members (one head, at most one spouse, no ID number twice)."""
    c = _household_checker(h, today)
    _check_members(c, members)
    return c.problems


def validate_household_fields(h: dict[str, Any], today: date) -> list[Problem]:
    """The household's own fields only: what the county server checks of a synced household, whose
    members arrive as records of their own."""
    return _household_checker(h, today).problems


def _household_checker(h: dict[str, Any], today: date) -> Checker:
    c = Checker("household", h, today)
    c.basics()
    c.text("household_no", required=True)
    c.phone("phone")  # a household may give a landline
    _check_relocation_year(c)
    _check_house(c)
    _check_monitoring(c)
    c.date("consent_date", not_future=True)
    return c


def _check_relocation_year(c: Checker) -> None:
    year = c.integer("relocation_year")
    if year is not None and not EARLIEST_RELOCATION_YEAR <= year <= c.today.year:
        c.add("relocation_year", f"{year}年不合理，应在{EARLIEST_RELOCATION_YEAR}年到{c.today.year}年之间",
              f"{year} should be between {EARLIEST_RELOCATION_YEAR} and {c.today.year}")


def _check_house(c: Checker) -> None:
    area = c.number("house_area")
    if area is not None and not 0 < area < MAX_HOUSE_AREA:
        c.add("house_area", f"{area:g}平方米不合理，应大于0、小于{MAX_HOUSE_AREA:g}平方米",
              f"{area:g} m² should be more than 0 and less than {MAX_HOUSE_AREA:g} m²")
    code = c.text("origin_area_code")
    if code is not None and not AREA_CODE.match(coerce.ascii_text(code)):
        c.add("origin_area_code", f"“{code}”不对，行政区划代码是6位、9位或12位数字",
              f"{code!r} should be a division code of 6, 9 or 12 digits")


def _check_monitoring(c: Checker) -> None:
    category = c.value("monitoring_category")
    identified = c.month("monitoring_identified_month", not_future=True)
    cleared = c.month("monitoring_cleared_month", not_future=True)
    has_identified = c.value("monitoring_identified_month") is not None
    has_cleared = c.value("monitoring_cleared_month") is not None
    if category is not None and not has_identified:
        c.add("monitoring_identified_month", "已选择监测对象类别，请填写纳入监测的月份",
              "is required for a monitored household")
    if category is None and (has_identified or has_cleared):
        c.add("monitoring_category", "填了监测月份，请选择监测对象类别",
              "is required when monitoring months are given")
    if identified is not None and cleared is not None and cleared < identified:
        c.add("monitoring_cleared_month",
              f"{coerce.month_text(cleared)}早于纳入监测月份（{coerce.month_text(identified)}），请核对",
              f"{coerce.month_text(cleared)} is before the month identified ({coerce.month_text(identified)})")
    risks = c.data.get("risk_types")
    if risks is not None and not isinstance(risks, (list, tuple)):
        c.add("risk_types", "应为一个或几个风险类型", "should be a list of risk types")
    elif category is not None and not risks:
        c.add("risk_types", "监测对象至少要选一种风险类型", "at least one is required for a monitored household")


def _check_members(c: Checker, members: list[dict[str, Any]]) -> None:
    for i, m in enumerate(members):
        c.problems.extend(validate_member(m, c.today, f"members[{i}]."))
    active = [(i, m) for i, m in enumerate(members) if (m.get("status") or "normal") != REMOVED]
    _check_relation_count(c, active, "head", "户主", "head of household", minimum=1)
    _check_relation_count(c, active, "spouse", "配偶", "spouse", minimum=0)
    _check_duplicate_ids(c, active)
    _check_living_alone(c, active)


def _check_living_alone(c: Checker, active: list) -> None:
    """Living alone is living at the site (where nothing else is recorded) with no one else of the
    household living there."""
    at_site = [i for i, m in active if m.get("residence") in (None, "", "at_site")]
    for i, m in active:
        if m.get("lives_alone") is not True:
            continue
        row = Checker("member", m, c.today, f"members[{i}].")
        if i not in at_site:
            row.warn("lives_alone", "不住在安置点，不算独居，请核对", "the member does not live at the site: check it")
        elif len(at_site) > 1:
            row.warn("lives_alone", "户内还有其他成员常住安置点，请核对是否独居",
                     "other members of the household live at the site: check it")
        c.problems.extend(row.problems)


def _check_relation_count(c: Checker, active: list, relation: str, zh: str, en: str, minimum: int) -> None:
    rows = [i for i, m in active if m.get("relation") == relation]
    if len(rows) < minimum:
        c.add("members", f"没有{zh}，每户必须有一位{zh}，请在成员中指定",
              f"there is no {en}; every household needs exactly one")
    elif len(rows) > 1:
        which = "、".join(str(i + 1) for i in rows)
        c.add("members", f"有{len(rows)}位{zh}（第{which}位成员），一户只能有一位{zh}",
              f"there are {len(rows)} members marked {en} (rows {', '.join(str(i + 1) for i in rows)}); "
              f"a household has at most one")


def _check_duplicate_ids(c: Checker, active: list) -> None:
    seen: dict[str, int] = {}
    for i, m in active:
        key = _id_key(m, c.today)
        if key is None:
            continue
        if key in seen:
            first = seen[key]
            row = Checker("member", m, c.today, f"members[{i}].")
            row.add("id_number", f"与第{first + 1}位成员的号码相同，同一个号码不能登记两次",
                    f"is the same as member {first + 1}'s; one number cannot be recorded twice")
            c.problems.extend(row.problems)
        else:
            seen[key] = i


def _id_key(m: dict[str, Any], today: date) -> str | None:
    """The ID number as compared for duplicates: an old 15-digit number as its 18-digit form."""
    number = m.get("id_number")
    if blank_text(number):
        return None
    text = coerce.ascii_text(number).upper()
    if (m.get("id_type") or "resident_id") == "resident_id":
        try:
            return parse_resident_id(text, today).number
        except InvalidResidentId:
            return text
    return text


def blank_text(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
