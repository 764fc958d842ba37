"""The ledgers of monitoring: 零就业家庭台账, 月度监测台账, 月调度表 and 防返贫监测对象台账.

"实行月调度动态监测,2023年至2025年每年完成监测不少于12期(次)" and "零就业家庭动态清零"
(《钦州港片区强化易地搬迁后续扶持三年行动方案（2023—2025年）》).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby

from sqlalchemy import func, select

from core.indicators import add_months
from core.indicators.people import labour_member_condition
from core.ledgers.context import LedgerContext
from core.ledgers.layout import Column
from core.ledgers.spec import Ledger
from core.models import Household, Measure, Member, Visit, ZeroEmploymentSpan

HOUSEHOLD = (Column("户编号", "no"), Column("户主姓名", "name"), Column("户主身份证号", "id"),
             Column("联系电话", "phone"), Column("住址", "long"), Column("网格", "place"))


def _heads(ctx: LedgerContext, ids: list[str] | None = None) -> dict[str, Member]:
    stmt = select(Member).join(Household, Household.id == Member.household_id).where(
        Member.deleted.is_(False), Member.status != "removed", Member.relation == "head")
    if ids is not None:
        stmt = stmt.where(Member.household_id.in_(ids))
    return {m.household_id: m for m in ctx.session.execute(ctx.in_place(stmt)).scalars()}


def _household(ctx: LedgerContext, h: Household, head: Member | None) -> list:
    return [h.household_no, head.name if head else "", ctx.id_number(head.id_number if head else None),
            ctx.phone(h.phone or (head.phone if head else None)), ctx.address(h), ctx.grid_name(h.grid_id)]


def _sizes(ctx: LedgerContext, ids: list[str], *where) -> dict[str, int]:  # noqa: ANN002
    stmt = (select(Member.household_id, func.count()).where(Member.household_id.in_(ids), Member.deleted.is_(False),
                                                            Member.status != "removed", *where)
            .group_by(Member.household_id))
    return dict(ctx.session.execute(stmt).all())


def _household_measures(ctx: LedgerContext, ids: list[str], *categories: str) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    stmt = select(Measure.household_id, Measure.name).where(Measure.household_id.in_(ids), Measure.deleted.is_(False))
    if categories:
        stmt = stmt.where(Measure.category.in_(categories))
    for hid, name in ctx.session.execute(stmt.order_by(Measure.start_date)):
        names[hid].append(name)
    return names


# -- 7 零就业家庭台账 -----------------------------------------------------------------------------
ZERO_COLUMNS = (
    *HOUSEHOLD, Column("家庭人数", "int", total=True), Column("劳动力人数", "int", total=True),
    Column("认定月份", "month", "零就业情况"), Column("清零月份", "month", "零就业情况"),
    Column("本月状态", "code", "零就业情况"), Column("本年次数", "int", "零就业情况"), Column("就业帮扶措施", "long"),
)


def _zero_spans(ctx: LedgerContext) -> list[tuple[str, str, str]]:
    """(household id, after, before) of the spans with a zero-employment month this year up to the period
    (the household is zero-employment in every month M with after < M < before; core.store.summary)."""
    stmt = (select(ZeroEmploymentSpan.household_id, ZeroEmploymentSpan.after_month, ZeroEmploymentSpan.before_month)
            .join(Household, Household.id == ZeroEmploymentSpan.household_id)
            .where(ZeroEmploymentSpan.after_month < ctx.month, ZeroEmploymentSpan.before_month > f"{ctx.year}-01",
                   func.coalesce(ZeroEmploymentSpan.after_month, "") < ZeroEmploymentSpan.before_month)
            .order_by(Household.household_no, ZeroEmploymentSpan.after_month))
    return [tuple(r) for r in ctx.session.execute(ctx.in_place(stmt))]


def _became(h: Household, after: str) -> str:
    """The first zero-employment month of a span, or 建档时 when the span began before the household was
    recorded (a member turning of working age decades ago is not news to the county)."""
    recorded = h.created_at.strftime("%Y-%m") if h.created_at else ""
    first = add_months(after, 1) if after else ""
    return first if first and first >= recorded else "建档时"


def zero_rows(ctx: LedgerContext) -> Iterator[list]:
    """One row a household: its latest span of the year (the month it became zero-employment and, if so,
    the month it was cleared); 本年次数 says how often it became so this year."""
    latest: dict[str, tuple[str, str]] = {}
    times: dict[str, int] = defaultdict(int)
    for hid, after, before in _zero_spans(ctx):
        latest[hid] = (after, before)  # spans come in order of their start
        times[hid] += 1
    ids = sorted(latest)
    households = {h.id: h for h in ctx.session.execute(select(Household).where(Household.id.in_(ids))).scalars()}
    heads, sizes = _heads(ctx, ids), _sizes(ctx, ids)
    labour = _sizes(ctx, ids, labour_member_condition(ctx.month, ctx.rules))
    measures = _household_measures(ctx, ids, "employment", "public_post")
    for h in sorted(households.values(), key=lambda h: (h.household_no, h.id)):
        after, before = latest[h.id]
        cleared = before if before != "~" and before <= ctx.month else ""
        yield [*_household(ctx, h, heads.get(h.id)), sizes.get(h.id, 0), labour.get(h.id, 0),
               _became(h, after), cleared, "已清零" if cleared else "零就业", times[h.id],
               "；".join(measures.get(h.id, []))]


ZERO = Ledger("zero-employment", "零就业家庭台账", ZERO_COLUMNS, zero_rows,
              lambda ctx: len({hid for hid, _, _ in _zero_spans(ctx)}),
              note="本年内曾为零就业家庭的户：有劳动能力和就业意愿的成员，本月无一人就业")


# -- 8 月度监测台账 ---------------------------------------------------------------------------------
VISIT_COLUMNS = (
    Column("户编号", "no"), Column("户主姓名", "name"), Column("网格", "place"),
    Column("走访日期", "date", "走访情况"), Column("走访方式", "code", "走访情况"), Column("走访人", "name", "走访情况"),
    Column("成员姓名", "name", "成员本月情况"), Column("就业状态", "code", "成员本月情况"),
    Column("就业地点代码", "code", "成员本月情况"), Column("行业", "text", "成员本月情况"),
    Column("本月收入(元)", "money", "成员本月情况", total=True), Column("新增风险", "long"), Column("备注", "long"),
)


def visit_rows(ctx: LedgerContext) -> Iterator[list]:
    """Per household and member: the month's visit and what it recorded of each member; a household not
    visited this month is one row saying so."""
    visits = {v.household_id: v for v in ctx.session.execute(ctx.in_place(
        select(Visit).join(Household, Household.id == Visit.household_id)
        .where(Visit.month == ctx.month, Visit.deleted.is_(False)))).scalars()}
    seen = ctx.visits_of_month()
    for _hid, group in groupby(ctx.members(), key=lambda mh: mh[1].id):
        rows = list(group)
        h = rows[0][1]
        head = next((m.name for m, _ in rows if m.relation == "head"), rows[0][0].name)
        v = visits.get(h.id)
        if v is None:
            yield [h.household_no, head, ctx.grid_name(h.grid_id), "", "本月未走访", "", "", "", "", "", None, "", ""]
            continue
        for i, (m, _) in enumerate(rows):
            r = seen.get(m.id)
            yield [h.household_no, head, ctx.grid_name(h.grid_id), v.visit_date.isoformat() if i == 0 else "",
                   ctx.label("visit_method", v.method) if i == 0 else "", v.visitor or "" if i == 0 else "", m.name,
                   ctx.label("monthly_employment_status", r.employment_status) if r else "",
                   r.place_code or "" if r else "", ctx.label("industry_section", r.sector) if r else "",
                   r.income if r else None, v.new_risks or "" if i == 0 else "", v.notes or "" if i == 0 else ""]


def _visit_count(ctx: LedgerContext) -> int:
    return ctx.count(select(Member.id).join(Household, Household.id == Member.household_id)
                     .where(Member.deleted.is_(False), Member.status != "removed"))


def visit_foot(ctx: LedgerContext, _totals) -> list[list]:  # noqa: ANN001
    if ctx.report_of is None:
        return []
    f = ctx.figures().visit_coverage
    return [[f"本月走访 {f.numerator} 户 / 共 {f.denominator} 户，覆盖率 {f.rate:.1%}（县定完成一期的覆盖率 "
             f"{ctx.rules.round_coverage:.0%}）。"]]


VISITS = Ledger("visits", "月度监测台账", VISIT_COLUMNS, visit_rows, _visit_count, foot=visit_foot,
                note="本月走访，按户按人")


# -- 8 月调度表 --------------------------------------------------------------------------------------
DISPATCH_COLUMNS = (
    Column("安置点", "place"), Column("网格", "place"), Column("户数", "int", total=True),
    Column("劳动力人数", "int", "就业", total=True), Column("就业人数", "int", "就业", total=True),
    Column("就业率", "share", "就业"), Column("零就业家庭", "int", "零就业家庭", total=True),
    Column("本月清零", "int", "零就业家庭", total=True), Column("走访户数", "int", "月度监测", total=True),
    Column("走访覆盖率", "share", "月度监测"), Column("本年完成期数", "int", "月度监测"),
    Column("培训人数", "int", "培训", total=True), Column("培训覆盖率", "share", "培训"),
    Column("超期诉求", "int", total=True), Column("监测户未落实措施", "int", total=True),
)


def _dispatch_row(settlement: str, grid: str, f) -> list:  # noqa: ANN001 - core.indicators.Indicators
    by = f.figures()
    return [settlement, grid, f.households, by["employed_members"].denominator, by["employed_members"].numerator,
            f"{by['employed_members'].rate:.1%}", by["zero_employment"].numerator,
            by["cleared_zero_employment"].numerator, by["visit_coverage"].numerator,
            f"{by['visit_coverage'].rate:.1%}", by["monitoring_rounds"].numerator, by["training"].numerator,
            f"{by['training'].rate:.1%}", by["overdue_grievances"].numerator, by["monitored_without_measure"].numerator]


def dispatch_rows(ctx: LedgerContext) -> Iterator[list]:
    """Each grid of each settlement; the totals row adds the grids' counts up."""
    report = ctx.report()
    for (sid, gid), figures in sorted(report.by_grid.items(),
                                      key=lambda kv: (ctx.settlement_name(kv[0][0]), ctx.grid_name(kv[0][1]))):
        yield _dispatch_row(ctx.settlement_name(sid) or "（未分安置点）", ctx.grid_name(gid) or "（未分网格）", figures)


