"""Forms for the records under a household that stand alone: employment, training, measure.
Their base, ChildForm, is shared with the grievance and visit forms."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from core.address import address_text
from core.codes import code_lists
from core.store import HouseholdRecord, RecordGone, SaveResult, Store
from core.validation.fields import ENTITY_LABELS
from gui.context import AppContext
from gui.forms.base import RecordForm
from gui.i18n import tr, tr_noop

# Where each kind of record sits in a HouseholdRecord.
RECORD_LISTS = {"employment": "employments", "training": "trainings", "measure": "measures",
                "grievance": "grievances", "visit": "visits", "household_income": "incomes", "insurance": "insurances"}


def household_heading(full: HouseholdRecord, lang: str) -> str:
    """Which household a record belongs to: its number, its head and its address."""
    head = next((m for m in full.members if m.get("relation") == "head"), full.members[0] if full.members else {})
    home = full.household
    address = address_text(home.get("building"), home.get("unit"), home.get("room"), lang)
    return (tr("户编号：%1　户主：%2　地址：%3").replace("%1", home.get("household_no") or "—")
            .replace("%2", head.get("name") or "—").replace("%3", address or "—"))


class ChildForm(RecordForm):
    """A record under a household. `full` is the household as loaded, for the choice of members
    and jobs; `preset` fills fields of a new record (the member it is for)."""

    default_size = (900, 640)

    def __init__(self, ctx: AppContext, full: HouseholdRecord, record: dict | None, preset: dict | None = None,
                 parent: QWidget | None = None):
        self.full = full
        super().__init__(ctx, record, full.household["id"], parent)
        self.household_label = QLabel(household_heading(full, ctx.lang), self)
        self.household_label.setObjectName("household_heading")
        self.household_label.setStyleSheet("font-weight: bold; padding: 2px 0;")
        self.household_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout().insertWidget(0, self.household_label)  # above the tabs (and the grievance's workflow)
        if record is None:
            self._loading = True
            for name, value in {**self.defaults(), **(preset or {})}.items():
                if name in self.editors:
                    self.editors[name].set_value(value)
            self._loading = False
        self.setWindowTitle(self.title())

    def defaults(self) -> dict:
        return {}

    def ref_choices(self, name: str) -> list[tuple[str, str]]:
        if name == "member_id":
            return [(m["id"], m["name"]) for m in self.full.members]
        if name == "employment_id":
            return [(e["id"], f"{self.full.member_name(e['member_id'])} {e['start_month']} {e.get('employer') or ''}")
                    for e in self.full.employments]
        return []

    def title(self) -> str:
        zh, en = ENTITY_LABELS[self.entity]
        what = en[:1].upper() + en[1:] if self.ctx.lang == "en" else zh
        household = self.full.household.get("household_no") or ""
        member = self.full.member_name(self.editors["member_id"].value()) if "member_id" in self.editors else ""
        return " · ".join(part for part in (what, household, member) if part)

    def reload_job(self, store: Store, record_id: str) -> dict:
        full = store.get_household(self.household_id, log_access=False)
        found = next((r for r in getattr(full, RECORD_LISTS[self.entity]) if r["id"] == record_id), None)
        if found is None:
            raise RecordGone(self.entity, record_id)
        return found


class EmploymentForm(ChildForm):
    entity = "employment"
    tabs = [(tr_noop("就业情况"), ["member_id", "start_month", "end_month", "channel", "scope", "place_code", "place",
                               "employer", "sector", "trade", "monthly_income", "has_contract", "contract_term",
                               "has_social_insurance", "insurance_months"])]

    def defaults(self) -> dict:
        today = self.ctx.today()
        return {"start_month": f"{today.year:04d}-{today.month:02d}"}

    def others(self) -> list[dict]:
        member = self.editors["member_id"].value()
        return [e for e in self.full.employments if e["member_id"] == member and e["id"] != self.record_id]

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        return store.save_employment(values, self.ctx.today())


class TrainingForm(ChildForm):
    entity = "training"
    tabs = [(tr_noop("培训"), ["member_id", "programme", "training_type", "trade", "provider", "start_date", "end_date",
                             "hours", "mode", "result"]),
            (tr_noop("证书与补贴"), ["certificate_type", "certificate_level", "certificate_no", "subsidy",
                                "employment_id"])]

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        return store.save_training(values, self.ctx.today())


class MeasureForm(ChildForm):
    entity = "measure"
    tabs = [(tr_noop("帮扶措施"), ["category", "name", "member_id", "start_date", "end_date", "amount",
                               "responsible_person", "status"])]

    def defaults(self) -> dict:
        return {"start_date": self.ctx.today(), "status": code_lists().codes("measure_status")[0].code}

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        return store.save_measure(values, self.ctx.today())



class HouseholdIncomeForm(ChildForm):
    entity = "household_income"
    tabs = [(tr_noop("年度收入"), ["year", "wage", "business", "property", "transfer", "household_size"])]

    def defaults(self) -> dict:
        return {"year": self.ctx.today().year - 1,
                "household_size": sum(1 for m in self.full.members if m.get("status") != "removed") or None}

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        return store.save_household_income(values, self.ctx.today())


class InsuranceForm(ChildForm):
    entity = "insurance"
    tabs = [(tr_noop("参保"), ["member_id", "year", "kind", "insured", "scheme", "paid_by"])]

    def defaults(self) -> dict:
        return {"year": self.ctx.today().year, "insured": True}

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        return store.save_insurance(values, self.ctx.today())
