"""What the forms rely on from core/, tested without any widget."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core import validation as v
from core.forms import check_form, data_fields, field_spec, prefill_visit
from core.models import AuditEntry
from core.selftest import sample_household
from core.store import login_pause_seconds

TODAY = date(2026, 11, 20)


def test_field_specs_say_how_each_field_is_edited():
    kinds = {name: field_spec("household", name).kind for name in data_fields("household")}
    assert kinds["risk_types"] == "codes" and kinds["settlement_id"] == "ref"
    assert kinds["monitoring_identified_month"] == "month" and kinds["consent_date"] == "date"
    assert kinds["relocation_year"] == "int" and kinds["house_area"] == "float" and kinds["notes"] == "longtext"
    assert field_spec("member", "dibao").kind == "bool" and field_spec("member", "relation").code_list == "relation"
    assert field_spec("member", "name").required and not field_spec("member", "phone").required
    assert field_spec("member", "birth_date").label("en") == "Birth date"
    assert field_spec("member", "birth_date").label("zh") == "出生日期"
    assert "household_id" not in data_fields("employment")


def test_check_form_finds_what_the_store_refuses(store):
    household, members = sample_household(1)
    members[1]["id_number"] = members[1]["id_number"][:-1] + ("0" if members[1]["id_number"][-1] != "0" else "1")
    problems = check_form("household", household, members, TODAY)
    assert [p.field for p in v.errors(problems)] == ["members[1].id_number"]
    with pytest.raises(v.ValidationError) as refused:
        store.save_household(household, members, TODAY)
    assert [p.field for p in v.errors(refused.value.problems)] == ["members[1].id_number"]


def test_check_form_covers_every_kind_of_record():
    assert check_form("employment", {"member_id": "m", "start_month": "2026-13"}, today=TODAY)[0].field == "start_month"
    assert check_form("training", {"member_id": "m", "hours": "-3"}, today=TODAY)
    assert check_form("measure", {"category": "employment"}, today=TODAY)[0].field == "name"
    grievance = check_form("grievance", {"case_no": "G", "kind": "request", "summary": "x",
                                         "received_date": "2026-11-01"}, [{"name": ""}], TODAY)
    assert [p.field for p in grievance] == ["parties[0].name"]
    visit = check_form("visit", {"month": "2026-11", "visit_date": "2026-10-30"}, [], TODAY)
    assert [p.field for p in visit] == ["visit_date"]


def test_a_new_visit_takes_last_months_rows_then_the_job_records():
    members = [{"id": "a", "status": "normal"}, {"id": "b", "status": "normal"}, {"id": "c", "status": "removed"},
               {"id": "d", "status": "normal"}]
    visits = [{"month": "2026-11", "method": "wechat", "members": []},  # this month's own: not a "last" visit
              {"month": "2026-10", "method": "phone", "visitor": "w1",
               "members": [{"member_id": "a", "employment_status": "employed", "income": 3000, "place_code": "441900",
                            "sector": "C"}]}]
    jobs = [{"member_id": "b", "start_month": "2026-01", "end_month": None, "monthly_income": 2400.0,
             "place_code": "522601", "sector": "E"},
            {"member_id": "d", "start_month": "2025-01", "end_month": "2025-06", "monthly_income": 1000.0}]
    visit, rows = prefill_visit(members, visits, jobs, "2026-11", TODAY)
    assert visit == {"month": "2026-11", "visit_date": TODAY, "method": "phone", "visitor": "w1"}
    assert rows == [{"member_id": "a", "employment_status": "employed", "income": 3000, "place_code": "441900",
                     "sector": "C"},
                    {"member_id": "b", "employment_status": "employed", "income": 2400.0, "place_code": "522601",
                     "sector": "E"},
                    {"member_id": "d", "employment_status": None, "income": None, "place_code": None,
                     "sector": None}]  # d's job ended; c has left


def test_the_pause_after_failed_passwords_grows_and_has_a_ceiling():
    assert [login_pause_seconds(n) for n in range(5)] == [0] * 5
    assert [login_pause_seconds(n) for n in (5, 6, 7)] == [30, 60, 120]
    assert login_pause_seconds(50) == 15 * 60


def test_drafts_are_kept_in_the_profile_and_discarded(store):
    store.save_draft("household:new-1", {"values": {"household_no": "H-9", "name": "王"}})
    assert store.drafts() == {"household:new-1": {"values": {"household_no": "H-9", "name": "王"}}}
    store.discard_draft("household:new-1")
    store.discard_draft("household:new-1")  # twice is harmless
    assert store.drafts() == {} and store.pending_change_count() == 0  # drafts never sync


def test_revealing_the_head_id_of_a_household_logs_the_member(store):
    household, members = sample_household(2)
    saved = store.save_household(household, members, TODAY)
    assert store.reveal("household", saved.id, "head_id_number") == members[0]["id_number"]
    head = store.get_household(saved.id).members[0]
    with store.reading() as s:
        details = [a.detail for a in s.execute(select(AuditEntry).where(AuditEntry.row_id == head["id"])).scalars()]
    assert "reveal id_number" in details


def test_record_lists_mask_ids_and_search_by_name(store):
    household, members = sample_household(4)
    store.save_household(household, members, TODAY)
    people = store.list_records("member", "李秀英", today=TODAY)
    assert [p["name"] for p in people] == ["李秀英"] and "*" in people[0]["id_number"]
    assert people[0]["member_id"] == people[0]["id"]
    assert people[0]["age"] == 44 and "birth_date" not in people[0]  # born 1982-02-02; no birth date beside the ID
    assert len(store.list_records("member", household["household_no"])) == 3
    assert store.list_records("member", "", lang="en")[0]["relation"] in {"Head", "Spouse", "Son"}


def test_a_wrong_password_does_not_unlock(store, profile_password):
    assert store.verify_password(profile_password)
    assert not store.verify_password("not it")
    assert not store.verify_password("")  # an empty field is simply wrong, not an error


def test_a_form_save_deletes_only_the_members_it_removed(store):
    household, members = sample_household(5)
    saved = store.save_household(household, members, TODAY)
    rows = store.get_household(saved.id).members
    head, wife, son = rows
    listed = [{k: m[k] for k in ("id", "name", "id_number", "relation", "server_seq")} for m in (head, wife)]
    # The form knew head and wife and removed nobody: the son, missing from its list, is kept.
    store.save_household({**household, "id": saved.id}, listed, TODAY, removed=[])
    assert {m["name"] for m in store.get_household(saved.id).members} == {"王建国", "李秀英", "王小明"}
    # It removed the son on purpose: he goes.
    store.save_household({**household, "id": saved.id}, listed, TODAY, removed=[son["id"]])
    assert {m["name"] for m in store.get_household(saved.id).members} == {"王建国", "李秀英"}
    # A kept member counts for the household rules: a second head is refused.
    newcomer = {"name": "赵四", "relation": "head"}
    with pytest.raises(v.ValidationError):
        store.save_household({**household, "id": saved.id}, [listed[1], newcomer], TODAY, removed=[])


def test_two_id_numbers_run_together_get_one_message_that_names_the_member(store):
    household, members = sample_household(1)
    members[1]["id_number"] = members[0]["id_number"] + members[1]["id_number"]  # 36 characters
    problems = [p for p in check_form("household", household, members, TODAY) if p.field == "members[1].id_number"]
    assert len(problems) == 1, problems  # not also 'missing'
    assert problems[0].is_error
    assert problems[0].zh.startswith("第2位成员的身份证号码：") and "18位" in problems[0].zh and "36" in problems[0].zh
    assert problems[0].en.startswith("Member 2, ID number:") and "18 characters" in problems[0].en
    with pytest.raises(v.ValidationError) as refused:
        store.save_household(household, members, TODAY)
    assert [p.zh for p in refused.value.problems] == [problems[0].zh]  # the store says the same
