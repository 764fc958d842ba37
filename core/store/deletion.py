"""Deleting a record takes along what hangs from it: a member's jobs, a visit's rows, a household's all."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import (
    Employment, Grievance, GrievanceParty, HouseholdIncome, Insurance, Measure, Member, Synced, Training, Visit,
    VisitMember,
)
from core.store.journal import Actor, record_delete

# entity -> (dependent model, the column that points at the entity)
DEPENDENTS: dict[str, tuple[tuple[type[Synced], str], ...]] = {
    "household": tuple((m, "household_id") for m in (Member, Employment, Training, Grievance, GrievanceParty,
                                                     Visit, VisitMember, Measure, HouseholdIncome, Insurance)),
    "member": ((Employment, "member_id"), (Training, "member_id"), (VisitMember, "member_id"), (Measure, "member_id"),
               (Insurance, "member_id")),
    "visit": ((VisitMember, "visit_id"),),
    "grievance": ((GrievanceParty, "grievance_id"),),
}


def delete_with_dependents(session: Session, actor: Actor, row: Synced) -> list[Synced]:
    """Tombstone `row` and every live record that depends on it, each queued for sync; returns them all."""
    record_delete(session, actor, row)
    gone = [row]
    for model, column in DEPENDENTS.get(row.__tablename__, ()):
        stmt = select(model).where(getattr(model, column) == row.id, model.deleted.is_(False))
        for dependent in list(session.execute(stmt).scalars()):
            if not dependent.deleted:  # the household sweep may have reached it already
                gone += delete_with_dependents(session, actor, dependent)
    return gone
