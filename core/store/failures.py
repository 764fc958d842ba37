"""Why a profile would not open, or a save would not write, in words the worker can act on.

SQLCipher answers "file is not a database" both for a wrong key and for a damaged first page,
and SQLite wraps a full disk, a file another program holds and a folder without permission in
the same exception class. A wrong password is only what the key check in profile.json (or, for a
profile made before it, a file that still looks whole) says it is: everything else is named for
what it is and never feeds the wrong-password pause.
"""
from __future__ import annotations

import errno
import logging
import shutil
from pathlib import Path

from core.store.profile import PAGE_SIZE, ProfileError, WrongPassword

log = logging.getLogger(__name__)

# SQLite's primary result codes (an extended code's low byte)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_AUTH, SQLITE_NOTADB = 10, 11, 13, 14, 23, 26


class ProfileDamaged(ProfileError):
    code = "damaged"

    def __init__(self, zh: str, en: str | None = None) -> None:
        self.detail = en or zh
        super().__init__(f"档案文件已损坏（{zh}），无法正常读取。请从备份恢复（设置 → 备份与恢复，或 main.py restore）。 / "
                         f"The profile's database file is damaged ({en or zh}); restore a backup (main.py restore).")


class DiskFull(ProfileError):
    code = "disk_full"

    def __init__(self) -> None:
        super().__init__("磁盘已满，档案写不进去。请删除一些不用的文件腾出空间后再试；刚才输入的内容还在，没有丢失。 / "
                         "The disk is full: free some space and try again; what you typed is kept.")


class ProfileBusy(ProfileError):
    code = "busy"

    def __init__(self) -> None:
        super().__init__("另一个程序正在使用此档案（可能是另一个安居窗口）。请关闭它后再试。 / "
                         "Another program holds the profile open (perhaps another Anju window): close it and try again.")


class ProfileNoAccess(ProfileError):
    code = "no_access"

    def __init__(self, path: Path) -> None:
        super().__init__(f"没有读写“{path}”的权限，请检查文件夹权限或换一个位置。 / "
                         f"No permission to read and write {path}: check the folder's permissions.")


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a driver error, or of the one SQLAlchemy wraps."""
    inner = getattr(exc, "orig", None) or exc
    code = getattr(inner, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def write_failure(exc: BaseException) -> ProfileError | None:
    """The words for a failed write that is not the worker's doing (None: not one of those)."""
    code = sqlite_code(exc)
    if code == SQLITE_FULL or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return DiskFull()
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return ProfileBusy()
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return ProfileDamaged("写入时发现数据页损坏", "a damaged page met while writing")
    return None


def open_failure(exc: BaseException, database: Path, key_confirmed: bool) -> ProfileError:
    """What an exception raised while opening a profile means for the worker."""
    if isinstance(exc, ProfileError):
        return exc
    code = sqlite_code(exc)
    if code == SQLITE_NOTADB:
        if key_confirmed:  # the key is right, so the file is not
            log.warning("a profile's first page does not decrypt with the right key", exc_info=exc)
            return ProfileDamaged("文件头无法解密", "its first page does not decrypt")
        shape = damage_of_shape(database)
        return ProfileDamaged(*shape) if shape else WrongPassword()
    log.warning("opening a profile failed", exc_info=exc)
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN) or isinstance(exc, OSError):
        if _disk_nearly_full(database.parent):  # no room for the -shm or -wal file SQLite makes at open
            return DiskFull()
    known = write_failure(exc)
    if known is not None:
        return known
    if isinstance(exc, PermissionError) or code in (SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_AUTH):
        return ProfileNoAccess(database)
    if code == SQLITE_IOERR or isinstance(exc, OSError):
        return ProfileDamaged(f"读写出错：{exc}", f"a read or write failed: {exc}")
    return ProfileDamaged(f"{type(exc).__name__}: {exc}")


def damage_of_shape(database: Path) -> tuple[str, str] | None:
    """What is visibly wrong with the file without the key (missing, empty, cut short), in Chinese
    and in English."""
    try:
        size = database.stat().st_size
    except FileNotFoundError:
        return "找不到数据文件 anju.db", "anju.db is missing"
    if size == 0:
        return "数据文件 anju.db 是空的", "anju.db is empty"
    if size % PAGE_SIZE:
        return f"数据文件不完整，只有 {size} 字节", f"anju.db is cut short at {size} bytes"
    return None


def _disk_nearly_full(folder: Path, margin: int = 4 * 2**20) -> bool:
    try:
        return shutil.disk_usage(folder).free < margin
    except OSError:
        return False
