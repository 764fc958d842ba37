"""The roster import's problems in the UI language: each code of core.roster (core/roster/words.py says
the same for the command line and the report file) through tr(), filled from the problem's params."""
from __future__ import annotations

from collections import defaultdict

from core.roster import RosterFileError, RosterProblem
from gui.i18n import tr, tr_noop

PROBLEMS = {
    "column_missing": tr_noop("缺少“{column}”列"),
    "required": tr_noop("“{column}”没有填写"),
    "id_masked": tr_noop("身份证号已遮挡，请导出完整号码"),
    "id_as_number": tr_noop("身份证号被 Excel 存成了数字，后几位已经丢失"),
    "id_check": tr_noop("身份证号校验位错误"),
    "id_length": tr_noop("身份证号应为18位，现在是{length}位"),
    "id_characters": tr_noop("身份证号里有不该出现的字符"),
    "id_province": tr_noop("身份证号前2位不是任何省份的代码"),
    "id_birth_date": tr_noop("身份证号中的出生日期不是真实的日期"),
    "id_area_unknown": tr_noop("身份证号前6位“{area}”查不到这个地区代码"),
    "id_missing": tr_noop("没有填写身份证号"),
    "sex_mismatch": tr_noop("性别与身份证号不符，按号码应为{expected}"),
    "birth_mismatch": tr_noop("出生日期与身份证号不符，按号码应为{expected}"),
    "unknown_code": tr_noop("“{value}”不是可选的{field}"),
    "unknown_settlement": tr_noop("安置点“{value}”不在本机的安置点中"),
    "unknown_grid": tr_noop("网格“{value}”不在本机的网格中"),
    "bad_phone": tr_noop("电话号码不对：手机是1开头的11位数字，座机要带区号"),
    "phone_masked": tr_noop("电话号码已遮挡，请导出完整号码"),
    "no_head": tr_noop("户“{household}”没有户主"),
    "two_heads": tr_noop("户“{household}”有{count}位户主（第{rows}行）"),
    "two_spouses": tr_noop("户“{household}”有{count}位配偶（第{rows}行）"),
    "duplicate_in_file": tr_noop("同一个身份证号在文件中出现了两次（第{first_row}行已有）"),
    "already_in_profile": tr_noop("此人已在档案中（户 {household}）"),
    "id_in_other_household": tr_noop("身份证号已登记在档案的另一户（户 {household}）中"),
    "household_no_taken": tr_noop("档案中已有户编号为“{household}”的户"),
    "household_value_differs": tr_noop("同一户的“{column}”不一致，用的是“{kept}”"),
    "invalid_personal": tr_noop("“{field}”填写有误"),
}
ADVICE = {
    "column_missing": tr_noop("请加上这一列（可用的列名见使用说明）"),
    "required": tr_noop("请填写"),
    "id_masked": tr_noop("导出花名册时选择显示完整号码，或填上完整号码"),
    "id_as_number": tr_noop("把这一列设为文本格式，重新填写完整号码"),
    "id_check": tr_noop("核对号码是否抄错：任何一位抄错都会这样"),
    "id_length": tr_noop("核对是否漏写或多写了数字"),
    "id_characters": tr_noop("只能是数字，18位号码的最后一位可以是X；常见的是把0写成O"),
    "id_province": tr_noop("核对号码是否抄错"),
    "id_birth_date": tr_noop("核对号码的第7至14位"),
    "id_area_unknown": tr_noop("与身份证核对；一致则可以导入"),
    "id_missing": tr_noop("请尽量补全证件号码"),
    "sex_mismatch": tr_noop("核对性别或身份证号"),
    "birth_mismatch": tr_noop("核对出生日期或身份证号"),
    "unknown_code": tr_noop("是不是“{nearest}”？"),
    "unknown_code.none": tr_noop("可选：{choices}"),
    "unknown_settlement": tr_noop("是不是“{nearest}”？"),
    "unknown_settlement.none": tr_noop("核对名称，或先同步县里的安置点"),
    "unknown_grid": tr_noop("是不是“{nearest}”？"),
    "unknown_grid.none": tr_noop("核对名称，或先同步县里的网格"),
    "bad_phone": tr_noop("核对号码；座机请填在“家庭电话”一列"),
    "phone_masked": tr_noop("导出花名册时选择显示完整号码，或填上完整号码"),
    "no_head": tr_noop("在“与户主关系”中把一位成员填为户主"),
    "two_heads": tr_noop("一户只能有一位户主"),
    "two_spouses": tr_noop("一户最多一位配偶"),
    "duplicate_in_file": tr_noop("删去重复的一行"),
    "already_in_profile": tr_noop("已导入过的人不必再导入：删去这一行，或在档案里修改"),
    "id_in_other_household": tr_noop("一人不能同时在两户：核对号码，或先在档案里把此人迁出"),
    "household_no_taken": tr_noop("换一个户编号，或在档案里修改那一户"),
    "household_value_differs": tr_noop("核对后统一"),
    "invalid_personal": tr_noop("核对后重新填写"),
}
FILE_PROBLEMS = {
    "file_missing": tr_noop("找不到文件“{file}”。"),
    "not_excel": tr_noop("“{file}”不是 Excel 文件（.xlsx 或 .xls）。"),
    "unreadable": tr_noop("“{file}”打不开：文件可能已损坏或不完整。"),
    "encrypted": tr_noop("“{file}”设了打开密码：请在 Excel 里去掉密码另存后再导入。"),
    "empty": tr_noop("“{file}”是空的，没有任何数据。"),
    "no_header": tr_noop("在“{file}”的前{rows}行里找不到表头（如“姓名”“身份证号”“与户主关系”）。"),
    "no_rows": tr_noop("“{file}”的表头下面没有数据。"),
}


def _fill(template: str, params: dict) -> str:
    return template.format_map(defaultdict(str, {k: "" if v is None else v for k, v in params.items()}))


def problem_words(p: RosterProblem, lang: str) -> str:
    """What is wrong, in the UI language (validation's own words, which core gives in both, as they are)."""
    if p.code == "invalid":
        return str(p.params.get("message_en" if lang == "en" else "message_zh", ""))
    return _fill(tr(PROBLEMS[p.code]), {"column": p.column, **p.params}) if p.code in PROBLEMS else p.code


def advice_words(p: RosterProblem) -> str:
    key = f"{p.code}.none" if f"{p.code}.none" in ADVICE and not p.params.get("nearest") else p.code
    return _fill(tr(ADVICE[key]), {"column": p.column, **p.params}) if key in ADVICE else ""


def file_error_words(e: RosterFileError) -> str:
    return _fill(tr(FILE_PROBLEMS.get(e.code, e.code)), e.params)