def dispatch_foot(ctx: LedgerContext, _totals) -> list[list]:  # noqa: ANN001
    t = ctx.figures().figures()
    return [[f"全部：就业率 {t['employed_members'].rate:.1%}，走访覆盖率 {t['visit_coverage'].rate:.1%}，"
             f"培训覆盖率 {t['training'].rate:.1%}（目标 {ctx.rules.training_target:.0%}），"
             f"本年完成监测 {t['monitoring_rounds'].numerator} 期。"]]


DISPATCH = Ledger("dispatch", "月调度表", DISPATCH_COLUMNS, dispatch_rows, lambda ctx: len(ctx.report().by_grid),
                  foot=dispatch_foot, per_place=False, note="本月各安置点、网格的指标")


# -- 9 防返贫监测对象台账 ------------------------------------------------------------------------------
MONITORED_COLUMNS = (
    *HOUSEHOLD, Column("家庭人数", "int", total=True), Column("监测类别", "code", "监测情况"),
    Column("风险类型", "text", "监测情况"), Column("识别月份", "month", "监测情况"),
    Column("消除风险月份", "month", "监测情况"), Column("风险状态", "code", "监测情况"),
    Column("帮扶措施", "long"), Column("措施数", "int", total=True), Column("本月走访", "yesno"),
)


