"""The fields of profile schema 0007 (where a member lives, a return home, a job's contract term,
insurance months and place, a visit row's place and sector) travel laptop → county server → another
laptop, and an edit of them comes back, on SQLite and on PostgreSQL."""
from __future__ import annotations

from datetime import date

from core.models import new_id
from sync.server.demo import SETTLEMENT_ID
from tests.sync.sync_helpers import GRID_W1, resident_id, run_sync, server_row

TODAY = date.today()
THIS_MONTH = f"{TODAY:%Y-%m}"
AWAY = {"marital_status": "married", "lives_alone": False, "residence": "working_away",
        "residence_place": "广东省东莞市", "residence_since": "2024-03", "returned_worker": False, "returned_month": None}
JOB = {"contract_term": "1y_plus", "insurance_months": 14, "place_code": "441900", "sector": "C"}


def made_by_w1(w1) -> tuple[str, str, str, str]:  # noqa: ANN001
    hid, head, mother = new_id(), new_id(), new_id()
    w1.save_household({"id": hid, "household_no": "H-0007", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1},
                      [{"id": head, "name": "王建国", "relation": "head", "id_number": resident_id(), **AWAY},
                       {"id": mother, "name": "张桂兰", "relation": "parent", "id_number": resident_id("19500101"),
                        "marital_status": "widowed", "lives_alone": True, "residence": "at_site"}], TODAY)
    job = w1.save_employment({"household_id": hid, "member_id": head, "start_month": "2024-03",
                              "scope": "out_province", "has_contract": True, "has_social_insurance": True, **JOB},
                             TODAY).id
    w1.save_visit({"household_id": hid, "month": THIS_MONTH, "visit_date": TODAY, "method": "phone", "visitor": "w1"},
                  [{"member_id": head, "employment_status": "employed", "income": 4200, "place_code": "441900",
                    "sector": "C"},
                   {"member_id": mother, "employment_status": "not_labour"}], TODAY)
    return hid, head, mother, job


def fields(row: dict, names) -> dict:  # noqa: ANN001
    return {k: row[k] for k in names}


def test_where_members_live_and_where_they_work_reach_the_server_and_another_laptop(enrol, county):
    w1 = enrol("w1")
    hid, head, mother, job = made_by_w1(w1)
    run_sync(w1)
    assert fields(server_row(county, "member", head), AWAY) == AWAY
    assert server_row(county, "member", mother)["lives_alone"] is True
    assert fields(server_row(county, "employment", job), JOB) == JOB

    w2 = enrol("w2")  # same grid: the first pull brings the household
    full = w2.get_household(hid, log_access=False)
    by_id = {m["id"]: m for m in full.members}
    assert fields(by_id[head], AWAY) == AWAY
    assert (by_id[mother]["marital_status"], by_id[mother]["lives_alone"]) == ("widowed", True)
    assert fields(full.employments[0], JOB) == JOB
    row = next(r for r in full.visits[0]["members"] if r["member_id"] == head)
    assert (row["place_code"], row["sector"], row["income"]) == ("441900", "C", 4200)

    # w2 records the head's return home; w1's laptop learns it at its next sync.
    back = {**by_id[head], "residence": "at_site", "residence_place": None, "residence_since": "2025-01",
            "returned_worker": True, "returned_month": "2025-01"}
    w2.save_household({k: v for k, v in full.household.items() if k != "updated_at"},
                      [back, by_id[mother]], TODAY, removed=[])
    run_sync(w2)
    run_sync(w1)
    again = next(m for m in w1.get_household(hid, log_access=False).members if m["id"] == head)
    assert (again["residence"], again["residence_place"], again["returned_worker"], again["returned_month"]) == \
        ("at_site", None, True, "2025-01")
    assert w1.pending_change_count() == 0 == w2.pending_change_count()
