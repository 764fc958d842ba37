"""The analysts' copy (`main.py export --sqlite OUT.db`): a plain SQLite file any tool opens, with the
profile's live rows, its links, a search on names and addresses, the ledgers as views; masked unless
asked, and every export in the audit log."""
from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, select

from core.analysis import export_sqlite
from core.analysis.tables import MODELS
from core.analysis.views import VIEWS
from core.commands import build_parser, run
from core.demo import write_demo_profile
from core.models import AuditEntry, Member
from core.outputs import OutputRefused
from core.progress import Cancelled, Progress
from tests.conftest import PASSWORD

AS_OF = date(2026, 5, 20)
FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture
def demo(store):
    write_demo_profile(store, 40, seed=5, as_of=AS_OF)
    return store


def _open(path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _audit_lines(store) -> list[AuditEntry]:
    with store.reading() as s:
        return list(s.execute(select(AuditEntry).where(AuditEntry.action == "export")).scalars())


def test_the_copy_opens_with_plain_sqlite_and_holds_every_live_row(demo, tmp_path):
    out = tmp_path / "copy.db"
    counts = export_sqlite(demo, out, today=AS_OF)
    db = _open(out)
    with demo.reading() as s:
        for model in MODELS:
            live = s.execute(select(func.count()).select_from(model).where(model.deleted.is_(False))).scalar_one()
            copied = db.execute(f"SELECT count(*) FROM [{model.__tablename__}]").fetchone()[0]
            assert copied == live == counts[model.__tablename__], model.__tablename__
    assert counts["member"] > 40 and counts["visit"] > 0
    columns = [r[1] for r in db.execute("PRAGMA table_info(member)")]
    assert "relation_label" in columns and "server_seq" not in columns and "device_id" not in columns
    assert db.execute("SELECT relation_label FROM member WHERE relation = 'head' LIMIT 1").fetchone() == ("户主",)


def test_links_are_declared_and_every_one_finds_its_row(demo, tmp_path):
    out = tmp_path / "copy.db"
    export_sqlite(demo, out, today=AS_OF)
    db = _open(out)
    links = {(r[2], r[3]) for r in db.execute("PRAGMA foreign_key_list(member)")}
    assert links == {("household", "household_id")}
    visit_rows = {(r[2], r[3]) for r in db.execute("PRAGMA foreign_key_list(visit_member)")}
    assert {("visit", "visit_id"), ("member", "member_id"), ("household", "household_id")} <= visit_rows
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_search_finds_a_member_by_name_and_a_household_by_its_address(demo, tmp_path):
    out = tmp_path / "copy.db"
    export_sqlite(demo, out, today=AS_OF)
    db = _open(out)
    name, household_id = db.execute("SELECT name, household_id FROM member ORDER BY id LIMIT 1").fetchone()
    found = db.execute("SELECT m.name FROM member_fts f JOIN member m ON m.rowid = f.rowid "
                       "WHERE member_fts MATCH ?", (f'"{name}"',)).fetchall()
    assert (name,) in found
    settlement, building = db.execute("SELECT s.name, h.building FROM household h JOIN settlement s "
                                      "ON s.id = h.settlement_id WHERE h.id = ?", (household_id,)).fetchone()
    hits = db.execute("SELECT h.id FROM household_fts f JOIN household h ON h.rowid = f.rowid "
                      "WHERE household_fts MATCH ?", (f'"{settlement}" "{building}栋"',)).fetchall()
    assert (household_id,) in hits


def test_every_ledger_view_reads_and_the_labour_ledger_lists_people(demo, tmp_path):
    out = tmp_path / "copy.db"
    export_sqlite(demo, out, today=AS_OF)
    db = _open(out)
    views = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert views == {f"ledger_{name}" for name in VIEWS}
    for view in sorted(views):
        db.execute(f"SELECT * FROM [{view}]").fetchall()  # an error in a view's SQL shows here
    labour = db.execute("SELECT name, household_no, is_labour FROM ledger_labour").fetchall()
    assert len(labour) > 10 and all(name and number for name, number, _ in labour)
    roster = db.execute("SELECT count(*) FROM ledger_roster").fetchone()[0]
    assert len(labour) < roster == db.execute("SELECT count(*) FROM member").fetchone()[0]
    assert db.execute("SELECT value FROM export_info WHERE key = 'month'").fetchone() == ("2026-05",)


def test_a_masked_copy_has_no_full_id_number_no_phone_and_no_health(demo, tmp_path):
    out = tmp_path / "copy.db"
    export_sqlite(demo, out, today=AS_OF)
    with demo.reading() as s:
        ids = [n for n in s.execute(select(Member.id_number).where(Member.id_number.is_not(None))).scalars()]
        phones = [p for p in s.execute(select(Member.phone).where(Member.phone.is_not(None))).scalars()]
    data = out.read_bytes()
    assert ids and not [n for n in ids if n.encode() in data]
    assert phones and not [p for p in phones if p.encode() in data]
    db = _open(out)
    rows = db.execute("SELECT * FROM member").fetchall()
    assert not [r for r in rows if any(FULL_ID.search(str(v)) for v in r)]
    assert "health" not in [r[1] for r in db.execute("PRAGMA table_info(member)")]
    assert db.execute("SELECT value FROM export_info WHERE key = 'masked'").fetchone() == ("yes",)
    lines = _audit_lines(demo)
    assert len(lines) == 1 and "masked" in lines[0].detail and "unmasked" not in lines[0].detail


def test_an_unmasked_copy_has_the_numbers_and_is_in_the_audit_log(demo, tmp_path):
    out = tmp_path / "copy.db"
    counts = export_sqlite(demo, out, unmasked=True, today=AS_OF)
    db = _open(out)
    number, name = db.execute("SELECT id_number, name FROM member WHERE id_number IS NOT NULL LIMIT 1").fetchone()
    assert FULL_ID.fullmatch(number)
    assert db.execute("SELECT count(*) FROM member WHERE health IS NOT NULL").fetchone()[0] > 0
    [line] = _audit_lines(demo)
    assert "unmasked" in line.detail and f"member {counts['member']}" in line.detail
    assert number not in line.detail and name not in line.detail and str(out) not in line.detail
    assert demo.audit_chain_break() is None


def test_a_cancel_midway_leaves_no_file_and_keeps_the_old_one(demo, tmp_path):
    out = tmp_path / "copy.db"
    out.write_bytes(b"the analyst's earlier copy")
    seen: list[tuple[int, int]] = []

    def report(done: int, total: int, stage: str) -> None:
        seen.append((done, total))
        if done > 100:
            progress.cancel()

    progress = Progress(report)
    with pytest.raises(Cancelled):
        export_sqlite(demo, out, progress=progress, today=AS_OF)
    done, total = seen[-1]
    assert 100 < done < total  # stopped after a chunk, well before the end
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db", "profile"]
    assert out.read_bytes() == b"the analyst's earlier copy"
    assert _audit_lines(demo) == []


def test_a_folder_or_a_missing_folder_is_refused_before_anything_is_written(demo, tmp_path):
    with pytest.raises(OutputRefused) as refused:
        export_sqlite(demo, tmp_path, today=AS_OF)
    assert refused.value.code == "is_directory"
    with pytest.raises(OutputRefused) as refused:
        export_sqlite(demo, tmp_path / "nowhere" / "copy.db", today=AS_OF)
    assert refused.value.code == "no_folder" and "不存在" in str(refused.value)
    database = demo.info.database_path
    before = database.stat().st_size
    with pytest.raises(OutputRefused) as refused:
        export_sqlite(demo, database, today=AS_OF)  # the encrypted profile is never replaced by a plain copy
    assert refused.value.code == "in_profile" and database.stat().st_size == before
    assert _audit_lines(demo) == []


def test_the_command_writes_the_copy_and_says_a_missing_folder_in_one_line(demo, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ANJU_PASSWORD", PASSWORD)
    profile = demo.info.folder
    demo.close()
    out = tmp_path / "copy.db"
    assert run(build_parser().parse_args(["export", "--profile", str(profile), "--sqlite", str(out)])) == 0
    said = capsys.readouterr()
    assert '"member"' in said.out and "已遮蔽" in said.err and out.is_file()
    missing = tmp_path / "nowhere" / "copy.db"
    assert run(build_parser().parse_args(["export", "--profile", str(profile), "--sqlite", str(missing)])) == 2
    err = capsys.readouterr().err
    assert "不存在" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
