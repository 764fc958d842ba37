"""An open form meets a sync: when a pull changes the record a form has open, the form takes the
new values of what the worker has not touched (marked as changed by someone else), keeps what the
worker typed, and where both changed the same field shows both values and asks which to keep.
The form then saves on top of the new version: nothing typed is lost to a sync (docs/sync-ux.md).

The merge itself (`merge_fields`, `merge_rows`) is plain Python over dicts, tested without widgets;
`PulledMixin` is what a RecordForm does with it.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.changes import Changes
from core.forms import data_fields, field_spec
from core.store import RecordGone
from core.wire_values import same_value
from gui.fields import shown
from gui.i18n import error_message, tr

ROW_KEEP = ("id", "server_seq")


def shows_same(typed: Any, stored: Any) -> bool:
    """Whether what an editor or a table row holds (text as typed, or the stored value) is `stored`."""
    if isinstance(typed, (list, tuple, set)) or isinstance(stored, (list, tuple, set)):
        return set(typed or ()) == set(stored or ())
    if typed in (None, "", False) and stored in (None, "", False):
        return True
    return shown(typed) == shown(stored)


@dataclass
class FieldMerge:
    """What a pull does to an open record: `taken` fields show the pulled value (the worker had not
    touched them); `clashes` are fields both changed differently: field -> (typed, pulled)."""

    taken: dict[str, Any] = field(default_factory=dict)
    clashes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def merge_fields(base: dict, typed: dict, pulled: dict, fields: Iterable[str]) -> FieldMerge:
    """Three-way merge of one record: `base` as the form loaded it, `typed` as it stands in the form,
    `pulled` as the sync left it in the store."""
    merge = FieldMerge()
    for name in fields:
        if same_value(base.get(name), pulled.get(name)):
            continue  # the sync did not change it: whatever the worker typed stays
        if shows_same(typed.get(name), base.get(name)):
            merge.taken[name] = pulled.get(name)
        elif not shows_same(typed.get(name), pulled.get(name)):
            merge.clashes[name] = (typed.get(name), pulled.get(name))
    return merge


@dataclass
class RowsMerge:
    """The form's rows after a pull, which rows' fields were taken, which clash, which the sync removed
    while the worker had edited them (kept, so nothing typed is lost)."""

    rows: list[dict]
    taken: list[tuple[str, str]] = field(default_factory=list)               # (row id, field)
    clashes: dict[tuple[str, str], tuple[Any, Any]] = field(default_factory=dict)  # (row id, field) -> values
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    gone_but_edited: list[str] = field(default_factory=list)


def merge_rows(base: list[dict], typed: list[dict], pulled: list[dict]) -> RowsMerge:
    """Three-way merge of a form's child rows (members, parties, a visit's rows), matched by id.

    A row the worker removed stays removed; a row the worker added stays; a row the sync added is
    appended; a row the sync removed goes unless the worker had edited it."""
    base_by_id = {r.get("id"): r for r in base}
    pulled_by_id = {r.get("id"): r for r in pulled}
    typed_ids = {r.get("id") for r in typed}
    out = RowsMerge(rows=[])
    for row in typed:
        row_id = row.get("id")
        before, after = base_by_id.get(row_id), pulled_by_id.get(row_id)
        if before is None:  # added in this form and not saved yet
            out.rows.append(dict(row))
            continue
        fields = [k for k in row if k not in ROW_KEEP]
        if after is None:
            if any(not shows_same(row.get(k), before.get(k)) for k in fields):
                out.gone_but_edited.append(row_id)  # kept as a new row: saved, it does not meet the delete
                out.rows.append({**{k: v for k, v in row.items() if k != "server_seq"}, "id": str(uuid.uuid4())})
            else:
                out.removed.append(row_id)
            continue
        merged = merge_fields(before, row, after, fields)
        new_row = {**row, **merged.taken, "server_seq": after.get("server_seq")}
        out.taken += [(row_id, k) for k in merged.taken]
        out.clashes.update({(row_id, k): values for k, values in merged.clashes.items()})
        out.rows.append(new_row)
    for row_id, after in pulled_by_id.items():
        if row_id not in typed_ids and row_id not in base_by_id:
            out.rows.append(dict(after))
            out.added.append(row_id)
    return out


@dataclass
class Clash:
    """One field changed both in the form and by the sync: `key` is a field name, or
    (rows name, row id, field) for a row's field."""

    key: Any
    label: str
    typed_text: str
    pulled_text: str
    pulled_value: Any


