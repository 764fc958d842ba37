"""A household with everything under it, read in one go for its form."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import (
    Employment, Grievance, GrievanceParty, Household, HouseholdIncome, Insurance, Measure, Member, Synced, Training,
    Visit, VisitMember,
)


class RecordGone(LookupError):
    """The record asked for does not exist here, or was deleted (perhaps by the last sync)."""

    def __init__(self, entity: str, row_id: str):
        super().__init__(f"这条记录已被删除或不存在（可能刚被同步删除），请刷新列表。 / "
                         f"The {entity} {row_id} was deleted or does not exist; refresh the list.")
        self.entity, self.row_id = entity, row_id


def row_to_dict(row: Synced) -> dict:
    """The id and user-data fields of a row, as Python values."""
    out = {"id": row.id}
    for name in row.data_fields():
        out[name] = getattr(row, name)
    out["server_seq"] = row.server_seq
    out["updated_at"] = row.updated_at
    return out


@dataclass
class HouseholdRecord:
    household: dict
    members: list[dict] = field(default_factory=list)
    employments: list[dict] = field(default_factory=list)
    trainings: list[dict] = field(default_factory=list)
    grievances: list[dict] = field(default_factory=list)   # each with a "parties" list
    visits: list[dict] = field(default_factory=list)       # each with a "members" list, newest month first
    measures: list[dict] = field(default_factory=list)
    incomes: list[dict] = field(default_factory=list)      # one per year, newest first
    insurances: list[dict] = field(default_factory=list)   # per member, year and kind, newest year first

    def member_name(self, member_id: str) -> str:
        return next((m["name"] for m in self.members if m["id"] == member_id), "")


def _live(session: Session, model: type[Synced], *where, order=None) -> list[dict]:  # noqa: ANN001, ANN002
    stmt = select(model).where(model.deleted.is_(False), *where)
    if order is not None:
        stmt = stmt.order_by(*order)
    return [row_to_dict(r) for r in session.execute(stmt).scalars()]


_RELATION_ORDER = {"head": 0, "spouse": 1}


def load_household(session: Session, household_id: str) -> HouseholdRecord:
    household = session.get(Household, household_id)
    if household is None or household.deleted:
        raise RecordGone("household", household_id)
    members = _live(session, Member, Member.household_id == household_id, order=(Member.birth_date, Member.name))
    members.sort(key=lambda m: _RELATION_ORDER.get(m["relation"], 2))
    grievances = _live(session, Grievance, Grievance.household_id == household_id, order=(Grievance.received_date.desc(),))
    parties = _live(session, GrievanceParty, GrievanceParty.household_id == household_id)
    for g in grievances:
        g["parties"] = [p for p in parties if p["grievance_id"] == g["id"]]
    visits = _live(session, Visit, Visit.household_id == household_id, order=(Visit.month.desc(),))
    visit_rows = _live(session, VisitMember, VisitMember.visit_id.in_([vis["id"] for vis in visits]))
    for vis in visits:
        vis["members"] = [r for r in visit_rows if r["visit_id"] == vis["id"]]
    return HouseholdRecord(
        household=row_to_dict(household), members=members,
        employments=_live(session, Employment, Employment.household_id == household_id, order=(Employment.start_month.desc(),)),
        trainings=_live(session, Training, Training.household_id == household_id, order=(Training.start_date.desc(),)),
        grievances=grievances, visits=visits,
        measures=_live(session, Measure, Measure.household_id == household_id, order=(Measure.start_date.desc(),)),
        incomes=_live(session, HouseholdIncome, HouseholdIncome.household_id == household_id,
                      order=(HouseholdIncome.year.desc(),)),
        insurances=_live(session, Insurance, Insurance.household_id == household_id,
                         order=(Insurance.year.desc(), Insurance.member_id, Insurance.kind)),
    )
