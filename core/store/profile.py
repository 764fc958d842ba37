"""A profile: one folder holding one SQLCipher database, keyed by the worker's password.

The key is derived from the password by scrypt (a slow, memory-hard KDF) with a random salt
kept beside the database in profile.json; the database itself is encrypted with that raw key,
so a stolen laptop shows nothing readable and a wrong password opens nothing.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import os
import secrets
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

log = logging.getLogger(__name__)

PROFILE_FILE = "profile.json"
DATABASE_FILE = "anju.db"
PAGE_SIZE = 4096  # SQLCipher 4's page: an encrypted file is a whole number of them
BACKUP_DIR = "backups"

# scrypt cost of new profiles: 64 MiB and 0.2-0.3 s per derivation on a 2-core laptop (bench/kdf.py),
# so opening stays well under a second while a copy of the profile yields an attacker about three
# guesses a second per core (and the same memory per guess on a GPU). Each profile keeps its own
# cost in profile.json, so raising this later changes only profiles made after.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**16, 8, 1


from core.errors import ProfileError  # noqa: E402 - defined without the store, for the county server's commands


class WrongPassword(ProfileError):
    def __init__(self, failures: int = 0, wait_seconds: int = 0) -> None:
        self.failures, self.wait_seconds = failures, wait_seconds
        zh, en = "密码不正确，无法打开此档案。", "The password is wrong; the profile was not opened."
        if wait_seconds:
            zh += f"已连续错 {failures} 次，为保护资料，请 {wait_seconds} 秒后再试。"
            en += f" {failures} failures in a row: try again in {wait_seconds} s."
        super().__init__(f"{zh} / {en}")


class TooManyAttempts(ProfileError):
    """The profile waits after wrong passwords; no attempt is taken, not even the right one."""

    def __init__(self, failures: int, wait_seconds: int) -> None:
        self.failures, self.wait_seconds = failures, wait_seconds
        super().__init__(f"密码已连续错 {failures} 次，为保护资料，请 {wait_seconds} 秒后再试。 / "
                         f"{failures} wrong passwords in a row: try again in {wait_seconds} s.")


@dataclass(frozen=True)
class ProfileInfo:
    """What profile.json holds: how to derive the key, and who this device is."""

    folder: Path
    salt: bytes
    n: int
    r: int
    p: int
    device_id: str
    display_name: str
    key_check: str | None = None  # proves a key right or wrong without the database (profiles since 0.1)

    @property
    def database_path(self) -> Path:
        return self.folder / DATABASE_FILE

    @property
    def backup_dir(self) -> Path:
        return self.folder / BACKUP_DIR

    def derive_key(self, password: str) -> bytes:
        if not password:
            raise ProfileError("请输入密码。 / Please enter the password.")
        return hashlib.scrypt(password.encode("utf-8"), salt=self.salt, n=self.n, r=self.r, p=self.p,
                              maxmem=128 * self.n * self.r * 2, dklen=32)

    def key_matches(self, key: bytes) -> bool | None:
        """True or False when profile.json holds a key check, None for a profile made before it."""
        if self.key_check is None:
            return None
        return hmac.compare_digest(self.key_check, key_check(key))


def key_check(key: bytes) -> str:
    """An HMAC of a fixed text under the key: tells a wrong password from a damaged file. It gives
    an attacker nothing the database's own first page does not (each guess still costs a scrypt)."""
    return hmac.new(key, b"anju profile key check", hashlib.sha256).hexdigest()


def remember_key_check(info: ProfileInfo, key: bytes) -> ProfileInfo:
    """Add the key check to profile.json of a profile made before it (written beside, renamed)."""
    path = info.folder / PROFILE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["key_check"] = key_check(key)
        _write_json(path, raw)
    except (OSError, ValueError):
        log.warning("could not add the key check to %s", path, exc_info=True)
        return info
    return replace(info, key_check=raw["key_check"])