class SyncNotice(QFrame):
    """The band above a form's tabs after a sync changed its record: what was taken, and one line per
    clash with 保留我填的 / 用同步来的."""

    sig_keep_typed = Signal(object)   # a clash's key
    sig_take_pulled = Signal(object)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("sync_notice")
        self.setStyleSheet("QFrame#sync_notice { background: #e8f1fb; border: 1px solid #5b8fc7; }")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel(self)
        self.text.setObjectName("sync_notice_text")
        self.text.setWordWrap(True)
        self.box.addWidget(self.text)
        self.clash_rows: dict[Any, QWidget] = {}
        self.hide()

    def show_text(self, text: str) -> None:
        self.text.setText(text)
        self.setVisible(bool(text) or bool(self.clash_rows))

    def set_clashes(self, clashes: list[Clash]) -> None:
        for widget in self.clash_rows.values():
            widget.deleteLater()
        self.clash_rows = {}
        for i, clash in enumerate(clashes):
            row = QWidget(self)
            row.setObjectName(f"clash_{i}")
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            words = QLabel(tr("%1：您填的“%2”，同步来的“%3”。保留哪一个？").replace("%1", clash.label)
                           .replace("%2", clash.typed_text).replace("%3", clash.pulled_text), row)
            words.setWordWrap(True)
            keep = QPushButton(tr("保留我填的"), row)
            keep.setObjectName("keep_typed")
            take = QPushButton(tr("用同步来的"), row)
            take.setObjectName("take_pulled")
            for button in (keep, take):
                button.setAutoDefault(False)
            keep.clicked.connect(lambda _c=False, k=clash.key: self.sig_keep_typed.emit(k))
            take.clicked.connect(lambda _c=False, k=clash.key: self.sig_take_pulled.emit(k))
            line.addWidget(words, 1)
            line.addWidget(keep)
            line.addWidget(take)
            self.box.addWidget(row)
            self.clash_rows[clash.key] = row
        self.setVisible(bool(self.text.text()) or bool(clashes))


