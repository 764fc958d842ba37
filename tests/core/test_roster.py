"""A village's Excel roster imported as a clerk would: a sheet with a title, a unit line and a two-level
header, checked first (every problem by row and column, nothing written), then imported all or nothing
through the outbox; an .xls from an old Excel; the command line's dry run and its words for a bad file."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from core.commands import build_parser, run
from core.idcard import check_character
from core.models import AuditEntry, Household, Member
from core.progress import Cancelled, Progress
from core.roster import RosterFileError, RosterRefused, check_roster, import_roster, write_report
from core.roster.headers import find_header

TODAY = date(2026, 11, 15)
SETTLEMENTS = [
    {"id": "s1", "code": "AZD01", "name": "阳光社区安置点", "area_code": "522601", "mode": None, "address": None},
    {"id": "s2", "code": "AZD02", "name": "幸福家园安置点", "area_code": "522601", "mode": None, "address": None},
]
GRIDS = [{"id": "g1", "code": "522601-001", "name": "阳光社区第1网格", "settlement_id": "s1", "village_code": "522601"}]


def rid(birth: str, seq: int) -> str:
    first17 = f"522601{birth}{seq:03d}"
    return first17 + check_character(first17)


def wrong_check(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


@pytest.fixture
def places(store):
    store.bulk_load({"area": [], "settlement": SETTLEMENTS, "grid": GRIDS}, reason="test reference data")
    return store


# The clean roster: what each row says, and what the store should hold after the import.
# (户编号, 姓名, 公民身份号码, 与户主关系, 性别, 民族, 出生日期, 联系电话, 安置点, 楼栋, 单元, 房号, 劳动力状况)
CLEAN = [
    ("LY-0001", "张建国", rid("19800101", 11), "户主", "男", "苗族", "1980-01-01", "13812345678", "阳光社区", "3", "2",
     "501", "普通劳动力"),
    (None, "李秀英", rid("19820202", 22), "妻", "女", "苗", None, None, None, None, None, None, "普通劳动力"),
    (None, "张小明", rid("20120303", 31), "长子", "男", "苗族", None, None, None, None, None, None, "无劳动力"),
    ("LY-0002", "王德福", rid("19650505", 41), "户主", "男", "汉族", "1965/5/5", "13900001111", "幸福家园安置点", "7", "1",
     "302", "弱劳动力或半劳动力"),
    ("LY-0002", "王芳", rid("19950606", 52), "女儿", "女", "汉族", None, "13900002222", None, None, None, None,
     "技能劳动力"),
    ("LY-0003", "吴老三", rid("19500707", 61), "户主", "男", "布依族", None, None, "阳光社区安置点", "1", "1", "101",
     "丧失劳动力"),
]
EXPECTED = {
    "LY-0001": ({"settlement_id": "s1", "building": "3", "unit": "2", "room": "501"},
                [("张建国", "head", "1", "06", date(1980, 1, 1), "13812345678", "ordinary"),
                 ("李秀英", "spouse", "2", "06", date(1982, 2, 2), None, "ordinary"),
                 ("张小明", "son", "1", "06", date(2012, 3, 3), None, "none")]),
    "LY-0002": ({"settlement_id": "s2", "building": "7", "unit": "1", "room": "302"},
                [("王德福", "head", "1", "01", date(1965, 5, 5), "13900001111", "weak"),
                 ("王芳", "daughter", "2", "01", date(1995, 6, 6), "13900002222", "skilled")]),
    "LY-0003": ({"settlement_id": "s1", "building": "1", "unit": "1", "room": "101"},
                [("吴老三", "head", "1", "09", date(1950, 7, 7), None, "lost")]),
}
UPPER = ["序号", "户编号", "姓名", "公民身份号码", "与户主关系", "性别", "民族", "出生日期", "联系电话", "安置点", "住址",
         None, None, "劳动力状况"]
LOWER = [None] * 10 + ["楼栋", "单元", "房号", None]


def write_roster(path: Path, rows: list[tuple], upper: list = UPPER, lower: list | None = LOWER) -> Path:
    """A roster as a village keeps it: a title, a unit line, the header on rows 3 (and 4), then the rows,
    a total line and a sign-off."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["某某村易地扶贫搬迁户籍花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(upper))
    ws.append(["填报单位：某某村　　统计期：2026年11月"])
    ws.append(upper)
    if lower is not None:
        ws.append(lower)
        for i, (up, low) in enumerate(zip(upper, lower), start=1):
            if up and not low:
                ws.merge_cells(start_row=3, start_column=i, end_row=4, end_column=i)
        ws.merge_cells("K3:M3")
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row])
    ws.append([f"合计（{len(rows)} 条）"])
    ws.append(["填表人：", None, None, "审核人：", None, None, "联系电话："])
    wb.save(path)
    return path


