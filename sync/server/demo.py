"""A demo county for trying the server and for tests: one settlement, three grids in two villages,
and the users the README's demo names (w1 and w2 share grid 01, w3 works grid 02 of the same
village, c1 is that village's clerk, a1 the county admin), all with one password.

With `households`, the settlement also gets that many generated households (core.demo: families,
jobs, training, visits, grievances, measures), spread evenly over the three grids, written as a
push writes records (sync.server.rows: a row state and a sequence number each), so a laptop
enrolled as w1, w2 or w3 pulls the households of its grid on its first sync."""
from __future__ import annotations

import math
from datetime import datetime
from random import Random

from sqlalchemy import Connection, select

from core.demo import generate_households, generate_reference
from core.demo.names import Weighted
from core.demo.reference import GridInfo, Reference, SettlementInfo
from core.models import SYNCED_ENTITIES
from sync.server.accounts import add_user
from sync.server.models import SERVER_DEVICE, account
from sync.server.rows import ENTITY_ORDER, Rows

COUNTY = "522601"
VILLAGE = "522601100201"
OTHER_VILLAGE = "522601100202"
SETTLEMENT_ID = "5e77a1a0-0000-4000-8000-000000000001"
GRID_IDS = {"522601100201-01": "5e77a1a0-0000-4000-8000-000000000011",
            "522601100201-02": "5e77a1a0-0000-4000-8000-000000000012",
            "522601100202-01": "5e77a1a0-0000-4000-8000-000000000013"}
USERS = [("w1", "网格员一", "worker", "522601100201-01"), ("w2", "网格员二", "worker", "522601100201-01"),
         ("w3", "网格员三", "worker", "522601100201-02"), ("c1", "村文书", "clerk", VILLAGE),
         ("a1", "县管理员", "admin", COUNTY)]


DEMO_SEED = 1
AUTHOR, DEVICE = "a1", SERVER_DEVICE  # who the demo county's records are written by
CHUNK = 2000  # households held in memory at once


def make_demo_county(conn: Connection, password: str, now: datetime, households: int = 0,
                     seed: int = DEMO_SEED) -> list[str]:
    """Create the reference data, `households` generated households and the users, in the caller's
    transaction; returns the usernames made. Refuses a second time."""
    if households < 0:
        raise ValueError(f"户数不能为负：{households}。 / --households must be 0 or more, not {households}.")
    if conn.execute(select(account.c.username).where(account.c.username == "a1")).first():
        raise ValueError("这个数据库里已经有演示县了。 / This database already holds the demo county.")
    rows = Rows(conn, now)
    rows.take_counter()
    areas = [(COUNTY, "凯里市", "county", "5226"), (VILLAGE, "白午社区", "village", COUNTY),
             (OTHER_VILLAGE, "洗马河社区", "village", COUNTY)]
    for i, (code, name, level, parent) in enumerate(areas):
        rows.create("area", {"id": f"5e77a1a0-0000-4000-8000-0000000001{i:02d}", "code": code, "name": name,
                             "level": level, "parent_code": parent}, AUTHOR, DEVICE, None)
    rows.create("settlement", {"id": SETTLEMENT_ID, "code": "AZD-522601-01", "name": "白午街道安置点",
                               "area_code": COUNTY, "mode": "centralised", "address": "凯里市白午街道"},
                AUTHOR, DEVICE, None)
    for code, grid_id in GRID_IDS.items():
        rows.create("grid", {"id": grid_id, "code": code, "name": f"{code[-2:]}号网格", "settlement_id": SETTLEMENT_ID,
                             "village_code": code.split("-")[0]}, AUTHOR, DEVICE, None)
    rows.flush()
    if households:
        add_households(conn, now, households, seed)
    for username, name, role, scope in USERS:
        add_user(conn, username, password, role, scope, now, display_name=name)
    return [u[0] for u in USERS]


def add_households(conn: Connection, now: datetime, count: int, seed: int = DEMO_SEED) -> None:
    """`count` generated households in the demo settlement, a third in each grid, with the townships
    they moved out of; written CHUNK households at a time in the caller's transaction."""
    rng = Random(seed)
    today = now.date()
    county = generate_reference(rng, today, count)  # its cadres, origin townships and id numbering
    reference = _reference(rng, county, count)
    site = reference.settlements[0]
    grids = list(site.grids)
    origins = set(county.origin_townships)
    pending: dict[str, list[dict]] = {"area": [a for a in county.rows["area"] if a["code"] in origins]}
    start = 0
    for k, grid in enumerate(grids):
        site.grids = [grid]  # every household of this run lives in this grid
        end = start + count // len(grids) + (k < count % len(grids))
        for first in range(start, end, CHUNK):
            generated = generate_households(rng, reference, first, min(CHUNK, end - first), today)
            _write(conn, now, {**pending, **generated})
            pending = {}
        start = end
    site.grids = grids


def _write(conn: Connection, now: datetime, generated: dict[str, list[dict]]) -> None:
    """Rows as a push writes them: each a row state and the next sequence number, parents first."""
    rows = Rows(conn, now)
    rows.take_counter()
    for entity in sorted(generated, key=ENTITY_ORDER.index):
        for row in generated[entity]:
            household_id = None if entity == "area" else row["id"] if entity == "household" else row["household_id"]
            rows.create(entity, _data(entity, row), AUTHOR, DEVICE, household_id)
    rows.flush()


def _reference(rng: Random, county: Reference, count: int) -> Reference:
    """The demo settlement and its three grids, in the terms core.demo generates households against."""
    site = SettlementInfo(SETTLEMENT_ID, "AZD-522601-01", "白午街道安置点", "centralised", "urban", floors=11, per_floor=2)
    site.add_buildings(rng, max(1, math.ceil(count / 0.85 / site.per_building)))
    workers = {scope: name for _, name, role, scope in reversed(USERS) if role == "worker"}  # a grid's first
    site.grids = [GridInfo(grid_id, code, code.split("-")[0], workers.get(code, county.cadres[0]))
                  for code, grid_id in GRID_IDS.items()]
    return Reference(rows={}, county_code=COUNTY, settlements=[site], settlement_weights=Weighted([(0, 1.0)]),
                     origin_townships=county.origin_townships, cadres=county.cadres, id_base=county.id_base)


def _data(entity: str, row: dict) -> dict:
    """A generated row's own fields (Rows.create stamps the bookkeeping as a push does)."""
    return {k: v for k, v in row.items() if k == "id" or k not in SYNCED_ENTITIES[entity].BOOKKEEPING}
