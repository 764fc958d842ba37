"""Demo data: reproducible, realistic, valid by the project's own rules, and loadable into a real profile."""
from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import date, timedelta
from random import Random

import pytest

from core import validation as v
from core.demo import ENTITIES, generate_households, generate_reference, write_demo_profile
from core.demo.background import chunks_in_background
from core.demo.people import age_on
from core.demo.rows import new_id, row_id
from core.idcard import area_names, check_character, parse_resident_id
from core.models import SYNCED_ENTITIES, Synced

AS_OF = date(2025, 6, 15)
SAMPLE = 200


def generate(seed: int, count: int, as_of: date = AS_OF) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """(reference rows, household rows) for `count` households."""
    rng = Random(seed)
    reference = generate_reference(rng, as_of, count)
    return reference.rows, generate_households(rng, reference, 0, count, as_of)


@pytest.fixture(scope="module")
def data() -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    return generate(11, 1500)


@pytest.fixture(scope="module")
def rows(data) -> dict[str, list[dict]]:
    return data[1]


def by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


class RecordingStore:
    """Stands in for Store: keeps what bulk_load was given."""

    def __init__(self) -> None:
        self.loads: list[dict[str, list[dict]]] = []
        self.finished = 0

    def bulk_load(self, rows: dict[str, list[dict]], reason: str, refresh: bool = True) -> dict[str, int]:
        assert reason and not self.finished
        self.loads.append(rows)
        return {entity: len(batch) for entity, batch in rows.items() if batch}

    def finish_bulk_load(self) -> None:
        self.finished += 1


# -- reproducible ---------------------------------------------------------------------------

def test_same_seed_and_date_give_identical_rows():
    assert generate(5, 120) == generate(5, 120)


def test_another_seed_or_date_gives_other_rows():
    first = generate(5, 120)[1]
    assert generate(6, 120)[1]["member"] != first["member"]
    assert generate(5, 120, date(2025, 7, 1))[1]["visit"] != first["visit"]


def test_write_demo_profile_is_reproducible_and_chunked():
    runs = []
    for _ in range(2):
        store, seen = RecordingStore(), []
        totals = write_demo_profile(store, 250, 3, AS_OF, progress=lambda d, t: seen.append((d, t)), chunk=100)
        runs.append(store.loads)
    assert runs[0] == runs[1]
    loads = runs[0]
    assert len(loads) == 3 and seen == [(100, 250), (200, 250), (250, 250)]
    assert [len(load["household"]) for load in loads] == [100, 100, 50]
    assert store.finished == 1
    assert all(loads[0][e] for e in ("area", "settlement", "grid"))
    assert not any(e in load for load in loads[1:] for e in ("area", "settlement", "grid"))
    assert totals["household"] == 250 and totals["member"] == sum(len(load["member"]) for load in loads)


def test_background_process_gives_the_same_rows():
    loads = []
    for background in (False, True):
        store = RecordingStore()
        write_demo_profile(store, 230, 4, AS_OF, chunk=100, background=background)
        loads.append(store.loads)
    assert loads[0] == loads[1] and len(loads[1]) == 3


def test_a_failing_background_process_is_reported():
    with pytest.raises(RuntimeError, match="generating demo data failed"):
        list(chunks_in_background(1, 10, AS_OF, 0))  # a chunk of 0 households cannot be made


def test_zero_households_loads_only_reference_data():
    store = RecordingStore()
    totals = write_demo_profile(store, 0, 1, AS_OF)
    assert len(store.loads) == 1 and totals["area"] > 0 and "household" not in totals


# -- rows fit the tables --------------------------------------------------------------------

def test_every_row_carries_exactly_the_columns_of_its_table(data):
    reference, rows = data
    for entity, batch in {**reference, **rows}.items():
        columns = {c.key for c in SYNCED_ENTITIES[entity].__table__.columns}
        assert batch, entity
        for r in batch:
            assert set(r) == columns, entity
            assert (r["created_by"], r["device_id"], r["deleted"], r["server_seq"]) == ("demo", "demo", False, 0)
            assert r["created_at"] <= r["updated_at"]
    assert set(rows) == set(ENTITIES) and set(Synced.BOOKKEEPING) <= set(rows["member"][0])