class PulledMixin:
    """What a RecordForm does when a sync changes its record. Forms with child rows name them in
    `row_entities` (rows name -> entity); the household form says how its loaded record splits."""

    row_entities: dict[str, str] = {}

    def init_pulled(self) -> None:
        # field -> (note, style) on its editor when it has no problem: changed by a sync, refused by the server
        self.field_notes: dict[str, tuple[str, str]] = {}
        self.clashes: dict[Any, Clash] = {}
        self.pulled_rows_note = ""
        self.record_gone = False
        self._pull_waiting = False
        self.sync_notice = SyncNotice(self)
        self.sync_notice.sig_keep_typed.connect(self.keep_typed)
        self.sync_notice.sig_take_pulled.connect(self.take_pulled)
        self.layout().insertWidget(0, self.sync_notice)

    # -- hooks ----------------------------------------------------------------------------------
    def loaded(self) -> Any:
        """What the form last read from the store (a record; the household form's HouseholdRecord)."""
        return self.record

    def split_loaded(self, loaded: Any) -> tuple[dict, dict[str, list[dict]]]:
        """The record and its child rows, by rows name."""
        return loaded, {name: [{k: r.get(k) for k in (*ROW_KEEP, *data_fields(entity))}
                               for r in loaded.get(name, [])] for name, entity in self.row_entities.items()}

    def adopt_loaded(self, loaded: Any) -> None:
        """The pulled version becomes the one the form saves on top of."""
        self.record = loaded

    def concerns(self, changes: Changes) -> bool:
        """Whether a pull's changes touch this form's record or its rows."""
        if not self.record_id:
            return False
        ids = {self.record_id} | {r.get("id") for m in self.row_models.values() for r in m.rows}
        return not changes.record_ids.isdisjoint(ids)

    def pulled_since(self, loaded: Any) -> bool:
        """Whether `loaded` (read from the store) holds a version the form has not merged: the record or
        a row changed, a row added or removed, by a sync."""
        base, base_rows = self.split_loaded(self.loaded())
        pulled, pulled_rows = self.split_loaded(loaded)
        if not base.get("id"):
            return False  # the form's first save: nothing was loaded to be overtaken
        if base.get("server_seq") != pulled.get("server_seq"):
            return True
        for name in self.row_entities:
            before = {r.get("id"): r.get("server_seq") for r in base_rows.get(name, [])}
            after = {r.get("id"): r.get("server_seq") for r in pulled_rows.get(name, [])}
            typed = {r.get("id") for r in self.row_models[name].rows}
            if (any(before[i] != after[i] for i in before.keys() & after.keys())
                    or any(i not in before and i not in typed for i in after)
                    or any(i not in after and i in typed for i in before)):
                return True
        return False

    # -- a pull arrived -------------------------------------------------------------------------
    def records_pulled(self, changes: Changes) -> None:
        """The main window passes on what a pull wrote; the form reads its record again if touched."""
        if self.concerns(changes):
            self.read_pulled()

    def read_pulled(self) -> None:
        if self._saving:  # the save under way lands first; then this form reads the record again
            self._pull_waiting = True
            return
        from gui.forms.base import alive

        record_id = self.record_id
        self.ctx.op(lambda store: self.reload_job(store, record_id)).success(alive(self, self.merge_pulled)).failure(
            alive(self, self._pull_failed)).run()

    def after_save_landed(self) -> None:
        if self._pull_waiting:
            self._pull_waiting = False
            self.read_pulled()

    def _pull_failed(self, error: BaseException) -> None:
        if isinstance(error, (RecordGone, StopIteration)):
            self.record_gone = True
            self.save_button.setEnabled(False)
            self.sync_notice.show_text(tr("这条记录已被别人删除，或已调出您的工作范围（随同步而来）。您填的内容还在表单里，"
                                          "但不能再保存；如需要，请抄下后关闭，再联系村文书。"))
            return
        self.sync_notice.show_text(tr("同步更新了这条记录，但读取新版本时出错：%1").replace(
            "%1", error_message(error, self.ctx.lang)))

    def merge_pulled(self, loaded: Any) -> None:
        """Three-way merge of the form with the pulled version; the form then saves on top of it."""
        base, base_rows = self.split_loaded(self.loaded())
        pulled, pulled_rows = self.split_loaded(loaded)
        typed = {name: editor.value() for name, editor in self.editors.items()}
        merge = merge_fields(base, typed, pulled, self.editors)
        self._loading = True
        try:
            for name, value in merge.taken.items():
                self.editors[name].set_value(value)
        finally:
            self._loading = False
        for name in merge.taken:
            self.field_notes[name] = (tr("别人刚改了这一项（随同步而来），已换成新值。"), "synced")
        for name, (mine, theirs) in merge.clashes.items():
            editor = self.editors[name]
            self.clashes[name] = Clash(name, editor.spec.label(self.ctx.lang), editor.text_of(mine) or tr("（空）"),
                                       editor.text_of(theirs) or tr("（空）"), theirs)
        rows_note = self._merge_rows(base_rows, pulled_rows)
        self.server_seq = pulled.get("server_seq")
        self.adopt_loaded(loaded)
        self._show_pulled(merge, rows_note)

    def _merge_rows(self, base_rows: dict[str, list[dict]], pulled_rows: dict[str, list[dict]]) -> list[str]:
        """Merge each table of child rows; returns a sentence per table that the sync changed."""
        notes = []
        for name, entity in self.row_entities.items():
            model = self.row_models[name]
            merged = merge_rows(base_rows.get(name, []), model.rows, pulled_rows.get(name, []))
            if merged.rows != model.rows:
                self.set_pulled_rows(name, merged.rows)
            for (row_id, fname), (mine, theirs) in merged.clashes.items():
                spec = field_spec(entity, fname)
                row = next(r for r in merged.rows if r.get("id") == row_id)
                who = row.get("name") or self.row_label(name, row)
                label = f"{who} · {spec.label(self.ctx.lang)}" if who else spec.label(self.ctx.lang)
                self.clashes[(name, row_id, fname)] = Clash((name, row_id, fname), label,
                                                            model.label_of(spec, mine) or tr("（空）"),
                                                            model.label_of(spec, theirs) or tr("（空）"), theirs)
            changed = len({r for r, _f in merged.taken}) + len(merged.added) + len(merged.removed)
            if changed:
                notes.append(tr("%n 行有别人的修改（已换上）", None, changed))
            if merged.gone_but_edited:
                notes.append(tr("%n 行已被别人删除，您改过的内容还留着，保存时作为新的一行", None,
                                len(merged.gone_but_edited)))
        return notes

    def row_label(self, name: str, row: dict) -> str:
        """How a clash names a row that has no name of its own (a visit's member row)."""
        return ""

    def set_pulled_rows(self, name: str, rows: list[dict]) -> None:
        """Put merged rows into a table without counting it as the worker's typing."""
        self.row_models[name].set_rows(rows)

    def _show_pulled(self, merge: FieldMerge, rows_note: list[str]) -> None:
        parts = []
        if merge.taken:
            labels = [self.editors[n].spec.label(self.ctx.lang) for n in merge.taken]
            parts.append(tr("已换上别人改的：%1").replace("%1", tr("、").join(labels)))
        parts += rows_note
        if parts or self.clashes:
            head = tr("这条记录刚随同步更新。")
            tail = tr("您填的内容都还在。") if self.dirty else ""
            body = tr("；").join(parts)
            self.sync_notice.show_text(head + (body + tr("。") if body else "") + tail)
        self.sync_notice.set_clashes(list(self.clashes.values()))
        self.recheck()
        self.read_refused()
        if not self.dirty:
            self.setWindowTitle(self.title())

    # -- settling clashes -----------------------------------------------------------------------
    def keep_typed(self, key: Any) -> None:
        self.clashes.pop(key, None)
        self.sync_notice.set_clashes(list(self.clashes.values()))
        self.recheck()

    def take_pulled(self, key: Any) -> None:
        clash = self.clashes.pop(key, None)
        if clash is None:
            return
        if isinstance(key, tuple):
            name, row_id, fname = key
            model = self.row_models[name]
            at = next((i for i, r in enumerate(model.rows) if r.get("id") == row_id), None)
            if at is not None:
                model.set_field(at, fname, clash.pulled_value)
                self.after_row_taken(name, at)
        else:
            self.editors[key].set_value(clash.pulled_value)
        self.sync_notice.set_clashes(list(self.clashes.values()))
        self.recheck()

    def after_row_taken(self, name: str, at: int) -> None:
        """A row's value was replaced by the pulled one: forms with a detail panel show it."""

    def unsettled(self) -> bool:
        """Clashes still waiting for the worker's choice stop a save, with a word why."""
        if not self.clashes:
            return False
        self.summary.setText(tr("还有 %n 处与同步来的修改不同，请先在上方选择保留哪一个。", None, len(self.clashes)))
        self.summary.setProperty("problem", "error")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        return True

    def saved_over_pull(self) -> None:
        """A save landed: the notes about the sync have served."""
        if self.field_notes:
            self.field_notes.clear()
            self.show_problems(self.problems)
        if not self.clashes:
            self.sync_notice.show_text("")
        self.read_refused()  # the store sent the refused fields again with this save
