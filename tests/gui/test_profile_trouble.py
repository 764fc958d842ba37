"""What the worker sees when the profile's file is damaged or the disk is full: words, and nothing
typed is lost."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from core.models import new_id
from core.store.profile import PAGE_SIZE
from gui_helpers import newest_form


def _warnings(monkeypatch) -> list[str]:  # noqa: ANN001
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *a, **k: shown.append(f"{title}: {text}"))
    return shown


def test_a_damaged_page_is_said_right_after_opening(qtbot, window, store, monkeypatch):
    shown = _warnings(monkeypatch)
    with qtbot.waitSignal(window.sig_file_checked) as whole:
        window.check_profile_file()
    assert whole.args == [0] and shown == []
    for i in range(30):   # enough pages that one in the middle is not the first
        store.save_household({"id": new_id(), "household_no": f"H-{i:03d}", "notes": "记录" * 300},
                             [{"id": new_id(), "name": "王建国", "relation": "head"}])
    raw = store._writer.raw_connection()  # outside a transaction, so the checkpoint can run
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    db = store.info.database_path
    with open(db, "r+b") as f:
        f.seek((db.stat().st_size // PAGE_SIZE // 2) * PAGE_SIZE + 300)
        f.write(b"\x00" * 40)
    with qtbot.waitSignal(window.sig_file_checked) as damaged:
        window.check_profile_file()
    assert damaged.args[0] > 0
    assert len(shown) == 1 and "损坏" in shown[0] and "备份" in shown[0]


def test_a_save_on_a_full_disk_keeps_the_typing_and_saves_once_there_is_room(qtbot, window, store, monkeypatch):
    shown = _warnings(monkeypatch)
    hid = store.save_household({"id": new_id(), "household_no": "H-DISK"},
                               [{"id": new_id(), "name": "王建国", "relation": "head"}]).id
    window.opener.open_household(hid)
    form = newest_form(window)
    form.editors["notes"].set_value("入户走访：家中老人身体不好，需要帮扶。" * 400)  # pages the full disk has no room for
    with store._writer.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
        conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
    form.save()
    assert shown and "磁盘已满" in shown[-1]
    assert form.isVisible() and form.dirty and form.editors["notes"].value().startswith("入户走访")
    with store._writer.connect() as conn:
        conn.exec_driver_sql("PRAGMA max_page_count = 1073741823")
    form.save()
    assert not form.dirty
    assert store.get_household(hid, log_access=False).household["notes"].startswith("入户走访")
