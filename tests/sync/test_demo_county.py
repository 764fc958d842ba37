"""`anju-server demo-county --households N`: a county server filled with generated households that
the demo workers' laptops pull on their first sync; a whole demo county or nothing."""
from __future__ import annotations

import logging
import os
import subprocess
from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.installed import ANJU_SERVER, OUTSIDE
from tests.sync.conftest import PASSWORD, running_county
from tests.sync.sync_helpers import GRID_ELSEWHERE, GRID_W1, GRID_W3, run_sync

LAPTOP_ENTITIES = ("household", "member", "employment", "visit", "visit_member", "grievance", "measure")


def demo_county(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANJU_PASSWORD": PASSWORD}
    return subprocess.run([ANJU_SERVER, "demo-county", "--db", url, *args], cwd=OUTSIDE, env=env,
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


def server_ids(engine, entity: str) -> dict[str, str]:  # noqa: ANN001
    """id -> grid id of every record of `entity` on the server."""
    from sync.server.models import ENTITY_TABLES

    table, household = ENTITY_TABLES[entity], ENTITY_TABLES["household"]
    with engine.connect() as conn:
        if entity == "household":
            return dict(conn.execute(select(table.c.id, table.c.grid_id)).all())
        return dict(conn.execute(select(table.c.id, household.c.grid_id)
                                 .join(household, household.c.id == table.c.household_id)).all())


def laptop_ids(store, entity: str) -> set[str]:  # noqa: ANN001
    from core.models import SYNCED_ENTITIES

    model = SYNCED_ENTITIES[entity]
    with store.reading() as s:
        return set(s.execute(select(model.id)).scalars())


@pytest.fixture
def filled_county(tmp_path):
    url = f"sqlite:///{tmp_path / 'county.db'}"
    made = demo_county(url, "--households", "30")
    assert made.returncode == 0, made.stderr
    assert "households: 30" in made.stdout
    with running_county(url) as county:
        yield county


def test_each_worker_pulls_the_generated_households_of_their_grid(filled_county, tmp_path):
    from sync.client import enroll

    grids = Counter(server_ids(filled_county.engine, "household").values())
    assert [grids[g] for g in (GRID_W1, GRID_W3, GRID_ELSEWHERE)] == [10, 10, 10]  # spread evenly
    for username, grid in (("w1", GRID_W1), ("w3", GRID_W3)):
        store, _report = enroll(tmp_path / username, filled_county.url, username, PASSWORD)
        try:
            for entity in LAPTOP_ENTITIES:  # everything of the grid's households, nothing of the others
                on_server = server_ids(filled_county.engine, entity)
                assert laptop_ids(store, entity) == {i for i, g in on_server.items() if g == grid}, entity
            assert store.count_households() == grids[grid]
            heads = [r for r in store.list_households() if r.head_name]
            assert len(heads) == grids[grid]
            record = store.get_household(heads[0].id, log_access=False)
            assert record.members[0]["relation"] == "head" and record.members[0]["birth_date"]
            assert run_sync(store).pulled == 0  # all of it came with the first sync
        finally:
            store.close()


def test_a_second_demo_county_is_refused_and_changes_nothing(filled_county):
    before = len(server_ids(filled_county.engine, "member"))
    again = demo_county(filled_county.db_url, "--households", "5")
    assert again.returncode == 2 and "已经有演示县" in again.stderr
    assert len(server_ids(filled_county.engine, "member")) == before


@pytest.fixture
def quiet_sync_logger():
    """main() sets the level of the `sync` logger for its process; put it back for the other tests."""
    logger = logging.getLogger("sync")
    level = logger.level
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("existing", [False, True], ids=["new file", "existing database"])
def test_an_interrupted_demo_county_leaves_nothing_behind(tmp_path, monkeypatch, quiet_sync_logger, existing, capsys):
    from sync.server import __main__ as cli
    from sync.server import demo
    from sync.server.db import open_database
    from sync.server.models import ENTITY_TABLES, account

    path = tmp_path / "county.db"
    if existing:
        open_database(f"sqlite:///{path}").dispose()
    made = demo.generate_households
    calls = []

    def interrupted_on_the_second_chunk(*args, **kwargs):  # noqa: ANN002, ANN003
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return made(*args, **kwargs)

    monkeypatch.setattr(demo, "CHUNK", 10)
    monkeypatch.setattr(demo, "generate_households", interrupted_on_the_second_chunk)
    monkeypatch.setenv("ANJU_PASSWORD", PASSWORD)
    assert cli.main(["demo-county", "--db", f"sqlite:///{path}", "--households", "30"]) == 130
    assert len(calls) == 2 and "已中断" in capsys.readouterr().err
    if not existing:
        assert not any(tmp_path.iterdir())  # not even an empty database
        return
    engine = open_database(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            for table in (ENTITY_TABLES["household"], ENTITY_TABLES["area"], account):
                assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    finally:
        engine.dispose()
