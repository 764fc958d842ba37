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

Restoring one is core/store/restore.py.
"""
from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from core.store.failures import SQLITE_FULL, sqlite_code
from core.store.profile import DATABASE_FILE, ProfileError, ProfileInfo

if TYPE_CHECKING:
    from core.store.store import Store

log = logging.getLogger(__name__)

# The records waiting to be synced (one op each in a push; Store.pending_change_count counts the same).
PENDING_RECORDS = "SELECT count(*) FROM (SELECT DISTINCT entity, row_id FROM {schema}outbox)"
KEEP = 7                       # backups kept of each kind (the GUI's setting backup/keep overrides it)
ROTATING_DIR = "rotating"      # under the profile's backups/ folder
KINDS = {"daily": ("每日", "daily"), "sync": ("同步前", "before sync"), "manual": ("手动", "manual"),
         "restore": ("恢复前", "before restore")}
NAME = re.compile(r"^anju-(\d{8})-(\d{6})-(\d{6})-(daily|sync|manual|restore)\.db$")
INFO_KEY = "backup_info"
# A sync starts a minute after each save (the GUI's sync/after_save_seconds): a copy before each would
# fill the rotation with near-equal copies and cost every sync the copy's time (a quarter of a second
# at 2,500 households). One every half hour at most, as Anki's periodic backups.
SYNC_BACKUP_EVERY = timedelta(minutes=30)
STALE_SECONDS = 15 * 60        # a .tmp untouched this long belongs to a backup that was killed
SPACE_MARGIN = 32 * 2**20      # free space left over after a backup, at the least


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
    pending: int | None = None    # records with changes not yet synced that it holds
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
    kept_changes: int            # records with unsynced changes carried over
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
    return sqlite_code(exc) == SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC \
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
    pending = one(PENDING_RECORDS.format(schema=""), (0,))[0]
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
            raise backup_failed(exc) from exc
        raise
    removed = rotate(folder, keep)
    return BackupResult(final, kind, time.perf_counter() - started, final.stat().st_size, state["households"],
                        state["members"], state["pending"], removed)


def backup_failed(exc: BaseException) -> BackupError:
    """The error of a backup the driver or the disk refused, in the words the backup dialog shows."""
    return BackupError(f"备份失败：{exc} / The backup failed: {exc}")


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
        raw = self.store._reader.raw_connection()  # noqa: SLF001 - the store's own read pool, keyed already
        try:
            return self._copy(raw.driver_connection, kind)
        finally:
            raw.close()

    def _copy(self, source: sqlcipher3.Connection, kind: str) -> BackupResult:
        """A backup of what `source`, a connection of the store's read pool, sees (its own transaction's
        state, when one is open)."""
        store = self.store
        database = store.info.database_path
        size = sum(p.stat().st_size for p in (database, Path(str(database) + "-wal")) if p.exists())
        result = write_backup(source, store._key, self.folder, kind, self.keep, source_bytes=size)  # noqa: SLF001
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

    def before_sync(self, now: datetime | None = None, pending: int | None = None) -> BackupResult | None:
        """A backup before a sync sends anything: none when the outbox is empty (all is on the server
        already), nothing changed since the newest backup, or the last one before a sync is less than
        SYNC_BACKUP_EVERY old. Never raises: a sync is the better protection, so a failed backup is
        logged and kept in `last_error`, and the sync goes on. `pending`: the records waiting, when
        the caller has just counted them."""
        return self.begin_before_sync(now, pending).wait()

    def begin_before_sync(self, now: datetime | None = None, pending: int | None = None) -> BackupUnderWay:
        """`before_sync`, written beside the sync (BackupUnderWay): the copy holds the profile as it is
        when this returns, whatever the sync writes meanwhile; its `wait()` gives what before_sync gives."""
        if not self._wanted_before_sync(now, pending):
            return BackupUnderWay()
        raw = self.store._reader.raw_connection()  # noqa: SLF001
        try:  # the state copied is this one: a read transaction begun now (WAL keeps it while others write)
            raw.driver_connection.execute("BEGIN")
            raw.driver_connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.Error as exc:
            raw.close()
            self.last_error = str(backup_failed(exc))
            log.warning("automatic sync backup failed: it could not begin", exc_info=True)
            return BackupUnderWay()
        return BackupUnderWay(self, raw)

    def _wanted_before_sync(self, now: datetime | None, pending: int | None) -> bool:
        if (self.store.pending_change_count() if pending is None else pending) == 0:
            return False
        backups = self.list()
        last_sync_copy = next((b for b in backups if b.kind == "sync"), None)
        if last_sync_copy is not None and (now or datetime.now()) - last_sync_copy.taken_at < SYNC_BACKUP_EVERY:
            return False
        newest = next((b for b in backups if b.readable), None)
        if newest is not None:
            try:
                held = read_info(newest.path, self.store._key)  # noqa: SLF001
            except (sqlcipher3.Error, ValueError):
                log.warning("the newest backup's facts cannot be read; taking a new one", exc_info=True)
                held = {}
            if held and (held.get("audit_seq"), held.get("audit_hash"), held.get("pending")) == self._head():
                return False
        return True

    def _head(self) -> tuple:
        with self.store.reading() as s:
            conn = s.connection()
            head = conn.exec_driver_sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first() or (0, "")
            pending = conn.exec_driver_sql(PENDING_RECORDS.format(schema="")).scalar()
        return head[0], head[1], pending

    def _automatic(self, kind: str, source: sqlcipher3.Connection | None = None) -> BackupResult | None:
        try:
            return self.take(kind) if source is None else self._copy(source, kind)
        except BackupError as exc:
            self.last_error = str(exc)
            log.warning("automatic %s backup failed: %s", kind, exc)
            return None

    def restore(self, backup: Path) -> RestoreResult:
        """Close the store, restore `backup` into its profile, and open it again (whatever happened)."""
        store = self.store
        info, key, username = store.info, store._key, store.actor.username  # noqa: SLF001
        store.close()
        from core.store.restore import restore_profile

        try:
            return restore_profile(info, key, Path(backup), username, self.keep)
        finally:
            store.__init__(info, key, username)  # the same object, so every window keeps its store


class BackupUnderWay:
    """The backup before a sync, written in a thread of its own while the sync pushes and pulls: the
    copy (mostly SQLCipher's C, which lets Python run) and the server's work overlap instead of
    following each other. It copies the profile as its read transaction saw it when it began, before
    the sync wrote anything. Made without a connection, it stands for no backup. `wait()` gives the
    result, None when none was taken or it failed (logged, and kept in `Backups.last_error`)."""

    def __init__(self, backups: Backups | None = None, raw: Any = None) -> None:
        self._result: BackupResult | None = None
        self._thread: threading.Thread | None = None
        if backups is not None:
            self._thread = threading.Thread(target=self._run, args=(backups, raw), name="backup-before-sync",
                                            daemon=True)
            self._thread.start()

    def _run(self, backups: Backups, raw: Any) -> None:
        try:
            self._result = backups._automatic("sync", raw.driver_connection)  # noqa: SLF001
        except Exception as exc:  # noqa: BLE001 - a thread's error is logged here or never seen
            backups.last_error = str(backup_failed(exc))  # said in both languages, as the dialog shows it
            log.exception("automatic sync backup failed")
        finally:
            try:
                raw.driver_connection.execute("ROLLBACK")  # the read transaction it copied from
            except sqlcipher3.Error:
                log.warning("the backup's read transaction could not be ended", exc_info=True)
            raw.close()

    @property
    def taking(self) -> bool:
        """Whether a copy is being taken (or was)."""
        return self._thread is not None

    def wait(self) -> BackupResult | None:
        if self._thread is not None:
            self._thread.join()
        return self._result
