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
