"""Indicators computed from what workers record: zero employment, coverage, overdue, unmeasured."""
from __future__ import annotations

from datetime import date

import pytest

from core.selftest import sample_household
from core.store import HouseholdFilter

TODAY = date(2026, 11, 15)


@pytest.fixture
def village(store):
    """Two households: A's head works, nobody in B works; B has an overdue grievance and is monitored."""
    ids = {}
    for index, key in ((0, "A"), (1, "B")):
        household, members = sample_household(index)
        household["household_no"] = key
        if key == "B":
            household.update(monitoring_category="marginal", monitoring_identified_month="2026-07",
                             risk_types=["illness"])
        members[0]["training_willing"] = True
        result = store.save_household(household, members, today=TODAY)
        ids[key] = result.id
    a = store.get_household(ids["A"])
    store.save_employment({"household_id": ids["A"], "member_id": a.members[0]["id"], "start_month": "2025-03",
                           "channel": "local_enterprise", "scope": "in_county", "monthly_income": 3200}, today=TODAY)
    store.save_visit({"household_id": ids["A"], "month": "2026-11", "visit_date": "2026-11-03", "method": "home"},
                     [{"member_id": m["id"], "employment_status": "employed" if i == 0 else "unemployed"}
                      for i, m in enumerate(a.members)], today=TODAY)
    store.save_grievance({"household_id": ids["B"], "case_no": "G-1", "kind": "repair", "summary": "漏水",
                          "received_date": "2026-10-01", "deadline": "2026-10-31", "status": "registered"}, [],
                         today=TODAY)
    store.save_training({"household_id": ids["A"], "member_id": a.members[0]["id"], "training_type": "employment_skill",
                         "start_date": "2026-04-01", "end_date": "2026-04-10", "hours": 40, "result": "passed"},
                        today=TODAY)
    return ids


def test_indicators_of_a_small_village(store, village):
    ind = store.indicators(TODAY)
    assert ind.households == 2
    assert ind.zero_employment_households == 1
    assert (ind.labour_force, ind.employed) == (4, 1) and ind.employment_rate == pytest.approx(0.25)
    assert (ind.willing_to_train, ind.trained_this_year) == (2, 1) and ind.training_target_met
    assert ind.visited_this_month == 1 and ind.visit_coverage == pytest.approx(0.5)
    assert ind.overdue_grievances == 1
    assert ind.monitored_without_measure == 1


def test_flags_filter_the_household_list(store, village):
    def listed(**flags):
        return [r.household_no for r in store.list_households(HouseholdFilter(today=TODAY, **flags))]

    assert listed(zero_employment=True) == ["B"]
    assert listed(zero_employment=False) == ["A"]
    assert listed(overdue_grievance=True) == ["B"]
    assert listed(not_visited_this_month=True) == ["B"]
    assert listed(monitored_only=True) == ["B"]


def test_a_job_ending_clears_and_restores_zero_employment(store, village):
    a = store.get_household(village["A"])
    job = a.employments[0]
    store.save_employment({**job, "end_month": "2026-09"}, today=TODAY)
    assert store.indicators(TODAY).zero_employment_households == 2
    b = store.get_household(village["B"])
    store.save_employment({"household_id": village["B"], "member_id": b.members[1]["id"], "start_month": "2026-10",
                           "channel": "public_post"}, today=TODAY)
    assert store.indicators(TODAY).zero_employment_households == 1


def test_a_measure_and_closing_the_grievance_clear_their_flags(store, village):
    store.save_measure({"household_id": village["B"], "category": "health", "name": "大病医疗救助",
                        "start_date": "2026-08-01", "status": "in_progress"}, today=TODAY)
    b = store.get_household(village["B"])
    g = b.grievances[0]
    store.save_grievance({k: val for k, val in g.items() if k != "parties"} | {"status": "in_progress"}, [], today=TODAY)
    store.save_grievance({k: val for k, val in g.items() if k != "parties"} | {"status": "closed", "closed_date": "2026-11-10",
                                                                               "resolution": "已维修"}, [], today=TODAY)
    ind = store.indicators(TODAY)
    assert ind.monitored_without_measure == 0 and ind.overdue_grievances == 0


def test_grievance_cannot_skip_a_step(store, village):
    from core.validation import ValidationError

    g = store.get_household(village["B"]).grievances[0]
    with pytest.raises(ValidationError, match="办理状态"):
        store.save_grievance({k: val for k, val in g.items() if k != "parties"} | {"status": "followed_up",
                             "closed_date": "2026-11-01", "followup_date": "2026-11-02", "satisfaction": "satisfied"},
                             [], today=TODAY)


def test_overlapping_jobs_are_refused(store, village):
    from core.validation import ValidationError

    a = store.get_household(village["A"])
    with pytest.raises(ValidationError) as caught:
        store.save_employment({"household_id": village["A"], "member_id": a.members[0]["id"], "start_month": "2026-01",
                               "channel": "flexible"}, today=TODAY)
    assert caught.value.problems[0].field in ("start_month", "end_month")


def test_member_of_another_household_is_refused(store, village):
    from core.validation import ValidationError

    b = store.get_household(village["B"])
    with pytest.raises(ValidationError, match="不属于这一户"):
        store.save_employment({"household_id": village["A"], "member_id": b.members[0]["id"], "start_month": "2026-01"},
                              today=TODAY)


def test_a_measure_from_before_identification_does_not_count(store, village):
    store.save_measure({"household_id": village["B"], "category": "health", "name": "旧措施",
                        "start_date": "2025-01-01", "end_date": "2025-03-01", "status": "completed"}, today=TODAY)
    assert store.indicators(TODAY).monitored_without_measure == 1
