"""Turning what was typed or imported into dates, months, numbers and yes/no.

Each parser raises CoerceError with a message that does not name the field, so the caller
can put the field's label in front of it: '出生日期：“2023-02-30”不是有效日期'.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
)
_TRUE = frozenset({"是", "true", "1", "yes", "y", "有", "√"})
_FALSE = frozenset({"否", "false", "0", "no", "n", "无", "×"})


class CoerceError(ValueError):
    def __init__(self, zh: str, en: str):
        super().__init__(zh)
        self.zh = zh
        self.en = en


def ascii_text(value: object) -> str:
    """Full-width digits, letters and punctuation to ASCII, outer blanks removed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value: object) -> date:
    """A date from a date, a datetime, or text like 2024-03-15, 2024/3/15, 20240315, 2024年3月15日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = ascii_text(value)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise CoerceError(f"“{text}”不是有效日期", f"{text!r} is not a real date") from None
    raise CoerceError(f"“{text}”不是日期，请按“2024-03-15”的样子填写",
                      f"{text!r} is not a date; write it like 2024-03-15")


def parse_datetime(value: object) -> datetime:
    """A datetime from a datetime, a date (midnight) or ISO text."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = ascii_text(value)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise CoerceError(f"“{text}”不是有效的时间", f"{text!r} is not a date and time") from None


def parse_month(value: object) -> str:
    """A month as 'YYYY-MM' from a date, or text like 2024-03, 2024/3, 202403, 2024年3月."""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    text = ascii_text(value)
    if re.fullmatch(r"\d{6}\.0", text):  # 202403 read from a spreadsheet as a number
        text = text[:6]
    for pattern in _MONTH_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12 and year >= 1900:
                return f"{year:04d}-{month:02d}"
            raise CoerceError(f"“{text}”不是有效月份", f"{text!r} is not a real month")
    raise CoerceError(f"“{text}”不是月份，请按“2024-03”的样子填写",
                      f"{text!r} is not a month; write it like 2024-03")


def month_index(value: object) -> int:
    """A month as a count of months (year * 12 + month - 1), for comparing and subtracting."""
    text = parse_month(value)
    return int(text[:4]) * 12 + int(text[5:]) - 1


def month_text(index: int) -> str:
    """The 'YYYY-MM' of a month index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_int(value: object) -> int:
    """A whole number from an int, an integral float, or text like '2015' or '2015.0'."""
    if isinstance(value, bool):
        raise CoerceError(f"“{value}”不是整数", f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    number = parse_float(value)
    if not number.is_integer():
        raise CoerceError(f"“{_shown(value)}”不是整数", f"{_shown(value)!r} is not a whole number")
    return int(number)


def parse_float(value: object) -> float:
    """A number from an int, a float, or text like '1,234.5' or '2000元'."""
    if isinstance(value, bool):
        raise CoerceError(f"“{value}”不是数字", f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = ascii_text(value).replace(",", "").replace(" ", "").removesuffix("元").lstrip("¥")
        try:
            number = float(text)
        except ValueError:
            raise CoerceError(f"“{_shown(value)}”不是数字", f"{_shown(value)!r} is not a number") from None
    if math.isnan(number) or math.isinf(number):
        raise CoerceError(f"“{_shown(value)}”不是数字", f"{_shown(value)!r} is not a number")
    return number


def parse_bool(value: object) -> bool:
    """Yes or no from a bool, 0/1, or text: 是/否, true/false, 1/0, yes/no."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = ascii_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CoerceError(f"“{_shown(value)}”应为“是”或“否”", f"{_shown(value)!r} should be yes or no")


def _shown(value: object) -> str:
    return str(value).strip()
