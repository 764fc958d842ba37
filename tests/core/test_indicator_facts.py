"""This month's figures are sums of what the store keeps per household (core.store.facts): they must be
exactly what counting every record again gives, after saves, deletes, moves between grids, a pull, a
new county rule, a kill in the middle of preparing them, and in every settlement and grid."""
from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from core.demo import write_demo_profile
from core.indicators import Scope, compute_report
from core.models import IndicatorFact
from core.store import Store
from tests.conftest import PASSWORD

TODAY = date.today()


def counted(store: Store, scope: Scope | None = None):  # noqa: ANN201
    with store.reading() as s:
        return compute_report(s, TODAY, store.county_rules(), scope or Scope())


def same(kept, fresh) -> None:  # noqa: ANN001
    assert kept.total.figures() == fresh.total.figures()
    assert kept.total.distributions == fresh.total.distributions
    assert {p: i.figures() for p, i in kept.by_grid.items() if i.households} == \
        {p: i.figures() for p, i in fresh.by_grid.items() if i.households}


@pytest.fixture
def village(tmp_path):
    with Store.create(tmp_path / "p", PASSWORD, username="w1",
                      fill=lambda store: write_demo_profile(store, 120, 5, TODAY, lambda *_: None)):
        pass
    with Store.open(tmp_path / "p", PASSWORD) as store:
        yield store


def test_the_kept_figures_are_the_counted_ones_after_every_kind_of_write(village):
    store = village
    same(store.indicator_report(TODAY), counted(store))
    ids = [r.id for r in store.list_households(limit=6)]
    full = store.get_household(ids[0])
    head = full.members[0]
    store.save_employment({"household_id": ids[0], "member_id": head["id"], "start_month": f"{TODAY:%Y-%m}",
                           "channel": "local_enterprise"}, TODAY)
    store.save_household_income({"household_id": ids[1], "year": TODAY.year - 1, "wage": 1},
                                TODAY) if not store.get_household(ids[1]).incomes else None
    other = store.get_household(ids[2])
    grids = [g["id"] for g in store.grids() if g["id"] != other.household["grid_id"]]
    store.save_household({**{k: v for k, v in other.household.items() if k != "updated_at"}, "grid_id": grids[0]},
                         other.members, TODAY, removed=[])  # moved to another grid
    store.delete("household", ids[3])
    victim = store.get_household(ids[4])
    if victim.visits:
        store.delete("visit", victim.visits[0]["id"])
    same(store.indicator_report(TODAY), counted(store))
    for grid in {g["id"] for g in store.grids()}:
        scope = Scope(grid_id=grid)
        assert store.indicators(TODAY, scope).figures() == counted(store, scope).total.figures()


def test_a_new_county_rule_makes_every_household_counted_again(village):
    store = village
    store.indicator_report(TODAY)
    store.set_meta("role", "admin")
    store.save_county_settings({"working_age_min": 18, "working_age_max": 55, "round_coverage": 0.5,
                                "training_target": 0.2, "grievance_days": ["repair:10"]}, TODAY)
    same(store.indicator_report(TODAY), counted(store))


def test_preparing_the_facts_killed_midway_resumes_where_it_stopped(village, tmp_path):
    store = village
    folder = store.info.folder
    store.close()
    child = f"""
import sys, os
from datetime import date
from core.store import Store
import core.store.facts as facts
facts.CHUNK = 10
done = []
def progress(n, of):
    done.append(n)
    if len(done) == 3:
        os._exit(9)  # killed after three chunks
with Store.open({str(folder)!r}, {PASSWORD!r}) as store:
    store.indicator_report(date.today(), progress=progress)
"""
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=300)
    assert result.returncode == 9, result.stderr
    with Store.open(folder, PASSWORD) as again:
        with again.reading() as s:
            assert s.query(IndicatorFact).count() == 30  # three chunks of ten kept
        seen = []
        report = again.indicator_report(TODAY, progress=lambda n, of: seen.append(of))
        assert seen and seen[0] == 120 - 30  # only those left
        same(report, counted(again))
