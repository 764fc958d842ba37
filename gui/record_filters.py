"""The filters above a record list (training by type and result, jobs by channel and whether they
still run, grievances by status and overdue, visits by month), as core's list offers them; and
the dialog that asks which household a new record is for."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QVBoxLayout, QWidget,
)

from core.codes import code_lists
from core.indicators import add_months, month_of
from core.store import RECORD_LISTS, HouseholdFilter
from core.validation.fields import code_list_of, label
from gui.context import AppContext
from gui.i18n import tr

MONTHS_OFFERED = 12


class RecordFilterBar(QWidget):
    """One control per filter of the list; `values()` is what core's list_records takes."""

    sig_changed = Signal()

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.controls: dict[str, QComboBox | QCheckBox] = {}
        for name in RECORD_LISTS[kind].filters:
            control = self._control(name)
            control.setObjectName(f"filter_{kind}_{name}")
            self.controls[name] = control
            layout.addWidget(control)
        layout.addStretch(1)

    def _control(self, name: str) -> QComboBox | QCheckBox:
        if name == "overdue":
            box = QCheckBox(tr("只看超期"), self)
            box.toggled.connect(self.sig_changed)
            return box
        combo = QComboBox(self)
        for text, value in self._options(name):
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self.sig_changed)
        return combo

    def _options(self, name: str) -> list[tuple[str, object]]:
        if name == "current":
            return [(tr("全部就业记录"), None), (tr("仍在就业"), True), (tr("已结束"), False)]
        if name == "month":
            this = month_of(self.ctx.today())
            return [(tr("全部月份"), None)] + [(m, m) for m in (add_months(this, -i) for i in range(MONTHS_OFFERED))]
        zh, en = label(self.kind, name)
        title = en if self.ctx.lang == "en" else zh
        lists = code_lists()
        return [(tr("全部%1").replace("%1", title), None)] + [
            (c.label(self.ctx.lang), c.code) for c in lists.codes(code_list_of(self.kind, name))]

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for name, control in self.controls.items():
            if isinstance(control, QCheckBox):
                out[name] = True if control.isChecked() else None
            else:
                out[name] = control.currentData()
        return out


class HouseholdChooser(QDialog):
    """Which household a new record is for: search by number, name or address, pick one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("household_chooser")
        self.setWindowTitle(tr("选择户"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("这条记录属于哪一户？"), self))
        self.search = QLineEdit(self)
        self.search.setObjectName("chooser_search")
        self.search.setPlaceholderText(tr("搜索：姓名、身份证号、电话、户编号或楼栋房号"))
        self.search.textChanged.connect(self._find)
        self.found = QListWidget(self)
        self.found.setObjectName("chooser_list")
        self.found.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.search)
        layout.addWidget(self.found, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self._find("")

    def _find(self, text: str) -> None:
        self.found.clear()
        rows = self.ctx.store.list_households(HouseholdFilter(text=text, today=self.ctx.today()), limit=50,
                                             lang=self.ctx.lang)
        for row in rows:
            item = QListWidgetItem(f"{row.household_no}  {row.head_name or ''}  {row.settlement or ''} {row.address}",
                                   self.found)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
        if self.found.count():
            self.found.setCurrentRow(0)

    def chosen(self) -> str | None:
        item = self.found.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
