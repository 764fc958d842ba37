"""设置 → 备份与恢复: the list of backups, a backup now, the daily one, and a restore that asks
first, keeps the unsynced changes, names the safety backup, and leaves the window working."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from core.selftest import sample_household


def open_dialog(window):  # noqa: ANN001, ANN201
    window.findChild(type(window.menuBar().actions()[0]), "action_backups").trigger()
    return window.backup_control.dialog


def rows(dialog) -> list[list[str]]:  # noqa: ANN001
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_settings_menu_opens_the_list_and_backup_now_adds_one(window, store):
    store.save_household(*sample_household(1))
    dialog = open_dialog(window)
    assert dialog.isVisible() and rows(dialog) == []
    dialog.backup_button.click()
    listed = rows(dialog)
    assert len(listed) == 1
    time, kind, size, households, members, pending, status = listed[0]
    assert kind == "手动" and size.endswith("MB") and (households, members) == ("1", "3")
    assert pending == str(store.pending_change_count()) and status == "可以恢复"
    assert "已备份" in window.statusBar().currentMessage()


def test_restore_asks_then_keeps_unsynced_changes_and_names_the_safety_backup(
        window, store, answer, no_blocking_message_boxes):
    first = store.save_household(*sample_household(1)).id
    store.forget_outbox([e["seq"] for e in store.outbox()])  # as a sync would
    dialog = open_dialog(window)
    dialog.backup_button.click()
    h, members = sample_household(2)
    second = store.save_household({**h, "household_no": "AFTER-0002"}, members).id  # not synced
    pending = store.pending_change_count()
    with store.writing() as s:  # lost since the backup, without a save to say so
        s.connection().exec_driver_sql("UPDATE household SET phone = '13000000000' WHERE id = ?", (first,))
    window.refresh()
    asked = answer(QMessageBox.StandardButton.Yes)
    dialog.select(0)
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert asked and "恢复前，现在的档案会先另存为一份备份" in asked[0]
    info = [text for kind, text in no_blocking_message_boxes if kind == "information"]
    assert info and f"保留了 {pending} 项尚未同步的修改" in info[0]
    safety = next(b for b in store.backups.list() if b.kind == "restore")
    assert safety.path.name in info[0]
    assert store.get_household(first, log_access=False).household["phone"] == "13812345678"
    assert store.get_household(second, log_access=False).household["household_no"] == "AFTER-0002"
    assert store.pending_change_count() == pending
    assert sorted(r.household_no for r in window.households.model.rows) == ["AFTER-0002", "SELFTEST-0001"]
    assert "待同步的修改" in window.pending_label.text() and str(pending) in window.pending_label.text()
    assert [r[1] for r in rows(dialog)] == ["恢复前", "手动"]
    store.save_household(*sample_household(3))  # the reopened store goes on working
    assert store.count_households() == 3


def test_a_restore_declined_or_with_a_form_open_changes_nothing(window, store, answer, no_blocking_message_boxes):
    store.save_household(*sample_household(1))
    dialog = open_dialog(window)
    dialog.backup_button.click()
    store.save_household(*sample_household(2))
    dialog.select(0)
    answer(QMessageBox.StandardButton.No)
    dialog.restore_button.click()
    assert store.count_households() == 2 and len(rows(dialog)) == 1
    window.opener.open_household(None)
    answer(QMessageBox.StandardButton.Yes)
    dialog.restore_button.click()
    assert any("关闭所有打开的表单" in text for kind, text in no_blocking_message_boxes if kind == "warning")
    assert store.count_households() == 2 and len(rows(dialog)) == 1


def test_the_daily_backup_once_a_day_and_the_number_kept_is_a_setting(window, store, settings):
    store.save_household(*sample_household(1))
    window.backup_control.daily()
    window.backup_control.daily()
    assert [b.kind for b in store.backups.list()] == ["daily"]
    assert "已自动备份" in window.statusBar().currentMessage()
    dialog = open_dialog(window)
    dialog.keep.setValue(2)
    assert settings.get("backup/keep") == 2 and store.backups.keep == 2
    for _ in range(3):
        dialog.backup_button.click()
    assert [r[1] for r in rows(dialog)] == ["手动", "手动", "每日"]
