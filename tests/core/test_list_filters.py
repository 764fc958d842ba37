"""The list's check boxes answer from the summary (zero-employment spans, last visit month) and must
find exactly the households of their conditions in core.indicators, for any month; the household's
own filters (settlement, grid, monitoring category, monitored) answer from the summary's copies of its
fields and must find exactly the households a plain query on the household table finds."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import not_, select

from core.indicators import (
    add_months, month_of, overdue_grievance_condition, visited_condition, zero_employment_households,
)
from core.models import Household, new_id
from core.selftest import sample_household
from core.store import HouseholdFilter, Store
from tests.conftest import PASSWORD

AS_OF = date(2026, 11, 23)
FLAGS = ("zero_employment", "overdue_grievance", "not_visited_this_month")
OWN = ("settlement_id", "grid_id", "monitoring_category", "monitored_only")


def reference(store: Store, flag: str, day: date) -> set[str]:
    """The live households core.indicators puts under `flag` on `day`, one query per household."""
    month = month_of(day)
    with store.reading() as s:
        if flag == "zero_employment":
            return set(zero_employment_households(s, month))
        condition = overdue_grievance_condition(day) if flag == "overdue_grievance" else not_(visited_condition(month))
        return set(s.execute(select(Household.id).where(Household.deleted.is_(False), condition)).scalars())


def live(store: Store) -> set[str]:
    with store.reading() as s:
        return set(s.execute(select(Household.id).where(Household.deleted.is_(False))).scalars())


def listed(store: Store, day: date, **flags) -> set[str]:
    """The households the list shows under `flags`, read both ways (looked up, and walked in order)."""
    import core.store.search as search

    f = HouseholdFilter(today=day, **flags)
    found = []
    for broad in (10**9, 1, 40):  # every condition looked up; every one walked; some of each
        saved, search.BROAD = search.BROAD, broad
        try:
            rows = store.list_households(f, limit=100_000)
        finally:
            search.BROAD = saved
        found.append([r.id for r in rows])
    assert found[0] == found[1] == found[2]
    assert len(set(found[0])) == len(found[0]) == store.count_households(f)
    return set(found[0])


def assert_flags_match(store: Store, days: list[date], flags=FLAGS) -> None:
    everyone = live(store)
    for day in days:
        for flag in flags:
            expected = reference(store, flag, day)
            assert listed(store, day, **{flag: True}) == expected, (flag, day)
            assert listed(store, day, **{flag: False}) == everyone - expected, (flag, day)


def month_days(first: str, last: str) -> list[date]:
    days, month = [], first
    while month <= last:
        days.append(date(int(month[:4]), int(month[5:7]), 15))
        month = add_months(month, 1)
    return days


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from core.demo import write_demo_profile

    store = Store.create(tmp_path_factory.mktemp("demo") / "profile", PASSWORD, username="w1")
    write_demo_profile(store, 600, 5, AS_OF, chunk=250)
    yield store
    store.close()


def test_demo_data_every_month_of_the_jobs_and_around_them(demo):
    from sqlalchemy import func

    from core.models import Employment

    with demo.reading() as s:
        first, last = s.execute(select(func.min(Employment.start_month),
                                       func.max(func.coalesce(Employment.end_month, Employment.start_month)))).one()
    assert_flags_match(demo, month_days(add_months(first, -2), add_months(last, 3)), flags=("zero_employment",))


def test_demo_data_visits_and_grievances_on_many_days(demo):
    days = [date(2026, 11, d) for d in (1, 15, 23, 30)] + [date(2026, m, 10) for m in range(1, 11)]
    days += [date(2025, 12, 31), date(2024, 6, 1), date(2027, 1, 1), date(2030, 1, 1)]
    assert_flags_match(demo, days, flags=("overdue_grievance", "not_visited_this_month"))


def test_demo_data_has_each_kind_of_household(demo):
    """The comparisons above mean something only if the demo has households on both sides of each flag."""
    for flag in FLAGS:
        found = reference(demo, flag, AS_OF)
        assert 0 < len(found) < len(live(demo)), flag
    zero_now, zero_then = reference(demo, "zero_employment", AS_OF), reference(demo, "zero_employment", date(2022, 3, 1))
    assert zero_now != zero_then


def test_filters_combine_with_each_other_and_with_search(demo):
    everyone = live(demo)
    zero, unvisited = reference(demo, "zero_employment", AS_OF), reference(demo, "not_visited_this_month", AS_OF)
    assert listed(demo, AS_OF, zero_employment=True, not_visited_this_month=True) == zero & unvisited
    assert listed(demo, AS_OF, zero_employment=True, not_visited_this_month=False) == zero & (everyone - unvisited)
    name = demo.list_households(HouseholdFilter(zero_employment=True, today=AS_OF), limit=1)[0].head_name
    f = HouseholdFilter(text=name[:1], zero_employment=True, today=AS_OF)
    surname = {r.id for r in demo.list_households(HouseholdFilter(text=name[:1]), limit=100_000)}
    assert {r.id for r in demo.list_households(f, limit=100_000)} == surname & zero
    assert demo.count_households(f) == len(surname & zero)


def test_pages_of_a_filter_follow_the_sort_order(demo):
    from core.store.queries import SORT_KEYS

    for flag in FLAGS:
        f = HouseholdFilter(today=AS_OF, **{flag: True})
        for key in SORT_KEYS:
            for desc in (False, True):
                whole = [r.id for r in demo.list_households(None, key, desc, limit=100_000)]
                chosen = set(r.id for r in demo.list_households(f, key, desc, limit=100_000))
                in_order = [i for i in whole if i in chosen]
                pages = [r.id for offset in range(0, len(in_order), 7)
                         for r in demo.list_households(f, key, desc, offset=offset, limit=7)]
                assert pages == in_order, (flag, key, desc)


# -- awkward cases, loaded straight into the store (validation would refuse some of them) --------
def _household(rows: dict, no: str, deleted: bool = False) -> str:
    hid = new_id()
    rows["household"].append({"id": hid, "household_no": no, "deleted": deleted})
    return hid


def _member(rows: dict, hid: str, skill: str | None, status: str = "normal", deleted: bool = False,
            need: str | None = "local", birth: str | None = "1985-07-01") -> str:
    mid = new_id()
    rows["member"].append({"id": mid, "household_id": hid, "name": f"成员{len(rows['member'])}", "labour_skill": skill,
                           "status": status, "deleted": deleted, "job_need": need,
                           "birth_date": date.fromisoformat(birth) if birth else None})
    return mid


def _job(rows: dict, hid: str, mid: str, start: str, end: str | None, deleted: bool = False) -> None:
    rows["employment"].append({"id": new_id(), "household_id": hid, "member_id": mid, "start_month": start,
                               "end_month": end, "deleted": deleted})


def awkward_rows() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {"household": [], "member": [], "employment": []}
    h = _household(rows, "ADJACENT-GAPS")  # work, a month's gap, adjacent jobs, a gap, then for ever
    m = _member(rows, h, "ordinary")
    for start, end in (("2020-01", "2020-03"), ("2020-05", "2020-06"), ("2020-07", "2020-08"), ("2020-11", None)):
        _job(rows, h, m, start, end)
    h = _household(rows, "OVERLAPS")  # three people whose jobs overlap and nest
    a, b, c = (_member(rows, h, skill) for skill in ("skilled", "weak", "ordinary"))
    _job(rows, h, a, "2021-01", "2021-12")
    _job(rows, h, b, "2021-06", "2022-03")
    _job(rows, h, c, "2021-02", "2021-04")
    _job(rows, h, c, "2022-06", "2022-06")
    h = _household(rows, "JOBS-THAT-DO-NOT-COUNT")  # a deleted job, a member who left, no one of working age
    m = _member(rows, h, "ordinary")
    _job(rows, h, m, "2019-01", None, deleted=True)
    _job(rows, h, _member(rows, h, "skilled", status="removed"), "2019-01", None)
    _job(rows, h, _member(rows, h, "lost", birth="2010-04-01"), "2019-01", None)  # a child's job: not working age
    _job(rows, h, _member(rows, h, None, birth="1940-04-01"), "2019-01", None)  # past working age
    h = _household(rows, "NO-LABOUR")  # never zero-employment, whatever its jobs
    _member(rows, h, "none")
    _member(rows, h, "ordinary", status="removed")
    _member(rows, h, "skilled", deleted=True)
    h = _household(rows, "BACKWARDS-JOB")  # a job ending before it starts covers no month
    m = _member(rows, h, "weak")
    _job(rows, h, m, "2021-05", "2021-02")
    _job(rows, h, m, "2019-05", "2019-05")
    h = _household(rows, "SAME-START")  # two jobs starting together, one ending, one not; a third later
    a, b = _member(rows, h, "ordinary"), _member(rows, h, "ordinary")
    _job(rows, h, a, "2022-01", "2022-02")
    _job(rows, h, b, "2022-01", None)
    _job(rows, h, a, "2023-01", "2023-03")
    h = _household(rows, "ENDED")  # worked once, long ago
    _job(rows, h, _member(rows, h, "ordinary"), "2018-02", "2019-07")
    h = _household(rows, "AGES-AND-NEEDS")  # grows into working age, one wants no job, one has no birth date
    _member(rows, h, "weak", birth="2005-03-15")
    _member(rows, h, "ordinary", need="none")
    _job(rows, h, _member(rows, h, "skilled", birth=None), "2022-10", "2023-01")
    h = _household(rows, "GROWS-OLD")  # leaves working age while out of work
    _job(rows, h, _member(rows, h, "ordinary", birth="1962-09-30"), "2019-01", "2020-06")
    h = _household(rows, "TEEN-AT-WORK")  # works before working age: counts from the month they turn 16
    _member(rows, h, "ordinary")
    _job(rows, h, _member(rows, h, "lost", need=None, birth="2006-05-20"), "2021-01", None)
    h = _household(rows, "ELDER-AT-WORK")  # the only worker, unable by the codes, turns 60 and stops counting
    _member(rows, h, "weak")
    _job(rows, h, _member(rows, h, "none", need=None, birth="1962-09-10"), "2018-01", None)
    h = _household(rows, "DELETED-HOUSEHOLD", deleted=True)  # never listed
    _member(rows, h, "ordinary")
    return rows


def test_awkward_jobs_every_month(store):
    store.bulk_load(awkward_rows(), "awkward jobs")
    assert_flags_match(store, month_days("2017-11", "2024-03"), flags=("zero_employment",))
    by_no = {r.household_no: r.id for r in store.list_households(limit=100)}
    assert "DELETED-HOUSEHOLD" not in by_no

    def zero(month: str) -> set[str]:
        return {n for n, i in by_no.items() if i in listed(store, date(int(month[:4]), int(month[5:7]), 1),
                                                             zero_employment=True)}

    assert zero("2020-04") >= {"ADJACENT-GAPS"} and "ADJACENT-GAPS" not in zero("2020-07")
    assert "OVERLAPS" not in zero("2022-01") and "OVERLAPS" in zero("2022-05") and "OVERLAPS" not in zero("2022-06")
    assert "JOBS-THAT-DO-NOT-COUNT" in zero("2021-01") and "NO-LABOUR" not in zero("2021-01")
    assert "BACKWARDS-JOB" in zero("2021-03") and "BACKWARDS-JOB" not in zero("2019-05")
    # The birthdays of a member who may not be able and willing count when that member has a job.
    assert "TEEN-AT-WORK" in zero("2022-04") and "TEEN-AT-WORK" not in zero("2022-05")
    assert "ELDER-AT-WORK" not in zero("2022-08") and "ELDER-AT-WORK" in zero("2022-09")


def test_saving_and_deleting_keeps_the_filters_exact(store):
    """Every save that changes a job, a member's labour or a visit refreshes what the filters read."""
    days = [date(2026, 9, 15), date(2026, 10, 15), date(2026, 11, 15), date(2027, 1, 15)]
    today = date(2026, 11, 15)
    household, members = sample_household(0)
    for m, birth in zip(members, ("1980-01-01", "1982-02-02", "2012-03-03")):
        m.update(birth_date=birth, job_need="local" if m["labour_skill"] == "ordinary" else None)
    hid = store.save_household(household, members, today=today).id
    head = store.get_household(hid).members[0]
    assert_flags_match(store, days)
    job = store.save_employment({"household_id": hid, "member_id": head["id"], "start_month": "2026-10",
                                 "channel": "local_enterprise", "scope": "in_county", "monthly_income": 3000},
                                today=today).id
    assert_flags_match(store, days)
    store.save_employment({"id": job, "household_id": hid, "member_id": head["id"], "start_month": "2026-10",
                           "end_month": "2026-10", "channel": "local_enterprise", "scope": "in_county",
                           "monthly_income": 3000}, today=today)
    assert_flags_match(store, days)
    record = store.get_household(hid)
    changed = [{**m, "labour_skill": "lost"} if m["id"] == head["id"] else m for m in record.members]
    store.save_household(record.household, changed, today=today)  # the only worker can no longer work
    assert_flags_match(store, days)
    store.save_household(record.household, record.members, today=today)
    store.delete("employment", job)
    assert_flags_match(store, days)
    visit = store.save_visit({"household_id": hid, "month": "2026-11", "visit_date": "2026-11-03", "method": "home"},
                             [], today=today).id
    store.save_visit({"household_id": hid, "month": "2026-09", "visit_date": "2026-09-03", "method": "home"}, [],
                     today=today)
    assert_flags_match(store, days)  # a visit after September: September is checked against the visits
    store.delete("visit", visit)
    assert_flags_match(store, days)
    said = {"household_id": hid, "month": "2026-10", "visit_date": "2026-10-08", "method": "home"}
    rows = [{"member_id": m["id"], "employment_status": "employed" if m["id"] == head["id"] else "unemployed"}
            for m in record.members]
    said["id"] = store.save_visit(said, rows, today=today).id  # the visit says the head works in October
    assert_flags_match(store, days)
    assert hid not in listed(store, date(2026, 10, 15), zero_employment=True)
    store.save_visit(said, [{**r, "employment_status": "unemployed"} for r in rows], today=today)
    assert_flags_match(store, days)
    assert hid in listed(store, date(2026, 10, 15), zero_employment=True)
    store.delete("household", hid)
    assert_flags_match(store, days)


