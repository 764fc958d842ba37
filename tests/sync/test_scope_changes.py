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
    GRID_W1, GRID_W3, edit_household, household, members, new_household, run_sync, server_row,
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
    from sync.client import server_for
    server = server_for(w1)
    try:
        page = server.changes(w1.pull_cursor(), 10)
    finally:
        server.close()
    assert page.scope == W3_CODE
    w1.change_scope("worker", page.scope)  # what a pull does first when the scope it holds is not the server's
    assert not held(w1, mine) and held(w1, theirs)
    assert held(w1, unsent) and w1.pending_change_count() > 0  # never let go of what waits to go up


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
