"""A process killed with SIGKILL in the middle of a run of saves leaves a profile that opens intact."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.store import Store
from tests.conftest import PASSWORD

WRITER = Path(__file__).with_name("crash_writer.py")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_mid_saves_loses_no_saved_household(profile_dir):
    Store.create(profile_dir, PASSWORD, username="w1").close()
    child = subprocess.Popen([sys.executable, str(WRITER), str(profile_dir), PASSWORD],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    saved = []
    try:
        for line in child.stdout:
            saved.append(line.strip())
            if len(saved) >= 60:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert len(saved) >= 60, child.stderr.read()
    with Store.open(profile_dir, PASSWORD) as store:
        assert store.audit_chain_break() is None
        with store.reading() as s:
            assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        for hid in saved:
            record = store.get_household(hid)
            assert len(record.members) == 3
        # Every household in the file is whole: its members and its summary came with it.
        count = store.count_households()
        assert count >= len(saved)
        assert store.member_count() == 3 * count
        assert store.pending_change_count() > 0
