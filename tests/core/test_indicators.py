"""Indicators computed from what workers record, each as the policy words it: one test per clause that
flips it (zero employment, at least one employed, training coverage, monitoring rounds, cleared this
month), plus overdue grievances and monitored households without a measure."""
from __future__ import annotations

from datetime import date

import pytest

from core.indicators import households_behind, monthly_visit_coverage, zero_employment_households
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
        for m, birth in zip(members, ("1980-01-01", "1982-02-02", "2012-03-03")):
            m["birth_date"] = birth
            m["job_need"] = "local" if m["labour_skill"] == "ordinary" else None
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
    expected = {"zero_employment": (1, 2), "cleared_zero_employment": (0, 1), "at_least_one_employed": (1, 2),
                "training": (1, 2), "monitoring_rounds": (0, 12), "visit_coverage": (1, 2),
                "overdue_grievances": (1, 1), "monitored_without_measure": (1, 1)}
    # the households' figures; other parts' (the people's, core.indicators.people) are tested on their own
    assert {name: (f.numerator, f.denominator) for name, f in ind.figures().items() if name in expected} == expected
    assert ind.training.rate == pytest.approx(0.5) and ind.training.target_met
    assert ind.visit_coverage.target_met is False


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
    october = date(2026, 10, 15)
    assert store.indicators(october).zero_employment_households == 2
    assert store.indicators(TODAY).zero_employment_households == 1  # November's visit says A's head works
    b = store.get_household(village["B"])
    store.save_employment({"household_id": village["B"], "member_id": b.members[1]["id"], "start_month": "2026-10",
                           "channel": "public_post"}, today=TODAY)
    assert store.indicators(october).zero_employment_households == 1


def test_a_measure_and_closing_the_grievance_clear_their_flags(store, village):
    store.save_measure({"household_id": village["B"], "category": "health", "name": "大病医疗救助",
                        "start_date": "2026-08-01", "status": "in_progress"}, today=TODAY)
    b = store.get_household(village["B"])
    g = b.grievances[0]
    store.save_grievance({k: val for k, val in g.items() if k != "parties"} | {"status": "in_progress"}, [], today=TODAY)
    store.save_grievance({k: val for k, val in g.items() if k != "parties"} | {"status": "closed", "closed_date": "2026-11-10",
                                                                               "resolution": "已维修"}, [], today=TODAY)
    ind = store.indicators(TODAY)
    assert ind.monitored_without_measure.numerator == 0 and ind.overdue_grievances.numerator == 0


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
    assert store.indicators(TODAY).monitored_without_measure.numerator == 1


# -- one test per clause of each definition ------------------------------------------------------
def zero_in(store, month: str) -> set[str]:
    with store.reading() as s:
        return set(zero_employment_households(s, month))


def listed_zero(store, day: date) -> set[str]:
    return {r.id for r in store.list_households(HouseholdFilter(today=day, zero_employment=True), limit=1000)}


def household_of(store, index: int, people: list[dict]) -> str:
    """A household whose members are `people` (each a dict of member fields over a plain adult)."""
    household, members = sample_household(index)
    household["household_no"] = f"H{index}"
    rows = [{**members[0], "birth_date": "1980-01-01", "labour_skill": "none", "job_need": None}]
    rows += [{"name": name, "relation": "other", **p} for name, p in zip(("张丽", "刘强", "陈芳"), people)]
    return store.save_household(household, rows, today=TODAY).id


def test_a_child_marked_weak_labour_is_not_working_age(store):
    child = household_of(store, 5, [{"birth_date": "2018-06-01", "labour_skill": "weak", "job_need": "local"}])
    assert child not in zero_in(store, "2026-11") and child not in listed_zero(store, TODAY)
    assert child in zero_in(store, "2034-06") and child not in zero_in(store, "2034-05")  # turns 16 in June 2034
    assert child in listed_zero(store, date(2034, 6, 1))


def test_a_member_wanting_no_job_does_not_make_a_zero_employment_household(store):
    hid = household_of(store, 6, [{"birth_date": "1990-01-01", "labour_skill": "ordinary", "job_need": "none"}])
    assert hid not in zero_in(store, "2026-11")
    h = store.get_household(hid)
    store.save_household(h.household, [{**m, "job_need": "outside"} if m["labour_skill"] == "ordinary" else m
                                       for m in h.members], today=TODAY)
    assert hid in zero_in(store, "2026-11") and hid in listed_zero(store, TODAY)
    assert store.indicators(TODAY).zero_employment.numerator == 1


def test_the_visit_wins_over_an_open_job_for_its_month(store, village):
    a = store.get_household(village["A"])
    assert village["A"] not in zero_in(store, "2026-11")
    visit = {k: val for k, val in a.visits[0].items() if k != "members"}
    store.save_visit(visit, [{"member_id": m["id"], "employment_status": "unemployed"} for m in a.members],
                     today=TODAY)
    assert village["A"] in zero_in(store, "2026-11") and village["A"] in listed_zero(store, TODAY)
    assert village["A"] not in zero_in(store, "2026-10")  # the open job still counts where no visit says otherwise
    assert store.indicators(TODAY).at_least_one_employed.numerator == 0


def test_a_visit_saying_employed_counts_without_a_job(store, village):
    b = store.get_household(village["B"])
    store.save_visit({"household_id": village["B"], "month": "2026-11", "visit_date": "2026-11-04", "method": "home"},
                     [{"member_id": b.members[1]["id"], "employment_status": "employed"}], today=TODAY)
    assert village["B"] not in zero_in(store, "2026-11") and village["B"] not in listed_zero(store, TODAY)


