"""The jam of a pull across pages, end to end through real processes: `python -m sync.server serve`,
`main.py enroll` and `main.py sync`, as the county and the laptops run them.

A county whose changes fill more than three pages of the default size, in which early records'
parents were edited later (a household's phone changed after its members were entered, a member
moved into a household made and edited later). A new laptop enrolls; an old laptop that had pulled
only part of it (cut off after two pages) syncs again; both end equal to the server.
"""
from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, select

from core.idcard import check_character
from core.models import new_id
from core.store import Store
from sync.client import CancelFlag, Cancelled
from sync.server.demo import SETTLEMENT_ID
from sync.server.models import ENTITY_TABLES
from tests.core.test_commands import run_main
from tests.sync.conftest import PASSWORD, County
from tests.sync.sync_helpers import GRID_W1, add_member, edit_household, new_household, run_sync
from tests.sync.test_pull_order import _move_member

HOUSEHOLDS = 1050  # with two people each: 3,150 records, more than three pages of 1,000
PAGE = 1000  # the records of a page the old laptop asks for before it stops (a server from before 2,500 a page)


def _laptop(profile) -> dict:
    with Store.open(profile, PASSWORD) as store, store.reading() as s:
        from core.models import Household, Member

        households = {h.id: h.phone for h in s.execute(select(Household).where(Household.deleted.is_(False))).scalars()}
        members = {m.id: m.household_id for m in s.execute(select(Member).where(Member.deleted.is_(False))).scalars()}
        return {"households": households, "members": members, "waiting": store.pulled_records_waiting()}


def _server(db_url: str) -> dict:
    engine = create_engine(db_url)
    h, m = ENTITY_TABLES["household"], ENTITY_TABLES["member"]
    with engine.connect() as conn:
        households = dict(conn.execute(select(h.c.id, h.c.phone).where(h.c.deleted.is_(False))).all())
        members = dict(conn.execute(select(m.c.id, m.c.household_id).where(m.c.deleted.is_(False))).all())
    engine.dispose()
    return {"households": households, "members": members, "waiting": 0}


def _id_number(day: int, serial: int) -> str:
    first17 = f"522601{(date(1950, 1, 1) + timedelta(days=day)):%Y%m%d}{serial:03d}"
    return first17 + check_character(first17)


def _many_households(store: Store, n: int) -> None:
    for i in range(n):
        store.save_household(
            {"id": new_id(), "household_no": f"B-{i:05d}", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1,
             "room": "101"},
            [{"id": new_id(), "name": "王建国", "relation": "head", "id_number": _id_number(i, 11)},
             {"id": new_id(), "name": "李秀英", "relation": "spouse", "id_number": _id_number(i, 22)}])


@pytest.mark.slow
def test_a_county_of_many_pages_reaches_a_new_and_a_half_synced_laptop(tmp_path, sqlite_template):
    db = tmp_path / "county.db"
    shutil.copyfile(sqlite_template, db)
    county = County(f"sqlite:///{db}")
    county.start_process()
    enroll = ("--server", county.url)
    try:
        assert run_main("enroll", "--profile", str(tmp_path / "w1"), *enroll, "--username", "w1",
                        password=PASSWORD).returncode == 0
        with Store.open(tmp_path / "w1", PASSWORD) as w1:
            h = new_household(w1, head="张德明")
            child = add_member(w1, h, "张小明")
        assert run_main("sync", "--profile", str(tmp_path / "w1"), password=PASSWORD).returncode == 0
        assert run_main("enroll", "--profile", str(tmp_path / "w2"), *enroll, "--username", "w2",
                        password=PASSWORD).returncode == 0          # the old laptop: it has H and the child
        with Store.open(tmp_path / "w1", PASSWORD) as w1:
            k = new_household(w1, head="李秀英")
            _move_member(w1, child, k)
            _many_households(w1, HOUSEHOLDS)
        assert run_main("sync", "--profile", str(tmp_path / "w1"), password=PASSWORD).returncode == 0
        with Store.open(tmp_path / "w1", PASSWORD) as w1:          # the parents change last
            edit_household(w1, h, phone="13800138000")
            edit_household(w1, k, phone="13900139000")
        assert run_main("sync", "--profile", str(tmp_path / "w1"), password=PASSWORD).returncode == 0

        with Store.open(tmp_path / "w2", PASSWORD) as w2:          # the old laptop pulls two pages, then stops
            cancel = CancelFlag()
            with pytest.raises(Cancelled):
                run_sync(w2, cancel, lambda stage, done, _t: done >= 2 * PAGE and cancel.cancel(), page_size=PAGE)
        synced = run_main("sync", "--profile", str(tmp_path / "w2"), password=PASSWORD)
        assert synced.returncode == 0, synced.stderr
        new = run_main("enroll", "--profile", str(tmp_path / "c1"), *enroll, "--username", "c1", password=PASSWORD)
        assert new.returncode == 0, new.stderr

        server = _server(county.db_url)
        assert len(server["households"]) + len(server["members"]) > 3 * PAGE
        assert _laptop(tmp_path / "w2") == server
        assert _laptop(tmp_path / "c1") == server
        assert server["members"][child] == k
    finally:
        county.stop()
