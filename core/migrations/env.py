"""Alembic environment for the local profile database.

Run only through core.store.migrate, which hands in an open connection inside one transaction,
so every pending step commits together or not at all.
"""
from __future__ import annotations

from alembic import context

from core.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("core/migrations runs only through core.store.migrate.upgrade_profile")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables.
    transaction_per_migration=False,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
