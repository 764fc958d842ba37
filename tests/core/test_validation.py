"""The validation layer: normalising input, and every rule, valid and invalid."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from core.codes import code_lists
from core.idcard import area_names, check_character
from core.models import SYNCED_ENTITIES, Employment, Grievance, Household, HouseholdIncome, Member, Visit
from core.validation import (
    validate_county_settings, validate_household_income, validate_insurance,
    CODED_FIELDS, FIELD_LABELS, Problem, ValidationError, check_status_move, derive_from_id,
    errors, grievance_next_statuses, is_overdue, label, normalize, raise_if_errors,
    validate_employment, validate_grievance, validate_household, validate_measure,
    validate_member, validate_training, validate_visit, warnings,
)

TODAY = date(2024, 6, 15)
HEAD_ID = "522601198503121234"     # male, 1985-03-12 (check character worked out by hand)
SPOUSE_ID = "522627199007150042"   # female, 1990-07-15
CHILD_ID = "520123200002290071"    # male, 2000-02-29


def make_id(birth: date, sequence: str = "123", area: str = "522601") -> str:
    first17 = area + birth.strftime("%Y%m%d") + sequence
    return first17 + check_character(first17)


def member(**over) -> dict:
    m = {"name": "王建国", "id_type": "resident_id", "id_number": HEAD_ID, "sex": "1",
         "birth_date": date(1985, 3, 12), "ethnicity": "09", "relation": "head",
         "phone": "13812345678", "education": "junior", "labour_skill": "ordinary", "status": "normal"}
    m.update(over)
    return m


def family() -> list[dict]:
    return [
        member(),
        member(name="李秀英", id_number=SPOUSE_ID, sex="2", birth_date=date(1990, 7, 15),
               relation="spouse", phone=None),
        member(name="王小明", id_number=CHILD_ID, sex="1", birth_date=date(2000, 2, 29),
               relation="son", phone=None, graduate_year=2022, education="college"),
    ]


def household(**over) -> dict:
    h = {"household_no": "HH-0001", "building": "3", "unit": "2", "room": "501",
         "resettlement_mode": "centralised", "resettlement_area": "urban", "relocation_year": 2018,
         "origin_area_code": "522627", "house_area": 80.0, "phone": "13812345678",
         "household_type": "lifted", "monitoring_category": None, "risk_types": [],
         "consent_date": date(2024, 3, 1)}
    h.update(over)
    return h


def monitored(**over) -> dict:
    return household(**{"monitoring_category": "marginal", "monitoring_identified_month": "2023-05",
                        "risk_types": ["illness"], **over})


def fields_of(problems: list[Problem]) -> list[str]:
    return [p.field for p in problems]


def only(problems: list[Problem], field: str) -> Problem:
    found = [p for p in problems if p.field == field]
    assert len(found) == 1, problems
    return found[0]


# -- Problem, ValidationError and the helpers -------------------------------------------

def test_problem_message_by_language():
    p = Problem("name", "姓名：不能为空，请填写", "name: is required")
    assert p.severity == "error" and p.is_error
    assert p.message("zh") == p.zh and p.message("en") == p.en and p.message() == p.zh
    with pytest.raises(AttributeError):
        p.field = "x"  # type: ignore[misc]


def test_errors_and_warnings_split():
    e = Problem("a", "甲", "a")
    w = Problem("b", "乙", "b", "warning")
    assert errors([e, w]) == [e] and warnings([e, w]) == [w]


def test_raise_if_errors_raises_with_all_problems_listed_in_chinese():
    e = Problem("name", "姓名：不能为空，请填写", "name: is required")
    w = Problem("monthly_income", "月收入：50元不太常见", "monthly income: unusual", "warning")
    with pytest.raises(ValidationError) as info:
        raise_if_errors([e, w])
    assert info.value.problems == [e, w]
    text = str(info.value)
    assert "姓名：不能为空，请填写" in text and "（提醒）月收入" in text


def test_raise_if_errors_is_quiet_for_warnings_only():
    raise_if_errors([Problem("b", "乙", "b", "warning")])
    raise_if_errors([])


# -- the declared tables ----------------------------------------------------------------

def test_every_coded_field_names_an_existing_code_list_and_column():
    lists = set(code_lists().names())
    for entity, fields in CODED_FIELDS.items():
        columns = {c.key for c in SYNCED_ENTITIES[entity].__table__.columns}
        for field, list_name in fields.items():
            assert list_name in lists, (entity, field, list_name)
            assert field in columns, (entity, field)


def test_every_column_of_every_entity_has_a_chinese_and_english_label():
    for entity, model in SYNCED_ENTITIES.items():
        for column in model.__table__.columns:
            zh, en = label(entity, column.key)
            assert zh != column.key or column.key in FIELD_LABELS, (entity, column.key)
            assert en


def test_labels_are_entity_specific_where_needed():
    assert label("member", "id_number") == ("身份证号码", "ID number")
    assert label("grievance", "status")[0] == "办理状态"
    assert label("measure", "name")[0] == "措施名称"
    assert label("member", "name")[0] == "姓名"


def test_validation_imports_no_qt_and_no_http():
    root = Path(__file__).resolve().parents[2]
    code = ("import sys, core.validation, core.idcard; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'requests', 'httpx', 'fastapi', 'urllib3')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- normalize --------------------------------------------------------------------------

def test_normalize_strips_text_and_blank_becomes_none():
    data, problems = normalize(Member, {"name": "  王建国 ", "phone": "", "wished_trade": "   "})
    assert problems == []
    assert data == {"name": "王建国", "phone": None, "wished_trade": None}


@pytest.mark.parametrize("text", ["2024-03-05", "2024/03/05", "2024/3/5", "20240305", "2024年3月5日",
                                  "2024-03-05 00:00:00", " 2024-03-05 "])
def test_normalize_dates(text):
    data, problems = normalize(Member, {"birth_date": text})
    assert problems == [] and data["birth_date"] == date(2024, 3, 5)


def test_normalize_date_objects_pass_and_datetimes_become_dates():
    data, _ = normalize(Member, {"birth_date": datetime(2024, 3, 5, 10, 30)})
    assert data["birth_date"] == date(2024, 3, 5)


def test_normalize_impossible_date_names_the_field():
    data, problems = normalize(Member, {"birth_date": "2023-02-30"})
    assert "birth_date" not in data
    assert problems == [Problem("birth_date", "出生日期：“2023-02-30”不是有效日期",
                                "birth date: '2023-02-30' is not a real date")]


def test_normalize_unreadable_date_says_how_to_write_it():
    _, problems = normalize(Grievance, {"received_date": "上周三"})
    p = only(problems, "received_date")
    assert p.zh.startswith("受理日期：“上周三”不是日期") and "2024-03-15" in p.zh


@pytest.mark.parametrize("text", ["2024-03", "2024/03", "2024/3", "202403", "2024.03", "2024年3月", 202403,
                                  date(2024, 3, 9)])
def test_normalize_months(text):
    data, problems = normalize(Employment, {"start_month": text})
    assert problems == [] and data["start_month"] == "2024-03"


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "24-03", "三月"])
def test_normalize_bad_month_names_the_field(text):
    _, problems = normalize(Household, {"monitoring_cleared_month": text})
    assert only(problems, "monitoring_cleared_month").zh.startswith("风险消除月份：")


def test_normalize_numbers():
    data, problems = normalize(Household, {"relocation_year": "2018", "house_area": "85.5"})
    assert problems == []
    assert data == {"relocation_year": 2018, "house_area": 85.5}
    assert isinstance(data["relocation_year"], int) and isinstance(data["house_area"], float)
    data, problems = normalize(HouseholdIncome, {"year": "2025", "wage": "36,000", "transfer": "1200元"})
    assert problems == [] and data == {"year": 2025, "wage": 36000.0, "transfer": 1200.0}


def test_normalize_integer_from_spreadsheet_float():
    data, problems = normalize(Member, {"graduate_year": "2015.0"})
    assert problems == [] and data["graduate_year"] == 2015
    data, _ = normalize(Member, {"graduate_year": 2015.0})
    assert data["graduate_year"] == 2015


@pytest.mark.parametrize("field, value, zh", [
    ("house_area", "八十", "住房面积：“八十”不是数字"),
    ("house_area", "nan", "住房面积：“nan”不是数字"),
    ("relocation_year", "2018.5", "搬迁年度：“2018.5”不是整数"),
    ("relocation_year", "去年", "搬迁年度：“去年”不是数字"),
])
def test_normalize_bad_numbers_name_the_field(field, value, zh):
    _, problems = normalize(Household, {field: value})
    assert only(problems, field).zh == zh


@pytest.mark.parametrize("text, expected", [("是", True), ("否", False), ("true", True), ("False", False),
                                            ("1", True), ("0", False), (1, True), (0, False), (True, True)])
def test_normalize_yes_no(text, expected):
    data, problems = normalize(Member, {"dibao": text})
    assert problems == [] and data["dibao"] is expected


def test_normalize_bad_yes_no_names_the_field():
    _, problems = normalize(Member, {"dibao": "也许"})
    assert only(problems, "dibao").zh == "享受低保：“也许”应为“是”或“否”"


def test_normalize_unknown_key_is_a_problem():
    data, problems = normalize(Member, {"name": "王建国", "nickname": "小王"})
    assert data == {"name": "王建国"}
    p = only(problems, "nickname")
    assert "nickname" in p.zh and "成员" in p.zh and p.is_error


def test_normalize_labels_become_codes():
    data, problems = normalize(Member, {"sex": "女", "relation": "户主", "ethnicity": "布依族",
                                        "labour_skill": "Ordinary labour", "status": "normal"})
    assert problems == []
    assert data["sex"] == "2" and data["relation"] == "head" and data["ethnicity"] == "09"
    assert data["status"] == "normal"
    assert data["labour_skill"] == "ordinary"


def test_normalize_unknown_code_is_left_for_validation():
    data, problems = normalize(Member, {"relation": "表哥"})
    assert problems == [] and data["relation"] == "表哥"
    assert "relation" in fields_of(validate_member(member(relation="表哥"), TODAY))


def test_normalize_risk_types_from_text_and_lists():
    data, problems = normalize(Household, {"risk_types": "因病、因残,illness"})
    assert problems == [] and data["risk_types"] == ["illness", "disability"]
    data, _ = normalize(Household, {"risk_types": ["因学", " water "]})
    assert data["risk_types"] == ["schooling", "water"]
    data, _ = normalize(Household, {"risk_types": '["housing"]'})
    assert data["risk_types"] == ["housing"]
    data, _ = normalize(Household, {"risk_types": ""})
    assert data["risk_types"] == []


def test_normalize_id_number_and_phone_full_width_and_lowercase_x():
    data, problems = normalize(Member, {"id_number": "１１０１０５１９４９１２３１００２x",
                                        "phone": "１３８１２３４５６７８"})
    assert problems == []
    assert data == {"id_number": "11010519491231002X", "phone": "13812345678"}


def test_normalize_numbers_read_as_floats_into_text_fields():
    data, _ = normalize(Household, {"phone": 13812345678.0, "room": 501})
    assert data == {"phone": "13812345678", "room": "501"}


def test_normalize_too_long_text_names_the_field():
    _, problems = normalize(Member, {"name": "张" * 65})
    assert only(problems, "name").zh == "姓名：不能超过64个字，现在有65个字"


def test_normalize_datetime_columns():
    data, problems = normalize(Member, {"updated_at": "2024-03-05T10:30:00"})
    assert problems == [] and data["updated_at"] == datetime(2024, 3, 5, 10, 30)


# -- members ----------------------------------------------------------------------------

def test_valid_member_has_no_problems():
    assert validate_member(member(), TODAY) == []


def test_member_name_is_required():
    p = only(validate_member(member(name="  "), TODAY), "name")
    assert p.zh == "姓名：不能为空，请填写" and p.is_error


def test_member_name_with_digits_is_an_error():
    assert only(validate_member(member(name="王建国2"), TODAY), "name").is_error


def test_member_name_of_one_character_is_a_warning():
    p = only(validate_member(member(name="王"), TODAY), "name")
    assert p.severity == "warning"


def test_member_name_too_long():
    assert "最多64个字" in only(validate_member(member(name="王" * 65), TODAY), "name").zh


def test_long_minority_name_is_fine():
    assert validate_member(member(name="阿卜杜热依木·买买提"), TODAY) == []


def test_member_relation_is_required():
    assert only(validate_member(member(relation=None), TODAY), "relation").zh == "与户主关系：不能为空，请填写"


@pytest.mark.parametrize("field", sorted(CODED_FIELDS["member"]))
def test_member_code_lists(field):
    problems = [p for p in validate_member(member(**{field: "zzz"}), TODAY) if "不是可选的值" in p.zh]
    p = only(problems, field)
    assert "“zzz”不是可选的值" in p.zh and p.zh.startswith(label("member", field)[0] + "：")


def test_member_wrong_check_character():
    p = only(validate_member(member(id_number="110105194912310021", sex=None, birth_date=None), TODAY),
             "id_number")
    assert p.zh == "身份证号码：校验位错误，请核对号码是否抄错（任何一位抄错都会这样）"


def test_member_id_wrong_length():
    p = only(validate_member(member(id_number="52260119850312123"), TODAY), "id_number")
    assert "应为18位，现在是17位" in p.zh


@pytest.mark.parametrize("number, province", [("281703194111296288", "28"), ("099388194908301981", "09")])
def test_member_id_of_a_province_that_does_not_exist_is_an_error(number, province):
    p = only(validate_member(member(id_number=number, sex=None, birth_date=None), TODAY), "id_number")
    assert p.is_error
    assert p.zh == (f"身份证号码：前2位是省份代码，“{province}”不是任何一个省、自治区、直辖市的代码，"
                    "请核对号码是否抄错")
    assert p.en.startswith("ID number: digits 1-2 are the province code")
    assert derive_from_id(number, TODAY) == {}


def test_member_id_of_a_county_code_never_issued_is_a_warning():
    number = make_id(date(1985, 3, 12), area="522699")  # province 52 (贵州) exists, 522699 was never issued
    problems = validate_member(member(id_number=number), TODAY)
    p = only(problems, "id_number")
    assert p.severity == "warning"
    assert p.zh == ("身份证号码：前6位是地区代码，“522699”在国家行政区划代码中查不到，请核对号码是否抄错"
                    "（如果与身份证上的一致，可以保存）")
    assert p.en.startswith("ID number: digits 1-6 are the area code and 522699 was never issued")
    raise_if_errors(problems)  # a warning does not stop the save
    assert derive_from_id(number, TODAY) == {"sex": "1", "birth_date": date(1985, 3, 12)}


def test_member_id_of_a_retired_county_code_is_accepted():
    assert area_names("110103") == ("崇文区",) and area_names("110201") == ("昌平县",)
    number = make_id(date(1975, 1, 1), area="110103")  # 崇文区, merged into 东城区 in 2010
    assert validate_member(member(id_number=number, sex="1", birth_date=date(1975, 1, 1)), TODAY) == []
    rows = family()
    rows[2].update(id_number=make_id(date(2000, 2, 29), "007", area="110201"))  # 昌平县 until 1981
    assert [p for p in validate_household(household(), rows, TODAY)] == []


def test_member_sex_must_agree_with_the_id():
    p = only(validate_member(member(sex="2"), TODAY), "sex")
    assert p.zh == "性别：与身份证号码不符，按号码应为男"
    assert "male" in p.en


def test_member_birth_date_must_agree_with_the_id():
    p = only(validate_member(member(birth_date=date(1985, 3, 21)), TODAY), "birth_date")
    assert p.zh == "出生日期：与身份证号码不符，按号码应为1985年3月12日"


def test_member_sex_and_birth_date_may_be_left_to_the_id():
    assert validate_member(member(sex=None, birth_date=None), TODAY) == []


def test_member_old_15_digit_id_is_accepted():
    assert validate_member(member(id_number="522601850312123"), TODAY) == []


def test_member_lowercase_x_is_accepted():
    assert validate_member(member(id_number="11010519491231002x", sex="2",
                                  birth_date=date(1949, 12, 31)), TODAY) == []


def test_member_missing_id_number_is_a_warning():
    p = only(validate_member(member(id_number=None), TODAY), "id_number")
    assert p.severity == "warning"


def test_member_passport_numbers():
    assert validate_member(member(id_type="passport", id_number="E12345678"), TODAY) == []
    p = only(validate_member(member(id_type="passport", id_number="E12-345"), TODAY), "id_number")
    assert "护照号码" in p.zh


def test_member_other_document_is_not_checked_as_resident_id():
    assert validate_member(member(id_type="other", id_number="军字第0012345号"), TODAY) == []


@pytest.mark.parametrize("phone", ["13812345678", "19912345678", "15000000000"])
def test_member_valid_mobile(phone):
    assert validate_member(member(phone=phone), TODAY) == []


@pytest.mark.parametrize("phone", ["1381234567", "138123456789", "12812345678", "08517654321", "138-1234-5678"])
def test_member_invalid_mobile(phone):
    p = only(validate_member(member(phone=phone), TODAY), "phone")
    assert p.zh.startswith("手机号码：") and "11位数字" in p.zh


@pytest.mark.parametrize("year", [1998, 1949, 2030])
def test_member_graduate_year_out_of_range(year):
    assert "graduate_year" in fields_of(validate_member(member(graduate_year=year), TODAY))


def test_member_graduate_year_sane_values():
    assert validate_member(member(graduate_year=2007), TODAY) == []
    assert validate_member(member(graduate_year=TODAY.year + 3), TODAY) == []


def test_member_graduate_year_younger_than_15_is_an_error():
    m = member(id_number=make_id(date(2015, 1, 1)), birth_date=date(2015, 1, 1), relation="son",
               graduate_year=2024)
    assert "只有9岁" in only(validate_member(m, TODAY), "graduate_year").zh


def test_member_disability_category_needs_level_and_the_other_way():
    p = only(validate_member(member(disability_category="physical"), TODAY), "disability_level")
    assert "残疾等级" in p.zh
    p = only(validate_member(member(disability_level="2"), TODAY), "disability_category")
    assert "残疾类别" in p.zh
    assert validate_member(member(disability_category="physical", disability_level="2"), TODAY) == []


def test_member_health_disabled_without_category_is_a_warning():
    p = only(validate_member(member(health="disabled"), TODAY), "disability_category")
    assert p.severity == "warning"


def test_member_birth_date_in_the_future():
    m = member(id_number=None, birth_date=date(2024, 7, 1))
    p = only(errors(validate_member(m, TODAY)), "birth_date")
    assert "将来" in p.zh


def test_member_birth_date_before_1900():
    m = member(id_number=None, birth_date=date(1899, 12, 31))
    assert "1900" in only(errors(validate_member(m, TODAY)), "birth_date").zh


def test_member_birth_date_as_text_is_read():
    assert validate_member(member(birth_date="1985-03-12"), TODAY) == []
    assert "birth_date" in fields_of(validate_member(member(birth_date="1985-02-30"), TODAY))


def test_member_problems_in_a_form_row_carry_the_row():
    p = only(validate_member(member(id_number="110105194912310021", sex=None, birth_date=None),
                             TODAY, "members[2]."), "members[2].id_number")
    assert p.zh.startswith("第3位成员的身份证号码：校验位错误")
    assert p.en.startswith("Member 3, ID number:")


def test_derive_from_id():
    assert derive_from_id(HEAD_ID, TODAY) == {"sex": "1", "birth_date": date(1985, 3, 12)}
    assert derive_from_id("11010519491231002x", TODAY) == {"sex": "2", "birth_date": date(1949, 12, 31)}
    assert derive_from_id("110105491231002", TODAY) == {"sex": "2", "birth_date": date(1949, 12, 31)}
    assert derive_from_id("110105194912310021", TODAY) == {}
    assert derive_from_id("", TODAY) == {}
    assert derive_from_id(None, TODAY) == {}


# -- households -------------------------------------------------------------------------

def test_valid_household_has_no_problems():
    assert validate_household(household(), family(), TODAY) == []
    assert validate_household(monitored(), family(), TODAY) == []


def test_household_number_is_required():
    assert only(validate_household(household(household_no=""), family(), TODAY),
                "household_no").zh == "户编号：不能为空，请填写"


@pytest.mark.parametrize("field", sorted(set(CODED_FIELDS["household"]) - {"risk_types", "monitoring_category"}))
def test_household_code_lists(field):
    assert field in fields_of(validate_household(household(**{field: "zzz"}), family(), TODAY))


def test_household_monitoring_category_code_list():
    h = household(monitoring_category="zzz", monitoring_identified_month="2023-05", risk_types=["illness"])
    assert "不是可选的值" in only(validate_household(h, family(), TODAY), "monitoring_category").zh


def test_household_phone_must_be_a_mobile_or_a_landline_with_area_code():
    assert only(validate_household(household(phone="8888888"), family(), TODAY), "phone").zh.startswith(
        "联系电话：")
    assert "phone" not in fields_of(validate_household(household(phone="0851-8888888"), family(), TODAY))


@pytest.mark.parametrize("year, ok", [(1999, False), (2000, True), (2016, True), (2024, True), (2025, False)])
def test_household_relocation_year(year, ok):
    problems = validate_household(household(relocation_year=year), family(), TODAY)
    assert ("relocation_year" not in fields_of(problems)) is ok


@pytest.mark.parametrize("area, ok", [(0, False), (-5, False), (0.5, True), (80, True), (999.9, True), (1000, False)])
def test_household_house_area(area, ok):
    problems = validate_household(household(house_area=area), family(), TODAY)
    assert ("house_area" not in fields_of(problems)) is ok


@pytest.mark.parametrize("code, ok", [("522627", True), ("522627101", True), ("522627101201", True),
                                      ("52262", False), ("5226271", False), ("52262a", False),
                                      ("5226271012010", False)])
def test_household_origin_area_code(code, ok):
    problems = validate_household(household(origin_area_code=code), family(), TODAY)
    assert ("origin_area_code" not in fields_of(problems)) is ok


def test_household_month_must_be_a_month():
    h = monitored(monitoring_identified_month="2023-13")
    p = only(validate_household(h, family(), TODAY), "monitoring_identified_month")
    assert p.zh == "纳入监测月份：“2023-13”不是有效月份"


def test_household_monitoring_needs_identified_month():
    h = household(monitoring_category="unstable", risk_types=["illness"])
    p = only(validate_household(h, family(), TODAY), "monitoring_identified_month")
    assert "纳入监测的月份" in p.zh


def test_household_months_need_a_category():
    h = household(monitoring_identified_month="2023-05")
    assert "monitoring_category" in fields_of(validate_household(h, family(), TODAY))


def test_household_cleared_not_before_identified():
    p = only(validate_household(monitored(monitoring_cleared_month="2023-04"), family(), TODAY),
             "monitoring_cleared_month")
    assert p.zh == "风险消除月份：2023-04早于纳入监测月份（2023-05），请核对"
    assert validate_household(monitored(monitoring_cleared_month="2023-05"), family(), TODAY) == []
    assert validate_household(monitored(monitoring_cleared_month="2024-06"), family(), TODAY) == []


def test_household_cleared_month_not_in_the_future():
    p = only(validate_household(monitored(monitoring_cleared_month="2024-07"), family(), TODAY),
             "monitoring_cleared_month")
    assert "还没到" in p.zh


def test_household_identified_month_not_in_the_future():
    h = household(monitoring_category="marginal", monitoring_identified_month="2025-01", risk_types=["illness"])
    assert "monitoring_identified_month" in fields_of(validate_household(h, family(), TODAY))


def test_household_monitored_needs_risk_types():
    h = household(monitoring_category="marginal", monitoring_identified_month="2023-05", risk_types=[])
    assert "风险类型" in only(validate_household(h, family(), TODAY), "risk_types").zh


def test_household_risk_types_must_be_in_the_list():
    p = only(validate_household(monitored(risk_types=["illness", "bad_luck"]), family(), TODAY), "risk_types")
    assert "“bad_luck”" in p.zh and "illness" not in p.zh


def test_household_risk_types_must_be_a_list():
    assert "risk_types" in fields_of(validate_household(monitored(risk_types=5), family(), TODAY))


def income(**over) -> dict:
    return {"household_id": "h1", "year": 2023, "wage": 36000.0, "business": 0.0, "property": None,
            "transfer": 1200.0, "household_size": 4, **over}


@pytest.mark.parametrize("field", ["wage", "transfer", "property"])
def test_household_incomes_not_negative(field):
    p = only(validate_household_income(income(**{field: -1}), TODAY), field)
    assert "不能是负数" in p.zh


def test_a_business_may_make_a_loss_and_a_year_needs_some_income():
    assert validate_household_income(income(business=-2000.0), TODAY) == []
    p = only(validate_household_income(income(wage=None, business=None, transfer=None), TODAY), "wage")
    assert p.zh == "工资性收入：四项收入至少填写一项"


@pytest.mark.parametrize("year, ok", [(2014, False), (2015, True), (TODAY.year, True), (TODAY.year + 1, False)])
def test_the_year_of_an_income_is_between_the_programme_and_now(year, ok):
    problems = validate_household_income(income(year=year), TODAY)
    assert (problems == []) == ok
    if not ok:
        assert only(problems, "year").zh.startswith(f"年度：{year}年不合理")


def test_a_household_size_is_a_household():
    assert only(validate_household_income(income(household_size=0), TODAY), "household_size").zh == \
        "当年家庭人口：0人不合理，应在1到30人之间"


def test_insurance_needs_its_member_year_and_kind_and_a_known_payer():
    ok = {"household_id": "h1", "member_id": "m1", "year": 2023, "kind": "medical", "insured": True,
          "scheme": "resident", "paid_by": "government"}
    assert validate_insurance(ok, TODAY) == []
    assert set(fields_of(validate_insurance({**ok, "member_id": None, "kind": None}, TODAY))) >= {"member_id", "kind"}
    assert only(validate_insurance({**ok, "paid_by": "neighbour"}, TODAY), "paid_by").severity == "error"
    assert only(validate_insurance({**ok, "insured": False}, TODAY), "insured").severity == "warning"


def county(**over) -> dict:
    return {"working_age_min": 16, "working_age_max": 59, "round_coverage": 0.95, "training_target": 0.3,
            "farmer_income_growth": None, "farmer_income_year": None, "grievance_days": [], **over}


@pytest.mark.parametrize("over, field", [
    ({"working_age_min": 12}, "working_age_min"), ({"working_age_max": 80}, "working_age_max"),
    ({"round_coverage": 95}, "round_coverage"), ({"training_target": 0}, "training_target"),
    ({"farmer_income_growth": 6.5, "farmer_income_year": 2025}, "farmer_income_growth"),
    ({"farmer_income_growth": 0.065}, "farmer_income_year"),
    ({"grievance_days": ["repair:0"]}, "grievance_days"), ({"grievance_days": ["nonsense:7"]}, "grievance_days"),
    ({"grievance_days": ["repair:soon"]}, "grievance_days"),
])
def test_county_settings_out_of_range_are_refused_by_name(over, field):
    assert validate_county_settings(county(), TODAY) == []
    p = only(validate_county_settings(county(**over), TODAY), field)
    assert p.severity == "error" and p.zh.startswith(FIELD_LABELS[field][0] + "：")


def test_household_consent_date_not_in_the_future():
    p = only(validate_household(household(consent_date=date(2024, 6, 16)), family(), TODAY), "consent_date")
    assert p.zh.startswith("知情同意日期：2024年6月16日是将来的日期")
    assert validate_household(household(consent_date=TODAY), family(), TODAY) == []


def test_household_without_a_head():
    rows = family()
    rows[0]["relation"] = "other"
    p = only(validate_household(household(), rows, TODAY), "members")
    assert p.zh.startswith("家庭成员：没有户主")


def test_household_without_members_has_no_head():
    assert fields_of(validate_household(household(), [], TODAY)) == ["members"]


def test_household_with_two_heads():
    rows = family()
    rows[2]["relation"] = "head"
    p = only(validate_household(household(), rows, TODAY), "members")
    assert p.zh == "家庭成员：有2位户主（第1、3位成员），一户只能有一位户主"


def test_removed_head_does_not_count():
    rows = family()
    rows.append(member(name="王老汉", id_number=make_id(date(1950, 1, 1)), birth_date=date(1950, 1, 1),
                       relation="head", status="removed"))
    assert validate_household(household(), rows, TODAY) == []
    rows[0]["status"] = "removed"
    assert only(validate_household(household(), rows, TODAY), "members").zh.startswith("家庭成员：没有户主")


def test_household_with_two_spouses():
    rows = family()
    rows[2]["relation"] = "spouse"
    p = only(validate_household(household(), rows, TODAY), "members")
    assert "2位配偶" in p.zh


def test_household_duplicate_id_numbers():
    rows = family()
    rows[2].update(id_number=SPOUSE_ID, sex="2", birth_date=date(1990, 7, 15))
    p = only(validate_household(household(), rows, TODAY), "members[2].id_number")
    assert p.zh == "第3位成员的身份证号码：与第2位成员的号码相同，同一个号码不能登记两次"


def test_household_duplicate_id_in_old_and_new_form():
    rows = family()
    rows[2].update(id_number="522601850312123")  # the head's number, 15-digit form
    assert "members[2].id_number" in fields_of(validate_household(household(), rows, TODAY))


def test_household_duplicate_id_of_a_removed_member_is_ignored():
    rows = family()
    rows[2].update(id_number=SPOUSE_ID, sex="2", birth_date=date(1990, 7, 15), status="removed")
    assert validate_household(household(), rows, TODAY) == []


def test_household_checks_each_member_with_its_row():
    rows = family()
    rows[1]["phone"] = "123"
    p = only(validate_household(household(), rows, TODAY), "members[1].phone")
    assert p.zh.startswith("第2位成员的手机号码：")


def test_member_working_away_place_is_only_for_working_away():
    assert validate_member(member(residence="working_away", residence_place="广东省东莞市",
                                  residence_since="2023-03"), TODAY) == []
    p = only(validate_member(member(residence="at_site", residence_place="广东省东莞市"), TODAY), "residence_place")
    assert p.severity == "warning" and p.zh == "外出务工地点：只有现居住情况为“外出务工”时才填写务工地点，请核对"


def test_member_residence_and_marital_status_take_their_codes():
    assert validate_member(member(marital_status="widowed", residence="studying_away"), TODAY) == []
    assert only(validate_member(member(marital_status="丧偶x"), TODAY), "marital_status").is_error
    assert only(validate_member(member(residence="abroad"), TODAY), "residence").is_error


def test_a_returned_worker_needs_the_month_of_return():
    p = only(validate_member(member(returned_worker=True), TODAY), "returned_month")
    assert p.is_error and p.zh == "返乡月份：是返乡劳动力，请填写返乡月份"
    assert validate_member(member(returned_worker=True, returned_month="2024-02"), TODAY) == []
    p = only(validate_member(member(returned_worker=False, returned_month="2024-02"), TODAY), "returned_worker")
    assert p.severity == "warning"


@pytest.mark.parametrize("field", ["residence_since", "returned_month"])
def test_member_months_are_not_in_the_future_nor_before_birth(field):
    extra = {"returned_worker": True} if field == "returned_month" else {}
    p = only(validate_member(member(**{field: "2024-07"}, **extra), TODAY), field)
    assert p.is_error and "还没到" in p.zh
    p = only(validate_member(member(**{field: "1985-02"}, **extra), TODAY), field)
    assert p.is_error and p.zh.endswith("1985-02早于出生月份（1985-03），请核对")
    assert validate_member(member(**{field: "1985-03"}, **extra), TODAY) == []


def test_living_alone_is_at_the_site_with_no_one_else_of_the_household_there():
    household = {"household_no": "H-1", "building": "1", "unit": "1", "room": "101"}
    head = member(lives_alone=True)
    away = member(name="王小明", relation="son", id_number=CHILD_ID, birth_date=date(2000, 2, 29),
                  residence="working_away", residence_place="深圳")
    assert [p for p in validate_household(household, [head, away], TODAY) if "lives_alone" in p.field] == []
    problems = validate_household(household, [head, {**away, "residence": None}], TODAY)
    p = only(problems, "members[0].lives_alone")
    assert p.severity == "warning" and p.zh == "第1位成员的独居：户内还有其他成员常住安置点，请核对是否独居"
    problems = validate_household(household, [{**head, "residence": "working_away"}, away], TODAY)
    assert only(problems, "members[0].lives_alone").zh.endswith("不住在安置点，不算独居，请核对")


# -- employment -------------------------------------------------------------------------

def job(**over) -> dict:
    e = {"id": "e1", "start_month": "2024-01", "end_month": None, "channel": "local_enterprise",
         "scope": "in_county", "sector": "C", "monthly_income": 3200.0}
    e.update(over)
    return e


def test_valid_employment():
    assert validate_employment(job(), [], TODAY) == []
    assert validate_employment(job(end_month="2024-05"), [], TODAY) == []


def test_employment_contract_term_insurance_months_and_place():
    good = job(has_contract=True, contract_term="1y_plus", has_social_insurance=True, insurance_months=5,
               place_code="441900")
    assert validate_employment(good, [], TODAY) == []
    p = only(validate_employment(job(insurance_months=-2, has_social_insurance=True), [], TODAY), "insurance_months")
    assert p.is_error and p.zh == "社保缴纳月数：不能是负数（现在是-2）"
    assert only(validate_employment(job(contract_term="6_to_12m", has_contract=False), [], TODAY),
                "has_contract").severity == "warning"
    assert only(validate_employment(job(insurance_months=3, has_social_insurance=False), [], TODAY),
                "has_social_insurance").severity == "warning"
    assert only(validate_employment(job(contract_term="2y"), [], TODAY), "contract_term").is_error


@pytest.mark.parametrize("code, words", [("4419", "6位行政区划代码"), ("522601001", "最多6个字"),
                                         ("529999", "查不到")])
def test_a_place_of_work_is_a_province_prefecture_or_county(code, words):
    p = only(validate_employment(job(place_code=code), [], TODAY), "place_code")
    assert p.is_error and words in p.zh
    assert validate_employment(job(place_code="440000"), [], TODAY) == []


def test_employment_sector_takes_the_sections_of_gbt_4754():
    assert [c.code for c in code_lists().codes("industry_section")] == list("ABCDEFGHIJKLMNOPQRST")
    assert validate_employment(job(sector="T"), [], TODAY) == []
    assert only(validate_employment(job(sector="U"), [], TODAY), "sector").is_error


def test_employment_start_month_required():
    assert only(validate_employment(job(start_month=None), [], TODAY), "start_month").zh == \
        "开始月份：不能为空，请填写"


def test_employment_end_before_start():
    p = only(validate_employment(job(end_month="2023-12"), [], TODAY), "end_month")
    assert p.zh == "结束月份：2023-12早于开始月份（2024-01）"


def test_employment_same_start_and_end_month_is_fine():
    assert validate_employment(job(end_month="2024-01"), [], TODAY) == []


def test_employment_overlaps_a_closed_period():
    other = job(id="e0", start_month="2023-03", end_month="2024-02", channel="workshop")
    p = only(validate_employment(job(), [other], TODAY), "start_month")
    assert "2023-03至2024-02，帮扶车间" in p.zh and "重叠" in p.zh


def test_employment_overlaps_an_open_ended_period():
    other = job(id="e0", start_month="2020-01", end_month=None)
    p = only(validate_employment(job(start_month="2024-03", end_month="2024-04"), [other], TODAY), "start_month")
    assert "2020-01至今" in p.zh


def test_open_ended_employment_overlaps_a_later_period():
    other = job(id="e0", start_month="2024-05", end_month="2024-06")
    p = only(validate_employment(job(start_month="2024-01", end_month=None), [other], TODAY), "end_month")
    assert "重叠" in p.zh


def test_employment_next_to_another_period_is_fine():
    other = job(id="e0", start_month="2023-01", end_month="2023-12")
    later = job(id="e2", start_month="2024-02", end_month=None)
    assert validate_employment(job(end_month="2024-01"), [other, later], TODAY) == []


def test_employment_sharing_a_month_overlaps():
    other = job(id="e0", start_month="2023-01", end_month="2024-01")
    assert "start_month" in fields_of(validate_employment(job(), [other], TODAY))


def test_employment_skips_itself_and_deleted_periods():
    same = job(start_month="2023-01")
    gone = job(id="e0", start_month="2023-01", deleted=True)
    assert validate_employment(job(), [same, gone], TODAY) == []


@pytest.mark.parametrize("income", [50.0, 0.0, 30000.01, 99.99])
def test_employment_unusual_income_is_a_warning(income):
    problems = validate_employment(job(monthly_income=income), [], TODAY)
    assert only(problems, "monthly_income").severity == "warning"
    raise_if_errors(problems)


@pytest.mark.parametrize("income", [100.0, 30000.0, None])
def test_employment_usual_income_is_fine(income):
    assert validate_employment(job(monthly_income=income), [], TODAY) == []


def test_employment_negative_income_is_an_error():
    p = only(validate_employment(job(monthly_income=-100), [], TODAY), "monthly_income")
    assert p.is_error and "负数" in p.zh


@pytest.mark.parametrize("field", ["channel", "scope", "sector"])
def test_employment_code_lists(field):
    assert field in fields_of(validate_employment(job(**{field: "Z9"}), [], TODAY))


# -- training ---------------------------------------------------------------------------

def course(**over) -> dict:
    t = {"programme": "2024年春季家政培训", "training_type": "employment_skill", "trade": "家政服务员",
         "start_date": date(2024, 3, 1), "end_date": date(2024, 3, 20), "hours": 120, "mode": "offline",
         "result": "passed", "certificate_type": "vocational_skill", "certificate_level": "5",
         "certificate_no": "S000052260001", "subsidy": 1500}
    t.update(over)
    return t


def test_valid_training():
    assert validate_training(course(), TODAY) == []


def test_training_end_before_start():
    p = only(validate_training(course(end_date=date(2024, 2, 1)), TODAY), "end_date")
    assert p.zh == "结束日期：2024年2月1日早于开始日期（2024年3月1日）"


@pytest.mark.parametrize("hours", [0, -8])
def test_training_hours_positive(hours):
    assert only(validate_training(course(hours=hours), TODAY), "hours").is_error


def test_training_very_many_hours_is_a_warning():
    assert only(validate_training(course(hours=5000), TODAY), "hours").severity == "warning"


def test_training_subsidy_not_negative():
    assert only(validate_training(course(subsidy=-1), TODAY), "subsidy").is_error


def test_training_certificate_details_need_a_type():
    p = only(validate_training(course(certificate_type="none"), TODAY), "certificate_type")
    assert "请选择证书类型" in p.zh
    ok = course(certificate_type=None, certificate_level=None, certificate_no=None)
    assert validate_training(ok, TODAY) == []


def test_training_result_needs_the_course_to_have_ended():
    t = course(end_date=date(2024, 7, 1))
    assert "还没结束" in only(validate_training(t, TODAY), "result").zh
    assert validate_training(course(end_date=date(2024, 7, 1), result="in_progress"), TODAY) == []


@pytest.mark.parametrize("field", sorted(CODED_FIELDS["training"]))
def test_training_code_lists(field):
    assert field in fields_of(validate_training(course(**{field: "9"}), TODAY))


# -- grievances -------------------------------------------------------------------------

def case(**over) -> dict:
    g = {"case_no": "SQ2024-001", "kind": "repair", "summary": "卫生间漏水到楼下",
         "source": "grid_survey", "received_date": date(2024, 5, 6), "deadline": date(2024, 5, 20),
         "status": "in_progress", "responsible_unit": "社区物业"}
    g.update(over)
    return g


def closed_case(**over) -> dict:
    return case(**{"status": "closed", "closed_date": date(2024, 5, 15), "resolution": "已更换防水层", **over})


def followed_case(**over) -> dict:
    return closed_case(**{"status": "followed_up", "followup_date": date(2024, 5, 25),
                          "satisfaction": "satisfied", **over})


PARTIES = [{"name": "王建国", "role": "applicant", "phone": "13812345678"}]


def test_valid_grievances():
    for g in (case(), case(status="registered"), closed_case(), followed_case()):
        assert validate_grievance(g, PARTIES, TODAY) == [], g


@pytest.mark.parametrize("field, zh", [("case_no", "登记编号"), ("kind", "诉求类别"), ("summary", "诉求内容"),
                                       ("received_date", "受理日期")])
def test_grievance_required_fields(field, zh):
    assert only(validate_grievance(case(**{field: None}), [], TODAY), field).zh == f"{zh}：不能为空，请填写"


def test_grievance_dispute_needs_a_dispute_type():
    assert "dispute_type" in fields_of(validate_grievance(case(kind="dispute"), [], TODAY))
    assert validate_grievance(case(kind="dispute", dispute_type="neighbour"), [], TODAY) == []


@pytest.mark.parametrize("field", sorted(CODED_FIELDS["grievance"]))
def test_grievance_code_lists(field):
    assert field in fields_of(validate_grievance(followed_case(**{field: "zzz"}) if field not in (
        "status", "satisfaction") else case(**{field: "zzz"}), [], TODAY))


def test_grievance_received_date_not_in_the_future():
    assert "received_date" in fields_of(validate_grievance(case(received_date=date(2024, 6, 16),
                                                                deadline=None), [], TODAY))


def test_grievance_deadline_not_before_received():
    p = only(validate_grievance(case(deadline=date(2024, 5, 5)), [], TODAY), "deadline")
    assert p.zh == "办理期限：2024年5月5日早于受理日期（2024年5月6日）"
    assert validate_grievance(case(deadline=date(2024, 5, 6)), [], TODAY) == []


@pytest.mark.parametrize("status", ["closed", "followed_up"])
def test_grievance_closed_needs_closed_date(status):
    g = followed_case(status=status, closed_date=None)
    if status == "closed":
        g.update(followup_date=None, satisfaction=None)
    assert "closed_date" in fields_of(errors(validate_grievance(g, [], TODAY)))


def test_grievance_closed_date_not_before_received():
    p = only(validate_grievance(closed_case(closed_date=date(2024, 5, 1)), [], TODAY), "closed_date")
    assert "早于受理日期" in p.zh


def test_grievance_closed_date_not_in_the_future():
    assert "closed_date" in fields_of(validate_grievance(closed_case(closed_date=date(2024, 6, 20)), [], TODAY))


def test_grievance_closed_date_needs_closed_status():
    p = only(validate_grievance(case(closed_date=date(2024, 5, 15)), [], TODAY), "closed_date")
    assert "还没有办结" in p.zh


def test_grievance_closed_without_resolution_is_a_warning():
    p = only(validate_grievance(closed_case(resolution=None), [], TODAY), "resolution")
    assert p.severity == "warning"


def test_grievance_followed_up_needs_date_and_satisfaction():
    problems = validate_grievance(followed_case(followup_date=None, satisfaction=None), [], TODAY)
    assert set(fields_of(problems)) == {"followup_date", "satisfaction"}
    assert all(p.is_error for p in problems)


def test_grievance_followup_not_before_closing():
    p = only(validate_grievance(followed_case(followup_date=date(2024, 5, 10)), [], TODAY), "followup_date")
    assert "早于办结日期" in p.zh


def test_grievance_followup_fields_need_followed_up_status():
    problems = validate_grievance(closed_case(followup_date=date(2024, 5, 25), satisfaction="satisfied"), [], TODAY)
    assert set(fields_of(problems)) == {"followup_date", "satisfaction"}


def test_grievance_parties_are_checked_with_their_rows():
    parties = PARTIES + [{"name": "", "role": "respondent"}, {"name": "李四", "role": "judge", "phone": "123"}]
    problems = validate_grievance(case(), parties, TODAY)
    assert set(fields_of(problems)) == {"parties[1].name", "parties[2].role", "parties[2].phone"}
    assert only(problems, "parties[1].name").zh == "第2位当事人的姓名：不能为空，请填写"


def test_grievance_status_chain():
    assert grievance_next_statuses(None) == ["registered"]
    assert grievance_next_statuses("registered") == ["in_progress"]
    assert grievance_next_statuses("in_progress") == ["closed"]
    assert grievance_next_statuses("closed") == ["followed_up"]
    assert grievance_next_statuses("followed_up") == []
    assert grievance_next_statuses("zzz") == []


def test_grievance_status_moves():
    assert check_status_move("registered", "in_progress") == []
    assert check_status_move("closed", "closed") == []
    p = only(check_status_move("registered", "closed"), "status")
    assert p.zh == "办理状态：不能从“登记”直接改为“已办结”，下一步只能是“处理中”"
    assert "最后一步" in check_status_move("followed_up", "in_progress")[0].zh


def test_is_overdue():
    assert is_overdue(case(deadline=date(2024, 6, 14)), TODAY)
    assert not is_overdue(case(deadline=TODAY), TODAY)
    assert not is_overdue(case(deadline=None), TODAY)
    assert not is_overdue(closed_case(deadline=date(2024, 5, 1)), TODAY)
    assert not is_overdue(followed_case(deadline=date(2024, 5, 1)), TODAY)
    assert is_overdue(case(status="registered", deadline="2024-06-01"), TODAY)


# -- visits -----------------------------------------------------------------------------

def visit(**over) -> dict:
    v = {"month": "2024-06", "visit_date": date(2024, 6, 3), "visitor": "张网格", "method": "home"}
    v.update(over)
    return v


ROWS = [{"member_id": "m1", "employment_status": "employed", "income": 3200.0},
        {"member_id": "m2", "employment_status": "unemployed", "income": 0.0}]


def test_valid_visit():
    assert validate_visit(visit(), ROWS, TODAY) == []
    assert validate_visit(visit(month="2024-05", visit_date=date(2024, 5, 31)), [], TODAY) == []


def test_visit_rows_take_a_place_of_work_and_a_sector():
    rows = [{"member_id": "m1", "employment_status": "employed", "income": 3200.0, "place_code": "522601",
             "sector": "C"},
            {"member_id": "m2", "employment_status": "employed", "place_code": "123456", "sector": "Z"}]
    problems = validate_visit(visit(), rows, TODAY)
    assert {p.field for p in problems} == {"members[1].place_code", "members[1].sector"}
    assert only(problems, "members[1].place_code").zh.startswith("第2位成员的本月就业地：")


def test_visit_month_required_and_valid():
    assert only(validate_visit(visit(month=None), [], TODAY), "month").zh == "走访月份：不能为空，请填写"
    assert "不是有效月份" in only(validate_visit(visit(month="2024-13"), [], TODAY), "month").zh


def test_visit_month_not_in_the_future():
    problems = validate_visit(visit(month="2024-07", visit_date=date(2024, 6, 3)), [], TODAY)
    assert "还没到" in only(problems, "month").zh


def test_visit_date_inside_the_month():
    p = only(validate_visit(visit(visit_date=date(2024, 5, 31)), [], TODAY), "visit_date")
    assert p.zh == "走访日期：2024年5月31日不在走访月份（2024-06）之内"


def test_visit_date_required_and_not_in_the_future():
    assert "visit_date" in fields_of(validate_visit(visit(visit_date=None), [], TODAY))
    assert "将来" in only(validate_visit(visit(visit_date=date(2024, 6, 20)), [], TODAY), "visit_date").zh


def test_visit_method_code():
    assert "method" in fields_of(validate_visit(visit(method="letter"), [], TODAY))


def test_visit_member_rows():
    rows = [dict(ROWS[0]), {"member_id": "m2", "employment_status": "retired", "income": -5}]
    problems = validate_visit(visit(), rows, TODAY)
    assert set(fields_of(problems)) == {"members[1].employment_status", "members[1].income"}
    assert only(problems, "members[1].income").zh.startswith("第2位成员的本月收入：不能是负数")


def test_visit_member_twice():
    rows = [dict(ROWS[0]), dict(ROWS[0])]
    assert fields_of(validate_visit(visit(), rows, TODAY)) == ["members[1].member_id"]


# -- measures ---------------------------------------------------------------------------

def measure(**over) -> dict:
    m = {"category": "employment", "name": "推荐到帮扶车间就业", "start_date": date(2024, 1, 10),
         "end_date": None, "amount": 0, "responsible_person": "张干部", "status": "in_progress"}
    m.update(over)
    return m


def test_valid_measure():
    assert validate_measure(measure(), TODAY) == []
    assert validate_measure(measure(status="completed", end_date=date(2024, 5, 1)), TODAY) == []


@pytest.mark.parametrize("field", ["category", "name"])
def test_measure_required(field):
    assert only(validate_measure(measure(**{field: None}), TODAY), field).zh.endswith("不能为空，请填写")


@pytest.mark.parametrize("field", ["category", "status"])
def test_measure_code_lists(field):
    assert field in fields_of(validate_measure(measure(**{field: "zzz"}), TODAY))


def test_measure_end_before_start():
    assert "end_date" in fields_of(validate_measure(measure(end_date=date(2023, 12, 31)), TODAY))


def test_measure_amount_not_negative():
    assert only(validate_measure(measure(amount=-200), TODAY), "amount").zh == "金额：不能是负数（现在是-200）"


def test_completed_measure_end_date():
    assert only(validate_measure(measure(status="completed"), TODAY), "end_date").severity == "warning"
    p = only(validate_measure(measure(status="completed", end_date=date(2024, 7, 1)), TODAY), "end_date")
    assert p.is_error


# -- every message ----------------------------------------------------------------------

def test_every_message_is_chinese_first_and_has_english():
    rows = family()
    rows[0].update(sex="2", phone="1")
    problems = (validate_household(household(house_area=-1, relocation_year=1990), rows, TODAY)
                + validate_employment(job(monthly_income=-1), [], TODAY)
                + validate_grievance(case(deadline=date(2024, 1, 1)), [], TODAY)
                + normalize(Visit, {"month": "x", "visit_date": "y"})[1])
    assert len(problems) >= 7
    for p in problems:
        assert "：" in p.zh and p.en and p.en != p.zh
        assert any("\u4e00" <= ch <= "\u9fff" for ch in p.zh.split("：")[0])


# -- phones and names as people write them -----------------------------------------------------

@pytest.mark.parametrize("typed", ["138 1234 5678", "138-1234-5678", "+8613812345678", "8613812345678"])
def test_a_mobile_written_with_spaces_dashes_or_country_code_becomes_11_digits(typed):
    from core.models import Member
    from core.validation import normalize

    clean, problems = normalize(Member, {"phone": typed})
    assert problems == [] and clean["phone"] == "13812345678"


def test_a_household_may_give_a_landline_but_a_member_needs_a_mobile():
    from datetime import date

    from core.validation import validate_household, validate_member

    today = date(2026, 11, 15)
    household_problems = validate_household({"household_no": "H1", "phone": "0855-8221234"}, [], today)
    assert not [p for p in household_problems if p.field == "phone"]
    member = {"name": "王芳", "relation": "head", "phone": "0855-8221234", "id_type": "other"}
    assert [p.field for p in validate_member(member, today) if p.field == "phone" and p.is_error] == ["phone"]


@pytest.mark.parametrize("typed", ["阿依古丽•买买提", "阿依古丽.买买提", "阿依古丽・买买提"])
def test_minority_name_separators_become_one_middle_dot(typed):
    from core.models import Member
    from core.validation import normalize

    assert normalize(Member, {"name": typed})[0]["name"] == "阿依古丽·买买提"


def test_an_id_typed_with_spaces_or_a_multiplication_sign_is_read():
    from core.models import Member
    from core.validation import normalize

    assert normalize(Member, {"id_number": "110105 19491231 002×"})[0]["id_number"] == "11010519491231002X"


def test_an_over_long_number_is_told_as_a_resident_id_only_when_it_looks_like_one():
    """Two resident IDs run together: "an ID has 18 characters". An over-long passport number (it has
    letters) is told only its length, not the resident ID's 18."""
    from core.validation.normalize import normalize

    _, run_together = normalize(Member, {"name": "王芳", "id_number": "522601198503121234" * 2})
    [said] = [p for p in run_together if p.field == "id_number"]
    assert "应为18位" in said.zh and "36" in said.zh
    _, passport = normalize(Member, {"name": "王芳", "id_type": "passport", "id_number": "E1234567" * 5})
    [said] = [p for p in passport if p.field == "id_number"]
    assert "18" not in said.zh and "40" in said.zh