def _write_json(path: Path, raw: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def is_profile(folder: Path) -> bool:
    return (Path(folder) / PROFILE_FILE).is_file()


def read_profile_info(folder: Path) -> ProfileInfo:
    folder = Path(folder)
    path = folder / PROFILE_FILE
    if not path.is_file():
        raise ProfileError(f"“{folder}”不是安居档案文件夹（缺少 {PROFILE_FILE}）。 / {folder} is not an Anju profile.")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        kdf = raw["kdf"]
        return ProfileInfo(folder=folder, salt=bytes.fromhex(kdf["salt"]), n=int(kdf["n"]), r=int(kdf["r"]),
                           p=int(kdf["p"]), device_id=raw["device_id"], display_name=raw.get("display_name", ""),
                           key_check=raw.get("key_check"))
    except (ValueError, KeyError, TypeError) as exc:
        raise ProfileError(f"档案信息文件 {PROFILE_FILE} 已损坏：{exc} / {PROFILE_FILE} is damaged.") from exc


def create_profile_info(folder: Path, display_name: str = "", device_id: str | None = None) -> ProfileInfo:
    """Write profile.json for a new profile; refuses to overwrite an existing profile."""
    folder = Path(folder)
    if is_profile(folder) or (folder / DATABASE_FILE).exists():
        raise ProfileError(f"“{folder}”中已有档案，不能覆盖。 / A profile already exists in {folder}.")
    folder.mkdir(parents=True, exist_ok=True)
    info = ProfileInfo(folder=folder, salt=secrets.token_bytes(16), n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                       device_id=device_id or f"dev-{uuid.uuid4().hex[:12]}", display_name=display_name)
    raw = {"format": 1, "device_id": info.device_id, "display_name": display_name,
           "kdf": {"name": "scrypt", "salt": info.salt.hex(), "n": info.n, "r": info.r, "p": info.p}}
    _write_json(folder / PROFILE_FILE, raw)
    return info


def check_new_profile_folder(folder: Path) -> None:
    """A new profile goes into a folder that does not exist yet or is empty; never over files."""
    if is_profile(folder) or (folder / DATABASE_FILE).exists():
        raise ProfileError(f"“{folder}”中已有档案，不能覆盖。 / A profile already exists in {folder}.")
    if folder.exists() and not folder.is_dir():
        raise ProfileError(f"“{folder}”是一个文件，不是文件夹。 / {folder} is a file, not a folder.")
    if folder.is_dir() and any(folder.iterdir()):
        raise ProfileError(f"文件夹“{folder}”不是空的，也不是安居档案；请选一个空文件夹或新文件夹。 / "
                           f"{folder} is not empty and not an Anju profile: choose an empty or new folder.")


@contextmanager
def building(folder: Path) -> Iterator[Path]:
    """A new profile is built in a hidden folder beside `folder` and renamed into place whole.

    A kill at any moment leaves either no profile at `folder` or a complete one, so the same
    command can simply run again. An error or Ctrl+C removes the work folder (made in this run);
    a SIGKILL can leave only that hidden `.NAME.anju-new-…` folder behind, never touching `folder`.
    """
    folder = Path(folder).absolute()  # "." or "p": the work folder goes beside it, not inside
    check_new_profile_folder(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    for stale in folder.parent.glob(f".{folder.name}{WORK_SUFFIX}*"):
        log.warning("an unfinished profile of an earlier run was left at %s; it may be deleted", stale)
    work = folder.parent / f".{folder.name}{WORK_SUFFIX}{secrets.token_hex(4)}"
    work.mkdir()
    try:
        yield work
        _move_into_place(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


WORK_SUFFIX = ".anju-new-"


def _move_into_place(work: Path, folder: Path) -> None:
    check_new_profile_folder(folder)  # again: another program may have used the name meanwhile
    for attempt in range(5):
        try:
            os.rename(work, folder)  # POSIX replaces an empty folder in one step
            break
        except PermissionError:  # Windows: a virus scanner still reading the new files; try again
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
        except OSError:
            if not (folder.is_dir() and not any(folder.iterdir())):
                raise
            folder.rmdir()  # Windows: the empty folder the user chose gives way to the profile
            os.rename(work, folder)
            break
    if hasattr(os, "O_DIRECTORY"):  # the rename itself survives a power cut
        try:
            fd = os.open(folder.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:  # some file systems (network shares) refuse it; the profile is whole all the same
            log.warning("could not flush the folder holding %s", folder, exc_info=True)


FREE_ATTEMPTS = 5
ATTEMPTS_FILE = "login_failures.json"


@dataclass(frozen=True)
class Attempts:
    """Wrong passwords in a row for one profile, kept in the profile folder itself, so every way in
    (the start dialog, the lock, every command) and every spelling of the path, a symlink or a
    copy of the folder, share them."""

    failures: int = 0
    until: float = 0.0  # no attempt is taken before this time (seconds since the epoch)

    def wait_seconds(self, now: float) -> int:
        """Never longer than the pause the failures call for, so a clock set back (a dead clock
        battery) or a hand-edited file cannot lock the worker out for years."""
        if not math.isfinite(self.until):
            return login_pause_seconds(max(self.failures, FREE_ATTEMPTS))
        return max(0, min(math.ceil(self.until - now), login_pause_seconds(self.failures)))


def read_attempts(folder: Path) -> Attempts:
    path = Path(folder) / ATTEMPTS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Attempts(int(raw["failures"]), float(raw["until"]))
    except FileNotFoundError:
        return Attempts()
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("the count of wrong passwords in %s is unreadable; counting from the last", path, exc_info=True)
        return Attempts(FREE_ATTEMPTS, 0.0)  # damaged: the next failure pauses at once


def note_failure(folder: Path, now: float) -> Attempts:
    before = read_attempts(folder)
    failures = before.failures + 1
    attempts = Attempts(failures, now + login_pause_seconds(failures))
    _write_attempts(Path(folder), attempts)
    return attempts


def clear_attempts(folder: Path) -> None:
    try:
        (Path(folder) / ATTEMPTS_FILE).unlink(missing_ok=True)
    except OSError:
        log.warning("could not clear the count of wrong passwords in %s", folder, exc_info=True)


def checked_key(info: ProfileInfo, password: str, now: float | None = None) -> bytes:
    """The key for `password`, through the profile's pause: TooManyAttempts while it waits, and
    WrongPassword (counted) when the key check says so. For every way in that derives a key
    without opening the profile (restore, the list of backups). A profile made before the key
    check gives the key unchecked: its caller's open tells."""
    now = time.time() if now is None else now
    before = read_attempts(info.folder)
    if before.wait_seconds(now):
        raise TooManyAttempts(before.failures, before.wait_seconds(now))
    key = info.derive_key(password)
    matches = info.key_matches(key)
    if matches is False:
        after = note_failure(info.folder, now)
        raise WrongPassword(after.failures, after.wait_seconds(now))
    if matches and before.failures:
        clear_attempts(info.folder)
    return key


def _write_attempts(folder: Path, attempts: Attempts) -> None:
    tmp = folder / (ATTEMPTS_FILE + ".tmp")
    try:
        tmp.write_text(json.dumps({"failures": attempts.failures, "until": attempts.until}), encoding="utf-8")
        os.replace(tmp, folder / ATTEMPTS_FILE)
    except OSError:  # a read-only folder: the pause still holds in this run's messages
        log.warning("could not record a wrong password in %s", folder, exc_info=True)


def login_pause_seconds(failures_in_a_row: int) -> int:
    """How long to wait before the next password attempt: none for the first five failures, then
    30 s, doubling with each further failure, at most 15 minutes."""
    if failures_in_a_row < FREE_ATTEMPTS:
        return 0
    return min(30 * 2 ** (failures_in_a_row - FREE_ATTEMPTS), 15 * 60)
