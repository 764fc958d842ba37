"""Chinese resident identity numbers (公民身份号码, GB 11643-1999).

An 18-character number: a 6-digit area code, the birth date YYYYMMDD, a 3-digit sequence
whose last digit gives the sex (odd male, even female), and a check character computed
with ISO 7064 MOD 11-2 (weights 2^(17-i) mod 11, character `10X98765432`[sum mod 11]).
Old 15-digit numbers (YYMMDD, no check character) are converted to 18 characters.

The area code comes from GB/T 2260. A number whose first two digits are no province is refused;
one whose six digits GB/T 2260 never issued is only doubtful (`unknown_area`), because the list
of codes shipped (core/resources/codes/gbt2260_areas.txt, every code issued since 1980, retired ones
included: people keep the code of their birthplace after a county is renamed or merged) may lag
behind a code issued since.

Messages are for grid workers: they say what is wrong without naming the field, so the
validation layer can put the field's label in front of them.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache
from typing import NamedTuple

from core.paths import resources_dir

CHECK_CHARACTERS = "10X98765432"
WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
DIGITS = "0123456789"
# The weights are 2^(17-i) mod 11, and 13 is 2 mod 11: the weighted sum of 17 digits is, mod 11, twice
# the digits read as a number in base 13 (one int() in C, where a sum of 17 products took several).
_WEIGHT_BASE = 13
# A number as nearly every one arrives: 17 ASCII digits and a digit or X, nothing to clean.
_PLAIN_18 = re.compile(r"[0-9]{17}[0-9X]")
AREA_CODES_FILE = ("codes", "gbt2260_areas.txt")


class InvalidResidentId(ValueError):
    """A resident ID number that cannot be right.

    `problem` is a short code for what is wrong: 'empty', 'characters', 'x_position',
    'length', 'province', 'birth_date', 'too_early', 'future' or 'check'; `zh` and `en` say it
    in words.
    """

    def __init__(self, problem: str, zh: str, en: str):
        super().__init__(zh)
        self.problem = problem
        self.zh = zh
        self.en = en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    def __str__(self) -> str:
        return self.zh


class ResidentId(NamedTuple):
    """A valid 18-character resident ID and what it says about its holder (a named tuple: the server
    parses one for every member a push sends, and a frozen dataclass took a quarter of that)."""

    number: str
    area_code: str
    birth_date: date
    sex: str  # '1' male, '2' female (code list 'sex')

    def age(self, today: date) -> int:
        """Full years of age on `today`."""
        had_birthday = (today.month, today.day) >= (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - (0 if had_birthday else 1)


def check_character(first17: str) -> str:
    """The check character for the first 17 digits of an 18-character number."""
    if len(first17) != 17 or not _ascii_digits(first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    return CHECK_CHARACTERS[2 * int(first17, _WEIGHT_BASE) % 11]


def upgrade_15_to_18(number: str) -> str:
    """Convert an old 15-digit number: '19' goes before the YYMMDD birth date, the check character after."""
    text = _clean(number)
    if len(text) != 15 or any(c not in DIGITS for c in text):
        raise InvalidResidentId(
            "length", f"老身份证号码应为15位数字，现在是“{text}”",
            f"an old ID number has 15 digits, got {text!r}")
    first17 = text[:6] + "19" + text[6:]
    return first17 + check_character(first17)


def parse_resident_id(text: object, today: date) -> ResidentId:
    """Parse and check a resident ID number (18 characters, or 15 digits which are converted).

    Full-width digits and a lowercase 'x' are accepted and normalised. Raises
    InvalidResidentId saying precisely what is wrong.
    """
    if type(text) is str and _PLAIN_18.fullmatch(text):
        number = text  # _clean and _check_characters would leave it as it is
    else:
        number = _clean(text)
        _check_characters(number)
    original_length = len(number)
    if original_length == 15:
        number = upgrade_15_to_18(number)
    elif original_length != 18:
        raise InvalidResidentId(
            "length",
            f"应为18位，现在是{original_length}位，请核对是否漏写或多写了数字",
            f"should have 18 characters, it has {original_length}: check for a missing or extra digit")
    _check_province(number)
    birth = _birth_date(number, original_length, today)
    if number[17] != check_character(number[:17]):
        raise InvalidResidentId(
            "check",
            "校验位错误，请核对号码是否抄错（任何一位抄错都会这样）",
            "the check character does not match: check the number for a copying mistake "
            "(a wrong digit anywhere causes this)")
    sex = "1" if int(number[16]) % 2 else "2"
    return ResidentId(number=number, area_code=number[:6], birth_date=birth, sex=sex)


def area_names(area_code: str) -> tuple[str, ...]:
    """The names GB/T 2260 has given a six-digit area code, oldest first; () for a code it never issued."""
    return area_codes().get(area_code, ())


def province_exists(province_code: str) -> bool:
    """Whether a two-digit code is a province's (省、自治区、直辖市, and 81-83 for Hong Kong, Macao, Taiwan)."""
    return province_code in _provinces()


