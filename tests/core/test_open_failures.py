"""A full disk, a damaged or missing file is said for what it is, never called a wrong password.

Real SQLCipher profiles; damage is done to the file's bytes as a failing disk or a careless copy
would, and a full disk is made with SQLite's own PRAGMA max_page_count.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from core.idcard import check_character
from core.models import new_id
from core.store import ProfileError, Store, WrongPassword
from core.store.failures import DiskFull, ProfileDamaged
from core.store.profile import ATTEMPTS_FILE, PAGE_SIZE, PROFILE_FILE
from tests.installed import ANJU, OUTSIDE

PASSWORD = "档案密码-5566"


def _head(i: int) -> list[dict]:
    first17 = f"52260119800101{i % 1000:03d}"
    return [{"id": new_id(), "name": "王建国", "relation": "head", "id_number": first17 + check_character(first17)}]


def _profile(tmp_path: Path, households: int = 0) -> Path:
    folder = tmp_path / "p"
    with Store.create(folder, PASSWORD, username="w1") as store:
        for i in range(households):
            store.save_household({"id": new_id(), "household_no": f"H-{i:05d}", "notes": "走访记录" * 100}, _head(i))
    return folder


def _damage(path: Path, page: int) -> None:
    with open(path, "r+b") as f:
        f.seek(page * PAGE_SIZE + 200)
        f.write(b"\x5a" * 64)


def test_a_damaged_first_page_is_damage_with_the_right_password_and_wrong_with_another(tmp_path):
    folder = _profile(tmp_path)
    _damage(folder / "anju.db", 0)
    with pytest.raises(ProfileDamaged, match="损坏"):
        Store.open(folder, PASSWORD)
    assert not (folder / ATTEMPTS_FILE).exists(), "damage does not feed the wrong-password pause"
    with pytest.raises(WrongPassword):
        Store.open(folder, "not the password")


@pytest.mark.parametrize("damage", ["truncated", "empty"])
def test_a_cut_short_file_is_damage_even_for_a_profile_without_a_key_check(tmp_path, damage):
    folder = _profile(tmp_path)
    info = json.loads((folder / PROFILE_FILE).read_text(encoding="utf-8"))
    del info["key_check"]                                    # as profiles made before it
    (folder / PROFILE_FILE).write_text(json.dumps(info), encoding="utf-8")
    db = folder / "anju.db"
    with open(db, "r+b") as f:
        f.truncate(0 if damage == "empty" else 3000)
    with pytest.raises(ProfileDamaged) as raised:
        Store.open(folder, PASSWORD)
    assert str(raised.value).count(" / ") == 1, "one Chinese half and one English half, as the GUI splits them"
    assert not (folder / ATTEMPTS_FILE).exists()


def test_a_missing_database_is_said_and_no_empty_profile_takes_its_place(tmp_path):
    folder = _profile(tmp_path)
    (folder / "anju.db").unlink()
    with pytest.raises(ProfileDamaged, match="anju.db"):
        Store.open(folder, PASSWORD)
    assert not (folder / "anju.db").exists()


def test_an_older_profile_gains_the_key_check_on_its_next_open(tmp_path):
    folder = _profile(tmp_path)
    info = json.loads((folder / PROFILE_FILE).read_text(encoding="utf-8"))
    check = info.pop("key_check")
    (folder / PROFILE_FILE).write_text(json.dumps(info), encoding="utf-8")
    with pytest.raises(WrongPassword):
        Store.open(folder, "not the password")
    Store.open(folder, PASSWORD).close()
    assert json.loads((folder / PROFILE_FILE).read_text(encoding="utf-8"))["key_check"] == check


def test_a_save_on_a_full_disk_says_so_writes_nothing_and_works_once_space_is_freed(tmp_path):
    folder = _profile(tmp_path, households=3)
    with Store.open(folder, PASSWORD) as store:
        with store._writer.connect() as conn:  # the one writer connection: a disk with no room left
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
        big = {"id": new_id(), "household_no": "H-FULL", "notes": "入户走访记录" * 150}
        with pytest.raises(DiskFull, match="磁盘已满"):
            for i in range(20):   # one save may still fit into free pages; twenty do not
                store.save_household({**big, "id": new_id(), "household_no": f"H-FULL{i}"}, _head(500 + i))
        saved = store.count_households()
        pending = store.pending_change_count()
        assert store.search_households("H-FULL") == [] or saved > 3
        with store._writer.connect() as conn:                 # space freed
            conn.exec_driver_sql("PRAGMA max_page_count = 1073741823")
        store.save_household({**big, "household_no": "H-AFTER"}, _head(600))
        assert store.count_households() == saved + 1 and store.pending_change_count() > pending
        assert store.damaged_pages() == [] and store.audit_chain_break() is None


def test_a_page_damaged_in_the_middle_is_found_by_the_check_and_status_says_so(tmp_path):
    folder = _profile(tmp_path, households=40)
    size = (folder / "anju.db").stat().st_size
    assert size > 20 * PAGE_SIZE
    with Store.open(folder, PASSWORD) as store:
        assert store.damaged_pages() == []
        with store.reading() as s:  # the tables' first pages come first in the file, and an opening reads them
            last_root = s.execute(text("SELECT max(rootpage) FROM sqlite_master")).scalar_one()
    assert size // PAGE_SIZE > last_root + 20
    _damage(folder / "anju.db", (last_root + size // PAGE_SIZE) // 2)  # a page of the records
    with Store.open(folder, PASSWORD) as store:             # opens: the damage is on none of those pages
        assert store.damaged_pages(), "the check finds the damaged page"
    result = subprocess.run([ANJU, "status", "--profile", str(folder), "--json"], cwd=OUTSIDE,
                            env={**os.environ, "ANJU_PASSWORD": PASSWORD}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "损坏" in result.stderr
    assert json.loads(result.stdout)["file_intact"] is False


def test_status_of_a_damaged_profile_is_one_line_not_a_traceback(tmp_path):
    folder = _profile(tmp_path)
    _damage(folder / "anju.db", 0)
    result = subprocess.run([ANJU, "status", "--profile", str(folder)], cwd=OUTSIDE,
                            env={**os.environ, "ANJU_PASSWORD": PASSWORD}, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "损坏" in result.stderr and "密码不正确" not in result.stderr and "Traceback" not in result.stderr
    assert isinstance(ProfileDamaged("x"), ProfileError)
