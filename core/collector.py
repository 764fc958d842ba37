"""How often Python's cycle collector runs in the laptop's process (the app and its commands,
gui.cli.entry, and the benches that stand in for them) and in the county server's.

Python collects its youngest objects after every 700 new containers (dicts, lists, class
instances) by default. A push, a pull or a bulk load makes hundreds of thousands of them, and
most live until their batch is written; each collection walks the young ones again and passes
the survivors on, so the older collections walk them again too. With the first threshold at
20,000 a collection comes thirty times less often and finds most of a batch already gone. The
memory this holds back is at most the cyclic garbage of 20,000 objects, a few megabytes.

Measured with bench/sync.py (2-core machine, runs with and without it interleaved): a first
download of 10,000 members 9,800-10,100 -> 11,700-12,000 records/s, their push 6,200-6,400 ->
6,600-6,700; a save of a household was not changed by it (bench/store.py). The county server's
serving processes use it too (sync.server.app.for_serving): a push's records live until its
commit, and its collections took 61-102 ms of a push of 10,000 members with Python's thresholds,
17-44 ms with this one (docs/architecture.md)."""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_OBJECTS = 20_000  # new containers between collections of the youngest generation (Python's default 700)


def collect_less() -> None:
    """Set the process's collection thresholds (once, as it starts); the other two stay Python's."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, old)


class _Pauses:
    """The sync jobs under way that asked for the collector to wait (`paused`): the collector is
    process-wide, so the first to come stops it and the last to go lets it run again, and only if
    it ran before."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.was_enabled = False


_PAUSES = _Pauses()


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection while the block runs (a sync: seconds, rarely a few minutes for a first
    download), in any thread; nested and side by side blocks are counted. A sync's objects are freed
    by their reference counts as each batch or page is done, and a collection in the middle walks
    those still alive for nothing: with 1,000 edits it came once a sync and took 4.5 ms of it. What
    the block leaves behind is collected as usual once it ends."""
    with _PAUSES.lock:
        if _PAUSES.count == 0:
            _PAUSES.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSES.count += 1
    try:
        yield
    finally:
        with _PAUSES.lock:
            _PAUSES.count -= 1
            if _PAUSES.count == 0 and _PAUSES.was_enabled:
                gc.enable()
