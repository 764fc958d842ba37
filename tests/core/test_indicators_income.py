"""Income and insurance figures as the policy words them, one test per clause that flips each:
人均可支配收入 of last year, its growth over the year before on the same households against the county's
rural growth, the wage share against the year before's, and members with a gap in their insurance
(漏保断保); the county's settings move working age and grievance time limits."""
from __future__ import annotations

from datetime import date

import pytest

from core.selftest import sample_household
from core.store import HouseholdFilter

TODAY = date(2026, 11, 15)


@pytest.fixture
def homes(store):
    """Two households of three (a couple born 1980/1982 and a child born 2012)."""
    ids = []
    for index in (0, 1):
        household, members = sample_household(index)
        for m, birth in zip(members, ("1980-01-01", "1982-02-02", "2012-03-03")):
            m["birth_date"] = birth
        ids.append(store.save_household(household, members, today=TODAY).id)
    return ids


def income(store, hid, year, wage, transfer=0.0, size=None):
    store.save_household_income({"household_id": hid, "year": year, "wage": wage, "transfer": transfer,
                                 "household_size": size}, TODAY)


def test_per_person_income_is_last_years_total_over_the_people_sharing_it(store, homes):
    income(store, homes[0], 2025, 24000, 6000)           # three live members share it
    income(store, homes[1], 2025, 10000, 0, size=2)      # the size recorded that year wins
    income(store, homes[1], 2026, 99000)                 # this year's is not a whole year yet
    figure = store.indicators(TODAY).income_per_person
    assert (figure.numerator, figure.denominator, figure.unit) == (40000, 5, "amount")
    assert figure.rate == 8000
    assert set(store.households_behind("income_per_person", TODAY)) == set(homes)


def test_growth_is_measured_on_households_with_both_years_against_the_countys_rural_growth(store, homes):
    income(store, homes[0], 2024, 18000, size=3)
    income(store, homes[0], 2025, 21000, size=3)
    income(store, homes[1], 2025, 90000, size=3)         # no 2024: not in the growth
    growth = store.indicators(TODAY).income_growth
    assert (growth.numerator, growth.denominator) == (7000, 6000) and growth.rate == pytest.approx(1 / 6)
    assert growth.target is None and growth.target_met is None  # the county has not given its figure
    store.set_meta("role", "admin")
    store.save_county_settings({"working_age_min": 16, "working_age_max": 59, "round_coverage": 0.95,
                                "training_target": 0.3, "farmer_income_growth": 0.2, "farmer_income_year": 2025,
                                "grievance_days": []}, TODAY)
    growth = store.indicators(TODAY).income_growth
    assert growth.target == 0.2 and growth.target_met is False  # 16.7% is not above the county's 20%


def test_the_wage_share_is_held_to_rise_over_the_year_before(store, homes):
    income(store, homes[0], 2024, 6000, 4000)
    income(store, homes[0], 2025, 7000, 3000)
    share = store.indicators(TODAY).wage_share
    assert share.rate == pytest.approx(0.7) and share.target == pytest.approx(0.6) and share.target_met


def test_a_member_without_this_years_insurance_is_a_gap_and_a_lapse_is_counted(store, homes):
    full = store.get_household(homes[0])
    for member in store.get_household(homes[0]).members + store.get_household(homes[1]).members:
        store.save_insurance({"household_id": member["household_id"], "member_id": member["id"], "year": 2026,
                              "kind": "medical", "insured": True}, TODAY)
        if member["birth_date"].year < 2000:
            store.save_insurance({"household_id": member["household_id"], "member_id": member["id"], "year": 2026,
                                  "kind": "pension", "insured": True}, TODAY)
    ind = store.indicators(TODAY)
    assert (ind.insurance_gaps.numerator, ind.insurance_gaps.denominator) == (0, 6)
    # the child (14) needs no pension insurance; the mother's pension lapses: insured 2025, not 2026
    mother = full.members[1]
    pension = next(i for i in store.get_household(homes[0]).insurances
                   if i["member_id"] == mother["id"] and i["kind"] == "pension")
    store.save_insurance({**pension, "year": 2025}, TODAY)
    ind = store.indicators(TODAY)
    assert ind.insurance_gaps.numerator == 1
    assert ind.distributions["insurance_gap_kind"] == {"medical_missing": 0, "pension_missing": 1, "lapsed": 1}
    assert store.households_behind("insurance_gaps", TODAY) == [homes[0]]


def test_a_grievance_without_a_deadline_is_overdue_by_the_countys_time_limit_for_its_kind(store, homes):
    store.save_grievance({"household_id": homes[0], "case_no": "G-1", "kind": "repair", "summary": "漏水",
                          "received_date": "2026-10-01", "status": "registered"}, [], today=TODAY)
    assert store.indicators(TODAY).overdue_grievances.numerator == 0  # no deadline and no time limit
    store.set_meta("role", "admin")
    store.save_county_settings({"working_age_min": 16, "working_age_max": 59, "round_coverage": 0.95,
                                "training_target": 0.3, "grievance_days": ["repair:30"]}, TODAY)
    assert store.indicators(TODAY).overdue_grievances.numerator == 1  # received 1 Oct, 30 days: past
    listed = store.list_households(HouseholdFilter(overdue_grievance=True, today=TODAY))
    assert [r.id for r in listed] == [homes[0]]
    assert store.indicators(date(2026, 10, 20)).overdue_grievances.numerator == 0


def test_the_countys_working_age_moves_who_counts(store, homes):
    full = store.get_household(homes[0])
    members = [{**m, "job_need": None} for m in full.members]
    members[0].update(birth_date="1972-05-01", id_number=None, labour_skill="ordinary", job_need="local")  # 54
    store.save_household(full.household, members, today=TODAY)
    assert homes[0] in store.households_behind("zero_employment", TODAY)
    store.set_meta("role", "admin")
    store.save_county_settings({"working_age_min": 16, "working_age_max": 50, "round_coverage": 0.95,
                                "training_target": 0.3, "grievance_days": []}, TODAY)
    assert homes[0] not in store.households_behind("zero_employment", TODAY)  # 54 is past the county's 50
    # the list's box follows the county's working age too (its spans re-derived)
    zero = {r.id for r in store.list_households(HouseholdFilter(zero_employment=True, today=TODAY))}
    assert zero == set(store.households_behind("zero_employment", TODAY))


def test_only_an_admins_profile_changes_the_county_settings(store):
    from core.validation import ValidationError

    with pytest.raises(ValidationError, match="只有县管理员"):
        store.save_county_settings({"working_age_min": 16, "working_age_max": 59, "round_coverage": 0.95,
                                    "training_target": 0.3}, TODAY)
    assert store.county_settings() is None
