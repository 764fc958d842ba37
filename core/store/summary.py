"""The household summary and its search indexes, derived from the synced tables by one query.

Two FTS5 indexes serve search-as-you-type (schema in migration 0002):
- `household_trigram` (trigram tokenizer) over `search_text`: any substring of three or more
  characters: the tail of an ID number, part of a phone, a room, a full name;
- `household_tokens` (unicode61 with prefix indexes) over `search_tokens`: one- and two-character
  input as the start of a word: a surname, a given name, a building number.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

_PEOPLE = "FROM member m WHERE m.household_id = h.id AND m.deleted = 0"
_HEAD = _PEOPLE + " AND m.relation = 'head' AND m.status != 'removed'"

# The columns of household_summary for households `h`; kept in one place for the store.
_DERIVE = f"""
SELECT h.id, h.household_no,
       coalesce((SELECT m.name {_HEAD} LIMIT 1), ''),
       substr('00000' || coalesce(h.building, ''), -5) || substr('00000' || coalesce(h.unit, ''), -5)
           || substr('00000000' || coalesce(h.room, ''), -8),
       h.updated_at,
       coalesce((SELECT m.id_number {_HEAD} LIMIT 1), ''),
       (SELECT count(*) {_PEOPLE} AND m.status != 'removed'),
       lower(h.household_no || ' ' || coalesce(h.phone, '') || ' '
             || coalesce(h.building, '') || '-' || coalesce(h.unit, '') || '-' || coalesce(h.room, '') || ' '
             || coalesce(h.building, '') || '栋' || coalesce(h.unit, '') || '单元' || coalesce(h.room, '') || ' '
             || coalesce((SELECT group_concat(m.name || ' ' || coalesce(m.id_number, '') || ' ' || coalesce(m.phone, ''), ' ')
                          {_PEOPLE}), '')),
       lower(replace(h.household_no, '-', ' ') || ' ' || coalesce(h.phone, '') || ' ' || coalesce(h.building, '') || ' '
             || coalesce(h.room, '') || ' ' || coalesce(h.building, '') || '栋' || coalesce(h.unit, '') || '单元'
             || coalesce(h.room, '') || ' '
             || coalesce((SELECT group_concat(replace(m.name, '·', ' ') || ' ' || substr(m.name, 2) || ' ' || substr(m.name, 3) || ' '
                                              || coalesce(m.id_number, '') || ' ' || coalesce(m.phone, ''), ' ')
                          {_PEOPLE}), ''))
FROM household h WHERE h.deleted = 0
"""
_COLUMNS = "household_id, household_no, head_name, address_key, updated_at, head_id_number, member_count, search_text, search_tokens"


def _in(ids: list[str]) -> tuple[str, dict[str, str]]:
    params = {f"h{i}": hid for i, hid in enumerate(ids)}
    return ", ".join(f":{k}" for k in params), params


def refresh_summaries(conn: Connection, household_ids: Iterable[str] | None = None) -> None:
    """Recompute the summaries and index entries of the given households (all when None)."""
    if household_ids is None:
        for table in ("household_trigram", "household_tokens", "household_summary"):
            conn.execute(text(f"DELETE FROM {table}"))
        _insert(conn, "", {})
        return
    ids = list(dict.fromkeys(household_ids))
    for start in range(0, len(ids), 500):
        placeholders, params = _in(ids[start:start + 500])
        old = f"SELECT rid FROM household_summary WHERE household_id IN ({placeholders})"
        for table in ("household_trigram", "household_tokens"):
            conn.execute(text(f"DELETE FROM {table} WHERE rowid IN ({old})"), params)
        conn.execute(text(f"DELETE FROM household_summary WHERE household_id IN ({placeholders})"), params)
        _insert(conn, f" AND h.id IN ({placeholders})", params)


def _insert(conn: Connection, where: str, params: dict[str, str]) -> None:
    conn.execute(text(f"INSERT INTO household_summary ({_COLUMNS}) {_DERIVE}{where}"), params)
    new = "FROM household_summary s"
    if params:
        new += f" WHERE s.household_id IN ({', '.join(':' + k for k in params)})"
    conn.execute(text(f"INSERT INTO household_trigram (rowid, search_text) SELECT s.rid, s.search_text {new}"), params)
    conn.execute(text(f"INSERT INTO household_tokens (rowid, search_tokens) SELECT s.rid, s.search_tokens {new}"), params)


def fts_phrase(word: str) -> str:
    """An FTS5 string literal for `word`, matched as it is (no operators)."""
    return '"' + word.replace('"', '""') + '"'
