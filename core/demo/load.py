"""write_demo_profile: generated demo data loaded into a profile, chunk by chunk."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from random import Random
from typing import Protocol

from core.demo import background as bg
from core.demo.generate import generate_households
from core.demo.reference import generate_reference

BACKGROUND_MIN_HOUSEHOLDS = 10_000  # below this, spawning a process costs more than it saves


class BulkLoader(Protocol):
    def bulk_load(self, rows: dict[str, list[dict]], reason: str, refresh: bool = True) -> dict[str, int]: ...

    def finish_bulk_load(self) -> None: ...


def write_demo_profile(store: BulkLoader, households: int, seed: int, as_of: date,
                       progress: Callable[[int, int], None] | None = None, chunk: int = 5000,
                       background: bool | None = None) -> dict[str, int]:
    """Load `households` generated households (and the reference data) into `store`.

    One bulk_load, one transaction, per chunk of households; the reference data comes with the
    first. The data depend only on `seed` and `as_of`. `progress(done, total)` is called after
    each chunk. Returns the number of rows loaded per entity.

    `background` generates the chunks in a second process while this one loads (the default for
    10,000 households or more); the rows are the same either way.
    """
    if households < 0 or chunk < 1:
        raise ValueError("households must be >= 0 and chunk >= 1")
    if background is None:
        background = households >= BACKGROUND_MIN_HOUSEHOLDS and bg.available()
    source = bg.chunks_in_background if background else chunks
    totals: dict[str, int] = {}
    reason = f"demo data (seed {seed}, as of {as_of.isoformat()})"
    for done, rows in source(seed, households, as_of, chunk):
        for entity, n in store.bulk_load(rows, reason, refresh=False).items():
            totals[entity] = totals.get(entity, 0) + n
        if progress is not None:
            progress(done, households)
    store.finish_bulk_load()  # list summaries, search indexes and statistics, once for all chunks
    return totals


def chunks(seed: int, households: int, as_of: date, chunk: int) -> Iterator[tuple[int, dict[str, list[dict]]]]:
    """(households done after this chunk, its rows), the reference data in the first."""
    rng = Random(seed)
    reference = generate_reference(rng, as_of, households)
    starts = list(range(0, households, chunk)) or [0]
    for k, start in enumerate(starts):
        count = min(chunk, households - start)
        rows = generate_households(rng, reference, start, count, as_of) if count else {}
        yield start + count, ({**reference.rows, **rows} if k == 0 else rows)

