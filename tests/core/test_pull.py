"""The laptop's side of sync without a network: the outbox handed out and forgotten, and pulled
pages applied in one transaction with their cursor, never over the worker's pending edits."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from core.errors import UnusableValue
from core.selftest import sample_household
from core.store.pull import PulledChange
from sync.batch import OutboxItem, build_ops

TODAY = date(2026, 11, 20)


def server_household(household_id: str, head_id: str, seq: int) -> list[PulledChange]:
    """A household and its head as the server sends them: the member's change first."""
    return [PulledChange(seq, "member", head_id, False, {"household_id": household_id, "name": "欧阳明",
                                                          "relation": "head", "birth_date": "1975-05-05"}),
            PulledChange(seq + 1, "household", household_id, False, {"household_no": "S-001", "room": "302"})]


def test_a_pulled_page_creates_rows_that_the_list_finds_and_moves_the_cursor(store):
    household_id, head_id = str(uuid.uuid4()), str(uuid.uuid4())
    result = store.apply_pulled(server_household(household_id, head_id, 10), next_cursor=11)
    assert (result.applied, result.cursor) == (2, 11) and store.pull_cursor() == 11
    assert [r.head_name for r in store.search_households("欧阳明")] == ["欧阳明"]
    record = store.get_household(household_id)
    assert record.household["server_seq"] == 11 and record.members[0]["birth_date"] == date(1975, 5, 5)
    head = record.members[0]
    assert head["server_seq"] == 10
    assert (head["id_type"], head["status"], head["dibao"]) == ("resident_id", "normal", False)  # not sent: defaults
    assert store.pending_change_count() == 0  # what came from the server does not go back to it


def test_a_field_waiting_in_the_outbox_is_not_overwritten(store):
    household, members = sample_household(1)
    saved = store.save_household(household, members, TODAY)
    result = store.apply_pulled([PulledChange(20, "household", saved.id, False,
                                              {"phone": "13900000000", "room": "999"})], next_cursor=20)
    after = store.get_household(saved.id).household
    assert after["phone"] == household["phone"]  # the worker's phone waits to be pushed
    assert after["room"] == household["room"]     # so does every field of a new household
    assert result.kept_local == 2
    store.forget_outbox([e["seq"] for e in store.outbox()])  # the server has answered
    store.apply_pulled([PulledChange(21, "household", saved.id, False, {"room": "999"})], next_cursor=21)
    assert store.get_household(saved.id).household["room"] == "999"


def test_a_pulled_delete_hides_the_household(store):
    household, members = sample_household(2)
    saved = store.save_household(household, members, TODAY)
    store.forget_outbox([e["seq"] for e in store.outbox()])
    store.apply_pulled([PulledChange(30, "household", saved.id, True, {})], next_cursor=30)
    assert store.count_households() == 0


def test_a_page_that_fails_half_way_applies_nothing(store):
    household_id, head_id = str(uuid.uuid4()), str(uuid.uuid4())
    page = server_household(household_id, head_id, 10) + [
        PulledChange(12, "household", household_id, False, {"no_such_field": 1})]
    with pytest.raises(ValueError, match="no_such_field"):
        store.apply_pulled(page, next_cursor=12)
    assert store.pull_cursor() == 0 and store.count_households() == 0  # resume from where it was


def test_the_outbox_becomes_ops_and_leaves_once_answered(store):
    household, members = sample_household(3)
    saved = store.save_household(household, members, TODAY)
    entries = store.outbox()
    ops = build_ops([OutboxItem(**e) for e in entries], store.info.device_id, "b-1")
    assert {(o.entity, o.kind) for o in ops} == {("household", "upsert"), ("member", "upsert")}
    household_op = next(o for o in ops if o.entity == "household")
    assert household_op.row_id == saved.id and household_op.fields["household_no"] == household["household_no"]
    assert set(household_op.base.values()) == {0}  # made here, never synced
    store.forget_outbox([e["seq"] for e in entries])
    assert store.outbox() == [] and store.pending_change_count() == 0


# -- records held until they can be written (a review's findings) ------------------------------

def _member(seq: int, member_id: str, household_id: str, phone: str) -> PulledChange:
    return PulledChange(seq, "member", member_id, False, {"household_id": household_id, "name": "欧阳明",
                                                          "relation": "head", "birth_date": "1975-05-05",
                                                          "phone": phone})


