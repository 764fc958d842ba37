"""The local store as the forms use it: save, read back, search, filter, outbox, audit."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from core.models import AuditEntry, Household, Member, OutboxEntry
from core.selftest import sample_household
from core.store import HouseholdFilter
from core.validation import ValidationError

TODAY = date(2026, 11, 15)


def outbox(store) -> list[OutboxEntry]:
    with store.reading() as s:
        return list(s.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars())


def save_sample(store, index=0, **changes):
    household, members = sample_household(index)
    household.update(changes)
    return store.save_household(household, members, today=TODAY).id


def test_household_with_members_reads_back(store):
    hid = save_sample(store)
    record = store.get_household(hid)
    assert record.household["household_no"] == "SELFTEST-0000"
    assert [m["name"] for m in record.members] == ["王建国", "李秀英", "王小明"]
    head = record.members[0]
    # Sex and birth date were derived from the ID number when the form left them empty.
    assert head["sex"] == "1" and head["birth_date"] == date(1980, 1, 1)
    assert record.members[1]["sex"] == "2"


@pytest.mark.parametrize("query", ["王建国", "李秀", "王", "建国", "13812345678", "5678", "3-2-501", "3栋2单元501",
                                   "501", "selftest-0000", "SELFTEST-0000", "王建国 501"])
def test_search_finds_by_name_id_phone_and_room(store, query):
    hid = save_sample(store)
    other, members = sample_household(1)
    other.update(phone="13900000000", building="9", room="101")
    for m, name in zip(members, ["赵大海", "钱小红", "赵小龙"]):
        m["name"] = name
    store.save_household(other, members, today=TODAY)
    assert [r.id for r in store.search_households(query)] == [hid]


def test_search_follows_edits_of_what_it_reads_and_ignores_the_rest(store):
    """The list's row and search entries are rewritten in place on a save: a new phone or name is found
    and the old one no longer is, in one and two characters as in three or more; a note changes
    neither, but the row's time; a household deleted by a pull leaves the search."""
    hid = save_sample(store)
    other = save_sample(store, 1)
    record = store.get_household(hid)
    head = {**record.members[0], "name": "欧阳修"}
    store.save_household({**record.household, "phone": "13911112222"}, [head, *record.members[1:]], TODAY)
    for gone in ("王建国", "13812345678"):
        assert hid not in [r.id for r in store.search_households(gone)]
    for found in ("欧阳修", "欧", "欧阳", "1391111", "2222"):
        assert [r.id for r in store.search_households(found)] == [hid]
    before = next(r for r in store.list_households() if r.id == hid)
    record = store.get_household(hid)
    store.save_household({**record.household, "notes": "走访：一切正常"}, record.members, TODAY)
    after = next(r for r in store.list_households() if r.id == hid)
    assert [r.id for r in store.search_households("欧阳修")] == [hid] and after.head_name == "欧阳修"
    assert after.updated_at >= before.updated_at and after.member_count == 3
    store.forget_outbox([e["seq"] for e in store.outbox()])
    from core.store.pull import PulledChange
    store.apply_pulled([PulledChange(99, "household", hid, True, {})], next_cursor=99)
    assert store.search_households("欧阳修") == [] and [r.id for r in store.list_households()] == [other]


def test_search_by_id_number_and_list_masks_it(store):
    hid = save_sample(store)
    id_number = store.get_household(hid).members[0]["id_number"]
    rows = store.search_households(id_number[-8:])
    assert [r.id for r in rows] == [hid]
    assert rows[0].head_id_masked != id_number and rows[0].head_id_masked.endswith(id_number[-4:])
    assert "*" in rows[0].phone_masked and "12345678" not in rows[0].phone_masked


def test_search_matches_nothing_for_a_stranger(store):
    save_sample(store)
    assert store.search_households("赵无极") == []


