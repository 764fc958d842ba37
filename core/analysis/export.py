"""`export_sqlite`: a plain, unencrypted SQLite copy of a profile for analysis tools, built with
sqlite-utils (tables with their primary and foreign keys, full-text search on members' names and
households' addresses, one view per ledger), written beside the target and renamed into place.

The live rows of every table are read on one snapshot of the profile (one read transaction, so every
foreign key of the copy finds its row), a chunk at a time, and reported to the Progress after each
chunk; a cancel removes the half-built file. A masked copy has ID numbers and phones masked and no
health; either way the export is written to the audit log (what and how many, never whose)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import sqlite_utils
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.analysis.tables import FLAGS, MODELS, TableSpec
from core.analysis.views import VIEWS
from core.files import written_atomically
from core.indicators.base import CountyRules, month_of
from core.models import Settlement
from core.outputs import check_output_file
from core.progress import QUIET, Progress
from core.store import Store
from core.store.journal import append_audit
from core.version import app_version

CHUNK = 2000  # rows read and written at a time
SEARCHED = {"member": ["name"], "household": ["address"]}  # full-text search: table -> columns (FTS5, unicode61)
INFO_TABLE = "export_info"


def export_sqlite(store: Store, out: Path, unmasked: bool = False, progress: Progress = QUIET,
                  today: date | None = None) -> dict[str, int]:
    """Write the copy to `out` (replacing a file there only once the copy is whole); returns the
    rows copied per table. Raises OutputRefused for a folder or a missing folder, Cancelled when
    the progress was cancelled (nothing is left behind)."""
    out = check_output_file(Path(out), away_from=store.info.folder)  # never over the profile's own database
    month = month_of(today or date.today())
    rules = store.county_rules()
    specs = [TableSpec(model, unmasked) for model in MODELS]
    with written_atomically(out) as tmp:
        db = sqlite_utils.Database(tmp)
        try:
            db.execute("PRAGMA journal_mode = MEMORY")  # a new file: on failure it is removed whole
            db.execute("PRAGMA synchronous = OFF")  # written_atomically syncs it before the rename
            with store.reading() as s:
                counts = _copy_tables(s, db, specs, month, rules, progress)
            _finish(db, month, rules, unmasked, counts)
        finally:
            db.close()
        progress.check()
        _audit(store, unmasked, counts)
    return counts


def _copy_tables(s: Session, db: sqlite_utils.Database, specs: list[TableSpec], month: str, rules: CountyRules,
                 progress: Progress) -> dict[str, int]:
    totals = {spec.name: _live_count(s, spec) for spec in specs}
    total, done = sum(totals.values()), 0
    places = {r.id: r.name for r in s.execute(select(Settlement.id, Settlement.name)
                                               .where(Settlement.deleted.is_(False)))}
    counts: dict[str, int] = {}
    progress.advance(0, total, "rows")
    for spec in specs:
        flags = FLAGS.get(spec.name, lambda _m, _r: {})(month, rules)
        table = db.table(spec.name)
        table.create(spec.columns(list(flags)), pk="id", foreign_keys=spec.foreign_keys())
        counts[spec.name] = 0
        stmt = (select(*spec.source_columns(), *(c.label(k) for k, c in flags.items()))
                .where(spec.model.deleted.is_(False)).order_by(spec.model.id))
        for chunk in s.execute(stmt, execution_options={"yield_per": CHUNK}).mappings().partitions(CHUNK):
            table.insert_all((spec.row(dict(r), places) for r in chunk), batch_size=CHUNK)
            counts[spec.name] += len(chunk)
            done += len(chunk)
            progress.advance(done, total, "rows")
    return counts


def _live_count(s: Session, spec: TableSpec) -> int:
    return int(s.execute(select(func.count()).select_from(spec.model).where(spec.model.deleted.is_(False)))
               .scalar_one())


def _finish(db: sqlite_utils.Database, month: str, rules: CountyRules, unmasked: bool,
            counts: dict[str, int]) -> None:
    """Indexes on the links, the full-text search, the ledgers' views, and what the copy is."""
    for spec_name in counts:
        table = db.table(spec_name)
        for fk in table.foreign_keys:
            table.create_index([fk.column], if_not_exists=True)
    for name, columns in SEARCHED.items():
        db.table(name).enable_fts(columns)
    for name, sql in VIEWS.items():
        db.create_view(f"ledger_{name}", sql)
    low, high = rules.working_age
    info = {"exported_at": datetime.now().isoformat(sep=" ", timespec="seconds"), "month": month,
            "masked": "no" if unmasked else "yes", "working_age": f"{low}-{high}", "anju_version": app_version(),
            **{f"rows.{name}": str(n) for name, n in counts.items()}}
    db.table(INFO_TABLE).insert_all([{"key": k, "value": v} for k, v in info.items()], pk="key")


def _audit(store: Store, unmasked: bool, counts: dict[str, int]) -> None:
    """The export in the audit log: masked or not, and how many rows (never a name or a path)."""
    detail = f"sqlite {'unmasked' if unmasked else 'masked'}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
    with store.writing() as s:
        append_audit(s, store.actor, "export", "profile", store.info.device_id, detail)
