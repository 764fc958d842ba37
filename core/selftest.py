"""`python main.py selftest`: a short end-to-end check of the core on a temporary encrypted profile."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

from core.idcard import check_character
from core.store import Store, WrongPassword
from core.store.migrate import head_revision

PASSWORD = "selftest-密码"


def sample_household(index: int = 0) -> tuple[dict, list[dict]]:
    """A household of three with valid ID numbers, distinct for each `index` (0..99), for tests."""
    def rid(birth: str, seq: int) -> str:
        first17 = f"522601{birth}{index:02d}{seq}"
        return first17 + check_character(first17)

    household = {"household_no": f"SELFTEST-{index:04d}", "building": "3", "unit": "2", "room": "501",
                 "resettlement_mode": "centralised", "resettlement_area": "urban", "relocation_year": 2018,
                 "phone": "13812345678", "household_type": "lifted"}
    members = [
        {"name": "王建国", "id_number": rid("19800101", 1), "relation": "head", "labour_skill": "ordinary"},
        {"name": "李秀英", "id_number": rid("19820202", 2), "relation": "spouse", "labour_skill": "ordinary"},
        {"name": "王小明", "id_number": rid("20120303", 3), "relation": "son", "labour_skill": "none",
         "school_status": "primary"},
    ]
    return household, members


def run_selftest(folder: Path, say: Callable[[str], None]) -> int:
    """Each step says what it checked; returns 0 when all pass, 1 at the first failure."""
    try:
        with Store.create(folder, PASSWORD, username="selftest") as store:
            say(f"✓ 创建加密档案 / encrypted profile created at schema {store.schema_revision()}")
            household, members = sample_household()
            saved = store.save_household(household, members, today=date.today())
            found = store.search_households("王建国")
            assert [r.id for r in found] == [saved.id], "search by name did not find the saved household"
            say("✓ 保存并查找户 / household saved and found by name")
        try:
            Store.open(folder, "wrong password")
            raise AssertionError("a wrong password opened the profile")
        except WrongPassword:
            say("✓ 错误密码被拒绝 / wrong password refused")
        try:
            sqlite3.connect(folder / "anju.db").execute("SELECT * FROM sqlite_master").fetchall()
            raise AssertionError("the database file is readable without the key")
        except sqlite3.DatabaseError:
            say("✓ 数据库文件已加密 / database file is encrypted")
        with Store.open(folder, PASSWORD) as store:
            assert store.schema_revision() == head_revision()
            assert store.count_households() == 1 and store.pending_change_count() > 0
            assert store.audit_chain_break() is None, "the audit chain is broken"
            say("✓ 重新打开，数据、待同步修改和审计日志完好 / reopened: data, outbox and audit chain intact")
    except AssertionError as exc:
        say(f"✗ 自检失败 / self-test failed: {exc}")
        return 1
    say("自检通过 / self-test passed")
    return 0