def households_in(store) -> dict[str, tuple[dict, list[tuple]]]:
    with store.reading() as s:
        homes = {h.id: h for h in s.execute(select(Household).where(Household.deleted.is_(False))).scalars()}
        people = list(s.execute(select(Member).where(Member.deleted.is_(False))).scalars())
    out = {h.household_no: ({"settlement_id": h.settlement_id, "building": h.building, "unit": h.unit, "room": h.room},
                            []) for h in homes.values()}
    for m in people:
        out[homes[m.household_id].household_no][1].append(
            (m.name, m.relation, m.sex, m.ethnicity, m.birth_date, m.phone, m.labour_skill))
    return out


def found(check) -> set[tuple]:
    return {(p.code, p.row, p.column) for p in check.problems}


# -- reading a sheet ----------------------------------------------------------------------------

@pytest.mark.parametrize("id_header", ["身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证号码（18位）", "* 证件号码"])
def test_the_header_is_found_under_a_title_by_any_common_name(id_header):
    top = [("花名册",), ("填报单位：某村",), ("序号", "户主姓名", "姓名", id_header, "与户主的关系", "联系电话"), (1, "张三")]
    header = find_header(top)
    assert (header.first, header.depth) == (2, 1)
    assert [c.target for c in header.columns] == ["skip", "key.head_name", "member.name", "member.id_number",
                                                  "member.relation", "member.phone"]


def test_a_group_merged_over_its_columns_names_them_by_their_own_titles():
    header = find_header([("标题",), (), tuple(UPPER), tuple(LOWER), (1, "LY-1", "张三")])
    assert (header.first, header.depth) == (2, 2)
    by_title = {c.header: c.target for c in header.columns}
    assert by_title["楼栋"] == "household.building" and by_title["房号"] == "household.room"
    assert by_title["安置点"] == "place.settlement" and by_title["劳动力状况"] == "member.labour_skill"


def test_a_first_data_row_is_not_taken_for_a_second_header_row():
    top = [("姓名", "与户主关系", "身份证号"), ("张三", "户主", rid("19800101", 11))]
    assert find_header(top).depth == 1


# -- a clean roster ---------------------------------------------------------------------------

def test_a_clean_roster_imports_the_households_it_holds(places, tmp_path):
    path = write_roster(tmp_path / "roster.xlsx", CLEAN)
    check = check_roster(places, path, today=TODAY)
    assert check.problems == [] and check.ok
    assert (check.rows, len(check.households), check.header_rows) == (6, 3, {"花名册": [3, 4]})
    assert places.count_households() == 0  # the dry run wrote nothing
    pending = places.pending_change_count()
    result = import_roster(places, check, today=TODAY)
    assert (result.households, result.members) == (3, 6)
    got = households_in(places)
    assert {k: (h, sorted(m)) for k, (h, m) in got.items()} == {k: (h, sorted(m)) for k, (h, m) in EXPECTED.items()}
    # every household and member waits in the outbox to be synced, like any save
    assert places.pending_change_count() == pending + 3 + 6
    assert result.changes.touches("household", "member") and len(result.changes.household_ids) == 3


def test_the_import_is_audited_without_personal_data(places, tmp_path):
    check = check_roster(places, write_roster(tmp_path / "村花名册.xlsx", CLEAN), today=TODAY)
    import_roster(places, check, today=TODAY)
    with places.reading() as s:
        lines = [a.detail for a in s.execute(select(AuditEntry).where(AuditEntry.action == "import")).scalars()]
    assert lines == ["roster 村花名册.xlsx: 3 households, 6 members"]


