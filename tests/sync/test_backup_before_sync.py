"""A sync first backs up the work it is about to send (core/store/backup.py): the laptop's only
copy of it is kept until the server has it. Nothing to send, nothing new: no copy."""
from __future__ import annotations

import pytest

from tests.sync.sync_helpers import new_household, run_sync


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the laptop's side: one county database is enough
def test_a_sync_backs_up_the_unsynced_work_before_sending_it(enrol):
    store = enrol("w1")
    assert store.backups.list() == []  # enrolling sent nothing: nothing of the laptop's own to keep
    new_household(store)
    pending = store.pending_change_count()
    run_sync(store)
    assert store.pending_change_count() == 0
    backups = store.backups.list()
    assert [b.kind for b in backups] == ["sync"]
    assert backups[0].pending == pending and backups[0].households == 1  # taken before the push
    run_sync(store)  # nothing waits to be sent
    assert len(store.backups.list()) == 1
