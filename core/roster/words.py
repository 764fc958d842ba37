"""The words of a roster's problems, for the command line and the report file: each code's problem and
advice in Chinese and English, filled from the problem's params. (The GUI says the same codes through
tr(): gui/roster_words.py.) A code's advice has a second form, CODE.none, for when no nearest value is
known."""
from __future__ import annotations

from collections import defaultdict

from core.roster.problems import RosterFileError, RosterProblem

PROBLEMS: dict[str, tuple[str, str]] = {
    "column_missing": ("缺少“{column}”列", "the column {column} is missing"),
    "required": ("“{column}”没有填写", "{column} is empty"),
    "id_masked": ("身份证号已遮挡，请导出完整号码", "the ID number is masked: export the full numbers"),
    "id_as_number": ("身份证号被 Excel 存成了数字，后几位已经丢失", "Excel kept the ID number as a number and lost its last digits"),
    "id_check": ("身份证号校验位错误", "the ID number's check character does not match"),
    "id_length": ("身份证号应为18位，现在是{length}位", "the ID number should have 18 characters, it has {length}"),
    "id_characters": ("身份证号里有不该出现的字符", "the ID number contains characters it cannot have"),
    "id_province": ("身份证号前2位不是任何省份的代码", "the ID number's first 2 digits are no province's code"),
    "id_birth_date": ("身份证号中的出生日期不是真实的日期", "the birth date within the ID number is not a real one"),
    "id_area_unknown": ("身份证号前6位“{area}”查不到这个地区代码", "the area code {area} of the ID number was never issued"),
    "id_missing": ("没有填写身份证号", "no ID number"),
    "sex_mismatch": ("性别与身份证号不符，按号码应为{expected}", "the sex does not agree with the ID number ({expected})"),
    "birth_mismatch": ("出生日期与身份证号不符，按号码应为{expected}",
                       "the birth date does not agree with the ID number ({expected})"),
    "unknown_code": ("“{value}”不是可选的{field}", "{value} is not one of the choices of {field}"),
    "unknown_settlement": ("安置点“{value}”不在本机的安置点中", "the settlement {value} is not on this device"),
    "unknown_grid": ("网格“{value}”不在本机的网格中", "the grid {value} is not on this device"),
    "bad_phone": ("电话号码不对：手机是1开头的11位数字，座机要带区号",
                  "not a phone number: a mobile has 11 digits starting with 1, a landline its area code"),
    "phone_masked": ("电话号码已遮挡，请导出完整号码", "the phone number is masked: export the full numbers"),
    "no_head": ("户“{household}”没有户主", "household {household} has no head"),
    "two_heads": ("户“{household}”有{count}位户主（第{rows}行）", "household {household} has {count} heads (rows {rows})"),
    "two_spouses": ("户“{household}”有{count}位配偶（第{rows}行）",
                    "household {household} has {count} spouses (rows {rows})"),
    "duplicate_in_file": ("同一个身份证号在文件中出现了两次（第{first_row}行已有）",
                          "the same ID number is in the file twice (row {first_row} has it)"),
    "already_in_profile": ("此人已在档案中（户 {household}）", "this person is already in the profile (household {household})"),
    "id_in_other_household": ("身份证号已登记在档案的另一户（户 {household}）中",
                              "the ID number is registered in another household of the profile ({household})"),
    "household_no_taken": ("档案中已有户编号为“{household}”的户", "the profile already has a household numbered {household}"),
    "household_value_differs": ("同一户的“{column}”不一致，用的是“{kept}”",
                                "{column} differs within the household; {kept} is used"),
    "invalid": ("{message_zh}", "{message_en}"),
    "invalid_personal": ("“{field}”填写有误", "{field} is not valid"),
}

