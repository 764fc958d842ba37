"""Rotating encrypted backups of a profile, and restoring one without losing what is not synced.

Until it syncs, a laptop holds the only copy of a worker's month. This module keeps copies of the
profile beside it and puts one back when the file is damaged or a day's work went wrong.

Taking a backup
- A backup is a whole SQLCipher database encrypted with the profile's own key, made with SQLite's
  online backup API from one of the store's read connections: one step of all pages, so the copy
  is one consistent snapshot however much the app writes meanwhile (WAL: readers do not block the
  writer). The copy is switched to a rollback journal (no -wal/-shm beside it) and a row
  `backup_info` is written into its profile_meta: when, why, the counts the restore dialog shows,
  and the head of the audit log (so a backup of an unchanged profile is not taken twice).
- Written atomically: into `<name>.tmp` (created exclusively), fsynced, then renamed; a failure
  (a full disk, an error, Ctrl+C) removes the .tmp and its journal; a kill leaves a `.tmp` that
  is never listed and is swept by a later backup once it is a quarter of an hour old. Before
  writing, the free space is checked: a backup never takes the last space the profile needs.
- Where: `backups/rotating/anju-YYYYMMDD-HHMMSS-ffffff-<kind>.db` inside the profile, apart from
  the pre-migration copies that core/store/migrate.py writes to `backups/`. Kinds: `daily` (when
  the app opens a profile and none was taken today), `sync` (before each sync that has changes
  to push and something new since the newest backup), `manual` (`main.py backup`, the dialog)
  and `restore` (the state just before a restore). Rotation keeps the newest N of each kind
  (N = KEEP unless the caller says otherwise) and deletes only files matching that exact pattern
  in that folder: nothing it did not make, nothing else in the profile.

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

import errno
import json
import logging
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from core.models import SYNCED_ENTITIES, utc_now
from core.store import migrate
from core.store.journal import Actor, append_audit
from core.store.profile import (
    DATABASE_FILE, PROFILE_FILE, ProfileError, ProfileInfo, WrongPassword, checked_key, read_profile_info,
)
from core.store.summary import refresh_summaries
from core.wire_values import from_wire

if TYPE_CHECKING:
    from core.store.store import Store

log = logging.getLogger(__name__)

KEEP = 7                       # backups kept of each kind (the GUI's setting backup/keep overrides it)
ROTATING_DIR = "rotating"      # under the profile's backups/ folder
KINDS = {"daily": ("每日", "daily"), "sync": ("同步前", "before sync"), "manual": ("手动", "manual"),
         "restore": ("恢复前", "before restore")}
NAME = re.compile(r"^anju-(\d{8})-(\d{6})-(\d{6})-(daily|sync|manual|restore)\.db$")
INFO_KEY = "backup_info"
STALE_SECONDS = 15 * 60        # a .tmp untouched this long belongs to a backup that was killed
SPACE_MARGIN = 32 * 2**20      # free space left over after a backup, at the least
BUSY_MS = 3000                 # how long a restore waits for the profile to be let go
_KEEP_FROM_BACKUP = "key = 'pull_cursor' OR key LIKE 'pull\\_%' ESCAPE '\\'"  # pull state goes with the data


class BackupError(ProfileError):
    """A backup or a restore that could not be done; the message says why (Chinese / English)."""


class ForeignBackup(BackupError):
    """The file does not open with this profile's key."""


@dataclass(frozen=True)
class BackupFile:
    """A rotating backup as the list shows it."""

    path: Path
    kind: str
    taken_at: datetime            # local time, from the name
    size: int                     # bytes
    households: int | None = None
    members: int | None = None
    pending: int | None = None    # outbox entries (changes not yet synced) it holds
    problem: str = ""             # why it cannot be read; empty when it can

    @property
    def readable(self) -> bool:
        return not self.problem

    def kind_label(self, lang: str = "zh") -> str:
        zh, en = KINDS[self.kind]
        return en if lang == "en" else zh


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str
    seconds: float
    size: int
    households: int
    members: int
    pending: int
    removed: list[Path] = field(default_factory=list)  # older backups rotated away

    def as_dict(self) -> dict:
        return {"file": str(self.path), "kind": self.kind, "ms": round(self.seconds * 1000, 1),
                "size_mb": round(self.size / 2**20, 2), "households": self.households, "members": self.members,
                "pending_changes": self.pending, "removed": [p.name for p in self.removed]}


