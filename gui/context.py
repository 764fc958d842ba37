"""What every window and form of the app is handed: the open store, settings, language, workers."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.store import Store
from gui.i18n import Language
from gui.ops import DbOp, ImmediateWorker, Worker
from gui.settings import Settings


@dataclass
class AppContext:
    store: Store
    settings: Settings
    language: Language
    db: Worker | ImmediateWorker
    today: Callable[[], date] = field(default=date.today)
    net: Worker | ImmediateWorker | None = None  # the network worker; made by the sync controller when None
    demo_password: str | None = None  # the demo profile's known password, shown where it is asked for

    @property
    def lang(self) -> str:
        """'zh' or 'en', for the bilingual labels and messages of core/."""
        return self.language.code

    def op(self, job: Callable[[Store], Any]) -> DbOp:
        return DbOp(self.db, self.store, job)
