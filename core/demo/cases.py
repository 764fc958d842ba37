"""Monthly visits (走访), grievances (诉求/矛盾纠纷) with their parties, and assistance measures (帮扶措施)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from random import Random

from core.demo import casebook, vocab
from core.demo.household import Draft
from core.demo.names import full_name, mobile, surname
from core.demo.people import IN_SCHOOL, LABOUR
from core.demo.rows import (
    BOOK, between, changed, month_first, month_index, month_last, month_text, random_day, row_id, stamp,
)

VISIT_MONTHS = 3
GRIEVANCE_SHARE = 0.03
FOR_A_MEMBER = ("public_post", "employment", "education")  # measures only a member can take up
DEADLINE_DAYS = {"repair": 7, "consultation": 10, "request": 15, "complaint": 15, "dispute": 30}


def visits(rng: Random, draft: Draft, as_of: date) -> tuple[list[dict], list[dict]]:
    """A visit in each of the last three months; this month's only once the worker has come round."""
    this = month_index(as_of)
    seen_this_month = rng.random() < 0.95 * min(1.0, (as_of.day + 3) / 20)
    household_id = draft.row["id"]
    traits = draft.traits(this)
    notes = [text for text, need in vocab.VISIT_NOTES if need is None or need in traits]
    risks = [text for text, need in vocab.NEW_RISKS if need is None or need in traits]
    visit_rows, member_rows = [], []
    for month in range(this - VISIT_MONTHS + 1, this + 1):
        if month == this and not seen_this_month:
            continue
        day = random_day(rng, month_first(month), min(month_last(month), as_of))
        at = draft.entered(stamp(day, rng))
        visit_id = row_id(rng, draft.prefix)
        risk = vocab.pick(rng, risks) if rng.random() < 0.03 else None
        visit_rows.append({"id": visit_id, "created_at": at, "updated_at": at, **BOOK,
                           "household_id": household_id, "month": month_text(month), "visit_date": day,
                           "visitor": draft.grid.worker, "method": vocab.VISIT_METHODS.pick(rng),
                           "notes": vocab.pick(rng, notes), "new_risks": risk})
        template = {"id": "", "created_at": at, "updated_at": at, **BOOK, "visit_id": visit_id,
                    "household_id": household_id, "member_id": "", "employment_status": None, "income": None}
        for m in draft.members:
            row = template.copy()
            row["id"] = row_id(rng, draft.prefix)
            row["member_id"] = m["id"]
            row["employment_status"], row["income"] = _month_status(draft, m, month)
            member_rows.append(row)
    return visit_rows, member_rows


def _month_status(draft: Draft, member: dict, month: int) -> tuple[str, float | None]:
    if member["school_status"] in IN_SCHOOL:
        return "in_school", None
    if member["labour_skill"] not in LABOUR:
        return "not_labour", None
    for start, end, income in draft.jobs.get(member["id"], ()):
        if start <= month and (end is None or month <= end):
            return "employed", income
    return "unemployed", 0.0


def grievances(rng: Random, draft: Draft, as_of: date, cadres: list[str]) -> tuple[list[dict], list[dict]]:
    """About 3% of households raised something in the last half year; one or two cases, one or two parties each."""
    if rng.random() >= GRIEVANCE_SHARE:
        return [], []
    rows, parties = [], []
    for k in range(1 if rng.random() < 0.9 else 2):
        g = _grievance(rng, draft, as_of, cadres, k)
        rows.append(g)
        parties.extend(_parties(rng, draft, g))
    return rows, parties


def _grievance(rng: Random, draft: Draft, as_of: date, cadres: list[str], k: int) -> dict:
    """One case of the casebook the household can raise: its kind, text, office and resolution belong together."""
    case = casebook.pick_case(rng, draft.traits(month_index(as_of)))
    received = date.fromordinal(as_of.toordinal() - int(rng.random() * 180))
    deadline = received + timedelta(days=DEADLINE_DAYS[case.kind])
    status, closed, followup = _progress(rng, received, deadline, as_of)
    at = draft.entered(stamp(received, rng))
    last = followup or closed
    return {"id": row_id(rng, draft.prefix), "created_at": at, "updated_at": changed(at, last), **BOOK,
            "household_id": draft.row["id"], "case_no": f"{received:%Y%m%d}-{draft.index:07d}-{k + 1}",
            "kind": case.kind, "dispute_type": case.dispute_type,
            "summary": vocab.pick(rng, case.texts), "source": vocab.SOURCES.pick(rng),
            "received_date": received, "deadline": deadline, "status": status,
            "responsible_unit": vocab.pick(rng, case.units), "responsible_person": vocab.pick(rng, cadres),
            "resolution": vocab.pick(rng, case.resolutions) if closed else None,
            "closed_date": closed, "followup_date": followup,
            "satisfaction": vocab.SATISFACTION.pick(rng) if followup else None}


