"""打印户卡: a small dialog to print a household's card on paper or save it as PDF, masked unless the
worker ticks "显示完整身份证号和电话" (a card in clear is written to the audit log first)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QCheckBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.commands import os_error_words
from core.outputs import OutputRefused, check_output_file
from core.store.profile import ProfileError
from gui.card import CardData, a4_printer, card_document, load_card, log_card, print_document, save_card_pdf
from gui.context import AppContext
from gui.i18n import bilingual, error_message, tr


def print_card(ctx: AppContext, household_id: str, parent: QWidget | None = None,
               unsaved: bool = False) -> "CardDialog":
    """The user action 打印户卡…: opens the dialog for the household's card (its stored version;
    `unsaved` says the form holds typing not yet saved, which the card will not show)."""
    dialog = CardDialog(ctx, household_id, parent, unsaved)
    dialog.show()
    return dialog


class CardDialog(QDialog):
    """Print… / Save as PDF… / Close, and the box that shows the numbers in full."""

    def __init__(self, ctx: AppContext, household_id: str, parent: QWidget | None = None, unsaved: bool = False):
        super().__init__(parent)
        self.ctx, self.household_id = ctx, household_id
        self.data: CardData | None = None
        self.setObjectName("card_dialog")
        self.setWindowTitle(tr("打印户卡"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        self.about = QLabel(tr("正在读取户的资料…"), self)
        self.about.setWordWrap(True)
        layout.addWidget(self.about)
        if unsaved:
            layout.addWidget(QLabel(tr("表单中尚未保存的修改不会出现在户卡上。"), self))
        self.unmasked_box = QCheckBox(tr("显示完整身份证号和电话"), self)
        self.unmasked_box.setObjectName("card_unmasked")
        self.unmasked_box.setToolTip(tr("户卡上将有完整的身份证号、电话和健康状况；打印或保存时记入审计日志。"))
        layout.addWidget(self.unmasked_box)
        self.message = QLabel(self)
        self.message.setObjectName("card_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addLayout(self._buttons())
        ctx.op(lambda store: load_card(store, household_id, ctx.today())).success(self._guard(self._loaded)) \
            .failure(self._guard(self._failed)).run()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.print_button = QPushButton(tr("打印…"), self)
        self.print_button.setObjectName("card_print")
        self.print_button.clicked.connect(self.print_on_paper)
        self.pdf_button = QPushButton(tr("保存为 PDF…"), self)
        self.pdf_button.setObjectName("card_pdf")
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        close = QPushButton(tr("关闭"), self)
        close.clicked.connect(self.close)
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(False)  # until the household is read
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        return row

    def _guard(self, callback: Callable[..., None]) -> Callable[..., None]:
        """Results from the database worker may arrive after the dialog was closed."""
        def guarded(*args: object) -> None:
            if shiboken6.isValid(self):
                callback(*args)
        return guarded

    def _loaded(self, data: CardData) -> None:
        self.data = data
        number = data.record.household.get("household_no") or ""
        self.about.setText(tr("户 %1 的户卡：A4 纸一页，默认遮蔽身份证号和电话。").replace("%1", number))
        self.print_button.setEnabled(True)
        self.pdf_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        words = bilingual(os_error_words(error), self.ctx.lang) if isinstance(error, OSError) else \
            error_message(error, self.ctx.lang)
        self.message.setText(words)

    # -- the two ways out --------------------------------------------------------------------------
    def save_pdf(self, path: str | None = None) -> None:
        """Asks where (unless `path` is given), then writes the PDF whole or not at all."""
        if self.data is None:
            return
        if path is None:
            number = self.data.record.household.get("household_no") or "card"
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            path, _ = QFileDialog.getSaveFileName(self, tr("保存户卡"), str(Path(folder) / tr("户卡-%1.pdf")
                                                  .replace("%1", number)), tr("PDF 文件 (*.pdf)"))
        if not path:
            return
        try:  # a wrong place is said before anything is logged or written
            target = check_output_file(Path(path if path.lower().endswith(".pdf") else path + ".pdf"), ".pdf")
        except OutputRefused as exc:
            self._failed(exc)
            return
        data, unmasked = self.data, self.unmasked_box.isChecked()
        self._after_log(unmasked, lambda: self._said(save_card_pdf(data, target, unmasked, self.ctx.lang)))

    def print_on_paper(self) -> None:
        """The system's print dialog (A4 preset), then the card laid out for the printer chosen."""
        if self.data is None:
            return
        printer = a4_printer(QPrinter(QPrinter.PrinterMode.HighResolution))
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        data, unmasked = self.data, self.unmasked_box.isChecked()
        self._after_log(unmasked, lambda: (print_document(card_document(data, printer, unmasked, self.ctx.lang),
                                                          printer), self._said(None)))

    def _after_log(self, unmasked: bool, make: Callable[[], object]) -> None:
        """A card in clear is in the audit log before it is made; then it is made on the UI thread
        (a page: a few tens of milliseconds)."""
        def made(_result: object) -> None:
            try:
                make()
            except (OSError, ProfileError) as exc:  # a folder gone, no permission, a full disk: in words
                self._failed(exc)
        self.ctx.op(lambda store: log_card(store, self.household_id, unmasked)).success(self._guard(made)) \
            .failure(self._guard(self._failed)).run()

    def _said(self, path: Path | None) -> None:
        self.message.setText(tr("户卡已保存：%1").replace("%1", str(path)) if path else tr("户卡已送往打印机。"))
