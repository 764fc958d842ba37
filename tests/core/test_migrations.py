"""A profile made at the first schema revision opens under the newest and keeps its data."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import JSON, DateTime, column, event, insert, table, text
from sqlalchemy.orm import Session

from core.selftest import sample_household
from core.store import HouseholdFilter, Store
from core.store.journal import append_audit, record_upsert
from core.wire_values import to_wire
from core.store.migrate import HEAD_REVISION, head_revision
from core.models import Household, Member, OutboxEntry, new_id, utc_now
from tests.conftest import PASSWORD


_LEGACY_OUTBOX = table("outbox", column("entity"), column("row_id"), column("kind"), column("field"),
                       column("value", JSON), column("base_seq"), column("at", DateTime), column("actor"))


def _outbox_as_before_0009(session, _context, _instances) -> None:
    """A build before revision 0009 wrote one outbox entry per field: the saves these tests make on a
    profile at such a revision go into its outbox that way (record_upsert writes this build's shape)."""
    saves = [o for o in session.new if isinstance(o, OutboxEntry)]
    if not saves or "fields" in {r[1] for r in session.execute(text("PRAGMA table_info(outbox)"))}:
        return
    for save in saves:
        session.expunge(save)
        for name, value in (save.fields.items() if save.kind != "delete" else [(None, None)]):
            session.execute(insert(_LEGACY_OUTBOX).values(
                entity=save.entity, row_id=save.row_id, kind=save.kind, field=name, value=value,
                base_seq=save.base_seq or 0, at=utc_now(), actor=save.actor or ""))


@pytest.fixture(autouse=True)
def outbox_of_the_revision():
    event.listen(Session, "before_flush", _outbox_as_before_0009)
    yield
    event.remove(Session, "before_flush", _outbox_as_before_0009)


def upsert_at_old_revision(s, actor, model, data: dict) -> str:
    """record_upsert as a build at an older revision did it: a table that revision made without some of
    this build's columns gets a row of the columns it has (the ORM would insert them all). Returns its id."""
    have = {r[1] for r in s.execute(text(f"PRAGMA table_info({model.__tablename__})"))}
    if have >= set(model.__table__.columns.keys()):
        return record_upsert(s, actor, model, data)[0].id
    now = utc_now()
    row = {"id": data.get("id") or new_id(), "created_at": now, "updated_at": now, "created_by": actor.username,
           "device_id": actor.device_id, "deleted": False, "server_seq": 0}
    for col in model.__table__.columns:
        if col.name in have and col.name not in row:
            default = col.default.arg if col.default is not None and col.default.is_scalar else None
            row[col.name] = default if data.get(col.name) is None else data[col.name]
    old_table = table(model.__tablename__, *(column(c.name, c.type) for c in model.__table__.columns if c.name in row))
    s.execute(insert(old_table).values(row))  # a plain table: the model's would add its newer columns' defaults
    fields = [f for f in model.data_fields() if f in data and f in have]
    s.add(OutboxEntry(entity=model.__tablename__, row_id=row["id"], kind="upsert",
                      fields={field: to_wire(row[field]) for field in fields}, base_seq=0, actor=actor.username))
    append_audit(s, actor, "create", model.__tablename__, row["id"], ",".join(fields))
    return row["id"]


def make_first_revision_profile(folder):
    """Write a household the way a build at revision 0001 did: no summary table existed then."""
    with Store.create(folder, PASSWORD, username="w1", target_revision="0001") as store:
        assert store.schema_revision() == "0001"
        household, members = sample_household()
        with store.writing() as s:
            tables = {r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
            assert "household_summary" not in tables
            row, _ = record_upsert(s, store.actor, Household, household)
            for m in members:
                upsert_at_old_revision(s, store.actor, Member, {**m, "household_id": row.id, "sex": None})
        return row.id


def test_first_revision_profile_opens_under_newest_with_its_data(profile_dir):
    hid = make_first_revision_profile(profile_dir)
    with Store.open(profile_dir, PASSWORD) as store:
        assert store.schema_revision() == head_revision() != "0001"
        assert store.last_backup is not None and store.last_backup.exists()
        record = store.get_household(hid)
        assert [m["name"] for m in record.members] == ["王建国", "李秀英", "王小明"]
        # The new summary was back-filled, so the old household is listed and searchable.
        rows = store.search_households("王建国")
        assert [r.id for r in rows] == [hid] and rows[0].member_count == 3 and rows[0].head_name == "王建国"
        assert store.pending_change_count() > 0 and store.audit_chain_break() is None


def test_backup_is_the_old_revision_and_opens_with_the_same_password(profile_dir, tmp_path):
    make_first_revision_profile(profile_dir)
    with Store.open(profile_dir, PASSWORD) as store:
        backup = store.last_backup
    restored = tmp_path / "restored"
    restored.mkdir()
    (restored / "profile.json").write_bytes((profile_dir / "profile.json").read_bytes())
    (restored / "anju.db").write_bytes(backup.read_bytes())
    with Store.open(restored, PASSWORD, target_revision="0001") as old:
        assert old.schema_revision() == "0001"


def test_opening_at_head_makes_no_backup(profile_dir):
    Store.create(profile_dir, PASSWORD).close()
    with Store.open(profile_dir, PASSWORD) as store:
        assert store.last_backup is None
    assert not (profile_dir / "backups").exists()


def test_a_failing_step_leaves_the_profile_at_its_old_revision(profile_dir, monkeypatch):
    make_first_revision_profile(profile_dir)
    from alembic import command

    real_upgrade = command.upgrade

    def upgrade_then_fail(cfg, target):
        real_upgrade(cfg, target)
        raise RuntimeError("disk full")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)  # migrate imports it when an upgrade is due
    with pytest.raises(RuntimeError, match="disk full"):
        Store.open(profile_dir, PASSWORD)
    monkeypatch.undo()
    with Store.open(profile_dir, PASSWORD, target_revision="0001") as store:
        assert store.schema_revision() == "0001"
        with store.reading() as s:
            tables = {r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
        assert "household_summary" not in tables


def test_migrations_build_exactly_what_the_models_declare(store):
    """Alembic finds nothing to add or change between the newest revision and core/models."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from core.models import Base

    fts = ("household_trigram", "household_tokens")

    def include(obj, name, type_, reflected, compare_to):
        return not (type_ == "table" and (name in fts or name.startswith(fts) or name == "alembic_version"))

    with store.reading() as s:
        context = MigrationContext.configure(s.connection(), opts={"include_object": include, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_recorded_head_is_alembics_head():
    """Opening a profile compares its revision with HEAD_REVISION, so the constant must not drift."""
    assert HEAD_REVISION == head_revision()


def test_opening_a_profile_at_head_does_not_import_alembic(profile_dir):
    """Alembic costs a tenth of a second at start-up; a profile with nothing to migrate needs none of it."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    Store.create(profile_dir, PASSWORD).close()
    script = ("import sys\n"
              "from core.store import Store\n"
              f"store = Store.open({str(profile_dir)!r}, {PASSWORD!r})\n"
              "store.list_households(); store.count_households(); store.close()\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"



def test_the_list_filters_are_back_filled_for_an_old_profile(profile_dir):
    """0003 derives the zero-employment spans and the last visit month from what an old profile holds."""
    from datetime import date

    from core.models import Employment, Visit
    from tests.core.test_list_filters import assert_flags_match, month_days

    hid = make_first_revision_profile(profile_dir)
    with Store.open(profile_dir, PASSWORD, target_revision="0001") as store, store.writing() as s:
        head = s.execute(text("SELECT id FROM member WHERE relation = 'head'")).scalar_one()
        s.execute(text("UPDATE member SET job_need = 'local' WHERE labour_skill = 'ordinary'"))  # willing to work
        upsert_at_old_revision(s, store.actor, Employment, {"household_id": hid, "member_id": head,
                                                            "start_month": "2025-03", "end_month": "2025-08"})
        record_upsert(s, store.actor, Visit, {"household_id": hid, "month": "2026-10", "visit_date": date(2026, 10, 3)})
    with Store.open(profile_dir, PASSWORD) as store:
        assert store.schema_revision() == HEAD_REVISION
        assert_flags_match(store, month_days("2025-01", "2026-12"))
        assert store.list_households(HouseholdFilter(zero_employment=True, today=date(2025, 5, 1))) == []
        assert [r.id for r in store.list_households(HouseholdFilter(zero_employment=True, today=date(2025, 9, 1)))] == [hid]
        assert store.count_households(HouseholdFilter(not_visited_this_month=True, today=date(2026, 10, 9))) == 0


def test_the_household_filters_are_back_filled_for_a_0003_profile(profile_dir):
    """0004 copies each household's settlement, grid and monitoring category into the summary."""
    from core.models import Grid, Settlement
    from tests.core.test_list_filters import AS_OF, FLAGS, assert_flags_match, assert_own_filters_match, listed

    first = make_first_revision_profile(profile_dir)
    place = {"area_code": "522601", "mode": None, "address": None}
    with Store.open(profile_dir, PASSWORD, target_revision="0001") as store, store.writing() as s:
        for sid in ("s1", "s2"):
            record_upsert(s, store.actor, Settlement, {"id": sid, "code": sid.upper(), "name": sid, **place})
            record_upsert(s, store.actor, Grid, {"id": f"g-{sid}", "code": f"G-{sid}", "name": sid, "settlement_id": sid,
                                                 "village_code": "522601001"})
        s.get(Household, first).settlement_id = "s1"
        s.get(Household, first).grid_id = "g-s1"
        for i, (sid, category, cleared) in enumerate((("s1", "marginal", None), ("s2", "marginal", "2026-06"),
                                                      ("s2", "unstable", None), ("s2", None, None))):
            household, _ = sample_household(i + 1)
            record_upsert(s, store.actor, Household, {**household, "settlement_id": sid, "grid_id": f"g-{sid}",
                                                      "monitoring_category": category,
                                                      "monitoring_identified_month": "2026-01" if category else None,
                                                      "monitoring_cleared_month": cleared})
        deleted, _ = record_upsert(s, store.actor, Household, {**sample_household(9)[0], "settlement_id": "s2",
                                                               "monitoring_category": "marginal"})
        deleted.deleted = True
    with Store.open(profile_dir, PASSWORD, target_revision="0003") as store:
        assert store.schema_revision() == "0003"
    with Store.open(profile_dir, PASSWORD) as store:
        assert store.schema_revision() == HEAD_REVISION
        assert_own_filters_match(store)
        assert_flags_match(store, [AS_OF], flags=FLAGS)
        assert len(listed(store, AS_OF, settlement_id="s2")) == 3
        assert len(listed(store, AS_OF, monitoring_category="marginal")) == 2
        assert len(listed(store, AS_OF, monitored_only=True)) == 2
        assert len(listed(store, AS_OF, settlement_id="s2", monitored_only=True)) == 1
        assert listed(store, AS_OF, grid_id="g-s1") == {first} | listed(store, AS_OF, grid_id="g-s1", monitored_only=True)


def downgrade_profile(store: Store, target: str) -> None:
    """Take an open profile's schema back to `target` the way upgrade_profile takes it forward: one
    transaction, foreign keys checked after the steps."""
    from alembic import command

    from core.store.migrate import alembic_config

    cfg = alembic_config()
    with store._writer.connect() as conn:
        driver = conn.connection.driver_connection
        driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, target)
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        finally:
            driver.execute("PRAGMA foreign_keys = ON")


def row_of(store: Store, table_name: str, row_id: str, *names: str) -> tuple:
    """Columns of one row, read as they are (a profile held at an older schema than the models')."""
    with store.reading() as s:
        return tuple(s.execute(text(f"SELECT {', '.join(names)} FROM {table_name} WHERE id = :i"), {"i": row_id}).one())


def columns_of(store: Store, table_name: str) -> set[str]:
    with store.reading() as s:
        return {r[1] for r in s.execute(text(f"PRAGMA table_info({table_name})"))}


NEW_IN_0007 = {"member": {"marital_status", "lives_alone", "residence", "residence_place", "residence_since",
                          "returned_worker", "returned_month"},
               "employment": {"contract_term", "insurance_months", "place_code"},
               "visit_member": {"place_code", "sector"}}


def test_0007_adds_where_members_live_and_the_terms_and_places_of_jobs_and_takes_them_back(profile_dir):
    from core.models import Employment

    with Store.create(profile_dir, PASSWORD, username="w1", target_revision="0006") as store, store.writing() as s:
        household, members = sample_household()
        hid = record_upsert(s, store.actor, Household, household)[0].id
        head = upsert_at_old_revision(s, store.actor, Member, {**members[0], "household_id": hid})
        job = upsert_at_old_revision(s, store.actor, Employment, {"household_id": hid, "member_id": head,
                                                                  "start_month": "2025-03"})
    with Store.open(profile_dir, PASSWORD, target_revision="0007") as store:
        assert store.schema_revision() == "0007" and store.last_backup is not None
        assert row_of(store, "member", head, "marital_status", "lives_alone", "returned_worker") == (None, 0, 0)
        assert row_of(store, "employment", job, "start_month", "place_code") == ("2025-03", None)
        with store.writing() as s:
            record_upsert(s, store.actor, Member, {"id": head, "marital_status": "married",
                                                   "residence": "working_away", "residence_place": "东莞"})
            record_upsert(s, store.actor, Employment, {"id": job, "contract_term": "1y_plus", "place_code": "441900"})
        assert row_of(store, "member", head, "residence_place") == ("东莞",)
        downgrade_profile(store, "0006")
    with Store.open(profile_dir, PASSWORD, target_revision="0006") as store:
        assert store.schema_revision() == "0006"
        for table_name, added in NEW_IN_0007.items():
            assert not columns_of(store, table_name) & added, table_name
        with store.reading() as s:
            kept = s.execute(text("SELECT m.name, e.start_month FROM member m JOIN employment e ON e.member_id = m.id"))
            assert kept.all() == [(members[0]["name"], "2025-03")]
    with Store.open(profile_dir, PASSWORD, target_revision="0007") as store:  # forward again, dropped values gone
        assert store.schema_revision() == "0007"
        for table_name, added in NEW_IN_0007.items():
            assert columns_of(store, table_name) >= added
        assert row_of(store, "member", head, "marital_status") == (None,)


def test_0008_moves_the_households_income_into_the_year_it_was_entered_and_back(profile_dir):
    from core.models import HouseholdIncome, natural_id

    with Store.create(profile_dir, PASSWORD, username="w1", target_revision="0007") as store, store.writing() as s:
        made = []
        for index in (0, 1):
            household, members = sample_household(index)
            hid = upsert_at_old_revision(s, store.actor, Household, household)
            upsert_at_old_revision(s, store.actor, Member, {**members[0], "household_id": hid})
            s.execute(text("UPDATE household SET income_wage = :w, income_transfer = 1200, updated_at = '2025-06-01' "
                           "WHERE id = :h"), {"w": 24000 + index, "h": hid})
            s.add(OutboxEntry(entity="household", row_id=hid, kind="upsert", fields={"income_wage": 24000 + index},
                              base_seq=0, actor="w1"))
            made.append(hid)
        synced = made[1]  # pushed long ago: nothing of it waits in the outbox
        s.execute(text("DELETE FROM outbox WHERE row_id IN (SELECT id FROM member WHERE household_id = :h) "
                       "OR row_id = :h"), {"h": synced})
    with Store.open(profile_dir, PASSWORD) as store:
        assert store.schema_revision() == HEAD_REVISION and store.last_backup is not None
        assert "income_wage" not in columns_of(store, "household")
        with store.reading() as s:
            incomes = {i.household_id: i for i in s.query(HouseholdIncome)}
            waiting = [(row_id, name, value) for row_id, fields in s.execute(
                text("SELECT row_id, fields FROM outbox WHERE entity = 'household_income'"))
                for name, value in json.loads(fields).items()]
            moved_edits = s.execute(text("SELECT count(*) FROM outbox, json_each(outbox.fields) "
                                         "WHERE json_each.key = 'income_wage'")).scalar()
        for index, hid in enumerate(made):  # the same id the county server gives the same income
            income = incomes[hid]
            assert (income.id, income.year, income.wage, income.transfer, income.business) == \
                (natural_id("household_income", hid, 2025), 2025, 24000 + index, 1200, None)
        # the household made here sends its income with it; the synced one's comes from the server's own move
        assert {(r, f) for r, f, _ in waiting} == {(incomes[made[0]].id, f)
                                                   for f in ("household_id", "year", "wage", "transfer")}
        assert moved_edits == 0
        downgrade_profile(store, "0007")
    with Store.open(profile_dir, PASSWORD, target_revision="0007") as store:
        with store.reading() as s:
            back = dict(s.execute(text("SELECT id, income_wage FROM household")).all())
            tables = set(s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
        assert back == {made[0]: 24000, made[1]: 24001}
        assert not tables & {"household_income", "insurance", "county_settings"}


def _legacy_items(rows) -> list:
    """Outbox rows of a profile before 0009 (one per field) as the push read them then."""
    from sync.batch import OutboxItem

    return [OutboxItem(seq, entity, row_id, kind,
                       {} if kind == "delete" else {field: json.loads(value) if isinstance(value, str) else value},
                       base_seq, at) for seq, entity, row_id, kind, field, value, base_seq, at in rows]


def test_0009_keeps_one_entry_per_save_and_a_batch_frozen_before_it_is_sent_as_the_same_ops(profile_dir):
    from datetime import date

    from core.store.push import FROZEN_BATCH
    from sync.batch import OutboxItem, build_ops

    legacy_select = text("SELECT seq, entity, row_id, kind, field, value, base_seq, at FROM outbox ORDER BY seq")
    with Store.create(profile_dir, PASSWORD, username="w1", target_revision="0008") as store:
        household, members = sample_household(3)
        household.update(house_area=72.5, risk_types=["illness", "disability"], notes="")
        hid = store.save_household(household, members, date(2026, 11, 20)).id
        record = store.get_household(hid)  # an edit of the household and a member left out (deleted)
        store.save_household({**record.household, "phone": "13987654321"}, record.members[:2], date(2026, 11, 21))
        with store.reading() as s:
            legacy = s.execute(legacy_select).all()
        device = store.info.device_id
        store.set_meta(FROZEN_BATCH, json.dumps({"batch_id": "b-frozen", "seqs": [r[0] for r in legacy]}))
    sent_before = build_ops(_legacy_items(legacy), device, "b-frozen")
    assert {op.kind for op in sent_before} == {"upsert", "delete"}
    with Store.open(profile_dir, PASSWORD) as store:
        assert store.schema_revision() == HEAD_REVISION
        batch_id, entries = store.next_push_batch(500)
        assert batch_id == "b-frozen" and [e["seq"] for e in entries] == [r[0] for r in legacy]
        assert build_ops([OutboxItem(**e) for e in entries], device, batch_id) == sent_before
        store.save_household({**store.get_household(hid).household, "notes": "已走访"}, store.get_household(hid).members)
        assert [(e["entity"], e["fields"]) for e in store.outbox()[len(legacy):]] == [("household", {"notes": "已走访"})]
        downgrade_profile(store, "0008")
    with Store.open(profile_dir, PASSWORD, target_revision="0008") as store, store.reading() as s:
        back = [r[1:7] for r in s.execute(legacy_select)]
    assert back == [r[1:7] for r in legacy] + [("household", hid, "upsert", "notes", json.dumps("已走访"), 0)]


def test_0010_outbox_numbers_are_never_handed_out_again_and_frozen_batches_keep_theirs(profile_dir):
    """A profile from before 0010 keeps its entries and their numbers (a batch frozen by them is sent
    as it was); after it, the number of an entry that has gone is not given to the next save."""
    from core.store.push import FROZEN_BATCH

    with Store.create(profile_dir, PASSWORD, username="w1", target_revision="0009") as store:
        household, members = sample_household(2)
        store.save_household(household, members)
        before = [e["seq"] for e in store.outbox()]
        store.set_meta(FROZEN_BATCH, json.dumps({"batch_id": "b-frozen", "seqs": before}))
    with Store.open(profile_dir, PASSWORD) as store:
        assert store.schema_revision() == HEAD_REVISION
        batch_id, entries = store.next_push_batch(500)
        assert batch_id == "b-frozen" and [e["seq"] for e in entries] == before
        store.finish_push_batch(batch_id, before, {"applied": len(before)}, [])
        assert store.outbox() == []
        other, more = sample_household(1)
        store.save_household(other, more)
        after = [e["seq"] for e in store.outbox()]
        assert after and min(after) > max(before), "a gone entry's number was given to a new save"
        downgrade_profile(store, "0009")
    with Store.open(profile_dir, PASSWORD, target_revision="0009") as store:
        assert [e["seq"] for e in store.outbox()] == after
