"""Run as a child process by test_backup, which kills it with SIGKILL half-way:

    backup_child.py backup FOLDER PASSWORD    copies a few pages at a time, printing "copying" while it does
    backup_child.py restore FOLDER PASSWORD FILE   prints "carried" once the outbox is carried, then waits
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from core.store import Store
from core.store import backup, restore


class SlowSource:
    """The store's connection, copied five pages a step with a pause: a kill lands mid-copy."""

    def __init__(self, conn):  # noqa: ANN001
        self.conn = conn

    def backup(self, target, name="main"):  # noqa: ANN001, ANN201
        def progress(status, remaining, total):  # noqa: ANN001, ANN202
            print("copying", flush=True)
            time.sleep(0.05)
        return self.conn.backup(target, pages=5, progress=progress, name=name)


def main(verb: str, folder: str, password: str, *rest: str) -> None:
    if verb == "backup":
        with Store.open(Path(folder), password) as store:
            raw = store._reader.raw_connection()
            backup.write_backup(SlowSource(raw.driver_connection), store._key, store.backups.folder, "manual")
            print("done", flush=True)
    else:
        carry = restore._carry

        def carried_then_wait(conn):  # noqa: ANN001, ANN202
            out = carry(conn)
            print("carried", flush=True)
            time.sleep(60)
            return out

        restore._carry = carried_then_wait
        restore.restore_folder(Path(folder), password, rest[0])


if __name__ == "__main__":
    main(*sys.argv[1:])
