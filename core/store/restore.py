"""Restoring a backup of a profile without losing what is not synced (backups: core/store/backup.py).

Restoring (`restore_profile`; the store closes first and reopens after, see Backups.restore)
1. The chosen file is copied beside the profile (`anju.db.restore-<pid>.tmp`) and checked there:
   it must open with this profile's key (a backup of another profile, or a wrong password, is
   refused in words), pass SQLCipher's page check and SQLite's quick check, and be of a schema
   this Anju knows; an older schema is migrated on the copy.
2. The current database is attached to that copy's connection in exclusive locking mode, which
   fails at once when another program (another window, a sync in another process) has it open:
   the restore is then refused and nothing changes. From here nobody else can read or write it.
3. A safety backup of the current state is taken (kind `restore`, through the same locked
   connection) and its name is reported, so a restore can itself be undone. If the current
   database cannot be read at all, its files are copied as they are instead.
4. What is not synced is carried over, in one transaction on the copy. The current outbox is
   the truth about what the server has not answered yet, so:
   - the restored outbox becomes the current outbox, whole (entries the backup still held but
     the server has answered since are dropped, so nothing is sent twice), together with the
     frozen push batch (its batch id, so a batch in flight is sent again with the same op ids);
   - every record with an entry in that outbox gets the current value of each field waiting to
     be sent (and its tombstone, for a waiting delete); a record made after the backup is copied
     whole, and so is any parent it needs (a member added to a household made after the backup);
   - everything else comes from the backup: records lost or damaged since come back, and the
     pull cursor (with any held pull state) is the backup's, so the next sync pulls again what
     the server sent since and the records already synced come back up to date from the server;
   - profile settings (server address and token, drafts, rejections) are the current ones; the
     audit log is the current one when it extends the backup's (it records what happened, and
     the server holds its head), then one line records the restore; household summaries and
     search indexes of every touched household are rebuilt; foreign keys are checked before
     the commit.
   When the current database is damaged, what can be read of its outbox is carried; if nothing
   can, the backup is restored as it is and the message says where the old files were kept.
5. The current database is checkpointed and put in rollback-journal mode (its -wal gone), the
   connection closes, and the prepared copy is renamed over `anju.db`. A kill at any moment
   before the rename leaves the profile as it was (plus a stray .tmp that a later restore
   sweeps); after it, the restored one.
Changes that were already synced are on the county server: a restore cannot take them back
there, and the next sync brings them down again. A restore is for what this laptop alone holds.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import time
from datetime import datetime
from pathlib import Path

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from core.models import SYNCED_ENTITIES, utc_now
from core.store import migrate
from core.store.backup import (
    INFO_KEY, KEEP, PENDING_RECORDS, BackupError, BackupFile, ForeignBackup, RestoreResult, _disk_full, _full_disk_error, _fsync,
    _fsync_dir, _open_target, _pragma_key, _remove_with_sidecars, backup_folder, list_backups, sweep_stale,
    write_backup,
)
from core.store.failures import SQLITE_CORRUPT, SQLITE_NOTADB, sqlite_code
from core.store.journal import Actor, append_audit
from core.store.profile import (
    DATABASE_FILE, PROFILE_FILE, ProfileError, ProfileInfo, WrongPassword, checked_key, read_profile_info,
)
from core.store.summary import refresh_summaries
from core.wire_values import from_wire

log = logging.getLogger(__name__)

BUSY_MS = 3000                 # how long a restore waits for the profile to be let go
_KEEP_FROM_BACKUP = "key = 'pull_cursor' OR key LIKE 'pull\\_%' ESCAPE '\\'"  # pull state goes with the data


def resolve_backup(info: ProfileInfo, name: str | Path) -> Path:
    """A path as given, or the name of one of the profile's rotating backups."""
    path = Path(name)
    if path.exists() or path.parent != Path("."):
        return path
    inside = backup_folder(info) / path.name
    return inside if inside.exists() else path


def _other_profile(path: Path, info: ProfileInfo) -> Path | None:
    """The profile folder a backup file sits in, when that is another profile than `info`'s."""
    for parent in list(path.resolve().parents)[:3]:
        if (parent / PROFILE_FILE).is_file():
            try:
                other = read_profile_info(parent)
            except ProfileError:
                return None
            same = other.salt == info.salt and other.device_id == info.device_id
            return None if same else parent
    return None


