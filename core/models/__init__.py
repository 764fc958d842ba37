"""SQLAlchemy 2 typed mappings of every entity (docs/data-dictionary.md)."""
from core.models.base import Base, Synced, new_id, utc_now
from core.models.conflict import Conflict
from core.models.household import Household, Member
from core.models.journal import (
    AuditEntry, HouseholdSummary, IndicatorFact, IndicatorTotal, OutboxEntry, OwedSummary, ProfileMeta,
    PulledOrphan, ZeroEmploymentSpan,
)
from core.models.records import (
    Employment, Grievance, GrievanceParty, Measure, Training, Visit, VisitMember,
)
from core.models.reference import Area, Grid, Settlement
from core.models.yearly import COUNTY_SETTINGS_ID, CountySettings, HouseholdIncome, Insurance, natural_id

# Records of which a household (or a member) has one per month or year: the fields of each entity's
# unique index over live rows (uq_visit_household_month, uq_household_income_household_year,
# uq_insurance_member_year_kind), checked by the store on save and by the county server per op.
ONE_PER: dict[str, tuple[str, ...]] = {
    "visit": ("household_id", "month"), "household_income": ("household_id", "year"),
    "insurance": ("member_id", "year", "kind"),
}

# Every entity that syncs, by the name it has on the wire (its table name).
SYNCED_ENTITIES: dict[str, type[Synced]] = {
    m.__tablename__: m  # type: ignore[attr-defined]
    for m in (Area, Settlement, Grid, CountySettings, Household, Member, Employment, Training,
              Grievance, GrievanceParty, Visit, VisitMember, Measure, HouseholdIncome, Insurance, Conflict)
}

__all__ = [
    "Base", "Synced", "new_id", "utc_now", "SYNCED_ENTITIES", "ONE_PER",
    "Area", "Settlement", "Grid", "Household", "Member", "Employment", "Training",
    "Grievance", "GrievanceParty", "Visit", "VisitMember", "Measure", "Conflict",
    "CountySettings", "HouseholdIncome", "Insurance", "COUNTY_SETTINGS_ID", "natural_id",
    "AuditEntry", "HouseholdSummary", "IndicatorFact", "IndicatorTotal", "OutboxEntry", "OwedSummary",
    "ProfileMeta", "PulledOrphan", "ZeroEmploymentSpan",
]
