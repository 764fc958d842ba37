"""Alembic environment of the county server's database (SQLite or PostgreSQL).

Run only through sync.server.db.upgrade_database, which hands in a connection inside one
transaction: every pending step commits together or not at all.
"""
from __future__ import annotations

from alembic import context

from sync.server.models import server_metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("sync/server/migrations runs only through sync.server.db.upgrade_database")

context.configure(
    connection=connection,
    target_metadata=server_metadata,
    render_as_batch=True,
    transaction_per_migration=False,
    compare_type=True,
    version_table="server_schema_version",
)
with context.begin_transaction():
    context.run_migrations()
