"""The household summary: head of household, member count and search text, derived by one query."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

# One statement derives every summary column from the synced tables; the store runs it for the
# households a save or a pull touched. Removed (status 'removed') and deleted members are left out.
_REFRESH = """
INSERT OR REPLACE INTO household_summary (household_id, head_name, head_id_number, member_count, search_text)
SELECT h.id,
       coalesce((SELECT m.name FROM member m WHERE m.household_id = h.id AND m.relation = 'head'
                 AND m.deleted = 0 AND m.status != 'removed' LIMIT 1), ''),
       coalesce((SELECT m.id_number FROM member m WHERE m.household_id = h.id AND m.relation = 'head'
                 AND m.deleted = 0 AND m.status != 'removed' LIMIT 1), ''),
       (SELECT count(*) FROM member m WHERE m.household_id = h.id AND m.deleted = 0 AND m.status != 'removed'),
       lower(h.household_no || ' ' || coalesce(h.phone, '') || ' '
             || coalesce(h.building, '') || '-' || coalesce(h.unit, '') || '-' || coalesce(h.room, '') || ' '
             || coalesce(h.building, '') || '栋' || coalesce(h.unit, '') || '单元' || coalesce(h.room, '') || ' '
             || coalesce((SELECT group_concat(m.name || ' ' || coalesce(m.id_number, '') || ' ' || coalesce(m.phone, ''), ' ')
                          FROM member m WHERE m.household_id = h.id AND m.deleted = 0), ''))
FROM household h
"""


def refresh_summaries(conn: Connection, household_ids: Iterable[str] | None = None) -> None:
    """Recompute the summaries of the given households (all of them when None); drop deleted ones."""
    if household_ids is None:
        conn.execute(text(_REFRESH + " WHERE h.deleted = 0"))
        conn.execute(text("DELETE FROM household_summary WHERE household_id IN (SELECT id FROM household WHERE deleted = 1)"))
        return
    ids = list(dict.fromkeys(household_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        params = {f"h{i}": hid for i, hid in enumerate(chunk)}
        placeholders = ", ".join(f":h{i}" for i in range(len(chunk)))
        conn.execute(text(f"DELETE FROM household_summary WHERE household_id IN ({placeholders})"), params)
        conn.execute(text(_REFRESH + f" WHERE h.deleted = 0 AND h.id IN ({placeholders})"), params)
