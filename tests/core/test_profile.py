"""A profile is unreadable without its password, readable with it, and says so clearly when wrong."""
from __future__ import annotations

import json
import sqlite3

import pytest
import sqlcipher3

from core.selftest import sample_household
from core.store import ProfileError, Store, WrongPassword
from tests.conftest import PASSWORD


@pytest.fixture
def saved_profile(profile_dir):
    with Store.create(profile_dir, PASSWORD, username="w1") as store:
        household, members = sample_household()
        store.save_household(household, members)
    return profile_dir


def test_stdlib_sqlite_cannot_read_the_file(saved_profile):
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(saved_profile / "anju.db").execute("SELECT name FROM sqlite_master").fetchall()


def test_no_personal_data_in_clear_on_disk(saved_profile):
    household, members = sample_household()
    for path in saved_profile.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (members[0]["name"], members[0]["id_number"], household["phone"]):
                assert secret.encode("utf-8") not in data, f"{secret} readable in {path.name}"


def test_wrong_password_opens_nothing_and_says_so(saved_profile):
    with pytest.raises(WrongPassword) as caught:
        Store.open(saved_profile, PASSWORD + "x")
    assert "密码不正确" in str(caught.value)
    # The raw driver with a wrong key fails too.
    conn = sqlcipher3.connect(str(saved_profile / "anju.db"))
    conn.execute("PRAGMA key = 'not the password'")
    with pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_right_password_reads_everything(saved_profile):
    with Store.open(saved_profile, PASSWORD) as store:
        assert store.count_households() == 1
        assert store.search_households("王建国")[0].member_count == 3
        assert store.actor.username == "w1"


def test_profile_file_holds_salt_and_kdf_but_no_key(saved_profile):
    raw = json.loads((saved_profile / "profile.json").read_text(encoding="utf-8"))
    assert raw["kdf"]["name"] == "scrypt" and raw["kdf"]["n"] >= 2**14 and len(bytes.fromhex(raw["kdf"]["salt"])) == 16
    assert PASSWORD not in json.dumps(raw, ensure_ascii=False)


def test_two_profiles_with_one_password_have_different_keys(tmp_path):
    from core.store.profile import create_profile_info

    a, b = create_profile_info(tmp_path / "a"), create_profile_info(tmp_path / "b")
    assert a.derive_key(PASSWORD) != b.derive_key(PASSWORD)


def test_empty_password_and_missing_profile_are_explained(tmp_path, saved_profile):
    with pytest.raises(ProfileError, match="请输入密码"):
        Store.open(saved_profile, "")
    with pytest.raises(ProfileError, match="不是安居档案"):
        Store.open(tmp_path / "nowhere", PASSWORD)
    with pytest.raises(ProfileError, match="已有档案"):
        Store.create(saved_profile, PASSWORD)


def test_database_is_in_wal_mode(saved_profile):
    with Store.open(saved_profile, PASSWORD) as store:
        with store.reading() as s:
            assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_create_that_fails_leaves_nothing_behind(profile_dir):
    with pytest.raises(ProfileError, match="请设置密码"):
        Store.create(profile_dir, "")
    Store.create(profile_dir, PASSWORD).close()  # the retry is not blocked by a half-made profile


def test_a_profile_from_a_newer_version_is_refused_in_chinese_without_a_backup(saved_profile):
    with Store.open(saved_profile, PASSWORD) as store:
        with store.writing() as s:
            s.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(ProfileError, match="较新版本"):
        Store.open(saved_profile, PASSWORD)
    assert not (saved_profile / "backups").exists()