def training_of(store, village, **fields) -> dict:
    b = store.get_household(village["B"])
    store.save_training({"household_id": village["B"], "member_id": b.members[0]["id"], "start_date": "2026-05-01",
                         "end_date": "2026-05-20", "hours": 30, **fields}, today=TODAY)
    return store.get_household(village["B"]).trainings[-1]


def test_only_completed_employment_skill_and_startup_training_counts(store, village):
    assert store.indicators(TODAY).training.numerator == 1  # A's head: a passed 就业技能培训
    course = training_of(store, village, training_type="night_school", result="dropped")
    assert store.indicators(TODAY).training.numerator == 1
    for kind, result in (("night_school", "passed"), ("agri_tech", "passed"), ("employment_skill", "dropped"),
                         ("employment_skill", "in_progress")):
        store.save_training({**course, "training_type": kind, "result": result}, today=TODAY)
        assert store.indicators(TODAY).training.numerator == 1, (kind, result)
    store.save_training({**course, "training_type": "startup", "result": "passed"}, today=TODAY)
    ind = store.indicators(TODAY)
    assert ind.training.numerator == 2
    with store.reading() as s:
        assert set(households_behind(s, "training", TODAY)) == {village["A"], village["B"]}
    assert store.indicators(date(2027, 1, 10)).training.numerator == 0  # a calendar year's figure


def test_training_base_is_working_age_labour_willing_to_be_trained(store, village):
    assert store.indicators(TODAY).training.denominator == 2
    a = store.get_household(village["A"])
    members = [{**m, "training_willing": True} for m in a.members]  # the spouse counts; the 14-year-old does not
    store.save_household(a.household, members, today=TODAY)
    assert store.indicators(TODAY).training.denominator == 3
    away = [{**m, "residence": "working_away", "residence_place": "440300"} if m["relation"] == "spouse" else m
            for m in store.get_household(village["A"]).members]  # the spouse now works away: not 常住
    store.save_household(a.household, away, today=TODAY)
    assert store.indicators(TODAY).training.denominator == 2
    at_site = [{**m, "residence": "at_site", "residence_place": None} for m in store.get_household(village["A"]).members]
    store.save_household(a.household, at_site, today=TODAY)
    assert store.indicators(TODAY).training.denominator == 3


def test_a_month_below_the_coverage_threshold_is_not_a_complete_round(store, village):
    for hid in village.values():  # October: both visited; November: only A (1 of 2)
        store.save_visit({"household_id": hid, "month": "2026-10", "visit_date": "2026-10-05", "method": "home"}, [],
                         today=TODAY)
    with store.reading() as s:
        coverage = monthly_visit_coverage(s, TODAY)
    assert (coverage["2026-10"].target_met, coverage["2026-11"].target_met) == (True, False)
    assert len(coverage) == 11 and coverage["2026-11"].rate == pytest.approx(0.5)
    ind = store.indicators(TODAY)
    assert (ind.monitoring_rounds.numerator, ind.monitoring_rounds.denominator) == (1, 12)


def test_a_household_finding_work_this_month_is_reported_cleared(store, village):
    assert store.indicators(TODAY).cleared_zero_employment.numerator == 0
    b = store.get_household(village["B"])
    store.save_employment({"household_id": village["B"], "member_id": b.members[1]["id"], "start_month": "2026-11",
                           "channel": "public_post"}, today=TODAY)
    ind = store.indicators(TODAY)
    assert (ind.cleared_zero_employment.numerator, ind.cleared_zero_employment.denominator) == (1, 1)
    assert ind.zero_employment.numerator == 0
    with store.reading() as s:
        assert households_behind(s, "cleared_zero_employment", TODAY) == [village["B"]]
        assert households_behind(s, "cleared_zero_employment", date(2026, 12, 15)) == []


def test_the_household_list_narrowed_to_a_figure_shows_exactly_the_households_behind_it(store, village):
    from core.indicators import INDICATOR_KEYS

    for key in INDICATOR_KEYS:
        wanted = HouseholdFilter(behind=key, today=TODAY)
        listed = {row.id for row in store.list_households(wanted, limit=10)}
        assert listed == set(store.households_behind(key, TODAY)), key
        assert store.count_households(wanted) == len(listed), key
    assert {row.id for row in store.list_households(HouseholdFilter(behind="zero_employment", today=TODAY))} == {
        village["B"]}


def test_the_report_adds_up_its_grids(store, village):
    report = store.indicator_report(TODAY)
    for name, figure in report.total.figures().items():
        if name == "monitoring_rounds":
            continue  # a count of complete months, not a sum
        assert figure.numerator == sum(g.figures()[name].numerator for g in report.by_grid.values()), name
        assert figure.denominator == sum(s.figures()[name].denominator for s in report.by_settlement.values()), name
    grid = next(iter(report.by_grid))
    from core.indicators import Scope
    assert store.indicators(TODAY, Scope(grid_id=grid[1])).figures() == report.by_grid[grid].figures()


def test_the_trend_counts_zero_employment_month_by_month(store, village):
    trend = store.indicator_trend(TODAY)
    assert list(trend)[-1] == "2026-11" and len(trend) == 12
    for month, figures in trend.items():
        assert figures["zero_employment"].numerator == len(zero_employment_households_of(store, month)), month
    assert trend["2026-11"]["visit_coverage"].numerator == 1


def zero_employment_households_of(store, month):
    with store.reading() as s:
        return zero_employment_households(s, month)