def test_invalid_id_number_is_refused_and_nothing_is_written(store):
    household, members = sample_household()
    members[0]["id_number"] = members[0]["id_number"][:-1] + ("0" if members[0]["id_number"][-1] != "0" else "1")
    before = len(outbox(store))
    with pytest.raises(ValidationError) as caught:
        store.save_household(household, members, today=TODAY)
    assert any(p.field == "members[0].id_number" for p in caught.value.problems)
    assert "身份证" in str(caught.value)
    assert store.count_households() == 0 and len(outbox(store)) == before


def test_two_heads_are_refused(store):
    household, members = sample_household()
    members[1]["relation"] = "head"
    with pytest.raises(ValidationError) as caught:
        store.save_household(household, members, today=TODAY)
    assert any(p.field == "members" for p in caught.value.problems)
    assert store.count_households() == 0


def test_new_household_queues_every_field_and_an_edit_only_what_changed(store):
    hid = save_sample(store)
    first = outbox(store)
    households = [e for e in first if e.entity == "household"]
    assert len(households) == 1 and set(households[0].fields) >= {"household_no", "phone", "building"}
    assert len([e for e in first if e.entity == "member"]) == len(sample_household(0)[1])  # one entry per record
    assert all(e.base_seq == 0 and e.kind == "upsert" for e in first)

    record = store.get_household(hid)
    household = {**record.household, "phone": "13987654321"}
    store.save_household(household, record.members, today=TODAY)
    added = outbox(store)[len(first):]
    assert [(e.entity, e.fields) for e in added] == [("household", {"phone": "13987654321"})]


def test_saving_unchanged_form_queues_nothing(store):
    hid = save_sample(store)
    before = len(outbox(store))
    record = store.get_household(hid)
    store.save_household(record.household, record.members, today=TODAY)
    assert len(outbox(store)) == before


def test_member_left_out_of_the_form_is_tombstoned_and_queued(store):
    hid = save_sample(store)
    record = store.get_household(hid)
    store.save_household(record.household, record.members[:2], today=TODAY)
    assert [m["name"] for m in store.get_household(hid).members] == ["王建国", "李秀英"]
    deletes = [e for e in outbox(store) if e.kind == "delete"]
    assert [e.row_id for e in deletes] == [record.members[2]["id"]]
    with store.reading() as s:
        assert s.get(Member, record.members[2]["id"]).deleted is True


def test_deleting_a_household_hides_it_and_its_members(store):
    hid = save_sample(store)
    store.delete("household", hid)
    assert store.count_households() == 0 and store.search_households("王建国") == []
    assert store.member_count() == 0


def test_list_pages_sorts_and_counts(store):
    for i in range(12):
        save_sample(store, i, household_no=f"H-{i:03d}", room=f"{100 + i}")
    page1 = store.list_households(sort="household_no", offset=0, limit=5)
    page3 = store.list_households(sort="household_no", offset=10, limit=5)
    assert [r.household_no for r in page1] == [f"H-{i:03d}" for i in range(5)]
    assert [r.household_no for r in page3] == ["H-010", "H-011"]
    desc = store.list_households(sort="household_no", descending=True, limit=1)
    assert desc[0].household_no == "H-011"
    assert store.count_households() == 12
    assert page1[0].head_name == "王建国" and page1[0].member_count == 3 and page1[0].address == "3栋2单元100"


def test_reveal_logs_an_audit_line(store):
    hid = save_sample(store)
    head = store.get_household(hid).members[0]
    value = store.reveal("member", head["id"], "id_number")
    assert value == head["id_number"]
    with store.reading() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert (last.action, last.row_id, last.detail, last.actor) == ("reveal", head["id"], "reveal id_number", "w1")


def test_audit_log_refuses_edits_and_detects_tampering(store):
    save_sample(store)
    save_sample(store, 1, household_no="H-2")
    assert store.audit_chain_break() is None
    with pytest.raises(Exception, match="append-only"):
        with store.writing() as s:
            s.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1"))
    # Someone with the key who drops the trigger and edits an old line is still caught by the chain.
    with store.writing() as s:
        s.execute(text("DROP TRIGGER audit_log_no_update"))
        s.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1"))
    assert store.audit_chain_break() == 1


