"""Bulk loads (demo data, reference data) store every value exactly as a save would."""
from __future__ import annotations

from datetime import date, datetime

from core.selftest import sample_household

TODAY = date(2026, 11, 15)


def test_bulk_loaded_values_read_back_like_saved_ones(store):
    saved_id = store.save_household(*sample_household(0), today=TODAY).id
    saved = store.get_household(saved_id)
    household = {**saved.household, "id": "bulk-household", "household_no": "BULK-1", "risk_types": ["illness", "water"],
                 "monitoring_category": "marginal", "monitoring_identified_month": "2026-03", "house_area": 63.5,
                 "consent_date": date(2026, 1, 2)}
    household.pop("server_seq"), household.pop("updated_at")
    member = {**saved.members[0], "id": "bulk-member", "household_id": "bulk-household", "id_number": None,
              "dibao": True, "birth_date": date(1980, 1, 1)}
    member.pop("server_seq"), member.pop("updated_at")
    stamp = datetime(2026, 2, 14, 5, 33, 53)
    store.bulk_load({"household": [{**household, "created_at": stamp}], "member": [member]}, reason="test")
    loaded = store.get_household("bulk-household")
    for key in ("risk_types", "house_area", "consent_date", "monitoring_identified_month", "household_no"):
        assert loaded.household[key] == household[key], key
    assert loaded.members[0]["dibao"] is True and loaded.members[0]["birth_date"] == date(1980, 1, 1)
    with store.reading() as s:
        from core.models import Household, Member

        row = s.get(Household, "bulk-household")
        assert row.created_at == stamp and row.deleted is False and row.server_seq == 0
        assert s.get(Member, "bulk-member").created_by == ""  # left out: the column's default
        from sqlalchemy import text

        # None and True go to the driver through core.executemany.bind_plainly's adapters: NULL and 1
        raw = s.execute(text("SELECT typeof(id_number), typeof(dibao), dibao FROM member WHERE id = 'bulk-member'"))
        assert tuple(raw.one()) == ("null", "integer", 1)
    assert store.search_households("BULK-1")[0].member_count == 1
    assert store.pending_change_count() == _outbox_of_the_save(store, saved_id)


def _outbox_of_the_save(store, household_id) -> int:
    """A bulk load queues nothing: the only records waiting are those of the ordinary save."""
    from sqlalchemy import func, select

    from core.models import Member, OutboxEntry

    with store.reading() as s:
        members = [m for m in s.execute(select(Member.id).where(Member.household_id == household_id)).scalars()]
        records = select(OutboxEntry.row_id).where(OutboxEntry.row_id.in_([household_id, *members])).distinct()
        return int(s.execute(select(func.count()).select_from(records.subquery())).scalar_one())
