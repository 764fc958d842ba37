"""The building blocks the rules are written with: one Checker per record (or form row)."""
from __future__ import annotations

import functools

import re
from datetime import date
from typing import Any

from sqlalchemy import String

from core.codes import code_lists
from core.models import SYNCED_ENTITIES
from core.validation import coerce
from core.validation.coerce import CoerceError
from core.validation.fields import CODED_FIELDS, ROW_LABELS, label
from core.validation.problems import ERROR, WARNING, Problem, Severity

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_ROW_PREFIX = re.compile(r"^(\w+)\[(\d+)\]\.$")


def row_words(prefix: str) -> tuple[str, str]:
    """How a form row is named in front of a field label: 'members[2].' -> ('第3位成员的', 'Member 3, ')."""
    if not prefix:
        return "", ""
    m = _ROW_PREFIX.match(prefix)
    if m and m.group(1) in ROW_LABELS:
        zh, en = ROW_LABELS[m.group(1)]
        n = int(m.group(2)) + 1
        return f"第{n}位{zh}的", f"{en.capitalize()} {n}, "
    return prefix, prefix


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


class Checker:
    """Reads the fields of one record and collects the problems found in them.

    Values are read leniently (text dates and numbers are parsed as normalize() would), so
    a rule never crashes on input that was not normalised first: it reports it.
    """

    def __init__(self, entity: str, data: dict[str, Any], today: date, prefix: str = ""):
        self.entity = entity
        self.data = data
        self.today = today
        self.prefix = prefix
        self.problems: list[Problem] = []
        self._row_zh, self._row_en = row_words(prefix)

    # -- reporting ----------------------------------------------------------------------
    def add(self, field: str, zh: str, en: str, severity: Severity = ERROR) -> None:
        """Report a problem with `field`; `zh`/`en` say what is wrong, the label is put in front."""
        lz, le = label(self.entity, field)
        self.problems.append(Problem(
            self.prefix + field, f"{self._row_zh}{lz}：{zh}", f"{self._row_en}{le}: {en}", severity))

    def warn(self, field: str, zh: str, en: str) -> None:
        self.add(field, zh, en, WARNING)

    # -- reading ------------------------------------------------------------------------
    def value(self, field: str) -> Any:
        """The field's value; blank text is None; text is stripped."""
        v = self.data.get(field)
        if v is None:  # what most fields of a record hold
            return None
        if isinstance(v, str):
            return v.strip() or None
        return None if v == [] else v  # blank(), for what is not text

    def required(self, field: str) -> Any:
        v = self.value(field)
        if v is None:
            self.add(field, "不能为空，请填写", "is required")
        return v

    def text(self, field: str, required: bool = False) -> str | None:
        v = self.required(field) if required else self.value(field)
        return None if v is None else str(v)

    def _parsed(self, field: str, parser: Any, required: bool) -> Any:
        v = self.required(field) if required else self.value(field)
        if v is None:
            return None
        try:
            return parser(v)
        except CoerceError as e:
            self.add(field, e.zh, e.en)
            return None

    def date(self, field: str, required: bool = False, not_future: bool = False) -> date | None:
        d = self._parsed(field, coerce.parse_date, required)
        if d is not None and not_future and d > self.today:
            self.add(field, f"{zh_date(d)}是将来的日期，不能晚于今天（{zh_date(self.today)}）",
                     f"{d.isoformat()} is in the future (today is {self.today.isoformat()})")
        return d

    def month(self, field: str, required: bool = False, not_future: bool = False) -> int | None:
        """The month as a month index (see coerce.month_index), or None."""
        m = self._parsed(field, coerce.month_index, required)
        if m is not None and not_future and m > self.this_month:
            shown = coerce.month_text(m)
            self.add(field, f"{shown}还没到，不能晚于本月（{coerce.month_text(self.this_month)}）",
                     f"{shown} is in the future")
        return m

    @property
    def this_month(self) -> int:
        return self.today.year * 12 + self.today.month - 1

    def number(self, field: str, required: bool = False) -> float | None:
        return self._parsed(field, coerce.parse_float, required)

    def integer(self, field: str, required: bool = False) -> int | None:
        return self._parsed(field, coerce.parse_int, required)

    # -- common rules -------------------------------------------------------------------
    def non_negative(self, field: str) -> float | None:
        n = self.number(field)
        if n is not None and n < 0:
            self.add(field, f"不能是负数（现在是{n:g}）", f"cannot be negative ({n:g})")
        return n

    def mobile(self, field: str) -> None:
        v = self.value(field)
        if v is not None and not MOBILE.match(coerce.ascii_text(v)):
            self.add(field, f"“{v}”不是有效的手机号码，手机号码是1开头的11位数字",
                     f"{str(v)!r} is not a valid mobile number (11 digits starting with 1)")

    def phone(self, field: str) -> None:
        """A mobile, or a landline with its area code (0855-8221234): a household's contact number."""
        v = self.value(field)
        if v is not None and not (MOBILE.match(coerce.ascii_text(v)) or LANDLINE.match(coerce.ascii_text(v))):
            self.add(field, f"“{v}”不是有效的电话号码：手机是1开头的11位数字，座机要带区号，如0855-8221234",
                     f"{str(v)!r} is not a phone number: a mobile of 11 digits, or a landline with its area code")

    def basics(self) -> None:
        """Code-list membership of every coded field and the column length of every text field."""
        self.codes()
        self.lengths()

    def codes(self) -> None:
        lists = code_lists()
        data = self.data
        for field, list_name, listed in _coded_fields(self.entity):
            v = data.get(field)
            # Most coded fields of a record are empty, and a filled one holds a code exactly as listed:
            # nothing to say of either (value() would give the code itself back, and the list has it).
            if v is None or (v.__class__ is str and v in listed):
                continue
            v = self.value(field)
            if v is None:
                continue
            if isinstance(v, (list, tuple)):
                bad = [str(item) for item in v if not lists.contains(list_name, str(item))]
            elif isinstance(v, str):
                bad = [] if lists.contains(list_name, v) else [v]
            else:
                bad = [str(v)]
            if bad:
                shown = "、".join(f"“{b}”" for b in bad)
                self.add(field, f"{shown}不是可选的值，请从下拉列表中选择",
                         f"{', '.join(map(repr, bad))} is not one of the choices (code list {list_name})")

    def lengths(self) -> None:
        for key, length in _text_lengths(self.entity):
            v = self.data.get(key)
            if isinstance(v, str) and len(v) > length and len(v.strip()) > length:
                v = v.strip()
                self.add(key, f"太长了，最多{length}个字，现在有{len(v)}个字",
                         f"is too long: at most {length} characters, it has {len(v)}")


@functools.cache
def _coded_fields(entity: str) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """(field, its code list, the codes of that list that value() gives back as they are: not blank,
    no outer blanks) of each coded field of an entity, worked out once, not once a record."""
    lists = code_lists()
    return tuple((field, list_name, frozenset(c.code for c in lists.codes(list_name)
                                              if c.code and c.code == c.code.strip()))
                 for field, list_name in CODED_FIELDS.get(entity, {}).items())


@functools.cache
def _text_lengths(entity: str) -> tuple[tuple[str, int], ...]:
    """The text columns of an entity with their length, but coded ones (a code from the list always
    fits; codes() reports the others)."""
    model = SYNCED_ENTITIES.get(entity)
    if model is None:
        return ()
    coded = CODED_FIELDS.get(entity, {})
    return tuple((c.key, c.type.length or 0) for c in model.__table__.columns  # type: ignore[attr-defined]
                 if c.key not in coded and isinstance(c.type, String) and getattr(c.type, "length", None))