def unknown_area(area_code: str) -> tuple[str, str] | None:
    """What to say (zh, en) of an area code, in an existing province, that GB/T 2260 never issued.

    None for a code it issued, at any time. Not an error: the number may be right and the list
    shipped older than the code, so the worker is asked to check it against the card.
    """
    if area_names(area_code):
        return None
    return (f"前6位是地区代码，“{area_code}”在国家行政区划代码中查不到，请核对号码是否抄错"
            "（如果与身份证上的一致，可以保存）",
            f"digits 1-6 are the area code and {area_code} was never issued (GB/T 2260): check the "
            "number for a copying mistake (if it matches the card, it can be saved)")


@cache
def area_codes() -> dict[str, tuple[str, ...]]:
    """Every area code GB/T 2260 has issued -> its names, oldest first; read once, when first needed.

    Shared by every caller: do not change it.
    """
    areas: dict[str, tuple[str, ...]] = {}
    with resources_dir().joinpath(*AREA_CODES_FILE).open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, _, names = line.rstrip("\n").partition("\t")
            areas[code] = tuple(names.split("/"))
    return areas


@cache
def _provinces() -> frozenset[str]:
    return frozenset(code[:2] for code in area_codes() if code.endswith("0000"))


def mask_id_number(number: str | None) -> str:
    """Hide the middle of an ID number: '522601********1234' (first 6 and last 4 kept)."""
    if not number:
        return ""
    text = str(number).strip()
    if len(text) > 10:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    keep = len(text) // 3
    return "*" * (len(text) - keep) + (text[-keep:] if keep else "")


def mask_phone(phone: str | None) -> str:
    """Hide the middle of a phone number: '138****5678' (first 3 and last 4 kept)."""
    if not phone:
        return ""
    text = str(phone).strip()
    if len(text) > 7:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    keep = len(text) // 3
    return "*" * (len(text) - keep) + (text[-keep:] if keep else "")


def _clean(text: object) -> str:
    """Full-width characters to ASCII, outer blanks removed, 'x' to 'X'."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip().upper()


def _ascii_digits(text: str) -> bool:
    """Whether every character is one of 0-9 (isdigit alone takes other scripts' digits too)."""
    return text.isascii() and text.isdigit()


def _describe(char: str) -> tuple[str, str]:
    if char.isspace():
        return "空格", "a space"
    return f"“{char}”", repr(char)


def _check_characters(number: str) -> None:
    if not number:
        raise InvalidResidentId("empty", "没有填写号码", "no number was given")
    bad = [] if _ascii_digits(number.replace("X", "")) else sorted(
        {c for c in number if c not in DIGITS and c != "X"}, key=number.index)
    if bad:
        zh = "、".join(_describe(c)[0] for c in bad)
        en = ", ".join(_describe(c)[1] for c in bad)
        raise InvalidResidentId(
            "characters",
            f"只能由数字组成（18位号码的最后一位可以是X），号码里有不该出现的字符：{zh}"
            "（常见的是把数字0写成字母O、把1写成字母I）",
            f"may contain only digits (the last of 18 may be X); it contains {en}")
    if "X" in number[:-1] or (number.endswith("X") and len(number) != 18):
        raise InvalidResidentId(
            "x_position", "字母X只能出现在18位号码的最后一位",
            "the letter X may only be the last character of an 18-character number")


def _check_province(number: str) -> None:
    province = number[:2]
    if not province_exists(province):
        raise InvalidResidentId(
            "province",
            f"前2位是省份代码，“{province}”不是任何一个省、自治区、直辖市的代码，请核对号码是否抄错",
            f"digits 1-2 are the province code and {province} is no province's: check the number "
            "for a copying mistake")


def _birth_date(number: str, original_length: int, today: date) -> date:
    digits = number[6:14]
    where_zh, where_en = ("第7至12位", "digits 7-12") if original_length == 15 else ("第7至14位", "digits 7-14")
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        shown = digits[2:] if original_length == 15 else digits
        raise InvalidResidentId(
            "birth_date",
            f"{where_zh}是出生日期，“{shown}”不是真实存在的日期，请核对号码是否抄错",
            f"{where_en} are the birth date and {shown} is not a real date: check the number") from None
    if birth < EARLIEST_BIRTH_DATE:
        raise InvalidResidentId(
            "too_early",
            f"号码中的出生日期是{_zh_date(birth)}，早于1900年，请核对号码是否抄错",
            f"the birth date in the number, {birth.isoformat()}, is before 1900: check the number")
    if birth > today:
        raise InvalidResidentId(
            "future",
            f"号码中的出生日期是{_zh_date(birth)}，晚于今天，请核对号码是否抄错",
            f"the birth date in the number, {birth.isoformat()}, is in the future: check the number")
    return birth


def _zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
