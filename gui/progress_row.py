"""A progress bar with its 取消 button, for a long job run off the UI thread (a ledger export, a roster
check or import, the analysts' copy): the job gets a core.progress.Progress whose reports reach the bar
by a queued signal, and 取消 asks it to stop at its next step."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from core.progress import Progress
from gui.i18n import tr


class ProgressRow(QWidget):
    """Hidden until `start()`; `finish()` hides it again. `sig_progress(done, total, stage)` may be emitted
    from any thread; `stage_words(stage)` says a stage code in the UI language."""

    sig_progress = Signal(int, int, str)

    def __init__(self, stage_words: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage_words = stage_words
        self.running: Progress | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar(self)
        self.cancel_button = QPushButton(tr("取消"), self)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.sig_progress.connect(self._show)
        self.hide()

    def start(self) -> Progress:
        """A new Progress for a job about to start; the bar shows 'busy' until its first report."""
        progress = Progress(lambda done, total, stage: self.sig_progress.emit(done, total, stage))
        self.running = progress
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()
        return progress

    def finish(self) -> None:
        self.running = None
        self.hide()

    def cancel(self) -> None:
        if self.running is not None:
            self.running.cancel()
            self.cancel_button.setEnabled(False)
            self.bar.setFormat(tr("正在取消…"))

    def _show(self, done: int, total: int, stage: str) -> None:
        if self.running is None or self.running.cancelled:
            return
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, total))
        self.bar.setFormat(f"{self.stage_words(stage)}  %v / %m")
