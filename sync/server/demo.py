"""A demo county for trying the server and for tests: one settlement, three grids in two villages,
and the users the README's demo names (w1 and w2 share grid 01, w3 works grid 02 of the same
village, c1 is that village's clerk, a1 the county admin), all with one password."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from sync.server.accounts import add_user
from sync.server.models import account
from sync.server.rows import Rows

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


def make_demo_county(conn: Connection, password: str, now: datetime) -> list[str]:
    """Create the reference data and the users; returns the usernames made. Refuses a second time."""
    if conn.execute(select(account.c.username).where(account.c.username == "a1")).first():
        raise ValueError("这个数据库里已经有演示县了。 / This database already holds the demo county.")
    rows = Rows(conn, now)
    rows.take_counter()
    areas = [(COUNTY, "凯里市", "county", "5226"), (VILLAGE, "白午社区", "village", COUNTY),
             (OTHER_VILLAGE, "洗马河社区", "village", COUNTY)]
    for i, (code, name, level, parent) in enumerate(areas):
        rows.create("area", {"id": f"5e77a1a0-0000-4000-8000-0000000001{i:02d}", "code": code, "name": name,
                             "level": level, "parent_code": parent}, "a1", "server", None)
    rows.create("settlement", {"id": SETTLEMENT_ID, "code": "AZD-522601-01", "name": "白午街道安置点",
                               "area_code": COUNTY, "mode": "centralised", "address": "凯里市白午街道"},
                "a1", "server", None)
    for code, grid_id in GRID_IDS.items():
        rows.create("grid", {"id": grid_id, "code": code, "name": f"{code[-2:]}号网格", "settlement_id": SETTLEMENT_ID,
                             "village_code": code.split("-")[0]}, "a1", "server", None)
    rows.flush()
    for username, name, role, scope in USERS:
        add_user(conn, username, password, role, scope, now, display_name=name)
    return [u[0] for u in USERS]