# -- the household's own filters: settlement, grid, monitoring category, monitored -----------------
def own_reference(store: Store, **own) -> set[str]:
    """The live households a plain query on the household table puts under the household's own filters."""
    conds = [Household.deleted.is_(False)]
    if own.get("settlement_id"):
        conds.append(Household.settlement_id == own["settlement_id"])
    if own.get("grid_id"):
        conds.append(Household.grid_id == own["grid_id"])
    if own.get("monitoring_category"):
        conds.append(Household.monitoring_category == own["monitoring_category"])
    if own.get("monitored_only"):
        conds += [Household.monitoring_category.is_not(None), Household.monitoring_cleared_month.is_(None)]
    with store.reading() as s:
        return set(s.execute(select(Household.id).where(*conds)).scalars())


def searched(store: Store, words: str) -> set[str]:
    return {r.id for r in store.list_households(HouseholdFilter(text=words), limit=100_000)}


def own_cases(store: Store) -> list[dict]:
    """Every settlement, category and the monitored box; the biggest and smallest grids, a grid of another
    settlement than the one asked for, and values nobody has."""
    with store.reading() as s:
        pairs = s.execute(select(Household.settlement_id, Household.grid_id).where(Household.deleted.is_(False))).all()
        categories = sorted({c for c in s.execute(select(Household.monitoring_category)).scalars() if c})
    settlements = sorted({p[0] for p in pairs if p[0]})
    from collections import Counter

    grids = Counter(p[1] for p in pairs if p[1]).most_common()
    grid_of = dict((g, st) for st, g in pairs)
    big, small = grids[0][0], grids[-1][0]
    other = next(st for st in settlements if st != grid_of[big])
    cases = [{"settlement_id": st} for st in settlements] + [{"monitoring_category": c} for c in categories]
    cases += [{"grid_id": big}, {"grid_id": small}, {"monitored_only": True}, {"settlement_id": "nowhere"},
              {"grid_id": "nowhere"}, {"monitoring_category": "nothing"},
              {"settlement_id": grid_of[big], "grid_id": big}, {"settlement_id": other, "grid_id": big},
              {"settlement_id": settlements[0], "monitored_only": True},
              {"settlement_id": settlements[1], "monitoring_category": categories[0]},
              {"grid_id": big, "monitored_only": True}, {"monitoring_category": categories[-1], "monitored_only": True},
              {"settlement_id": grid_of[small], "grid_id": small, "monitoring_category": categories[0],
               "monitored_only": True}]
    return cases