def test_audit_chain_detects_a_removed_line(store):
    for i in range(3):
        save_sample(store, i, household_no=f"H-{i}")
    with store.writing() as s:
        s.execute(text("DROP TRIGGER audit_log_no_delete"))
        s.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    assert store.audit_chain_break() == 3


def test_filters_by_settlement_and_monitoring(store):
    store.bulk_load({"area": [], "settlement": [
        {"id": "s1", "code": "S1", "name": "阳光社区安置点", "area_code": "522601", "mode": None, "address": None},
        {"id": "s2", "code": "S2", "name": "幸福家园安置点", "area_code": "522601", "mode": None, "address": None}]},
        reason="test reference data")
    a = save_sample(store, household_no="A", settlement_id="s1")
    b = save_sample(store, 1, household_no="B", settlement_id="s2", monitoring_category="marginal",
                    monitoring_identified_month="2026-05", risk_types=["illness"])
    assert [r.id for r in store.list_households(HouseholdFilter(settlement_id="s1"))] == [a]
    assert [r.id for r in store.list_households(HouseholdFilter(monitoring_category="marginal"))] == [b]
    assert store.list_households(HouseholdFilter(settlement_id="s2"))[0].settlement == "幸福家园安置点"
    assert [s["name"] for s in store.settlements()] == ["阳光社区安置点", "幸福家园安置点"]


def test_a_save_is_one_transaction(store, monkeypatch):
    """A failure after the household row is written leaves nothing behind: no row, no outbox, no audit."""
    import core.store.store as store_module

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(store_module, "refresh_summaries", boom)
    with pytest.raises(RuntimeError):
        save_sample(store)
    with store.reading() as s:
        assert s.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == 0
    assert len(outbox(store)) == 0
    with store.reading() as s:
        assert s.execute(select(func.count()).select_from(Household)).scalar_one() == 0


def test_one_import_cannot_put_a_person_in_two_households(store):
    """The second household of one import meets the first's members, written in the same transaction
    but not yet flushed: the check sees them, and nothing of the import is written."""
    first, members = sample_household(0)
    second, others = sample_household(1)
    others[0]["id_number"] = members[0]["id_number"]
    with pytest.raises(ValidationError) as caught:
        store.import_households([(first, members), (second, others)], today=TODAY)
    assert "members[0].id_number" in caught.value.problems[0].field
    assert f"已登记在户 {first['household_no']}" in caught.value.problems[0].zh
    assert store.count_households() == 0


def test_a_person_cannot_be_in_two_households(store):
    save_sample(store, 0)
    household, members = sample_household(0)
    household["household_no"] = "SECOND"
    with pytest.raises(ValidationError) as caught:
        store.save_household(household, members, today=TODAY)
    assert caught.value.problems[0].field == "members[0].id_number"
    assert "已登记在户 SELFTEST-0000" in caught.value.problems[0].zh
    assert store.count_households() == 1


def test_a_15_digit_id_is_stored_as_18_digits(store):
    household, members = sample_household(0)
    members[0]["id_number"] = "110105491231002"
    hid = store.save_household(household, members, today=TODAY).id
    head = store.get_household(hid).members[0]
    assert head["id_number"] == "11010519491231002X" and head["birth_date"] == date(1949, 12, 31)


@pytest.mark.parametrize("query", ["13", "52", "3栋", "国", "建", "SE"])
def test_one_and_two_characters_find_the_start_of_names_numbers_and_buildings(store, query):
    hid = save_sample(store)
    assert hid in [r.id for r in store.search_households(query)]


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "-", "^", "a OR b", "'", "张\"三", "王\x00建", "AND"])
def test_odd_search_input_neither_fails_nor_matches_wrongly(store, query):
    save_sample(store)
    rows = store.search_households(query)
    assert all(r.head_name == "王建国" for r in rows)


