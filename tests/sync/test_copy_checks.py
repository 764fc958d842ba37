"""On PostgreSQL a push's new rows go in by COPY, and the database checks each row's foreign keys with
a query of its own. Those checks keep one plan for the COPY (sync.server.rows._copy_rows); they must
still refuse a row whose household does not exist, and the statements after the COPY, in the same
transaction and in the connection's next ones, are planned with their values again, as the engine
asks (sync.server.db.make_engine)."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.models import new_id
from core.models.base import data_defaults
from sync.server.db import writing
from sync.server.models import ENTITY_TABLES
from sync.server.rows import insert_rows
from tests.sync.sync_helpers import server_household_row

NOW = datetime(2026, 12, 4, 10, 0)


def _member(household_id: str) -> dict:
    return {**data_defaults(ENTITY_TABLES["member"]), "id": new_id(), "household_id": household_id, "name": "张三",
            "relation": "head", "deleted": False, "created_at": NOW, "updated_at": NOW, "created_by": "w1",
            "device_id": "dev-w1", "server_seq": 0}


def _plan_mode(conn) -> str:  # noqa: ANN001
    return conn.execute(text("SHOW plan_cache_mode")).scalar_one()


def test_copied_rows_keep_their_households_checked(postgres_engine):
    households = [server_household_row(f"H-{i}") for i in range(3)]
    with writing(postgres_engine) as conn:
        insert_rows(conn, ENTITY_TABLES["household"], households)
        insert_rows(conn, ENTITY_TABLES["member"], [_member(h["id"]) for h in households for _ in range(4)])
        assert _plan_mode(conn) == "force_custom_plan"  # the rest of the push: planned with its values
    with postgres_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM member")).scalar_one() == 12
        assert _plan_mode(conn) == "force_custom_plan"

    with pytest.raises(IntegrityError) as refused, writing(postgres_engine) as conn:
        insert_rows(conn, ENTITY_TABLES["member"], [_member(households[0]["id"]), _member(new_id())])
    assert "fk_member_household_id_household" in str(refused.value.orig)  # the foreign key, not another rule
    with postgres_engine.connect() as conn:  # nothing of the refused COPY was kept
        assert conn.execute(text("SELECT count(*) FROM member")).scalar_one() == 12
        assert _plan_mode(conn) == "force_custom_plan"
