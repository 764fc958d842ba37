"""Offline bundles from the 同步 menu, against a real county server on 127.0.0.1: the worker exports,
the clerk imports and forwards with F9 and hands the reply back, the worker imports it; a damaged
file is refused in words and changes nothing."""
from __future__ import annotations

from PySide6.QtCore import Qt

from gui_helpers import press
from tests.sync.sync_helpers import new_household, server_row


def test_a_bundle_goes_round_from_the_menus(county, enrol, make_ctx, make_window, tmp_path):
    worker, clerk = enrol("w1"), enrol("c1")
    worker_window = make_window(make_ctx(worker))
    county.stop()  # the worker is in the field: no connection
    hid = new_household(worker, no="H-FIELD-1")
    worker_window.refresh_pending()
    bundle = tmp_path / "w1.anju-bundle"
    worker_window.sync_control.bundles.export_bundle(str(bundle))
    title, text = worker_window.sync_control.bundles.last_message
    assert title == "已导出同步包" and "交给村文书" in text and bundle.is_file()

    county.start_in_thread()  # the clerk's office has a connection
    clerk_window = make_window(make_ctx(clerk))
    clerk_window.sync_control.bundles.import_bundle(str(bundle))  # connected: forwarded at once
    assert server_row(county, "household", hid)["household_no"] == "H-FIELD-1"
    title, text = clerk_window.sync_control.bundles.last_message
    assert title == "同步包" and "转交县服务器" in text and "导出回复包" in text
    clerk_window.sync_control.bundles.export_replies(str(tmp_path))
    title, text = clerk_window.sync_control.bundles.last_message
    assert title == "已导出回复包" and ".anju-reply" in text
    reply = next(tmp_path.glob("*.anju-reply"))

    worker_window.sync_control.bundles.import_bundle(str(reply))
    title, text = worker_window.sync_control.bundles.last_message
    assert title == "已导入回复包" and "处理了" in text
    assert worker.pending_change_count() == 0 and worker_window.pending_label.text() == "待同步的修改：0 项"


def test_a_damaged_file_is_refused_in_words(county, enrol, make_ctx, make_window, tmp_path):
    clerk = enrol("c1")
    window = make_window(make_ctx(clerk))
    damaged = tmp_path / "w1.anju-bundle"
    damaged.write_bytes(b'{"format": "anju-bundle", "version": 1, "header": {}')
    window.sync_control.bundles.import_bundle(str(damaged))
    title, text = window.sync_control.bundles.last_message
    assert title == "没有导入" and "不是安居同步包" in text and "程序出错" not in text
    window.sync_control.bundles.export_replies(str(tmp_path))
    assert window.sync_control.bundles.last_message[0] == "没有回复包"