def _visit(seq: int, visit_id: str, household_id: str, month: str, deleted: bool = False) -> PulledChange:
    return PulledChange(seq, "visit", visit_id, deleted, {"household_id": household_id, "month": month,
                                                          "visit_date": f"{month}-03", "method": "home"})


def _phone(store, member_id: str) -> str:  # noqa: ANN001
    return next(m for m in store.get_household(_household_of(store, member_id), log_access=False).members
                if m["id"] == member_id)["phone"]


def _household_of(store, member_id: str) -> str:  # noqa: ANN001
    from core.models import Member

    with store.reading() as s:
        return s.get(Member, member_id).household_id


def test_a_held_record_does_not_undo_what_the_worker_pushed_meanwhile(store):
    h1, h2, m = (str(uuid.uuid4()) for _ in range(3))
    store.apply_pulled([PulledChange(1, "household", h1, False, {"household_no": "S-1"}),
                        _member(2, m, h1, "13800000001")], next_cursor=2)
    store.apply_pulled([_member(101, m, h2, "13800000001")], next_cursor=101)   # moved into H2, not here yet
    assert store.pulled_records_waiting() == 1
    record = store.get_household(h1, log_access=False)
    edited = [{**x, "phone": "13900000009"} if x["id"] == m else x for x in record.members]
    store.save_household({k: v for k, v in record.household.items() if k != "updated_at"}, edited, TODAY,
                         removed=[])
    batch_id, entries = store.next_push_batch(500)
    store.finish_push_batch(batch_id, [e["seq"] for e in entries], {"applied": 2}, [])  # the server took it
    store.apply_pulled([PulledChange(200, "household", h2, False, {"household_no": "S-2"})], next_cursor=200)
    assert _household_of(store, m) == h2, "the held move is written once its household is here"
    assert _phone(store, m) == "13900000009", "the worker's pushed phone is not undone by the older copy"
    assert store.pulled_records_waiting() == 0


def test_a_visit_deleted_and_entered_again_for_its_month_in_one_page(store):
    h, v1, v2 = (str(uuid.uuid4()) for _ in range(3))
    store.apply_pulled([PulledChange(1, "household", h, False, {"household_no": "S-1"}),
                        _visit(2, v1, h, "2026-10")], next_cursor=2)
    store.apply_pulled([_visit(3, v1, h, "2026-10", deleted=True), _visit(4, v2, h, "2026-10")], next_cursor=4)
    assert store.pull_cursor() == 4 and store.pulled_records_waiting() == 0
    assert [v["id"] for v in store.get_household(h, log_access=False).visits] == [v2]


def test_a_visit_that_takes_a_month_before_the_old_one_moves_away_waits_for_it(store):
    h, v1, v2 = (str(uuid.uuid4()) for _ in range(3))
    store.apply_pulled([PulledChange(1, "household", h, False, {"household_no": "S-1"}),
                        _visit(2, v1, h, "2026-10")], next_cursor=2)
    store.apply_pulled([_visit(11, v2, h, "2026-10")], next_cursor=11)   # V1 still holds October here
    assert store.pull_cursor() == 11 and store.pulled_records_waiting() == 1
    store.apply_pulled([_visit(500, v1, h, "2026-09")], next_cursor=500)  # V1's move to September
    months = {v["id"]: str(v["month"]) for v in store.get_household(h, log_access=False).visits}
    assert months == {v1: "2026-09", v2: "2026-10"} and store.pulled_records_waiting() == 0


def test_a_visit_waiting_on_a_refused_local_duplicate_comes_once_the_worker_deletes_it(store):
    h, mine, theirs = (str(uuid.uuid4()) for _ in range(3))
    store.apply_pulled([PulledChange(1, "household", h, False, {"household_no": "S-1"})], next_cursor=1)
    store.save_visit({"id": mine, "household_id": h, "month": "2026-10", "visit_date": "2026-10-05",
                      "method": "home"}, [], TODAY)
    batch_id, entries = store.next_push_batch(500)              # refused: the month has a visit already
    store.finish_push_batch(batch_id, [e["seq"] for e in entries], {"rejected": 1}, [])
    store.apply_pulled([_visit(7, theirs, h, "2026-10")], next_cursor=7)
    assert store.pull_cursor() == 7 and store.pulled_records_waiting() == 1
    store.delete("visit", mine)
    store.apply_pulled([], next_cursor=8)                        # the next sync's (empty) page
    assert [v["id"] for v in store.get_household(h, log_access=False).visits] == [theirs]