def test_demo_data_has_households_on_both_sides_of_each_own_filter(demo):
    everyone = live(demo)
    for case in own_cases(demo):
        found = own_reference(demo, **case)
        if len(case) == 1 and not {"nowhere", "nothing"} & set(case.values()):
            assert 0 < len(found) < len(everyone), case
    monitored = own_reference(demo, monitored_only=True)
    assert monitored < {h for c in own_cases(demo) if "monitoring_category" in c and len(c) == 1
                        for h in own_reference(demo, **c)}  # some categorised households were cleared


def test_own_filters_alone_and_with_each_box(demo):
    everyone = live(demo)
    boxes = {flag: reference(demo, flag, AS_OF) for flag in FLAGS}
    for case in own_cases(demo):
        expected = own_reference(demo, **case)
        assert listed(demo, AS_OF, **case) == expected, case
        for flag, flagged in boxes.items():
            assert listed(demo, AS_OF, **case, **{flag: True}) == expected & flagged, (case, flag)
            assert listed(demo, AS_OF, **case, **{flag: False}) == expected & (everyone - flagged), (case, flag)
        both = listed(demo, AS_OF, **case, zero_employment=True, not_visited_this_month=False)
        assert both == expected & boxes["zero_employment"] & (everyone - boxes["not_visited_this_month"]), case


