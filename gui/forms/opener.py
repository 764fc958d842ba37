"""Opens the survey forms: reads what a form needs through the database worker, keeps one form
per record (opening it again brings it to the front, even while the first open is still
loading), passes saves on, offers kept drafts back, and holds new windows back while locked."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from core.models import COUNTY_SETTINGS_ID
from core.store import HouseholdRecord, RecordGone
from gui.context import AppContext
from gui.forms.base import RecordForm
from gui.forms.county import CountySettingsForm
from gui.forms.grievance import GrievanceForm
from gui.forms.household import HouseholdForm
from gui.forms.records import (
    RECORD_LISTS, EmploymentForm, HouseholdIncomeForm, InsuranceForm, MeasureForm, TrainingForm,
)
from gui.forms.visit import VisitForm, visit_month
from gui.i18n import error_message, tr

CHILD_FORMS: dict[str, type] = {"employment": EmploymentForm, "training": TrainingForm, "measure": MeasureForm,
                                "grievance": GrievanceForm, "visit": VisitForm, "household_income": HouseholdIncomeForm,
                                "insurance": InsuranceForm}


class FormOpener(QObject):
    sig_saved = Signal(str, str)           # entity, record id
    sig_changed = Signal(object)           # Changes: what a form's save or delete wrote
    sig_opened = Signal(object)            # the form, once shown

    def __init__(self, ctx: AppContext, window: QWidget):
        super().__init__(window)
        self.ctx, self.window = ctx, window
        self.forms: dict[str, RecordForm] = {}
        self._loading: set[str] = set()    # keys of forms whose data is still being read
        self.locked = False
        self._held: list[RecordForm] = []  # forms ready while the app was locked

    # -- households -----------------------------------------------------------------------------
    def open_household(self, household_id: str | None, draft: dict | None = None) -> None:
        key = f"household:{household_id}" if household_id else None
        if key and (self._raise(key) or key in self._loading):
            return

        def load(store):  # noqa: ANN001, ANN202 - runs on the database worker
            full = store.get_household(household_id) if household_id else None
            return full, store.settlements(), store.grids(), store.areas_under("")

        self._begin(key)
        self.ctx.op(load).success(lambda loaded: self._show_household(key, *loaded, draft)).failure(
            lambda error: self._failed(key, error, draft)).run()

    def _show_household(self, key: str | None, full: HouseholdRecord | None, settlements: list, grids: list,
                        areas: list, draft: dict | None) -> None:
        self._loading.discard(key)
        form = HouseholdForm(self.ctx, full, settlements, grids, self.window, areas=areas)
        form.sig_open_record.connect(lambda entity, record, preset, f=form: self.open_record(
            entity, f.full, record, preset))
        self._show(form, draft)

    # -- the county's settings -------------------------------------------------------------------
    def open_county_settings(self, draft: dict | None = None) -> None:
        """县级设置: editable on a county admin's profile, read-only elsewhere (with `draft`: what an
        admin typed before a crash, put back)."""
        key = f"county_settings:{COUNTY_SETTINGS_ID}"
        if self._raise(key) or key in self._loading:
            return
        self._begin(key)

        def shown(loaded: tuple[dict | None, str | None]) -> None:
            self._loading.discard(key)
            record, role = loaded
            self._show(CountySettingsForm(self.ctx, record, role == "admin", self.window), draft)

        self.ctx.op(lambda store: (store.county_settings(), store.meta("role"))).success(shown).failure(
            lambda error: self._failed(key, error, draft)).run()

    # -- records under a household --------------------------------------------------------------
    def open_record(self, entity: str, full: HouseholdRecord, record: dict | None, preset: dict | None = None,
                    draft: dict | None = None) -> None:
        if entity == "visit" and record is None:  # this month's visit already made: open that one
            month = visit_month(self.ctx, preset)
            record = next((vis for vis in full.visits if vis["month"] == month), None)
        if record is not None and self._raise(f"{entity}:{record['id']}"):
            return
        form = CHILD_FORMS[entity](self.ctx, full, record, preset, self.window)
        self._show(form, draft)

    def open_record_by_id(self, entity: str, household_id: str, record_id: str | None, draft: dict | None = None,
                          preset: dict | None = None) -> None:
        """From a list or a draft: read the household first, then open the record's form."""
        key = f"{entity}:{record_id}" if record_id else None
        if key and (self._raise(key) or key in self._loading):
            return

        def opened(full: HouseholdRecord) -> None:
            self._loading.discard(key)
            record = None
            if record_id:
                record = next((r for r in getattr(full, RECORD_LISTS[entity]) if r["id"] == record_id), None)
                if record is None:
                    self._failed(None, RecordGone(entity, record_id), draft)
                    return
            self.open_record(entity, full, record, preset, draft)

        self._begin(key)
        self.ctx.op(lambda store: store.get_household(household_id)).success(opened).failure(
            lambda error: self._failed(key, error, draft)).run()

    # -- drafts -----------------------------------------------------------------------------------
    def restore_draft(self, key: str, payload: dict) -> None:
        entity = payload.get("entity")
        if entity == "household":
            self.open_household(payload.get("record_id"), {**payload, "key": key})
        elif entity == "county_settings":
            self.open_county_settings({**payload, "key": key})
        elif entity in CHILD_FORMS and payload.get("household_id"):
            self.open_record_by_id(entity, payload["household_id"], payload.get("record_id"), {**payload, "key": key})
        else:
            self.ctx.op(lambda store: store.discard_draft(key)).run()  # nothing it could belong to

    # -- plumbing ---------------------------------------------------------------------------------
    def _begin(self, key: str | None) -> None:
        if key:
            self._loading.add(key)

    def _show(self, form: RecordForm, draft: dict | None) -> None:
        if draft:
            if draft.get("key"):
                form.draft_key = draft["key"]
            form.apply_draft(draft)
        self.forms[self._key(form)] = form
        form.read_refused()  # what the server refused of this record, shown on it
        form.sig_saved.connect(lambda entity, record_id, f=form: self._saved(f, entity, record_id))
        form.sig_changed.connect(self.sig_changed)
        form.sig_closed.connect(lambda f=form: self._forget(f))
        if self.locked:
            self._held.append(form)  # shown when the worker unlocks, not over the lock
            return
        form.show()
        form.raise_()
        self.sig_opened.emit(form)

    def unlocked(self) -> None:
        self.locked = False
        held, self._held = self._held, []
        for form in held:
            if not form.closed:
                form.show()
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
        if not self.locked:
            form.show()
            form.raise_()
            form.activateWindow()
        return True

    def _failed(self, key: str | None, error: BaseException, draft: dict | None = None) -> None:
        self._loading.discard(key)
        if draft and draft.get("key") and isinstance(error, RecordGone):
            stale = draft["key"]  # its record was deleted (here or by a sync): the draft has nowhere to go
            self.ctx.op(lambda store: store.discard_draft(stale)).run()
        QMessageBox.warning(self.window, tr("打不开"), error_message(error, self.ctx.lang))

    def records_pulled(self, changes) -> None:  # noqa: ANN001 - Changes
        """A pull wrote `changes`: each open form whose record it touched merges the new version."""
        for form in self.open_forms():
            form.records_pulled(changes)

    def open_forms(self) -> list[RecordForm]:
        return [f for f in self.forms.values() if not f.closed]
