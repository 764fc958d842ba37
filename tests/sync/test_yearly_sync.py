"""The records of profile schema 0008 travel: a household's income of a year and a member's insurance go
laptop → county server → another laptop; the county's settings are changed by the county admin alone
and every laptop's figures follow them; on SQLite and on PostgreSQL."""
from __future__ import annotations

from datetime import date

from core.models import COUNTY_SETTINGS_ID
from tests.sync.sync_helpers import members, new_household, run_sync, server_row

TODAY = date.today()
SETTINGS = {"working_age_min": 16, "working_age_max": 60, "round_coverage": 0.9, "training_target": 0.35,
            "farmer_income_growth": 0.065, "farmer_income_year": TODAY.year - 1, "grievance_days": ["repair:15"]}


def test_a_years_income_and_insurance_reach_the_server_and_another_laptop(enrol, county):
    w1 = enrol("w1")
    hid = new_household(w1)
    head = members(w1, hid)[0]["id"]
    income = w1.save_household_income({"household_id": hid, "year": TODAY.year - 1, "wage": 30000, "transfer": 2400,
                                       "household_size": 3}, TODAY).id
    cover = w1.save_insurance({"household_id": hid, "member_id": head, "year": TODAY.year, "kind": "medical",
                               "insured": True, "scheme": "resident", "paid_by": "government"}, TODAY).id
    run_sync(w1)
    assert (server_row(county, "household_income", income)["wage"], server_row(county, "insurance", cover)["paid_by"]) \
        == (30000, "government")
    w2 = enrol("w2")
    full = w2.get_household(hid, log_access=False)
    assert [(i["year"], i["wage"], i["household_size"]) for i in full.incomes] == [(TODAY.year - 1, 30000, 3)]
    assert [(i["member_id"], i["kind"], i["insured"]) for i in full.insurances] == [(head, "medical", True)]
    # the same household's income of the same year made on another laptop is refused by the server, in words
    w2.save_household_income({"household_id": hid, "year": TODAY.year - 2, "wage": 1000}, TODAY)
    w1.save_household_income({"household_id": hid, "year": TODAY.year - 2, "wage": 2000}, TODAY)
    run_sync(w2)
    run_sync(w1)
    refused = w1.sync_rejections()
    assert refused and "已有收入记录" in refused[-1]["reason"]


def test_only_the_county_admin_changes_the_county_settings_and_every_laptop_follows(enrol, county):
    w1 = enrol("w1")
    w1.set_meta("role", "admin")  # a worker's laptop pretending: the server still refuses
    w1.save_county_settings(SETTINGS, TODAY)
    run_sync(w1)
    assert server_row(county, "county_settings", COUNTY_SETTINGS_ID) is None
    assert "只有县管理员" in w1.sync_rejections()[-1]["reason"]

    a1 = enrol("a1")
    a1.save_county_settings(SETTINGS, TODAY)
    run_sync(a1)
    assert server_row(county, "county_settings", COUNTY_SETTINGS_ID)["grievance_days"] == ["repair:15"]
    w2 = enrol("w2")
    rules = w2.county_rules()
    assert (rules.working_age, rules.round_coverage, rules.training_target, rules.grievance_days) == \
        ((16, 60), 0.9, 0.35, (("repair", 15),))
    assert w2.indicators(TODAY).training.target == 0.35
