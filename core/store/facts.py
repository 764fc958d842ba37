"""What each household adds to every indicator, kept so that the figures are a sum of stored counts
(milliseconds at 100,000 households) rather than a count of every record again (seconds).

Every count of core.indicators is a number per place that adds up; counted per household (Scope with
`households`), each household's counts are its IndicatorFact, and IndicatorTotal holds their sums per
settlement and grid. A write that touches households (a save, a delete, a pulled page) counts those
households again in the same transaction and adds the difference to the totals (`refresh_facts`).

The facts are of one month (the counts read the month, its year and the members' ages that month)
under the county's rules: the stamp in profile_meta says which. A new month, new rules or a new
definition (FACTS_RULE) makes them stale; `prepare_facts` then counts every household again, a chunk
per transaction so saves go on meanwhile, resuming where it stopped if interrupted. Counts that change
with the day (a grievance passing its deadline) are never kept: they are counted at every asking.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import Connection, bindparam, delete, insert, select, text
from sqlalchemy.orm import Session

from core.among import among_param, json_values
from core.indicators import CountyRules, Scope, count_by_place, month_of
from core.models import Household, IndicatorFact, IndicatorTotal, ProfileMeta

FACTS_RULE = "1"  # raised whenever what a part counts changes
STAMP_META, COMPLETE_META = "indicator_facts", "indicator_facts_complete"
CHUNK = 2000
Place = tuple[str | None, str | None]


class PreparingStopped(Exception):
    """Raised by a progress callback to stop preparing between chunks (the app is closing): what was
    counted is kept, and the next asking goes on from there."""


def current_day() -> date:
    """The day whose month the store keeps figures for (today; a test may hold it still)."""
    return date.today()


def stamp_of(month: str, rules: CountyRules) -> str:
    return f"{month}|{FACTS_RULE}|{rules!r}"


def _meta(session: Session, key: str) -> str | None:
    """A setting of the profile, read through the session (what it holds unwritten flushed first)."""
    return session.execute(_SETTING, {"key": key}).scalar()


def facts_ready(session: Session, today: date, rules: CountyRules) -> bool:
    """Whether the kept facts are every household's, of today's month, under these rules."""
    stamp = stamp_of(month_of(today), rules)
    return _meta(session, STAMP_META) == stamp and _meta(session, COMPLETE_META) == stamp


def refresh_facts(session: Session, household_ids: Iterable[str], today: date, rules: CountyRules) -> None:
    """Count the given households again and add the difference to the totals. Nothing to do while the
    facts are of another month or rules (prepare_facts will count every household)."""
    session.flush()  # the transaction's records, written: the counts below read the database
    if _meta(session, STAMP_META) != stamp_of(month_of(today), rules):
        return
    ids = sorted(set(household_ids) - {None, ""})
    for start in range(0, len(ids), 500):
        _refresh_chunk(session, ids[start:start + 500], today, rules)


# Built once (a save runs them for its household): Core, not the ORM's unit of work, whose flush of
# one fact cost more than counting it.
_SETTING = select(ProfileMeta.value).where(ProfileMeta.key == bindparam("key"))
_PLACES = select(Household.id, Household.settlement_id, Household.grid_id).where(
    among_param(Household.id, "ids"), Household.deleted.is_(False))
_KEPT = select(IndicatorFact.household_id, IndicatorFact.month, IndicatorFact.settlement_id, IndicatorFact.grid_id,
               IndicatorFact.counts).where(
    among_param(IndicatorFact.household_id, "ids"))
_FORGET = delete(IndicatorFact).where(among_param(IndicatorFact.household_id, "ids"))


def _refresh_chunk(session: Session, ids: list[str], today: date, rules: CountyRules) -> None:
    month = month_of(today)
    counted = count_by_place(session, today, rules, Scope(households=tuple(ids)), which="kept")
    conn, given = session.connection(), {"ids": json_values(ids)}
    places = {hid: (sid or "", gid or "") for hid, sid, gid in conn.execute(_PLACES, given)}
    kept = {hid: (fact_month, settlement or "", grid or "", counts or {})
            for hid, fact_month, settlement, grid, counts in conn.execute(_KEPT, given)}
    change: Counter = Counter()
    forget, facts = [], []
    for hid in ids:
        now = None
        if hid in places:  # else deleted: it counts no more
            counts = {k: n for k, n in counted.get((hid, hid), Counter()).items() if n}
            now = (month, *places[hid], counts)
        was = kept.get(hid)
        if now == was:  # the save changed nothing the indicators count (a note, a phone): nothing to write
            continue
        if was is not None:
            forget.append(hid)
            _, settlement, grid, counts = was
            for name, n in counts.items():
                change[(settlement, grid, name)] -= n
        if now is not None:
            _, settlement, grid, counts = now
            for name, n in counts.items():
                change[(settlement, grid, name)] += n
            facts.append({"household_id": hid, "month": month, "settlement_id": settlement or None,
                          "grid_id": grid or None, "counts": counts})
    if forget:
        conn.execute(_FORGET, {"ids": json_values(forget)})
    if facts:
        conn.execute(insert(IndicatorFact), facts)
    _add_to_totals(conn, month, change)


def _add_to_totals(conn: Connection, month: str, change: Counter) -> None:
    rows = [{"m": month, "s": s, "g": g, "name": name, "n": n} for (s, g, name), n in change.items() if n]
    if rows:
        conn.execute(text("INSERT INTO indicator_total (month, settlement_id, grid_id, name, n) "
                          "VALUES (:m, :s, :g, :name, :n) ON CONFLICT (month, settlement_id, grid_id, name) "
                          "DO UPDATE SET n = n + excluded.n"), rows)


def prepare_facts(write: Callable[[Callable[[Session], object]], object], read: Callable, today: date,
                  rules: CountyRules, progress: Callable[[int, int], None] | None = None) -> None:
    """Make the kept facts every household's of today's month under `rules`: when stale, start again
    (the stamp first, so saves meanwhile keep their households' facts), then count the households
    without facts of the month, CHUNK to a transaction, and say complete. `write(fn)` and `read(fn)` run
    fn in a write or a read transaction of the store; `progress` may raise PreparingStopped."""
    month, stamp = month_of(today), stamp_of(month_of(today), rules)

    def restart(s: Session) -> None:
        if _meta(s, STAMP_META) != stamp:
            s.execute(delete(IndicatorFact))
            s.execute(delete(IndicatorTotal))
            s.merge(ProfileMeta(key=STAMP_META, value=stamp))
            s.execute(delete(ProfileMeta).where(ProfileMeta.key == COMPLETE_META))

    write(restart)
    missing = select(Household.id).where(Household.deleted.is_(False), Household.id.not_in(
        select(IndicatorFact.household_id).where(IndicatorFact.month == month))).order_by(Household.id)
    todo = read(lambda s: list(s.execute(missing).scalars()))
    for start in range(0, len(todo), CHUNK):
        write(lambda s, chunk=todo[start:start + CHUNK]: refresh_facts(s, chunk, today, rules))
        if progress is not None:
            progress(min(start + CHUNK, len(todo)), len(todo))
    write(lambda s: s.merge(ProfileMeta(key=COMPLETE_META, value=stamp))
          if _meta(s, STAMP_META) == stamp else None)


def forget_facts(session: Session) -> None:
    """Many records loaded at once (demo data, reference data): the facts are counted again when next asked."""
    session.execute(delete(ProfileMeta).where(ProfileMeta.key == COMPLETE_META))
    session.execute(delete(ProfileMeta).where(ProfileMeta.key == STAMP_META))


def kept_counts(session: Session, today: date, scope: Scope) -> dict[Place, Counter]:
    """The totals per place (settlement, grid) of today's month, within `scope`."""
    stmt = select(IndicatorTotal.settlement_id, IndicatorTotal.grid_id, IndicatorTotal.name, IndicatorTotal.n).where(
        IndicatorTotal.month == month_of(today), IndicatorTotal.n != 0)
    if scope.settlement_id:
        stmt = stmt.where(IndicatorTotal.settlement_id == scope.settlement_id)
    if scope.grid_id:
        stmt = stmt.where(IndicatorTotal.grid_id == scope.grid_id)
    found: dict[Place, Counter] = {}
    for settlement, grid, name, n in session.execute(stmt):
        found.setdefault((settlement or None, grid or None), Counter())[name] = n
    return found


TOUCHED = "anju_touched_households"  # Session.info key: households a write transaction changed


def touch(session: Session, *household_ids: str | None) -> None:
    """Note households whose records this transaction changed (their facts are counted again before it commits)."""
    session.info.setdefault(TOUCHED, set()).update(h for h in household_ids if h)
