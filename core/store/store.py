"""The local store: the one door through which the desktop app reads and writes a profile.

Every save is one write transaction that also records the outbox entries and the audit line; a
save validates first and writes nothing when a rule is broken. The GUI calls these methods from
its database worker and never sees SQL.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3
from sqlalchemy import event, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from core import validation as v
from core.changes import Changes
from core.models import (
    SYNCED_ENTITIES, Area, Employment, Grid, Grievance, GrievanceParty, Household, HouseholdIncome, Insurance, Measure,
    Member, ProfileMeta, Settlement, Synced, Training, Visit, VisitMember,
)
from core.schema import wire_revision
from core.store import migrate, push
from core.store.bulk import bulk_load, finish_bulk_load
from core.store.engine import SYNCHRONOUS, check_key, make_engine
from core.store import facts
from core.store.facts import TOUCHED, refresh_facts
from core.store.figures import FiguresMixin
from core.store.failures import ProfileDamaged, damage_of_shape, open_failure, write_failure
from core.store.deletion import delete_with_dependents
from core.store.drafts import DraftsMixin
from core.progress import QUIET, Progress
from core.store.importing import (
    ImportResult, audit_import, import_result, prepare_household, prepare_households, write_household, write_households,
)
from core.store.journal import Actor, record_access, record_upsert, verify_audit_chain
from core.store.profile import (
    ProfileError, ProfileInfo, WrongPassword, building, checked_key, clear_attempts, create_profile_info,
    note_failure, read_attempts, read_profile_info, remember_key_check,
)
from core.store.queries import HouseholdFilter, HouseholdRow, count_households, list_households
from core.store.records import HouseholdRecord, RecordGone, load_household, row_to_dict
from core.store.pull import (
    PulledChange, PullResult, apply_page, departed, forget_outbox, held_count, outbox_entries, pull_cursor,
)
from core.store.record_lists import list_records
from core.store.rejections import RejectionsMixin
from core.store.scope import let_go
from core.store.sync_state import SyncStateMixin, pending_records, settings
from core.store.rules import check_one_per, check_owner, check_rows
from core.store.summary import (
    county_rules_of, owed_summaries, rederive_spans_if_stale, refresh_flags, refresh_summaries, spans_are_stale,
)
from core.validation.normalize import normalize_rows

if TYPE_CHECKING:
    from core.store.backup import Backups

log = logging.getLogger(__name__)

_new_setting = sqlite_insert(ProfileMeta.__table__)
_UPSERT_SETTING = _new_setting.on_conflict_do_update(index_elements=["key"],
                                                     set_={"value": _new_setting.excluded.value})
REVEALABLE = {("member", "id_number"), ("member", "phone"), ("household", "phone"), ("member", "health"),
              ("grievance_party", "phone")}


@dataclass(frozen=True)
class SaveResult:
    id: str
    warnings: list[v.Problem]
    changes: Changes = Changes()  # what the save wrote (core/changes.py), for the screens to refresh


class Store(FiguresMixin, RejectionsMixin, SyncStateMixin, DraftsMixin):
    """An open profile. Create with Store.create or Store.open; close when done."""

    def __init__(self, info: ProfileInfo, key: bytes, username: str, target_revision: str = "head"):
        if info.key_matches(key) is False:
            raise WrongPassword()
        self.info = info
        self._key = key  # for backups, keyed like the profile (core/store/backup.py)
        engines: list = []
        try:
            check_key(info.database_path, key)
            self._writer = make_engine(info.database_path, key, writer=True)
            self._reader = make_engine(info.database_path, key, writer=False)
            engines += [self._writer, self._reader]
            self.last_backup = migrate.upgrade_profile(self._writer, info.database_path, info.backup_dir,
                                                       target_revision)
        except BaseException as exc:
            for engine in engines:
                engine.dispose()
            if isinstance(exc, (sqlcipher3.Error, DBAPIError, OSError)):
                raise open_failure(exc, info.database_path, info.key_check is not None) from exc
            raise
        if info.key_check is None:
            self.info = remember_key_check(info, key)
        self._write_sessions = sessionmaker(self._writer, expire_on_commit=False)
        # Transactions whose writes can be had again, committed without waiting for the disk (engine.SYNCHRONOUS).
        self._redoable_write_sessions = sessionmaker(self._writer, expire_on_commit=False,
                                                     execution_options={SYNCHRONOUS: "NORMAL"})
        event.listen(self._writer, "commit", self.note_commit)  # the flag of commits not on the disk yet
        event.listen(self._write_sessions, "after_commit", self.note_durable)
        self._read_sessions = sessionmaker(self._reader, expire_on_commit=False)
        self.actor = Actor(username=username or self.meta("username") or "local", device_id=info.device_id)
        if target_revision == "head":  # spans of an older zero-employment definition are rebuilt, and
            with self.reading() as s:  # the summaries a pull cut off by a crash owes are settled
                stale, owed = spans_are_stale(s.connection()), bool(owed_summaries(s.connection(), 1))
            if stale:
                with self.writing() as s:
                    rederive_spans_if_stale(s.connection())
            if owed:
                self.settle_what_a_kill_left()

    @classmethod
    def create(cls, folder: Path, password: str, username: str = "", display_name: str = "",
               target_revision: str = "head", device_id: str | None = None,
               fill: Callable[["Store"], object] | None = None) -> "Store":
        """Make a new encrypted profile at `folder` and open it.

        The profile is built beside `folder`, filled by `fill` (demo households, an enroll's first
        pull), closed and renamed into place (core.store.profile.building): a failure or a kill at
        any point leaves no half-made profile, and nothing that was at `folder` is touched."""
        if not password:
            raise ProfileError("请设置密码，没有密码的档案不能加密。 / Please set a password to encrypt the profile.")
        with building(Path(folder)) as work:
            info = create_profile_info(work, display_name=display_name, device_id=device_id)
            key = info.derive_key(password)
            with cls(info, key, username, target_revision) as store:
                if username:
                    store.set_meta("username", username)
                if fill is not None:
                    fill(store)
        return cls(read_profile_info(Path(folder)), key, username, target_revision)

    @classmethod
    def open(cls, folder: Path, password: str, username: str = "", target_revision: str = "head",
             count_failure: bool = True, clock: Callable[[], float] = time.time) -> "Store":
        """Open with the password. After five wrong ones in a row each attempt waits (30 s, doubling,
        at most 15 minutes), kept in the profile itself. `count_failure=False` is for a probe that
        is not a person guessing (is this the demo profile?)."""
        info = read_profile_info(Path(folder))
        damage = damage_of_shape(info.database_path)
        if damage:  # missing, empty, cut short: never a new empty profile made in its place
            raise ProfileDamaged(*damage)
        if not count_failure:
            return cls(info, info.derive_key(password), username, target_revision)
        key = checked_key(info, password, clock())  # the pause, and the key check of profile.json
        try:
            store = cls(info, key, username, target_revision)
        except WrongPassword:  # a profile from before the key check: its database said so
            after = note_failure(info.folder, clock())
            raise WrongPassword(after.failures, after.wait_seconds(clock())) from None
        if read_attempts(info.folder).failures:
            clear_attempts(info.folder)
        return store

    def close(self) -> None:
        try:
            with self._writer.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")  # SQLite's advice: refresh statistics on close
                conn.commit()
        except (sqlcipher3.Error, DBAPIError, OSError):  # statistics only: a damaged page or a full disk
            log.warning("the profile's statistics were not refreshed on closing", exc_info=True)  # keeps no close
        finally:
            self._reader.dispose()
            self._writer.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session on a consistent snapshot (for core/ and sync/, never for gui/). A
        damaged page met on the way is said in words (ProfileDamaged)."""
        try:
            with self._read_sessions() as session, session.begin():
                yield session
        except (sqlcipher3.Error, DBAPIError) as exc:
            failure = write_failure(exc)
            if not isinstance(failure, ProfileDamaged):
                raise
            log.warning("a read of the profile met a damaged page", exc_info=exc)
            raise failure from exc

    @contextmanager
    def writing(self, durable: bool = True) -> Iterator[Session]:
        """One write transaction: everything inside commits together or not at all. A full disk
        or a damaged file is said in words (DiskFull, ProfileDamaged), and nothing is written.
        `durable=False`: what it writes can be had again (a pulled page with its cursor, summaries
        derived from the records), so its commit does not wait for the disk; a power cut may undo it
        whole, and the next pull or opening does it again (core.store.engine.SYNCHRONOUS)."""
        sessions = self._write_sessions if durable else self._redoable_write_sessions
        try:
            with sessions() as session, session.begin():
                yield session
                touched = session.info.pop(TOUCHED, None)
                if touched:  # what those households add to the indicators, counted again before commit
                    refresh_facts(session, touched, facts.current_day(), county_rules_of(session))
        except (sqlcipher3.Error, DBAPIError, OSError) as exc:  # sqlcipher3's own: SQLAlchemy knows only sqlite3's
            failure = write_failure(exc)
            if failure is None:
                raise
            log.warning("a write to the profile failed", exc_info=exc)
            raise failure from exc

    @cached_property
    def backups(self) -> Backups:
        """Rotating encrypted backups of this profile: take, list, restore (core/store/backup.py)."""
        from core.store.backup import Backups

        return Backups(self)

    def schema_revision(self) -> str | None:
        return migrate.current_revision(self._reader)

    def wire_schema(self) -> str:
        """The schema this profile's records have on the wire, told to the server (core.schema.wire_revision)."""
        return wire_revision(self.schema_revision())

    # -- profile metadata -------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with self.reading() as s:
            row = s.get(ProfileMeta, key)
            return row.value if row else None

    def metas(self, *keys: str) -> dict[str, str | None]:
        """Several settings in one read (a sync asks for a few at each step)."""
        with self.reading() as s:
            found = settings(s, keys)
            return {k: found.get(k) for k in keys}

    def set_meta(self, key: str, value: str) -> None:
        self.set_metas({key: value})

    def set_metas(self, values: dict[str, str]) -> None:
        """Several settings in one write (one statement: a sync with nothing to do still writes when it ran)."""
        if not values:
            return
        with self.writing() as s:
            s.execute(_UPSERT_SETTING, [{"key": key, "value": value} for key, value in values.items()])

    # -- households -------------------------------------------------------------------------
    def save_household(self, household: dict, members: list[dict], today: date | None = None,
                       removed: Iterable[str] | None = None) -> SaveResult:
        """Save a household and its members.

        Without `removed`, `members` is the full list and members missing from it are deleted (an
        import). A form passes `removed`, the ids the worker took out: then only those are deleted,
        and a member added meanwhile by another window or a sync is kept and checked with the rest.
        """
        today = today or date.today()
        h, clean_members, problems = prepare_household(household, members, today)
        with self.writing() as s:
            row_id, changes = write_household(s, self.actor, h, clean_members, today, removed)
            s.flush()
            refresh_summaries(s.connection(), changes.household_ids, county_rules_of(s))
        return SaveResult(row_id, v.warnings(problems), changes)

    def import_households(self, households: list[tuple[dict, list[dict]]], progress: Progress = QUIET,
                          source: str = "", today: date | None = None) -> ImportResult:
        """Many households with their members (a roster's import) in ONE transaction, each checked and
        written as save_household does (every field in the outbox, so it syncs): all or nothing. A
        cancel (progress) or an error writes nothing. One audit line names the count and `source`."""
        today = today or date.today()
        prepared = prepare_households(households, today, progress)
        with self.writing() as s:
            changes = write_households(s, self.actor, prepared, today, progress)
            s.flush()
            refresh_summaries(s.connection(), changes.household_ids, county_rules_of(s))  # once for all
            audit_import(s, self.actor, prepared, source)
        return import_result(prepared, changes)

    def get_household(self, household_id: str, log_access: bool = True) -> HouseholdRecord:
        """Everything under one household, in clear, for its form; the access is logged.

        A form re-reading what it has just saved passes log_access=False: it is not a new look.
        """
        with self.reading() as s:
            record = load_household(s, household_id)
        if log_access:
            with self.writing() as s:
                record_access(s, self.actor, "household", household_id, "open form")
        return record

    def verify_password(self, password: str) -> bool:
        """True when `password` opens this profile (to unlock the app after it locked itself).
        Wrong ones count for the profile's pause; during a pause it raises TooManyAttempts, and a
        damaged file or a full disk raises what it is."""
        if not password:
            return False
        try:
            key = checked_key(self.info, password)  # TooManyAttempts during the pause goes to the caller
        except WrongPassword:
            return False
        try:
            check_key(self.info.database_path, key)
        except sqlcipher3.Error as exc:
            failure = open_failure(exc, self.info.database_path, self.info.key_check is not None)
            if not isinstance(failure, WrongPassword):
                raise failure from exc
            note_failure(self.info.folder, time.time())  # a profile from before the key check
            return False
        if read_attempts(self.info.folder).failures:
            clear_attempts(self.info.folder)
        return True

    def list_households(self, f: HouseholdFilter | None = None, sort: str = "household_no",
                        descending: bool = False, offset: int = 0, limit: int = 100,
                        lang: str = "zh") -> list[HouseholdRow]:
        """A page of the household list; its addresses read in `lang`."""
        f = replace(f or HouseholdFilter(), rules=self.county_rules())
        with self.reading() as s:
            return list_households(s, f, sort, descending, offset, limit, lang)

    def count_households(self, f: HouseholdFilter | None = None) -> int:
        f = replace(f or HouseholdFilter(), rules=self.county_rules())
        with self.reading() as s:
            return count_households(s, f)

    def search_households(self, text: str, limit: int = 50) -> list[HouseholdRow]:
        """Search-as-you-type by name, ID number, phone, household number or building/unit/room."""
        return self.list_households(HouseholdFilter(text=text), limit=limit)

    def reveal(self, entity: str, row_id: str, field: str) -> str:
        """One personal value in clear, on purpose; written to the audit log."""
        if (entity, field) == ("household", "head_id_number"):  # the household list shows the head's ID
            entity, field, row_id = "member", "id_number", self._head_of(row_id)
        if (entity, field) not in REVEALABLE:
            raise ValueError(f"{entity}.{field} is not a revealable personal field")
        with self.writing() as s:
            row = s.get(SYNCED_ENTITIES[entity], row_id)
            if row is None or row.deleted:
                raise RecordGone(entity, row_id)
            record_access(s, self.actor, entity, row_id, f"reveal {field}")
            return str(getattr(row, field) or "")

    def _head_of(self, household_id: str) -> str:
        with self.reading() as s:
            head = s.execute(select(Member.id).where(Member.household_id == household_id, Member.relation == "head",
                                                     Member.deleted.is_(False))).scalar()
        if head is None:
            raise RecordGone("household", household_id)
        return head

    def list_records(self, kind: str, text: str = "", offset: int = 0, limit: int = 100,
                     today: date | None = None, lang: str = "zh",
                     filters: dict[str, object] | None = None) -> list[dict]:
        """A page of people, jobs, training, grievances or visits, newest first, narrowed by the
        list's filters (core/store/record_lists.py)."""
        with self.reading() as s:
            return list_records(s, kind, text, offset, limit, today, lang, filters, self.county_rules())

    # -- sync bookkeeping (the network side is sync/client.py) -------------------------------
    def outbox(self, limit: int = 5000) -> list[dict]:
        """The oldest outbox entries (one per save of a record) as plain dicts."""
        with self.reading() as s:
            return [{"seq": e.seq, "entity": e.entity, "row_id": e.row_id, "kind": e.kind, "fields": dict(e.fields),
                     "base_seq": e.base_seq, "at": e.at} for e in outbox_entries(s, limit)]

    def forget_outbox(self, seqs: list[int]) -> None:
        with self.writing() as s:
            forget_outbox(s, seqs)

    def next_push_batch(self, max_rows: int) -> tuple[str, list[dict]]:
        """The batch to push: the first frozen one waiting for an answer, or a new one (core/store/push.py)."""
        with self.writing() as s:
            self.put_on_disk_with(s)  # the head of the audit log goes with it: no commit of its own (make_durable)
            return push.next_batch(s, max_rows)

    def finish_push_batch(self, batch_id: str, seqs: list[int], counts: dict[str, int], rejections: list[dict],
                          settings: dict[str, str] | None = None) -> None:
        """The server's answer to a batch, and `settings` that come with it, in one transaction."""
        with self.writing() as s:
            push.finish_batch(s, self.actor, batch_id, seqs, counts, rejections)
            for key, value in (settings or {}).items():
                s.merge(ProfileMeta(key=key, value=value))

    def conflicts(self, open_only: bool = False) -> list[dict]:
        with self.reading() as s:
            return push.conflicts(s, open_only)

    def pull_cursor(self) -> int:
        with self.reading() as s:
            return pull_cursor(s)

    def apply_pulled(self, changes: list[PulledChange], next_cursor: int, left: list[str] = (),
                     settle: bool = True) -> PullResult:
        """One page of pulled changes and the new cursor, in one transaction (core/store/pull.py);
        `left`: households that moved out of this laptop's grids, let go in the same transaction;
        without `settle`, the households' summaries are owed (`settle_summaries`)."""
        with self.writing(durable=False) as s:  # undone by a power cut, the page comes again with its cursor
            gone = departed(s, let_go(s, list(left))) if left else []
            return apply_page(s, self.actor, changes + gone, next_cursor, settle)

    def pulled_records_waiting(self) -> int:
        """Pulled records held until their parent arrives (a later page or sync brings it)."""
        with self.reading() as s:
            return held_count(s)

    # -- records of a household -------------------------------------------------------------
    def save_employment(self, data: dict, today: date | None = None) -> SaveResult:
        today = today or date.today()
        e, problems = v.normalize(Employment, data)
        v.raise_if_errors(problems)
        with self.writing() as s:
            others = s.execute(select(Employment).where(Employment.member_id == e.get("member_id"),
                                                        Employment.deleted.is_(False),
                                                        Employment.id != (e.get("id") or ""))).scalars()
            problems += v.validate_employment(e, [row_to_dict(o) for o in others], today)
            v.raise_if_errors(problems)
            row = self._save_child(s, Employment, e)
        return SaveResult(row.id, v.warnings(problems), Changes.of_rows([row]))

    def save_training(self, data: dict, today: date | None = None) -> SaveResult:
        return self._save_simple(Training, data, v.validate_training, today)

    def save_measure(self, data: dict, today: date | None = None) -> SaveResult:
        return self._save_simple(Measure, data, v.validate_measure, today)

    def save_household_income(self, data: dict, today: date | None = None) -> SaveResult:
        """A household's income of one year (one record per household and year)."""
        return self._save_simple(HouseholdIncome, data, v.validate_household_income, today)

    def save_insurance(self, data: dict, today: date | None = None) -> SaveResult:
        """A member's basic medical or pension insurance of one year (one record per member, year and kind)."""
        return self._save_simple(Insurance, data, v.validate_insurance, today)

    def save_grievance(self, data: dict, parties: list[dict], today: date | None = None) -> SaveResult:
        return self._save_with_rows(Grievance, data, GrievanceParty, "grievance_id", parties, "parties",
                                    v.validate_grievance, today)

    def save_visit(self, data: dict, member_rows: list[dict], today: date | None = None) -> SaveResult:
        return self._save_with_rows(Visit, data, VisitMember, "visit_id", member_rows, "members",
                                    v.validate_visit, today)

    def delete(self, entity: str, row_id: str) -> Changes:
        """Tombstone one record; a household takes everything under it along. Returns what went."""
        model = SYNCED_ENTITIES[entity]
        with self.writing() as s:
            row = s.get(model, row_id)
            if row is None:
                raise RecordGone(entity, row_id)
            if model is Member and row.relation == "head" and not row.deleted:
                raise v.ValidationError([v.Problem("relation", "户主不能单独删除：请在户表单中先指定新的户主再删除。",
                                                   "The head cannot be deleted alone: name a new head in the household form.",
                                                   "error")])
            gone = delete_with_dependents(s, self.actor, row)
            household_id = row.id if model is Household else getattr(row, "household_id", None)
            s.flush()
            if household_id:
                refresh_summaries(s.connection(), [household_id])
        return Changes.of_rows(gone)

    def _save_child(self, s: Session, model: type[Synced], data: dict) -> Synced:
        member = model.__table__.columns.get("member_id")
        v.raise_if_errors(check_owner(s, data, member_required=member is not None and not member.nullable))
        old = s.get(model, data["id"]) if data.get("id") else None
        if model is Grievance and data.get("id"):
            v.raise_if_errors(v.check_status_move(old.status if old else None, data.get("status") or "registered"))
        moved_from = getattr(old, "household_id", None)  # read before the upsert changes it
        row, _ = record_upsert(s, self.actor, model, data)
        if model in (Employment, Visit):  # what the list's check boxes read from the summary
            s.flush()
            refresh_flags(s.connection(), {row.household_id, moved_from} - {None})
        return row

    def _save_simple(self, model: type[Synced], data: dict, validate, today: date | None) -> SaveResult:  # noqa: ANN001
        clean, problems = v.normalize(model, data)
        v.raise_if_errors(problems)
        problems += validate(clean, today or date.today())
        v.raise_if_errors(problems)
        with self.writing() as s:
            v.raise_if_errors(check_one_per(s, model, clean))
            row = self._save_child(s, model, clean)
        return SaveResult(row.id, v.warnings(problems), Changes.of_rows([row]))

    def _save_with_rows(self, model: type[Synced], data: dict, row_model: type[Synced], link: str,
                        rows: list[dict], label: str, validate, today: date | None) -> SaveResult:  # noqa: ANN001
        """A record with child rows (grievance parties, visit member rows); rows left out are deleted."""
        clean, problems = v.normalize(model, data)
        clean_rows, row_problems = normalize_rows(row_model, rows, label, (link, "household_id"))
        problems += row_problems
        v.raise_if_errors(problems)
        problems += validate(clean, clean_rows, today or date.today())
        v.raise_if_errors(problems)
        with self.writing() as s:
            v.raise_if_errors(check_rows(s, model, clean, clean_rows, label))
            parent = self._save_child(s, model, clean)
            kept, gone = set(), []
            for r in clean_rows:
                child, _ = record_upsert(s, self.actor, row_model, {**r, link: parent.id, "household_id": parent.household_id})
                kept.add(child.id)
            link_col = getattr(row_model, link)
            for old in s.execute(select(row_model).where(link_col == parent.id, row_model.deleted.is_(False))).scalars():
                if old.id not in kept:
                    gone.append(old.id)
                    delete_with_dependents(s, self.actor, old)
            if model is Visit:  # a visit's member rows say who works in its month (the list's zero-employment box)
                s.flush()
                refresh_flags(s.connection(), {parent.household_id})
        changes = Changes.of_rows([parent]).merge(Changes.of([row_model.__tablename__], [*kept, *gone]))
        return SaveResult(parent.id, v.warnings(problems), changes)

    # -- reference data, sync bookkeeping, indicators ----------------------------------------
    def settlements(self) -> list[dict]:
        with self.reading() as s:
            rows = s.execute(select(Settlement).where(Settlement.deleted.is_(False)).order_by(Settlement.code)).scalars()
            return [row_to_dict(r) for r in rows]

    def grids(self, settlement_id: str | None = None) -> list[dict]:
        with self.reading() as s:
            stmt = select(Grid).where(Grid.deleted.is_(False)).order_by(Grid.code)
            if settlement_id:
                stmt = stmt.where(Grid.settlement_id == settlement_id)
            return [row_to_dict(r) for r in s.execute(stmt).scalars()]

    def areas_under(self, code_prefix: str) -> list[dict]:
        """The places of the county's reference data (its townships, and their villages) whose codes
        start with `code_prefix` and are longer than it, in code order: what lies under a county
        picked from GB/T 2260 ('' for every place). Live ones only."""
        with self.reading() as s:
            stmt = (select(Area).where(Area.deleted.is_(False), Area.code.startswith(code_prefix, autoescape=True),
                                       func.length(Area.code) > len(code_prefix)).order_by(Area.code))
            return [row_to_dict(r) for r in s.execute(stmt).scalars()]

    def bulk_load(self, rows: dict[str, list[dict]], reason: str, refresh: bool = True) -> dict[str, int]:
        """Insert many rows in one transaction without queueing them for sync (demo data, reference data).

        A long run of loads passes refresh=False and calls finish_bulk_load once at the end.
        """
        with self.writing() as s:
            return bulk_load(s, self.actor, rows, reason, refresh)

    def finish_bulk_load(self) -> None:
        with self.writing() as s:
            finish_bulk_load(s)

    def member_count(self) -> int:
        """Members of live households who have not left (status other than 'removed')."""
        with self.reading() as s:
            stmt = select(func.count()).select_from(Member).join(Household, Household.id == Member.household_id).where(
                Member.deleted.is_(False), Member.status != "removed", Household.deleted.is_(False))
            return int(s.execute(stmt).scalar_one())

    def pending_change_count(self) -> int:
        """The records waiting to be pushed (a record with many changed fields counts once), as a
        sync counts what it uploaded: one op per record."""
        with self.reading() as s:
            return pending_records(s)

    def damaged_pages(self) -> list[str]:
        """SQLCipher's check of every page's HMAC (PRAGMA cipher_integrity_check): what in the file
        was changed or damaged since it was written; empty when the file is whole. It reads the
        whole file (a few milliseconds a megabyte), so the app runs it off the UI thread."""
        with self._reader.connect() as conn:
            return [str(row[0]) for row in conn.exec_driver_sql("PRAGMA cipher_integrity_check")]

    def audit_chain_break(self) -> int | None:
        """None when the audit log is intact; else the first line that was tampered with."""
        with self.reading() as s:
            return verify_audit_chain(s)

    def household_ids_of(self, household_no: str) -> list[str]:
        """The live households numbered `household_no` (a household card asked for by its number)."""
        from core.store.lookups import household_ids_of

        with self.reading() as s:
            return household_ids_of(s, household_no)

    def log_unmasked(self, entity: str, row_id: str, what: str) -> None:
        """Write to the audit log that a record's personal data leaves the app in clear (`what`: an
        unmasked household card, say); the caller writes it before making the output."""
        with self.writing() as s:
            record_access(s, self.actor, entity, row_id, what)
