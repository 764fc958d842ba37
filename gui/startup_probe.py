"""For bench/package.py: how long a start takes, measured inside the started program (frozen or not).

With ANJU_STARTUP_PROBE=FILE in the environment, the app opens on the household list instead of the home
page and writes to FILE, once that list has been painted holding its first page, the milliseconds since its
process began; then it closes. Nothing happens without the variable.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer

PROBE_ENV = "ANJU_STARTUP_PROBE"


def process_age_ms() -> float:
    """Milliseconds since this process began (Linux: its start tick, exact to 10 ms; else psutil)."""
    if sys.platform.startswith("linux"):
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        return (time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")) * 1000
    import psutil

    return (time.time() - psutil.Process().create_time()) * 1000


class StartupProbe(QObject):
    def __init__(self, window, target: Path) -> None:  # noqa: ANN001 - the MainWindow
        super().__init__(window)
        self.window, self.target, self.painted = window, target, False
        from gui.main_window import NAVIGATION

        window.nav.setCurrentRow([key for key, _title in NAVIGATION].index("households"))
        window.households.view.viewport().installEventFilter(self)
        self.timer = QTimer(self, interval=5, timeout=self._check)
        self.timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802 - Qt's
        if event.type() == QEvent.Type.Paint and self.window.households.model.rowCount() > 0:
            self.painted = True  # a paint of the list with rows in it
        return False

    def _check(self) -> None:
        if self.painted:
            self.timer.stop()
            self.target.write_text(json.dumps({"first_list_painted_ms": round(process_age_ms(), 1),
                                               "rows": self.window.households.model.rowCount()}))
            self.window.close()


def watch_startup(window) -> None:  # noqa: ANN001
    target = os.environ.get(PROBE_ENV)
    if target:
        StartupProbe(window, Path(target))
