"""The household form: basic information and address, members, income, monitoring and risks,
measures, and the household's grievances and visits."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel, QListWidget, QListWidgetItem, QMessageBox, QWidget,
)

from core.codes import code_lists
from core.store import HouseholdRecord, SaveResult, Store
from core.indicators.income import year_income
from gui.context import AppContext
from gui.fields import shown
from gui.forms.base import ADD_KEYS, ADD_TEXTS, RecordForm, alive, records_box
from gui.forms.members import MembersPanel, member_row
from gui.i18n import tr, tr_noop



class HouseholdForm(RecordForm):
    """One household and its members, saved together."""

    sig_open_record = Signal(str, object, object)  # entity, record (None for new), preset values
    entity = "household"
    default_size = (1200, 760)
    tabs = [
        (tr_noop("基本信息"), ["household_no", "settlement_id", "grid_id", "building", "unit", "room",
                           "resettlement_mode", "resettlement_area", "relocation_year", "origin_area_code",
                           "house_area", "phone", "household_type", "consent_date", "notes"]),
        (tr_noop("监测与风险"), ["monitoring_category", "monitoring_identified_month", "monitoring_cleared_month",
                             "risk_types"]),
    ]

    def __init__(self, ctx: AppContext, full: HouseholdRecord | None, settlements: list[dict], grids: list[dict],
                 parent: QWidget | None = None, areas: list[dict] | None = None):
        self.full = full or HouseholdRecord(household={})
        self.settlements, self.grids = settlements, grids
        super().__init__(ctx, self.full.household, None, parent)
        self.members.set_members(self.full.members, self.full.employments, self.full.trainings)
        self._fill_lists()
        self.editors["origin_area_code"].input.set_places_below(areas or [])  # the county's townships, villages
        self.editors["settlement_id"].sig_changed.connect(lambda _name: self._narrow_grids())
        self._explain_missing_places()
        self.setWindowTitle(self.title())
        if not self.members.model.rows:
            self.tab_widget.setCurrentIndex(0)

    def title(self) -> str:
        editor = getattr(self, "editors", {}).get("household_no")
        number = (editor.value() if editor is not None else "") or self.record.get("household_no") or ""
        return tr("户：%1").replace("%1", number) if number else tr("新建户")

    def ref_choices(self, name: str) -> list[tuple[str, str]]:
        if name == "settlement_id":
            return [(s["id"], s["name"]) for s in self.settlements]
        if name == "grid_id":
            return [(g["id"], g["name"]) for g in self.grids]
        return []

    def _explain_missing_places(self) -> None:
        """A profile made on this laptop has no settlements or grids: say so in the empty choices, and
        why and what to do under them, rather than offer a blank line."""
        if self.settlements:
            return
        empty = {"settlement_id": tr("（本档案还没有安置点）"), "grid_id": tr("（本档案还没有网格）")}
        for name, text in empty.items():
            if not self.editors[name].value():
                self.editors[name].input.setItemText(0, text)
        self.places_hint = QLabel(tr("在本机新建的档案没有连接县服务器，所以没有安置点和网格。要使用县里的安置点和网格，"
                                     "请连接县服务器新建一个档案（anju enroll 命令）。这两项现在可以先不填。"), self)
        self.places_hint.setObjectName("places_hint")
        self.places_hint.setWordWrap(True)
        self.editors["settlement_id"].layout().addWidget(self.places_hint)

    def _narrow_grids(self) -> None:
        settlement = self.editors["settlement_id"].value()
        grids = [g for g in self.grids if not settlement or g.get("settlement_id") == settlement]
        self.editors["grid_id"].set_choices([(g["id"], g["name"]) for g in grids])

    # -- extra tabs -----------------------------------------------------------------------------
    def add_extra_tabs(self) -> None:
        self.members = MembersPanel(self.ctx, self)
        self.row_models["members"] = self.members.model
        self.members.sig_row_edited.connect(self._member_edited)
        self.members.sig_row_removed.connect(self._member_removed)
        self.members.sig_open_record.connect(self._open_member_record)
        self.tab_widget.insertTab(1, self.members, tr("家庭成员"))
        self.lists: dict[str, QListWidget] = {}
        self.tab_widget.insertTab(2, self._records_tab([("household_income", tr("年度收入")), ("insurance", tr("参保"))]),
                                  tr("收入与参保"))
        self.tab_widget.addTab(self._records_tab([("measure", tr("帮扶措施"))]), tr("帮扶措施"))
        self.tab_widget.addTab(self._records_tab([("grievance", tr("诉求")), ("visit", tr("走访"))]), tr("诉求与走访"))

    def _records_tab(self, kinds: list[tuple[str, str]]) -> QWidget:
        box, lists = records_box(self, kinds, self._open)
        self.lists.update(lists)
        return box

    def add_menu_actions(self, menu) -> None:  # noqa: ANN001
        add = QAction(tr(ADD_TEXTS["member"]), self)
        add.setShortcut(QKeySequence.StandardKey.New)
        add.triggered.connect(self._add_member)
        menu.addAction(add)
        remove = QAction(tr("移除所选成员"), self)
        remove.triggered.connect(lambda: self.members.remove_current())  # the members tab is built after the menu
        menu.addAction(remove)
        menu.addSeparator()
        for entity in ("employment", "training", "grievance", "visit"):
            action = QAction(tr(ADD_TEXTS[entity]), self)
            action.setObjectName(f"action_add_{entity}")
            action.setShortcut(QKeySequence(ADD_KEYS[entity]))
            action.triggered.connect(lambda _checked=False, e=entity: self.add_record(e))
            menu.addAction(action)
        menu.addSeparator()
        self.card_action = QAction(tr("打印户卡…"), self)
        self.card_action.setObjectName("action_print_card")
        self.card_action.setShortcut(QKeySequence.StandardKey.Print)
        self.card_action.triggered.connect(self.print_card)
        menu.addAction(self.card_action)

    def print_card(self) -> None:
        """打印户卡… (Ctrl+P): the household's card as saved; a new household is saved first."""
        from gui.card_dialog import print_card

        if self.record_id is None:
            QMessageBox.information(self, tr("打印户卡"), tr("请先保存这一户，再打印户卡。"))
            return
        print_card(self.ctx, self.record_id, self, unsaved=self.dirty)

    def add_record(self, entity: str) -> None:
        """The key of an add button: a job or training for the member selected, a grievance or this month's visit."""
        if entity in ("employment", "training"):
            self.tab_widget.setCurrentWidget(self.members)
            self.members.add_record(entity)
        else:
            self.tab_widget.setCurrentIndex(self.tab_widget.indexOf(self.lists[entity].parentWidget()))
            self._open(entity, None)

    def _add_member(self) -> None:
        self.tab_widget.setCurrentWidget(self.members)
        self.members.add_member()

    # -- values ---------------------------------------------------------------------------------
    def rows(self) -> list[dict]:
        return self.members.rows()

    def _member_edited(self, row: int) -> None:
        if row >= 0:
            self.touched.add(f"members[{row}]")
        self.touched.add("members")
        self.mark_dirty()

    def _member_removed(self, removed: int) -> None:
        """Rows after the removed one move up: so do the marks of the rows the worker touched."""
        moved = set()
        for mark in self.touched:
            found = re.match(r"^members\[(\d+)\]$", mark)
            if not found:
                moved.add(mark)
            elif int(found.group(1)) != removed:
                index = int(found.group(1))
                moved.add(f"members[{index - 1 if index > removed else index}]")
        self.touched = moved
        self._member_edited(-1)

    def after_problems(self, shown_problems) -> None:  # noqa: ANN001
        self.members.mark(self.members.model.problems)

    def focus_row_problem(self, rows_name: str, row: int, field: str) -> bool:
        if rows_name != "members" or row >= len(self.members.model.rows):
            return False
        self.tab_widget.setCurrentWidget(self.members)
        self.members.focus_field(row, field)
        return True

    def focus_other_problem(self, path: str) -> None:
        if path == "members":
            self.tab_widget.setCurrentWidget(self.members)

    def apply_draft(self, payload: dict) -> None:
        self.members.removed_ids = list(payload.get("removed") or [])
        super().apply_draft(payload)

    def apply_draft_rows(self, rows: list[dict] | None) -> None:
        if rows is not None:
            self.members.model.set_rows(rows)
            self.touched |= {f"members[{i}]" for i in range(len(rows))}
            if rows:
                self.members.select_row(0)

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        self._removed_at_save = list(self.members.removed_ids)  # a fresh list the worker thread only reads
        return super().save()

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        # Only the members the worker removed are deleted: one added meanwhile elsewhere is kept.
        return store.save_household(values, rows or [], self.ctx.today(), removed=self._removed_at_save)

    def draft_payload(self) -> dict:
        return {**super().draft_payload(), "removed": list(self.members.removed_ids)}

    def reload_job(self, store: Store, record_id: str) -> HouseholdRecord:  # type: ignore[override]
        return store.get_household(record_id, log_access=False)

    def _reloaded(self, full: HouseholdRecord) -> None:  # type: ignore[override]
        done = set(getattr(self, "_removed_at_save", []))
        self.members.removed_ids = [i for i in self.members.removed_ids if i not in done]
        super()._reloaded(full)

    def after_reload(self, full: HouseholdRecord) -> None:  # type: ignore[override]
        self.full = full
        self._fill_lists()
        self.members.set_records(full.employments, full.trainings)
        if not self.dirty:  # typing done since the save started stays as typed
            self.members.set_members(full.members, full.employments, full.trainings)
        super().after_reload(full.household)

    def refresh_from_store(self) -> None:
        """A record under this household was saved elsewhere: show it here."""
        if self.record_id:
            household_id = self.record_id
            self.ctx.op(lambda store: store.get_household(household_id, log_access=False)).success(
                alive(self, self._refreshed)).run()

    def _refreshed(self, full: HouseholdRecord) -> None:
        if self.pulled_since(full):  # a sync changed the household meanwhile: merged, never taken unseen
            self.merge_pulled(full)
            return
        self.full = full
        self._fill_lists()
        self.members.set_records(full.employments, full.trainings)

    # -- a sync changed this household (gui/forms/pulled.py) ----------------------------------------
    row_entities = {"members": "member"}

    def loaded(self) -> HouseholdRecord:
        return self.full

    def split_loaded(self, loaded: HouseholdRecord) -> tuple[dict, dict[str, list[dict]]]:  # type: ignore[override]
        return loaded.household, {"members": [member_row(m) for m in loaded.members]}

    def adopt_loaded(self, loaded: HouseholdRecord) -> None:  # type: ignore[override]
        self.full = loaded
        self.record = loaded.household
        self._fill_lists()
        self.members.set_records(loaded.employments, loaded.trainings)

    def concerns(self, changes) -> bool:  # noqa: ANN001 - Changes
        return bool(self.record_id) and changes.touches_households([self.record_id])

    def set_pulled_rows(self, name: str, rows: list[dict]) -> None:
        self.members.set_members(rows, self.full.employments, self.full.trainings)

    def after_row_taken(self, name: str, at: int) -> None:
        if at == self.members.current_row():
            self.members.select_row(at)

    # -- records under the household -------------------------------------------------------------
    def _fill_lists(self) -> None:
        lists, lang = code_lists(), self.ctx.lang
        described = {
            "household_income": [(self._income_text(i), i) for i in self.full.incomes],
            "insurance": [(f"{i.get('year')} {self.full.member_name(i.get('member_id'))} "
                           f"{lists.label('insurance_kind', i.get('kind'), lang)} "
                           f"{tr('已参保') if i.get('insured') else tr('未参保')} "
                           f"{lists.label('insurance_payer', i.get('paid_by'), lang) if i.get('paid_by') else ''}", i)
                          for i in self.full.insurances],
            "measure": [(f"{lists.label('measure_category', m.get('category'), lang)} {m.get('name')} "
                         f"{lists.label('measure_status', m.get('status'), lang)}", m) for m in self.full.measures],
            "grievance": [(f"{g.get('case_no')} {lists.label('grievance_kind', g.get('kind'), lang)} "
                           f"{lists.label('grievance_status', g.get('status'), lang)}", g) for g in self.full.grievances],
            "visit": [(f"{vis.get('month')} {lists.label('visit_method', vis.get('method'), lang)} "
                       f"{vis.get('visitor') or ''}", vis) for vis in self.full.visits],
        }
        for entity, items in described.items():
            box = self.lists[entity]
            box.clear()
            for text, record in items:
                QListWidgetItem(text, box).setData(Qt.ItemDataRole.UserRole, record)

    def _income_text(self, row: dict) -> str:
        """'2025年 人均可支配收入 9,800 元，工资性收入占比 62%'."""
        live = sum(1 for m in self.full.members if m.get("status") != "removed")
        income = year_income(row, live)
        text = tr("%1年 人均可支配收入 %2 元").replace("%1", str(row.get("year"))).replace(
            "%2", shown(round(income.per_person)) if income.per_person is not None else "—")
        if income.wage_share is not None:
            text += tr("，工资性收入占比 %1%").replace("%1", f"{income.wage_share * 100:.0f}")
        return text

    def _open(self, entity: str, record: dict | None, preset: dict | None = None) -> None:
        if not self.record_id:
            QMessageBox.information(self, tr("请先保存"), tr("请先保存这一户，再录入它的其他记录。"))
            return
        self.sig_open_record.emit(entity, record, preset or {})

    def _open_member_record(self, entity: str, member_id: str, record: dict | None) -> None:
        if record is None and not member_id:
            QMessageBox.information(self, tr("请先保存"), tr("请先保存这位成员，再录入他的就业或培训记录。"))
            return
        self._open(entity, record, {"member_id": member_id} if record is None else None)
