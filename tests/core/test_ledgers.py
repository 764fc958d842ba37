"""The 台账 ledgers read back as a county office would open them: the title, the reporting line, the
two-level headers and their merged cells, the print setup, the rows (checked against the profile's
records by an independent count), the totals, and the masking; the audit log holds every export."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from core.commands import build_parser, run
from core.demo import write_demo_profile
from core.ledgers import LEDGERS, LedgerError, export_ledgers, ledger_file_name
from core.models import AuditEntry, Household, Member
from core.progress import Cancelled, Progress

AS_OF = date(2026, 5, 20)
MONTH = "2026-05"
FULL_ID = re.compile(r"^\d{17}[\dX]$")
FULL_PHONE = re.compile(r"^1\d{10}$")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from core.store import Store
    from tests.conftest import PASSWORD

    folder = tmp_path_factory.mktemp("ledgers") / "profile"
    store = Store.create(folder, PASSWORD, username="c1")
    write_demo_profile(store, 60, seed=7, as_of=AS_OF)
    yield store
    store.close()


@pytest.fixture(scope="module")
def exported(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = export_ledgers(demo, list(LEDGERS), MONTH, out, today=AS_OF)
    return out, result


def _sheet(out: Path, name: str):
    return load_workbook(out / ledger_file_name(LEDGERS[name], MONTH)).worksheets[0]


def _data(ws) -> list[tuple]:
    """The data rows: from row 5 to the row before 合计."""
    rows = []
    for row in ws.iter_rows(min_row=5, values_only=True):
        if isinstance(row[0], str) and row[0].startswith("合计"):
            return rows
        rows.append(row)
    raise AssertionError("no totals row")


def _totals(ws) -> tuple:
    return next(r for r in ws.iter_rows(min_row=5, values_only=True) if isinstance(r[0], str) and r[0].startswith("合计"))


def _column(ws, title: str) -> int:
    """The 0-based index of a column by its title in either header row."""
    for row in (3, 4):
        for cell in ws[row]:
            if cell.value == title:
                return cell.column - 1
    raise AssertionError(f"no column {title}")


@pytest.mark.parametrize("name", list(LEDGERS))
def test_every_ledger_has_the_county_frame(exported, name):
    out, result = exported
    ledger = LEDGERS[name]
    ws = _sheet(out, name)
    width = len(ledger.columns) + 1
    assert ws["A1"].value == ledger.title
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = get_column_letter(width)
    assert f"A1:{last}1" in merged and f"A2:{last}2" in merged
    period = ledger.period(MONTH) if ledger.period else "2026年5月"
    assert period in ws["A2"].value and "填报单位" in ws["A2"].value and "2026-05-20" in ws["A2"].value
    assert ws["A3"].value == "序号" and "A3:A4" in merged
    # two-level headers: each group's title merged over its columns in row 3, its columns' titles in row 4
    for i, col in enumerate(ledger.columns, start=2):
        letter = get_column_letter(i)
        if col.group:
            assert ws.cell(row=4, column=i).value == col.title
        else:
            assert ws.cell(row=3, column=i).value == col.title and f"{letter}3:{letter}4" in merged
    groups = [c.group for c in ledger.columns if c.group]
    for group in dict.fromkeys(groups):
        assert group in [c.value for c in ws[3]]
    assert ws.freeze_panes.endswith("5")
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.column_dimensions["B"].width > 4
    rows = _data(ws)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))  # 序号
    assert _totals(ws)[0] == f"合计（{len(rows)} 条）" and result.rows[name] == len(rows)


def test_totals_add_up_the_rows(exported):
    out, _ = exported
    for name in ("labour", "jobs", "training", "measures", "roster", "dispatch"):
        ws = _sheet(out, name)
        rows, totals = _data(ws), _totals(ws)
        for i, col in enumerate(LEDGERS[name].columns, start=1):
            if col.total:
                expected = round(sum(r[i] for r in rows if isinstance(r[i], (int, float))), 2)
                assert totals[i] == pytest.approx(expected), (name, col.title)


def _working_age_members(store) -> int:
    """Counted here by hand: members who have not left, of live households, aged 16 to 59 in May 2026
    (or without a birth date)."""
    with store.reading() as s:
        rows = s.execute(select(Member.birth_date).join(Household, Household.id == Member.household_id).where(
            Member.deleted.is_(False), Member.status != "removed", Household.deleted.is_(False))).all()

    def age(b: date) -> int:
        return 2026 - b.year - (1 if 5 < b.month else 0)
    return sum(1 for (b,) in rows if b is None or 16 <= age(b) <= 59)


def test_rows_are_the_people_and_records_the_ledger_names(exported, demo):
    out, _ = exported
    assert len(_data(_sheet(out, "labour"))) == _working_age_members(demo)
    roster = _sheet(out, "roster")
    assert len(_data(roster)) == demo.member_count()
    assert _totals(roster)[_column(roster, "户人数")] == demo.member_count()
    with demo.reading() as s:
        households = s.execute(select(Household.household_no).where(Household.deleted.is_(False))).scalars().all()
    assert {r[_column(roster, "户编号")] for r in _data(roster)} == set(households)


def test_zero_employment_ledger_lists_the_indicators_households(exported, demo):
    out, _ = exported
    ws = _sheet(out, "zero-employment")
    now = {r[1] for r in _data(ws) if r[_column(ws, "本月状态")] == "零就业"}
    behind = set(demo.households_behind("zero_employment", AS_OF))
    with demo.reading() as s:
        numbers = set(s.execute(select(Household.household_no).where(Household.id.in_(behind))).scalars())
    assert now == numbers and numbers


def test_each_zero_employment_household_is_one_row(exported):
    out, _ = exported
    numbers = [r[1] for r in _data(_sheet(out, "zero-employment"))]
    assert len(numbers) == len(set(numbers))


def test_overdue_cases_are_the_indicators(exported, demo):
    out, _ = exported
    ws = _sheet(out, "grievances")
    overdue = sum(r[_column(ws, "超期未办结")] == "是" for r in _data(ws))
    assert overdue == demo.indicators(AS_OF).overdue_grievances.numerator


def test_labour_ledger_quotes_the_dashboards_labour_force(exported, demo):
    out, _ = exported
    ws = _sheet(out, "labour")
    figure = demo.indicators(AS_OF).employed_members
    able = sum(r[_column(ws, "有能力有意愿")] == "是" for r in _data(ws))
    assert able == figure.denominator
    foot = [r[0] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str) and r[0].startswith("其中有劳动能力")]
    assert foot and f"劳动力 {figure.denominator} 人" in foot[0] and f"本月就业 {figure.numerator} 人" in foot[0]


def test_a_former_head_who_left_is_not_the_head(store, tmp_path):
    """A household whose head left (status 减少) and whose son became head: its measures are listed once
    each, under the new head."""
    from core.models import Measure

    write_demo_profile(store, 60, seed=7, as_of=AS_OF)
    with store.reading() as s:
        hid = s.execute(select(Measure.household_id).where(Measure.deleted.is_(False))).scalars().first()
    record = store.get_household(hid, log_access=False)
    number = record.household["household_no"]

    def rows_of_household() -> list[tuple]:
        target = tmp_path / "measures.xlsx"
        export_ledgers(store, ["measures"], MONTH, target, today=AS_OF)
        return [r for r in _data(load_workbook(target).worksheets[0]) if r[1] == number]

    before = rows_of_household()
    members = [dict(m) for m in record.members]
    old = next(m for m in members if m["relation"] == "head")
    heir = next(m for m in members if m["relation"] != "head")
    old["status"], heir["relation"] = "removed", "head"
    store.save_household(dict(record.household), members, today=AS_OF)
    after = rows_of_household()
    assert before and len(after) == len(before)
    assert {r[2] for r in after} == {heir["name"]}


def test_training_ledger_ends_with_the_30_percent_figure(exported, demo):
    out, _ = exported
    ws = _sheet(out, "training")
    figure = demo.indicators(AS_OF).training
    foot = [r[0] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str) and "培训覆盖率" in r[0]]
    assert foot and f"{figure.numerator} 人" in foot[0] and f"{figure.rate:.1%}" in foot[0] and "30%" in foot[0]


def test_masked_by_default_and_unmasked_is_audited(exported, demo, tmp_path):
    out, _ = exported
    for name in LEDGERS:
        for row in _sheet(out, name).iter_rows(values_only=True):
            assert not any(isinstance(v, str) and (FULL_ID.match(v) or FULL_PHONE.match(v)) for v in row), name
    target = tmp_path / "roster.xlsx"
    export_ledgers(demo, ["roster"], MONTH, target, masked=False, today=AS_OF)
    ws = load_workbook(target).worksheets[0]
    ids = [r[_column(ws, "身份证号")] for r in _data(ws)]
    assert ids and all(FULL_ID.match(i) for i in ids if i)
    with demo.reading() as s:
        lines = s.execute(select(AuditEntry.detail).where(AuditEntry.action == "export")).scalars().all()
    assert any("roster" in d and "UNMASKED" in d for d in lines)
    assert sum("masked" in d and "UNMASKED" not in d for d in lines) >= len(LEDGERS)


def test_one_sheet_per_settlement_holds_the_same_rows(exported, demo, tmp_path):
    out, _ = exported
    target = tmp_path / "labour.xlsx"
    export_ledgers(demo, ["labour"], MONTH, target, per_settlement=True, today=AS_OF)
    wb = load_workbook(target)
    names = {s["name"] for s in demo.settlements()}
    assert {ws.title for ws in wb.worksheets} <= names and len(wb.worksheets) > 1
    assert sum(len(_data(ws)) for ws in wb.worksheets) == len(_data(_sheet(out, "labour")))
    for ws in wb.worksheets:
        assert ws.title in ws["A2"].value  # the settlement is the reporting unit of its sheet


def test_quarterly_bulletin_puts_the_previous_quarter_beside(exported):
    out, _ = exported
    ws = _sheet(out, "bulletin")
    assert [c.value for c in ws[4]][3:6] == ["本季度", "上季度", "目标"]
    first = _data(ws)[0]
    assert first[1] == "全部" and first[4] not in (None, "")


def test_cancel_leaves_no_file(demo, tmp_path):
    progress = Progress(lambda done, total, stage: progress.cancel() if done else None)
    with pytest.raises(Cancelled):
        export_ledgers(demo, ["roster"], MONTH, tmp_path / "r.xlsx", progress=progress, today=AS_OF)
    assert list(tmp_path.iterdir()) == []


def test_wrong_requests_are_said_by_code(demo, tmp_path):
    with pytest.raises(LedgerError) as e:
        export_ledgers(demo, ["roster"], "2026-07", tmp_path / "r.xlsx", today=AS_OF)
    assert e.value.code == "future_month"
    with pytest.raises(LedgerError) as e:
        export_ledgers(demo, ["nonsense"], MONTH, tmp_path / "r.xlsx", today=AS_OF)
    assert e.value.code == "unknown_ledger" and "roster" in e.value.params["known"]
    with pytest.raises(LedgerError) as e:
        export_ledgers(demo, ["roster", "labour"], MONTH, tmp_path / "r.xlsx", today=AS_OF)
    assert e.value.code == "need_folder"
    with pytest.raises(LedgerError) as e:
        export_ledgers(demo, ["roster"], MONTH, tmp_path / "missing" / "r.xlsx", today=AS_OF)
    assert e.value.code == "no_folder"
    with pytest.raises(LedgerError) as e:
        export_ledgers(demo, ["roster"], MONTH, demo.info.folder / "r.xlsx", today=AS_OF)
    assert e.value.code == "in_profile" and not (demo.info.folder / "r.xlsx").exists()
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(LedgerError) as e:
        export_ledgers(demo, ["roster"], MONTH, tmp_path / "notes.txt", today=AS_OF)
    assert e.value.code == "not_a_folder" and (tmp_path / "notes.txt").read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_command_line_export(demo, tmp_path, monkeypatch, capsys):
    from tests.conftest import PASSWORD

    monkeypatch.setenv("ANJU_PASSWORD", PASSWORD)
    folder = demo.info.folder
    assert run(build_parser().parse_args(["export", "--profile", str(folder), "--list"])) == 0
    assert "户籍花名册" in capsys.readouterr().out
    args = ["export", "--profile", str(folder), "--ledger", "jobs,training", "--period", MONTH, "--out", str(tmp_path)]
    assert run(build_parser().parse_args(args)) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ledger_file_name(LEDGERS[n], MONTH) for n in ("jobs", "training"))
    bad = ["export", "--profile", str(folder), "--ledger", "roster", "--period", "2999-01", "--out", str(tmp_path)]
    assert run(build_parser().parse_args(bad)) == 2
    assert "还没有到" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser().parse_args(["export", "--profile", str(folder), "--ledger", "roster", "--period", "2026-13"])


def test_a_grievance_without_a_typed_deadline_gets_the_countys_time_limit(store):
    """办理时限: typed, else the received date plus the county's limit for its kind, as the indicator reads it."""
    from datetime import timedelta

    from sqlalchemy import update

    from core.indicators import CountyRules
    from core.ledgers.context import LedgerContext
    from core.ledgers.records import GRIEVANCE_COLUMNS, grievance_rows
    from core.models import Grievance

    write_demo_profile(store, 60, seed=7, as_of=AS_OF)
    with store.writing() as s:  # half the cases as a worker leaves them: no deadline typed
        ids = s.execute(select(Grievance.id).order_by(Grievance.case_no)).scalars().all()
        s.execute(update(Grievance).where(Grievance.id.in_(ids[::2])).values(deadline=None))
    with store.reading() as s:
        cases = {g.case_no: g for g in s.execute(select(Grievance).where(Grievance.deleted.is_(False))).scalars()}
        rules = CountyRules(grievance_days=tuple((kind, 7) for kind in {g.kind for g in cases.values()}))
        rows = list(grievance_rows(LedgerContext(s, MONTH, AS_OF, rules)))
    due = [c.title for c in GRIEVANCE_COLUMNS].index("办理时限")
    assert rows and any(cases[row[0]].deadline is None for row in rows)
    for row in rows:
        g = cases[row[0]]
        expected = g.deadline or g.received_date + timedelta(days=7)
        assert row[due] == expected.isoformat()