def test_a_push_batch_holds_the_outbox_values_as_saved_and_makes_the_same_ops(store):
    """The batch is read as SQLite holds it (core/store/push.py): numbers, lists, yes/no, empty
    values and times come out as the store's own reading gives them, so the ops are the same."""
    household, members = sample_household(4)
    household.update(house_area=72.5, relocation_year=2019, notes="", risk_types=["illness", "disability"])
    members[0].update(dibao=True)
    saved = store.save_household(household, members, TODAY)
    batch_id, entries = store.next_push_batch(500)
    as_saved = {e["seq"]: e for e in store.outbox()}
    assert [e["seq"] for e in entries] == sorted(as_saved)
    kinds = set()
    for entry in entries:
        saved_fields = as_saved[entry["seq"]]["fields"]
        assert entry["fields"] == saved_fields
        for name, value in entry["fields"].items():
            assert type(value) is type(saved_fields[name]), name
            kinds.add(type(value))
    assert {float, int, str, list, bool, type(None)} <= kinds
    device = store.info.device_id
    assert build_ops([OutboxItem(**e) for e in entries], device, batch_id) == \
        build_ops([OutboxItem(**e) for e in as_saved.values()], device, batch_id)
    assert saved.id in {e["row_id"] for e in entries}


def test_ids_looked_up_all_at_once_are_not_limited_by_sqlites_parameters(store):
    """core.among binds a list of ids as one JSON array: more ids than SQLite binds in one statement
    (32,766) still find exactly the records there are, and the strings come back as they went."""
    from sqlalchemy import select

    from core.among import among
    from core.models import Household

    household, members = sample_household(3)
    saved = store.save_household(household, members, TODAY)
    asked = [str(uuid.uuid4()) for _ in range(40_000)] + [saved.id, "引号\"和'撇号"]
    with store.reading() as s:
        found = list(s.execute(select(Household.id).where(among(Household.id, asked))).scalars())
    assert found == [saved.id]


def test_a_save_never_joins_a_batch_frozen_before_it_after_a_refused_change_is_given_up(store):
    """A batch frozen holds outbox entries by number. Giving up a refused change takes its entries out
    of the outbox; SQLite then hands their numbers to the next saves. Such a save must go in a batch
    of its own: under the old batch's id its op would have the old op's id, and a server that applied
    that batch would answer it as done, and the save be lost. While the batch may have reached the
    server (a push froze it to send), nothing of it is given up: its copy would still apply it."""
    from core.errors import ChangesOnTheirWay
    from core.store.push import _waiting

    given_up = store.save_household(*sample_household(0), today=TODAY).id
    records = {("household", given_up)} | {("member", m["id"]) for m in store.get_household(given_up).members}
    frozen_id, frozen = store.next_push_batch(500)
    assert {(e["entity"], e["row_id"]) for e in frozen} == records
    pending = store.pending_change_count()
    versions = [PulledChange(0, entity, row_id, True, {}) for entity, row_id in records]
    with pytest.raises(ChangesOnTheirWay):
        store.discard_rejected(versions, records)
    assert store.pending_change_count() == pending and store.get_household(given_up) is not None

    assert store.split_push_batches(1) == 1  # refused for its size: cut into batches no push has sent
    with store.reading() as s:
        cut = {b["batch_id"] for b in _waiting(s)}
    store.discard_rejected(versions, records)
    assert store.pending_change_count() == 0
    kept = store.save_household(*sample_household(1), today=TODAY).id
    batch_id, entries = store.next_push_batch(500)
    assert batch_id not in cut | {frozen_id}  # a batch of its own, with new op ids
    assert {e["row_id"] for e in entries if e["entity"] == "household"} == {kept}