@dataclass(frozen=True)
class RestoreResult:
    backup: Path
    safety: Path | None          # the state before the restore, kept as a backup (None: there was no profile)
    kept_changes: int            # outbox entries (unsynced changes) carried over
    carried_records: int         # records given their unsynced values, or copied whole
    seconds: float
    note: str = ""               # what the user should know besides (Chinese / English)

    def as_dict(self) -> dict:
        return {"restored": str(self.backup), "safety_backup": str(self.safety) if self.safety else None,
                "kept_unsynced_changes": self.kept_changes, "carried_records": self.carried_records,
                "ms": round(self.seconds * 1000, 1), "note": self.note}

    def message(self) -> str:
        text = (f"已恢复备份 {self.backup.name}；保留了 {self.kept_changes} 项尚未同步的修改。"
                + (f"恢复前的档案已另存为备份 {self.safety.name}，如需可再恢复它。" if self.safety else ""))
        en = (f"Restored {self.backup.name}; kept {self.kept_changes} unsynced changes."
              + (f" The profile as it was is kept as the backup {self.safety.name}." if self.safety else ""))
        return f"{text} / {en}" + (f"\n{self.note}" if self.note else "")


def backup_folder(info: ProfileInfo) -> Path:
    return info.backup_dir / ROTATING_DIR


# -- connections ------------------------------------------------------------------------------------
def _pragma_key(key: bytes) -> str:
    return f"\"x'{key.hex()}'\""


def _open_target(path: Path, key: bytes) -> sqlcipher3.Connection:
    """A new database file keyed like the profile (tests wrap this to make a disk fill up)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_pragma_key(key)}")
    return conn


def _open_read_only(path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                              check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_pragma_key(key)}")
    return conn


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY if path.is_dir() else os.O_RDWR)  # Windows commits only a writable handle
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename itself
    _fsync(folder)


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _disk_full(exc: BaseException) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == 13 or getattr(exc, "errno", None) == errno.ENOSPC \
        or "disk is full" in str(exc)


def _full_disk_error(folder: Path) -> BackupError:
    return BackupError(f"磁盘空间不足，备份没有写成（没有留下不完整的文件）。请清理磁盘后再试。 / "
                       f"The disk is full: the backup was not written (nothing half-written is left). "
                       f"Free some space in {folder} and try again.")


# -- taking backups ---------------------------------------------------------------------------------
def _state(conn: sqlcipher3.Connection) -> dict:
    """What the backup holds, read from the copy itself (one snapshot by construction)."""
    def one(sql: str, default: object = None) -> object:
        try:
            row = conn.execute(sql).fetchone()
        except sqlcipher3.OperationalError:  # a table this schema does not have
            return default
        return row if row is not None else default

    households, members = one("SELECT count(*), coalesce(sum(member_count), 0) FROM household_summary", (0, 0))
    pending = one("SELECT count(*) FROM outbox", (0,))[0]
    head = one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", (0, ""))
    revision = one("SELECT version_num FROM alembic_version", ("",))[0]
    return {"households": households, "members": members, "pending": pending, "audit_seq": head[0],
            "audit_hash": head[1], "schema": revision}


def write_backup(source: sqlcipher3.Connection, key: bytes, folder: Path, kind: str, keep: int = KEEP,
                 source_name: str = "main", source_bytes: int = 0) -> BackupResult:
    """Copy database `source_name` of the open connection `source` (keyed with `key`) into a new
    rotating backup of `kind` in `folder`, atomically; then rotate. Raises BackupError."""
    if kind not in KINDS:
        raise ValueError(f"unknown backup kind {kind!r}")
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    sweep_stale(folder)
    free = shutil.disk_usage(folder).free
    if free < source_bytes + SPACE_MARGIN:
        log.warning("backup skipped: %s bytes free, %s needed", free, source_bytes + SPACE_MARGIN)
        raise _full_disk_error(folder)
    now = datetime.now()
    final = folder / f"anju-{now:%Y%m%d-%H%M%S-%f}-{kind}.db"
    tmp = Path(str(final) + ".tmp")
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        target = _open_target(tmp, key)
        try:
            source.backup(target, name=source_name)
            target.execute("PRAGMA journal_mode = DELETE").fetchone()  # a lone file: no -wal beside it
            state = _state(target)
            info = {**state, "kind": kind, "taken_at": now.isoformat(timespec="seconds")}
            target.execute("INSERT OR REPLACE INTO profile_meta (key, value) VALUES (?, ?)",
                           (INFO_KEY, json.dumps(info)))
        finally:
            target.close()
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync_dir(folder)
    except BaseException as exc:
        _remove_with_sidecars(tmp)
        if _disk_full(exc):
            raise _full_disk_error(folder) from exc
        if isinstance(exc, (sqlcipher3.Error, OSError)):
            raise BackupError(f"备份失败：{exc} / The backup failed: {exc}") from exc
        raise
    removed = rotate(folder, keep)
    return BackupResult(final, kind, time.perf_counter() - started, final.stat().st_size, state["households"],
                        state["members"], state["pending"], removed)


def sweep_stale(folder: Path, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove what a killed backup or restore left: our .tmp files (and their journals) that nobody
    has touched for a while. Files of any other name are never touched."""
    removed = []
    if not folder.is_dir():
        return removed
    now = time.time()
    for path in folder.iterdir():
        name = path.name
        base, dot_tmp, rest = name.partition(".tmp")
        ours = (NAME.match(base) is not None or re.fullmatch(rf"{re.escape(DATABASE_FILE)}\.restore-\d+", base)) \
            and dot_tmp and rest in ("", "-journal", "-wal", "-shm")
        if not ours:
            continue
        try:
            if now - path.stat().st_mtime > older_than:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            pass
    return removed