def check_backup(path: Path, key: bytes, info: ProfileInfo) -> dict:
    """Refuse, in words, a file that cannot be restored into this profile; returns its backup_info.
    `path` is a private copy (it may be migrated): the caller copied the chosen file there."""
    size = path.stat().st_size
    if size < 1024 or size % 512:
        raise BackupError(f"备份文件不完整（{size} 字节），已损坏，不能恢复。 / "
                          f"The backup file is incomplete ({size} bytes): damaged, not restored.")
    conn = _open_target(path, key)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise ForeignBackup("这个备份无法用本档案的密钥打开：它属于另一个档案，或者文件已损坏。不能恢复。 / "
                              "This backup does not open with this profile's key: it belongs to another "
                              "profile, or it is damaged. Not restored.") from exc
        try:
            pages = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            quick = conn.execute("PRAGMA quick_check").fetchall()
        except sqlcipher3.DatabaseError as exc:
            pages, quick = [(str(exc),)], []
        if pages or [r[0] for r in quick] != ["ok"]:
            detail = "; ".join(str(r[0]) for r in (pages or quick)[:3])
            raise BackupError(f"备份文件已损坏（{detail}），不能恢复；请选另一份备份。 / "
                              f"The backup file is damaged ({detail}); not restored. Choose another backup.")
        row = conn.execute("SELECT value FROM profile_meta WHERE key = ?", (INFO_KEY,)).fetchone() \
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'profile_meta'").fetchone() else None
    finally:
        conn.close()
    return json.loads(row[0]) if row else {}


def _migrate_copy(path: Path, key: bytes, scratch: Path) -> None:
    """Bring a copy of an older backup to this Anju's schema (a newer one is refused)."""
    from core.store.engine import make_engine

    engine = make_engine(path, key, writer=True)
    try:
        migrate.upgrade_profile(engine, path, scratch)
        with engine.connect() as conn:  # back to a lone file, as the rename expects
            conn.connection.driver_connection.execute("PRAGMA journal_mode = DELETE").fetchone()
    finally:
        engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)


def _locked_engine(path: Path, key: bytes) -> tuple[Engine, sqlcipher3.Connection]:
    """One connection on the prepared copy, in exclusive locking mode, BEGIN IMMEDIATE per transaction."""
    conn = _open_target(path, key)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # before ATTACH: applies to the profile attached next
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool, hide_parameters=True)

    @event.listens_for(engine, "begin")
    def _begin(c) -> None:  # noqa: ANN001 - SQLAlchemy event signature
        c.exec_driver_sql("BEGIN IMMEDIATE")

    return engine, conn


def restore_profile(info: ProfileInfo, key: bytes, backup: Path, username: str = "", keep: int = KEEP) -> RestoreResult:
    """Replace the profile's database by `backup`, keeping its unsynced changes (see the module's
    docstring). The profile must not be open anywhere; raises BackupError when it cannot be done,
    leaving the profile as it was."""
    started = time.perf_counter()
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"找不到备份文件“{backup}”。 / Backup file not found: {backup}")
    current = info.database_path
    if backup.resolve() == current.resolve():
        raise BackupError("不能用档案自己的数据库文件来恢复。 / That is the profile's own database, not a backup.")
    folder = backup_folder(info)
    folder.mkdir(parents=True, exist_ok=True)
    sweep_stale(folder)
    sweep_stale(info.folder)
    work = info.folder / f"{DATABASE_FILE}.restore-{os.getpid()}.tmp"
    _remove_with_sidecars(work)
    try:
        try:
            shutil.copyfile(backup, work)
        except OSError as exc:
            raise (_full_disk_error(info.folder) if _disk_full(exc)
                   else BackupError(f"无法读取备份文件：{exc} / Cannot read the backup file: {exc}")) from exc
        try:
            check_backup(work, key, info)
        except ForeignBackup as exc:
            other = _other_profile(backup, info)
            if other is not None:
                raise ForeignBackup(f"这个备份属于另一个档案（{other}），不能恢复到这里。 / "
                                    f"This backup belongs to another profile ({other}); not restored here.") from exc
            if info.key_matches(key) is False or (info.key_matches(key) is None and current.exists()
                                                  and not _opens(current, key)):
                raise WrongPassword() from exc  # neither opens: the password is what is wrong
            raise
        try:
            _migrate_copy(work, key, info.folder / f".restore-migrate-{os.getpid()}")
        except ProfileError as exc:
            raise BackupError(f"{exc}") from exc
        safety, kept, carried, note = _switch(info, key, work, backup, username, keep)
    except BaseException:
        _remove_with_sidecars(work)
        raise
    log.info("restored %s (safety backup %s, %d unsynced changes kept)", backup.name, safety, kept)
    return RestoreResult(backup, safety, kept, carried, time.perf_counter() - started, note)


