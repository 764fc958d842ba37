"""What the forms show around their fields: which household a record is for, units, the layout
at a laptop's size, the place picker for the origin, the lists' filters, toolbar, start and about."""
from __future__ import annotations

from core.selftest import sample_household
from gui_helpers import TODAY, newest_form


def saved_household(store):  # noqa: ANN001, ANN201
    household, members = sample_household(0)
    return store.get_household(store.save_household(household, members, TODAY).id)


def test_every_record_form_says_which_household_it_belongs_to(window, store):
    full = saved_household(store)
    for entity in ("employment", "training", "measure", "grievance", "visit"):
        window.opener.open_record(entity, full, None)
        heading = newest_form(window).household_label
        assert heading.isVisible()
        text = heading.text()
        assert "SELFTEST-0000" in text and "王建国" in text and "3栋2单元501" in text, (entity, text)