def rotate(folder: Path, keep: int = KEEP) -> list[Path]:
    """Keep the newest `keep` backups of each kind; delete the older ones that this module made."""
    keep = max(1, int(keep))
    by_kind: dict[str, list[Path]] = {}
    for path in folder.iterdir() if folder.is_dir() else ():
        match = NAME.match(path.name)
        if match and path.is_file():
            by_kind.setdefault(match.group(4), []).append(path)
    removed = []
    for paths in by_kind.values():
        for old in sorted(paths, key=lambda p: p.name, reverse=True)[keep:]:
            _remove_with_sidecars(old)
            removed.append(old)
    return removed


def _parse_name(path: Path) -> tuple[str, datetime] | None:
    match = NAME.match(path.name)
    if match is None:
        return None
    day, clock, micro, kind = match.groups()
    return kind, datetime.strptime(f"{day}{clock}{micro}", "%Y%m%d%H%M%S%f")


def read_info(path: Path, key: bytes) -> dict:
    """The backup_info a backup carries; raises sqlcipher3.DatabaseError when it cannot be read."""
    conn = _open_read_only(path, key)
    try:
        row = conn.execute("SELECT value FROM profile_meta WHERE key = ?", (INFO_KEY,)).fetchone()
    finally:
        conn.close()
    return json.loads(row[0]) if row else {}


def list_backups(info: ProfileInfo, key: bytes) -> list[BackupFile]:
    """The rotating backups of a profile, newest first, with what each holds."""
    folder = backup_folder(info)
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        parsed = _parse_name(path)
        if parsed is None or not path.is_file():
            continue
        kind, taken_at = parsed
        size = path.stat().st_size
        try:
            meta = read_info(path, key)
        except (sqlcipher3.Error, ValueError) as exc:
            found.append(BackupFile(path, kind, taken_at, size, problem=_unreadable(exc)))
            continue
        found.append(BackupFile(path, kind, taken_at, size, meta.get("households"), meta.get("members"),
                                meta.get("pending")))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def _unreadable(exc: BaseException) -> str:
    return (f"无法读取：文件已损坏，或不属于这个档案（{exc}） / "
            f"Cannot be read: damaged, or not a backup of this profile ({exc})")


