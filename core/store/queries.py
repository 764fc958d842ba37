"""The household list: filters, sorting, paging and search-as-you-type over the summary table."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from core.address import address_text
from core.idcard import mask_id_number, mask_phone
from core.indicators import DEFAULT_RULES, CountyRules, Scope, behind_condition, is_overdue_condition, month_of
from core.models import Grid, Grievance, Household, HouseholdSummary, Settlement, Visit, ZeroEmploymentSpan
from core.store import search
from core.store.search import count_matches, hits_up_to, text_conditions


@dataclass(frozen=True)
class HouseholdFilter:
    """What the household list is narrowed to; every field left None means 'any'."""

    text: str = ""
    settlement_id: str | None = None
    grid_id: str | None = None
    monitoring_category: str | None = None
    monitored_only: bool = False
    zero_employment: bool | None = None
    overdue_grievance: bool | None = None
    not_visited_this_month: bool | None = None
    behind: str | None = None  # a figure's key (core.indicators.INDICATOR_KEYS): the households behind it
    scope: Scope | None = None  # with `behind`: the figure of one settlement or grid
    rules: CountyRules = DEFAULT_RULES
    today: date = field(default_factory=date.today)


@dataclass(frozen=True)
class HouseholdRow:
    """One line of the household list; ID number and phone are masked."""

    id: str
    household_no: str
    head_name: str
    head_id_masked: str
    phone_masked: str
    settlement: str
    grid: str
    address: str
    member_count: int
    monitoring_category: str | None
    updated_at: datetime


# Each sort key is an indexed column of the summary, so a page is read in order, not sorted.
SORT_KEYS = {
    "household_no": HouseholdSummary.household_no,
    "head_name": HouseholdSummary.head_name,
    "address": HouseholdSummary.address_key,
    "updated_at": HouseholdSummary.updated_at,
    "member_count": HouseholdSummary.member_count,
}


# The household's own filters, read from the summary's copies of its fields: (field, value, what a
# NULL reads as in a row check). Narrowest kind first: a count is driven by the first one present.
def _household_conditions(f: HouseholdFilter) -> list[tuple[str, object, object]]:
    """The filters on the household's own fields, each the same households as the same condition on
    the household table (tests/core/test_list_filters.py)."""
    conds: list[tuple[str, object, object]] = []
    if f.grid_id:
        conds.append(("grid_id", f.grid_id, ""))
    if f.monitoring_category:
        conds.append(("monitoring_category", f.monitoring_category, ""))
    if f.monitored_only:  # a monitoring category and no cleared month
        conds.append(("monitored", True, False))
    if f.settlement_id:
        conds.append(("settlement_id", f.settlement_id, ""))
    return conds


def _own(field_name: str, value: object):  # noqa: ANN202
    """The condition on HouseholdSummary or an alias of it, answered from the field's index."""
    return lambda s: getattr(s, field_name) == value


def _row_check(field_name: str, value: object, null: object) -> ColumnElement[bool]:
    """The same condition in a form no index answers (coalesce), checked on rows another condition found."""
    return func.coalesce(getattr(HouseholdSummary, field_name), null) == value


# The check boxes of the list, each the same households as its condition in core.indicators
# (zero_employment_condition, overdue_grievance_condition, not visited_condition), but answered
# from a set found once rather than by a query per household (tests/core/test_list_filters.py).
def _zero_employment(s, month: str) -> ColumnElement[bool]:  # noqa: ANN001 - HouseholdSummary or an alias
    spans = select(ZeroEmploymentSpan.household_id).where(ZeroEmploymentSpan.after_month < month,
                                                           ZeroEmploymentSpan.before_month > month)
    return s.household_id.in_(spans)


def _overdue_grievance(s, today: date, rules: CountyRules) -> ColumnElement[bool]:  # noqa: ANN001
    overdue = select(Grievance.household_id).where(Grievance.deleted.is_(False), is_overdue_condition(today, rules))
    return s.household_id.in_(overdue)


def _not_visited(s, month: str) -> ColumnElement[bool]:  # noqa: ANN001
    """From the latest month visited alone, unless the household has a visit dated after `month`."""
    visit = exists().where(Visit.household_id == s.household_id, Visit.deleted.is_(False), Visit.month == month)
    return or_(s.last_visit_month < month, and_(s.last_visit_month > month, not_(visit)))


def _behind(s, f: HouseholdFilter) -> ColumnElement[bool]:  # noqa: ANN001
    """The households behind a figure of the dashboard: its own condition, asked of every household."""
    scope = f.scope or Scope()
    found = select(Household.id).where(Household.deleted.is_(False), *scope.condition(),
                                       behind_condition(f.behind, f.today, f.rules))
    return s.household_id.in_(found)


def _is_lookup(condition: ColumnElement[bool]) -> bool:
    """Whether a search condition looks its few households up (`rid IN hits`, search.text_conditions)."""
    return getattr(getattr(condition, "left", None), "key", None) == "rid"