def _progress(rng: Random, received: date, deadline: date, as_of: date) -> tuple[str, date | None, date | None]:
    """Status with closing and follow-up dates; about one in five cases past its deadline is still open (overdue)."""
    r = rng.random()
    if deadline < as_of and r < 0.2 or deadline >= as_of and r < 0.8:
        return ("registered" if rng.random() < 0.4 else "in_progress"), None, None
    closed = random_day(rng, received, min(deadline, as_of))
    followup = closed + timedelta(days=1 + int(rng.random() * 10))
    if followup <= as_of and rng.random() < 0.65:
        return "followed_up", closed, followup
    return "closed", closed, None


def _parties(rng: Random, draft: Draft, g: dict) -> list[dict]:
    adults = [m for m, a in zip(draft.members, draft.ages) if a >= 18] or draft.members
    applicant = adults[0] if rng.random() < 0.7 else vocab.pick(rng, adults)
    people = [(applicant["name"], "applicant", applicant["phone"])]
    if g["kind"] == "dispute" or rng.random() < 0.15:
        male = rng.random() < 0.6
        other = full_name(rng, surname(rng), male, 1960 + int(rng.random() * 40))
        people.append((other, "respondent" if g["kind"] == "dispute" else "other",
                       mobile(rng) if rng.random() < 0.7 else None))
    return [{"id": row_id(rng, draft.prefix), "created_at": g["created_at"], "updated_at": g["updated_at"], **BOOK,
             "grievance_id": g["id"], "household_id": draft.row["id"], "name": name, "role": role, "phone": phone}
            for name, role, phone in people]


def measures(rng: Random, draft: Draft, as_of: date, cadres: list[str]) -> list[dict]:
    """Measures for most monitored households, chosen by their risk types, begun after identification."""
    h = draft.row
    if not h["monitoring_category"] or rng.random() < 0.1:
        return []
    month = h["monitoring_identified_month"]
    identified = month_first(int(month[:4]) * 12 + int(month[5:]) - 1)
    cleared = h["monitoring_cleared_month"]
    rows: list[dict] = []
    for risk in h["risk_types"]:
        options = vocab.MEASURES_BY_RISK[risk]
        for category, name, amounts in options[:1 + int(rng.random() * len(options))]:
            if any(r["name"] == name for r in rows):
                continue
            start = random_day(rng, identified, min(as_of, identified + timedelta(days=40)))
            done = cleared is not None or rng.random() < 0.4
            end = random_day(rng, start, as_of) if done else None
            beneficiary = _beneficiary(rng, draft, category, start)
            if beneficiary is None and category in FOR_A_MEMBER:
                continue  # a job or a school grant for nobody in the household
            at = draft.entered(datetime(start.year, start.month, start.day, 10), beneficiary)
            rows.append({"id": row_id(rng, draft.prefix), "created_at": at, "updated_at": changed(at, end), **BOOK,
                         "household_id": h["id"], "member_id": beneficiary["id"] if beneficiary else None,
                         "category": category, "name": name, "start_date": start, "end_date": end,
                         "amount": between(rng, *amounts, 100) if amounts else None,
                         "responsible_person": vocab.pick(rng, cadres),
                         "status": "completed" if done else "in_progress"})
    return rows


def _beneficiary(rng: Random, draft: Draft, category: str, start: date) -> dict | None:
    """The member a measure begun on `start` is for (one born by then), or None for the whole household."""
    if category in ("public_post", "employment"):
        wanted = [m for m in draft.members if m["labour_skill"] in LABOUR]
    elif category == "education":
        wanted = [m for m in draft.members if m["school_status"] in IN_SCHOOL]
    elif category == "health":
        wanted = [m for m in draft.members if m["health"] != "healthy" and m["birth_date"] <= start]
    else:
        wanted = []
    return vocab.pick(rng, wanted) if wanted else None
