"""Helpers of the sync tests: households made and edited through the store, syncs, server reads."""
from __future__ import annotations

import itertools
import json
from datetime import datetime

from sqlalchemy import func, select

from core.idcard import check_character
from core.models import new_id
from sync.server.demo import GRID_IDS, SETTLEMENT_ID
from sync.server.models import ENTITY_TABLES

GRID_W1 = GRID_IDS["522601100201-01"]   # w1 and w2
GRID_W3 = GRID_IDS["522601100201-02"]   # w3, same village (c1)
GRID_ELSEWHERE = GRID_IDS["522601100202-01"]
_serial = itertools.count(1)


def resident_id(birth: str = "19850101") -> str:
    first17 = f"522601{birth}{next(_serial) % 1000:03d}"
    return first17 + check_character(first17)


def new_household(store, grid_id: str = GRID_W1, head: str = "王建国", no: str | None = None) -> str:
    hid = new_id()
    store.save_household(
        {"id": hid, "household_no": no or f"H-{next(_serial):05d}", "settlement_id": SETTLEMENT_ID, "grid_id": grid_id,
         "building": "1", "unit": "1", "room": "101"},
        [{"id": new_id(), "name": head, "relation": "head", "id_number": resident_id()}])
    return hid


def household(store, hid: str) -> dict:
    return store.get_household(hid, log_access=False).household


def members(store, hid: str) -> list[dict]:
    return store.get_household(hid, log_access=False).members


def edit_household(store, hid: str, **changes) -> None:
    record = store.get_household(hid, log_access=False)
    data = {k: v for k, v in record.household.items() if k not in ("updated_at",)}
    store.save_household({**data, **changes}, record.members, removed=[])


def add_member(store, hid: str, name: str, relation: str = "son", birth: str = "20100101") -> str:
    record = store.get_household(hid, log_access=False)
    mid = new_id()
    data = {k: v for k, v in record.household.items() if k not in ("updated_at",)}
    store.save_household(data, record.members + [{"id": mid, "name": name, "relation": relation,
                                                  "id_number": resident_id(birth)}], removed=[])
    return mid


def run_sync(store, cancel=None, progress=None, page_size: int | None = None):  # noqa: ANN001
    from sync.client import PULL_PAGE, server_for, sync_profile

    server = server_for(store)
    try:
        return sync_profile(store, server, progress, cancel, page_size or PULL_PAGE)
    finally:
        server.close()


def server_row(county, entity: str, row_id: str) -> dict | None:
    table = ENTITY_TABLES[entity]
    with county.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return dict(row) if row else None


def server_count(county, entity: str, **where) -> int:
    table = ENTITY_TABLES[entity]
    with county.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)
                            .where(*[table.c[k] == v for k, v in where.items()])).scalar_one()


def open_conflicts(county) -> list[dict]:
    table = ENTITY_TABLES["conflict"]
    with county.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.status == "open").order_by(table.c.field)).mappings()
        return [{**r, "server_value": json.loads(r["server_value"]), "client_value": json.loads(r["client_value"])}
                for r in rows]


def phone_conflict(enrol):  # noqa: ANN001 - the `enrol` fixture
    """w1 and w2 (same grid) change one household's phone to different values; w1 syncs first, so
    the server keeps 13800138000 and a conflict keeps w2's 13900139000. Returns (w1, w2, household)."""
    w1 = enrol("w1")
    hid = new_household(w1)
    run_sync(w1)
    w2 = enrol("w2")
    edit_household(w1, hid, phone="13800138000")
    edit_household(w2, hid, phone="13900139000")
    run_sync(w1)
    run_sync(w2)
    return w1, w2, hid


def server_household_row(household_no: str, seq: int = 0, device: str = "dev-w1", user: str = "w1") -> dict:
    """A household row of the server's table as a push of `device` writes it, in w1's grid (for tests
    that write the server's tables directly)."""
    from datetime import datetime

    from core.models.base import data_defaults

    now = datetime(2026, 12, 4, 10, 0)
    return {**data_defaults(ENTITY_TABLES["household"]), "id": new_id(), "household_no": household_no,
            "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1, "deleted": False, "created_at": now,
            "updated_at": now, "created_by": user, "device_id": device, "server_seq": seq}


def text_in_a_number_column(county, households: int) -> str:
    """`households` more generated households, one of w1's with text in its house area (a county database
    edited by hand: SQLite keeps it); returns that household's id."""
    from sync.server.db import writing
    from sync.server.demo import add_households

    with writing(county.engine) as conn:
        add_households(conn, datetime(2026, 12, 3, 9, 0), households)
        table = ENTITY_TABLES["household"]
        hid = conn.execute(select(table.c.id).where(table.c.grid_id == GRID_W1).order_by(table.c.server_seq.desc())
                           .limit(1)).scalar_one()
        conn.exec_driver_sql("UPDATE household SET house_area = 'about 80' WHERE id = ?", (hid,))
    return hid


def corrected_house_area(county, hid: str) -> None:
    from sync.server.db import writing

    with writing(county.engine) as conn:
        conn.exec_driver_sql("UPDATE household SET house_area = 80.5 WHERE id = ?", (hid,))


def frozen_batches(store) -> dict[str, int]:  # noqa: ANN001
    """The push batches frozen and not yet answered, in the order they go: id -> entries."""
    from core.store.push import _waiting

    with store.reading() as s:
        return {b["batch_id"]: len(b["seqs"]) for b in _waiting(s)}
