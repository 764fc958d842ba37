"""The encrypted local store of one profile (docs/architecture.md, "The store's one door")."""
from core.store.profile import ProfileError, TooManyAttempts, WrongPassword, is_profile, login_pause_seconds
from core.store.queries import SORT_KEYS, HouseholdFilter, HouseholdRow
from core.store.record_lists import RECORD_LISTS, RecordList
from core.store.records import HouseholdRecord, RecordGone
from core.store.store import SaveResult, Store

__all__ = ["Store", "SaveResult", "HouseholdFilter", "HouseholdRow", "SORT_KEYS", "HouseholdRecord", "RECORD_LISTS",
           "RecordList", "RecordGone", "ProfileError", "TooManyAttempts", "WrongPassword", "is_profile", "login_pause_seconds"]