def _opens(path: Path, key: bytes) -> bool:
    try:
        conn = _open_target(path, key)
    except sqlcipher3.Error:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError as exc:
        return "locked" in str(exc)
    finally:
        conn.close()


def _switch(info: ProfileInfo, key: bytes, work: Path, backup: Path, username: str, keep: int
            ) -> tuple[Path | None, int, int, str]:
    """Steps 2 to 5 of the docstring: lock the current database, keep it, carry its outbox, rename."""
    current = info.database_path
    engine, connection = _locked_engine(work, key)
    safety: Path | None = None
    kept = carried = 0
    note = ""
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            state = _attach_current(raw, current, key)
            if state == "ok":
                safety = write_backup(raw, key, backup_folder(info), "restore", keep, source_name="cur",
                                      source_bytes=current.stat().st_size).path
            elif state == "damaged":
                safety = _raw_copy(current, backup_folder(info))
                note = ("当前档案已损坏，无法读出其中尚未同步的修改；原文件已原样保存为 "
                        f"{safety.name}。 / The current profile is damaged and its unsynced changes could not "
                        f"be read; its files are kept as they were in {safety.name}.")
            actor = Actor(username=username or _meta(raw, "username") or "local", device_id=info.device_id)
            try:
                with conn.begin():
                    if state == "ok":
                        kept, carried = _carry(conn)
                    conn.exec_driver_sql("DELETE FROM profile_meta WHERE key = ?", (INFO_KEY,))
                    with Session(bind=conn) as session:
                        append_audit(session, actor, "restore", "profile", info.device_id,
                                     f"{backup.name}; kept {kept} unsynced changes; safety {safety.name if safety else '-'}")
            except sqlcipher3.DatabaseError as exc:
                if state != "ok" or not _corrupt(exc):
                    raise
                # The current database is damaged further in than the quick look saw: restore the
                # backup as it is; the safety copy holds whatever the old file still has.
                note = (f"当前档案部分损坏（{exc}），其中尚未同步的修改没能带过来，仍保存在 {safety.name}。 / "
                        f"The current profile is partly damaged ({exc}); its unsynced changes stay in {safety.name}.")
                kept = carried = 0
                with conn.begin():
                    conn.exec_driver_sql("DELETE FROM profile_meta WHERE key = ?", (INFO_KEY,))
                    with Session(bind=conn) as session:
                        append_audit(session, actor, "restore", "profile", info.device_id,
                                     f"{backup.name}; current profile unreadable; safety {safety.name}")
            if state == "ok":  # fold and drop the current WAL: nothing of the old file may pair with the new
                raw.execute("PRAGMA cur.wal_checkpoint(TRUNCATE)").fetchone()
                raw.execute("PRAGMA cur.journal_mode = DELETE").fetchone()
            raw.execute("PRAGMA main.journal_mode = DELETE").fetchone()
    finally:
        engine.dispose()
        connection.close()  # releases the exclusive locks on both files
    _fsync(work)
    _remove_with_sidecars_only(current)
    os.replace(work, current)
    _fsync_dir(info.folder)
    return safety, kept, carried, note


