"""A profile: one folder holding one SQLCipher database, keyed by the worker's password.

The key is derived from the password by scrypt (a slow, memory-hard KDF) with a random salt
kept beside the database in profile.json; the database itself is encrypted with that raw key,
so a stolen laptop shows nothing readable and a wrong password opens nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

PROFILE_FILE = "profile.json"
DATABASE_FILE = "anju.db"
BACKUP_DIR = "backups"

# scrypt cost: about 0.1 s and 32 MiB per derivation on a laptop of 2020.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class ProfileError(Exception):
    """A profile cannot be opened or created; the message is for the user (Chinese, then English)."""


class WrongPassword(ProfileError):
    def __init__(self) -> None:
        super().__init__("密码不正确，无法打开此档案。 / The password is wrong; the profile was not opened.")


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
                           p=int(kdf["p"]), device_id=raw["device_id"], display_name=raw.get("display_name", ""))
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
    tmp = folder / (PROFILE_FILE + ".tmp")
    tmp.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, folder / PROFILE_FILE)
    return info


def remove_profile_files(info: ProfileInfo) -> None:
    """Undo create_profile_info and a first open that failed: the files a new profile writes."""
    for name in (PROFILE_FILE, DATABASE_FILE, DATABASE_FILE + "-wal", DATABASE_FILE + "-shm"):
        (info.folder / name).unlink(missing_ok=True)


FREE_ATTEMPTS = 5


def login_pause_seconds(failures_in_a_row: int) -> int:
    """How long to wait before the next password attempt: none for the first five failures, then
    30 s, doubling with each further failure, at most 15 minutes."""
    if failures_in_a_row < FREE_ATTEMPTS:
        return 0
    return min(30 * 2 ** (failures_in_a_row - FREE_ATTEMPTS), 15 * 60)
