"""Where members live and with whom, returned workers, the terms of jobs and where each job is.

Drawn from a generator of the household's own (seeded by its row id) rather than the run's, so
the rows made before these fields existed are made as they were.
"""
from __future__ import annotations

from random import Random

from core.demo.household import Draft
from core.demo.names import weighted_text
from core.demo.people import LABOUR
from core.demo.rows import month_text

AWAY_SCOPES = ("in_province", "out_province", "abroad")
STUDYING_AWAY = ("higher_vocational", "university")
OLD_AGE = 60
# The GB/T 2260 code of each place of work vocab offers outside the county (abroad has none).
PLACE_CODES = {
    "广东省东莞市": "441900", "广东省深圳市": "440300", "广东省佛山市": "440600", "广东省广州市": "440100",
    "浙江省宁波市": "330200", "浙江省温州市": "330300", "浙江省杭州市": "330100", "福建省泉州市": "350500",
    "福建省厦门市": "350200", "江苏省苏州市": "320500", "上海市松江区": "310117",
    "贵阳市观山湖区": "520115", "贵阳市白云区": "520113", "遵义市汇川区": "520303", "都匀市": "522701",
    "安顺市西秀区": "520402", "六盘水市钟山区": "520201",
}
CONTRACT_TERMS = weighted_text("1y_plus:55 6_to_12m:30 under_6m:15")


def _index(month: str) -> int:
    """A 'YYYY-MM' month as rows.month_index counts months."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def fill_living(draft: Draft, jobs: list[dict], visit_rows: list[dict], visit_members: list[dict],
                this: int, county_code: str) -> None:
    """Fill the household's members, jobs and visit rows with the fields of schema 0007, consistently:
    a head is married when a spouse lives in the household, else widowed, divorced or unmarried; a
    member whose job is outside the county works away there; one left at the site alone lives alone."""
    rng = Random(draft.row["id"])
    _job_terms(rng, jobs, this, county_code)
    _marital(rng, draft)
    for m, age in zip(draft.members, draft.ages):
        _residence(rng, m, age, [j for j in jobs if j["member_id"] == m["id"]], this)
    _alone(draft)
    _visit_places(jobs, visit_rows, visit_members)


def _job_terms(rng: Random, jobs: list[dict], this: int, county_code: str) -> None:
    for j in jobs:
        j["contract_term"] = CONTRACT_TERMS.pick(rng) if j["has_contract"] else "none"
        worked = (this if j["end_month"] is None else _index(j["end_month"])) - _index(j["start_month"]) + 1
        j["insurance_months"] = max(1, worked - int(rng.random() * 3)) if j["has_social_insurance"] else 0
        j["place_code"] = county_code if j["scope"] == "in_county" else PLACE_CODES.get(j["place"])


def _marital(rng: Random, draft: Draft) -> None:
    relations = [m["relation"] for m in draft.members]
    for m, age in zip(draft.members, draft.ages):
        relation = m["relation"]
        if relation in ("spouse", "son_in_law", "daughter_in_law"):
            status = "married"
        elif relation == "head":
            status = "married" if "spouse" in relations else _single(rng, age)
        elif relation in ("parent", "grandparent"):
            status = "married" if relations.count(relation) == 2 else "widowed"
        elif age < 22:
            status = "unmarried"
        elif relation in ("son", "daughter") and ("daughter_in_law" if relation == "son" else "son_in_law") in relations:
            status = "married"
        else:
            status = "unmarried" if age < 30 or rng.random() < 0.5 else "divorced"
        m["marital_status"] = status


def _single(rng: Random, age: int) -> str:
    """A head without a spouse in the household."""
    if age < 22:
        return "unmarried"
    if age >= 55:
        return "widowed" if rng.random() < 0.75 else "divorced"
    r = rng.random()
    return "unmarried" if r < 0.4 else "divorced" if r < 0.75 else "widowed"


def _residence(rng: Random, m: dict, age: int, jobs: list[dict], this: int) -> None:
    away = next((j for j in jobs if j["end_month"] is None and j["scope"] in AWAY_SCOPES), None)
    m.update(lives_alone=False, residence="at_site", residence_place=None, residence_since=None,
             returned_worker=False, returned_month=None)
    if away is not None:
        m.update(residence="working_away", residence_place=away["place"], residence_since=away["start_month"])
    elif m["school_status"] in STUDYING_AWAY and rng.random() < 0.8:
        september = this - (this % 12 - 8) if this % 12 >= 8 else this - (this % 12) - 4
        m.update(residence="studying_away", residence_since=month_text(september))
    elif m["sex"] == "1" and 18 <= age <= 24 and m["labour_skill"] in LABOUR and not jobs and rng.random() < 0.05:
        m.update(residence="military", residence_since=month_text(this - 1 - int(rng.random() * 20)))
    else:
        back = [j for j in jobs if j["end_month"] is not None and j["scope"] in AWAY_SCOPES]
        if back and rng.random() < 0.7:
            returned = month_text(min(this, _index(max(j["end_month"] for j in back)) + 1))
            m.update(returned_worker=True, returned_month=returned, residence_since=returned)


def _alone(draft: Draft) -> None:
    """One member living at the site with everyone else away (or no one else) lives alone."""
    here = [(m, age) for m, age in zip(draft.members, draft.ages) if m["residence"] == "at_site"]
    if len(here) == 1 and (len(draft.members) == 1 or here[0][1] >= OLD_AGE):
        here[0][0]["lives_alone"] = True


def _visit_places(jobs: list[dict], visit_rows: list[dict], visit_members: list[dict]) -> None:
    """Where each member employed in a visit's month works, and in which sector: the job of that month."""
    months = {v["id"]: v["month"] for v in visit_rows}
    for row in visit_members:
        row["place_code"] = row["sector"] = None
        if row["employment_status"] != "employed":
            continue
        month = months[row["visit_id"]]
        job = next((j for j in jobs if j["member_id"] == row["member_id"] and j["start_month"] <= month
                    and (j["end_month"] is None or month <= j["end_month"])), None)
        if job is not None:
            row["place_code"], row["sector"] = job["place_code"], job["sector"]
