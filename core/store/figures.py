"""The figures of a profile, read through its store (a part of Store): this month's from the counts kept
per household (core.store.facts), others counted from the records, the households behind a figure, and
the county's settings the figures follow."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from core import validation as v
from core.changes import Changes
from core.indicators import (
    CountyRules, Figure, IndicatorReport, Indicators, Scope, compute_report, count_by_place, households_behind,
    month_of, report_of,
)
from core.indicators.trend import indicator_trend
from core.models import COUNTY_SETTINGS_ID, CountySettings
from core.store import facts
from core.store.facts import facts_ready, kept_counts, prepare_facts
from core.store.journal import Actor, record_upsert
from core.store.records import row_to_dict
from core.store.summary import rederive_spans_if_stale

if TYPE_CHECKING:
    from core.store.store import SaveResult


class FiguresMixin:
    """Store's figures; the Store gives reading(), writing(), meta() and actor."""

    actor: Actor
    reading: Callable[[], AbstractContextManager[Session]]
    writing: Callable[[], AbstractContextManager[Session]]
    meta: Callable[[str], str | None]

    def indicators(self, today: date | None = None, scope: Scope | None = None) -> Indicators:
        """Every figure of the profile (or of one settlement or grid) on `today`."""
        return self.indicator_report(today, scope).total

    def indicator_report(self, today: date | None = None, scope: Scope | None = None,
                         progress: Callable[[int, int], None] | None = None) -> IndicatorReport:
        """Every figure, everywhere and per settlement and grid (the dashboard's breakdown). This
        month's are sums of what the store keeps per household (core.store.facts), prepared first when
        the month or the county's rules changed (`progress(done, of)`); another month's are counted."""
        today, scope, rules = today or date.today(), scope or Scope(), self.county_rules()
        if month_of(today) != month_of(facts.current_day()) or scope.households is not None:
            with self.reading() as s:
                return compute_report(s, today, rules, scope)
        with self.reading() as s:
            ready = facts_ready(s, today, rules)
        if not ready:
            prepare_facts(self._in_writing, self._in_reading, today, rules, progress)
        with self.reading() as s:
            places = kept_counts(s, today, scope)
            for place, counts in count_by_place(s, today, rules, scope, which="live").items():
                places.setdefault(place, Counter()).update(counts)
        return report_of(places, today, rules)

    def _in_writing(self, job: Callable[[Session], object]) -> object:
        with self.writing() as s:
            return job(s)

    def _in_reading(self, job: Callable[[Session], object]) -> object:
        with self.reading() as s:
            return job(s)

    def indicator_trend(self, today: date | None = None, scope: Scope | None = None) -> dict[str, dict[str, Figure]]:
        """The twelve months to today's: zero-employment households and visit coverage."""
        with self.reading() as s:
            return indicator_trend(s, today or date.today(), self.county_rules(), scope or Scope())

    def households_behind(self, key: str, today: date | None = None, scope: Scope | None = None) -> list[str]:
        """Ids of the households behind figure `key` (core.indicators.INDICATOR_KEYS)."""
        with self.reading() as s:
            return households_behind(s, key, today or date.today(), self.county_rules(), scope or Scope())

    def county_rules(self) -> CountyRules:
        """The county's working age, round coverage, targets and grievance time limits (its settings
        record, pulled from the county server; the policy's own figures until it has one)."""
        return CountyRules.from_settings(self.county_settings())

    def county_settings(self) -> dict | None:
        with self.reading() as s:
            row = s.get(CountySettings, COUNTY_SETTINGS_ID)
            return row_to_dict(row) if row is not None and not row.deleted else None

    def save_county_settings(self, data: dict, today: date | None = None) -> SaveResult:
        """The county's settings: only a county admin's profile changes them (the server checks too).
        A new working age re-derives every household's zero-employment months."""
        if self.meta("role") != "admin":
            raise v.ValidationError([v.Problem("working_age_min", "县级设置只有县管理员可以修改。",
                                               "Only a county admin changes the county's settings.", "error")])
        from core.store.store import SaveResult  # noqa: F811 - Store's own result, defined beside it

        clean, problems = v.normalize(CountySettings, {**data, "id": COUNTY_SETTINGS_ID})
        v.raise_if_errors(problems)
        problems += v.validate_county_settings(clean, today or date.today())
        v.raise_if_errors(problems)
        with self.writing() as s:
            row, _ = record_upsert(s, self.actor, CountySettings, clean)
            s.flush()
            rederive_spans_if_stale(s.connection())
        return SaveResult(row.id, v.warnings(problems), Changes.of_rows([row]))

