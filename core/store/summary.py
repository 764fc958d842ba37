"""The household summary and its search indexes, derived from the synced tables by one query.

Two FTS5 indexes serve search-as-you-type (schema in migration 0002):
- `household_trigram` (trigram tokenizer) over `search_text`: any substring of three or more
  characters: the tail of an ID number, part of a phone, a room, a full name;
- `household_tokens` (unicode61 with prefix indexes) over `search_tokens`: one- and two-character
  input as the start of a word: a surname, a given name, a building number.

Two facts let the list's check boxes filter without a query per household (migration 0003):
- `household_summary.last_visit_month`, the latest month with a live visit;
- `zero_employment_span`, the months in which the household is a zero-employment household
  (see core.models.journal.ZeroEmploymentSpan).
The household's own filters are copied into the summary too (migration 0004): settlement, grid,
monitoring category, and `monitored` (a category and no cleared month), so no filter of the list
joins the household table.
Whatever changes a member, a job or a visit (with its member rows) must refresh its household here, in the
same transaction.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from core.indicators import CountyRules, span_rule, zero_employment_spans
from core.models import COUNTY_SETTINGS_ID, CountySettings
from core.among import JSON_VALUES, json_values
from core.prepared import rows_of

SPAN_RULE_META = "zero_employment_rule"

_PEOPLE = "FROM member m WHERE m.household_id = h.id AND m.deleted = 0"
_HEAD = _PEOPLE + " AND m.relation = 'head' AND m.status != 'removed'"
_LAST_VISIT = "coalesce((SELECT max(v.month) FROM visit v WHERE v.household_id = {household} AND v.deleted = 0), '')"

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
                          {_PEOPLE}), '')),
       {_LAST_VISIT.format(household="h.id")},
       h.settlement_id, h.grid_id, h.monitoring_category,
       h.monitoring_category IS NOT NULL AND h.monitoring_cleared_month IS NULL
FROM household h WHERE h.deleted = 0
"""
_COLUMNS = ("household_id, household_no, head_name, address_key, updated_at, head_id_number, member_count, "
            "search_text, search_tokens, last_visit_month, settlement_id, grid_id, monitoring_category, monitored")

# The zero-employment spans of households (core.models.journal.ZeroEmploymentSpan), asked of
# core.indicators.zero_employment_condition itself at every month where its answer may change.
_SETTINGS = CountySettings.__table__
# The county's rules: the columns CountyRules.from_settings reads, asked at every save (core.prepared).
_RULES = select(*(_SETTINGS.c[name] for name in CountyRules.SETTINGS)).where(
    _SETTINGS.c.id == COUNTY_SETTINGS_ID, _SETTINGS.c.deleted.is_(False))
_HAS_SETTINGS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'county_settings'"


def county_rules_in(conn: Connection) -> CountyRules:
    """The rules of the profile's county settings record (the policy's own figures without one, or in
    a profile held at a schema from before the record, as the upgrade tests hold one)."""
    if conn.connection.driver_connection.execute(_HAS_SETTINGS).fetchone() is None:
        return CountyRules()
    found = rows_of(conn, _RULES, {}, ())
    return CountyRules.from_settings(dict(zip(CountyRules.SETTINGS, found[0])) if found else None)


_RULES_READ = "county_rules_read"  # Session.info: the rules, read once in this transaction


def county_rules_of(session: Session) -> CountyRules:
    """The county's rules, read once per write transaction of a save (its summaries and its facts
    both ask). Only transactions that do not write the county settings ask this way."""
    rules = session.info.get(_RULES_READ)
    if rules is None:
        rules = session.info[_RULES_READ] = county_rules_in(session.connection())
    return rules


_INSERT_SPAN = text("INSERT INTO zero_employment_span (household_id, after_month, before_month) VALUES (:h, :a, :b)")


def _insert_spans(conn: Connection, household_ids: list[str] | None, rules: CountyRules | None = None) -> None:
    _write_spans(conn, zero_employment_spans(conn, household_ids, rules or county_rules_in(conn)))


def _write_spans(conn: Connection, spans: list[tuple[str, str, str]]) -> None:
    if spans:
        conn.execute(_INSERT_SPAN, [{"h": h, "a": a, "b": b} for h, a, b in spans])