def test_a_record_that_could_never_be_written_is_refused_with_its_page_not_held_for_later(store):
    """A member whose household has not come yet would be held; one holding a value its column cannot
    take (a date written another way on a county database edited by hand) is refused with its page
    instead, so the page that brings its household is not the one to fail, every time, after the county
    has corrected it."""
    household_id, head_id = str(uuid.uuid4()), str(uuid.uuid4())
    member = PulledChange(10, "member", head_id, False, {"household_id": household_id, "name": "欧阳明",
                                                          "relation": "head", "birth_date": "1975/05/05"})
    with pytest.raises(UnusableValue) as refused:
        store.apply_pulled([member], next_cursor=10)
    assert (refused.value.entity, refused.value.field, refused.value.row_id) == ("member", "birth_date", head_id)
    assert (store.pulled_records_waiting(), store.pull_cursor()) == (0, 0)
    store.apply_pulled(server_household(household_id, head_id, 10), next_cursor=11)  # as corrected on the server
    assert store.get_household(household_id).members[0]["birth_date"] == date(1975, 5, 5)


@pytest.mark.parametrize("field, value", [("relocation_year", "约2015年"), ("relocation_year", "2015.5"),
                                          ("relocation_year", 2015.5), ("house_area", "约80")])
def test_text_in_a_whole_number_column_is_refused_like_any_value_its_column_cannot_take(store, field, value):
    """A relocation year written in words on a county database edited by hand (SQLite keeps text in an
    INTEGER column) is refused with its page, as text in a date's or an area's column is: stored, the
    laptop held words where every other household holds a year, and SQLite's comparisons put text
    after every number."""
    household_id, head_id = str(uuid.uuid4()), str(uuid.uuid4())
    changes = server_household(household_id, head_id, 10)
    changes[1].fields[field] = value
    with pytest.raises(UnusableValue) as refused:
        store.apply_pulled(changes, next_cursor=11)
    assert (refused.value.entity, refused.value.field, refused.value.row_id) == ("household", field, household_id)
    assert (store.count_households(), store.pull_cursor()) == (0, 0)
    changes[1].fields[field] = 2015  # as corrected on the server
    store.apply_pulled(changes, next_cursor=11)
    assert store.get_household(household_id).household[field] == 2015


def test_an_edit_pulled_with_text_in_a_whole_number_column_leaves_the_record_as_it_was(store):
    household_id, head_id = str(uuid.uuid4()), str(uuid.uuid4())
    store.apply_pulled(server_household(household_id, head_id, 10), next_cursor=11)
    edit = PulledChange(12, "household", household_id, False, {"relocation_year": "二〇一五", "room": "401"})
    with pytest.raises(UnusableValue) as refused:
        store.apply_pulled([edit], next_cursor=12)
    assert (refused.value.field, refused.value.row_id) == ("relocation_year", household_id)
    kept = store.get_household(household_id).household
    assert (kept["relocation_year"], kept["room"], store.pull_cursor()) == (None, "302", 11)


def test_a_record_held_by_an_earlier_version_with_a_value_its_column_cannot_take_stays_held(store, caplog):
    """An earlier version held a pulled record without asking whether its columns could take its values
    (a graduation year in words on a county database edited by hand). It stays held, and logged, while
    pages go on, the one bringing its household too: refused, that page would come back every sync and
    the county's corrected version, pages later, would never arrive. The corrected version is written."""
    from core.models import PulledOrphan

    household_id, member_id, other_id = (str(uuid.uuid4()) for _ in range(3))
    with store.writing() as s:
        s.add(PulledOrphan(entity="member", row_id=member_id, seq=5, deleted=False, waits_for=household_id,
                           fields={"household_id": household_id, "name": "欧阳明", "relation": "son",
                                   "birth_date": "1995-05-05", "graduate_year": "约2016年"}))
    caplog.set_level("WARNING", logger="core.store.held")

    store.apply_pulled([PulledChange(7, "household", other_id, False, {"household_no": "S-7"})], next_cursor=7)
    store.apply_pulled([PulledChange(8, "household", household_id, False, {"household_no": "S-8"})], next_cursor=8)

    assert (store.count_households(), store.pull_cursor(), store.pulled_records_waiting()) == (2, 8, 1)
    assert store.get_household(household_id, log_access=False).members == []
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 2, "once a page"
    assert all(member_id in m and "graduate_year" in m and "约" not in m for m in said)
    corrected = PulledChange(9, "member", member_id, False, {"household_id": household_id, "name": "欧阳明",
                                                             "relation": "son", "birth_date": "1995-05-05",
                                                             "graduate_year": 2016})
    store.apply_pulled([corrected], next_cursor=9)
    members = store.get_household(household_id, log_access=False).members
    assert [m["graduate_year"] for m in members] == [2016] and store.pulled_records_waiting() == 0


