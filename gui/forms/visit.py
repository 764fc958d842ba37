"""The monthly visit form (走访/月度监测): one row per member with this month's employment
status and income, pre-filled from the last visit so a routine visit takes seconds."""
from __future__ import annotations

import uuid

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from core.forms import data_fields, field_spec, prefill_visit
from core.store import HouseholdRecord, SaveResult, Store
from gui.context import AppContext
from gui.forms.records import ChildForm
from gui.i18n import tr, tr_noop
from gui.rows import RowsDelegate, RowsModel


def visit_month(ctx: AppContext, preset: dict | None) -> str:
    """The month a new visit is for: the one asked for, else this month."""
    today = ctx.today()
    return (preset or {}).get("month") or f"{today.year:04d}-{today.month:02d}"


class VisitForm(ChildForm):
    entity = "visit"
    row_entities = {"members": "visit_member"}
    tabs = [(tr_noop("本次走访"), ["month", "visit_date", "visitor", "method", "notes", "new_risks"])]

    def __init__(self, ctx: AppContext, full: HouseholdRecord, record: dict | None, preset: dict | None = None,
                 parent: QWidget | None = None):
        month = visit_month(ctx, preset)
        if record is None:  # this month's visit already made: open it rather than a second one
            record = next((vis for vis in full.visits if vis["month"] == month), None)
        self._prefill: tuple[dict, list[dict]] | None = None
        if record is None:
            visit, rows = prefill_visit(full.members, full.visits, full.employments, month, ctx.today())
            visit["visitor"] = visit.get("visitor") or ctx.store.actor.username
            self._prefill = visit, [{"id": str(uuid.uuid4()), **row} for row in rows]
        super().__init__(ctx, full, record, preset, parent)
        if self._prefill is not None:
            self.member_rows.set_rows(self._prefill[1])

    def defaults(self) -> dict:
        return dict(self._prefill[0]) if self._prefill else {}

    def add_extra_tabs(self) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(tr("每位成员本月的就业状态、就业地、行业和收入（已按上次走访填好，核对后修改即可）："), page))
        specs = [field_spec("visit_member", f) for f in data_fields("visit_member")]
        self.member_rows = RowsModel(specs, self.ctx.lang, {"member_id": [(m["id"], m["name"]) for m in self.full.members]},
                                     read_only={"member_id"}, parent=self)
        self.row_models["members"] = self.member_rows
        self.member_rows.sig_edited.connect(self._row_edited)
        table = QTableView(page)
        table.setObjectName("visit_members_table")
        table.setModel(self.member_rows)
        table.setItemDelegate(RowsDelegate(self.member_rows, table))
        table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.row_views["members"] = table
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table)
        self.tab_widget.addTab(page, tr("成员情况"))  # after 本次走访: the form opens on the visit's month

    def load(self, record: dict) -> None:
        super().load(record)
        if hasattr(self, "member_rows") and record:
            self.member_rows.set_rows([{k: r.get(k) for k in ("id", "server_seq", *data_fields("visit_member"))}
                                       for r in record.get("members", [])])

    def rows(self) -> list[dict]:
        return [dict(r) for r in self.member_rows.rows]

    def row_label(self, name: str, row: dict) -> str:
        return self.full.member_name(row.get("member_id"))

    def apply_draft_rows(self, rows: list[dict] | None) -> None:
        if rows is not None:
            self.member_rows.set_rows(rows)

    def _row_edited(self, row: int, _field: str) -> None:
        if row >= 0:
            self.touched.add(f"members[{row}]")
        self.mark_dirty()

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        return store.save_visit(values, rows or [], self.ctx.today())
