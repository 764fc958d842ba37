"""Resident ID numbers (GB 11643-1999): check character, birth date, sex, 15-digit conversion, masking."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.idcard import (
    InvalidResidentId, ResidentId, check_character, mask_id_number, mask_phone,
    parse_resident_id, upgrade_15_to_18,
)

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
def valid_ids(draw):
    area = draw(st.from_regex(r"[1-9][0-9]{5}", fullmatch=True))
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