def test_a_held_record_whose_unusable_value_is_kept_back_for_the_workers_edit_is_written(store):
    """A held copy's field that the worker has edited since (the edit waits in the outbox) is not
    written, so its value is not asked: the record is released, and the worker's values stay."""
    from core.models import PulledOrphan

    household, members = sample_household(1)
    members[0]["graduate_year"] = 2010
    saved = store.save_household(household, members, TODAY)
    member_id = next(m["id"] for m in store.get_household(saved.id, log_access=False).members
                     if m["graduate_year"] == 2010)
    other = str(uuid.uuid4())
    with store.writing() as s:  # moved into another household on the server, its year in words
        s.add(PulledOrphan(entity="member", row_id=member_id, seq=5, deleted=False, waits_for=other,
                           fields={"household_id": other, "graduate_year": "约2016年"}))

    store.apply_pulled([PulledChange(8, "household", other, False, {"household_no": "S-8"})], next_cursor=8)

    assert (store.pulled_records_waiting(), store.pull_cursor()) == (0, 8)
    kept = store.get_household(saved.id, log_access=False).members  # the worker's record, not yet pushed
    assert [m["graduate_year"] for m in kept if m["id"] == member_id] == [2010]


def test_a_pulled_page_commits_without_waiting_for_the_disk_and_a_save_after_it_does(store):
    """A pulled page comes again with its cursor if a power cut undoes it, so its commit does not wait
    for the disk (SQLite's synchronous NORMAL); a save of the worker's, before or after it, does (FULL),
    and syncs the pages before it with it."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    levels: list[int] = []

    def at_commit(conn) -> None:  # noqa: ANN001
        levels.append(conn.exec_driver_sql("PRAGMA synchronous").scalar())

    event.listen(Engine, "commit", at_commit)
    try:
        household, members = sample_household(3)
        store.save_household(household, members, TODAY)
        saves = len(levels)
        store.apply_pulled(server_household(str(uuid.uuid4()), str(uuid.uuid4()), 10), next_cursor=11)
        pulled = len(levels)
        store.save_household(*sample_household(4), TODAY)
    finally:
        event.remove(Engine, "commit", at_commit)
    full, normal = 2, 1
    assert set(levels[:saves]) == {full} and levels[saves:pulled] == [normal]
    assert set(levels[pulled:]) == {full}, "the save after the page waits for the disk again"


def test_a_member_goes_in_when_its_household_is_here_though_the_households_new_version_waits(store):
    """The household's new version waits for a grid this laptop does not have yet; its member's new
    phone does not: the household it points at is here."""
    household_id, head_id = str(uuid.uuid4()), str(uuid.uuid4())
    store.apply_pulled(server_household(household_id, head_id, 10), next_cursor=11)
    new_phone = PulledChange(12, "member", head_id, False, {"household_id": household_id, "name": "欧阳明",
                                                            "relation": "head", "phone": "13912345678"})
    moved = PulledChange(13, "household", household_id, False, {"household_no": "S-001", "room": "302",
                                                                 "grid_id": str(uuid.uuid4())})  # not here yet
    result = store.apply_pulled([new_phone, moved], next_cursor=13)
    assert (result.applied, result.waiting) == (1, 1)
    assert store.get_household(household_id).members[0]["phone"] == "13912345678"


def test_the_audit_logs_head_leaves_for_the_server_only_once_the_pulled_pages_are_on_the_disk(store):
    """A pulled page appends a line to the audit log and does not wait for the disk; the head a push
    sends the server must not name a line a power cut could take back (the server would flag the log
    as cut short). Reading the head for a push first makes one durable commit, and only when needed."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from sync.push import audit_head

    levels: list[int] = []

    def at_commit(conn) -> None:  # noqa: ANN001 - the writer's commits (a reader's connection has changed nothing)
        if conn.connection.driver_connection.total_changes:
            levels.append(conn.exec_driver_sql("PRAGMA synchronous").scalar())

    audit_head(store)  # what the last run of the program committed is put on the disk once, at the first push
    store.save_household(*sample_household(5), TODAY)
    event.listen(Engine, "commit", at_commit)
    try:
        audit_head(store)
        assert levels == [], "nothing waits: the save waited for the disk"
        store.apply_pulled(server_household(str(uuid.uuid4()), str(uuid.uuid4()), 10), next_cursor=11)
        head = audit_head(store)
        assert levels == [1, 2], "the page without waiting, then one commit that waits, before the head is read"
        assert audit_head(store) == head and levels == [1, 2]
    finally:
        event.remove(Engine, "commit", at_commit)


