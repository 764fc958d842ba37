"""A laptop's scope (the grids, the village, the county its user works in) and what leaves it.

When the county gives the user other grids the server says so in every pull page; the laptop then
lets go of the households outside the new scope (as pulled deletes: no outbox, and they come back
whole if they return) and downloads again from the start, keeping its outbox (sync.client)."""
from __future__ import annotations

from sqlalchemy import exists, false, or_, select, true
from sqlalchemy.orm import Session

from core.models import Grid, Household, Member, OutboxEntry, ProfileMeta

SCOPE_META = "scope"


def scope_codes(scope: str) -> list[str]:
    return [c.strip() for c in (scope or "").split(",") if c.strip()]


def households_outside(session: Session, role: str, scope: str) -> list[str]:
    """Households held here that are outside `scope` and that the server holds as they are here: never
    one with changes still waiting to go up, nor one the server refused (kept for the worker to see)."""
    from core.store.rejections import rejections

    refused = {r["row_id"] for r in rejections(session) if r["entity"] == "household"}
    if role == "worker":
        inside = Grid.code.in_(scope_codes(scope))
    elif role == "clerk":
        inside = Grid.village_code == scope
    elif role == "admin":
        inside = Grid.village_code.startswith(scope) if scope else true()
    else:
        inside = false()
    grids_inside = select(Grid.id).where(inside)
    members = select(Member.id).where(Member.household_id == Household.id).correlate(Household)
    waiting = exists().where(or_(OutboxEntry.row_id == Household.id, OutboxEntry.row_id.in_(members))).correlate(
        Household)
    stmt = select(Household.id).where(
        Household.deleted.is_(False), ~waiting, or_(Household.grid_id.is_(None), Household.grid_id.not_in(grids_inside)))
    return [hid for hid in session.execute(stmt).scalars() if hid not in refused]


def remember_scope(session: Session, scope: str) -> None:
    session.merge(ProfileMeta(key=SCOPE_META, value=scope))