def simulate_pull(store, entity_model, row_id, server_seq, **values):
    """What the sync client will do: write the server's version and sequence without queueing anything."""
    with store.writing() as s:
        row = s.get(entity_model, row_id)
        row.server_seq = server_seq
        for key, value in values.items():
            setattr(row, key, value)


def test_an_edit_is_based_on_the_server_version_it_was_opened_on(store):
    hid = save_sample(store)
    simulate_pull(store, Household, hid, 15)
    record = store.get_household(hid)
    before = len(outbox(store))
    store.save_household({**record.household, "notes": "已走访"}, record.members, today=TODAY)
    added = outbox(store)[before:]
    assert [(e.fields, e.base_seq) for e in added] == [({"notes": "已走访"}, 15)]


def test_a_form_opened_before_a_pull_cannot_overwrite_it(store):
    hid = save_sample(store)
    stale = store.get_household(hid)
    simulate_pull(store, Household, hid, 15, phone="13700000000")
    before = len(outbox(store))
    with pytest.raises(ValidationError, match="已被同步更新"):
        store.save_household({**stale.household, "notes": "x"}, stale.members, today=TODAY)
    assert len(outbox(store)) == before
    assert store.get_household(hid).household["phone"] == "13700000000"


def test_a_deleted_member_is_not_brought_back_by_a_stale_form(store):
    hid = save_sample(store)
    full = store.get_household(hid)
    store.save_household(full.household, full.members[:2], today=TODAY)
    with pytest.raises(ValidationError, match="已被删除"):
        store.save_household(store.get_household(hid).household, full.members, today=TODAY)
    assert len(store.get_household(hid).members) == 2


def test_removing_a_member_removes_their_jobs(store):
    hid = save_sample(store)
    record = store.get_household(hid)
    spouse = record.members[1]
    store.save_employment({"household_id": hid, "member_id": spouse["id"], "start_month": "2025-01",
                           "channel": "flexible"}, today=TODAY)
    store.save_household(record.household, [record.members[0], record.members[2]], today=TODAY)
    assert store.get_household(hid).employments == []


def test_visit_rows_must_be_members_of_the_household_and_one_visit_a_month(store):
    a, b = save_sample(store, 0), save_sample(store, 1)
    stranger = store.get_household(b).members[0]
    visit = {"household_id": a, "month": "2026-11", "visit_date": "2026-11-02", "method": "home"}
    with pytest.raises(ValidationError, match="不属于这一户"):
        store.save_visit(visit, [{"member_id": stranger["id"], "employment_status": "employed"}], today=TODAY)
    store.save_visit(visit, [], today=TODAY)
    with pytest.raises(ValidationError, match="已有走访记录"):
        store.save_visit({**visit, "visit_date": "2026-11-09"}, [], today=TODAY)


def test_unknown_settlement_is_explained_in_chinese(store):
    with pytest.raises(ValidationError, match="安置点不在本机的参考数据中"):
        save_sample(store, settlement_id="no-such-settlement")
    assert store.count_households() == 0


QUERIES_EVERY_WAY = ["王", "王建", "建国", "13", "138", "5678", "52", "3-2", "501", "3栋2单元", "selftest", "0000",
                     "钱", "小", "赵小龙 9", "%", "_", "0001 王", "买买", "买买提", "王 13", "钱 小", "3栋 王 138",
                     "selftest 0001", "赵无极", "王 赵无极"]


