"""Every save and every pulled page says what it wrote (core/changes.py): the entities, the records and
the households, so the screens refresh only what that touches."""
from __future__ import annotations

from datetime import date

from core.changes import Changes
from core.selftest import sample_household
from core.store.pull import PulledChange

TODAY = date(2026, 11, 15)


def test_changes_merge_and_say_what_they_touch():
    a = Changes.of(["visit", None], ["v1", ""], ["h1"])
    b = Changes.of(["visit_member"], ["r1"], ["h2"])
    both = a.merge(b)
    assert both == Changes(frozenset({"visit", "visit_member"}), frozenset({"v1", "r1"}), frozenset({"h1", "h2"}))
    assert both.touches("member", "visit") and not both.touches("grievance")
    assert both.touches_households() and both.touches_households(["h2", "h9"]) and not both.touches_households(["h9"])
    assert not Changes() and both


def test_a_household_save_says_its_household_and_members(store):
    household, members = sample_household(0)
    saved = store.save_household(household, members, today=TODAY)
    full = store.get_household(saved.id)
    assert saved.changes.entities == {"household", "member"}
    assert saved.changes.household_ids == {saved.id}
    assert saved.changes.record_ids == {saved.id, *(m["id"] for m in full.members)}
    kept = [m for m in full.members if m["relation"] != "son"]
    again = store.save_household(full.household, kept, today=TODAY)  # the son taken out: his records go too
    son = next(m["id"] for m in full.members if m["relation"] == "son")
    assert son in again.changes.record_ids and again.changes.touches("employment", "visit_member")


def test_a_member_moving_to_a_new_household_leaves_the_old_one_in_the_list(store):
    """A grown son starts his own household: the new household's save lists him by his id. He leaves his
    parents' household (its list row counts one fewer and no longer finds him), and the save says both."""
    old = store.save_household(*sample_household(0), today=TODAY)
    son = next(m for m in store.get_household(old.id).members if m["relation"] == "son")
    own, _ = sample_household(1)
    moved = store.save_household({**own, "household_no": "SELFTEST-NEW"},
                                 [{**son, "relation": "head", "household_id": None}], today=TODAY)
    assert moved.changes.household_ids == {moved.id, old.id}
    rows = {r.id: r for r in store.list_households()}
    assert rows[old.id].member_count == 2 and rows[moved.id].member_count == 1
    assert [r.id for r in store.search_households(son["name"])] == [moved.id]
    assert [m["id"] for m in store.get_household(moved.id).members] == [son["id"]]


def test_a_visit_save_says_the_visit_its_rows_and_the_household(store):
    saved = store.save_household(*sample_household(0), today=TODAY)
    members = store.get_household(saved.id).members
    visit = store.save_visit({"household_id": saved.id, "month": "2026-11", "visit_date": "2026-11-03",
                              "method": "home"},
                             [{"member_id": m["id"], "employment_status": "unemployed"} for m in members[:2]],
                             today=TODAY)
    assert visit.changes.entities == {"visit", "visit_member"}
    assert visit.changes.household_ids == {saved.id}
    assert visit.id in visit.changes.record_ids and len(visit.changes.record_ids) == 3
    job = store.save_employment({"household_id": saved.id, "member_id": members[0]["id"], "start_month": "2026-01",
                                 "channel": "flexible"}, today=TODAY)
    assert job.changes == Changes.of(["employment"], [job.id], [saved.id])


def test_a_pulled_page_says_the_households_it_touched(store):
    result = store.apply_pulled([PulledChange(1, "household", "H-PULLED", False, {"household_no": "S-1"})],
                                next_cursor=1)
    assert result.changes == Changes.of(["household"], ["H-PULLED"], ["H-PULLED"])
    assert not store.apply_pulled([], next_cursor=2).changes


def test_a_delete_says_everything_it_took_along(store):
    from core.selftest import sample_household

    household, members = sample_household(0)
    hid = store.save_household(household, members).id
    full = store.get_household(hid)
    job = store.save_employment({"household_id": hid, "member_id": full.members[1]["id"], "start_month": "2025-01"}).id
    changes = store.delete("member", full.members[1]["id"])
    assert changes.record_ids == {full.members[1]["id"], job}
    assert changes.entities == {"member", "employment"} and changes.household_ids == {hid}
