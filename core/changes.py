"""What a write changed: the entities, the records and the households it touched (after Anki's OpChanges).

Every save of the store and every pulled page says what it wrote, so a screen refreshes only what that
touches: the household list when households or what its filters read changed, a list of records when
records of its kind changed, the dashboard when any household's figures may have moved. Core knows no
Qt: the GUI carries these in one signal of its main window.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def _ids(values: Iterable[str | None]) -> frozenset[str]:
    return frozenset(v for v in values if v)


@dataclass(frozen=True)
class Changes:
    """entities: table names written ('household', 'member', 'visit'…); record_ids: the rows written;
    household_ids: the households whose records were written (also one a moved record left)."""

    entities: frozenset[str] = frozenset()
    record_ids: frozenset[str] = frozenset()
    household_ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, entities: Iterable[str | None] = (), record_ids: Iterable[str | None] = (),
           household_ids: Iterable[str | None] = ()) -> "Changes":
        """From any iterables; empty and None values are left out."""
        return cls(_ids(entities), _ids(record_ids), _ids(household_ids))

    @classmethod
    def of_rows(cls, rows: Iterable[object]) -> "Changes":
        """From written rows of the models (each has __tablename__, id, and household_id unless it is a
        household)."""
        rows = list(rows)
        return cls.of((r.__tablename__ for r in rows), (r.id for r in rows),  # type: ignore[attr-defined]
                      (r.id if r.__tablename__ == "household" else getattr(r, "household_id", None)  # type: ignore
                       for r in rows))

    def merge(self, *others: "Changes") -> "Changes":
        """Everything this and the others changed (several pulled pages, a save and a delete)."""
        entities, records, households = set(self.entities), set(self.record_ids), set(self.household_ids)
        for other in others:
            entities |= other.entities
            records |= other.record_ids
            households |= other.household_ids
        return Changes(frozenset(entities), frozenset(records), frozenset(households))

    def touches(self, *entities: str) -> bool:
        """Whether records of any of `entities` were written."""
        return not self.entities.isdisjoint(entities)

    def touches_households(self, household_ids: Iterable[str] | None = None) -> bool:
        """Whether any household was touched (any of `household_ids`, when given)."""
        if household_ids is None:
            return bool(self.household_ids)
        return not self.household_ids.isdisjoint(household_ids)

    def __bool__(self) -> bool:
        return bool(self.entities or self.record_ids or self.household_ids)


NOTHING = Changes()