def test_own_filters_with_search_words(demo):
    name = demo.list_households(HouseholdFilter(monitored_only=True, today=AS_OF), limit=1)[0].head_name
    words = [name[:1], name, "1", "13", "5", "栋", f"{name[:1]} 1"]
    for case in own_cases(demo):
        expected = own_reference(demo, **case)
        for word in words:
            hits = searched(demo, word)
            assert listed(demo, AS_OF, text=word, **case) == expected & hits, (case, word)
        zero = reference(demo, "zero_employment", AS_OF)
        assert listed(demo, AS_OF, text=words[0], zero_employment=True, **case) == expected & searched(demo, words[0]) & zero


def test_pages_of_an_own_filter_follow_the_sort_order(demo):
    from core.store.queries import SORT_KEYS

    cases = own_cases(demo)
    monitored = {"monitored_only": True}
    for case in (cases[0], monitored, {**cases[0], "zero_employment": True}, {**cases[1], "text": "1"}):
        f = HouseholdFilter(today=AS_OF, **case)
        for key in SORT_KEYS:
            for desc in (False, True):
                whole = [r.id for r in demo.list_households(None, key, desc, limit=100_000)]
                chosen = set(r.id for r in demo.list_households(f, key, desc, limit=100_000))
                in_order = [i for i in whole if i in chosen]
                pages = [r.id for offset in range(0, len(in_order), 23)
                         for r in demo.list_households(f, key, desc, offset=offset, limit=23)]
                assert pages == in_order, (case, key, desc)