def test_every_way_of_reading_the_index_finds_the_same_households(store, monkeypatch):
    """Looked up, checked while walking a sort index, or tested row by row (search.py's three ways):
    the same households as the row test alone, in the list's order, for every sort key, and counted alike."""
    import core.store.search as search
    from core.models import HouseholdSummary
    from core.store.queries import SORT_KEYS

    for i, names in enumerate((["王建国", "李秀英", "王小明"], ["赵大海", "钱小红", "赵小龙"], ["阿依·买买提", "王芳", "钱国"])):
        household, members = sample_household(i)
        household.update(building=str(3 + i * 3), room=f"{501 + i}")
        for m, name in zip(members, names):
            m["name"] = name
        store.save_household(household, members, today=TODAY)

    def by_row_test(query: str) -> list[str]:
        with store.reading() as s:
            tests = [search.row_test(w) for w in search.search_words(query)]
            return sorted(s.execute(select(HouseholdSummary.household_no).where(*tests)).scalars())

    expected = {q: by_row_test(q) for q in QUERIES_EVERY_WAY}
    assert expected["王"] == ["SELFTEST-0000", "SELFTEST-0002"] and expected["买买"] == ["SELFTEST-0002"]
    assert expected["钱"] == ["SELFTEST-0001", "SELFTEST-0002"] and expected["王 13"] and not expected["王 赵无极"]
    orders = {(key, desc): [r.household_no for r in store.list_households(None, key, desc)]
              for key in SORT_KEYS for desc in (False, True)}
    for broad, dense in ((10**9, 10**9), (1, 10**9), (1, 1)):  # looked up, walked, row by row
        monkeypatch.setattr(search, "BROAD", broad)
        monkeypatch.setattr(search, "DENSE", dense)
        for q in QUERIES_EVERY_WAY:
            for (key, desc), whole in orders.items():
                listed = [r.household_no for r in store.list_households(HouseholdFilter(text=q), key, desc)]
                assert listed == [n for n in whole if n in expected[q]], (q, key, desc, broad, dense)
            assert store.count_households(HouseholdFilter(text=q)) == len(expected[q])
            with_flag = HouseholdFilter(text=q, not_visited_this_month=True, today=TODAY)  # no visits: every household
            assert store.count_households(with_flag) == len(store.list_households(with_flag)) == len(expected[q])


