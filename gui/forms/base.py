"""What every survey form does: editors built from core's field specs, problems shown as the
worker types, save through the database worker, a draft kept every few seconds, and a question
before unsaved typing is thrown away."""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
    QListWidget, QListWidgetItem, QMenuBar, QMessageBox, QPushButton, QScrollArea, QTabWidget,
    QVBoxLayout, QWidget,
)

from core import validation as v
from core.changes import Changes
from core.forms import check_form, field_spec
from core.store import SaveResult, Store
from core.store.journal import STALE_FIELD
from gui.context import AppContext
from gui.fields import FieldEditor, field_grid
from gui.fonts import glyph_check
from gui.forms.pulled import PulledMixin
from gui.forms.refused import RefusedMixin
from gui.i18n import error_message, tr, tr_noop
from gui.rows import RowsModel
from gui.settings import GeometryMixin

ROW_PATH = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


class RecordForm(RefusedMixin, PulledMixin, GeometryMixin, QDialog):
    """A form for one record. Subclasses set `entity` and `tabs`, and say how to save and reload."""

    sig_saved = Signal(str, str)  # entity, record id
    sig_changed = Signal(object)  # Changes: what the save or the delete wrote (core/changes.py)
    sig_closed = Signal()
    entity = ""
    tabs: list[tuple[str, list[str]]] = []

    def __init__(self, ctx: AppContext, record: dict | None, household_id: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.record = dict(record or {})
        self.record_id: str | None = self.record.get("id")  # set once the record is in the store
        # The id is made here, on the device (records are made offline), so saving twice updates, never duplicates.
        self.row_id: str = self.record_id or str(uuid.uuid4())
        self.server_seq = self.record.get("server_seq")
        self.household_id = household_id or self.record.get("household_id")
        self.draft_key = f"{self.entity}:{self.row_id}"
        self.dirty = False
        self._edits = 0           # typing since the form opened; a save remembers where it started
        self._edits_saved = 0
        self._saving = False
        self.closed = False
        self.show_all_problems = False
        self.touched: set[str] = set()
        self.problems: list[v.Problem] = []
        self.row_models: dict[str, RowsModel] = {}
        self.row_views: dict[str, QAbstractItemView] = {}
        self._last_draft: dict | None = None
        self._close_after_save = False
        self._loading = False
        self._shown = False
        self.setObjectName(f"form_{self.entity}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.editors: dict[str, FieldEditor] = {}
        self._build()
        self.init_pulled()
        self.init_refused()
        self.load(self.record)
        self.restore_geometry(ctx.settings)
        self._draft_timer = QTimer(self)
        self._draft_timer.timeout.connect(self.keep_draft)
        self._draft_timer.start(max(1, ctx.settings.get("forms/draft_seconds")) * 1000)

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setMenuBar(self._menu_bar())
        self.tab_widget = QTabWidget(self)
        self.tab_widget.setObjectName("form_tabs")
        for title, fields in self.tabs:
            self.tab_widget.addTab(self.field_page(fields), tr(title))
        self.add_extra_tabs()
        header = self.header_widget()
        if header is not None:
            layout.addWidget(header)
        layout.addWidget(self.tab_widget, 1)
        self.summary = QLabel(self)
        self.summary.setObjectName("problem_summary")
        self.summary.setWordWrap(True)
        self.problem_list = QListWidget(self)
        self.problem_list.setObjectName("problem_list")
        self.problem_list.setMaximumHeight(90)
        self.problem_list.hide()
        self.problem_list.itemActivated.connect(lambda item: self.focus_problem(item.data(Qt.ItemDataRole.UserRole)))
        self.problem_list.itemClicked.connect(lambda item: self.focus_problem(item.data(Qt.ItemDataRole.UserRole)))
        layout.addWidget(self.summary)
        layout.addWidget(self.problem_list)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(tr("保存 (Ctrl+S)"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save_button")
        self.save_button.setAutoDefault(False)
        close = buttons.addButton(tr("关闭 (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.close)
        layout.addWidget(buttons)

    def _menu_bar(self) -> QMenuBar:
        bar = QMenuBar(self)
        menu = bar.addMenu(tr("表单(&F)"))
        save = QAction(tr("保存"), self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.triggered.connect(self.save)
        menu.addAction(save)
        self.add_menu_actions(menu)
        menu.addSeparator()
        self.delete_action = QAction(tr("删除此记录…"), self)
        self.delete_action.setObjectName("action_delete_record")
        self.delete_action.triggered.connect(self.delete_record)
        menu.addAction(self.delete_action)
        close = QAction(tr("关闭"), self)
        close.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        close.triggered.connect(self.close)
        menu.addAction(close)
        return bar

    def add_menu_actions(self, menu) -> None:  # noqa: ANN001 - a QMenu
        """Subclasses add their own actions (new member, next status…)."""

    def header_widget(self) -> QWidget | None:
        """Subclasses put a bar above the tabs (the grievance workflow)."""
        return None

    def add_extra_tabs(self) -> None:
        """Subclasses add tabs that are not plain fields (members, parties, measures)."""

    def field_page(self, fields: list[str]) -> QScrollArea:
        page = QWidget()
        rows = []
        for name in fields:
            spec = field_spec(self.entity, name)
            editor = FieldEditor(spec, self.ctx.lang, self.ref_choices(name), page)
            editor.sig_changed.connect(self._on_edited)
            self.editors[name] = editor
            rows.append((spec.label(self.ctx.lang) + (" *" if spec.required else ""), editor))
        field_grid(page, rows)  # two label/field pairs a row: short fields stay short
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def ref_choices(self, name: str) -> list[tuple[str, str]]:
        """Options of a link field (members of the household, settlements…), as (id, label)."""
        return []

    # -- values ---------------------------------------------------------------------------------
    def load(self, record: dict) -> None:
        self._loading = True
        try:
            for name, editor in self.editors.items():
                editor.set_value(record.get(name))
        finally:
            self._loading = False

    def values(self) -> dict[str, Any]:
        out = {name: editor.value() for name, editor in self.editors.items()}
        out["id"] = self.row_id
        if self.record_id:
            out["server_seq"] = self.server_seq
        if self.entity != "household":
            out["household_id"] = self.household_id
        return out

    def rows(self) -> list[dict] | None:
        """The form's child rows (members, parties, visit rows), or None."""
        return None

    def others(self) -> list[dict] | None:
        """Records the rules compare with (a member's other jobs), or None."""
        return None

    def title(self) -> str:
        raise NotImplementedError

    # -- checking -------------------------------------------------------------------------------
    def _on_edited(self, name: str) -> None:
        if self._loading:
            return
        self.touched.add(name)
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self.dirty = True
        self._edits += 1
        self.setWindowTitle(f"* {self.title()}")
        self.recheck()

    def check(self) -> list[v.Problem]:
        return check_form(self.entity, self.values(), self.rows(), self.ctx.today(), self.others())

    def recheck(self) -> None:
        self.show_problems(self.check())

    def visible(self, problem: v.Problem) -> bool:
        """Before the first try to save, a problem shows only on a field the worker has touched."""
        if self.show_all_problems:
            return True
        return any(problem.field == t or problem.field.startswith(t + ".") for t in self.touched)

    def show_problems(self, problems: list[v.Problem]) -> None:
        self.problems = problems
        shown = [p for p in problems if self.visible(p)]
        fields: dict[str, v.Problem] = {}
        rows: dict[str, dict[tuple[int, str], tuple[str, str]]] = {name: {} for name in self.row_models}
        for p in sorted(shown, key=lambda p: not p.is_error):
            found = ROW_PATH.match(p.field)
            if found and found.group(1) in rows:
                rows[found.group(1)].setdefault((int(found.group(2)), found.group(3)), (p.message(self.ctx.lang), p.severity))
            else:
                fields.setdefault(p.field, p)
        for name, editor in self.editors.items():
            problem = fields.get(name)
            if problem is None and name in self.field_notes:  # changed by a sync, refused: said until saved
                editor.mark(*self.field_notes[name])
            else:
                editor.mark(problem.message(self.ctx.lang) if problem else None,
                            problem.severity if problem else "error")
        for name, model in self.row_models.items():
            model.set_problems(rows[name])
        self.after_problems(shown)
        self._fill_problem_list(shown)

    def after_problems(self, shown: list[v.Problem]) -> None:
        """Subclasses mark problems on their own panels (the member being edited)."""

    def _fill_problem_list(self, shown: list[v.Problem]) -> None:
        self.problem_list.clear()
        for p in shown:
            item = QListWidgetItem(("⚠ " if not p.is_error else "✗ ") + p.message(self.ctx.lang))
            item.setData(Qt.ItemDataRole.UserRole, p.field)
            self.problem_list.addItem(item)
        n_errors = len(v.errors(shown))  # the ones listed: before the first save, those of touched fields
        n_warnings = len(v.warnings(shown))
        if n_errors:  # errors and warnings counted apart: only errors stop the save
            counted = tr("%n 处错误", None, n_errors) + (tr("，") + tr("%n 处提醒", None, n_warnings) if n_warnings else "")
            self.summary.setText(tr("还有 %1。改正错误后才能保存（提醒不影响保存）。点一条可跳到那里。").replace(
                "%1", counted))
            self.summary.setProperty("problem", "error")
        elif n_warnings:
            self.summary.setText(tr("可以保存；有 %n 条提醒，请核对。", None, n_warnings))
            self.summary.setProperty("problem", "warning")
        else:
            self.summary.setText("")
            self.summary.setProperty("problem", "")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        self.problem_list.setVisible(bool(shown))

    def focus_problem(self, path: str) -> None:
        """Bring the field a problem names into view and put the cursor there."""
        found = ROW_PATH.match(path or "")
        if found and self.focus_row_problem(found.group(1), int(found.group(2)), found.group(3)):
            return
        editor = self.editors.get(path)
        if editor is None:
            self.focus_other_problem(path)
            return
        for i in range(self.tab_widget.count()):
            if self.tab_widget.widget(i).isAncestorOf(editor):
                self.tab_widget.setCurrentIndex(i)
        editor.setFocus()

    def focus_row_problem(self, rows_name: str, row: int, field: str) -> bool:
        """Show the table row a problem names (parties, visit rows); the household form shows its member."""
        view, model = self.row_views.get(rows_name), self.row_models.get(rows_name)
        if view is None or model is None or row >= model.rowCount():
            return False
        for i in range(self.tab_widget.count()):
            if self.tab_widget.widget(i).isAncestorOf(view):
                self.tab_widget.setCurrentIndex(i)
        view.setCurrentIndex(model.index(row, model.column_of(field) or 0))
        view.setFocus()
        return True

    def focus_other_problem(self, path: str) -> None:
        """A problem over all rows ('members'): subclasses show the table."""

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        """Check, then save through the database worker; False when errors stop the save."""
        if self._saving:
            return True  # the save under way will do; a second one would only race it
        self.commit_pending_edits()
        if self.record_gone or self.unsettled():
            return False
        self.show_all_problems = True
        self.recheck()
        errors = v.errors(self.problems)
        if errors:
            self.focus_problem(errors[0].field)
            return False
        values, rows = self.values(), self.rows()
        self._saving, self._edits_saved = True, self._edits
        self.save_button.setEnabled(False)
        self.ctx.op(lambda store: self.save_job(store, values, rows)).success(
            alive(self, self._saved)).failure(alive(self, self._save_failed)).run()
        return True

    def commit_pending_edits(self) -> None:
        """Finish a cell still being edited in a table, so its text is part of the save."""
        focused = QApplication.focusWidget()
        for view in self.findChildren(QAbstractItemView):
            if view.state() == QAbstractItemView.State.EditingState:
                view.setFocus()  # the cell editor loses focus and hands its text to the model
        if focused is not None and shiboken6.isValid(focused) and focused.isVisible():
            focused.setFocus()

    def save_job(self, store: Store, values: dict, rows: list[dict] | None) -> SaveResult:
        raise NotImplementedError

    def reload_job(self, store: Store, record_id: str) -> dict:
        raise NotImplementedError

    def _saved(self, result: SaveResult) -> None:
        self._saving = False
        self.record_id = result.id
        key = self.draft_key
        self.dirty = self._edits != self._edits_saved  # typing done while the save ran is still unsaved
        if not self.dirty:
            self.ctx.op(lambda store: store.discard_draft(key)).run()
        self._last_draft = None
        self.save_button.setEnabled(True)
        self.saved_over_pull()
        self.sig_saved.emit(self.entity, result.id)
        self.sig_changed.emit(result.changes)
        if self._close_after_save and not self.dirty:
            QTimer.singleShot(0, self.close)  # not from inside the close event that asked for the save
            return
        self._close_after_save = False
        self.ctx.op(lambda store: self.reload_job(store, result.id)).success(alive(self, self._reloaded)).run()
        warn = [p.message(self.ctx.lang) for p in result.warnings]
        self.summary.setText(tr("已保存。请核对：%1").replace("%1", tr("；").join(warn)) if warn else tr("已保存。"))
        self.after_save_landed()

    def _reloaded(self, loaded: Any) -> None:
        """The saved record read back. A sync that landed meanwhile is merged like any pull (the form's
        starting copy moves only through the merge, so nothing pulled is overwritten unseen)."""
        if self.pulled_since(loaded):
            self.merge_pulled(loaded)
            return
        self.after_reload(loaded)

    def after_reload(self, record: dict) -> None:
        """The saved record as the form's new starting copy (ids of new rows, normalised values);
        typing done since the save started is kept, not overwritten."""
        self.record = record
        self.server_seq = record.get("server_seq")
        if self.dirty:
            return
        self.load(record)
        self.dirty = False
        self.setWindowTitle(self.title())

    def _save_failed(self, error: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self._close_after_save = False
        if isinstance(error, v.ValidationError) and any(p.field == STALE_FIELD for p in error.problems):
            # A sync changed the record between the last merge and this save: merge again, then the
            # worker looks and saves once more. Nothing typed is touched.
            self._pull_waiting = False
            self.read_pulled()
            self.summary.setText(tr("同步刚刚更新了这条记录，已把别人的修改并进来。请核对后再保存。"))
            return
        self.after_save_landed()
        if isinstance(error, v.ValidationError):
            self.show_all_problems = True
            self.problems = error.problems
            self.show_problems(error.problems)
            first = v.errors(error.problems)
            if first:
                self.focus_problem(first[0].field)
            return
        QMessageBox.warning(self, tr("没有保存"),
                            tr("保存时出错，资料没有写入：%1").replace("%1", error_message(error, self.ctx.lang)))

    def delete_record(self) -> None:
        """Delete the record (a tombstone that syncs; what hangs under it goes too), after asking."""
        if not self.record_id:
            key = self.draft_key
            self.ctx.op(lambda store: store.discard_draft(key)).run()
            self.dirty = False
            self.close()
            return
        answer = QMessageBox.question(
            self, tr("删除记录"), tr("确定删除“%1”吗？它下面的记录（如成员的就业和培训）也会一起删除。").replace(
                "%1", self.title()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        entity, record_id = self.entity, self.record_id
        self.ctx.op(lambda store: store.delete(entity, record_id)).success(alive(self, self._deleted)).failure(
            alive(self, lambda error: QMessageBox.warning(self, tr("没有删除"), error_message(error, self.ctx.lang)))).run()

    def _deleted(self, changes: Changes) -> None:
        """Gone, with what it took along (the store says which records)."""
        key = self.draft_key
        self.ctx.op(lambda store: store.discard_draft(key)).run()
        self.dirty = False
        self.sig_saved.emit(self.entity, self.record_id or "")
        self.sig_changed.emit(changes)
        self.close()

    # -- drafts ---------------------------------------------------------------------------------
    def draft_payload(self) -> dict:
        values = self.values()
        values["server_seq"] = self.server_seq
        return {"entity": self.entity, "record_id": self.record_id, "household_id": self.household_id,
                "title": self.title(), "values": values, "rows": self.rows()}

    def keep_draft(self) -> None:
        """Every few seconds: keep what was typed since the last save (only when it changed)."""
        if not self.dirty:
            return
        payload = self.draft_payload()
        if payload == self._last_draft:
            return
        self._last_draft = payload
        stamped = {**payload, "at": datetime.now().isoformat(timespec="seconds")}
        key = self.draft_key
        self.ctx.op(lambda store: store.save_draft(key, stamped)).run()

    def apply_draft(self, payload: dict) -> None:
        """Put a kept draft back into the form (after a crash or a power cut)."""
        values = payload.get("values") or {}
        self.server_seq = values.get("server_seq", self.server_seq)
        if values.get("id") and not self.record_id:
            self.row_id = values["id"]  # the same new record the draft was typed for
        self.load(values)
        self.apply_draft_rows(payload.get("rows"))
        self.touched |= set(values)
        self.mark_dirty()

    def apply_draft_rows(self, rows: list[dict] | None) -> None:
        """Subclasses with child rows put them back."""

    # -- keys and closing -----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Enter never saves (only Ctrl+S and the save button do): on a field it moves on, past the
        fields that filled themselves in; on a button it presses it; a list has opened its item."""
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
            return
        focus = self.focusWidget()
        if isinstance(focus, QPushButton) and focus is not self.save_button:
            focus.click()
        elif isinstance(focus, QAbstractItemView) and not isinstance(focus.parentWidget(), FieldEditor):
            pass  # a table or a list of records: activated (opened) by the view itself
        else:
            self.move_on()

    def move_on(self) -> None:
        """Focus the next field, skipping those the form filled in itself (sex and birth date from the ID)."""
        for _ in range(len(self.findChildren(QWidget))):
            self.focusNextChild()
            focus = self.focusWidget()
            if focus is None or not focus.property("filled_by_itself"):
                return

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's signature
        super().showEvent(event)
        if self.save_button.isDefault():  # a button box makes its accept button the default: Enter would save
            self.save_button.setDefault(False)
        if not self._shown:
            self._shown = True
            self.focus_first_field()
            self.check_glyphs()

    def check_glyphs(self) -> None:
        """The record as loaded (its names, its members' names) holds a character no font can draw:
        said once, as the household list does (gui/fonts.py)."""
        rows = [row for model in self.row_models.values() for row in model.rows]
        texts = [value for data in (self.record, *rows) for value in data.values() if isinstance(value, str)]
        glyph_check().note("".join(texts), "a form's record")

    def focus_first_field(self) -> None:
        """A form opens on its first field, not on its tab bar."""
        first = next((self.editors[name] for name in (self.tabs[0][1] if self.tabs else []) if name in self.editors
                      and self.editors[name].isEnabled()), None)
        if first is None:
            return
        for i in range(self.tab_widget.count()):
            if self.tab_widget.widget(i).isAncestorOf(first):
                self.tab_widget.setCurrentIndex(i)
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        self.close()  # Esc asks about unsaved changes like the close button does

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's signature
        if self._saving:  # close once the save under way has landed
            self._close_after_save = True
            event.ignore()
            return
        if self.dirty and not self.confirm_leave():
            event.ignore()
            return
        self._draft_timer.stop()
        self.save_geometry(self.ctx.settings)
        self.closed = True
        event.accept()
        self.sig_closed.emit()

    def confirm_leave(self) -> bool:
        answer = QMessageBox.question(
            self, tr("有未保存的修改"), tr("“%1”有修改还没有保存。要保存吗？").replace("%1", self.title()),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Discard:
            key = self.draft_key
            self.ctx.op(lambda store: store.discard_draft(key)).run()
            return True
        if answer == QMessageBox.StandardButton.Save:
            self._close_after_save = True
            if not self.save():
                self._close_after_save = False  # errors: the form stays open on the first one
        return False


def alive(form: "RecordForm", callback: Callable[..., None]) -> Callable[..., None]:
    """A callback that does nothing once its form has closed: results from the worker can arrive
    after the window is gone."""
    def guarded(*args: Any) -> None:
        if shiboken6.isValid(form) and not form.closed:
            callback(*args)
    return guarded


def records_box(parent: QWidget, kinds: list[tuple[str, str]],
                open_record: Callable[[str, dict | None], None]) -> tuple[QWidget, dict[str, QListWidget]]:
    """Side-by-side lists of records (entity, title), each with its add button (ADD_TEXTS):
    activating an item opens its form, the button a new one. Returns the box and the lists by entity."""
    box = QWidget(parent)
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    lists: dict[str, QListWidget] = {}
    for entity, title in kinds:
        add_text = tr(ADD_TEXTS[entity])
        column = QVBoxLayout()
        column.addWidget(QLabel(title, box))
        records = QListWidget(box)
        records.setObjectName(f"{entity}_list")
        records.itemActivated.connect(lambda item, e=entity: open_record(e, item.data(Qt.ItemDataRole.UserRole)))
        add = new_button(with_key(add_text, ADD_KEYS.get(entity)), box, f"add_{entity}")
        add.setToolTip(with_key(add_text, ADD_KEYS.get(entity)))
        add.clicked.connect(lambda _checked=False, e=entity: open_record(e, None))
        column.addWidget(records)
        column.addWidget(add)
        layout.addLayout(column)
        lists[entity] = records
    return box, lists


# What adds each kind of record (the forms' buttons and menus, the lists' buttons), and the keys of
# the household form's add buttons (the form's menu has them too).
ADD_TEXTS = {"member": tr_noop("新增成员"), "employment": tr_noop("新增就业"), "training": tr_noop("新增培训"),
             "measure": tr_noop("新增措施"), "grievance": tr_noop("登记诉求"), "visit": tr_noop("本月走访"),
             "household_income": tr_noop("新增年度收入"), "insurance": tr_noop("新增参保记录")}
ADD_KEYS = {"employment": "Ctrl+J", "training": "Ctrl+T", "grievance": "Ctrl+G", "visit": "Ctrl+M"}


def with_key(text: str, key: str | None) -> str:
    """A button's text with the key that does the same: '新增就业 (Ctrl+J)'."""
    if not key:
        return text
    return f"{text} ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})"


def new_button(text: str, parent: QWidget, name: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    return button
