"""Picking a place from GB/T 2260 by name or code: province → prefecture → county; and the
townships and villages under a county from the profile's reference data."""
from __future__ import annotations

from datetime import date

from core.areas import area, search_areas
from core.demo import write_demo_profile


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


def test_placeholders_are_no_places_and_a_municipality_has_a_short_path():
    assert area("110100") is None  # 北京市 市辖区
    assert area("110101").path == ("北京市", "东城区")
    assert all("市辖区" not in a.path for a in search_areas("东城"))


def test_a_nine_or_twelve_digit_code_is_found_as_its_county():
    assert area("522702101").name == "福泉市"
    assert area("522702101203").name == "福泉市"
    assert area("999999") is None


def test_the_profile_knows_the_townships_and_villages_under_a_county_from_its_reference_data(store):
    assert store.areas_under("522601") == []  # a profile made on this computer has none
    write_demo_profile(store, 2, seed=3, as_of=date(2026, 11, 23))
    under = store.areas_under("522601")
    codes = [a["code"] for a in under]
    assert codes == sorted(codes) and {len(c) for c in codes} == {9, 12}
    assert all(c.startswith("522601") for c in codes) and "522601" not in codes
    town = next(a for a in under if a["name"] == "炉山镇")
    assert town["code"] == "522601101" and town["level"] == "township"
    villages = store.areas_under(town["code"])
    assert villages and all(a["parent_code"] == town["code"] and len(a["code"]) == 12 for a in villages)
    assert store.areas_under("522702") == [] and store.areas_under("52%") == []
