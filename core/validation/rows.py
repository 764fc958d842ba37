"""One synced record checked on its own, as the county server checks what a device sends.

The rules are the forms' rules (core.validation), minus those across records: one head a
household, periods of one person that do not overlap, one row per member in a visit. Those are
the forms' business on the device; on the server two devices' records must both be kept, and a
rule across them would throw one away.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from core.validation.checker import Checker
from core.validation.grievance import validate_grievance
from core.validation.household import validate_household_fields, validate_member
from core.validation.problems import Problem
from core.validation.records import validate_employment, validate_measure, validate_training, validate_visit
from core.validation.yearly import validate_county_settings, validate_household_income, validate_insurance


def _basics(entity: str):  # noqa: ANN202
    def check(data: dict[str, Any], today: date) -> list[Problem]:
        c = Checker(entity, data, today)
        c.basics()
        return c.problems
    return check


_RULES = {
    "household": validate_household_fields,
    "member": validate_member,
    "employment": lambda d, today: validate_employment(d, [], today),
    "training": validate_training,
    "grievance": lambda d, today: validate_grievance(d, [], today),
    "grievance_party": _basics("grievance_party"),
    "visit": lambda d, today: validate_visit(d, [], today),
    "visit_member": _basics("visit_member"),
    "measure": validate_measure,
    "household_income": validate_household_income,
    "insurance": validate_insurance,
    "county_settings": validate_county_settings,
}


def validate_record(entity: str, data: dict[str, Any], today: date) -> list[Problem]:
    """The problems of one record of `entity` (errors and warnings), each naming its field."""
    rule = _RULES.get(entity)
    return rule(data, today) if rule else _basics(entity)(data, today)
