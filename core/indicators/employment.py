"""零就业家庭 and 至少一人就业: "有劳动能力和就业意愿的搬迁家庭实现至少一人就业", "确保零就业家庭动态清零"
(随县《打造"稳得住、能致富"安置区实施方案》; 钦州港片区《强化易地搬迁后续扶持三年行动方案》)."""
from __future__ import annotations

import functools
from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement, Connection, Integer, String, and_, bindparam, case, cast, exists, func, literal, not_, or_,
    select, type_coerce, union,
)
from sqlalchemy.orm import Session

from core.indicators.base import (
    built_once,
    DEFAULT_RULES, CountyRules, Month, able_and_willing, able_and_willing_in_some_month, add_months, birth_plus,
    employed_in, in_household,
    live_member, working_age,
)
from core.among import among_bound, json_values
from core.models import Employment, Household, Member, Visit
from core.prepared import rows_of

# Raised whenever zero_employment_condition changes: a profile's derived spans are rebuilt on opening
# (the working-age range of the county's rules is part of the stamp, span_rule).
ZERO_EMPLOYMENT_RULE = "2"


def span_rule(rules: CountyRules) -> str:
    """What the stored spans were derived under: the definition's version and the working age."""
    low, high = rules.working_age
    return ZERO_EMPLOYMENT_RULE if rules.working_age == DEFAULT_RULES.working_age else f"{ZERO_EMPLOYMENT_RULE}:{low}-{high}"


@built_once
def employed_household_condition(month: Month, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """At least one member of working age employed in `month` (a member who works is able and willing
    by the fact of working, whatever their codes say)."""
    return in_household(live_member(), working_age(month, rules), employed_in(month))


@built_once
def labour_household_condition(month: Month, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """"有劳动能力和就业意愿的搬迁家庭": a member of working age able and willing to work, or working."""
    return or_(in_household(able_and_willing(month, rules)), employed_household_condition(month, rules))


@built_once
def zero_employment_condition(month: Month, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """零就业家庭: "确保零就业家庭动态清零"; "有劳动能力和就业意愿的搬迁家庭实现至少一人就业".

    The household has at least one member of working age, able to work (labour_skill skilled,
    ordinary or weak) and willing to work (a job_need other than 'none'), and none of its members of
    working age is employed in `month` (that month's visit when there is one, else the job records).
    """
    return and_(in_household(able_and_willing(month, rules)), not_(employed_household_condition(month, rules)))


@built_once
def cleared_zero_employment_condition(month: str, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """动态清零: zero-employment last month and no longer in `month` ("确保零就业家庭动态清零")."""
    return and_(zero_employment_condition(add_months(month, -1), rules), not_(zero_employment_condition(month, rules)))


def _next_month(month: ColumnElement[str]) -> ColumnElement[str]:
    year, mon = cast(func.substr(month, 1, 4), Integer), cast(func.substr(month, 6, 2), Integer)
    return case((mon == 12, func.printf("%04d-01", year + 1)), else_=func.printf("%04d-%02d", year, mon + 1))


def _turning_points(limited: bool, rules: CountyRules):  # noqa: ANN202 - a subquery
    """Every month where a household's zero-employment state may change, and '' (all months before);
    `limited`: only of the households in the JSON array bound to `hids`."""
    def only(column):  # noqa: ANN001, ANN202 - the ids as one JSON parameter (core.among): one statement text
        return [among_bound(column, bindparam("hids", type_=String))] if limited else []

    # A member's birthdays change the state only if their age can count: they may be able and
    # willing, or they have a job record (a deleted one too: a month asked for nothing is harmless).
    # A visit's word counts only in its own month, a turning point already.
    birth = and_(Member.birth_date.is_not(None),
                 or_(able_and_willing_in_some_month(), exists().where(Employment.member_id == Member.id)))
    low, high = rules.working_age
    return union(
        select(Household.id.label("hid"), literal("").label("month")).where(*only(Household.id)),
        select(Employment.household_id, Employment.start_month).where(*only(Employment.household_id)),
        select(Employment.household_id, _next_month(Employment.end_month))
        .where(Employment.end_month.is_not(None), *only(Employment.household_id)),
        select(Visit.household_id, Visit.month).where(*only(Visit.household_id)),
        select(Visit.household_id, _next_month(Visit.month)).where(*only(Visit.household_id)),
        *(select(Member.household_id, birth_plus(years)).where(birth, *only(Member.household_id))
          for years in (low, high + 1)),
    ).subquery()


@functools.lru_cache(maxsize=8)
def _spans_statement(limited: bool, rules: CountyRules):  # noqa: ANN202 - a select
    """Built once per rules (building it cost more than running it, at every save): the households'
    states at each of their turning points."""
    points = _turning_points(limited, rules)
    # The state as SQLite's 0 or 1 (the spans ask only whether it holds), not turned into a bool row
    # by row: a tenth of a first download's writing of its pages.
    zero = type_coerce(zero_employment_condition(points.c.month, rules), Integer)
    # A household with no member able and willing in any month is never zero-employment: not asked.
    return (select(points.c.hid, points.c.month, zero)
            .join_from(points, Household, Household.id == points.c.hid)
            .where(Household.deleted.is_(False), in_household(able_and_willing_in_some_month()))
            .order_by(points.c.hid, points.c.month))


def zero_employment_spans(conn: Connection | Session, household_ids: Iterable[str] | None = None,
                          rules: CountyRules = DEFAULT_RULES) -> list[tuple[str, str, str]]:
    """(household id, after month, before month): the household is zero-employment in every month M
    with after < M < before ('' = always before, '~' = never after), found by asking
    zero_employment_condition itself at every month where its answer may change."""
    if household_ids is None:
        rows = conn.execute(_spans_statement(False, rules))
    else:
        rows = rows_of(conn, _spans_statement(True, rules), {"hids": json_values(household_ids)}, ("hids",))
    spans, open_span = [], None
    last_hid = None
    for hid, month, zero in rows:
        if hid != last_hid:
            if open_span:
                spans.append((*open_span, "~"))
            open_span, last_hid = None, hid
        if zero and open_span is None:
            open_span = (hid, add_months(month, -1) if month else "")
        elif not zero and open_span is not None:
            spans.append((*open_span, month))
            open_span = None
    if open_span:
        spans.append((*open_span, "~"))
    return spans
