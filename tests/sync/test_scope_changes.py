"""Scope changes without enrolling again (SQLite and PostgreSQL): a household moved to another grid
leaves the old grid's laptops at their next sync and reaches the new grid's; a worker given other
grids downloads them and lets go of those taken away, keeping what waits to go up; 重新下载 keeps the
outbox; a revoked laptop found again logs in again by an admin's decision and its changes go up."""
from __future__ import annotations

import pytest

from core.models import utc_now
from sync.client import LoginRequired, connect_profile
from sync.server.accounts import reinstate_device, revoke_device, set_scope
from sync.server.db import writing
from tests.sync.conftest import PASSWORD
from tests.sync.sync_helpers import (
    GRID_W1, GRID_W3, add_member, edit_household, household, members, new_household, run_sync, server_row,
)

W1_CODE, W3_CODE = "522601100201-01", "522601100201-02"


def held(store, hid: str) -> bool:  # noqa: ANN001
    try:
        household(store, hid)
        return True
    except LookupError:
        return False


def test_a_household_moved_to_another_grid_leaves_the_old_grids_laptops(enrol):
    w1, w3, clerk = enrol("w1"), enrol("w3"), enrol("c1")
    hid = new_household(w1, no="H-MOVING")
    stays = new_household(w1, no="H-STAYING")
    run_sync(w1)
    run_sync(clerk)
    edit_household(clerk, hid, grid_id=GRID_W3)  # the clerk moves it to w3's grid
    run_sync(clerk)

    report = run_sync(w1)

    assert not held(w1, hid) and held(w1, stays)
    assert hid in report.changes.household_ids  # the list and the figures refresh
    run_sync(w3)
    assert household(w3, hid)["grid_id"] == GRID_W3 and len(members(w3, hid)) == 1
    run_sync(w1)  # and nothing comes back
    assert not held(w1, hid)


def _member_moved_to_w3s_grid(enrol) -> tuple:  # noqa: ANN001
    """The clerk moves a member from a household of w1's grid into one of w3's, and every laptop syncs.
    Returns w1, w3, the household left, the one joined and the member."""
    w1, w3, clerk = enrol("w1"), enrol("w3"), enrol("c1")
    left = new_household(w1, no="H-LEFT")
    child = add_member(w1, left, "孙小雨")
    run_sync(w1)
    joined = new_household(w3, grid_id=GRID_W3, no="H-JOINED")
    run_sync(w3)
    run_sync(clerk)
    moving = next(m for m in members(clerk, left) if m["id"] == child)
    record = clerk.get_household(joined, log_access=False)
    clerk.save_household({k: v for k, v in record.household.items() if k != "updated_at"},
                         record.members + [{**moving, "relation": "other"}], removed=[])
    run_sync(clerk)
    run_sync(w3)
    run_sync(w1)
    return w1, w3, left, joined, child


def test_a_member_moved_into_a_household_of_another_grid_reaches_that_grids_laptops(enrol):
    _, w3, _, joined, child = _member_moved_to_w3s_grid(enrol)
    assert child in {m["id"] for m in members(w3, joined)}


@pytest.mark.xfail(strict=True, reason="known: a member who moves out of a grid is not let go by that grid's "
                                       "laptops (households are, by sync.server.changes.departures_in)")
def test_a_member_moved_into_a_household_of_another_grid_leaves_the_old_grids_laptops(enrol):
    w1, _, left, _, child = _member_moved_to_w3s_grid(enrol)
    assert child not in {m["id"] for m in members(w1, left)}


def test_a_worker_given_other_grids_follows_them_without_enrolling_again(county, enrol):
    w1, w3 = enrol("w1"), enrol("w3")
    theirs = new_household(w3, grid_id=GRID_W3, no="H-OF-W3")
    run_sync(w3)
    mine = new_household(w1, no="H-OF-W1")
    run_sync(w1)
    assert not held(w1, theirs)

    with writing(county.engine) as conn:
        set_scope(conn, "w1", f"{W1_CODE},{W3_CODE}")
    report = run_sync(w1)
    assert report.scope_changed and held(w1, theirs) and held(w1, mine)
    assert w1.meta("scope") == f"{W1_CODE},{W3_CODE}"

    unsent = new_household(w1, grid_id=GRID_W1, no="H-UNSENT")  # typed, not yet sent
    with writing(county.engine) as conn:
        set_scope(conn, "w1", W3_CODE)  # w1 now works only in w3's grid
    report = run_sync(w1)  # the push of H-UNSENT is refused (out of scope), then the pull follows the scope
    assert report.scope_changed and not held(w1, mine) and held(w1, theirs)
    assert held(w1, unsent) and w1.rejections_of_household(unsent)  # refused: kept, with its reason


