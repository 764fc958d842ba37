"""Code lists are data with a Chinese and an English label for every code, and every coded field names one."""
from __future__ import annotations

from core.codes import code_lists
from core.validation import CODED_FIELDS


def test_every_code_has_both_labels_and_is_unique():
    lists = code_lists()
    for name in lists.names():
        codes = lists.codes(name)
        assert codes, f"{name} is empty"
        assert len({c.code for c in codes}) == len(codes), f"{name} repeats a code"
        for c in codes:
            assert c.zh.strip() and c.en.strip(), f"{name}.{c.code} lacks a label"
            assert any("\u4e00" <= ch <= "\u9fff" for ch in c.zh), f"{name}.{c.code}: zh label is not Chinese"


def test_every_coded_field_points_at_an_existing_list():
    names = set(code_lists().names())
    for entity, fields in CODED_FIELDS.items():
        for field, list_name in fields.items():
            assert list_name in names, f"{entity}.{field} uses unknown list {list_name}"


def test_labels_follow_the_language():
    lists = code_lists()
    assert lists.label("relation", "head") == "户主"
    assert lists.label("relation", "head", "en") == "Head of household"
    assert lists.code_for_label("employment_channel", "公益性岗位") == "public_post"
    assert lists.label("relation", None) == ""


def test_lists_are_read_once():
    assert code_lists() is code_lists()
