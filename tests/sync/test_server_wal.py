"""A county server on SQLite copies its write-ahead log back into the database file beside the
pushes (sync.server.wal), not inside one of them: the pushes a laptop made are in the database
file itself soon after they pause, and a server whose engine is closed leaves the file alone."""
from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from sync.server.wal import GATHER_SECONDS, QUIET_SECONDS
from tests.sync.sync_helpers import new_household, run_sync

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _households_in_the_file_alone(db: Path, copy: Path) -> int:
    """The households a copy of the database file holds without its log (-wal)."""
    shutil.copyfile(db, copy)
    conn = sqlite3.connect(copy)
    try:
        return conn.execute("SELECT count(*) FROM household").fetchone()[0]
    finally:
        conn.close()


def _push_households(enrol, county, tmp_path, count: int) -> tuple[Path, int]:
    """A worker pushes `count` new households; gives the county's database file and the households
    it held alone before the push."""
    db = Path(county.db_url.removeprefix("sqlite:///"))
    before = _households_in_the_file_alone(db, tmp_path / "before.db")
    w1 = enrol("w1")
    for _ in range(count):
        new_household(w1)
    run_sync(w1)
    return db, before


def test_pushed_households_reach_the_database_file_once_the_pushes_pause(enrol, county, tmp_path):
    db, before = _push_households(enrol, county, tmp_path, 12)
    # SQLite's own rule would leave these few pages in the log until it passed 1,000 pages.
    deadline = time.monotonic() + GATHER_SECONDS + QUIET_SECONDS + 10
    found = before
    while found < before + 12 and time.monotonic() < deadline:
        time.sleep(0.1)
        found = _households_in_the_file_alone(db, tmp_path / "copy.db")
    assert found == before + 12


def test_a_disposed_server_database_is_left_alone(db_url, tmp_path, caplog, monkeypatch):
    """Written, then disposed of at once: the copy gathered for the write is not made afterwards, so
    the files may be moved away, and nothing is made again in their place or logged as an error.
    The thread ends once it has been idle a while."""
    from sync.server import wal
    from sync.server.db import checkpointer_of, open_database, writing
    from sync.server.models import access_log

    monkeypatch.setattr(wal, "IDLE_SECONDS", 0.3)

    engine = open_database(db_url)
    db = Path(db_url.removeprefix("sqlite:///"))
    with writing(engine) as conn:
        conn.execute(insert(access_log).values(at=datetime.now(), username="admin", action="test"))
    engine.dispose()
    moved = tmp_path / "moved"
    moved.mkdir()
    for path in db.parent.glob(db.name + "*"):
        path.rename(moved / path.name)
    with caplog.at_level(logging.ERROR, logger="sync.server.wal"):
        time.sleep(QUIET_SECONDS + 1.0)
    assert not list(db.parent.glob(db.name + "*"))
    assert not caplog.records
    assert not checkpointer_of(engine).running
    conn = sqlite3.connect(moved / db.name)
    assert conn.execute("SELECT count(*) FROM access_log WHERE action = 'test'").fetchone()[0] == 1
    conn.close()


def test_a_server_stopped_by_sigterm_leaves_the_whole_database_in_its_file(enrol, county, tmp_path):
    """Stopping the server (SIGTERM, as a service manager does) disposes of its engine before the
    process ends: the log is copied back and removed, and `county.db` alone holds every push."""
    county.stop()
    county.start_process()
    db, before = _push_households(enrol, county, tmp_path, 12)
    county.process.terminate()
    county.process.wait(30)
    assert not db.with_name(db.name + "-wal").exists()
    assert _households_in_the_file_alone(db, tmp_path / "copy.db") == before + 12
