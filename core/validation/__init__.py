"""Validation, the same on laptop and server (every rule is listed in docs/data-dictionary.md).

Every rule is a pure function over dicts of field values and returns Problems whose
messages name the field by its Chinese label and say what is wrong; `raise_if_errors`
turns errors into a ValidationError. No Qt, no HTTP.

Modules: problems (Problem, ValidationError), fields (labels and code lists of fields),
coerce (parsing), normalize, checker (rule building blocks), household, records, grievance, yearly.
"""
from core.validation.fields import CODED_FIELDS, FIELD_LABELS, code_list_of, label
from core.validation.grievance import (
    check_status_move, grievance_next_statuses, is_overdue, validate_grievance,
)
from core.validation.household import derive_from_id, validate_household, validate_member
from core.validation.normalize import normalize
from core.validation.problems import (
    Problem, ValidationError, errors, raise_if_errors, warnings,
)
from core.validation.records import (
    validate_employment, validate_measure, validate_training, validate_visit,
)
from core.validation.yearly import validate_county_settings, validate_household_income, validate_insurance

__all__ = [
    "Problem", "ValidationError", "errors", "warnings", "raise_if_errors",
    "FIELD_LABELS", "CODED_FIELDS", "label", "code_list_of", "normalize",
    "validate_member", "validate_household", "derive_from_id",
    "validate_employment", "validate_training", "validate_visit", "validate_measure",
    "validate_grievance", "grievance_next_statuses", "check_status_move", "is_overdue",
    "validate_household_income", "validate_insurance", "validate_county_settings",
]
