"""Schema migrations of a profile: numbered Alembic steps, run in one transaction after a backup."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_database(engine: Engine, database: Path, backup_dir: Path, label: str) -> Path:
    """Copy the (still encrypted) database file after folding the WAL into it."""
    raw = engine.raw_connection()  # outside any transaction: a checkpoint cannot run inside one
    try:
        busy, _, _ = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise RuntimeError("another program holds the profile open; the backup before migrating cannot be made")
        backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = backup_dir / f"{database.stem}-before-{label}-{stamp}{database.suffix}"
        shutil.copy2(database, target)
    finally:
        raw.close()
    return target


def upgrade_profile(engine: Engine, database: Path, backup_dir: Path, target: str = "head") -> Path | None:
    """Bring the schema to `target`; returns the backup made first, if the profile had data.

    All pending steps run in one transaction: a failure leaves the schema as it was.
    """
    current = current_revision(engine)
    wanted = head_revision() if target == "head" else target
    if current == wanted:
        return None
    backup = backup_database(engine, database, backup_dir, current) if current else None
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
    return backup