def _remove_with_sidecars_only(database: Path) -> None:
    for suffix in ("-journal", "-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)


def _attach_current(raw: sqlcipher3.Connection, current: Path, key: bytes) -> str:
    """Attach and lock the profile's database as `cur`: 'ok', 'damaged' or 'missing'.
    Refuses (BackupError) when another program has it open."""
    if not current.exists():
        return "missing"
    in_use = BackupError("这个档案正被另一个程序（或另一个安居窗口）打开，不能恢复；请先关闭它再试。 / "
                         "The profile is open in another program (or another Anju window); close it and try again.")
    try:
        raw.execute(f"ATTACH DATABASE ? AS cur KEY {_pragma_key(key)}", (str(current),))
    except sqlcipher3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise in_use from exc
        return "damaged"
    except sqlcipher3.DatabaseError:
        return "damaged"
    try:
        raw.execute("BEGIN EXCLUSIVE")
        raw.execute("SELECT count(*) FROM cur.sqlite_master").fetchone()
        raw.execute("COMMIT")  # in exclusive locking mode the locks stay after the commit
    except sqlcipher3.OperationalError as exc:
        _rollback(raw)
        if "locked" in str(exc) or "busy" in str(exc):
            raise in_use from exc
        return _detach_damaged(raw)
    except sqlcipher3.DatabaseError:
        _rollback(raw)
        return _detach_damaged(raw)
    return "ok"  # readable: carried as far as it reads (a damaged page met on the way falls back, see _switch)


def _corrupt(exc: BaseException) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB: a damaged file, not a mistake of ours."""
    return sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in str(exc) \
        or "not a database" in str(exc)


def _rollback(raw: sqlcipher3.Connection) -> None:
    try:
        raw.execute("ROLLBACK")
    except sqlcipher3.Error:  # nothing was begun, or the file is the trouble: the caller goes on
        log.warning("rolling back on the restore's connection failed", exc_info=True)


def _detach_damaged(raw: sqlcipher3.Connection) -> str:
    try:
        raw.execute("DETACH DATABASE cur")
    except sqlcipher3.Error:  # it was never attached, or is unreadable: the restore goes on without it
        log.warning("detaching the damaged current database failed", exc_info=True)
    return "damaged"


def _raw_copy(current: Path, folder: Path) -> Path:
    """The files of a database that cannot be read, copied as they are under a backup's name."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"anju-{datetime.now():%Y%m%d-%H%M%S-%f}-restore.db"
    for suffix in ("-wal", ""):  # the main file last: its name is what marks the copy as complete
        source = Path(str(current) + suffix)
        if source.exists():
            tmp = Path(str(target) + suffix + ".tmp") if suffix else Path(str(target) + ".tmp")
            try:
                shutil.copyfile(source, tmp)
                _fsync(tmp)
                os.replace(tmp, Path(str(target) + suffix))
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                raise (_full_disk_error(folder) if _disk_full(exc) else
                       BackupError(f"无法保存当前档案：{exc} / Cannot keep the current profile: {exc}")) from exc
    _fsync_dir(folder)
    return target


def _meta(raw: sqlcipher3.Connection, key: str) -> str | None:
    for schema in ("cur", "main"):
        try:
            row = raw.execute(f"SELECT value FROM {schema}.profile_meta WHERE key = ?", (key,)).fetchone()
        except sqlcipher3.Error:
            continue
        if row:
            return row[0]
    return None


def _columns(conn, schema: str, table: str) -> list[str]:  # noqa: ANN001
    return [r[1] for r in conn.exec_driver_sql(f"PRAGMA {schema}.table_info({table})").fetchall()]


def _carry(conn) -> tuple[int, int]:  # noqa: ANN001 - a SQLAlchemy Connection inside its transaction
    """Step 4 of the docstring, on `main` (the backup's copy) from `cur` (the current profile)."""
    x = conn.exec_driver_sql
    x("PRAGMA defer_foreign_keys = ON")
    touched: set[str] = set()
    carried = 0
    waiting: dict[str, dict[str, dict[str, object]]] = {}  # entity -> row -> field -> its last value (wire)
    deleting: set[tuple[str, str]] = set()
    for entity, row_id, kind, saved in x("SELECT entity, row_id, kind, fields FROM cur.outbox ORDER BY seq"):
        fields = waiting.setdefault(entity, {}).setdefault(row_id, {})
        if kind == "delete":
            deleting.add((entity, row_id))
        else:
            fields.update(json.loads(saved))
    for entity, rows in waiting.items():
        model = SYNCED_ENTITIES.get(entity)
        if model is None:
            continue
        table = model.__table__  # type: ignore[attr-defined]
        cols = [c for c in _columns(conn, "cur", entity) if c in set(_columns(conn, "main", entity))]
        listed = f"SELECT row_id FROM cur.outbox WHERE entity = '{entity}'"
        has_household = "household_id" in cols
        in_backup = set(x(f"SELECT id FROM main.{entity} WHERE id IN ({listed})").scalars())
        if has_household:  # the households these records were in, as the backup had them
            touched.update(x(f"SELECT household_id FROM main.{entity} WHERE id IN ({listed})").scalars())
        # Records made after the backup: copied whole from the current profile.
        names = ", ".join(cols)
        x(f"INSERT INTO main.{entity} ({names}) SELECT {names} FROM cur.{entity} "
          f"WHERE id IN ({listed}) AND id NOT IN (SELECT id FROM main.{entity})")
        # Records the backup has: each field waiting to be sent takes the value the worker saved
        # (the outbox's, as the push would send it), a waiting delete its tombstone.
        now = utc_now()
        for row_id in in_backup:
            values = {name: from_wire(model, name, value) for name, value in rows[row_id].items() if name in table.c}
            if (entity, row_id) in deleting:
                values["deleted"] = True
            if values:
                conn.execute(update(table).where(table.c.id == row_id).values(**values, updated_at=now))
        carried += len(rows)
        if entity == "household":
            touched.update(rows)
        elif has_household:
            touched.update(x(f"SELECT household_id FROM main.{entity} WHERE id IN ({listed})").scalars())
    carried += _bring_parents(conn, touched)
    # The outbox, the frozen batch and the settings are the current profile's; the pull state the backup's.
    out_cols = ", ".join(c for c in _columns(conn, "cur", "outbox") if c in set(_columns(conn, "main", "outbox")))
    x("DELETE FROM main.outbox")
    x(f"INSERT INTO main.outbox ({out_cols}) SELECT {out_cols} FROM cur.outbox")
    kept = x(PENDING_RECORDS.format(schema="main.")).scalar_one()  # records, as the status bar counts them
    x(f"DELETE FROM main.profile_meta WHERE NOT ({_KEEP_FROM_BACKUP})")
    x(f"INSERT OR REPLACE INTO main.profile_meta (key, value) SELECT key, value FROM cur.profile_meta "
      f"WHERE NOT ({_KEEP_FROM_BACKUP}) AND key != '{INFO_KEY}'")
    _carry_audit(conn)
    touched.discard(None)  # type: ignore[arg-type]
    if touched:
        refresh_summaries(conn, sorted(t for t in touched if t))
    broken = x("PRAGMA main.foreign_key_check").fetchall()
    if broken:
        raise BackupError(f"恢复后有 {len(broken)} 处记录关联不完整，已撤销恢复，档案保持原样。 / "
                          f"The restore would leave {len(broken)} broken references; undone, the profile is unchanged.")
    return kept, carried


def _bring_parents(conn, touched: set[str]) -> int:  # noqa: ANN001
    """Copy from the current profile every parent a carried record points at and the backup lacks."""
    x = conn.exec_driver_sql
    copied = 0
    for _ in range(8):  # a member's household's settlement's area: a few levels at most
        broken = x("PRAGMA main.foreign_key_check").fetchall()
        wanted: dict[tuple[str, str], set[str]] = {}
        for table, rowid, parent, fkid in broken:
            fk = next((r for r in x(f"PRAGMA main.foreign_key_list({table})").fetchall() if r[0] == fkid), None)
            if fk is None:
                continue
            value = x(f"SELECT {fk[3]} FROM main.{table} WHERE rowid = ?", (rowid,)).scalar()
            wanted.setdefault((parent, fk[4] or "id"), set()).add(value)
        if not wanted:
            return copied
        before = copied
        for (parent, column), values in wanted.items():
            cols = [c for c in _columns(conn, "cur", parent) if c in set(_columns(conn, "main", parent))]
            names = ", ".join(cols)
            for value in values:
                copied += x(f"INSERT OR IGNORE INTO main.{parent} ({names}) SELECT {names} FROM cur.{parent} "
                            f"WHERE {column} = ?", (value,)).rowcount
                if parent == "household":
                    touched.add(value)
        if copied == before:
            return copied  # nothing more to be found: the check after the carry says so
    return copied


def _carry_audit(conn) -> None:  # noqa: ANN001
    """The lines the current audit log has after the backup's head, when it extends the backup's
    (the same line at that head): appended, as the log only ever is."""
    x = conn.exec_driver_sql
    head = x("SELECT seq, hash FROM main.audit_log ORDER BY seq DESC LIMIT 1").first() or (0, "")
    if head[0] and x("SELECT 1 FROM cur.audit_log WHERE seq = ? AND hash = ?", tuple(head)).first() is None:
        return
    cols = ", ".join(c for c in _columns(conn, "cur", "audit_log") if c in set(_columns(conn, "main", "audit_log")))
    x(f"INSERT INTO main.audit_log ({cols}) SELECT {cols} FROM cur.audit_log WHERE seq > ? ORDER BY seq", (head[0],))


def restore_folder(folder: Path, password: str, backup: str | Path, keep: int = KEEP) -> RestoreResult:
    """The command line's restore: the profile is closed; its password gives the key."""
    info = read_profile_info(folder)
    key = checked_key(info, password)  # the profile's pause after wrong passwords holds here too
    return restore_profile(info, key, resolve_backup(info, backup), keep=keep)


def list_folder(folder: Path, password: str) -> list[BackupFile]:
    """The command line's list: refuses a wrong password rather than calling every backup unreadable."""
    info = read_profile_info(folder)
    key = checked_key(info, password)  # the profile's pause after wrong passwords holds here too
    backups = list_backups(info, key)
    if (info.key_matches(key) is None and info.database_path.exists() and not _opens(info.database_path, key)
            and not any(b.readable for b in backups)):
        raise WrongPassword()
    return backups