def test_download_again_keeps_what_waits_to_go_up(enrol):
    w1 = enrol("w1")
    hid = new_household(w1, no="H-AGAIN")
    run_sync(w1)
    edit_household(w1, hid, phone="13500135000")
    w1.restart_pull()
    assert w1.pull_cursor() == 0 and w1.pending_change_count() > 0

    report = run_sync(w1)

    assert report.pulled > 0 and w1.pending_change_count() == 0
    assert household(w1, hid)["phone"] == "13500135000"


def test_a_revoked_laptop_found_again_logs_in_again_and_its_changes_go_up(county, enrol):
    w1 = enrol("w1")
    with writing(county.engine) as conn:
        revoke_device(conn, w1.actor.device_id, utc_now())
    hid = new_household(w1, no="H-KEPT")
    with pytest.raises(LoginRequired) as refused:
        run_sync(w1)
    assert refused.value.code == "device_revoked"
    with pytest.raises(LoginRequired):  # logging in again is refused too until an admin decides
        connect_profile(w1, county.url, "w1", PASSWORD)

    with writing(county.engine) as conn:
        assert reinstate_device(conn, w1.actor.device_id)
    with pytest.raises(LoginRequired) as stale:  # the old token stays dead: the worker logs in
        run_sync(w1)
    assert stale.value.code == "token_invalid"
    connect_profile(w1, county.url, "w1", PASSWORD)
    run_sync(w1)
    assert server_row(county, "household", hid) is not None and w1.pending_change_count() == 0


def test_a_scope_narrowed_then_widened_brings_back_what_this_laptop_made(county, enrol):
    w1 = enrol("w1")
    with writing(county.engine) as conn:
        set_scope(conn, "w1", f"{W1_CODE},{W3_CODE}")
    run_sync(w1)
    made_here = new_household(w1, grid_id=GRID_W3, no="H-MADE-IN-W3")
    run_sync(w1)
    with writing(county.engine) as conn:
        set_scope(conn, "w1", W1_CODE)
    run_sync(w1)
    assert not held(w1, made_here)
    with writing(county.engine) as conn:
        set_scope(conn, "w1", f"{W1_CODE},{W3_CODE}")
    run_sync(w1)
    assert held(w1, made_here) and len(members(w1, made_here)) == 1  # its own records came back whole


def test_logging_in_again_does_not_hide_a_scope_change(county, enrol):
    w1, w3 = enrol("w1"), enrol("w3")
    theirs = new_household(w3, grid_id=GRID_W3, no="H-OF-W3")
    run_sync(w3)
    with writing(county.engine) as conn:
        set_scope(conn, "w1", W3_CODE)
    connect_profile(w1, county.url, "w1", PASSWORD)  # e.g. after 需要重新登录
    report = run_sync(w1)
    assert report.scope_changed and held(w1, theirs)


def test_a_departure_keeps_a_household_whose_edits_were_refused(county, enrol):
    w1, clerk = enrol("w1"), enrol("c1")
    hid = new_household(w1, no="H-CONTESTED")
    run_sync(w1)
    run_sync(clerk)
    edit_household(clerk, hid, grid_id=GRID_W3)
    run_sync(clerk)
    edit_household(w1, hid, phone="13300133000")  # offline, while the clerk moved it away

    run_sync(w1)  # the edit is refused (out of scope) and the household leaves the grid

    assert held(w1, hid), "kept: the worker must see the refusal on its record"
    refused = w1.rejections_of_household(hid)
    assert refused and "范围" in refused[0]["reason"]


def test_a_laptop_of_protocol_1_gets_pages_it_can_read(county, enrol):
    import requests

    w1 = enrol("w1")
    headers = {"Authorization": f"Bearer {w1.meta('server_token')}", "Anju-Schema": w1.schema_revision()}
    old = requests.get(county.url + "/api/v1/sync/changes", params={"since": 0, "limit": 5}, timeout=30,
                       headers={**headers, "Anju-Protocol": "1"}).json()
    new = requests.get(county.url + "/api/v1/sync/changes", params={"since": 0, "limit": 5}, timeout=30,
                       headers={**headers, "Anju-Protocol": "2"}).json()
    assert "scope" not in old and "left" not in old and old["changes"]
    assert new["scope"] == W1_CODE and new["left"] == []