def _replace_spans(conn: Connection, household_ids: list[str], rules: CountyRules | None = None) -> None:
    """The zero-employment spans of these households made what they are now, rewriting only the
    households whose spans changed: a save of a note or a phone, most saves, writes none."""
    params = {"ids": json_values(household_ids)}
    stored: dict[str, list[tuple[str, str, str]]] = {}
    for hid, after, before in conn.execute(text(
            f"SELECT household_id, after_month, before_month FROM zero_employment_span WHERE household_id IN {_IDS}"),
            params):
        stored.setdefault(hid, []).append((hid, after, before))
    now: dict[str, list[tuple[str, str, str]]] = {}
    for span in zero_employment_spans(conn, household_ids, rules or county_rules_in(conn)):
        now.setdefault(span[0], []).append(span)
    changed = [hid for hid in household_ids if sorted(stored.get(hid, ())) != sorted(now.get(hid, ()))]
    if not changed:
        return
    conn.execute(text(f"DELETE FROM zero_employment_span WHERE household_id IN {_IDS}"), {"ids": json_values(changed)})
    _write_spans(conn, [span for hid in changed for span in now.get(hid, ())])


_IDS = JSON_VALUES.format(param=":ids")  # the households, as one JSON parameter (core.among)


def refresh_summaries(conn: Connection, household_ids: Iterable[str] | None = None,
                      rules: CountyRules | None = None) -> None:
    """Recompute the summaries and index entries of the given households (all when None); `rules`:
    the county's, when the caller has read them in this transaction already."""
    if household_ids is None:
        for table in ("household_trigram", "household_tokens", "household_summary", "zero_employment_span"):
            conn.execute(text(f"DELETE FROM {table}"))
        _insert(conn, None, rules)
        return
    ids = list(dict.fromkeys(household_ids))
    if not ids:
        return
    params = {"ids": json_values(ids)}
    kept = {row[0]: row[1:] for row in conn.execute(text(_KEPT), params)}
    if kept:
        _rewrite(conn, kept)
    fresh = [hid for hid in ids if hid not in kept]
    if fresh:
        _insert(conn, fresh, rules, spans=False)
    _replace_spans(conn, ids, rules)


def owe_summaries(conn: Connection, household_ids: Iterable[str]) -> None:
    """Note households whose summaries the pull under way refreshes when it ends, not now
    (core.models.journal.OwedSummary): a download's page leaves them to `settle_summaries`."""
    ids = sorted(set(household_ids) - {""})
    if ids:
        conn.execute(text("INSERT OR IGNORE INTO summary_owed (household_id) SELECT value FROM json_each(:ids)"),
                     {"ids": json_values(ids)})


def owed_summaries(conn: Connection, limit: int = -1) -> list[str]:
    """Households whose summaries a pull owes (at most `limit` of them; all for -1)."""
    return list(conn.execute(text("SELECT household_id FROM summary_owed ORDER BY household_id LIMIT :n"),
                             {"n": limit}).scalars())


def owed_count(conn: Connection) -> int:
    """How many households' summaries a pull owes."""
    return int(conn.execute(text("SELECT count(*) FROM summary_owed")).scalar_one())


def settle_summaries(conn: Connection, household_ids: Iterable[str] = (), rules: CountyRules | None = None) -> bool:
    """Refresh the summaries of `household_ids` and of up to SETTLE_AT_ONCE owed households, which
    are then owed no more. True when more are owed (a next transaction settles them)."""
    ids = set(household_ids) - {""}
    owed = owed_summaries(conn, SETTLE_AT_ONCE + 1)
    now = owed[:SETTLE_AT_ONCE]
    if ids or now:
        refresh_summaries(conn, sorted(ids.union(now)), rules)
    if now:
        conn.execute(text(f"DELETE FROM summary_owed WHERE household_id IN {_IDS}"), {"ids": json_values(now)})
    return len(owed) > len(now)


SETTLE_AT_ONCE = 2000  # owed households refreshed in one transaction: about 0.2 s

_NAMES = tuple(name.strip() for name in _COLUMNS.split(","))
# A summary as stored: its household, then its rid in the place of the household (position 0), then
# the other columns at their positions in _NAMES, as _DERIVE gives them.
_KEPT = f"SELECT household_id, rid, {', '.join(_NAMES[1:])} FROM household_summary WHERE household_id IN {_IDS}"
_SEARCH = {"household_trigram": ("search_text", _NAMES.index("search_text")),
           "household_tokens": ("search_tokens", _NAMES.index("search_tokens"))}