def test_ids_are_version_4_uuids_and_unique(data):
    reference, rows = data
    ids = [r["id"] for batch in (*reference.values(), *rows.values()) for r in batch]
    assert len(ids) == len(set(ids))
    for text in ids[:: max(1, len(ids) // 500)]:
        assert uuid.UUID(text).version == 4 and str(uuid.UUID(text)) == text


def test_new_id_is_uuid4_text_of_the_next_128_random_bits():
    a, b = Random(9), Random(9)
    assert new_id(a) == str(uuid.UUID(int=b.getrandbits(128), version=4))
    text = row_id(Random(1), "0badcafe-")
    assert text.startswith("0badcafe-") and str(uuid.UUID(text)) == text and uuid.UUID(text).version == 4


def test_links_point_at_generated_rows(data):
    reference, rows = data
    households = {h["id"] for h in rows["household"]}
    members = {m["id"]: m["household_id"] for m in rows["member"]}
    settlements = {s["id"] for s in reference["settlement"]}
    grids = {g["id"]: g["settlement_id"] for g in reference["grid"]}
    for h in rows["household"]:
        assert h["settlement_id"] in settlements and grids[h["grid_id"]] == h["settlement_id"]
    for entity in ("employment", "training", "visit_member"):
        for r in rows[entity]:
            assert members[r["member_id"]] == r["household_id"] in households
    jobs = {e["id"] for e in rows["employment"]}
    assert all(t["employment_id"] in jobs for t in rows["training"] if t["employment_id"])
    grievances = {g["id"]: g["household_id"] for g in rows["grievance"]}
    assert all(grievances[p["grievance_id"]] == p["household_id"] for p in rows["grievance_party"])


def test_area_tree_follows_gb_t_2260(data):
    reference, rows = data
    areas = {a["code"]: a for a in reference["area"]}
    for a in areas.values():
        assert a["parent_code"] is None or (a["code"].startswith(a["parent_code"]) and a["parent_code"] in areas)
    assert {len(code) for code in areas} == {2, 4, 6, 9, 12}
    assert areas["522601"]["level"] == "county"
    assert 3 <= len(reference["settlement"]) <= 6
    assert all(s["name"].endswith("安置点") and s["area_code"] in areas for s in reference["settlement"])
    assert all(g["village_code"] in areas for g in reference["grid"])
    assert all(areas[h["origin_area_code"]]["level"] == "township" for h in rows["household"])


# -- realistic people -----------------------------------------------------------------------

def test_resident_ids_are_valid_unique_and_match_birth_date_and_sex(rows):
    numbers = [m["id_number"] for m in rows["member"]]
    assert len(numbers) == len(set(numbers))
    for m in rows["member"]:
        number = m["id_number"]
        assert number[17] == check_character(number[:17])
        rid = parse_resident_id(number, AS_OF)
        assert rid.birth_date == m["birth_date"] and rid.sex == m["sex"]
        assert number.startswith("5226")


def test_resident_ids_carry_area_codes_that_gbt_2260_issued(rows):
    areas = {m["id_number"][:6] for m in rows["member"]}
    assert areas and all(area_names(area) for area in areas), sorted(a for a in areas if not area_names(a))


def test_id_numbers_stay_unique_across_chunks():
    store = RecordingStore()
    write_demo_profile(store, 3000, 2, AS_OF, chunk=700)
    numbers = [m["id_number"] for load in store.loads for m in load["member"]]
    assert len(numbers) == len(set(numbers)) > 3000
    household_nos = [h["household_no"] for load in store.loads for h in load["household"]]
    assert len(household_nos) == len(set(household_nos)) == 3000


def test_households_have_one_head_and_sensible_relations(rows):
    sizes = Counter()
    for members in by(rows["member"], "household_id").values():
        sizes[len(members)] += 1
        relations = [m["relation"] for m in members]
        assert relations.count("head") == 1 and relations[0] == "head"
        assert relations.count("spouse") <= 1
        head = members[0]
        for m in members[1:]:
            years = (m["birth_date"] - head["birth_date"]).days / 365.2425  # how much younger than the head
            if m["relation"] == "spouse":
                assert m["sex"] != head["sex"] and abs(years) < 10
            elif m["relation"] in ("son", "daughter"):
                assert 18 <= years <= 54
            elif m["relation"] == "parent":
                assert -38 <= years <= -20
            elif m["relation"] == "grandchild":
                assert years >= 36
    assert set(sizes) == set(range(1, 8))


def test_names_are_chinese_and_children_mostly_share_the_fathers_surname(rows):
    shared = total = 0
    for members in by(rows["member"], "household_id").values():
        assert all(2 <= len(m["name"]) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in m["name"]) for m in members)
        head = members[0]
        if head["sex"] == "1":
            for child in (m for m in members if m["relation"] in ("son", "daughter")):
                total += 1
                shared += child["name"][0] == head["name"][0]
    assert shared / total > 0.85


def test_no_two_households_share_a_flat():
    reference, rows = generate(12, 3000)
    flats = [(h["settlement_id"], h["building"], h["unit"], h["room"]) for h in rows["household"]]
    assert len(flats) == len(set(flats)) == 3000
    for h in rows["household"]:
        floor, number = int(h["room"][:-2]), int(h["room"][-2:])
        assert 1 <= floor <= 18 and 1 <= number <= 4 and 1 <= int(h["unit"]) <= 4 and int(h["building"]) >= 1
    per_settlement = Counter(h["settlement_id"] for h in rows["household"])
    buildings = Counter(h["settlement_id"] for h in {(h["settlement_id"], h["building"]): h
                                                      for h in rows["household"]}.values())
    assert all(per_settlement[s] / buildings[s] >= 40 for s in per_settlement)  # sized to the site, not scattered


def test_flats_stay_unique_across_chunks_and_when_a_site_fills_up():
    store = RecordingStore()
    write_demo_profile(store, 1200, 6, AS_OF, chunk=500)
    households = [h for load in store.loads for h in load["household"]]
    flats = [(h["settlement_id"], h["building"], h["unit"], h["room"]) for h in households]
    assert len(flats) == len(set(flats)) == 1200
    rng = Random(6)
    reference = generate_reference(rng, AS_OF, 10)  # sized for 10 households, given 2,000: new buildings go up
    built = [s.buildings for s in reference.settlements]
    rows = generate_households(rng, reference, 0, 2000, AS_OF)
    flats = [(h["settlement_id"], h["building"], h["unit"], h["room"]) for h in rows["household"]]
    assert len(flats) == len(set(flats)) == 2000
    assert all(s.buildings > before for s, before in zip(reference.settlements, built))


def test_children_take_the_ethnicity_of_a_parent(rows):
    mixed = 0
    for members in by(rows["member"], "household_id").values():
        head = members[0]
        couple = {head["ethnicity"]} | {m["ethnicity"] for m in members if m["relation"] == "spouse"}
        mixed += len(couple) > 1
        children = [m for m in members if m["relation"] in ("son", "daughter")]
        assert all(c["ethnicity"] in couple for c in children)
        in_laws = [m for m in members if m["relation"] in ("daughter_in_law", "son_in_law")]
        for g in (m for m in members if m["relation"] == "grandchild"):
            assert g["ethnicity"] in {m["ethnicity"] for m in children + in_laws}
        assert all(m["ethnicity"] == head["ethnicity"] for m in members if m["relation"] in ("parent", "sibling"))
    assert mixed > 0  # spouses still draw their own


def test_nothing_is_entered_before_its_household_or_before_what_it_records(rows):
    households = {h["id"]: h for h in rows["household"]}
    members = {m["id"]: m for m in rows["member"]}
    for entity in ENTITIES[1:]:
        for r in rows[entity]:
            assert households[r["household_id"]]["created_at"] <= r["created_at"] <= r["updated_at"], entity
            if r.get("member_id"):
                assert members[r["member_id"]]["created_at"] <= r["created_at"], entity
    for m in rows["member"]:
        assert m["created_at"].date() > m["birth_date"]
        assert m["created_at"] <= households[m["household_id"]]["updated_at"]
    newborns = [m for m in rows["member"] if m["created_at"] > households[m["household_id"]]["created_at"]]
    assert newborns and all(m["created_at"].date() <= m["birth_date"] + timedelta(days=15) for m in newborns)
    day = lambda moment: moment.date()  # noqa: E731
    assert all(day(x["created_at"]) >= x["visit_date"] for x in rows["visit"])
    assert all(day(g["created_at"]) >= g["received_date"] for g in rows["grievance"])
    assert all(day(g["updated_at"]) >= (g["followup_date"] or g["closed_date"] or g["received_date"])
               for g in rows["grievance"])
    assert all(day(m["created_at"]) >= m["start_date"] for m in rows["measure"])
    assert all(day(m["updated_at"]) >= (m["end_date"] or m["start_date"]) for m in rows["measure"])
    assert all(day(t["created_at"]) >= t["start_date"] for t in rows["training"])
    assert all(e["created_at"].strftime("%Y-%m") >= e["start_month"] for e in rows["employment"])
    assert all(e["updated_at"].strftime("%Y-%m") >= e["end_month"] for e in rows["employment"] if e["end_month"])
    for m in rows["measure"]:
        if m["member_id"]:
            assert members[m["member_id"]]["birth_date"] <= m["start_date"]


def test_work_ability_and_schooling_follow_age(rows):
    for m in rows["member"]:
        age = (AS_OF - m["birth_date"]).days // 365
        if age < 16 or age > 61:
            assert m["labour_skill"] == "none"
        if 6 <= age <= 14:
            assert m["school_status"] in ("primary", "junior", "dropped_out")
        if m["disability_category"]:
            assert m["disability_level"] and m["health"] == "disabled"
        if m["phone"]:
            assert len(m["phone"]) == 11 and m["phone"][0] == "1" and m["phone"][1] in "3456789"
    labour = [m for m in rows["member"] if m["labour_skill"] != "none"]
    assert Counter(m["labour_skill"] for m in labour).most_common(1)[0][0] == "ordinary"
    ethnic = Counter(m["ethnicity"] for m in rows["member"])
    assert {code for code, _ in ethnic.most_common(4)} == {"01", "06", "09", "12"}


def test_shares_of_jobs_monitoring_grievances_are_realistic(rows):
    households = len(rows["household"])
    members = {m["id"]: m for m in rows["member"]}
    labour = {i for i, m in members.items() if m["labour_skill"] in ("skilled", "ordinary", "weak")}
    working_now = {e["member_id"] for e in rows["employment"] if e["end_month"] is None}
    assert 0.55 < len(working_now & labour) / len(labour) < 0.75
    with_labour = {members[i]["household_id"] for i in labour}
    zero = with_labour - {members[i]["household_id"] for i in working_now}
    assert 0.01 < len(zero) / len(with_labour) < 0.08
    monitored = [h for h in rows["household"] if h["monitoring_category"]]
    assert 0.03 < len(monitored) / households < 0.08
    assert all(1 <= len(h["risk_types"]) <= 2 for h in monitored)
    assert 0.015 < len({g["household_id"] for g in rows["grievance"]}) / households < 0.05
    measured = {m["household_id"] for m in rows["measure"]}
    assert len(measured & {h["id"] for h in monitored}) > 0.7 * len(monitored)
    assert all(1500 <= e["monthly_income"] <= 8000 for e in rows["employment"])


def test_grievances_include_overdue_closed_and_followed_up_cases(rows):
    status = Counter(g["status"] for g in rows["grievance"])
    assert set(status) == {"registered", "in_progress", "closed", "followed_up"}
    overdue = [g for g in rows["grievance"] if v.is_overdue(g, AS_OF)]
    assert overdue and all(g["deadline"] < AS_OF for g in overdue)
    assert all(g["closed_date"] and g["closed_date"] <= AS_OF for g in rows["grievance"]
               if g["status"] in ("closed", "followed_up"))


def test_visits_cover_the_last_three_months_one_row_per_member(rows):
    members = by(rows["member"], "household_id")
    visit_rows = by(rows["visit_member"], "visit_id")
    months = defaultdict(list)
    for visit in rows["visit"]:
        months[visit["household_id"]].append(visit["month"])
        assert visit["visit_date"] <= AS_OF and visit["month"] == visit["visit_date"].strftime("%Y-%m")
        assert {r["member_id"] for r in visit_rows[visit["id"]]} == {m["id"] for m in members[visit["household_id"]]}
    assert all(len(set(ms)) == len(ms) and {"2025-04", "2025-05"} <= set(ms) for ms in months.values())
    assert len(months) == len(rows["household"])
    jobs = by(rows["employment"], "member_id")
    for r in rows["visit_member"]:
        if r["employment_status"] == "employed":
            assert any(j["end_month"] is None or j["end_month"] >= "2025-04" for j in jobs[r["member_id"]])


def test_marital_status_agrees_with_who_lives_in_the_household(rows):
    seen = Counter()
    for members in by(rows["member"], "household_id").values():
        relations = [m["relation"] for m in members]
        for m in members:
            status, relation = m["marital_status"], m["relation"]
            seen[status] += 1
            if relation == "head":  # married with the spouse at home, else widowed, divorced or never married
                assert (status == "married") == ("spouse" in relations)
            if relation in ("spouse", "son_in_law", "daughter_in_law"):
                assert status == "married"
            if relation in ("parent", "grandparent"):
                assert status == ("married" if relations.count(relation) == 2 else "widowed")
            if age_on(m["birth_date"], AS_OF) < 20:
                assert status == "unmarried"
    assert set(seen) == {"married", "unmarried", "widowed", "divorced"}


def test_where_members_live_agrees_with_their_jobs(rows):
    jobs = by(rows["employment"], "member_id")
    members = by(rows["member"], "household_id")
    returned_working = old_alone = 0
    for m in rows["member"]:
        away = [j for j in jobs[m["id"]] if j["end_month"] is None and j["scope"] in ("in_province", "out_province", "abroad")]
        assert (m["residence"] == "working_away") == bool(away)
        if away:
            assert (m["residence_place"], m["residence_since"]) == (away[0]["place"], away[0]["start_month"])
        else:
            assert m["residence_place"] is None
        if m["residence_since"] is not None:
            assert m["birth_date"].strftime("%Y-%m") <= m["residence_since"] <= "2025-06"
        if m["returned_worker"]:  # back at the site after a job outside the county ended
            assert m["residence"] == "at_site" and m["returned_month"] <= "2025-06"
            assert any(j["end_month"] and j["end_month"] < m["returned_month"] and j["scope"] != "in_county"
                       for j in jobs[m["id"]])
            returned_working += any(j["end_month"] is None for j in jobs[m["id"]])
        else:
            assert m["returned_month"] is None
        if m["lives_alone"]:  # the only one at the site: alone in the household, or old with the family away
            others = [o for o in members[m["household_id"]] if o["id"] != m["id"]]
            assert m["residence"] == "at_site" and all(o["residence"] != "at_site" for o in others)
            old_alone += age_on(m["birth_date"], AS_OF) >= 60
    residences = Counter(m["residence"] for m in rows["member"])
    assert residences["at_site"] > residences["working_away"] > residences["studying_away"] > 0
    assert returned_working > 0 and old_alone > 0
    assert 0 < sum(m["returned_worker"] for m in rows["member"]) < 0.1 * len(rows["member"])


def test_jobs_carry_a_contract_term_insurance_months_and_a_place(rows):
    from core.areas import area

    for j in rows["employment"]:
        assert (j["contract_term"] == "none") == (not j["has_contract"])
        assert (j["insurance_months"] > 0) == j["has_social_insurance"]
        if j["scope"] == "in_county":
            assert j["place_code"] == "522601"
        elif j["scope"] == "abroad":
            assert j["place_code"] is None
        else:
            assert area(j["place_code"]) is not None and not j["place_code"].startswith("5226")
    assert {j["contract_term"] for j in rows["employment"]} == {"none", "under_6m", "6_to_12m", "1y_plus"}


def test_visit_rows_say_where_and_in_which_sector_the_employed_work(rows):
    jobs = by(rows["employment"], "member_id")
    months = {visit["id"]: visit["month"] for visit in rows["visit"]}
    for r in rows["visit_member"]:
        if r["employment_status"] != "employed":
            assert r["place_code"] is None and r["sector"] is None
            continue
        month = months[r["visit_id"]]
        job = next(j for j in jobs[r["member_id"]]
                   if j["start_month"] <= month and (j["end_month"] is None or month <= j["end_month"]))
        assert (r["place_code"], r["sector"]) == (job["place_code"], job["sector"])


# -- valid by the project's rules -----------------------------------------------------------

def test_sample_passes_validation_without_errors(rows):
    sample = rows["household"][:SAMPLE]
    ids = {h["id"] for h in sample}
    members = by(rows["member"], "household_id")
    jobs = by(rows["employment"], "member_id")
    parties = by(rows["grievance_party"], "grievance_id")
    visit_rows = by(rows["visit_member"], "visit_id")
    problems = []
    for h in sample:
        problems += v.validate_household(h, members[h["id"]], AS_OF)
    mine = lambda entity: [r for r in rows[entity] if r["household_id"] in ids]  # noqa: E731
    for e in mine("employment"):
        problems += v.validate_employment(e, jobs[e["member_id"]], AS_OF)
    problems += [p for t in mine("training") for p in v.validate_training(t, AS_OF)]
    problems += [p for m in mine("measure") for p in v.validate_measure(m, AS_OF)]
    for g in rows["grievance"]:  # all of them: a sample of 200 households holds only a few
        problems += v.validate_grievance(g, parties[g["id"]], AS_OF)
    for visit in mine("visit"):
        problems += v.validate_visit(visit, visit_rows[visit["id"]], AS_OF)
    assert v.errors(problems) == []


@pytest.mark.parametrize("as_of", [date(2024, 1, 1), date(2024, 2, 29), date(2019, 12, 31)])
def test_any_date_gives_valid_households(as_of):
    _, rows = generate(4, 60, as_of)
    members = by(rows["member"], "household_id")
    problems = [p for h in rows["household"] for p in v.validate_household(h, members[h["id"]], as_of)]
    visit_rows = by(rows["visit_member"], "visit_id")
    problems += [p for x in rows["visit"] for p in v.validate_visit(x, visit_rows[x["id"]], as_of)]
    problems += [p for t in rows["training"] for p in v.validate_training(t, as_of)]
    assert v.errors(problems) == []


# -- a real profile -------------------------------------------------------------------------

def test_loads_into_a_real_profile_and_can_be_searched(tmp_path):
    from core.store import Store

    store = Store.create(tmp_path / "demo", "demo-password", username="demo")
    try:
        seen = []
        totals = write_demo_profile(store, 50, 8, AS_OF, progress=lambda d, t: seen.append(d), chunk=20)
        assert seen == [20, 40, 50] and totals["household"] == 50
        assert store.count_households() == 50
        with store.reading() as s:
            from sqlalchemy import select

            from core.models import Household, Member
            head = s.execute(select(Member).where(Member.relation == "head").limit(1)).scalar_one()
            number = s.get(Household, head.household_id).household_no
        found = store.search_households(head.name)
        assert head.household_id in {row.id for row in found}
        assert [row.household_no for row in store.search_households(number)] == [number]
        assert store.audit_chain_break() is None
    finally:
        store.close()


# -- families that could be real, records that agree with them --------------------------------

SEEDS = (21, 22, 23)
MONTHS_9 = 274  # days
IN_LAWS = ("daughter_in_law", "son_in_law")


@pytest.fixture(scope="module")
def seeded() -> list[dict[str, list[dict]]]:
    """500 households for each of a few seeds."""
    return [generate(seed, 500)[1] for seed in SEEDS]


def years_between(older: dict, younger: dict) -> float:
    return (younger["birth_date"] - older["birth_date"]).days / 365.2425


def assert_siblings_spaced(children: list[dict]) -> int:
    """Brothers and sisters are born on one day (twins) or at least nine months apart; returns the twin pairs."""
    twins = 0
    for i, a in enumerate(children):
        for b in children[i + 1:]:
            days = abs((a["birth_date"] - b["birth_date"]).days)
            assert days == 0 or days >= MONTHS_9, (a["relation"], a["birth_date"], b["relation"], b["birth_date"])
            twins += days == 0
    return twins


def assert_parents(children: list[dict], mother: dict | None, father: dict | None) -> None:
    for child in children:
        if mother is not None:
            assert 16 <= years_between(mother, child) <= 50, (mother["birth_date"], child["birth_date"])
        if father is not None:
            assert 18 <= years_between(father, child) <= 60, (father["birth_date"], child["birth_date"])


def check_family(members: list[dict]) -> int:
    """Every rule of biology and law a user would notice in one household; returns its twin pairs."""
    head = members[0]
    assert head["relation"] == "head" and [m["relation"] for m in members].count("head") == 1
    of = lambda *relations: [m for m in members if m["relation"] in relations]  # noqa: E731
    assert all(m["sex"] == "1" for m in of("son", "son_in_law"))
    assert all(m["sex"] == "2" for m in of("daughter", "daughter_in_law"))
    couple = [head] + of("spouse")
    for spouse in of("spouse"):
        assert spouse["sex"] != head["sex"] and abs(years_between(head, spouse)) <= 10
    married = of("spouse", *IN_LAWS) + (couple[:1] if len(couple) > 1 else [])
    assert all(age_on(m["birth_date"], AS_OF) >= (22 if m["sex"] == "1" else 20) for m in married)  # legal ages
    children = of("son", "daughter")
    mother = next((m for m in couple if m["sex"] == "2"), None)
    father = next((m for m in couple if m["sex"] == "1"), None)
    assert_parents(children, mother, father)
    for parent in of("parent"):  # the head's mother or father
        assert_parents([head] + of("sibling"), *((parent, None) if parent["sex"] == "2" else (None, parent)))
    grandchildren = of("grandchild")
    in_laws = of(*IN_LAWS)
    assert len(in_laws) <= 1 and (not grandchildren or in_laws)
    for in_law in in_laws:  # married to one of the head's sons (a 儿媳) or daughters (a 女婿)
        partners = [c for c in children if c["sex"] != in_law["sex"] and abs(years_between(c, in_law)) <= 10]
        assert partners, "a child-in-law married to none of the head's children"
        assert any(all(18 <= years_between(p, g) for g in grandchildren) for p in partners)
        if in_law["sex"] == "2":
            assert_parents(grandchildren, in_law, None)
        else:
            assert_parents(grandchildren, None, in_law)
    return assert_siblings_spaced(children) + assert_siblings_spaced(grandchildren) + assert_siblings_spaced(
        [head] + of("sibling"))


def test_every_family_follows_biology(seeded):
    twins = births = 0
    for rows in seeded:
        for members in by(rows["member"], "household_id").values():
            twins += check_family(members)
            births += sum(m["relation"] in ("son", "daughter", "grandchild") for m in members)
            assert all(0 <= (AS_OF - m["birth_date"]).days / 365.2425 <= 100 for m in members)
    assert 0 < twins < 0.03 * births  # twins happen, now and then


def test_ages_agree_with_school_work_and_what_is_recorded(seeded):
    in_school = {"primary": (5, 13), "junior": (11, 16), "senior": (14, 19), "vocational": (14, 20),
                 "higher_vocational": (17, 24), "university": (17, 24)}
    for rows in seeded:
        members = {m["id"]: m for m in rows["member"]}
        age = {i: age_on(m["birth_date"], AS_OF) for i, m in members.items()}
        for i, m in members.items():
            low, high = in_school.get(m["school_status"], (0, 200))
            assert low <= age[i] <= high, (m["school_status"], age[i])
        for e in rows["employment"]:  # at work from 16, and nobody past working age still counted as a worker
            m = members[e["member_id"]]
            started = date(int(e["start_month"][:4]), int(e["start_month"][5:]), 28)
            assert years_between(m, {"birth_date": started}) >= 16 and age[m["id"]] <= 60
            assert m["labour_skill"] in ("skilled", "ordinary", "weak") and m["school_status"] not in in_school
        assert all(16 <= age[t["member_id"]] <= 60 for t in rows["training"])
        households = by(rows["member"], "household_id")
        for visit in rows["visit"]:
            home = households[visit["household_id"]]
            if visit["notes"] == "孩子就学正常":
                assert any(m["school_status"] in in_school for m in home)
            if visit["notes"] == "老人身体状况良好":
                assert any(age[m["id"]] >= 60 for m in home)


def test_every_grievance_is_one_coherent_case(seeded):
    from core.codes import code_lists
    from core.demo.casebook import CASES

    lists = code_lists()
    case_of: dict[str, object] = {}
    for case in CASES:  # a text belongs to one kind and type only, and codes are the code lists' own
        assert lists.contains("grievance_kind", case.kind)
        assert (case.dispute_type is None) == (case.kind != "dispute")
        assert case.dispute_type is None or lists.contains("dispute_type", case.dispute_type)
        for text in case.texts:
            assert case_of.setdefault(text, case) is case, text
    seen = Counter()
    for rows in seeded:
        for g in rows["grievance"]:
            case = case_of[g["summary"]]
            assert (g["kind"], g["dispute_type"]) == (case.kind, case.dispute_type), g["summary"]
            assert g["responsible_unit"] in case.units
            assert g["resolution"] is None or g["resolution"] in case.resolutions
            seen[g["dispute_type"] or g["kind"]] += 1
            if g["dispute_type"] == "wage":
                assert "劳动" in g["responsible_unit"] and ("工资" in g["summary"] or "补偿" in g["summary"])
            if g["dispute_type"] == "neighbour":
                assert g["responsible_unit"] in ("社区居委会", "安置点人民调解委员会") and "邻居" in g["summary"]
            if g["kind"] == "repair":
                assert g["responsible_unit"] == "社区物业服务中心"
    assert {"repair", "request", "consultation", "neighbour"} <= set(seen)


def test_a_demo_profile_shows_every_indicator_in_every_state_a_worker_should_see(tmp_path):
    """300 households: someone cleared of zero employment this month, a round not complete, a returned
    worker at work, a left-behind child, the special-hardship kinds, incomes of two years to grow, a
    gap in insurance of each kind, and the yearly records pass their own rules."""
    from core.store import Store
    from tests.conftest import PASSWORD

    with Store.create(tmp_path / "p", PASSWORD, username="demo",
                      fill=lambda store: write_demo_profile(store, 300, 1, AS_OF, lambda *_: None)) as store:
        pass
    with Store.open(tmp_path / "p", PASSWORD) as store:
        ind = store.indicators(AS_OF)
        f = ind.figures()
        assert f["cleared_zero_employment"].numerator > 0 and f["zero_employment"].numerator > 0
        assert f["monitoring_rounds"].numerator < 12 and f["visit_coverage"].numerator < ind.households
        assert 0 < f["returned_workers_employed"].numerator < f["returned_workers_employed"].denominator
        assert f["left_behind_children"].numerator > 0 and f["school_dropouts"].denominator > 0
        assert all(ind.distributions["special_hardship_kind"][k] > 0 for k in ("widower", "widow", "alone", "disabled"))
        assert f["income_per_person"].denominator > 0 and f["income_growth"].denominator > 0
        assert all(n > 0 for n in ind.distributions["insurance_gap_kind"].values())
        with store.reading() as s:
            from core.models import HouseholdIncome, Insurance
            from core.store.records import row_to_dict
            for model, rule in ((HouseholdIncome, v.validate_household_income), (Insurance, v.validate_insurance)):
                for row in s.query(model).limit(400):
                    assert v.errors(rule(row_to_dict(row), AS_OF)) == [], row_to_dict(row)
