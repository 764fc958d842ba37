"""Changes the county server refused, kept on the laptop until the worker deals with them
(docs/sync-ux.md, "Refused changes"): one entry per record, with the server's reason and the fields
that were sent. Saving the record again sends those fields again (with their values then) and the
entry goes; discarding puts the server's version back (sync.client.discard_rejected).

They live in the profile's meta as one JSON list: a few, read with the record's form."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from core.models import ProfileMeta

REJECTIONS = "sync_rejections"
# The form a row of another record is refused on: a grievance's party, a visit's member row.
PARENTS = {"grievance_party": ("grievance", "grievance_id"), "visit_member": ("visit", "visit_id")}


def rejections(session: Session) -> list[dict[str, Any]]:
    kept = session.get(ProfileMeta, REJECTIONS)
    return json.loads(kept.value) if kept else []


def _store(session: Session, entries: list[dict[str, Any]]) -> None:
    # Never cut short: a refusal is the only copy of the refused change until it is sent again or given up.
    session.merge(ProfileMeta(key=REJECTIONS, value=json.dumps(entries, ensure_ascii=False, default=str)))


def keep_rejections(session: Session, refused: list[dict[str, Any]]) -> None:
    """The server's refusals of one batch join those kept; a record refused again keeps one entry,
    with the newest reason and every field refused."""
    by_record = {(r["entity"], r["row_id"]): r for r in rejections(session)}
    for r in refused:
        key = (r["entity"], r["row_id"])
        before = by_record.pop(key, None)
        fields = {**(before or {}).get("fields", {}), **(r.get("fields") or {})}
        by_record[key] = {**r, "fields": fields}
    _store(session, list(by_record.values()))


def take_rejection(session: Session, entity: str, row_id: str) -> dict[str, Any] | None:
    """The kept refusal of one record, removed from the list (it is being sent again or discarded)."""
    entries = session.info.get(REJECTIONS)
    if entries is None:  # read once per transaction: a household's save asks for each of its rows
        entries = session.info[REJECTIONS] = rejections(session)
    found = next((r for r in entries if r["entity"] == entity and r["row_id"] == row_id), None)
    if found is not None:
        entries.remove(found)
        _store(session, entries)
    return found


def forget_rejections(session: Session, keys: set[tuple[str, str]]) -> None:
    _store(session, [r for r in rejections(session) if (r["entity"], r["row_id"]) not in keys])


class RejectionsMixin:
    """The store's side of refused changes (mixed into core.store.Store)."""

    def sync_rejections(self) -> list[dict]:
        """What the server refused and the worker has not yet sent again or discarded (oldest first)."""
        with self.reading() as s:  # type: ignore[attr-defined]
            return rejections(s)

    def rejections_of_household(self, household_id: str) -> list[dict]:
        """The refusals of a household and of the records under it, each with its `household_id`."""
        return [r for r in self.rejections_with_households() if r["household_id"] == household_id]

    def rejections_with_households(self) -> list[dict]:
        """Every kept refusal with the household its record belongs to ('' when the record is gone)."""
        from core.models import SYNCED_ENTITIES

        with self.reading() as s:  # type: ignore[attr-defined]
            entries = rejections(s)
            out = []
            for r in entries:
                model = SYNCED_ENTITIES.get(r["entity"])
                row = s.get(model, r["row_id"]) if model is not None else None
                home = "" if row is None or row.deleted else (row.id if r["entity"] == "household" else
                                                              getattr(row, "household_id", "") or "")
                parent = PARENTS.get(r["entity"])
                out.append({**r, "household_id": home, "parent_entity": parent[0] if parent else "",
                            "parent_id": getattr(row, parent[1], "") if parent and row is not None else ""})
            return out

    def discard_rejected(self, server_versions: list, keys: set[tuple[str, str]]) -> object:
        """Put back the server's version of refused records (a deleted one for a record the server never
        had), and forget their refusals, in one transaction. Returns the Changes it wrote. Raises
        ChangesOnTheirWay, changing nothing, while an edit made since is in a push batch that may have
        reached the server (core.store.push.unfreeze)."""
        from sqlalchemy import and_, delete, or_, select

        from core.models import OutboxEntry
        from core.store.pull import apply_page, pull_cursor
        from core.store.push import unfreeze

        with self.writing() as s:  # type: ignore[attr-defined]
            if keys:  # edits made since, to what is being given up, go too
                given_up = or_(*(and_(OutboxEntry.entity == e, OutboxEntry.row_id == r) for e, r in keys))
                unfreeze(s, list(s.execute(select(OutboxEntry.seq).where(given_up)).scalars()))
                s.execute(delete(OutboxEntry).where(given_up))
            result = apply_page(s, self.actor, server_versions, pull_cursor(s))  # type: ignore[attr-defined]
            forget_rejections(s, keys)
            return result.changes
