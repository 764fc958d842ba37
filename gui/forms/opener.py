"""Opens the survey forms: reads what a form needs through the database worker, keeps one form
per record (opening it again brings it to the front), passes saves on, and offers kept drafts back."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from core.store import HouseholdRecord
from gui.context import AppContext
from gui.forms.base import RecordForm
from gui.forms.grievance import GrievanceForm
from gui.forms.household import HouseholdForm
from gui.forms.records import RECORD_LISTS, EmploymentForm, MeasureForm, TrainingForm
from gui.forms.visit import VisitForm
from gui.i18n import error_message, tr

CHILD_FORMS: dict[str, type] = {"employment": EmploymentForm, "training": TrainingForm, "measure": MeasureForm,
                                "grievance": GrievanceForm, "visit": VisitForm}


class FormOpener(QObject):
    sig_saved = Signal(str, str)           # entity, record id
    sig_opened = Signal(object)            # the form, once shown

    def __init__(self, ctx: AppContext, window: QWidget):
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self.forms: dict[str, RecordForm] = {}

    # -- households -----------------------------------------------------------------------------
    def open_household(self, household_id: str | None, draft: dict | None = None) -> None:
        if self._raise(f"household:{household_id}") if household_id else False:
            return

        def load(store):  # noqa: ANN001, ANN202 - runs on the database worker
            full = store.get_household(household_id) if household_id else None
            return full, store.settlements(), store.grids()

        self.ctx.op(load).success(lambda loaded: self._show_household(*loaded, draft)).failure(self._failed).run()

    def _show_household(self, full: HouseholdRecord | None, settlements: list, grids: list, draft: dict | None) -> None:
        form = HouseholdForm(self.ctx, full, settlements, grids, self.window)
        form.sig_open_record.connect(lambda entity, record, preset, f=form: self.open_record(
            entity, f.full, record, preset))
        self._show(form, draft)

    # -- records under a household --------------------------------------------------------------
    def open_record(self, entity: str, full: HouseholdRecord, record: dict | None, preset: dict | None = None,
                    draft: dict | None = None) -> None:
        if record is not None and self._raise(f"{entity}:{record['id']}"):
            return
        form = CHILD_FORMS[entity](self.ctx, full, record, preset, self.window)
        self._show(form, draft)

    def open_record_by_id(self, entity: str, household_id: str, record_id: str | None, draft: dict | None = None,
                          preset: dict | None = None) -> None:
        """From a list or a draft: read the household first, then open the record's form."""
        if record_id and self._raise(f"{entity}:{record_id}"):
            return

        def opened(full: HouseholdRecord) -> None:
            record = None
            if record_id:
                record = next((r for r in getattr(full, RECORD_LISTS[entity]) if r["id"] == record_id), None)
                if record is None:
                    self._failed(LookupError(tr("这条记录已被删除或不存在，请刷新列表。")))
                    return
            self.open_record(entity, full, record, preset, draft)

        self.ctx.op(lambda store: store.get_household(household_id)).success(opened).failure(self._failed).run()

    # -- drafts -----------------------------------------------------------------------------------
    def restore_draft(self, key: str, payload: dict) -> None:
        entity = payload.get("entity")
        if entity == "household":
            self.open_household(payload.get("record_id"), {**payload, "key": key})
        elif entity in CHILD_FORMS and payload.get("household_id"):
            self.open_record_by_id(entity, payload["household_id"], payload.get("record_id"), {**payload, "key": key})

    # -- plumbing ---------------------------------------------------------------------------------
    def _show(self, form: RecordForm, draft: dict | None) -> None:
        if draft:
            if draft.get("key"):
                form.draft_key = draft["key"]
            form.apply_draft(draft)
        key = self._key(form)
        self.forms[key] = form
        form.sig_saved.connect(lambda entity, record_id, f=form: self._saved(f, entity, record_id))
        form.sig_closed.connect(lambda f=form: self._forget(f))
        form.show()
        form.raise_()
        self.sig_opened.emit(form)

    @staticmethod
    def _key(form: RecordForm) -> str:
        return f"{form.entity}:{form.record_id}" if form.record_id else form.draft_key

    def _saved(self, form: RecordForm, entity: str, record_id: str) -> None:
        self.forms = {k: f for k, f in self.forms.items() if f is not form}
        self.forms[f"{entity}:{record_id}"] = form
        if entity != "household":
            for other in self.forms.values():
                if isinstance(other, HouseholdForm) and other.record_id == form.household_id:
                    other.refresh_from_store()
        self.sig_saved.emit(entity, record_id)

    def _forget(self, form: RecordForm) -> None:
        self.forms = {k: f for k, f in self.forms.items() if f is not form}

    def _raise(self, key: str) -> bool:
        form = self.forms.get(key)
        if form is None:
            return False
        form.show()
        form.raise_()
        form.activateWindow()
        return True

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self.window, tr("打不开"), error_message(error, self.ctx.lang))

    def open_forms(self) -> list[RecordForm]:
        return list(self.forms.values())
