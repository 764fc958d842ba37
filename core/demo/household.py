"""A household row and its member rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random

from core.demo import casebook, vocab
from core.demo.names import full_name, mobile
from core.demo.family import Person, compose
from core.demo.people import (
    DISABILITY, DISABILITY_LEVEL, IN_SCHOOL, LABOUR, SIZES, IdNumbers, age_on, assign_families, schooling,
)
from core.demo.reference import GridInfo, Reference, SettlementInfo
from core.demo.rows import BOOK, id_prefix, month_index, month_text, row_id, stamp

REGISTERED_WITHIN_DAYS = 14  # a newborn is entered this many days after birth at most


@dataclass
class Draft:
    """One household being generated: its row, its member rows, and facts the later records need."""

    index: int
    prefix: str  # first part of the ids of this household's rows (rows.row_id)
    row: dict
    members: list[dict]
    ages: list[int]
    settlement: SettlementInfo
    grid: GridInfo
    created: datetime  # the household row's created_at and updated_at
    updated: datetime
    # member id -> work periods (first month index, last month index or None, monthly income)
    jobs: dict[str, list[tuple[int, int | None, float]]] = field(default_factory=dict)

    def labour(self) -> list[dict]:
        return [m for m in self.members if m["labour_skill"] in LABOUR]

    def traits(self, this_month: int) -> frozenset[str]:
        """Who the household has, for the cases, notes and risks that are about someone (casebook)."""
        t = set()
        for m, age in zip(self.members, self.ages):
            if m["school_status"] in IN_SCHOOL:
                t.add(casebook.STUDENT)
            if age >= 60:
                t.add(casebook.ELDERLY)
            elif age < 18:
                t.add(casebook.CHILD if age >= 1 else casebook.INFANT)
            if m["labour_skill"] in LABOUR:
                t.add(casebook.LABOUR)
                working = any(end is None or end >= this_month for _, end, _ in self.jobs.get(m["id"], ()))
                t.add(casebook.WORKING if working else casebook.IDLE)
            if m["health"] == "disabled":
                t.add(casebook.DISABLED)
            if m["health"] in ("serious", "chronic"):
                t.add(casebook.ILL)
            if m["relation"] == "spouse":
                t.add(casebook.COUPLE)
        return frozenset(t)

    def entered(self, at: datetime, member: dict | None = None) -> datetime:
        """When the record of something that happened at `at` was entered: then, or, if it happened
        before the household (or the member it is about) was entered, together with it."""
        if member is not None and member["created_at"] > at:
            at = member["created_at"]
        return at if at > self.created else self.created


def member_row(rng: Random, ids: IdNumbers, prefix: str, draft_id: str, p: Person, as_of: date, index: int,
               stamps: tuple[datetime, datetime]) -> tuple[dict, int]:
    """The member's row and full years of age on `as_of`.

    A member born after the household was entered is entered a few days after the birth.
    """
    birth = date.fromordinal(as_of.toordinal() - int(p.age * 365.2425))
    age = age_on(birth, as_of)
    education, school = schooling(rng, age)
    health, category, level = _health(rng, age)
    graduate = _graduate_year(education, birth.year, as_of)
    created, updated = stamps
    if birth >= created.date():
        created = stamp(birth + timedelta(days=1 + int(rng.random() * REGISTERED_WITHIN_DAYS)), rng)
        updated = max(updated, created)
    return {"id": row_id(rng, prefix), "created_at": created, "updated_at": updated, **BOOK,
            "household_id": draft_id, "name": full_name(rng, p.family, p.male, birth.year),
            "id_type": "resident_id", "id_number": ids.make(rng, birth, p.male, index),
            "sex": "1" if p.male else "2", "birth_date": birth, "ethnicity": p.ethnicity, "relation": p.relation,
            "phone": mobile(rng) if age >= 16 and rng.random() < (0.88 if age < 65 else 0.3) else None,
            "education": education, "school_status": school, "health": health,
            "disability_category": category, "disability_level": level,
            "labour_skill": _labour_skill(rng, age, school, health, level),
            "graduate_year": graduate, "dibao": False, "tekun": False,
            "medical_insurance": rng.random() < 0.985,
            "pension_insurance": age >= 16 and school in (None, "not_in_school") and rng.random() < 0.88,
            "job_need": None, "training_willing": False, "wished_trade": None,
            "status": "added" if age < 1 else "normal"}, age


def _health(rng: Random, age: int) -> tuple[str, str | None, str | None]:
    r = rng.random()
    if age >= 3 and r < 0.045:
        return "disabled", DISABILITY.pick(rng), DISABILITY_LEVEL.pick(rng)
    if r < 0.06 + age * 0.0025:
        return ("serious" if rng.random() < 0.15 else "chronic"), None, None
    return "healthy", None, None


def _graduate_year(education: str, birth_year: int, as_of: date) -> int | None:
    if education not in ("college", "bachelor"):
        return None
    year = birth_year + (21 if education == "college" else 22)
    return year if year <= as_of.year else None


def _labour_skill(rng: Random, age: int, school: str | None, health: str, level: str | None) -> str:
    if age < 16 or age > 60 or (school not in (None, "not_in_school", "dropped_out")):
        return "none"
    if level in ("1", "2") or health == "serious":
        return "lost"
    if level is not None or health == "chronic" or age > 55:
        return "weak" if rng.random() < 0.7 else "ordinary"
    r = rng.random()
    return "skilled" if r < 0.22 else "ordinary" if r < 0.9 else "weak"


def household_row(rng: Random, ref: Reference, prefix: str, index: int, size: int, stamps: tuple[datetime, datetime],
                  settlement: SettlementInfo, grid: GridInfo, as_of: date) -> dict:
    building, unit, room = settlement.take_flat(rng)
    return {"id": row_id(rng, prefix), "created_at": stamps[0], "updated_at": stamps[1], **BOOK,
            "household_no": f"{grid.village_code}-{index + 1:07d}", "settlement_id": settlement.id,
            "grid_id": grid.id, "building": building, "unit": unit, "room": room,
            "resettlement_mode": settlement.mode, "resettlement_area": settlement.area,
            "relocation_year": min(as_of.year, vocab.RELOCATION_YEARS.pick(rng)),
            "origin_area_code": vocab.pick(rng, ref.origin_townships),
            "house_area": float(min(150, 20 * size + int(rng.random() * 6))), "phone": None,
            "household_type": "lifted" if rng.random() < 0.82 else "general",
            "monitoring_category": None, "monitoring_identified_month": None, "monitoring_cleared_month": None,
            "risk_types": [], "consent_date": None, "notes": None}


def new_draft(rng: Random, ref: Reference, ids: IdNumbers, index: int, as_of: date,
              stamps: tuple[datetime, datetime]) -> Draft:
    settlement = ref.settlements[ref.settlement_weights.pick(rng)]
    grid = vocab.pick(rng, settlement.grids)
    people = compose(rng, SIZES.pick(rng))
    assign_families(rng, people)
    prefix = id_prefix(ref.id_base, index)
    row = household_row(rng, ref, prefix, index, len(people), stamps, settlement, grid, as_of)
    made = [member_row(rng, ids, prefix, row["id"], p, as_of, index, stamps) for p in people]
    members = [m for m, _ in made]
    # entering a newborn is a change to the household
    row["updated_at"] = max(row["updated_at"], max(m["created_at"] for m in members))
    draft = Draft(index, prefix, row, members, [a for _, a in made], settlement, grid, row["created_at"],
                  row["updated_at"])
    _household_facts(rng, draft, as_of)
    return draft


def _household_facts(rng: Random, draft: Draft, as_of: date) -> None:
    """Phone, consent, social assistance and the wish to train, which depend on all members."""
    h, members = draft.row, draft.members
    h["phone"] = next((m["phone"] for m in members if m["phone"]), None)
    h["consent_date"] = date.fromordinal(as_of.toordinal() - 30 - int(rng.random() * 700))
    if len(members) == 1 and draft.ages[0] >= 60 and rng.random() < 0.3:
        members[0]["tekun"] = True
    elif rng.random() < 0.08:
        for m in members:
            m["dibao"] = True
    for m in members:
        if m["labour_skill"] in LABOUR and rng.random() < 0.4:
            m["training_willing"] = True
            m["wished_trade"] = vocab.pick(rng, vocab.WISHED_TRADES)


def monitor(rng: Random, draft: Draft, as_of: date) -> None:
    """About 5% of households are monitored (防返贫监测), identified in the past year; some cleared since."""
    h = draft.row
    this_month = month_index(as_of)
    identified = this_month - 1 - int(rng.random() * 12)
    h["monitoring_category"] = vocab.MONITORING.pick(rng)
    h["monitoring_identified_month"] = month_text(identified)
    if rng.random() < 0.3 and identified < this_month:
        h["monitoring_cleared_month"] = month_text(identified + 1 + int(rng.random() * (this_month - identified)))
    traits = draft.traits(this_month)
    risks = [_likely_risk(rng, draft, traits)]
    if rng.random() < 0.4:
        other = _any_risk(rng, traits)
        if other not in risks:
            risks.append(other)
    h["risk_types"] = risks
    if rng.random() < 0.3:
        for m in draft.members:
            m["dibao"] = not m["tekun"]


def _likely_risk(rng: Random, draft: Draft, traits: frozenset[str]) -> str:
    healths = {m["health"] for m in draft.members}
    if "disabled" in healths and rng.random() < 0.6:
        return "disability"
    if healths & {"serious", "chronic"} and rng.random() < 0.6:
        return "illness"
    if not draft.labour() and rng.random() < 0.7:
        return "lack_labour"
    return _any_risk(rng, traits)


def _any_risk(rng: Random, traits: frozenset[str]) -> str:
    """A risk type; one about someone (an ill or disabled member, a student, a worker) only if there is one."""
    while True:
        risk = vocab.RISKS.pick(rng)
        need = vocab.RISK_NEEDS.get(risk)
        if need is None or need in traits:
            return risk
