"""A pull's page on PostgreSQL reads about as many row states as it sends, also when the table's
statistics are from before a large push (a county's first uploads, before autovacuum has counted
them): it walks the sequence's index and stops at its limit (sync.server.changes._page_rows), where
the planner, told by old statistics that the range held a few rows, read and sorted all of them."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text

from sync.server.accounts import Caller
from sync.server.changes import changes_since
from sync.server.db import writing
from sync.server.models import AUDIENCE_SCOPED, ENTITY_TABLES, row_state
from sync.server.numbers import SEQUENCE, reading_below_watermark
from sync.server.rows import insert_rows
from tests.sync.sync_helpers import server_household_row

NOW = datetime(2026, 12, 4, 10, 0)
NEW = 3000


def _households_from_another_device(engine, first_seq: int) -> None:  # noqa: ANN001
    households, states = [], []
    for i in range(NEW):
        households.append(server_household_row(f"H-{i:05d}", first_seq + i, device="dev-w2", user="w2"))
        hid = households[-1]["id"]
        states.append({"entity": "household", "row_id": hid, "seq": first_seq + i, "household_id": hid,
                       "audience": AUDIENCE_SCOPED, "created_seq": first_seq + i, "created_device": "dev-w2",
                       "created_by": "w2", "created_at": NOW, "versions": {}})
    with writing(engine) as conn:
        insert_rows(conn, ENTITY_TABLES["household"], households)
        insert_rows(conn, row_state, states)
        conn.execute(text(f"SELECT setval('{SEQUENCE}', :last, true)"), {"last": first_seq + NEW - 1})


def _rows_read(engine) -> tuple[int, int]:  # noqa: ANN001
    """Entries read from the index of change numbers, and row states read by scanning the table."""
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_stat_clear_snapshot()"))
        return conn.execute(text("SELECT i.idx_tup_read, t.seq_tup_read FROM pg_stat_user_indexes i "
                                 "JOIN pg_stat_user_tables t ON t.relid = i.relid "
                                 "WHERE i.indexrelname = 'uq_row_state_seq'")).one()


def test_a_page_after_a_large_push_reads_what_it_sends(postgres_engine):
    with postgres_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if conn.dialect.server_version_info < (15,):
            pytest.skip("the test reads statistics PostgreSQL 15 and later report at once")
        conn.execute(text("ANALYZE row_state, household"))  # the statistics of a county before its uploads
        first_seq = conn.execute(text("SELECT max(seq) FROM row_state")).scalar_one() + 1
    _households_from_another_device(postgres_engine, first_seq)
    worker = Caller("w1", "worker", "522601100201-01", "dev-w1")
    index_before, scanned_before = _rows_read(postgres_engine)

    with reading_below_watermark(postgres_engine) as (conn, upto):
        page = changes_since(conn, worker, first_seq - 1, 100, upto=upto)
        assert conn.execute(text("SHOW enable_sort")).scalar_one() == "on"  # the rest of the pull: as before
        conn.execute(text("SELECT pg_stat_force_next_flush()"))

    assert [c["fields"]["household_no"] for c in page.changes] == [f"H-{i:05d}" for i in range(100)]
    assert page.more and page.next_since == first_seq + 99
    index_read, scanned = _rows_read(postgres_engine)
    assert 100 <= index_read - index_before < 2 * 100  # the index walked, and not the 3,000 of the range
    assert scanned - scanned_before < NEW  # nor the table read whole