def assert_own_filters_match(store: Store) -> None:
    """Every settlement, grid and category the households name, alone, with the monitored box and with a box."""
    with store.reading() as s:
        rows = s.execute(select(Household.settlement_id, Household.grid_id, Household.monitoring_category)).all()
    cases = [{"monitored_only": True}] + [{field: value} for row in rows
                                          for field, value in zip(OWN, row) if value]
    cases += [{**c, "monitored_only": True} for c in cases[1:]]
    unvisited = reference(store, "not_visited_this_month", AS_OF)
    for case in cases:
        expected = own_reference(store, **case)
        assert listed(store, AS_OF, **case) == expected, case
        assert listed(store, AS_OF, not_visited_this_month=True, **case) == expected & unvisited, case


def test_saves_that_move_a_household_keep_its_own_filters_exact(store):
    place = {"area_code": "522601", "mode": None, "address": None}
    store.bulk_load({"settlement": [{"id": "s1", "code": "S1", "name": "阳光社区安置点", **place},
                                    {"id": "s2", "code": "S2", "name": "幸福家园安置点", **place}],
                     "grid": [{"id": "g1", "code": "G1", "name": "一网格", "settlement_id": "s1", "village_code": "522601001"},
                              {"id": "g2", "code": "G2", "name": "二网格", "settlement_id": "s2", "village_code": "522601002"}]},
                    reason="test reference data")
    today = date(2026, 11, 15)
    household, members = sample_household(0)
    hid = store.save_household({**household, "settlement_id": "s1", "grid_id": "g1"}, members, today=today).id
    other, other_members = sample_household(1)
    store.save_household({**other, "settlement_id": "s1", "grid_id": "g1", "monitoring_category": "unstable",
                          "monitoring_identified_month": "2026-03", "risk_types": ["illness"]}, other_members, today=today)
    assert_own_filters_match(store)
    record = store.get_household(hid)
    for changes in ({"settlement_id": "s2", "grid_id": "g2"},
                    {"monitoring_category": "marginal", "monitoring_identified_month": "2026-05", "risk_types": ["illness"]},
                    {"monitoring_cleared_month": "2026-10"},
                    {"monitoring_category": "sudden_hardship", "monitoring_cleared_month": None},
                    {"grid_id": None, "monitoring_category": None, "monitoring_identified_month": None}):
        household = {**store.get_household(hid).household, **changes}
        store.save_household(household, record.members, today=today)
        assert_own_filters_match(store)
        assert {k: store.get_household(hid).household[k] for k in changes} == changes
    moved = {**other, "id": new_id(), "household_no": "BULK-1", "settlement_id": "s2", "grid_id": "g2",
             "monitoring_category": "marginal", "monitoring_identified_month": "2026-01"}
    store.bulk_load({"household": [moved]}, reason="test")
    assert_own_filters_match(store)
    assert listed(store, AS_OF, grid_id="g2", monitoring_category="marginal", monitored_only=True) == {moved["id"]}
    store.delete("household", hid)
    assert_own_filters_match(store)
    assert hid not in listed(store, AS_OF, settlement_id="s2")


