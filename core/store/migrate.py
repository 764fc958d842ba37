"""Schema migrations of a profile: numbered Alembic steps, run in one transaction after a backup.

Opening a profile that is already at HEAD_REVISION reads its revision with one plain query and
never imports Alembic (about a tenth of a second at start-up); Alembic is loaded only when there
is something to migrate, or a revision to check.
"""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from core.schema import HEAD_REVISION
from core.store.profile import ProfileError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The head as Alembic finds it in core/migrations/versions (imports Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The revision the profile is at, None for a new database (what Alembic keeps in alembic_version)."""
    with engine.connect() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").first() is None:
            return None
        versions = [row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    if len(versions) > 1:
        raise ProfileError(f"档案的数据结构版本不明确（{', '.join(versions)}）。 / "
                           f"The profile records several schema revisions: {', '.join(versions)}.")
    return versions[0] if versions else None


def backup_database(engine: Engine, database: Path, backup_dir: Path, label: str) -> Path:
    """Copy the (still encrypted) database file after folding the WAL into it."""
    raw = engine.raw_connection()  # outside any transaction: a checkpoint cannot run inside one
    try:
        busy, _, _ = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise ProfileError("另一个程序正在使用此档案，无法在升级前备份；请关闭它后再试。 / "
                               "Another program holds the profile open; close it and try again.")
        backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = backup_dir / f"{database.stem}-before-{label}-{stamp}{database.suffix}"
        shutil.copy2(database, target)
    finally:
        raw.close()
    return target


def _check_known(current: str | None) -> None:
    """A profile written by a newer Anju cannot be opened, or migrated, by this one."""
    if current is None:
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(current)
    except CommandError:
        raise ProfileError(f"此档案由较新版本的安居创建（数据结构 {current}），请先升级软件。 / "
                           f"This profile was made by a newer Anju (schema {current}); update the app.") from None


def upgrade_profile(engine: Engine, database: Path, backup_dir: Path, target: str = "head") -> Path | None:
    """Bring the schema to `target`; returns the backup made first, if the profile had data.

    All pending steps run in one transaction: a failure leaves the schema as it was. Foreign keys
    are off while the steps run (batch mode rebuilds tables) and checked before the commit.
    """
    current = current_revision(engine)
    if current == (HEAD_REVISION if target == "head" else target):
        return None  # the usual open: nothing to do, and Alembic not even imported
    from alembic import command

    _check_known(current)
    wanted = head_revision() if target == "head" else target
    if current == wanted:
        return None
    backup = backup_database(engine, database, backup_dir, current) if current else None
    cfg = alembic_config()
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        driver.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, or it does nothing
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, target)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise ProfileError(f"数据结构升级后有 {len(broken)} 处关联不完整，已撤销升级。 / "
                                       f"The migration left {len(broken)} broken references; rolled back.")
        finally:
            driver.execute("PRAGMA foreign_keys = ON")
    return backup
