"""The grievance form: the case, its parties, and its workflow 登记 → 处理中 → 已办结 → 已回访,
with the deadline watched (an open case past its deadline is shown as overdue)."""
from __future__ import annotations

import uuid

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from core import validation as v
from core.codes import code_lists
from core.forms import data_fields, field_spec
from core.store import SaveResult, Store
from core.validation.coerce import CoerceError, parse_date
from gui.forms.base import new_button
from gui.forms.records import ChildForm
from gui.i18n import tr, tr_noop
from gui.rows import RowsDelegate, RowsModel


class GrievanceForm(ChildForm):
    entity = "grievance"
    row_entities = {"parties": "grievance_party"}
    tabs = [(tr_noop("登记信息"), ["case_no", "kind", "dispute_type", "summary", "source", "received_date", "deadline",
                             "responsible_unit", "responsible_person"]),
            (tr_noop("办理与回访"), ["status", "resolution", "closed_date", "followup_date", "satisfaction"])]

    def defaults(self) -> dict:
        today = self.ctx.today()
        return {"case_no": f"{today:%Y%m%d}-{uuid.uuid4().hex[:4].upper()}", "received_date": today,
                "status": "registered", "source": "grid_survey"}

    def add_extra_tabs(self) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.parties = RowsModel([field_spec("grievance_party", f) for f in data_fields("grievance_party")],
                                 self.ctx.lang, parent=self)
        self.row_models["parties"] = self.parties
        self.parties.sig_edited.connect(self._party_edited)
        self.party_table = QTableView(page)
        self.party_table.setObjectName("parties_table")
        self.party_table.setModel(self.parties)
        self.party_table.setItemDelegate(RowsDelegate(self.parties, self.party_table))
        self.party_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.row_views["parties"] = self.party_table
        self.party_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        buttons = QHBoxLayout()
        add = new_button(tr("新增当事人"), page, "add_party")
        remove = new_button(tr("移除当事人"), page, "remove_party")
        add.clicked.connect(lambda: self.parties.add_row({"id": str(uuid.uuid4()),
                                                          "role": "applicant" if not self.parties.rows else None}))
        remove.clicked.connect(self._remove_party)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addWidget(self.party_table)
        layout.addLayout(buttons)
        self.tab_widget.insertTab(1, page, tr("当事人"))

    def add_menu_actions(self, menu) -> None:  # noqa: ANN001 - a QMenu
        step = QAction(tr("办理状态下一步"), self)
        step.setShortcut(QKeySequence("Ctrl+Return"))
        step.triggered.connect(self.advance)
        menu.addAction(step)

    def header_widget(self) -> QWidget:
        bar = QWidget(self)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status_label = QLabel(bar)
        self.status_label.setObjectName("grievance_status")
        self.overdue_label = QLabel(bar)
        self.overdue_label.setObjectName("overdue_banner")
        self.next_button = new_button("", bar, "next_status")
        self.next_button.clicked.connect(self.advance)
        self.back_button = new_button(tr("撤回这一步"), bar, "previous_status")
        self.back_button.clicked.connect(self.step_back)
        layout.addWidget(self.status_label)
        layout.addWidget(self.overdue_label, 1)
        layout.addWidget(self.back_button)
        layout.addWidget(self.next_button)
        self._show_workflow()
        return bar

    def load(self, record: dict) -> None:
        super().load(record)
        if hasattr(self, "parties"):
            self.parties.set_rows([{k: p.get(k) for k in ("id", "server_seq", *data_fields("grievance_party"))}
                                   for p in record.get("parties", [])])
        self.editors["status"].input.setEnabled(False)  # moved on by the workflow button, one step at a time
        self._show_workflow()

    def rows(self) -> list[dict]:
        return [dict(r) for r in self.parties.rows]

    def apply_draft_rows(self, rows: list[dict] | None) -> None:
        if rows is not None:
            self.parties.set_rows(rows)

    def _party_edited(self, row: int, _field: str) -> None:
        if row >= 0:
            self.touched.add(f"parties[{row}]")
        self.mark_dirty()

    def _remove_party(self) -> None:
        index = self.party_table.currentIndex()
        if index.isValid():
            self.parties.remove_row(index.row())

    # -- workflow -------------------------------------------------------------------------------
    def saved_status(self) -> str | None:
        """The status in the store; a case moves one step from it per save, as the store requires."""
        return self.record.get("status") if self.record_id else None

    def advance(self) -> None:
        """Move one step on from the saved status; the date that step needs is filled with today."""
        status = self.editors["status"].value() or "registered"
        following = v.grievance_next_statuses(status)
        if not following or self.saved_status() is None or status != self.saved_status():
            return
        new = following[0]
        today = self.ctx.today()
        self._filled = [name for name, step in (("closed_date", "closed"), ("followup_date", "followed_up"))
                        if new == step and not self.editors[name].value()]
        for name in self._filled:
            self.editors[name].set_value(today)
        self.editors["status"].set_value(new)
        self.touched.add("status")
        self.tab_widget.setCurrentIndex(self.tab_widget.count() - 1)
        self._show_workflow()

    def step_back(self) -> None:
        """Undo a step not saved yet (and the date it filled in)."""
        saved = self.saved_status()
        if saved is None:
            return
        for name in getattr(self, "_filled", []):
            self.editors[name].set_value(None)
        self._filled = []
        self.editors["status"].set_value(saved)
        self._show_workflow()

    def _show_workflow(self) -> None:
        if not hasattr(self, "status_label"):
            return
        lists, lang = code_lists(), self.ctx.lang
        status = self.editors["status"].value() or "registered"
        self.status_label.setText(tr("办理状态：%1").replace("%1", lists.label("grievance_status", status, lang)))
        following = v.grievance_next_statuses(status)
        saved = self.saved_status()
        self.next_button.setVisible(bool(following) and saved is not None and status == saved)
        self.back_button.setVisible(saved is not None and status != saved)
        if following:
            self.next_button.setText(tr("下一步：%1").replace("%1", lists.label("grievance_status", following[0], lang)))
        if saved is None:
            self.status_label.setText(self.status_label.text() + tr("（保存后可进行下一步）"))
        days = self.overdue_days()
        self.overdue_label.setText(tr("已超期 %n 天", None, days) if days else "")
        self.overdue_label.setProperty("problem", "error" if days else "")
        self.overdue_label.style().unpolish(self.overdue_label)
        self.overdue_label.style().polish(self.overdue_label)
        if days and not self.editors["deadline"].problem:
            self.editors["deadline"].mark(tr("已超过办理期限，请尽快办结"), "warning")

    def overdue_days(self) -> int:
        values = self.values()
        today = self.ctx.today()
        if not v.is_overdue(values, today):
            return 0
        try:
            return (today - parse_date(values["deadline"])).days
        except CoerceError:
            return 0

    def after_problems(self, shown_problems) -> None:  # noqa: ANN001
        self._show_workflow()

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        return store.save_grievance(values, rows or [], self.ctx.today())

