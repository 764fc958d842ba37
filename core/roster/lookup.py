"""What a roster's check asks of the profile: who is in it already and which household numbers are used."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select

from core.models import Household, Member

CHUNK = 500  # values per IN (...): well under SQLite's limit on parameters


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    values = sorted(set(values))
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


def households_of_ids(store, id_numbers: Iterable[str]) -> dict[str, str]:  # noqa: ANN001 - a Store
    """ID number -> the number of the live household it is registered in (members who left not counted)."""
    found: dict[str, str] = {}
    with store.reading() as s:
        for chunk in _chunks(id_numbers):
            stmt = (select(Member.id_number, Household.household_no)
                    .join(Household, Household.id == Member.household_id)
                    .where(Member.id_number.in_(chunk), Member.deleted.is_(False), Member.status != "removed",
                           Household.deleted.is_(False)))
            found.update({number: household_no for number, household_no in s.execute(stmt)})
    return found


def numbers_in_use(store, numbers: Iterable[str]) -> set[str]:  # noqa: ANN001
    """Those of `numbers` that a live household of the profile already has."""
    used: set[str] = set()
    with store.reading() as s:
        for chunk in _chunks(numbers):
            stmt = select(Household.household_no).where(Household.household_no.in_(chunk),
                                                         Household.deleted.is_(False))
            used.update(s.execute(stmt).scalars())
    return used


def numbers_starting(store, prefix: str) -> list[str]:  # noqa: ANN001
    """Every household number (live or not) that starts with `prefix`."""
    with store.reading() as s:
        stmt = select(Household.household_no).where(Household.household_no.startswith(prefix, autoescape=True))
        return list(s.execute(stmt).scalars())