def _conditions(session: Session, f: HouseholdFilter, ordered: bool) -> list[ColumnElement[bool]]:
    """The words, the household's own filters and the check boxes, as conditions on HouseholdSummary.

    For a page in sort order, as for a search word: a condition with few households (under
    search.BROAD) is looked up from its index and its households sorted; from search.BROAD on, its
    households are found first and the sort index is walked in order against them (`rid + 0`), so the
    page stops once full instead of sorting every match. When some condition is narrow, the
    household's own filters are checked on the few rows it finds (`_row_check`) rather than gathered.
    A box asking for the households *without* the flag is read that way too: most households pass,
    and reading the flagged ones once beats testing every household.

    For a count, the first condition is answered from its narrow index and every other one is
    gathered from its own (`rid + 0 IN ...`), so no wide summary row is read to test a condition.
    """
    month = month_of(f.today)
    own = _household_conditions(f)
    words = text_conditions(session, f.text, ordered)
    flags = [(wanted, condition) for wanted, condition in (
        (f.zero_employment, lambda s: _zero_employment(s, month)),
        (f.overdue_grievance, lambda s: _overdue_grievance(s, f.today, f.rules)),
        (f.not_visited_this_month, lambda s: _not_visited(s, month)),
        (True if f.behind else None, lambda s: _behind(s, f))) if wanted is not None]
    walked = HouseholdSummary.rid + 0

    def rids(condition):  # noqa: ANN001, ANN202
        x = aliased(HouseholdSummary)
        return select(x.rid).where(condition(x))

    conds = list(words)
    if not ordered:
        tests = [(True, _own(name, value)) for name, value, _ in own] + flags
        for i, (wanted, condition) in enumerate(tests):
            if wanted and i == 0:
                conds.append(condition(HouseholdSummary))
            else:
                conds.append(walked.in_(rids(condition)) if wanted else walked.not_in(rids(condition)))
        return conds
    narrow = any(_is_lookup(c) for c in words)
    for wanted, condition in flags:
        if wanted and hits_up_to(session, rids(condition), search.BROAD) < search.BROAD:
            conds.append(condition(HouseholdSummary))
            narrow = True
        else:
            conds.append(walked.in_(rids(condition)) if wanted else walked.not_in(rids(condition)))
    if own:
        hits = [hits_up_to(session, rids(_own(name, value)), search.BROAD) for name, value, _ in own]
        driver = hits.index(min(hits)) if min(hits) < search.BROAD else None
        for i, (name, value, null) in enumerate(own):
            if i == driver:
                conds.append(_own(name, value)(HouseholdSummary))
            elif narrow or driver is not None:
                conds.append(_row_check(name, value, null))
            else:
                conds.append(walked.in_(rids(_own(name, value))))
    return conds


def _matching(session: Session, f: HouseholdFilter, ordered: bool, *columns) -> Select:  # noqa: ANN002
    """The summary rows of the live households that pass the filter.

    The summary holds live households only, and copies of every field a filter reads: the household
    table is never joined, so the planner walks a sort index of the summary and stops at a full page.
    """
    return select(*columns).select_from(HouseholdSummary).where(*_conditions(session, f, ordered))


def list_households(session: Session, f: HouseholdFilter, sort: str = "household_no", descending: bool = False,
                    offset: int = 0, limit: int = 100, lang: str = "zh") -> list[HouseholdRow]:
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}; one of {sorted(SORT_KEYS)}")
    key = SORT_KEYS[sort]
    order = (key.desc(), HouseholdSummary.rid.desc()) if descending else (key.asc(), HouseholdSummary.rid.asc())
    # First the page's summary row ids (an index walk), then the columns of just those rows.
    page = _matching(session, f, True, HouseholdSummary.rid).order_by(*order).offset(offset).limit(limit).subquery()
    stmt = (select(Household.id, Household.household_no, HouseholdSummary.head_name, HouseholdSummary.head_id_number,
                   Household.phone, Settlement.name, Grid.name, Household.building, Household.unit, Household.room,
                   HouseholdSummary.member_count, Household.monitoring_category, Household.updated_at)
            .select_from(page).join(HouseholdSummary, HouseholdSummary.rid == page.c.rid)
            .join(Household, Household.id == HouseholdSummary.household_id)
            .outerjoin(Settlement, Settlement.id == Household.settlement_id).outerjoin(Grid, Grid.id == Household.grid_id)
            .order_by(*order))
    rows = session.execute(stmt).all()
    return [HouseholdRow(id=r[0], household_no=r[1], head_name=r[2], head_id_masked=mask_id_number(r[3] or ""),
                         phone_masked=mask_phone(r[4] or ""), settlement=r[5] or "", grid=r[6] or "",
                         address=address_text(r[7], r[8], r[9], lang), member_count=r[10], monitoring_category=r[11],
                         updated_at=r[12]) for r in rows]


def count_households(session: Session, f: HouseholdFilter) -> int:
    if f == HouseholdFilter(text=f.text, today=f.today):  # only words: their indexes count them
        exact = count_matches(session, f.text)
        if exact is not None:
            return exact
    return int(session.execute(_matching(session, f, False, func.count())).scalar_one())