def test_a_broad_word_walks_the_sort_index_for_every_sort_key(store, monkeypatch):
    """The page is read in the order of a sort index and stops when full: no sorting of the matches."""
    import core.store.search as search
    from core.store.queries import SORT_KEYS, HouseholdFilter as F, _matching

    save_sample(store)
    monkeypatch.setattr(search, "BROAD", 0)  # every word and every box counts as broad, even with no match
    for key, column in SORT_KEYS.items():
        for f in (F(text="王"), F(text="王 13"), F(zero_employment=True, today=TODAY),
                  F(overdue_grievance=True, today=TODAY), F(not_visited_this_month=True, today=TODAY),
                  F(settlement_id="s1"), F(grid_id="g1"), F(monitoring_category="marginal"), F(monitored_only=True),
                  F(settlement_id="s1", zero_employment=True, today=TODAY), F(grid_id="g1", text="王"),
                  F(settlement_id="s1", monitored_only=True, not_visited_this_month=False, today=TODAY)):
            with store.reading() as s:
                from core.models import HouseholdSummary

                stmt = _matching(s, f, True, HouseholdSummary.rid).order_by(column, HouseholdSummary.rid).limit(200)
                compiled = stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
                plan = [row[3] for row in s.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
            assert not any("TEMP B-TREE" in step for step in plan), (key, f, plan)
            assert plan[0].startswith("SCAN household_summary USING COVERING INDEX ix_household_summary_"), (key, f, plan)


def test_a_count_reads_each_filter_from_its_own_index(store):
    """A count of several filters reads no summary row to test one: the first filter drives from its narrow
    index and every other one is gathered from its own."""
    from core.store.queries import HouseholdFilter as F, _matching

    save_sample(store)
    for f in (F(settlement_id="s1", not_visited_this_month=True, today=TODAY), F(grid_id="g1", zero_employment=True),
              F(monitored_only=True, settlement_id="s1", overdue_grievance=True, today=TODAY),
              F(monitoring_category="marginal", not_visited_this_month=False, today=TODAY)):
        with store.reading() as s:
            compiled = _matching(s, f, False, func.count()).compile(s.get_bind(), compile_kwargs={"literal_binds": True})
            plan = [row[3] for row in s.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
        assert plan[0].startswith("SEARCH household_summary USING COVERING INDEX ix_household_summary_"), (f, plan)
        assert not any(step.startswith("SCAN household_summary") for step in plan), (f, plan)


def test_warnings_do_not_stop_a_save_but_come_back_to_the_form(store):
    household, members = sample_household()
    members[2]["name"] = "明"  # one character: probably a slip, but allowed
    result = store.save_household(household, members, today=TODAY)
    assert store.count_households() == 1
    assert [w.field for w in result.warnings] == ["members[2].name"]
    assert "一个字" in result.warnings[0].zh


def test_a_deleted_household_says_so_when_opened(store):
    from core.store import RecordGone

    hid = save_sample(store)
    store.delete("household", hid)
    with pytest.raises(RecordGone, match="已被删除"):
        store.get_household(hid)


def test_records_need_their_member_and_the_head_cannot_be_deleted_alone(store):
    hid = save_sample(store)
    with pytest.raises(ValidationError, match="属于哪位家庭成员"):
        store.save_employment({"household_id": hid, "start_month": "2026-01"}, today=TODAY)
    with pytest.raises(ValidationError, match="属于哪位家庭成员"):
        store.save_visit({"household_id": hid, "month": "2026-11", "visit_date": "2026-11-02"},
                         [{"employment_status": "employed"}], today=TODAY)
    head = store.get_household(hid).members[0]
    with pytest.raises(ValidationError, match="户主不能单独删除"):
        store.delete("member", head["id"])
    assert store.list_households()[0].head_name == "王建国"


@pytest.mark.parametrize("typed", ["１３８１２３", "３栋２", "110105491231002"])
def test_full_width_digits_and_old_id_numbers_are_searched_as_typed(store, typed):
    household, members = sample_household(0)
    members[0]["id_number"] = "110105491231002"
    hid = store.save_household(household, members, today=TODAY).id
    assert [r.id for r in store.search_households(typed)] == [hid]


def test_a_member_bulk_loaded_alone_updates_its_household_in_the_list(store):
    hid = save_sample(store)
    member = {k: val for k, val in store.get_household(hid).members[2].items() if k not in ("server_seq", "updated_at")}
    store.bulk_load({"member": [{**member, "id": "new-member", "name": "张三丰", "id_number": None}]}, reason="test")
    row = store.search_households("张三丰")[0]
    assert row.id == hid and row.member_count == 4


@pytest.mark.parametrize("query", ["7-1203", "7栋1203", "7号楼1203", "7幢1203室", "7-2-1203", "7栋2单元1203",
                                   "7号楼2单元1203室", "7幢2-1203", "7-1203 王建国"])
def test_a_flat_is_found_however_people_write_it(store, query):
    hid = save_sample(store, building="7", unit="2", room="1203")
    decoys = []
    for index, (building, unit, room) in enumerate([("17", "2", "1203"), ("7", "2", "203"), ("8", "1", "1203")], 1):
        decoys.append(save_sample(store, index, building=building, unit=unit, room=room,
                                  household_no=f"D-{index}", phone=f"1390000000{index}"))
    found = [r.id for r in store.search_households(query)]
    assert hid in found and decoys[1] not in found and decoys[2] not in found
    if "单元" not in query and query.count("-") < 2 and "2-" not in query:  # no unit: building 7 only, not 17
        assert found == [hid] and store.count_households(HouseholdFilter(text=query)) == 1


def test_a_household_number_that_looks_like_a_flat_is_still_found(store):
    hid = save_sample(store, household_no="GZ-1203", building="5", unit="1", room="101")
    save_sample(store, 1, building="9", unit="1", room="1203")  # another building: not 'gz-1203'
    assert [r.id for r in store.search_households("gz-1203")] == [hid]
    assert store.count_households(HouseholdFilter(text="gz-1203")) == 1
