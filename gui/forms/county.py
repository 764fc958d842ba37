"""县级设置: the county's working age, monitoring round coverage, training target, rural income growth
and grievance time limits, which every figure follows. Only a county admin's profile changes them (the
county server refuses anyone else); everyone else sees them read-only, with the reason."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from core.codes import code_lists
from core.models import COUNTY_SETTINGS_ID
from core.validation.yearly import day_items
from core.store import SaveResult, Store
from gui.context import AppContext
from gui.forms.base import RecordForm
from gui.i18n import tr, tr_noop

# As the county's plans give them until the county sets its own (core.indicators.CountyRules).
POLICY_DEFAULTS = {"working_age_min": 16, "working_age_max": 59, "round_coverage": 0.95, "training_target": 0.3}


def days_text(items: list[str] | None, lang: str) -> str:
    """'repair:30' items as the admin types them: '维修：30，纠纷：15'."""
    lists = code_lists()
    return "，".join(f"{lists.label('grievance_kind', kind, lang)}：{days}" for kind, days in day_items(items))


class CountySettingsForm(RecordForm):
    entity = "county_settings"
    default_size = (720, 520)
    tabs = [(tr_noop("县级设置"), ["working_age_min", "working_age_max", "round_coverage", "training_target",
                               "farmer_income_growth", "farmer_income_year", "grievance_days"])]

    def __init__(self, ctx: AppContext, record: dict | None, is_admin: bool, parent: QWidget | None = None):
        self.is_admin = is_admin
        shown = {**POLICY_DEFAULTS, **(record or {})}
        shown["grievance_days"] = days_text(shown.get("grievance_days"), ctx.lang)
        super().__init__(ctx, {**shown, "id": COUNTY_SETTINGS_ID}, None, parent)
        self.delete_action.setVisible(False)  # without the record the policy's own figures apply: nothing to delete
        note = QLabel(tr("这些数值决定各项指标的口径，保存后随同步发到全县的电脑。") if is_admin else
                      tr("只有县管理员可以修改县级设置；这里显示的是本机从县服务器收到的设置。"), self)
        note.setObjectName("county_settings_note")
        note.setWordWrap(True)
        self.layout().insertWidget(0, note)
        if not is_admin:
            for editor in self.editors.values():
                editor.setEnabled(False)
            self.save_button.setEnabled(False)
        self.setWindowTitle(self.title())

    def title(self) -> str:
        return tr("县级设置")

    def values(self) -> dict:
        out = super().values()
        out.pop("household_id", None)
        return out

    def save(self) -> bool:
        return self.is_admin and super().save()

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        return store.save_county_settings(values, self.ctx.today())

    def reload_job(self, store: Store, record_id: str) -> dict:
        record = store.county_settings() or {}
        return {**record, "grievance_days": days_text(record.get("grievance_days"), self.ctx.lang)}
