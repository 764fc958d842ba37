"""Profiles are never deleted or left half-made, and wrong passwords wait at every way in.

Each test runs main.py as a real process where a user would: `demo-data` killed with Ctrl+C or
SIGKILL half-way, run again into a folder that holds someone's files, `status` guessed at through
other spellings of the path; and the app's `--demo` pointed at a real profile.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from core.store import HouseholdFilter, ProfileError, Store, TooManyAttempts, WrongPassword
from core.store.profile import ATTEMPTS_FILE, WORK_SUFFIX, is_profile
from tests.installed import ANJU, OUTSIDE

PASSWORD = "档案密码-7788"


def main_py(*args: str, password: str = PASSWORD, **kw) -> subprocess.Popen:
    env = {**os.environ, "ANJU_PASSWORD": password, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([ANJU, *args], cwd=OUTSIDE, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_as_from_a_terminal, **kw)


def _as_from_a_terminal() -> None:
    """Ctrl+C's default action in the command, as in a terminal. A shell script's background job (`cmd &`)
    starts with SIGINT ignored, and every process started under it inherits that, Python included (it
    then raises no KeyboardInterrupt): a test suite run so would find Ctrl+C ignored and fail."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def finished(*args: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    proc = main_py(*args, password=password)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _work_folders(parent: Path) -> list[Path]:
    return [p for p in parent.iterdir() if WORK_SUFFIX in p.name]


def _kill_half_way(tmp_path: Path, sig: int) -> Path:
    target = tmp_path / "demo"
    proc = main_py("demo-data", "--profile", str(target), "--households", "20000")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:   # wait until households are being written
        work = _work_folders(tmp_path)
        if work and (work[0] / "anju.db").exists() and (work[0] / "anju.db").stat().st_size > 2_000_000:
            break
        time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail("demo-data never started writing")
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    return target


def test_demo_data_killed_half_way_leaves_no_profile_and_runs_again(tmp_path):
    target = _kill_half_way(tmp_path, signal.SIGKILL)
    assert not is_profile(target) and not target.exists()
    again = finished("demo-data", "--profile", str(target), "--households", "30")
    assert again.returncode == 0, again.stderr
    with Store.open(target, PASSWORD) as store:
        assert store.count_households() == 30
        assert len(store.list_households(HouseholdFilter(), limit=100)) == 30, "the list shows what status counts"


def test_ctrl_c_during_demo_data_removes_only_what_it_made(tmp_path):
    target = _kill_half_way(tmp_path, signal.SIGINT)
    assert not target.exists()
    assert _work_folders(tmp_path) == [], "the half-made profile of this run is cleared away"


def test_demo_data_refuses_a_folder_that_holds_other_files(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "report.docx").write_bytes(b"a month of work")
    result = finished("demo-data", "--profile", str(folder), "--households", "5")
    assert result.returncode != 0
    assert "不是空的" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["report.docx"]
    assert (folder / "report.docx").read_bytes() == b"a month of work"


def test_create_refuses_a_non_empty_folder_and_fills_an_empty_one(tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ProfileError, match="不是空的"):
        Store.create(busy, PASSWORD)
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    Store.create(empty, PASSWORD).close()
    assert is_profile(empty) and _work_folders(tmp_path) == []


def test_a_fill_that_fails_leaves_nothing(tmp_path):
    def broken(store):  # noqa: ANN001
        raise RuntimeError("the network went away")

    with pytest.raises(RuntimeError):
        Store.create(tmp_path / "p", PASSWORD, fill=broken)
    assert list(tmp_path.iterdir()) == []


def test_demo_mode_refuses_a_real_profile_and_leaves_it_whole(qtbot, tmp_path):
    from gui.app import open_demo_profile

    real = tmp_path / "real"
    finished("demo-data", "--profile", str(real), "--households", "12")
    before = sorted(p.name for p in real.iterdir())
    with pytest.raises(ProfileError, match="不是演示档案"):
        open_demo_profile(real)
    assert sorted(p.name for p in real.iterdir()) == before
    with Store.open(real, PASSWORD) as store:
        assert store.count_households() == 12


def test_wrong_passwords_wait_at_every_way_in_and_every_spelling_of_the_path(tmp_path):
    folder = tmp_path / "p"
    Store.create(folder, PASSWORD).close()
    (tmp_path / "link").symlink_to(folder)
    spellings = [folder, tmp_path / "link", tmp_path / "x" / ".." / "p", tmp_path / "link"]
    (tmp_path / "x").mkdir()
    for i in range(5):
        result = finished("status", "--profile", str(spellings[i % len(spellings)]), password="guess")
        assert result.returncode != 0 and "密码不正确" in result.stderr
    waiting = finished("status", "--profile", str(tmp_path / "link"), password=PASSWORD)
    assert waiting.returncode != 0 and "秒后再试" in waiting.stderr, "even the right password waits"
    with pytest.raises(TooManyAttempts):
        Store.open(tmp_path / "x" / ".." / "p", PASSWORD)
    attempts = json.loads((folder / ATTEMPTS_FILE).read_text(encoding="utf-8"))
    assert attempts["failures"] == 5 and attempts["until"] > time.time() + 20


def test_the_right_password_after_a_few_failures_clears_the_count(tmp_path):
    folder = tmp_path / "p"
    Store.create(folder, PASSWORD).close()
    for _ in range(3):
        with pytest.raises(WrongPassword):
            Store.open(folder, "guess")
    Store.open(folder, PASSWORD).close()
    assert not (folder / ATTEMPTS_FILE).exists()
    for _ in range(4):
        with pytest.raises(WrongPassword):
            Store.open(folder, "guess")
    Store.open(folder, PASSWORD).close()  # four in a row after the reset: no wait yet


def test_restore_and_the_list_of_backups_wait_after_wrong_passwords_too(tmp_path):
    folder = tmp_path / "p"
    Store.create(folder, PASSWORD).close()
    for _ in range(5):
        result = finished("restore", "--profile", str(folder), "--list", password="guess")
        assert result.returncode != 0 and "密码不正确" in result.stderr
    waiting = finished("restore", "--profile", str(folder), "--list", password=PASSWORD)
    assert waiting.returncode != 0 and "秒后再试" in waiting.stderr


def test_a_clock_set_back_does_not_lock_the_worker_out_for_years(tmp_path):
    folder = tmp_path / "p"
    Store.create(folder, PASSWORD).close()
    for _ in range(5):
        with pytest.raises(WrongPassword):
            Store.open(folder, "guess", clock=lambda: time.time() + 5 * 365 * 86400)  # the clock was years ahead
    with pytest.raises(TooManyAttempts) as waiting:
        Store.open(folder, PASSWORD)
    assert waiting.value.wait_seconds <= 30
