"""A laptop's scope (the grids, the village, the county its user works in) and what leaves it.

When the county gives the user other grids the server says so in every pull page; the laptop then
lets go of the households outside the new scope (as pulled deletes: no outbox, and they come back
whole if they return) and downloads again from the start, keeping its outbox (sync.client)."""
from __future__ import annotations

from sqlalchemy import false, or_, select, true
from sqlalchemy.orm import Session

from core.models import SYNCED_ENTITIES, Grid, Household, OutboxEntry, ProfileMeta

SCOPE_META = "scope"


def scope_codes(scope: str) -> list[str]:
    return [c.strip() for c in (scope or "").split(",") if c.strip()]


def households_outside(session: Session, role: str, scope: str) -> list[str]:
    """Households held here that are outside `scope`, except those `held_back` keeps."""
    if role == "worker":
        inside = Grid.code.in_(scope_codes(scope))
    elif role == "clerk":
        inside = Grid.village_code == scope
    elif role == "admin":
        inside = Grid.village_code.startswith(scope) if scope else true()
    else:
        inside = false()
    grids_inside = select(Grid.id).where(inside)
    outside = list(session.execute(select(Household.id).where(
        Household.deleted.is_(False), or_(Household.grid_id.is_(None), Household.grid_id.not_in(grids_inside)))).scalars())
    return let_go(session, outside)


def let_go(session: Session, household_ids: list[str]) -> list[str]:
    """Of households leaving this laptop's scope, those it may let go: not one with a change of its own
    or of a record under it still waiting to go up, nor one the server refused something of (the
    worker must see the refusal on its record)."""
    if not household_ids:
        return []
    kept = _waiting_households(session, household_ids) | _refused_households(session)
    return [hid for hid in household_ids if hid not in kept]


def _waiting_households(session: Session, household_ids: list[str]) -> set[str]:
    kept: set[str] = set()
    waiting = select(OutboxEntry.entity, OutboxEntry.row_id).distinct()
    by_entity: dict[str, list[str]] = {}
    for entity, row_id in session.execute(waiting):
        by_entity.setdefault(entity, []).append(row_id)
    wanted = set(household_ids)
    for entity, ids in by_entity.items():
        model = SYNCED_ENTITIES.get(entity)
        if model is None:
            continue
        column = model.id if entity == "household" else getattr(model, "household_id", None)
        if column is None:
            continue
        for i in range(0, len(ids), 500):
            kept |= {h for h in session.execute(select(column).where(model.id.in_(ids[i:i + 500]))).scalars()
                     if h in wanted}
    return kept


def _refused_households(session: Session) -> set[str]:
    from core.store.rejections import rejections

    kept: set[str] = set()
    for r in rejections(session):
        model = SYNCED_ENTITIES.get(r["entity"])
        if model is None:
            continue
        if r["entity"] == "household":
            kept.add(r["row_id"])
        elif hasattr(model, "household_id"):
            home = session.execute(select(model.household_id).where(model.id == r["row_id"])).scalar_one_or_none()
            if home:
                kept.add(home)
    return kept


def remember_scope(session: Session, scope: str) -> None:
    session.merge(ProfileMeta(key=SCOPE_META, value=scope))
