"""Picking a place from GB/T 2260 by name or code: province → prefecture → county."""
from __future__ import annotations

from core.areas import area, children, provinces, search_areas, split_code


def test_a_county_is_found_by_its_name_with_its_whole_path():
    found = search_areas("福泉")
    assert found[0].code == "522702"
    assert found[0].path_text == "贵州省 黔南布依族苗族自治州 福泉市"


def test_several_words_and_the_short_name_of_a_prefecture_narrow_the_search():
    assert [a.code for a in search_areas("黔南州 福泉")][0] == "522702"
    assert all(a.path[1] == "黔南布依族苗族自治州" for a in search_areas("黔南州") if a.level == "county")
    assert search_areas("贵州 东城") == []


def test_a_code_typed_finds_its_place_first_and_digits_find_places_by_prefix():
    assert search_areas("522702")[0].name == "福泉市"
    assert all(a.code.startswith("5227") for a in search_areas("5227"))
    assert len(search_areas("52", limit=10)) == 10


def test_the_hierarchy_goes_from_provinces_to_counties():
    guizhou = next(p for p in provinces() if p.name == "贵州省")
    assert guizhou.code == "520000"
    qiannan = next(a for a in children(guizhou.code) if a.name == "黔南布依族苗族自治州")
    assert "福泉市" in [a.name for a in children(qiannan.code)]
    assert children("522702") == []


def test_placeholders_are_no_places_and_a_municipality_has_a_short_path():
    assert area("110100") is None  # 北京市 市辖区
    assert area("110101").path == ("北京市", "东城区")
    assert all("市辖区" not in a.path for a in search_areas("东城"))


def test_a_nine_or_twelve_digit_code_is_a_county_and_its_township_and_village():
    assert split_code("522702101") == ("522702", "101", "")
    assert split_code("522702101203") == ("522702", "101", "203")
    assert area("522702101").name == "福泉市"
    assert area("999999") is None