def _monitored(ctx: LedgerContext) -> list:
    return [Household.monitoring_category.is_not(None),
            func.coalesce(Household.monitoring_identified_month, "") <= ctx.month]


def monitored_rows(ctx: LedgerContext) -> Iterator[list]:
    households = list(ctx.households(*_monitored(ctx)))
    ids = [h.id for h in households]
    heads, sizes, measures = _heads(ctx, ids), _sizes(ctx, ids), _household_measures(ctx, ids)
    visited = set(ctx.session.execute(select(Visit.household_id).where(
        Visit.household_id.in_(ids), Visit.month == ctx.month, Visit.deleted.is_(False))).scalars())
    for h in households:
        cleared = h.monitoring_cleared_month if (h.monitoring_cleared_month or "~") <= ctx.month else ""
        yield [*_household(ctx, h, heads.get(h.id)), sizes.get(h.id, 0),
               ctx.label("monitoring_category", h.monitoring_category), ctx.labels("risk_type", h.risk_types),
               h.monitoring_identified_month or "", cleared, "已消除" if cleared else "未消除",
               "；".join(measures.get(h.id, [])), len(measures.get(h.id, [])), ctx.yes(h.id in visited)]


MONITORED = Ledger("monitored", "防返贫监测对象台账", MONITORED_COLUMNS, monitored_rows,
                   lambda ctx: ctx.count(select(Household.id).where(*_monitored(ctx))))
