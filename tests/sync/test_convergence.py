"""Property (hypothesis): random interleavings of edits, deletes, members added and moved between
households, and syncs with pages as small as one record on three laptops end with every laptop
equal to the server (fields and who lives where), and every value a laptop sent that did not win
kept in a conflict record. Real profiles, a real server over HTTP, on SQLite and PostgreSQL."""
from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core.store.records import RecordGone
from tests.sync.conftest import PASSWORD
from sync.server.models import ENTITY_TABLES
from tests.sync.sync_helpers import (
    add_member, edit_household, household, members, new_household, run_sync, server_row,
)

FIELDS = ("phone", "room", "notes")
CLIENTS = 3
_values = itertools.count(1)
NAMES = [f"张{a}{b}" for a in "春夏秋冬晓明" for b in "梅兰竹菊松柏"]


def _value(field: str) -> str:
    n = next(_values)
    return {"phone": f"138{n:08d}", "room": f"{n % 9000 + 100}", "notes": f"第{n}次走访记录"}[field]


actions = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.integers(0, CLIENTS - 1), st.integers(0, 1), st.sampled_from(FIELDS)),
    st.tuples(st.just("delete"), st.integers(0, CLIENTS - 1), st.integers(0, 1), st.none()),
    st.tuples(st.just("member"), st.integers(0, CLIENTS - 1), st.integers(0, 1), st.none()),
    st.tuples(st.just("move"), st.integers(0, CLIENTS - 1), st.integers(0, 1), st.none()),
    st.tuples(st.just("sync"), st.integers(0, CLIENTS - 1), st.sampled_from([1, 3, 1000]), st.none()),
), min_size=3, max_size=14)


def _conflicts_of(county, ids: set[str]) -> list[dict]:
    table = ENTITY_TABLES["conflict"]
    with county.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.row_id.in_(ids))).mappings().all()
    return [dict(r) for r in rows]


def _server_members(county, hid: str) -> set[str]:
    table = ENTITY_TABLES["member"]
    with county.engine.connect() as conn:
        return set(conn.execute(select(table.c.id).where(table.c.household_id == hid, table.c.deleted.is_(False)))
                   .scalars())


def _kept(conflicts: list[dict], hid: str, field: str, value: str) -> bool:
    for c in conflicts:
        if c["row_id"] != hid:
            continue
        client = json.loads(c["client_value"])
        if c["field"] == field and client == value:
            return True
        if c["field"] == "*" and isinstance(client, dict) and client.get(field) == value:
            return True
    return False