def test_the_same_roster_twice_is_refused_person_by_person(places, tmp_path):
    path = write_roster(tmp_path / "roster.xlsx", CLEAN)
    import_roster(places, check_roster(places, path, today=TODAY), today=TODAY)
    again = check_roster(places, path, today=TODAY)
    assert {p.code for p in again.problems} == {"already_in_profile"} and len(again.errors) == 6
    assert again.problems[0].params["household"] == "LY-0001"
    with pytest.raises(RosterRefused):
        import_roster(places, again, today=TODAY)
    assert places.count_households() == 3


def test_an_xls_from_an_old_excel_imports(places, tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    header = ["户号", "姓名", "身份证号", "家庭关系", "性别", "民族", "联系电话", "安置点", "楼栋", "单元", "房号"]
    rows = [(1001, "赵大海", rid("19780808", 71), "户主", "男", "侗族", "13700000001", "阳光社区安置点", 5, 1, 201),
            (1001, "钱小红", rid("19800909", 82), "配偶", "女", "侗族", None, None, None, None, None)]
    for c, text in enumerate(header):
        sheet.write(0, c, text)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    path = tmp_path / "old.xls"
    book.save(str(path))
    check = check_roster(places, path, today=TODAY)
    assert check.problems == []
    import_roster(places, check, today=TODAY)
    got = households_in(places)
    assert got["1001"][0] == {"settlement_id": "s1", "building": "5", "unit": "1", "room": "201"}
    assert sorted(m[:4] for m in got["1001"][1]) == [("赵大海", "head", "1", "12"), ("钱小红", "spouse", "2", "12")]


# -- planted mistakes -------------------------------------------------------------------------

def planted(store) -> list[tuple]:
    """A roster with one of each mistake; the person whose ID is already in another household of the
    profile is saved there first."""
    store.save_household({"household_no": "OLD-1", "settlement_id": "s1"},
                         [{"name": "周旧户", "id_number": rid("19700101", 91), "relation": "head"}], today=TODAY)
    rows = list(CLEAN[:3])
    rows += [("LY-0002", "王德福", wrong_check(rid("19650505", 41)), "户主", "男", "汉族", None, None, "幸福家园", "7", "1",
              "302", None),                                                                   # row 8: check char
             ("LY-0002", "王芳", rid("19950606", 52), "女", "女", "汉族", "1995-07-06", None, None, None, None, None,
              None),                                                                          # row 9: birth date
             ("LY-0003", "吴老三", rid("19500707", 61), "户主", "男", "苗旅", None, None, "阳光社区", "1", "1", "101",
              None),                                                                          # row 10: 苗旅
             ("LY-0004", "郑一", rid("19600101", 71), "户主", "男", "汉族", None, None, "阳光社区", "2", "2", "202", None),
             ("LY-0004", "郑二", rid("19620101", 81), "户主", "男", "汉族", None, None, None, None, None, None, None),  # 12
             ("LY-0005", "冯小", rid("20000101", 91), "子", "男", "汉族", None, None, "阳光社区", "2", "2", "203", None),  # 13
             ("LY-0006", "张建国", rid("19800101", 11), "户主", "男", "苗族", None, None, "阳光社区", "4", "1", "101",
              None),                                                                          # row 14: twice
             ("LY-0007", "周旧户", rid("19700101", 91), "户主", "男", "汉族", None, None, "阳光社区", "4", "2", "101",
              None)]                                                                          # row 15: elsewhere
    return rows


def test_planted_mistakes_are_exactly_the_problems_and_nothing_is_imported(places, tmp_path):
    path = write_roster(tmp_path / "roster.xlsx", planted(places))
    before = (places.count_households(), places.pending_change_count())
    check = check_roster(places, path, today=TODAY)
    assert found(check) == {
        ("id_check", 8, "公民身份号码"),
        ("birth_mismatch", 9, "出生日期"),
        ("unknown_code", 10, "民族"),
        ("two_heads", 12, "与户主关系"),
        ("no_head", 13, "与户主关系"),
        ("duplicate_in_file", 14, "公民身份号码"),
        ("id_in_other_household", 15, "公民身份号码"),
    }
    by_code = {p.code: p for p in check.problems}
    assert by_code["unknown_code"].params["nearest"] == "苗族" and by_code["unknown_code"].value == "苗旅"
    assert by_code["birth_mismatch"].params["expected"] == "1995年6月6日"
    assert by_code["duplicate_in_file"].params["first_row"] == 5
    assert by_code["id_in_other_household"].params["household"] == "OLD-1"
    assert by_code["two_heads"].params["rows"] == "11、12" and by_code["no_head"].params["household"] == "LY-0005"
    assert "*" in by_code["id_check"].value and rid("19650505", 41)[6:14] not in by_code["id_check"].value
    with pytest.raises(RosterRefused):
        import_roster(places, check, today=TODAY)
    assert (places.count_households(), places.pending_change_count()) == before


def test_the_report_lists_every_problem_masked(places, tmp_path):
    check = check_roster(places, write_roster(tmp_path / "roster.xlsx", planted(places)), today=TODAY)
    report = write_report(check, tmp_path / "report.xlsx")
    rows = list(openpyxl.load_workbook(report).active.iter_rows(values_only=True))
    assert rows[2][:6] == ("行号", "列", "内容", "类型", "问题", "建议")
    listed = rows[3:]
    assert len(listed) == len(check.problems) == 7
    assert [r[0] for r in listed] == [8, 9, 10, 12, 13, 14, 15]
    assert ("民族（G列）", "苗旅", "错误", "“苗旅”不是可选的民族", "是不是“苗族”？") == listed[2][1:6]
    text = "".join(str(c) for r in rows for c in r)
    assert rid("19700101", 91) not in text and rid("19800101", 11) not in text  # IDs masked
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile", "report.xlsx", "roster.xlsx"]  # no temp file


def test_the_report_keeps_odd_cells_as_plain_text(places, tmp_path):
    """A control character an old .xls holds, or a value that looks like a formula, cannot stop the report
    nor run as a formula in it."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    header = ["户号", "姓名", "身份证号", "家庭关系", "性别", "民族", "安置点"]
    rows = [(1001, "赵大海", rid("19780808", 71), "户主", "男", "侗\x0b旅", "阳光社区安置点"),
            (1001, "钱小红", rid("19800909", 82), "配偶", "女", "=1+1", None)]
    for c, text in enumerate(header):
        sheet.write(0, c, text)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.save(str(tmp_path / "old.xls"))
    check = check_roster(places, tmp_path / "old.xls", today=TODAY)
    report = write_report(check, tmp_path / "report.xlsx")
    cells = [c for r in openpyxl.load_workbook(report).active.iter_rows() for c in r if c.value is not None]
    values = {c.value for c in cells}
    assert "侗旅" in values and "=1+1" in values
    assert all(c.data_type != "f" for c in cells)


def test_masked_ids_and_phones_are_said_as_masked_not_as_wrong(places, tmp_path):
    masked = [(r[0], r[1], r[2][:6] + "********" + r[2][-4:], *r[3:7], "138****5678" if r[7] else None, *r[8:])
              for r in CLEAN]
    check = check_roster(places, write_roster(tmp_path / "roster.xlsx", masked), today=TODAY)
    assert {p.code for p in check.problems} == {"id_masked", "phone_masked"}
    assert len([p for p in check.problems if p.code == "id_masked"]) == 6


def test_an_id_excel_kept_as_a_number_is_said(places, tmp_path):
    rows = [(CLEAN[5][0], CLEAN[5][1], float(rid("19500707", 61)[:17] + "0"), *CLEAN[5][3:])]
    check = check_roster(places, write_roster(tmp_path / "roster.xlsx", rows), today=TODAY)
    assert found(check) == {("id_as_number", 5, "公民身份号码")}


def test_an_unknown_settlement_suggests_the_nearest(places, tmp_path):
    rows = [(*CLEAN[5][:8], "阳关社区安置点", *CLEAN[5][9:])]
    check = check_roster(places, write_roster(tmp_path / "roster.xlsx", rows), today=TODAY)
    assert found(check) == {("unknown_settlement", 5, "安置点")}
    assert check.problems[0].params["nearest"] == "阳光社区安置点"


# -- households without a number --------------------------------------------------------------

def test_without_household_numbers_heads_start_households_and_numbers_are_made(places, tmp_path):
    upper = ["序号", "姓名", "身份证号", "与户主关系", "性别", "安置点", "楼栋", "单元", "房号"]
    rows = [(r[1], r[2], r[3], r[4], r[8], r[9], r[10], r[11]) for r in CLEAN]
    check = check_roster(places, write_roster(tmp_path / "roster.xlsx", rows, upper, None), today=TODAY)
    assert check.problems == [] and check.numbered
    assert [h.household["household_no"] for h in check.households] == ["R20261115-0001", "R20261115-0002",
                                                                        "R20261115-0003"]
    assert [len(h.members) for h in check.households] == [3, 2, 1]
    import_roster(places, check, today=TODAY)
    newcomer = rows[5][:1] + (rid("19510101", 13),) + rows[5][2:]
    again = check_roster(places, write_roster(tmp_path / "more.xlsx", [newcomer], upper, None), today=TODAY)
    assert [h.household["household_no"] for h in again.households] == ["R20261115-0004"]


def test_households_by_head_name_and_address(places, tmp_path):
    upper = ["序号", "户主姓名", "姓名", "身份证号", "与户主关系", "安置点", "楼栋", "单元", "房号"]
    rows = [("张建国", "张建国", rid("19800101", 11), "户主", "阳光社区", "3", "2", "501"),
            ("王德福", "王德福", rid("19650505", 41), "户主", "阳光社区", "7", "1", "302"),
            ("张建国", "李秀英", rid("19820202", 22), "配偶", None, None, None, None),
            ("王德福", "王芳", rid("19950606", 52), "女", None, None, None, None)]
    check = check_roster(places, write_roster(tmp_path / "roster.xlsx", rows, upper, None), today=TODAY)
    assert check.problems == []
    assert [[m["name"] for m in h.members] for h in check.households] == [["张建国", "李秀英"], ["王德福", "王芳"]]


# -- all or nothing ---------------------------------------------------------------------------

def test_a_cancel_part_way_through_the_import_writes_nothing(places, tmp_path):
    check = check_roster(places, write_roster(tmp_path / "roster.xlsx", CLEAN), today=TODAY)
    progress = Progress()

    def report(done: int, total: int, stage: str) -> None:
        if stage == "saving" and done == 2:
            progress.cancel()

    progress._report = report
    with pytest.raises(Cancelled):
        import_roster(places, check, progress, today=TODAY)
    assert places.count_households() == 0 and places.pending_change_count() == 0


def test_a_failure_part_way_through_the_import_writes_nothing(places, tmp_path, monkeypatch):
    import core.store.importing as importing

    check = check_roster(places, write_roster(tmp_path / "roster.xlsx", CLEAN), today=TODAY)
    real, calls = importing.record_upsert, []

    def failing(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 6:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "record_upsert", failing)
    with pytest.raises(Exception):
        import_roster(places, check, today=TODAY)
    assert places.count_households() == 0 and places.pending_change_count() == 0


# -- the command line -------------------------------------------------------------------------

def main(*args: str) -> int:
    return run(build_parser().parse_args(list(args)))


@pytest.fixture
def cli(places, monkeypatch, profile_password):
    monkeypatch.setenv("ANJU_PASSWORD", profile_password)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    return places


def test_the_dry_run_prints_every_problem_and_exits_1(cli, tmp_path, capsys):
    path = write_roster(tmp_path / "roster.xlsx", planted(cli))
    before = cli.count_households()
    assert main("import", "--profile", str(cli.info.folder), str(path), "--dry-run",
                "--report", str(tmp_path / "report.xlsx")) == 1
    out, err = capsys.readouterr()
    assert "第8行 公民身份号码（D列）：身份证号校验位错误（522601********" in out
    assert "第10行 民族（G列）：“苗旅”不是可选的民族。是不是“苗族”？" in out
    assert "第15行 公民身份号码（D列）：身份证号已登记在档案的另一户（户 OLD-1）中" in out
    assert rid("19700101", 91) not in out + err
    assert "发现 7 个错误" in err and "没有导入" in err and (tmp_path / "report.xlsx").exists()
    assert cli.count_households() == before


def test_a_clean_dry_run_exits_0_and_the_import_writes_and_queues_the_households(cli, tmp_path, capsys):
    path = write_roster(tmp_path / "roster.xlsx", CLEAN)
    folder = str(cli.info.folder)
    assert main("import", "--profile", folder, str(path), "--dry-run") == 0
    assert cli.count_households() == 0
    pending = cli.pending_change_count()
    assert main("import", "--profile", folder, str(path)) == 0
    assert "已导入 3 户 6 人" in capsys.readouterr().out
    assert cli.count_households() == 3 and cli.pending_change_count() == pending + 9


@pytest.mark.parametrize("make, words", [
    (lambda p: p, "找不到文件“missing.xlsx”"),
    (lambda p: (p.write_bytes(b"\x00garbled\xff" * 50), p)[1], "不是 Excel 文件"),
    (lambda p: (p.write_bytes(b"PK\x03\x04 cut short"), p)[1], "打不开"),
    (lambda p: (openpyxl.Workbook().save(p), p)[1], "找不到表头"),
    (lambda p: (p.write_text("姓名,身份证号\n张三,1\n", encoding="utf-8"), p)[1], "不是 Excel 文件"),
])
def test_a_file_that_is_no_roster_is_one_line_and_exit_2(cli, tmp_path, capsys, make, words):
    path = make(tmp_path / "missing.xlsx")
    assert main("import", "--profile", str(cli.info.folder), str(path), "--dry-run") == 2
    out, err = capsys.readouterr()
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_header_without_rows_is_said(places, tmp_path):
    with pytest.raises(RosterFileError) as e:
        check_roster(places, write_roster(tmp_path / "roster.xlsx", []), today=TODAY)
    assert e.value.code == "no_rows"


# -- the ledger exported and imported again -----------------------------------------------------

def test_a_roster_exported_and_imported_into_an_empty_profile_gives_the_same_households(tmp_path, profile_password):
    from core.demo import write_demo_profile
    from core.ledgers import export_ledgers
    from core.models import Area, Grid, Settlement
    from core.store import Store
    from core.store.records import row_to_dict

    with Store.create(tmp_path / "full", profile_password, username="c1") as full:
        write_demo_profile(full, 40, seed=5, as_of=TODAY)
        export_ledgers(full, ["roster"], "2026-11", tmp_path / "roster.xlsx", masked=False, today=TODAY)
        with full.reading() as s:
            reference = {m.__tablename__: [row_to_dict(r) for r in s.execute(select(m)).scalars()]
                         for m in (Area, Settlement, Grid)}
        before = roster_view(full)
    with Store.create(tmp_path / "empty", profile_password, username="w1") as empty:
        empty.bulk_load(reference, reason="reference data")
        check = check_roster(empty, tmp_path / "roster.xlsx", today=TODAY)
        assert check.problems == []
        import_roster(empty, check, today=TODAY)
        assert roster_view(empty) == before


def roster_view(store) -> dict:
    """What the 户籍花名册 holds of each household and its members who have not left."""
    fields = ("name", "relation", "sex", "ethnicity", "id_number", "birth_date", "phone", "education",
              "labour_skill", "status")
    with store.reading() as s:
        homes = {h.id: h for h in s.execute(select(Household).where(Household.deleted.is_(False))).scalars()}
        people = s.execute(select(Member).where(Member.deleted.is_(False), Member.status != "removed")).scalars()
        view: dict = {}
        for m in people:
            h = homes[m.household_id]
            key = (h.household_no, h.settlement_id, h.grid_id, h.building, h.unit, h.room)
            view.setdefault(key, []).append(tuple(getattr(m, f) for f in fields))
    return {k: sorted(v) for k, v in view.items()}
