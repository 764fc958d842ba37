"""A household's address reads as a worker says it, in the language of the screen."""
from __future__ import annotations

from core.address import address_text
from core.selftest import sample_household
from core.store import HouseholdFilter


def test_an_address_reads_building_unit_and_room_in_either_language():
    assert address_text("12", "3", "1104") == "12栋3单元1104"
    assert address_text("12", "3", "1104", "en") == "Bldg 12, Unit 3, 1104"
    assert address_text("12", None, "", "en") == "Bldg 12"
    assert address_text(None, None, None) == ""


def test_the_household_list_shows_the_address_in_the_language_asked(store):
    household, members = sample_household(0)
    store.save_household(household, members)
    zh = store.list_households(HouseholdFilter())[0].address
    en = store.list_households(HouseholdFilter(), lang="en")[0].address
    parts = (household["building"], household["unit"], household["room"])
    assert zh == address_text(*parts) and zh.startswith(f"{parts[0]}栋")
    assert en == address_text(*parts, "en") and en.startswith(f"Bldg {parts[0]}, ")
