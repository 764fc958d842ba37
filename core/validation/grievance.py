"""Rules for grievances and disputes (诉求/矛盾纠纷): dates, the status chain, overdue cases."""
from __future__ import annotations

from datetime import date
from typing import Any

from core.codes import code_lists
from core.validation import coerce
from core.validation.checker import Checker, zh_date
from core.validation.coerce import CoerceError
from core.validation.problems import Problem

# 登记 -> 处理中 -> 已办结 -> 已回访
STATUS_CHAIN = ("registered", "in_progress", "closed", "followed_up")
CLOSED_STATUSES = frozenset({"closed", "followed_up"})


def grievance_next_statuses(status: str | None) -> list[str]:
    """The statuses a grievance may move to from `status` (a new one starts as 'registered')."""
    if status is None:
        return [STATUS_CHAIN[0]]
    if status not in STATUS_CHAIN:
        return []
    i = STATUS_CHAIN.index(status)
    return list(STATUS_CHAIN[i + 1:i + 2])


def check_status_move(old: str | None, new: str) -> list[Problem]:
    """A problem when a grievance may not move from status `old` to `new` (staying put is fine)."""
    if old == new or new in grievance_next_statuses(old):
        return []
    labels = code_lists()
    old_zh, new_zh = labels.label("grievance_status", old, "zh"), labels.label("grievance_status", new, "zh")
    allowed = "、".join(f"“{labels.label('grievance_status', s, 'zh')}”" for s in grievance_next_statuses(old))
    zh = f"办理状态：不能从“{old_zh}”直接改为“{new_zh}”"
    zh += f"，下一步只能是{allowed}" if allowed else "，已是最后一步"
    en = f"status: cannot move from {old!r} to {new!r}"
    return [Problem("status", zh, en)]


def is_overdue(g: dict[str, Any], today: date) -> bool:
    """Not closed yet and past its deadline."""
    if g.get("status") in CLOSED_STATUSES or not g.get("deadline"):
        return False
    try:
        return coerce.parse_date(g["deadline"]) < today
    except CoerceError:
        return False


def validate_grievance(g: dict[str, Any], parties: list[dict[str, Any]], today: date) -> list[Problem]:
    """Rules for a grievance and its parties ('parties[i].name')."""
    c = Checker("grievance", g, today)
    c.basics()
    c.text("case_no", required=True)
    kind = c.required("kind")
    c.text("summary", required=True)
    if kind == "dispute" and c.value("dispute_type") is None:
        c.add("dispute_type", "矛盾纠纷要选择纠纷类型", "is required for a dispute")
    received = c.date("received_date", required=True, not_future=True)
    deadline = c.date("deadline")
    if received is not None and deadline is not None and deadline < received:
        c.add("deadline", f"{zh_date(deadline)}早于受理日期（{zh_date(received)}）",
              f"{deadline.isoformat()} is before the received date ({received.isoformat()})")
    status = c.value("status") or STATUS_CHAIN[0]
    closed = _check_closing(c, status, received)
    _check_followup(c, status, closed)
    for i, party in enumerate(parties):
        pc = Checker("grievance_party", party, today, f"parties[{i}].")
        pc.basics()
        pc.text("name", required=True)
        pc.mobile("phone")
        c.problems.extend(pc.problems)
    return c.problems


def _check_closing(c: Checker, status: str, received: date | None) -> date | None:
    closed = c.date("closed_date", not_future=True)
    if status in CLOSED_STATUSES:
        if c.value("closed_date") is None:
            c.add("closed_date", "已办结的诉求要填写办结日期", "is required once the case is closed")
        if c.value("resolution") is None:
            c.warn("resolution", "已办结，请写明办理结果", "the case is closed: please describe how it was resolved")
    elif c.value("closed_date") is not None:
        c.add("closed_date", "诉求还没有办结，不应填写办结日期（请先把办理状态改为“已办结”）",
              "is given but the case is not closed")
    if closed is not None and received is not None and closed < received:
        c.add("closed_date", f"{zh_date(closed)}早于受理日期（{zh_date(received)}）",
              f"{closed.isoformat()} is before the received date ({received.isoformat()})")
    return closed


def _check_followup(c: Checker, status: str, closed: date | None) -> None:
    followup = c.date("followup_date", not_future=True)
    if status == "followed_up":
        if c.value("followup_date") is None:
            c.add("followup_date", "已回访的诉求要填写回访日期", "is required once the case is followed up")
        if c.value("satisfaction") is None:
            c.add("satisfaction", "已回访的诉求要填写群众满意度", "is required once the case is followed up")
    else:
        for field in ("followup_date", "satisfaction"):
            if c.value(field) is not None:
                c.add(field, "还没有回访，不应填写（请先把办理状态改为“已回访”）",
                      "is given but the case has not been followed up")
    if followup is not None and closed is not None and followup < closed:
        c.add("followup_date", f"{zh_date(followup)}早于办结日期（{zh_date(closed)}）",
              f"{followup.isoformat()} is before the closing date ({closed.isoformat()})")
