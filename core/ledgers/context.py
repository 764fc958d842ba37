"""What every ledger reads from: one snapshot of the profile, the period, the place, and the few lookups
(labels of codes, places, each member's work in the month) that the ledgers share.

Ledgers stream their rows: each query yields rows a thousand at a time, and what a row needs of other
tables (the month's job, the month's visit) is read once into a dict keyed by member, not asked per row.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, case, or_, select
from sqlalchemy.orm import Bundle, Session

from core.codes import code_lists
from core.idcard import mask_id_number, mask_phone
from core.indicators import CountyRules, IndicatorReport, Indicators
from core.models import Area, Employment, Grid, Household, Member, Settlement, Visit, VisitMember

CHUNK = 1000
# What a ledger shows of a member's job in the month: columns, not whole records, so that 100,000 members'
# jobs held at once stay small.
JOB_FIELDS = (Employment.member_id, Employment.channel, Employment.scope, Employment.place, Employment.employer,
              Employment.sector, Employment.monthly_income, Employment.contract_term, Employment.has_social_insurance)
NO_SETTLEMENT = ""  # settlement_id of a sheet of the households not placed in any settlement
HEAD_FIRST = case((Member.relation == "head", 0), (Member.relation == "spouse", 1), else_=2)


@dataclass
class LedgerContext:
    """One export's view of the profile. `settlement_id` narrows it to one settlement (a sheet of its
    own); `grid_id` to one grid. `masked` hides ID numbers and phones."""

    session: Session
    month: str                      # the period, 'YYYY-MM'
    made: date                      # the day the ledger is made
    rules: CountyRules
    masked: bool = True
    settlement_id: str | None = None
    grid_id: str | None = None
    # The indicators of a month, everywhere in the sheet's place and per settlement and grid (the store's
    # indicator_report): the 30% figure, the 月调度表, the 季度通报.
    report_of: Callable[[str], IndicatorReport] | None = None
    _cache: dict = field(default_factory=dict)

    # -- values as a ledger shows them ---------------------------------------------------------
    def label(self, list_name: str, code: str | None) -> str:
        return code_lists().label(list_name, code) if code else ""

    def labels(self, list_name: str, codes: list[str] | None) -> str:
        return "、".join(self.label(list_name, c) for c in codes or [])

    def id_number(self, value: str | None) -> str:
        return (mask_id_number(value) if self.masked else value) or ""

    def phone(self, value: str | None) -> str:
        return (mask_phone(value) if self.masked else value) or ""

    def health(self, code: str | None) -> str:
        """Health is personal data of the most sensitive kind: shown only in an unmasked export."""
        return "（已遮挡）" if self.masked and code else self.label("health", code)

    def disability(self, category: str | None, level: str | None) -> tuple[str, str]:
        """Disability is health data too: its category and level only in an unmasked export (the 残 of
        the 鳏寡孤独残 ledger still says who is counted, which is that ledger's purpose)."""
        if self.masked and (category or level):
            return "（已遮挡）", ""
        return self.label("disability_category", category), self.label("disability_level", level)

    @staticmethod
    def yes(flag: bool | None) -> str:
        return "是" if flag else "否"

    @property
    def year(self) -> int:
        return int(self.month[:4])

    def age(self, birth: date | None) -> int | None:
        """Whole years at the end of the period's month."""
        if birth is None:
            return None
        year, month = int(self.month[:4]), int(self.month[5:])
        return year - birth.year - (1 if month < birth.month else 0)

    def report(self, month: str | None = None) -> IndicatorReport:
        if self.report_of is None:
            raise RuntimeError("this ledger needs the indicators, and the export gave none")
        month = month or self.month
        if ("report", month) not in self._cache:
            self._cache[("report", month)] = self.report_of(month)
        return self._cache[("report", month)]

    def figures(self) -> Indicators:
        """The period's indicators of the sheet's place."""
        return self.report().total

    # -- places ----------------------------------------------------------------------------------
    def _places(self) -> tuple[dict, dict]:
        if "places" not in self._cache:
            settlements = {r.id: r for r in self.session.execute(select(Settlement)).scalars()}
            grids = {r.id: r for r in self.session.execute(select(Grid)).scalars()}
            self._cache["places"] = (settlements, grids)
        return self._cache["places"]

    def settlement_name(self, sid: str | None) -> str:
        found = self._places()[0].get(sid)
        return found.name if found else ""

    def grid_name(self, gid: str | None) -> str:
        found = self._places()[1].get(gid)
        return found.name if found else ""

    def address(self, h: Household) -> str:
        parts = [self.settlement_name(h.settlement_id), f"{h.building}栋" if h.building else "",
                 f"{h.unit}单元" if h.unit else "", f"{h.room}室" if h.room else ""]
        return "".join(parts)

    def unit_name(self) -> str:
        """填报单位: the settlement (and grid) of the sheet, or the villages of the profile's grids."""
        settlements, grids = self._places()
        if self.grid_id:
            g = grids.get(self.grid_id)
            return f"{self.settlement_name(g.settlement_id)} {g.name}" if g else ""
        if self.settlement_id is not None:
            return self.settlement_name(self.settlement_id) or "未分安置点的户"
        codes = sorted({g.village_code for g in grids.values() if not g.deleted and g.village_code})
        found = self.session.execute(select(Area.code, Area.name).where(Area.code.in_(codes))).all() if codes else []
        names = dict(found)
        villages = [names.get(c, c) for c in codes]
        return "、".join(villages[:3]) + ("等" if len(villages) > 3 else "") or "全部安置点"

    # -- the households and members of the sheet -----------------------------------------------
    def in_place(self, stmt: Select) -> Select:
        """Live households of the sheet's place (the statement must select from or join Household)."""
        stmt = stmt.where(Household.deleted.is_(False))
        if self.settlement_id == NO_SETTLEMENT:
            stmt = stmt.where(Household.settlement_id.is_(None))
        elif self.settlement_id:
            stmt = stmt.where(Household.settlement_id == self.settlement_id)
        if self.grid_id:
            stmt = stmt.where(Household.grid_id == self.grid_id)
        return stmt

    def households(self, *where) -> Iterator[Household]:  # noqa: ANN002 - conditions on Household
        stmt = self.in_place(select(Household).where(*where)).order_by(Household.household_no)
        yield from self.session.execute(stmt.execution_options(yield_per=CHUNK)).scalars()

    def members(self, *where) -> Iterator[tuple[Member, Household]]:  # noqa: ANN002 - conditions on Member
        """Members who have not left, with their household, by household number, the head first. Rows
        with the records' attributes rather than ORM records: a third quicker over 100,000 members."""
        stmt = (select(Bundle("m", *Member.__table__.c), Bundle("h", *Household.__table__.c))
                .join_from(Member.__table__, Household.__table__, Household.id == Member.household_id)
                .where(Member.deleted.is_(False), Member.status != "removed", *where))
        # by number, then by household (two households may share a number), the head first
        stmt = self.in_place(stmt).order_by(Household.household_no, Household.id, HEAD_FIRST, Member.birth_date)
        for m, h in self.session.execute(stmt.execution_options(yield_per=CHUNK)):
            yield m, h

    def count(self, stmt: Select) -> int:
        from sqlalchemy import func

        return self.session.execute(select(func.count()).select_from(self.in_place(stmt).subquery())).scalar_one()

    # -- each member's work in the period ------------------------------------------------------
    def jobs_of_month(self) -> dict[str, Employment]:
        """Each member's job covering the month (the latest begun, should periods overlap)."""
        if "jobs" not in self._cache:
            stmt = (select(*JOB_FIELDS).join(Household, Household.id == Employment.household_id)
                    .where(Employment.deleted.is_(False), Employment.start_month <= self.month,
                           or_(Employment.end_month.is_(None), Employment.end_month >= self.month))
                    .order_by(Employment.start_month))
            self._cache["jobs"] = {j.member_id: j for j in self.session.execute(self.in_place(stmt))}
        return self._cache["jobs"]

    def visits_of_month(self) -> dict[str, VisitMember]:
        """Each member's row in their household's visit of the month."""
        if "visits" not in self._cache:
            stmt = (select(VisitMember.member_id, VisitMember.employment_status, VisitMember.income,
                           VisitMember.place_code, VisitMember.sector)
                    .join(Visit, Visit.id == VisitMember.visit_id)
                    .join(Household, Household.id == Visit.household_id)
                    .where(and_(Visit.month == self.month, Visit.deleted.is_(False), VisitMember.deleted.is_(False))))
            self._cache["visits"] = {r.member_id: r for r in self.session.execute(self.in_place(stmt))}
        return self._cache["visits"]

    def work_status(self, member_id: str) -> str:
        """The member's work in the month, as the indicators count it (core.indicators.base.employed_in):
        the month's visit when it records the member, else a job covering the month; '' when neither."""
        seen = self.visits_of_month().get(member_id)
        if seen is not None and seen.employment_status:
            return seen.employment_status
        return "employed" if member_id in self.jobs_of_month() else ""
