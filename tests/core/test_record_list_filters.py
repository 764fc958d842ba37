"""The record lists narrowed by their filters: training by type and result, jobs by channel and
whether they still run, grievances by status and overdue, visits by month."""
from __future__ import annotations

from datetime import date

import pytest

from core.selftest import sample_household

TODAY = date(2026, 11, 20)


@pytest.fixture
def full(store):  # noqa: ANN001, ANN201
    household, members = sample_household(0)
    saved = store.save_household(household, members, TODAY)
    full = store.get_household(saved.id)
    hid, head, wife = saved.id, full.members[0]["id"], full.members[1]["id"]
    store.save_training({"household_id": hid, "member_id": head, "programme": "电工", "training_type": "employment_skill",
                         "start_date": "2026-04-01", "result": "passed"}, TODAY)
    store.save_training({"household_id": hid, "member_id": wife, "programme": "家政", "training_type": "startup",
                         "start_date": "2026-05-01", "result": "in_progress"}, TODAY)
    store.save_employment({"household_id": hid, "member_id": head, "start_month": "2025-03", "end_month": "2026-02",
                           "channel": "organised", "scope": "in_county"}, TODAY)
    store.save_employment({"household_id": hid, "member_id": wife, "start_month": "2026-03", "channel": "workshop",
                           "scope": "in_county"}, TODAY)
    store.save_grievance({"household_id": hid, "case_no": "G-1", "kind": "repair", "summary": "漏水",
                          "received_date": "2026-10-01", "deadline": "2026-10-31", "status": "registered"}, [], TODAY)
    store.save_grievance({"household_id": hid, "case_no": "G-2", "kind": "request", "summary": "路灯",
                          "received_date": "2026-11-10", "deadline": "2026-12-10", "status": "registered"}, [], TODAY)
    for month in ("2026-10", "2026-11"):
        store.save_visit({"household_id": hid, "month": month, "visit_date": f"{month}-05", "method": "home"}, [],
                         TODAY)
    return full


def listed(store, list_kind: str, key: str, **filters) -> list:  # noqa: ANN001, ANN003
    return sorted(r[key] for r in store.list_records(list_kind, today=TODAY, filters=filters))


def test_training_is_narrowed_by_type_and_result(store, full):
    assert listed(store, "training", "programme", training_type="startup") == ["家政"]
    assert listed(store, "training", "programme", result="passed") == ["电工"]
    assert listed(store, "training", "programme", result="passed", training_type="startup") == []
    assert listed(store, "training", "programme", result=None) == ["家政", "电工"]  # None: the filter is off


def test_jobs_are_narrowed_by_channel_and_whether_they_still_run(store, full):
    assert listed(store, "employment", "start_month", current=True) == ["2026-03"]
    assert listed(store, "employment", "start_month", current=False) == ["2025-03"]
    assert listed(store, "employment", "start_month", channel="organised") == ["2025-03"]


def test_grievances_are_narrowed_by_status_kind_and_overdue(store, full):
    assert listed(store, "grievance", "case_no", overdue=True) == ["G-1"]
    assert listed(store, "grievance", "case_no", overdue=False) == ["G-2"]
    assert listed(store, "grievance", "case_no", status="registered", kind="request") == ["G-2"]


def test_visits_are_narrowed_by_month_and_a_list_refuses_a_filter_it_does_not_have(store, full):
    assert listed(store, "visit", "month", month="2026-10") == ["2026-10"]
    with pytest.raises(ValueError):
        store.list_records("visit", today=TODAY, filters={"status": "closed"})