def _rewrite(conn: Connection, kept: dict[str, tuple]) -> None:
    """Summaries that exist, `kept` (household -> its summary as _KEPT reads it), rewritten in place:
    only the columns whose value changed, and a search entry only where its text changed (a save of
    a note changes the summary's time alone; SQLite rewrites the index of every column an UPDATE
    sets, changed or not, and the summary has eleven); the summary and entries of a household
    deleted since removed."""
    derived = {row[0]: row for row in conn.execute(text(f"{_DERIVE} AND h.id IN {_IDS}"), {"ids": json_values(kept)})}
    driver = conn.connection.driver_connection
    gone = [(stored[0],) for hid, stored in kept.items() if hid not in derived]
    if gone:
        for table in ("household_trigram", "household_tokens", "household_summary"):
            driver.executemany(f"DELETE FROM {table} WHERE {'rid' if table == 'household_summary' else 'rowid'} = ?",
                               gone)
    updates: dict[tuple[int, ...], list[tuple]] = {}  # the positions that changed -> (their values..., rid)
    for hid, row in derived.items():
        stored = kept[hid]
        changed = tuple(k for k in range(1, len(_NAMES)) if row[k] != stored[k])
        if changed:
            updates.setdefault(changed, []).append((*(row[k] for k in changed), stored[0]))
    for changed, rows in updates.items():
        driver.executemany(f"UPDATE household_summary SET {', '.join(f'{_NAMES[k]} = ?' for k in changed)} WHERE rid = ?",
                           rows)
    for table, (column, position) in _SEARCH.items():
        changed = [(kept[hid][0], row[position]) for hid, row in derived.items() if row[position] != kept[hid][position]]
        if changed:
            driver.executemany(f"DELETE FROM {table} WHERE rowid = ?", [(rid,) for rid, _ in changed])
            driver.executemany(f"INSERT INTO {table} (rowid, {column}) VALUES (?, ?)", changed)


def refresh_flags(conn: Connection, household_ids: Iterable[str]) -> None:
    """Recompute only what the list's check boxes read (the last visit month, the zero-employment
    spans) for the given households: enough after saving a job or a visit, which the search text
    does not contain."""
    ids = list(dict.fromkeys(household_ids))
    if not ids:
        return
    params = {"ids": json_values(ids)}
    conn.execute(text(f"UPDATE household_summary SET last_visit_month = "
                      f"{_LAST_VISIT.format(household='household_summary.household_id')} "
                      f"WHERE household_id IN {_IDS}"), params)
    _replace_spans(conn, ids)


def spans_are_stale(conn: Connection) -> bool:
    """Were the zero-employment spans derived under an older definition than core.indicators' or
    another working age than the county's (span_rule, kept in profile_meta)? A read: opening a
    current profile writes nothing."""
    row = conn.execute(text("SELECT value FROM profile_meta WHERE key = :k"), {"k": SPAN_RULE_META}).first()
    return row is None or row[0] != span_rule(county_rules_in(conn))


def rederive_spans_if_stale(conn: Connection) -> bool:
    """Rebuild every household's zero-employment spans when they are stale; True if rebuilt."""
    if not spans_are_stale(conn):
        return False
    conn.execute(text("DELETE FROM zero_employment_span"))
    _insert_spans(conn, None)
    conn.execute(text("INSERT OR REPLACE INTO profile_meta (key, value) VALUES (:k, :v)"),
                 {"k": SPAN_RULE_META, "v": span_rule(county_rules_in(conn))})
    return True


def _insert(conn: Connection, ids: list[str] | None, rules: CountyRules | None = None, spans: bool = True) -> None:
    """The summaries and search entries of the households `ids` (every household when None), none of
    which has any now; and their zero-employment spans unless `spans` is False (the caller's)."""
    where, params = ("", {}) if ids is None else (f" AND h.id IN {_IDS}", {"ids": json_values(ids)})
    conn.execute(text(f"INSERT INTO household_summary ({_COLUMNS}) {_DERIVE}{where}"), params)
    if spans:
        _insert_spans(conn, ids, rules)
    new = "FROM household_summary s" + ("" if ids is None else f" WHERE s.household_id IN {_IDS}")
    conn.execute(text(f"INSERT INTO household_trigram (rowid, search_text) SELECT s.rid, s.search_text {new}"), params)
    conn.execute(text(f"INSERT INTO household_tokens (rowid, search_tokens) SELECT s.rid, s.search_tokens {new}"), params)


def fts_phrase(word: str) -> str:
    """An FTS5 string literal for `word`, matched as it is (no operators)."""
    return '"' + word.replace('"', '""') + '"'
