"""Rules for what is recorded about members and households: jobs, training, visits, measures."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from core.areas import area
from core.codes import code_lists
from core.validation import coerce
from core.validation.checker import Checker, zh_date
from core.validation.coerce import CoerceError
from core.validation.problems import Problem

MIN_MONTHLY_INCOME = 100.0
MAX_MONTHLY_INCOME = 30000.0
MAX_TRAINING_HOURS = 2000.0
OPEN_END = 10 ** 9  # an employment period without an end month runs on for ever
PLACE_CODE_LENGTH = 6
PLACE_CODE = re.compile(r"^\d{6}$")


# -- employment -------------------------------------------------------------------------

def validate_employment(e: dict[str, Any], other_periods_of_member: list[dict[str, Any]],
                        today: date) -> list[Problem]:
    """Rules for one employment period, given the member's other periods (the record itself,
    matched by id, and deleted periods are skipped)."""
    c = Checker("employment", e, today)
    c.basics()
    start = c.month("start_month", required=True)
    end = c.month("end_month")
    if start is not None and end is not None and end < start:
        c.add("end_month", f"{coerce.month_text(end)}早于开始月份（{coerce.month_text(start)}）",
              f"{coerce.month_text(end)} is before the start month ({coerce.month_text(start)})")
    elif start is not None:
        _check_overlap(c, start, OPEN_END if end is None else end, other_periods_of_member)
    _check_monthly_income(c)
    _check_contract(c)
    check_place_code(c)
    return c.problems


def _check_contract(c: Checker) -> None:
    months = c.integer("insurance_months")
    if months is not None and months < 0:
        c.add("insurance_months", f"不能是负数（现在是{months}）", f"cannot be negative ({months})")
    term = c.value("contract_term")
    if term not in (None, "none") and c.value("has_contract") is False:
        c.warn("has_contract", "选了劳动合同期限，请确认是否签订了劳动合同",
               "a contract term is given: was a contract signed?")
    if months and c.value("has_social_insurance") is False:
        c.warn("has_social_insurance", f"填了社保缴纳{months}个月，请确认是否参加了社会保险",
               f"{months} months of insurance paid are given: is the worker insured?")


def check_place_code(c: Checker) -> None:
    """A place of work: the six digits of a province, prefecture or county in GB/T 2260."""
    code = c.text("place_code")
    if code is None:
        return
    digits = coerce.ascii_text(code)
    if len(digits) > PLACE_CODE_LENGTH:
        return  # basics() has said it is too long
    if not PLACE_CODE.match(digits):
        c.add("place_code", f"“{code}”不对，就业地填省、市或县的6位行政区划代码",
              f"{code!r} should be the 6-digit division code of a province, prefecture or county")
    elif area(digits) is None:
        c.add("place_code", f"“{code}”在国家行政区划代码中查不到，请从列表中选择地点",
              f"{code!r} is not a division code of GB/T 2260: choose the place from the list")


def _period(p: dict[str, Any]) -> tuple[int, int] | None:
    try:
        start = coerce.month_index(p.get("start_month"))
        end = p.get("end_month")
        return start, OPEN_END if end in (None, "") else coerce.month_index(end)
    except CoerceError:
        return None


def _describe_period(p: dict[str, Any], start: int, end: int) -> tuple[str, str]:
    until_zh = "至今" if end == OPEN_END else f"至{coerce.month_text(end)}"
    until_en = "onwards" if end == OPEN_END else f"to {coerce.month_text(end)}"
    channel = p.get("channel")
    zh = f"{coerce.month_text(start)}{until_zh}"
    en = f"{coerce.month_text(start)} {until_en}"
    if channel and code_lists().contains("employment_channel", channel):
        zh += f"，{code_lists().label('employment_channel', channel, 'zh')}"
        en += f", {code_lists().label('employment_channel', channel, 'en')}"
    return zh, en


def _check_overlap(c: Checker, start: int, end: int, others: list[dict[str, Any]]) -> None:
    own_id = c.data.get("id")
    for other in others:
        if other.get("deleted") or (own_id and other.get("id") == own_id):
            continue
        period = _period(other)
        if period is None or not (start <= period[1] and period[0] <= end):
            continue
        field = "start_month" if period[0] <= start <= period[1] else "end_month"
        zh, en = _describe_period(other, *period)
        c.add(field, f"与这个人已有的就业记录（{zh}）时间重叠，同一个人的就业时段不能重叠",
              f"this period overlaps the member's employment {en}; periods of one person cannot overlap")
        return


def _check_monthly_income(c: Checker) -> None:
    income = c.non_negative("monthly_income")
    if income is not None and income >= 0 and not MIN_MONTHLY_INCOME <= income <= MAX_MONTHLY_INCOME:
        c.warn("monthly_income",
               f"{income:g}元不太常见（一般在{MIN_MONTHLY_INCOME:g}到{MAX_MONTHLY_INCOME:g}元之间），请核对",
               f"{income:g} yuan is unusual (usually {MIN_MONTHLY_INCOME:g} to {MAX_MONTHLY_INCOME:g}): check it")


# -- training ---------------------------------------------------------------------------

def validate_training(t: dict[str, Any], today: date) -> list[Problem]:
    """Rules for one training record."""
    c = Checker("training", t, today)
    c.basics()
    start = c.date("start_date")
    end = c.date("end_date")
    _check_date_order(c, start, end, "end_date", "开始日期")
    hours = c.number("hours")
    if hours is not None and hours <= 0:
        c.add("hours", f"应大于0（现在是{hours:g}）", f"should be more than 0 ({hours:g})")
    elif hours is not None and hours > MAX_TRAINING_HOURS:
        c.warn("hours", f"{hours:g}课时太多了，请核对", f"{hours:g} hours is a lot: check it")
    c.non_negative("subsidy")
    cert_type = c.value("certificate_type")
    for field in ("certificate_level", "certificate_no"):
        if c.value(field) is not None and cert_type in (None, "none"):
            c.add("certificate_type", "填了证书等级或编号，请选择证书类型",
                  "is required when a certificate level or number is given")
            break
    result = c.value("result")
    if result in ("passed", "failed") and end is not None and end > today:
        c.add("result", f"培训还没结束（结束日期是{zh_date(end)}），不能已有结果",
              f"the training has not ended yet ({end.isoformat()}), so it cannot have a result")
    return c.problems


def _check_date_order(c: Checker, start: date | None, end: date | None, end_field: str,
                      start_zh: str) -> None:
    if start is not None and end is not None and end < start:
        c.add(end_field, f"{zh_date(end)}早于{start_zh}（{zh_date(start)}）",
              f"{end.isoformat()} is before {start.isoformat()}")


# -- visits -----------------------------------------------------------------------------

def validate_visit(v: dict[str, Any], member_rows: list[dict[str, Any]], today: date) -> list[Problem]:
    """Rules for a monthly visit and its member rows ('members[i].income')."""
    c = Checker("visit", v, today)
    c.basics()
    month = c.month("month", required=True, not_future=True)
    visited = c.date("visit_date", required=True, not_future=True)
    if month is not None and visited is not None and visited.year * 12 + visited.month - 1 != month:
        c.add("visit_date", f"{zh_date(visited)}不在走访月份（{coerce.month_text(month)}）之内",
              f"{visited.isoformat()} is not in the visit month {coerce.month_text(month)}")
    seen: dict[Any, int] = {}
    for i, row in enumerate(member_rows):
        rc = Checker("visit_member", row, today, f"members[{i}].")
        rc.basics()
        rc.non_negative("income")
        check_place_code(rc)
        member = row.get("member_id")
        if member and member in seen:
            rc.add("member_id", f"与第{seen[member] + 1}位重复，同一个成员只能填一行",
                   f"is the same as row {seen[member] + 1}; one row per member")
        elif member:
            seen[member] = i
        c.problems.extend(rc.problems)
    return c.problems


# -- measures ---------------------------------------------------------------------------

def validate_measure(m: dict[str, Any], today: date) -> list[Problem]:
    """Rules for one assistance measure."""
    c = Checker("measure", m, today)
    c.basics()
    c.required("category")
    c.text("name", required=True)
    start = c.date("start_date")
    end = c.date("end_date")
    _check_date_order(c, start, end, "end_date", "开始日期")
    c.non_negative("amount")
    if c.value("status") == "completed":
        if end is None and c.value("end_date") is None:
            c.warn("end_date", "措施已完成，请填写结束日期", "the measure is completed: please give its end date")
        elif end is not None and end > today:
            c.add("end_date", f"措施已完成，结束日期不能是将来（{zh_date(end)}）",
                  f"the measure is completed, so it cannot end in the future ({end.isoformat()})")
    return c.problems