class Run:
    """One example: two new households shared by three laptops, and what each laptop sent."""

    def __init__(self, county, laptops):  # noqa: ANN001
        self.county, self.laptops = county, laptops
        self.households = [new_household(laptops[0]) for _ in range(2)]
        for laptop in laptops:
            run_sync(laptop)
        self.pending: list[dict] = [{} for _ in laptops]   # per laptop: (hid, field) -> value not yet sent
        self.deleting: list[set] = [set() for _ in laptops]
        self.sent: list[tuple[str, str, object]] = []      # (hid, field or "*", value)
        self.seen: set[tuple[str, str, object]] = set()    # values the server held at some point
        self._snapshot()

    def _snapshot(self) -> None:
        for hid in self.households:
            row = server_row(self.county, "household", hid)
            self.seen |= {(hid, f, row[f]) for f in FIELDS}
            if row["deleted"]:
                self.seen.add((hid, "*", "deleted"))

    def edit(self, who: int, which: int, field: str) -> None:
        hid = self.households[which]
        value = _value(field)
        try:
            edit_household(self.laptops[who], hid, **{field: value})
        except RecordGone:
            return  # deleted on this laptop: a worker cannot edit it
        self.pending[who][(hid, field)] = value

    def delete(self, who: int, which: int) -> None:
        hid = self.households[which]
        try:
            household(self.laptops[who], hid)
        except RecordGone:
            return
        self.laptops[who].delete("household", hid)
        self.deleting[who].add(hid)
        self.pending[who] = {k: v for k, v in self.pending[who].items() if k[0] != hid}  # a delete replaces them

    def add_member(self, who: int, which: int) -> None:
        try:
            add_member(self.laptops[who], self.households[which], NAMES[next(_values) % len(NAMES)])
        except RecordGone:
            return

    def move(self, who: int, which: int) -> None:
        """The laptop moves one non-head member of household `which` into the other one."""
        laptop, source, target = self.laptops[who], self.households[which], self.households[1 - which]
        try:
            moving = [m for m in members(laptop, source) if m["relation"] != "head"]
            record = laptop.get_household(target, log_access=False)
        except RecordGone:
            return
        if not moving:
            return
        data = {k: v for k, v in record.household.items() if k != "updated_at"}
        laptop.save_household(data, record.members + [{**moving[0], "relation": "other"}], removed=[])

    def sync(self, who: int, page: int | None = None) -> None:
        self.sent += [(hid, f, v) for (hid, f), v in self.pending[who].items()]
        self.sent += [(hid, "*", "deleted") for hid in self.deleting[who]]
        self.pending[who], self.deleting[who] = {}, set()
        run_sync(self.laptops[who], page_size=page)
        assert self.laptops[who].pulled_records_waiting() == 0
        self._snapshot()

    def _check_a_late_laptop(self) -> None:
        """A laptop enrolling now, one record a page, ends equal to the server: every member
        whose household changed after it comes before its household."""
        from sync.client import enroll

        with tempfile.TemporaryDirectory() as folder:
            late, _ = enroll(Path(folder) / "late", self.county.url, "c1", PASSWORD, page_size=1)
            try:
                assert late.pulled_records_waiting() == 0
                for hid in self.households:
                    row = server_row(self.county, "household", hid)
                    try:
                        local = household(late, hid)
                    except RecordGone:
                        assert row["deleted"]
                        continue
                    assert {f: local[f] for f in FIELDS} == {f: row[f] for f in FIELDS}
                    assert {m["id"] for m in members(late, hid)} == _server_members(self.county, hid)
            finally:
                late.close()

    def check(self) -> None:
        for _ in range(2):
            for who in range(CLIENTS):
                self.sync(who)
        for hid in self.households:
            row = server_row(self.county, "household", hid)
            for laptop in self.laptops:
                assert laptop.pending_change_count() == 0
                try:
                    local = household(laptop, hid)
                except RecordGone:
                    assert row["deleted"], f"{hid} deleted on a laptop but alive on the server"
                    continue
                assert not row["deleted"], f"{hid} alive on a laptop but deleted on the server"
                assert {f: local[f] for f in FIELDS} == {f: row[f] for f in FIELDS}
                assert {m["id"] for m in members(laptop, hid)} == _server_members(self.county, hid)
        self._check_a_late_laptop()
        conflicts = _conflicts_of(self.county, set(self.households))
        for hid, field, value in self.sent:
            if (hid, field, value) in self.seen:
                continue
            if field == "*":
                assert any(c["row_id"] == hid and c["kind"] == "delete_edit" for c in conflicts), (hid, "delete lost")
            else:
                assert _kept(conflicts, hid, field, value), f"{field}={value!r} of {hid} was lost"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_random_interleavings_converge_and_lose_nothing(enrol, county, steps):
    laptops = _laptops(enrol)
    run = Run(county, laptops)
    for kind, who, which, field in steps:
        if kind == "edit":
            run.edit(who, which, field)
        elif kind == "delete":
            run.delete(who, which)
        elif kind == "member":
            run.add_member(who, which)
        elif kind == "move":
            run.move(who, which)
        else:
            run.sync(who, which)
    run.check()


_enrolled: dict[int, list] = {}


def _laptops(enrol) -> list:  # noqa: ANN001
    """The three laptops of this test (enrolled once for all its examples): two workers of the grid
    and the village clerk."""
    key = id(enrol)
    if key not in _enrolled:
        _enrolled.clear()
        _enrolled[key] = [enrol("w1"), enrol("w2"), enrol("c1")]
    return _enrolled[key]
