"""The county server's migrations, on SQLite and PostgreSQL: a database made at an older revision
upgrades with its data, and the newest revision builds exactly what sync/server/models.py declares."""
from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlalchemy import insert, select, text

from sync.server.models import applied_op
from tests.sync.conftest import _pg


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request, tmp_path):
    """A county database with nothing in it yet."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin = request.getfixturevalue("pg_admin")
    name = f"anju_empty_{uuid.uuid4().hex[:10]}"
    _pg(admin, f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + f"/{name}"
    _pg(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _upgrade(engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from sync.server.db import MIGRATIONS_DIR, writing

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with writing(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def test_answers_stored_under_0001_keep_answering_their_device_after_the_upgrade(empty_db_url):
    from sync.server.db import make_engine, upgrade_database, writing

    engine = make_engine(empty_db_url)
    _upgrade(engine, "0001")
    answer = {"op_id": "op-1", "status": "applied", "server_seq": 7, "reason": None, "conflict_ids": []}
    with writing(engine) as conn:
        conn.execute(text("INSERT INTO applied_op (op_id, device_id, batch_id, result, at) "
                          "VALUES ('op-1', 'dev-a', 'b-1', :result, :at)"),
                     {"result": '{"op_id": "op-1", "status": "applied", "server_seq": 7, "reason": null, '
                                '"conflict_ids": []}', "at": datetime(2026, 1, 1)})
    upgrade_database(engine)
    with writing(engine) as conn:
        # Another device's op under the same id now has its own place (0001 refused it: one key per op id).
        conn.execute(insert(applied_op).values(op_id="op-1", device_id="dev-b", batch_id="b-9",
                                               result={**answer, "server_seq": 9}, at=datetime(2026, 1, 2)))
        kept = {r.device_id: r.result["server_seq"] for r in conn.execute(select(applied_op))}
    engine.dispose()
    assert kept == {"dev-a": 7, "dev-b": 9}


def test_the_newest_revision_builds_exactly_what_the_models_declare(empty_db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from sync.server.db import make_engine, upgrade_database
    from sync.server.models import server_metadata

    engine = make_engine(empty_db_url)
    upgrade_database(engine)

    def include(obj, name, type_, reflected, compare_to):  # noqa: ANN001
        return not (type_ == "table" and name == "server_schema_version")

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include, "compare_type": True})
        differences = compare_metadata(context, server_metadata)
    engine.dispose()
    assert differences == []


def _downgrade(engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from sync.server.db import MIGRATIONS_DIR, migrating

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with migrating(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_0005_adds_the_fields_of_profile_schema_0007_and_takes_them_back(empty_db_url):
    from sqlalchemy import inspect

    from sync.server.db import make_engine, reading, upgrade_database, writing
    from sync.server.models import ENTITY_TABLES

    added = {"member": {"marital_status", "lives_alone", "residence", "residence_place", "residence_since",
                        "returned_worker", "returned_month"},
             "employment": {"contract_term", "insurance_months", "place_code"},
             "visit_member": {"place_code", "sector"}}

    def columns(table_name: str) -> set[str]:
        return {c["name"] for c in inspect(engine).get_columns(table_name)}

    engine = make_engine(empty_db_url)
    _upgrade(engine, "0004")
    assert all(not columns(name) & fields for name, fields in added.items())
    upgrade_database(engine)
    assert all(columns(name) >= fields for name, fields in added.items())
    book = {"created_by": "w1", "device_id": "dev-a"}
    with writing(engine) as conn:
        conn.execute(insert(ENTITY_TABLES["household"]).values(id="h1", household_no="H-1", **book))
        conn.execute(insert(ENTITY_TABLES["member"]).values(id="m1", household_id="h1", name="王建国",
                                                             marital_status="widowed", lives_alone=True, **book))
    _downgrade(engine, "0004")
    assert all(not columns(name) & fields for name, fields in added.items())
    with reading(engine) as conn:
        assert conn.execute(text("SELECT name FROM member WHERE id = 'm1'")).scalar_one() == "王建国"
    engine.dispose()


def test_0006_moves_a_households_income_into_its_year_under_the_laptops_id_and_back(empty_db_url):
    from sqlalchemy import inspect

    from core.models import natural_id
    from sync.server.db import make_engine, reading, upgrade_database, writing

    engine = make_engine(empty_db_url)
    _upgrade(engine, "0005")
    with writing(engine) as conn:
        conn.execute(text("INSERT INTO household (id, household_no, income_wage, income_transfer, created_at, "
                          "updated_at, created_by, device_id, deleted, server_seq, risk_types) VALUES ('h1', 'H-1', 24000, 1200, "
                          ":t, :t, 'w1', 'dev-a', false, 7, '[]')"), {"t": datetime(2025, 6, 1, 9)})
        conn.execute(text("INSERT INTO household (id, household_no, created_at, updated_at, created_by, device_id, "
                          "deleted, server_seq, risk_types) VALUES ('h2', 'H-2', :t, :t, 'w1', 'dev-a', false, 8, '[]')"),
                     {"t": datetime(2025, 6, 1, 9)})
        conn.execute(text("INSERT INTO sequence_counter (id, value) VALUES (1, 8)"))
    upgrade_database(engine)
    moved = natural_id("household_income", "h1", 2025)
    with reading(engine) as conn:
        incomes = conn.execute(text("SELECT id, household_id, year, wage, transfer, server_seq FROM household_income")).all()
        state = conn.execute(text("SELECT seq, household_id, audience, created_seq FROM row_state "
                                  "WHERE entity = 'household_income'")).all()
        counter = conn.execute(text("SELECT value FROM sequence_counter")).scalar_one()
    assert [tuple(r) for r in incomes] == [(moved, "h1", 2025, 24000, 1200, 9)]  # h2 had no income to move
    # pulled by every laptop in scope (a new sequence), its fields versioned at 0: a laptop's edit is no conflict
    assert [tuple(r) for r in state] == [(9, "h1", "scoped", 0)] and counter == 9
    assert "income_wage" not in {c["name"] for c in inspect(engine).get_columns("household")}
    _downgrade(engine, "0005")
    with reading(engine) as conn:
        assert conn.execute(text("SELECT income_wage FROM household WHERE id = 'h1'")).scalar_one() == 24000
        assert conn.execute(text("SELECT count(*) FROM row_state WHERE entity = 'household_income'")).scalar_one() == 0
    assert "household_income" not in inspect(engine).get_table_names()
    engine.dispose()


def test_0009_numbers_go_on_after_the_counter_and_the_counter_takes_them_back(empty_db_url):
    """A county at 0008 whose counter stands at 41: after the upgrade the next change is numbered 42
    or more on either database; going back to 0008, the counter stands past every number handed out."""
    from datetime import date

    from sync.protocol import Op, PushRequest
    from sync.server.accounts import Caller
    from sync.server.db import make_engine, upgrade_database, writing
    from sync.server.demo import SETTLEMENT_ID, make_demo_county
    from sync.server.merge import apply_push
    from tests.sync.sync_helpers import GRID_W1

    engine = make_engine(empty_db_url)
    _upgrade(engine, "0008")
    with writing(engine) as conn:
        conn.execute(text("INSERT INTO sequence_counter (id, value) VALUES (1, 41)"))
    upgrade_database(engine)
    with writing(engine) as conn:
        make_demo_county(conn, "demo-pass", datetime(2026, 1, 5))
    op = Op(op_id="op-1", entity="household", row_id=str(uuid.uuid4()), kind="upsert",
            fields={"household_no": "H-1", "settlement_id": SETTLEMENT_ID, "grid_id": GRID_W1}, base={},
            hlc="1790000000000-0001-x")
    request = PushRequest(batch_id="b-1", device_id="dev-a", protocol=1, schema="0007", ops=[op])
    with writing(engine) as conn:
        [answer] = apply_push(conn, Caller("w1", "worker", "522601100201-01", "dev-a"), request,
                              datetime(2026, 1, 5), date(2026, 1, 5), optimistic=engine.dialect.name != "sqlite").results
        demo_numbers = conn.execute(text("SELECT min(seq) FROM row_state WHERE created_device = 'server'")).scalar_one()
    assert answer.status == "applied" and demo_numbers == 42 and answer.server_seq > demo_numbers
    _downgrade(engine, "0008")
    with writing(engine) as conn:
        counter = conn.execute(text("SELECT value FROM sequence_counter")).scalar_one()
    engine.dispose()
    assert counter == answer.server_seq
