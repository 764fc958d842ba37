"""Writing ledgers to .xlsx files: one workbook per ledger, one sheet for everything or one per
settlement, streamed through openpyxl's write-only mode, saved beside the target and renamed into place,
and written to the audit log with what was exported and whether ID numbers and phones were in full.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import LedgerError
from core.files import written_atomically
from core.validation.coerce import CoerceError, parse_month
from core.indicators import Scope
from core.ledgers.context import NO_SETTLEMENT, LedgerContext
from core.ledgers.fastsheet import abandon, add_sheet
from core.ledgers.layout import Heading, SheetWriter
from core.ledgers.records import month_end
from core.ledgers.spec import Ledger
from core.models import Household, Settlement
from core.progress import QUIET, Progress
from core.store.journal import append_audit

log = logging.getLogger(__name__)
STEP = 500  # rows between progress reports
MASK_NOTE = "身份证号、电话已遮挡"


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)    # ledger name -> rows written (all its sheets)


def personal(ledger: Ledger) -> bool:
    """Whether the ledger shows ID numbers, phones or health (what masking hides)."""
    return any(c.kind in ("id", "phone") or c.title == "健康状况" for c in ledger.columns)


def ledger_file_name(ledger: Ledger, month: str) -> str:
    return f"{ledger.title}_{month}.xlsx"


def _sheet_name(text: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", "_", text)[:28] or "Sheet"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}({n})", n + 1
    taken.add(name)
    return name


def _day_of(month: str, today: date) -> date:
    """The day a month's indicators are asked for: today in this month, else the month's last day."""
    return today if month == today.strftime("%Y-%m") else min(month_end(month), today)


def _places(session: Session) -> list[tuple[str, str]]:
    """(settlement id or NO_SETTLEMENT, name) of every settlement that has households, by name."""
    stmt = select(Household.settlement_id).where(Household.deleted.is_(False)).distinct()
    used = set(session.execute(stmt).scalars())
    names = dict(session.execute(select(Settlement.id, Settlement.name)).all())
    places = sorted(((sid, names.get(sid, sid)) for sid in used if sid), key=lambda p: p[1])
    return places + ([(NO_SETTLEMENT, "未分安置点")] if None in used else [])


@dataclass
class _Job:
    """One export: what to write and how; `report_of` gives a month's indicators of a place."""

    month: str
    today: date
    masked: bool
    per_settlement: bool
    rules: object
    report_of: Callable[[str, str | None], object]
    progress: Progress
    done: int = 0
    total: int = 0

    def context(self, session: Session, settlement_id: str | None) -> LedgerContext:
        if settlement_id == NO_SETTLEMENT:  # no Scope names "no settlement": such a sheet quotes no figures
            return LedgerContext(session, self.month, self.today, self.rules, self.masked, settlement_id)
        return LedgerContext(session, self.month, self.today, self.rules, self.masked, settlement_id,
                             report_of=lambda month: self.report_of(month, settlement_id))

    def sheets(self, session: Session, ledger: Ledger) -> list[tuple[str | None, str]]:
        if self.per_settlement and ledger.per_place:
            return _places(session) or [(None, "全部")]
        return [(None, "全部")]

    def write(self, session: Session, ledger: Ledger, target: Path, audit: Callable[[int], None]) -> int:
        """Write one ledger's workbook to `target`; `audit(rows)` runs once it is saved beside the target
        and before it is renamed into place, so no file appears that the audit log does not hold."""
        wb = Workbook(write_only=True)
        try:
            rows = self._fill(session, ledger, wb)
            self.progress.advance(self.done, max(self.total, self.done), "saving")
        except BaseException:  # cancelled, a failed read, Ctrl+C: nothing of this workbook is left behind
            abandon(wb)
            raise
        with written_atomically(target) as tmp:
            try:
                wb.save(tmp)
            except BaseException:  # a full disk, Ctrl+C while saving: the sheets' temporary files go too
                abandon(wb)
                raise
            audit(rows)
        return rows

    def _fill(self, session: Session, ledger: Ledger, wb: Workbook) -> int:
        taken: set[str] = set()
        rows = 0
        for settlement_id, name in self.sheets(session, ledger):
            ctx = self.context(session, settlement_id)
            period = ledger.period(self.month) if ledger.period else f"{self.month[:4]}年{int(self.month[5:])}月"
            note = "；".join(filter(None, [ledger.note, MASK_NOTE if self.masked and personal(ledger) else ""]))
            heading = Heading(ledger.title, ctx.unit_name(), period, self.today.isoformat(), note)
            sheet = SheetWriter(add_sheet(wb, _sheet_name(name, taken)), ledger.columns, heading)
            sheet.start()
            for values in ledger.rows(ctx):
                sheet.row(values)
                self.done += 1
                if self.done % STEP == 0:
                    self.progress.advance(self.done, max(self.total, self.done), ledger.name)
            sheet.finish(ledger.foot(ctx, sheet.totals) if ledger.foot else ())
            rows += sheet.totals.rows
        return rows