def test_spans_of_an_older_definition_are_rebuilt_on_opening(tmp_path):
    from sqlalchemy import text

    store = Store.create(tmp_path / "profile", PASSWORD, username="w1")
    household, members = sample_household(0)
    for m, birth in zip(members, ("1980-01-01", "1982-02-02", "2012-03-03")):
        m.update(birth_date=birth, job_need="local" if m["labour_skill"] == "ordinary" else None)
    hid = store.save_household(household, members, today=AS_OF).id
    with store.writing() as s:  # as an older app version left them: no spans, an older rule
        s.execute(text("DELETE FROM zero_employment_span"))
        s.execute(text("UPDATE profile_meta SET value = '1' WHERE key = 'zero_employment_rule'"))
    assert hid not in listed(store, AS_OF, zero_employment=True)
    store.close()
    with Store.open(tmp_path / "profile", PASSWORD) as reopened:
        assert listed(reopened, AS_OF, zero_employment=True) == reference(reopened, "zero_employment", AS_OF) == {hid}


def summaries(store: Store) -> list[tuple]:
    """Every household's list summary as stored, but its row number (a rebuild gives new ones)."""
    from core.models import HouseholdSummary

    columns = [c for c in HouseholdSummary.__table__.columns if c.name != "rid"]
    with store.reading() as s:
        return [tuple(row) for row in s.execute(select(*columns).order_by(HouseholdSummary.household_id))]


def test_edits_leave_every_summary_as_a_rebuild_makes_it(store):
    """A save rewrites only the summary columns whose values changed: after a household renumbered,
    one moved to another flat, a new head's name with a member gone, and a note alone, every summary
    is what rebuilding them all from the records gives, and the list sorts and finds by the new values."""
    from core.store.summary import refresh_summaries

    ids = [store.save_household(*sample_household(i), today=AS_OF).id for i in range(3)]
    r = store.get_household(ids[0])
    store.save_household({**r.household, "household_no": "SELFTEST-0099"}, r.members, today=AS_OF)
    r = store.get_household(ids[1])
    store.save_household({**r.household, "building": "12", "room": "1101"}, r.members, today=AS_OF)
    r = store.get_household(ids[2])
    store.save_household(r.household, [{**m, "name": "赵新民"} if m["relation"] == "head" else m
                                       for m in r.members if m["relation"] != "son"], today=AS_OF)
    r = store.get_household(ids[2])
    store.save_household({**r.household, "notes": "回访时不在家"}, r.members, today=AS_OF)
    kept = summaries(store)
    with store.writing() as s:
        refresh_summaries(s.connection())
    assert summaries(store) == kept
    assert [row.household_no for row in store.list_households(sort="household_no")] == \
        ["SELFTEST-0001", "SELFTEST-0002", "SELFTEST-0099"]
    by_head = store.list_households(sort="head_name")
    assert (by_head[-1].id, by_head[-1].head_name, by_head[-1].member_count) == (ids[2], "赵新民", 2)
    assert [row.id for row in store.list_households(HouseholdFilter(text="SELFTEST-0099"))] == [ids[0]]
    assert store.list_households(HouseholdFilter(text="SELFTEST-0000")) == []
