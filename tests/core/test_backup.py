"""Rotating encrypted backups and restoring one (core/store/backup.py): taken while the profile is
open and written to, rotated without touching anything else, restored keeping the unsynced
changes, refused for another profile or a damaged file, and never half-made by a kill."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlcipher3

from core.selftest import sample_household
from core.store import Store, WrongPassword
from core.store import backup as bk
from core.store.backup import SYNC_BACKUP_EVERY, BackupError, ForeignBackup, list_backups, rotate
from core.store.restore import restore_folder
from tests.conftest import PASSWORD

CHILD = Path(__file__).with_name("backup_child.py")
WRITER = Path(__file__).with_name("crash_writer.py")


def save(store: Store, index: int, **household) -> str:
    h, members = sample_household(index)
    return store.save_household({**h, **household}, members).id


def synced(store: Store) -> None:
    """What a push answered would do: the outbox emptied."""
    store.forget_outbox([e["seq"] for e in store.outbox(limit=100_000)])


def outbox_rows(store: Store) -> list[tuple]:
    return [(e["seq"], e["entity"], e["row_id"], e["kind"], e["fields"]) for e in store.outbox(100_000)]


def opened(path: Path, store: Store) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{store._key.hex()}'\"")
    return conn


# -- taking backups ---------------------------------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="the writer is killed with SIGKILL")
def test_backups_taken_while_another_process_writes_are_each_one_consistent_snapshot(store, profile_dir):
    save(store, 0)
    writer = subprocess.Popen([sys.executable, str(WRITER), str(profile_dir), PASSWORD],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    taken = []
    try:
        for _ in range(40):  # the writer is saving households as fast as it can meanwhile
            writer.stdout.readline()
            taken.append(store.backups.take("manual"))
            if len({t.households for t in taken}) >= 4:
                break
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert len({t.households for t in taken}) >= 4, "the backups did not see the writer's saves"
    for result in taken[-7:]:
        conn = opened(result.path, store)
        try:
            assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            households = conn.execute("SELECT count(*) FROM household").fetchone()[0]
            members = conn.execute("SELECT count(*) FROM member").fetchone()[0]
            summaries = conn.execute("SELECT count(*) FROM household_summary").fetchone()[0]
        finally:
            conn.close()
        # Every household saved whole, with its three members and its summary: one snapshot.
        assert households == summaries == result.households
        assert members == 3 * households
    assert not list(store.backups.folder.glob("*.tmp*"))


def test_rotation_keeps_the_newest_n_of_each_kind_and_never_touches_other_files(store, profile_dir):
    save(store, 1)
    folder = store.backups.folder
    folder.mkdir(parents=True)
    migration_copy = profile_dir / "backups" / "anju-before-0004-20260101-000000-000000.db"
    migration_copy.write_bytes(b"a pre-migration copy")
    others = [folder / "notes.txt", folder / "anju-20200101-000000-000000-weekly.db",
              folder / "anju-20200101-000000-000000-daily.db.bak", folder / "my-anju-20200101-000000-000000-daily.db"]
    for path in others:
        path.write_text("not ours")
    store.backups.keep = 3
    made = [store.backups.take("manual").path for _ in range(5)]
    daily = store.backups.take("daily").path
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == sorted([p.name for p in made[-3:]] + [daily.name] + [p.name for p in others])
    assert migration_copy.read_bytes() == b"a pre-migration copy"
    assert sorted(rotate(folder, keep=1)) == sorted(made[-3:-1])
    assert sorted(p.name for p in folder.iterdir()) == sorted([made[-1].name, daily.name] + [p.name for p in others])


def test_a_full_disk_leaves_no_half_written_backup(store, monkeypatch):
    save(store, 2)
    real = bk._open_target

    def small_disk(path, key):  # noqa: ANN001, ANN202
        conn = real(path, key)
        conn.execute("PRAGMA max_page_count = 8")
        return conn

    monkeypatch.setattr(bk, "_open_target", small_disk)
    with pytest.raises(BackupError) as failed:
        store.backups.take("manual")
    assert "磁盘空间不足" in str(failed.value) and "disk is full" in str(failed.value)
    assert list(store.backups.folder.iterdir()) == []  # not even the .tmp
    assert store.backups.list() == []


def test_a_backup_is_not_taken_when_the_disk_has_no_room_for_it(store, monkeypatch):
    save(store, 3)
    monkeypatch.setattr(bk.shutil, "disk_usage", lambda _p: type("U", (), {"free": 1024})())
    with pytest.raises(BackupError, match="磁盘空间不足"):
        store.backups.take("manual")
    assert store.backups.before_sync() is None  # automatic: logged and kept, never raised
    assert "磁盘空间不足" in store.backups.last_error


def test_daily_once_a_day_and_before_sync_only_when_something_is_unsynced_and_new(store):
    assert store.backups.daily() is not None
    assert store.backups.daily() is None  # one a day
    assert store.backups.before_sync() is None  # nothing waits to be sent: the server has it all
    save(store, 4)
    first = store.backups.before_sync()
    assert first is not None and first.kind == "sync" and first.pending == store.pending_change_count()
    assert store.backups.before_sync() is None  # nothing new since: the same copy again is no use
    save(store, 5)
    assert store.backups.before_sync() is None  # new work, but a copy before a sync is minutes old
    later = datetime.now() + SYNC_BACKUP_EVERY + timedelta(minutes=1)
    second = store.backups.before_sync(now=later)
    assert second is not None and second.pending == store.pending_change_count()
    assert [b.kind for b in store.backups.list()].count("sync") == 2



def test_the_backup_before_a_sync_keeps_the_profile_as_it_was_when_it_began_while_the_sync_writes(
        store, monkeypatch):
    """The copy is written beside the sync's push (BackupUnderWay): what the sync writes meanwhile (here a
    save, and the outbox emptied as a push answered) is not in it, however late the copy really starts."""
    import threading

    save(store, 20)
    waiting = store.pending_change_count()
    may_copy = threading.Event()
    write = bk.write_backup

    def held_back(*args, **kwargs):  # the copy starts only once the sync has written
        assert may_copy.wait(30)
        return write(*args, **kwargs)
    monkeypatch.setattr(bk, "write_backup", held_back)
    copying = store.backups.begin_before_sync()
    assert copying.taking
    save(store, 21)  # the sync's work, meanwhile: another save and the outbox sent
    synced(store)
    may_copy.set()
    taken = copying.wait()
    assert taken is not None and taken.kind == "sync"
    assert (taken.households, taken.pending) == (1, waiting)  # as it was when the sync began
    assert store.count_households() == 2  # the profile itself has both
    assert store.pending_change_count() == 0
    assert copying.wait() is taken  # waited for again: the same answer, no second copy
    assert [b.kind for b in store.backups.list()] == ["sync"]


def test_a_backup_before_a_sync_that_fails_is_logged_and_the_sync_goes_on(store, monkeypatch, caplog):
    save(store, 22)

    def broken(*_args, **_kwargs):
        raise OSError(5, "Input/output error")
    monkeypatch.setattr(bk, "write_backup", broken)
    copying = store.backups.begin_before_sync()
    assert copying.wait() is None
    assert "Input/output error" in store.backups.last_error
    assert store.backups.last_error.startswith("备份失败：")  # the dialog shows its Chinese half
    assert any(r.exc_info for r in caplog.records if "backup" in r.getMessage())  # with its traceback


# -- restoring --------------------------------------------------------------------------------------
def test_restore_brings_back_what_was_lost_and_keeps_every_unsynced_change(store, profile_dir):
    lost_household = save(store, 10)
    edited = save(store, 11)
    synced(store)
    taken = store.backups.take("manual")
    # After the backup: a household that went to the server, then got a member that did not ...
    parent_synced = save(store, 13, household_no="LATER-0013")
    synced(store)
    record = store.get_household(parent_synced, log_access=False)
    store.save_household(record.household, record.members + [
        {"name": "新成员", "relation": "daughter", "id_type": "other", "labour_skill": "none"}], removed=[])
    # ... new work, not synced yet ...
    new_household = save(store, 12, household_no="NEW-0012")
    record = store.get_household(edited, log_access=False)
    store.save_household({**record.household, "phone": "13900001111"}, record.members, removed=[])
    # ... and then something went wrong that no save recorded: a household gone, a name garbled.
    with store.writing() as s:
        conn = s.connection()
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        for table in ("household_trigram", "household_tokens"):
            conn.exec_driver_sql(f"DELETE FROM {table} WHERE rowid IN (SELECT rid FROM household_summary "
                                 "WHERE household_id = ?)", (lost_household,))
        for table in ("member", "household_summary", "zero_employment_span"):
            conn.exec_driver_sql(f"DELETE FROM {table} WHERE household_id = ?", (lost_household,))
        conn.exec_driver_sql("DELETE FROM household WHERE id = ?", (lost_household,))
        conn.exec_driver_sql("UPDATE member SET name = '???' WHERE household_id = ?", (edited,))
    before = outbox_rows(store)
    assert before and store.count_households() == 3

    result = store.backups.restore(taken.path)

    assert store.get_household(lost_household, log_access=False).members  # lost after the backup: back
    record = store.get_household(edited, log_access=False)
    assert "???" not in {m["name"] for m in record.members}
    assert record.household["phone"] == "13900001111"  # the unsynced edit of a record the backup has
    assert store.get_household(new_household, log_access=False).household["household_no"] == "NEW-0012"
    later = store.get_household(parent_synced, log_access=False)  # its household came along for the member
    assert "新成员" in {m["name"] for m in later.members}
    assert outbox_rows(store) == before  # the very same entries, to be pushed as they would have been
    assert result.kept_changes == len({(e[1], e[2]) for e in before}) == store.pending_change_count()  # records
    assert [r.id for r in store.search_households("NEW-0012")] == [new_household]  # summaries rebuilt
    assert store.count_households() == 4
    assert store.audit_chain_break() is None
    # The state before the restore is kept, and named.
    assert result.safety is not None and result.safety.name in result.message()
    assert {b.path for b in store.backups.list()} >= {taken.path, result.safety}
    conn = opened(result.safety, store)
    try:
        assert conn.execute("SELECT count(*) FROM household").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == len(before)
    finally:
        conn.close()


def test_a_restore_can_be_undone_with_its_safety_backup(store):
    first = save(store, 20)
    synced(store)
    taken = store.backups.take("manual")
    record = store.get_household(first, log_access=False)
    store.save_household({**record.household, "room": "909"}, record.members, removed=[])
    synced(store)  # an edit the server has: the restore takes the backup's room
    second = save(store, 21)
    before = outbox_rows(store)
    result = store.backups.restore(taken.path)
    assert store.get_household(first, log_access=False).household["room"] == "501"
    store.backups.restore(result.safety)  # back to how it was before the restore
    assert store.get_household(first, log_access=False).household["room"] == "909"
    assert store.get_household(second, log_access=False).members
    assert outbox_rows(store) == before


def test_restore_refuses_a_backup_of_another_profile(store, profile_dir, tmp_path):
    save(store, 30)
    with Store.create(tmp_path / "other", PASSWORD, username="w2") as other:  # same password, other profile
        save(other, 31)
        foreign = other.backups.take("manual").path
    folder, info = store.info.folder, store.info
    store.close()
    with pytest.raises(ForeignBackup) as refused:
        restore_folder(folder, PASSWORD, foreign)
    assert "另一个档案" in str(refused.value) and "another profile" in str(refused.value)
    loose = tmp_path / "copy.db"  # the same file carried away from its profile: still refused, in words
    loose.write_bytes(foreign.read_bytes())
    with pytest.raises(ForeignBackup, match="另一个档案"):
        restore_folder(folder, PASSWORD, loose)
    with pytest.raises(WrongPassword):
        restore_folder(folder, "not the password", loose)
    assert not bk.backup_folder(info).exists() or not list(bk.backup_folder(info).iterdir())  # no safety copy
    with Store.open(folder, PASSWORD) as again:
        assert [r.household_no for r in again.list_households()] == ["SELFTEST-0030"]


def test_restore_refuses_a_damaged_or_missing_backup_and_changes_nothing(store, tmp_path):
    save(store, 40)
    taken = store.backups.take("manual").path
    save(store, 41)
    folder = store.info.folder
    store.close()
    damaged = tmp_path / "damaged.db"
    data = bytearray(taken.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(64)
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="已损坏"):
        restore_folder(folder, PASSWORD, damaged)
    cut = tmp_path / "cut.db"
    cut.write_bytes(taken.read_bytes()[:5000])
    with pytest.raises(BackupError, match="不完整"):
        restore_folder(folder, PASSWORD, cut)
    with pytest.raises(BackupError, match="找不到备份文件"):
        restore_folder(folder, PASSWORD, tmp_path / "nowhere.db")
    with Store.open(folder, PASSWORD) as again:
        assert again.count_households() == 2
    assert not list(folder.glob("*.tmp*"))


def test_restore_refuses_a_profile_that_is_open_elsewhere(store):
    save(store, 50)
    taken = store.backups.take("manual").path
    save(store, 51)
    with pytest.raises(BackupError, match="正被另一个程序"):
        restore_folder(store.info.folder, PASSWORD, taken)
    assert store.count_households() == 2  # still open, still working, unchanged
    save(store, 52)
    assert store.count_households() == 3


def test_restore_of_a_damaged_profile_keeps_its_files_and_says_so(store):
    save(store, 60)
    taken = store.backups.take("manual").path
    folder, database = store.info.folder, store.info.database_path
    store.close()
    data = bytearray(database.read_bytes())
    data[100:4096] = bytes(4096 - 100)  # page 1 ruined: nothing of it opens
    database.write_bytes(bytes(data))
    result = restore_folder(folder, PASSWORD, taken)
    assert result.safety is not None and result.safety.read_bytes()[:4096] == bytes(data[:4096])
    assert "已损坏" in result.note
    with Store.open(folder, PASSWORD) as again:
        assert again.count_households() == 1


# -- kills ------------------------------------------------------------------------------------------
def _run_until(args: list[str], word: str) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, str(CHILD), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 120
    for line in child.stdout:
        if line.strip() == word or time.monotonic() > deadline:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    return child


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_kill_during_a_backup_leaves_nothing_that_the_list_offers(store, profile_dir):
    for i in range(30):
        save(store, i)
    kept = store.backups.take("manual").path
    folder, info, key = store.backups.folder, store.info, store._key
    store.close()
    child = _run_until(["backup", str(profile_dir), PASSWORD], "copying")
    assert child.returncode == -signal.SIGKILL
    left = [p for p in folder.iterdir() if p != kept]
    assert left and all(".tmp" in p.name for p in left), left  # killed mid-copy: only the .tmp
    listed = list_backups(info, key)
    assert [b.path for b in listed] == [kept] and listed[0].readable
    assert set(bk.sweep_stale(folder, older_than=0)) == set(left)
    assert sorted(folder.iterdir()) == [kept]
    with Store.open(profile_dir, PASSWORD) as again:
        assert again.count_households() == 30


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_kill_during_a_restore_leaves_the_profile_as_it_was(store, profile_dir):
    save(store, 70)
    taken = store.backups.take("manual").path
    save(store, 71)
    before = outbox_rows(store)
    store.close()
    child = _run_until(["restore", str(profile_dir), PASSWORD, str(taken)], "carried")
    assert child.returncode == -signal.SIGKILL
    with Store.open(profile_dir, PASSWORD) as again:
        assert again.count_households() == 2
        assert outbox_rows(again) == before
        with again.reading() as s:
            assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    for stray in profile_dir.glob("anju.db.restore-*"):  # what a later restore sweeps once it is old
        os.utime(stray, (0, 0))
    result = restore_folder(profile_dir, PASSWORD, taken)  # and the same restore simply runs again
    assert result.kept_changes == len({(e[1], e[2]) for e in before})  # records waiting, not field entries
    assert not list(profile_dir.glob("anju.db.restore-*"))
