"""Changes the county server refused, shown on the record they belong to: the server's reason and
the fields, in a band above the form's tabs and on the fields themselves, until the worker corrects
the record and saves it (the store sends the refused fields again) or gives the changes up (the
server's version comes back; a record the server never had goes)."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox

from core.errors import ChangesOnTheirWay
from core.forms import field_spec
from core.validation.fields import ENTITY_LABELS
from gui.i18n import bilingual, error_message, tr


def field_label(entity: str, name: str, lang: str) -> str:
    try:
        return field_spec(entity, name).label(lang)
    except (KeyError, ValueError):
        return name


def sent_text(entity: str, name: str, value: object, lang: str) -> str:
    """'门牌号“5”': a refused field with the value the worker sent (the form may show the server's)."""
    from core.codes import code_lists

    shown_value = "" if value is None else str(value)
    try:
        spec = field_spec(entity, name)
        if spec.kind == "code" and value:
            shown_value = code_lists().label(spec.code_list, value, lang)
    except (KeyError, ValueError):
        pass
    return tr("%1“%2”").replace("%1", field_label(entity, name, lang)).replace("%2", shown_value)


class RefusedMixin:
    """What a RecordForm shows of the server's refusals of its record and its rows."""

    def init_refused(self) -> None:
        self.refused: list[dict] = []
        self.refused_notice = QFrame(self)
        self.refused_notice.setObjectName("refused_notice")
        self.refused_notice.setStyleSheet("QFrame#refused_notice { background: #fff3f3; border: 1px solid #c62828; }")
        line = QHBoxLayout(self.refused_notice)
        line.setContentsMargins(8, 4, 8, 4)
        self.refused_text = QLabel(self.refused_notice)
        self.refused_text.setObjectName("refused_text")
        self.refused_text.setWordWrap(True)
        line.addWidget(self.refused_text, 1)
        from gui.forms.base import new_button

        self.discard_button = new_button(tr("放弃这些修改…"), self.refused_notice, "discard_refused")
        self.discard_button.clicked.connect(self.discard_refused)
        line.addWidget(self.discard_button)
        self.refused_notice.hide()
        self.layout().insertWidget(0, self.refused_notice)

    def refused_keys(self) -> set[tuple[str, str]]:
        keys = {(self.entity, self.record_id)}
        for name, model in self.row_models.items():
            entity = self.row_entities.get(name, "")
            keys |= {(entity, r.get("id")) for r in model.rows}
        return keys

    def read_refused(self) -> None:
        """Ask the store for the refusals of this record (after it opens, and after each save)."""
        household_id = self.record_id if self.entity == "household" else self.household_id
        if not self.record_id or not household_id:
            return
        from gui.forms.base import alive

        self.ctx.op(lambda store: store.rejections_of_household(household_id)).success(
            alive(self, self._show_refused)).run()

    def _show_refused(self, entries: list[dict]) -> None:
        keys = self.refused_keys()
        self.refused = [r for r in entries if (r["entity"], r["row_id"]) in keys]
        for name, (_note, style) in list(self.field_notes.items()):
            if style == "warning":
                del self.field_notes[name]
        lang, lines = self.ctx.lang, []
        for r in self.refused:
            labels = [sent_text(r["entity"], f, v, lang) for f, v in (r.get("fields") or {}).items()]
            what = ENTITY_LABELS.get(r["entity"], (r["entity"], r["entity"]))[1 if lang == "en" else 0]
            lines.append(tr("%1：%2").replace("%1", what).replace("%2", bilingual(r.get("reason"), lang))
                         + (tr("（%1）").replace("%1", tr("、").join(labels)) if labels else ""))
            if r["entity"] == self.entity:
                for name in r.get("fields") or {}:
                    if name in self.editors:
                        self.field_notes[name] = (tr("县服务器没有接受这一项：%1").replace(
                            "%1", bilingual(r.get("reason"), lang)), "warning")
        if lines:
            self.refused_text.setText(tr("县服务器没有接受这里的修改（括号里是您发送的值）：") + "\n" + "\n".join(lines) + "\n" + tr(
                "请改正后保存，保存后会重新上传；也可以放弃这些修改，恢复为服务器上的版本。"))
        self.refused_notice.setVisible(bool(lines))
        self.recheck()

    # -- giving the changes up ------------------------------------------------------------------
    def discard_refused(self) -> None:
        if not self.refused:
            return
        answer = QMessageBox.question(
            self, tr("放弃被拒绝的修改"), tr("放弃这 %n 条记录被拒绝的修改，恢复为县服务器上的版本？服务器上没有的记录"
                                    "（例如在本机新建、不在您网格里的户）会从本机删除。", None, len(self.refused)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        store, refused = self.ctx.store, list(self.refused)

        def job() -> Any:
            from sync.client import discard_rejected, server_for

            server = server_for(store)
            try:
                return discard_rejected(store, server, refused)
            finally:
                server.close()

        from gui.forms.base import alive

        self.discard_button.setEnabled(False)
        net = self.ctx.net if self.ctx.net is not None else self.ctx.db
        net.submit(job, alive(self, self._discarded), alive(self, self._discard_failed))

    def _discarded(self, result: tuple[Any, set[tuple[str, str]]]) -> None:
        changes, removed = result
        self.discard_button.setEnabled(True)
        self.refused = []
        self.refused_notice.hide()
        self.sig_changed.emit(changes)
        if (self.entity, self.record_id) in removed:
            self.dirty = False  # the record is gone with the changes given up: nothing is left to save
            self.close()
            return
        self.read_pulled()  # the server's version, merged like one a sync brought

    def _discard_failed(self, error: BaseException) -> None:
        self.discard_button.setEnabled(True)
        if isinstance(error, ChangesOnTheirWay):
            QMessageBox.warning(self, tr("没有放弃"), tr(
                "这些记录后来的修改在一批可能已经发往县服务器的修改里（上传被中断，或装进了离线同步包），"
                "服务器还没有回复；现在放弃，晚到的那一份仍会被服务器采用。请先同步一次，再放弃。什么也没有改。"))
            return
        QMessageBox.warning(self, tr("没有放弃"), tr("没能取回服务器上的版本，什么也没有改：%1").replace(
            "%1", error_message(error, self.ctx.lang)))
