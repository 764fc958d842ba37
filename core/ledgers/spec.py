"""A ledger as data: its name on the command line, its title, its columns, where its rows come from,
and what it adds under its table. The ledgers themselves are in people.py, records.py, monitoring.py
and bulletin.py; LEDGERS (core.ledgers) lists them in the order the county's plan names them."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from core.ledgers.context import LedgerContext
from core.ledgers.layout import Column, SheetTotals

Rows = Callable[[LedgerContext], Iterable[Sequence]]


@dataclass(frozen=True)
class Ledger:
    name: str                       # as typed after --ledger: labour, graduates, …
    title: str                      # as the county names it: 搬迁劳动力台账
    columns: tuple[Column, ...]
    rows: Rows
    count: Callable[[LedgerContext], int]       # how many rows, for the progress bar (an estimate will do)
    foot: Callable[[LedgerContext, SheetTotals], list[list]] | None = None  # lines under the totals
    per_place: bool = True          # False: its rows are places already (月调度表, 季度通报): one sheet always
    note: str = ""                  # said on the unit line
    period: Callable[[str], str] | None = None  # the 统计期 of a month, when not the month itself
    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"ledger {self.name} declares no columns")
