"""The grids a caller may push into are the grids the caller pulls: a push asks them with a statement
built once per role and scope (sync.server.accounts.allowed_grid_ids), a pull through
Caller.grid_clause. Were they to part, a worker could write into a grid whose records never come down
to them, or be refused in a grid whose households they see."""
from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from core.models import new_id
from sync.server.accounts import Caller, allowed_grid_ids
from sync.server.db import open_database, writing
from sync.server.demo import COUNTY, GRID_IDS, OTHER_VILLAGE, SETTLEMENT_ID, VILLAGE
from sync.server.models import ENTITY_TABLES

GRID = ENTITY_TABLES["grid"]

CALLERS = [
    Caller("w1", "worker", "522601100201-01", "d"),
    Caller("w4", "worker", "522601100201-01, 522601100202-01", "d"),  # two grids, in two villages
    Caller("w5", "worker", "522601100201-99", "d"),  # a grid the county does not have
    Caller("c1", "clerk", VILLAGE, "d"),
    Caller("c2", "clerk", OTHER_VILLAGE, "d"),
    Caller("a1", "admin", COUNTY, "d"),
    Caller("a2", "admin", "5226011002", "d"),  # a township: the villages under it
    Caller("a3", "admin", "", "d"),  # the whole county
]


@pytest.mark.parametrize("caller", CALLERS, ids=lambda c: f"{c.role}:{c.scope or '-'}")
def test_a_callers_push_grids_are_its_pull_grids(db_url, caller):
    engine = open_database(db_url)
    try:
        with writing(engine) as conn:  # a grid of another township of the county
            conn.execute(insert(GRID).values(
                id=new_id(), code="522601101001-01", name="另一镇的网格", settlement_id=SETTLEMENT_ID,
                village_code="522601101001", created_by="a1", device_id="server", server_seq=0))
            pushed = allowed_grid_ids(conn, caller)
            pulled = frozenset(conn.execute(select(GRID.c.id).where(caller.grid_clause())).scalars())
        assert pushed == pulled
        expected = {"w1": {GRID_IDS["522601100201-01"]},
                    "w4": {GRID_IDS["522601100201-01"], GRID_IDS["522601100202-01"]},
                    "w5": set(),
                    "c1": {GRID_IDS["522601100201-01"], GRID_IDS["522601100201-02"]},
                    "c2": {GRID_IDS["522601100202-01"]}}
        if caller.username in expected:
            assert pushed == expected[caller.username]
        elif caller.username == "a2":  # the township's grids, not the other township's
            assert pushed == set(GRID_IDS.values())
        else:  # the county's admins: every grid, the other township's included
            assert len(pushed) == len(GRID_IDS) + 1
    finally:
        engine.dispose()
