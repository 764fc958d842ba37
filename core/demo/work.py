"""Jobs (就业) and training courses (培训) of the labour-capable members of a household."""
from __future__ import annotations

from datetime import date, timedelta
from random import Random

from core.demo import vocab
from core.demo.household import Draft
from core.demo.names import weighted_text
from core.demo.people import JOB_NEED_IDLE
from core.demo.rows import (
    BOOK, between, changed, month_first, month_index, month_last, month_text, random_day, row_id, stamp,
)

ZERO_EMPLOYMENT_SHARE = 0.035  # households with labour and, this month, no one at work
SCOPES = {
    "organised": weighted_text("out_province:80 in_province:20"),
    "self_migrant": weighted_text("out_province:70 in_province:25 in_county:4.5 abroad:0.5"),
    "flexible": weighted_text("in_county:70 in_province:30"),
}
CERTIFICATES = {
    "employment_skill": weighted_text("vocational_skill:45 special_skill:15 completion:40"),
    "skill_upgrade": weighted_text("vocational_skill:80 completion:20"),
    "apprenticeship": weighted_text("vocational_skill:70 completion:30"),
}
HOURS = (24, 40, 56, 64, 80, 120, 160)


def employments(rng: Random, draft: Draft, as_of: date) -> list[dict]:
    """Work periods of the labour members; at least one works this month in all but a few households.

    Fills draft.jobs (member id -> [(first month, last month or None, income)]) and members' job needs.
    """
    labour = [(m, a) for m, a in zip(draft.members, draft.ages) if m["labour_skill"] in ("skilled", "ordinary", "weak")]
    if not labour:
        return []
    this = month_index(as_of)
    nobody = rng.random() < ZERO_EMPLOYMENT_SHARE
    primary = int(rng.random() * len(labour)) if rng.random() < 0.3 else 0
    rows: list[dict] = []
    for k, (m, age) in enumerate(labour):
        works = not nobody and (k == primary or rng.random() < (0.3 if m["labour_skill"] == "weak" else 0.5))
        earliest = month_index(m["birth_date"]) + 16 * 12 + 1
        periods = _periods(rng, works, earliest, this)
        for start, end in periods:
            rows.append(_job(rng, draft, m, start, end, as_of))
        m["job_need"] = ("none" if rng.random() < 0.85 else "local") if works else JOB_NEED_IDLE.pick(rng)
    return rows


def _periods(rng: Random, works: bool, earliest: int, this: int) -> list[tuple[int, int | None]]:
    """Non-overlapping (start, end) month indexes; end None means still working."""
    periods: list[tuple[int, int | None]] = []
    if works:
        start = max(earliest, this - int(rng.random() * 48))
        if start > this:
            return []
        if rng.random() < 0.3:
            prev_end = start - 1 - int(rng.random() * 6)
            prev_start = prev_end - int(rng.random() * 24)
            if prev_start >= earliest:
                periods.append((prev_start, prev_end))
        periods.append((start, None))
    elif rng.random() < 0.35:
        end = this - 1 - int(rng.random() * 10)
        start = end - int(rng.random() * 18)
        if start >= earliest:
            periods.append((start, end))
    return periods


def _job(rng: Random, draft: Draft, member: dict, start: int, end: int | None, as_of: date) -> dict:
    channel = vocab.CHANNELS.pick(rng)
    scope = SCOPES[channel].pick(rng) if channel in SCOPES else "in_county"
    trade, sector = vocab.pick(rng, vocab.TRADES_BY_CHANNEL[channel])
    low, high = (1500, 2200) if channel == "public_post" else vocab.INCOME_BY_SCOPE[scope]
    income = between(rng, low, high, 100)
    formal = channel in ("organised", "local_enterprise", "workshop", "public_post")
    draft.jobs.setdefault(member["id"], []).append((start, end, income))
    began = month_first(start)
    if began > draft.created.date():  # entered in the month the job began
        at = draft.entered(stamp(random_day(rng, began, min(month_last(start), as_of)), rng), member)
    else:  # entered with the household
        at = draft.entered(draft.created, member)
    return {"id": row_id(rng, draft.prefix), "created_at": at,
            "updated_at": changed(max(at, draft.updated), None if end is None else month_last(end)), **BOOK,
            "household_id": draft.row["id"], "member_id": member["id"],
            "start_month": month_text(start), "end_month": None if end is None else month_text(end),
            "channel": channel, "scope": scope, "place": _place(rng, scope),
            "employer": _employer(rng, draft, channel), "sector": sector, "trade": trade,
            "monthly_income": income, "has_contract": rng.random() < (0.85 if formal else 0.2),
            "has_social_insurance": rng.random() < (0.7 if formal else 0.1)}


