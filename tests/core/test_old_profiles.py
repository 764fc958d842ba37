"""Profiles made by earlier builds, kept in tests/data/profiles (installer/make_old_profiles.py), open under
this one: migrated in one step after a backup of the file as it was, their households and members kept, and
their audit log still whole. A profile from a newer build is refused in words and left as it was."""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from core.models import Household, Member
from core.store import HouseholdFilter, ProfileError, Store
from core.store.migrate import HEAD_REVISION, current_revision

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"
PASSWORD = "old-profile-密码"  # installer/make_old_profiles.py
KEPT = sorted(PROFILES.glob("anju-*.zip"))


def unpacked(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as z:
        z.extractall(into)
    return into / "profile"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_revision_before_the_newest_is_kept():
    revisions = [p.stem.removeprefix("anju-") for p in KEPT]
    assert revisions[0] == "0001" and int(revisions[-1]) == int(HEAD_REVISION) - 1
    assert revisions == [f"{n:04d}" for n in range(1, int(HEAD_REVISION))]


@pytest.mark.parametrize("archive", KEPT, ids=lambda p: p.stem)
def test_an_old_profile_opens_migrated_with_its_data_and_a_backup(archive, tmp_path):
    folder = unpacked(archive, tmp_path)
    before = digest(folder / "anju.db")
    with Store.open(folder, PASSWORD) as store:
        with store.reading() as s:
            assert current_revision(s.connection().engine) == HEAD_REVISION
            households = s.execute(select(Household.household_no).where(Household.deleted.is_(False))).scalars().all()
            members = s.execute(select(Member.name).where(Member.deleted.is_(False))).scalars().all()
        assert households and members
        assert store.count_households(HouseholdFilter()) == len(households)  # the list's summaries rebuilt
        assert store.audit_chain_break() is None
        assert store.indicators().households == len(households)
    backups = list((folder / "backups").glob("anju-before-*.db"))
    assert len(backups) == 1 and digest(backups[0]) == before  # the file as the old build left it
    with Store.open(folder, PASSWORD):  # the second open has nothing left to do
        pass
    assert len(list((folder / "backups").glob("anju-before-*.db"))) == 1


def test_a_profile_from_a_newer_build_is_refused_and_left_as_it_was(tmp_path):
    folder = unpacked(KEPT[-1], tmp_path)
    with Store.open(folder, PASSWORD) as store:
        with store.writing() as s:
            s.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    before = {p.relative_to(folder): digest(p) for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(ProfileError, match="较新版本"):
        Store.open(folder, PASSWORD)
    assert {p.relative_to(folder): digest(p) for p in folder.rglob("*") if p.is_file()} == before