class Backups:
    """The backups of an open store (`store.backups`): take, list, and restore one."""

    def __init__(self, store: Store):
        self.store = store
        self.keep = KEEP
        self.last_error = ""  # why the last automatic backup failed, for the dialog; empty when it did not

    @property
    def folder(self) -> Path:
        return backup_folder(self.store.info)

    def take(self, kind: str = "manual") -> BackupResult:
        store = self.store
        database = store.info.database_path
        size = sum(p.stat().st_size for p in (database, Path(str(database) + "-wal")) if p.exists())
        raw = store._reader.raw_connection()  # noqa: SLF001 - the store's own read pool, keyed already
        try:
            result = write_backup(raw.driver_connection, store._key, self.folder, kind, self.keep,  # noqa: SLF001
                                  source_bytes=size)
        finally:
            raw.close()
        self.last_error = ""
        log.info("backup %s: %.0f ms, %.1f MB", result.path.name, result.seconds * 1000, result.size / 2**20)
        return result

    def list(self) -> list[BackupFile]:
        return list_backups(self.store.info, self.store._key)  # noqa: SLF001

    def daily(self, today: date | None = None) -> BackupResult | None:
        """The day's backup, unless one was taken today already."""
        stamp = (today or date.today()).strftime("%Y%m%d")
        for path in self.folder.iterdir() if self.folder.is_dir() else ():
            match = NAME.match(path.name)
            if match and match.group(4) == "daily" and match.group(1) == stamp:
                return None
        return self._automatic("daily")

    def before_sync(self) -> BackupResult | None:
        """A backup before a sync sends anything: none when the outbox is empty (all is on the server
        already) or nothing changed since the newest backup. Never raises: a sync is the better
        protection, so a failed backup is logged and kept in `last_error`, and the sync goes on."""
        if self.store.pending_change_count() == 0:
            return None
        newest = next((b for b in self.list() if b.readable), None)
        if newest is not None:
            try:
                held = read_info(newest.path, self.store._key)  # noqa: SLF001
            except (sqlcipher3.Error, ValueError):
                held = {}
            if held and (held.get("audit_seq"), held.get("audit_hash"), held.get("pending")) == self._head():
                return None
        return self._automatic("sync")

    def _head(self) -> tuple:
        with self.store.reading() as s:
            conn = s.connection()
            head = conn.exec_driver_sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first() or (0, "")
            pending = conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar()
        return head[0], head[1], pending

    def _automatic(self, kind: str) -> BackupResult | None:
        try:
            return self.take(kind)
        except BackupError as exc:
            self.last_error = str(exc)
            log.warning("automatic %s backup failed: %s", kind, exc)
            return None

    def restore(self, backup: Path) -> RestoreResult:
        """Close the store, restore `backup` into its profile, and open it again (whatever happened)."""
        store = self.store
        info, key, username = store.info, store._key, store.actor.username  # noqa: SLF001
        store.close()
        try:
            return restore_profile(info, key, Path(backup), username, self.keep)
        finally:
            store.__init__(info, key, username)  # the same object, so every window keeps its store


# -- restoring --------------------------------------------------------------------------------------
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
    engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)

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
    return getattr(exc, "sqlite_errorcode", None) in (11, 26) or "malformed" in str(exc) \
        or "not a database" in str(exc)


def _rollback(raw: sqlcipher3.Connection) -> None:
    try:
        raw.execute("ROLLBACK")
    except sqlcipher3.Error:
        pass


def _detach_damaged(raw: sqlcipher3.Connection) -> str:
    try:
        raw.execute("DETACH DATABASE cur")
    except sqlcipher3.Error:
        pass
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
    for entity, row_id, kind, name, value in x("SELECT entity, row_id, kind, field, value FROM cur.outbox ORDER BY seq"):
        fields = waiting.setdefault(entity, {}).setdefault(row_id, {})
        if kind == "delete":
            deleting.add((entity, row_id))
        elif name:
            fields[name] = value
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
            values = {name: from_wire(model, name, _json(raw)) for name, raw in rows[row_id].items() if name in table.c}
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
    kept = x(f"INSERT INTO main.outbox ({out_cols}) SELECT {out_cols} FROM cur.outbox").rowcount
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


def _json(raw: object) -> object:
    """An outbox value as stored: JSON text, or a number SQLite's NUMERIC affinity made of it."""
    return json.loads(raw) if isinstance(raw, (str, bytes)) else raw


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