def _place(rng: Random, scope: str) -> str:
    if scope == "out_province":
        return vocab.pick(rng, vocab.OUT_PROVINCE_PLACES)
    if scope == "in_province":
        return vocab.pick(rng, vocab.IN_PROVINCE_PLACES)
    if scope == "abroad":
        return "马来西亚"
    return vocab.pick(rng, vocab.IN_COUNTY_PLACES)


def _employer(rng: Random, draft: Draft, channel: str) -> str | None:
    if channel == "workshop":
        return f"{draft.settlement.name.removesuffix('安置点')}帮扶车间"
    if channel == "public_post":
        return vocab.pick(rng, ("社区居委会", "街道办事处", "市林业局", "社区物业服务中心"))
    if channel in ("farming", "flexible", "other"):
        return None
    if channel == "startup":
        return "个体工商户"
    return vocab.pick(rng, vocab.COMPANY_WORDS) + vocab.pick(rng, vocab.COMPANY_KINDS)


def trainings(rng: Random, draft: Draft, jobs: list[dict], as_of: date) -> list[dict]:
    """A course for about one in five members who want training; most this year, some linked to a later job."""
    rows = []
    for m in draft.members:
        if m["training_willing"] and rng.random() < 0.2:
            rows.append(_training(rng, draft, m, jobs, as_of))
    return rows


def _training(rng: Random, draft: Draft, member: dict, jobs: list[dict], as_of: date) -> dict:
    kind = vocab.TRAINING_TYPES.pick(rng)
    this_year = date(as_of.year, 1, 1)
    first = this_year if rng.random() < 0.6 else date(as_of.year - 2, 1, 1)
    start = random_day(rng, first, as_of)
    hours = float(vocab.pick(rng, HOURS))
    end = start + timedelta(days=int(hours // 8) + int(rng.random() * 10))
    result, end_date = _result(rng, end, as_of)
    certificate, level, number = _certificate(rng, kind, result, draft.index)
    job = next((j for j in jobs if j["member_id"] == member["id"] and end_date is not None
                and j["start_month"] >= f"{end_date.year:04d}-{end_date.month:02d}"), None)
    at = draft.entered(stamp(start, rng), member)  # when the course began, or with the household
    return {"id": row_id(rng, draft.prefix), "created_at": at, "updated_at": changed(max(at, draft.updated), end_date),
            **BOOK,
            "household_id": draft.row["id"], "member_id": member["id"],
            "programme": f"{start.year}年易地扶贫搬迁劳动力{'创业' if kind == 'startup' else '职业技能'}培训",
            "training_type": kind, "trade": member["wished_trade"],
            "provider": vocab.pick(rng, vocab.TRAINING_PROVIDERS), "start_date": start, "end_date": end_date,
            "hours": hours, "mode": "offline" if rng.random() < 0.8 else "mixed" if rng.random() < 0.7 else "online",
            "result": result, "certificate_type": certificate, "certificate_level": level, "certificate_no": number,
            "subsidy": between(rng, 600, 1800, 100) if result == "passed" and rng.random() < 0.7 else None,
            "employment_id": job["id"] if job and rng.random() < 0.7 else None}


def _result(rng: Random, end: date, as_of: date) -> tuple[str, date | None]:
    if end > as_of:
        return "in_progress", None
    r = rng.random()
    return ("passed" if r < 0.88 else "failed" if r < 0.94 else "dropped"), end


def _certificate(rng: Random, kind: str, result: str, index: int) -> tuple[str | None, str | None, str | None]:
    if result != "passed":
        return None, None, None
    certificate = CERTIFICATES[kind].pick(rng) if kind in CERTIFICATES else "completion"
    if certificate == "vocational_skill":
        level = "5" if rng.random() < 0.7 else "4"
        return certificate, level, f"S{index:08d}{int(rng.random() * 1e8):08d}"
    if certificate == "special_skill":
        return certificate, None, f"Z{index:08d}{int(rng.random() * 1e8):08d}"
    return certificate, None, None