ADVICE: dict[str, tuple[str, str]] = {
    "column_missing": ("请加上这一列（可用的列名见使用说明）", "add the column (see the accepted names in the guide)"),
    "required": ("请填写", "fill it in"),
    "id_masked": ("导出花名册时选择显示完整号码，或填上完整号码", "export with full numbers, or type the full number"),
    "id_as_number": ("把这一列设为文本格式，重新填写完整号码", "format the column as text and type the full number again"),
    "id_check": ("核对号码是否抄错：任何一位抄错都会这样", "check the number for a copying mistake: any wrong digit does this"),
    "id_length": ("核对是否漏写或多写了数字", "check for a missing or extra digit"),
    "id_characters": ("只能是数字，18位号码的最后一位可以是X；常见的是把0写成O",
                      "digits only (the last of 18 may be X); O for 0 is a common slip"),
    "id_province": ("核对号码是否抄错", "check the number for a copying mistake"),
    "id_birth_date": ("核对号码的第7至14位", "check digits 7-14 of the number"),
    "id_area_unknown": ("与身份证核对；一致则可以导入", "check it against the card; if they agree it can be imported"),
    "id_missing": ("请尽量补全证件号码", "add it if possible"),
    "sex_mismatch": ("核对性别或身份证号", "check the sex or the ID number"),
    "birth_mismatch": ("核对出生日期或身份证号", "check the birth date or the ID number"),
    "unknown_code": ("是不是“{nearest}”？", "did you mean {nearest}?"),
    "unknown_code.none": ("可选：{choices}", "choose one of: {choices}"),
    "unknown_settlement": ("是不是“{nearest}”？", "did you mean {nearest}?"),
    "unknown_settlement.none": ("核对名称，或先同步县里的安置点", "check the name, or sync the county's settlements first"),
    "unknown_grid": ("是不是“{nearest}”？", "did you mean {nearest}?"),
    "unknown_grid.none": ("核对名称，或先同步县里的网格", "check the name, or sync the county's grids first"),
    "bad_phone": ("核对号码；座机请填在“家庭电话”一列", "check the number; a landline goes in a 家庭电话 column"),
    "phone_masked": ("导出花名册时选择显示完整号码，或填上完整号码", "export with full numbers, or type the full number"),
    "no_head": ("在“与户主关系”中把一位成员填为户主", "mark one member as head in the relation column"),
    "two_heads": ("一户只能有一位户主", "a household has one head"),
    "two_spouses": ("一户最多一位配偶", "a household has at most one spouse"),
    "duplicate_in_file": ("删去重复的一行", "remove the repeated row"),
    "already_in_profile": ("已导入过的人不必再导入：删去这一行，或在档案里修改",
                           "remove the row, or change the person in the profile"),
    "id_in_other_household": ("一人不能同时在两户：核对号码，或先在档案里把此人迁出",
                              "one person cannot be in two households: check the number, or move them out first"),
    "household_no_taken": ("换一个户编号，或在档案里修改那一户", "use another number, or change that household in the profile"),
    "household_value_differs": ("核对后统一", "make them agree"),
    "invalid": ("", ""),
    "invalid_personal": ("核对后重新填写", "check it and type it again"),
}

FILE_PROBLEMS: dict[str, tuple[str, str]] = {
    "file_missing": ("找不到文件“{file}”", "file not found: {file}"),
    "not_excel": ("“{file}”不是 Excel 文件（.xlsx 或 .xls）", "{file} is not an Excel file (.xlsx or .xls)"),
    "unreadable": ("“{file}”打不开：文件可能已损坏或不完整", "{file} cannot be read: it may be damaged or cut short"),
    "encrypted": ("“{file}”设了打开密码：请在 Excel 里去掉密码另存后再导入",
                  "{file} is protected by a password: remove it in Excel and save it again"),
    "empty": ("“{file}”是空的，没有任何数据", "{file} is empty"),
    "no_header": ("在“{file}”的前{rows}行里找不到表头（如“姓名”“身份证号”“与户主关系”）",
                  "no header row (姓名, 身份证号, 与户主关系…) in the first {rows} rows of {file}"),
    "no_rows": ("“{file}”的表头下面没有数据", "{file} has a header but no rows under it"),
}

# Problems whose words already show the cell, or are about a household or column rather than a cell.
WITHOUT_VALUE = frozenset({"unknown_code", "unknown_settlement", "unknown_grid", "required", "column_missing",
                           "no_head", "two_heads", "two_spouses", "household_no_taken", "invalid"})

SEVERITY = {"error": ("错误", "error"), "warning": ("提醒", "warning")}


def _fill(template: str, params: dict) -> str:
    return template.format_map(defaultdict(str, {k: "" if v is None else v for k, v in params.items()}))


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang.startswith("en") else pair[0]


def problem_text(p: RosterProblem, lang: str = "zh") -> str:
    params = {"column": p.column, **p.params}
    return _fill(_pick(PROBLEMS.get(p.code, (p.code, p.code)), lang), params)


def advice_text(p: RosterProblem, lang: str = "zh") -> str:
    key = p.code
    if f"{key}.none" in ADVICE and not p.params.get("nearest"):
        key = f"{key}.none"
    return _fill(_pick(ADVICE.get(key, ("", "")), lang), {"column": p.column, **p.params})


def file_error_text(e: RosterFileError, lang: str = "zh") -> str:
    return _fill(_pick(FILE_PROBLEMS.get(e.code, (e.code, e.code)), lang), e.params)


def shown_value(p: RosterProblem) -> str:
    """The cell to show beside the problem's words ('' when they show it already); masked where personal."""
    return "" if p.code in WITHOUT_VALUE else p.value


def severity_text(p: RosterProblem, lang: str = "zh") -> str:
    return _pick(SEVERITY[p.severity], lang)


def where_text(p: RosterProblem, lang: str = "zh", sheets: int = 1) -> str:
    """'第12行 身份证号（C列）', or 'row 12, 身份证号 (C)'; the sheet's name first when the file has several."""
    en = lang.startswith("en")
    parts = [f"{p.sheet}" if sheets > 1 and p.sheet else ""]
    if p.row is not None:
        parts.append(f"row {p.row}" if en else f"第{p.row}行")
    if p.column:
        letter = (f" ({p.letter})" if en else f"（{p.letter}列）") if p.letter else ""
        parts.append(p.column + letter)
    return (", " if en else " ").join(x for x in parts if x)