def _check(names: Sequence[str], known: dict[str, Ledger], month: str, today: date) -> list[Ledger]:
    try:
        if parse_month(month) != month:  # the export wants the month as YYYY-MM, as the store keeps it
            raise CoerceError("", "")
    except CoerceError:
        raise LedgerError("bad_month", month=month) from None
    if month > today.strftime("%Y-%m"):
        raise LedgerError("future_month", month=month)
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise LedgerError("unknown_ledger", name=", ".join(unknown), known=", ".join(known))
    return [known[n] for n in names]


def _targets(ledgers: list[Ledger], out: Path, month: str, profile: Path) -> list[Path]:
    """A single ledger goes to `out` itself when it names an .xlsx file, else into the folder `out`
    (made if missing). Never inside the profile's folder, where its database lives."""
    if out.resolve().is_relative_to(profile.resolve()):
        raise LedgerError("in_profile", path=str(out))
    if out.suffix.lower() == ".xlsx" and not out.is_dir():
        if len(ledgers) > 1:
            raise LedgerError("need_folder", path=str(out))
        if not out.parent.is_dir():
            raise LedgerError("no_folder", path=str(out.parent))
        return [out]
    if out.exists() and not out.is_dir():
        raise LedgerError("not_a_folder", path=str(out))
    if not out.exists() and out.suffix:  # 花名册.xls, 台账.csv: a file meant, not a folder to make
        raise LedgerError("not_xlsx", path=str(out))
    out.mkdir(parents=True, exist_ok=True)
    return [out / ledger_file_name(ledger, month) for ledger in ledgers]


def export_ledgers(store, names: Sequence[str], month: str, out: Path, *, masked: bool = True,  # noqa: ANN001
                   per_settlement: bool = False, progress: Progress = QUIET,
                   today: date | None = None) -> ExportResult:
    """Write the named ledgers (core.ledgers.LEDGERS) of `month` to `out` (a file for one ledger, a
    folder for several). Raises LedgerError for what the user must change, core.progress.Cancelled when
    cancelled (no file is left half-written; files finished before the cancel stay)."""
    from core.ledgers import LEDGERS

    today = today or date.today()
    ledgers = _check(names, LEDGERS, month, today)
    targets = _targets(ledgers, Path(out), month, store.info.folder)
    rules = store.county_rules()

    def report_of(m: str, sid: str | None):  # noqa: ANN202
        return store.indicator_report(_day_of(m, today), Scope(settlement_id=sid) if sid else None)

    job = _Job(month, today, masked, per_settlement, rules, report_of, progress)
    result = ExportResult()
    with store.reading() as session:
        job.total = sum(ledger.count(job.context(session, None)) for ledger in ledgers)
        progress.advance(0, job.total, "counting")
        for ledger, target in zip(ledgers, targets):
            result.rows[ledger.name] = job.write(
                session, ledger, target, lambda rows, ledger=ledger, target=target:
                _audit(store, ledger, month, rows, masked, target))
            result.files.append(target)
    progress.advance(job.total, job.total, "done")
    return result


def _audit(store, ledger: Ledger, month: str, rows: int, masked: bool, target: Path) -> None:  # noqa: ANN001
    """Every export in the audit log: which ledger, which month, how many rows, masked or in full."""
    detail = f"{ledger.name} {month} rows={rows} {'masked' if masked else 'UNMASKED id_number,phone,health'} " \
             f"file={target.name}"
    with store.writing() as s:
        append_audit(s, store.actor, "export", "ledger", ledger.name, detail)