def test_a_write_that_changed_nothing_after_a_pulled_page_does_not_count_as_putting_it_on_the_disk(store):
    """A transaction that changes no row writes nothing to SQLite's log and syncs nothing, whatever its
    level: discarding a draft that is not there, between a pulled page and a push, leaves the page not
    on the disk, and the head a push reads still waits for one durable commit."""
    from core.store.sync_state import ON_DISK_META
    from sync.push import audit_head

    store.save_household(*sample_household(5), TODAY)
    store.set_meta(ON_DISK_META, "before the page")
    store.apply_pulled(server_household(str(uuid.uuid4()), str(uuid.uuid4()), 10), next_cursor=11)
    store.discard_draft("a form never drafted")  # a durable transaction that deletes nothing
    audit_head(store)
    assert store.meta(ON_DISK_META) != "before the page", "the push's durable commit came"


def test_a_write_of_the_values_a_row_holds_after_a_pulled_page_does_not_count_as_putting_it_on_the_disk(store):
    """SQLite counts an UPDATE to the values a row holds as a change and writes no page, so its commit
    syncs nothing: a setting written again with its value (a sync's time, in the same second) between a
    pulled page and a push leaves the page owed."""
    from core.store.sync_state import ON_DISK_META
    from sync.push import audit_head

    store.set_meta("last_sync", "2026-12-05T10:00:00+00:00")
    store.set_meta(ON_DISK_META, "before the page")
    store.apply_pulled(server_household(str(uuid.uuid4()), str(uuid.uuid4()), 10), next_cursor=11)
    store.set_meta("last_sync", "2026-12-05T10:00:00+00:00")  # the same value: no page written
    audit_head(store)
    assert store.meta(ON_DISK_META) != "before the page", "the push's durable commit came"


def test_a_durable_commit_that_failed_leaves_the_pulled_page_owed(store, monkeypatch):
    """The commit that puts a pulled page on the disk fails (a full disk): the next push tries it again
    before its head goes."""
    import sqlcipher3

    from core.store.sync_state import ON_DISK_META
    from sync.push import audit_head

    store.set_meta(ON_DISK_META, "before the page")
    store.apply_pulled(server_household(str(uuid.uuid4()), str(uuid.uuid4()), 10), next_cursor=11)
    dialect = store._writer.dialect
    real = dialect.do_commit
    failed: list[bool] = []

    def fails_once(dbapi_conn) -> None:  # noqa: ANN001
        if not failed:
            failed.append(True)
            raise sqlcipher3.OperationalError("database or disk is full")
        real(dbapi_conn)

    monkeypatch.setattr(dialect, "do_commit", fails_once)
    with pytest.raises(Exception):
        audit_head(store)
    assert failed and store.meta(ON_DISK_META) == "before the page"
    audit_head(store)
    assert store.meta(ON_DISK_META) != "before the page", "the durable commit came at the next push"


def test_the_freeze_of_a_push_batch_puts_a_pulled_page_on_the_disk_and_the_head_needs_no_commit_of_its_own(store):
    """A push freezes its batch in a durable commit just before it reads the head of the audit log:
    that commit puts the pulled page on the disk too, and reading the head commits nothing more."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from core.store.sync_state import ON_DISK_META
    from sync.push import audit_head

    store.save_household(*sample_household(5), TODAY)
    store.set_meta(ON_DISK_META, "before the page")
    store.apply_pulled(server_household(str(uuid.uuid4()), str(uuid.uuid4()), 10), next_cursor=11)
    levels: list[int] = []

    def at_commit(conn) -> None:  # noqa: ANN001 - the writer's commits (its connection has changed rows)
        if conn.connection.driver_connection.total_changes:
            levels.append(conn.exec_driver_sql("PRAGMA synchronous").scalar())

    event.listen(Engine, "commit", at_commit)
    try:
        batch_id, entries = store.next_push_batch(500)
        assert entries and levels == [2], "one commit, waiting for the disk: the freeze"
        assert store.meta(ON_DISK_META) != "before the page", "the freeze put the page on the disk"
        audit_head(store)
        assert levels == [2], "the head is read without another commit"
    finally:
        event.remove(Engine, "commit", at_commit)
