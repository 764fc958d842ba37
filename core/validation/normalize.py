"""normalize(): form and import input coerced to the column types of a model."""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String

from core.codes import code_lists
from core.validation import coerce
from core.validation.checker import row_words
from core.validation.coerce import CoerceError
from core.validation.fields import ASCII_FIELDS, ENTITY_LABELS, MONTH_FIELDS, code_list_of, label
from core.validation.problems import Problem

_LIST_SEPARATORS = re.compile(r"[,，、;；/\s]+")
# Lists of "code:number" items, by field, and the code list of their codes (a label typed is made its code).
KEYED_LISTS = {"grievance_days": "grievance_kind"}


def normalize(model_class: type, data: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Coerce `data` to the column types of `model_class`.

    Strings are stripped and '' becomes None; dates, months, numbers and yes/no are parsed;
    months become 'YYYY-MM'; a code's Chinese or English label becomes the code; a list
    field (JSON) takes a list or text separated by commas or 、. A value that cannot be
    coerced, and a key that is not a column, is reported as a Problem naming the field and
    left out of the result, so nothing half-understood is saved.
    """
    entity = model_class.__tablename__  # type: ignore[attr-defined]
    coercers = _coercers(model_class)
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        coercer = coercers.get(key)
        if coercer is None:
            problems.append(_unknown(entity, key))
            continue
        try:
            out[key] = coercer(value)
        except CoerceError as e:
            zh, en = label(entity, key)
            problems.append(Problem(key, f"{zh}：{e.zh}", f"{en}: {e.en}"))
    return out, problems


@functools.cache
def _coercers(model_class: type) -> dict[str, Callable[[Any], Any]]:
    """The coercer of each column of a model, chosen once from its type and name: a sync push
    normalizes thousands of records, and choosing per value was most of the work."""
    entity = model_class.__tablename__  # type: ignore[attr-defined]
    return {c.key: _coercer(entity, c.key, c.type)  # type: ignore[attr-defined]
            for c in model_class.__table__.columns}  # type: ignore[attr-defined]


def _coercer(entity: str, key: str, type_: Any) -> Callable[[Any], Any]:
    """How a value of a column of this type is coerced; a blank value is None (a list column's is [])."""
    if isinstance(type_, JSON):
        return functools.partial(_coerce_list, entity, key)
    if isinstance(type_, Boolean):
        return _unless_blank(coerce.parse_bool)
    if isinstance(type_, DateTime):
        return _unless_blank(coerce.parse_datetime)
    if isinstance(type_, Date):
        return _unless_blank(coerce.parse_date)
    if isinstance(type_, Integer):
        return _unless_blank(coerce.parse_int)
    if isinstance(type_, Float):
        return _unless_blank(coerce.parse_float)
    if isinstance(type_, String):
        return _text_coercer(entity, key, type_.length)
    return _unless_blank(lambda value: value)


def _unless_blank(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def coerce_value(value: Any) -> Any:
        return None if _blank(value) else parse(value)
    return coerce_value


def _text_coercer(entity: str, key: str, length: int | None) -> Callable[[Any], Any]:
    """Text stripped, made ASCII, tidied and turned into its code as the column asks, within its length."""
    if key in MONTH_FIELDS:
        return _unless_blank(coerce.parse_month)
    ascii_field = key in ASCII_FIELDS
    tidy = _TIDY.get(key)
    list_name = code_list_of(entity, key)
    resident_id_length = key == "id_number" and length is not None
    as_listed: frozenset[str] = frozenset()  # filled in below, once coerce_text can work them out

    def coerce_text(value: Any) -> str | None:
        if value.__class__ is str:  # what nearly every value is: strip it once
            if value in as_listed:  # a code as the list has it, which comes out as it went in
                return value
            text = value.strip()
            if not text:
                return None
        elif _blank(value):
            return None
        else:
            text = _as_text(value)
        if ascii_field and not text.isascii():  # stripped ASCII text is already what ascii_text makes
            text = coerce.ascii_text(text)
        if tidy is not None:
            text = tidy(text)
        if list_name:
            text = _to_code(list_name, text)
        if resident_id_length and len(text) > length and _RESIDENT_ID_LIKE.match(text):  # type: ignore[operator]
            raise CoerceError(f"应为18位，现在有{len(text)}位，请核对是否多写了数字，或把两个号码连在了一起",
                              f"should have 18 characters, it has {len(text)}: check for extra digits or two "
                              "numbers run together")
        if length is not None and len(text) > length:
            raise CoerceError(f"不能超过{length}个字，现在有{len(text)}个字",
                              f"may be at most {length} characters long, it has {len(text)}")
        return text or None

    if list_name:
        as_listed = _unchanged(coerce_text, [c.code for c in code_lists().codes(list_name)])
    return coerce_text


def _unchanged(coerce_text: Callable[[Any], Any], texts: list[str]) -> frozenset[str]:
    """The texts that `coerce_text` gives back as they are (worked out once, by coercing each)."""
    kept = set()
    for text in texts:
        try:
            if coerce_text(text) == text:
                kept.add(text)
        except CoerceError:
            pass
    return frozenset(kept)


def _unknown(entity: str, key: str) -> Problem:
    zh, en = ENTITY_LABELS.get(entity, (entity, entity))
    return Problem(key, f"“{key}”不是{zh}资料里的一项，系统不认识它",
                   f"{key!r} is not a field of a {en}")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_NAME_DOTS = re.compile(r"[•・.．‧∙⋅]")
_RESIDENT_ID_LIKE = re.compile(r"^[0-9X]+$")  # digits (and X): a resident ID, which has 18; a passport has letters
_MOBILE_WRITTEN = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_PUNCTUATION = re.compile(r"[\s\-()]")


def _phone(text: str) -> str:
    """A mobile written with spaces, dashes or +86 becomes its 11 digits; anything else stays as typed."""
    if _MOBILE.fullmatch(text):  # written as it is kept: nothing to take out
        return text
    digits = _PHONE_PUNCTUATION.sub("", text)
    found = _MOBILE_WRITTEN.match(digits)
    return found.group(1) if found else text


def _id_number(text: str) -> str:
    return text.upper().replace("×", "X").replace(" ", "")


def _name(text: str) -> str:
    return _NAME_DOTS.sub("·", text)  # 阿依古丽•买买提, 阿依古丽.买买提 -> 阿依古丽·买买提


# What is tidied in a text field, by name (after it is made ASCII, before it becomes a code).
_TIDY: dict[str, Callable[[str], str]] = {"id_number": _id_number, "phone": _phone, "name": _name}


def _as_text(value: Any) -> str:
    if isinstance(value, (bool, list, tuple, dict)):
        raise CoerceError(f"“{value}”应为文字", f"{value!r} should be text")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _coerce_list(entity: str, key: str, value: Any) -> list[Any]:
    if _blank(value):
        return []
    if isinstance(value, dict):  # a mapping (the county's days per grievance kind) travels as "key:value" items
        value = [f"{k}:{v}" for k, v in sorted(value.items())]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                raise CoerceError(f"“{text}”看不懂", f"{text!r} cannot be read") from None
        else:
            value = [part for part in _LIST_SEPARATORS.split(text) if part]
    if not isinstance(value, (list, tuple)):
        raise CoerceError(f"“{value}”应为一个或几个选项", f"{value!r} should be a list of choices")
    list_name = code_list_of(entity, key)
    items = [str(v).strip() for v in value if not _blank(v)]
    if key in KEYED_LISTS:  # "维修：30" -> "repair:30"
        pairs = [item.replace("：", ":").partition(":") for item in items]
        items = [f"{_to_code(KEYED_LISTS[key], k.strip())}:{coerce.ascii_text(n).strip()}" for k, _, n in pairs]
    elif list_name:
        items = [_to_code(list_name, v) for v in items]
    return list(dict.fromkeys(items))


def _to_code(list_name: str, text: str) -> str:
    """The code itself, or the code whose label was typed; anything else is left for validation."""
    lists = code_lists()
    if not text or lists.contains(list_name, text):
        return text
    return lists.code_for_label(list_name, text) or text


def normalize_rows(model: type, rows: list[dict], rows_name: str,
                   set_by_store: tuple[str, ...]) -> tuple[list[dict], list[Problem]]:
    """Rows of a form's table, each normalized; problems name the row (`members[2].id_number`).

    The columns in `set_by_store` (links to the parent) are filled in by the store, not the form.
    """
    clean_rows, problems = [], []
    for i, row in enumerate(rows):
        clean, row_problems = normalize(model, {k: val for k, val in row.items() if k not in set_by_store})
        clean_rows.append(clean)
        path = f"{rows_name}[{i}]."
        row_zh, row_en = row_words(path)  # '第3位成员的身份证号码：…', like the rules' messages
        problems += [Problem(path + p.field, row_zh + p.zh, row_en + p.en, p.severity) for p in row_problems]
    return clean_rows, problems
