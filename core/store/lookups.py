"""Small reads that find a record by what a person types (a household's number on the command line)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Household


def household_ids_of(session: Session, household_no: str) -> list[str]:
    """The live households numbered `household_no` (blanks around it ignored), oldest first; more
    than one when two places gave the same number."""
    number = (household_no or "").strip()
    if not number:
        return []
    stmt = (select(Household.id).where(Household.household_no == number, Household.deleted.is_(False))
            .order_by(Household.created_at, Household.id))
    return list(session.execute(stmt).scalars())
