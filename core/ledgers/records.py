"""The ledgers of records: 就业台账, 培训台账, 矛盾纠纷排查化解台账 and 帮扶措施台账."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from core.indicators.monitoring import OPEN_GRIEVANCE_STATUSES, deadline_of
from core.ledgers.context import LedgerContext
from core.ledgers.layout import Column, SheetTotals
from core.ledgers.spec import Ledger
from core.models import Employment, Grievance, GrievanceParty, Household, Measure, Member, Settlement, Training

MEMBER = (Column("户编号", "no"), Column("姓名", "name"), Column("性别", "yesno"), Column("身份证号", "id"))
NEARBY_CHANNELS = ("workshop", "public_post", "local_enterprise")  # 帮扶车间, 公益性岗位, 就近企业就业


def month_end(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:])
    return date(year + mon // 12, mon % 12 + 1, 1) - timedelta(days=1)


def _with_member(ctx: LedgerContext, model, *where):  # noqa: ANN001, ANN002, ANN202
    """Rows of (record, member, household): records of members who have not left, by household."""
    stmt = (select(model, Member, Household).join(Member, Member.id == model.member_id)
            .join(Household, Household.id == model.household_id)
            .where(model.deleted.is_(False), Member.deleted.is_(False), Member.status != "removed", *where))
    stmt = ctx.in_place(stmt).order_by(Household.household_no, Member.name, model.id)
    return ctx.session.execute(stmt.execution_options(yield_per=1000))


def _count(ctx: LedgerContext, model, *where) -> int:  # noqa: ANN001, ANN002
    """Records of members who have not left (or of the household, for a model without a member)."""
    stmt = select(model.id).join(Household, Household.id == model.household_id).where(model.deleted.is_(False), *where)
    if "member_id" in model.__table__.columns and not model.__table__.columns["member_id"].nullable:
        stmt = stmt.join(Member, Member.id == model.member_id).where(Member.deleted.is_(False),
                                                                     Member.status != "removed")
    return ctx.count(stmt)


def _member(ctx: LedgerContext, m: Member, h: Household) -> list:
    return [h.household_no, m.name, ctx.label("sex", m.sex), ctx.id_number(m.id_number)]


# -- 5 就业台账 ---------------------------------------------------------------------------------------
JOB_COLUMNS = (
    *MEMBER, Column("联系电话", "phone"), Column("就业渠道", "text", "就业情况"), Column("就业区域", "code", "就业情况"),
    Column("就业地点", "text", "就业情况"), Column("就业单位", "long", "就业情况"), Column("行业", "text", "就业情况"),
    Column("工种", "text", "就业情况"), Column("月收入(元)", "money", "就业情况", total=True),
    Column("开始月份", "month", "就业时间"), Column("结束月份", "month", "就业时间"),
    Column("劳动合同", "yesno", "合同与社保"), Column("合同期限", "code", "合同与社保"),
    Column("参加社保", "yesno", "合同与社保"), Column("参保月数", "int", "合同与社保"),
    Column("就近就业", "code"),
)


def _covers(month: str) -> list:
    return [Employment.start_month <= month, or_(Employment.end_month.is_(None), Employment.end_month >= month)]


def nearby(job: Employment, county: str | None) -> str:
    """就近就业: at the site (an assistance workshop, a public-welfare post or a nearby enterprise in the
    county), or elsewhere in the county (by the job's scope or its place code against the settlement's
    county); '' when neither."""
    in_county = job.scope == "in_county" or (bool(county) and job.place_code == county)
    if in_county and job.channel in NEARBY_CHANNELS:
        return "安置点周边"
    return "县内" if in_county else ""


def job_rows(ctx: LedgerContext) -> Iterator[list]:
    counties = {sid: (code or "")[:6] for sid, code in ctx.session.execute(select(Settlement.id, Settlement.area_code))}
    near = ctx._cache.setdefault("nearby", {"": set(), "县内": set(), "安置点周边": set()})
    for job, m, h in _with_member(ctx, Employment, *_covers(ctx.month)):
        where = nearby(job, counties.get(h.settlement_id))
        near[where].add(m.id)
        yield [*_member(ctx, m, h), ctx.phone(m.phone), ctx.label("employment_channel", job.channel),
               ctx.label("employment_scope", job.scope), job.place or "", job.employer or "",
               ctx.label("industry_section", job.sector), job.trade or "", job.monthly_income, job.start_month,
               job.end_month or "", ctx.yes(job.has_contract), ctx.label("contract_term", job.contract_term),
               ctx.yes(job.has_social_insurance), job.insurance_months, where]


def _job_foot(ctx: LedgerContext, totals: SheetTotals) -> list[list]:
    """People, not job records: someone with two jobs in the month is one person in work."""
    near = ctx._cache.get("nearby", {"": set(), "县内": set(), "安置点周边": set()})
    site, county = near["安置点周边"], near["县内"] - near["安置点周边"]
    people = len(set().union(*near.values()))
    return [[f"本月在岗 {totals.rows} 条就业记录、{people} 人；其中就近就业 {len(site | county)} 人"
             f"（安置点周边 {len(site)} 人，县内其他 {len(county)} 人）。"]]


JOBS = Ledger("jobs", "就业台账", JOB_COLUMNS, job_rows, lambda ctx: _count(ctx, Employment, *_covers(ctx.month)),
              foot=_job_foot, note="本月在岗的就业记录")


# -- 6 培训台账 ---------------------------------------------------------------------------------------
TRAINING_COLUMNS = (
    *MEMBER, Column("培训项目", "long", "培训情况"), Column("培训类型", "text", "培训情况"),
    Column("工种", "text", "培训情况"), Column("培训机构", "long", "培训情况"), Column("开始日期", "date", "培训时间"),
    Column("结束日期", "date", "培训时间"), Column("学时", "int", "培训时间", total=True), Column("方式", "code"),
    Column("结果", "code"), Column("证书类型", "text", "证书"), Column("证书等级", "code", "证书"),
    Column("证书编号", "text", "证书"), Column("补贴(元)", "money", total=True), Column("培训后就业", "yesno"),
)


def _this_year(ctx: LedgerContext) -> list:
    first, last = date(ctx.year, 1, 1), month_end(ctx.month)
    return [or_(Training.start_date.is_(None), Training.start_date <= last),
            or_(Training.end_date.is_(None), Training.end_date >= first),
            or_(Training.start_date.is_not(None), Training.end_date.is_not(None))]


def training_rows(ctx: LedgerContext) -> Iterator[list]:
    for t, m, h in _with_member(ctx, Training, *_this_year(ctx)):
        yield [*_member(ctx, m, h), t.programme or "", ctx.label("training_type", t.training_type), t.trade or "",
               t.provider or "", t.start_date.isoformat() if t.start_date else "",
               t.end_date.isoformat() if t.end_date else "", t.hours, ctx.label("training_mode", t.mode),
               ctx.label("training_result", t.result), ctx.label("certificate_type", t.certificate_type),
               ctx.label("certificate_level", t.certificate_level), t.certificate_no or "", t.subsidy,
               ctx.yes(t.employment_id is not None)]


def training_foot(ctx: LedgerContext, _totals: SheetTotals) -> list[list]:
    """The 30% figure, by the indicator's own definition (core.indicators.training)."""
    if ctx.report_of is None:
        return []
    figure = ctx.figures().training
    met = "已达到" if figure.target_met else "未达到"
    return [[f"本年培训覆盖率：参加就业技能培训或创业培训并结业 {figure.numerator} 人 ÷ 常住且有培训意愿的劳动力 "
             f"{figure.denominator} 人 = {figure.rate:.1%}，目标 {figure.target:.0%}，{met}。"]]


TRAINING = Ledger("training", "培训台账", TRAINING_COLUMNS, training_rows,
                  lambda ctx: _count(ctx, Training, *_this_year(ctx)), foot=training_foot, note="本年度的培训")


# -- 10 矛盾纠纷排查化解台账 ------------------------------------------------------------------------
GRIEVANCE_COLUMNS = (
    Column("编号", "code"), Column("户编号", "no"), Column("类别", "code"), Column("纠纷类型", "code"),
    Column("来源", "code"), Column("当事人", "text"), Column("事由摘要", "long"), Column("受理日期", "date", "办理"),
    Column("责任单位", "text", "办理"), Column("责任人", "name", "办理"), Column("办理时限", "date", "办理"),
    Column("月末状态", "code", "办理"), Column("办结日期", "date", "办理"), Column("超期未办结", "yesno", "办理"),
    Column("逾期办结", "yesno", "办理"),
    Column("回访日期", "date", "回访"), Column("满意度", "code", "回访"),
)


def _grievances_in_period(ctx: LedgerContext) -> list:
    """Received by the end of the month; still open then, or closed this year."""
    end = month_end(ctx.month)
    return [Grievance.received_date <= end,
            or_(Grievance.status.in_(OPEN_GRIEVANCE_STATUSES), Grievance.closed_date.is_(None),
                Grievance.closed_date >= date(ctx.year, 1, 1))]


def grievance_rows(ctx: LedgerContext) -> Iterator[list]:
    """As the case stood at the end of the month (today, for this month): a case closed later is still
    open then. 超期未办结 is the indicator's overdue (open past its deadline, core.indicators.monitoring);
    逾期办结 a case closed after its deadline."""
    asof = min(month_end(ctx.month), ctx.made)
    parties = _parties(ctx)
    # the deadline as the indicator reads it: typed, else received plus the county's limit for its kind
    stmt = (select(Grievance, Household, deadline_of(ctx.rules).label("due"))
            .join(Household, Household.id == Grievance.household_id)
            .where(Grievance.deleted.is_(False), *_grievances_in_period(ctx)))
    stmt = ctx.in_place(stmt).order_by(Grievance.received_date, Grievance.case_no)
    for g, h, due in ctx.session.execute(stmt.execution_options(yield_per=1000)):
        due = date.fromisoformat(due) if isinstance(due, str) else due
        closed = g.closed_date if g.status not in OPEN_GRIEVANCE_STATUSES and g.closed_date else None
        closed = closed if closed is not None and closed <= asof else None
        status = g.status if closed is not None or g.status in OPEN_GRIEVANCE_STATUSES else "in_progress"
        yield [g.case_no, h.household_no, ctx.label("grievance_kind", g.kind),
               ctx.label("dispute_type", g.dispute_type),
               ctx.label("grievance_source", g.source), parties.get(g.id, ""), (g.summary or "")[:200],
               g.received_date.isoformat(), g.responsible_unit or "", g.responsible_person or "",
               due.isoformat() if due else "", ctx.label("grievance_status", status),
               closed.isoformat() if closed else "", ctx.yes(closed is None and due is not None and due < asof),
               ctx.yes(closed is not None and due is not None and closed > due),
               g.followup_date.isoformat() if g.followup_date and g.followup_date <= asof else "",
               ctx.label("satisfaction", g.satisfaction) if closed else ""]


def _parties(ctx: LedgerContext) -> dict[str, str]:
    names: dict[str, list[str]] = defaultdict(list)
    stmt = (select(GrievanceParty.grievance_id, GrievanceParty.name)
            .join(Household, Household.id == GrievanceParty.household_id).where(GrievanceParty.deleted.is_(False)))
    for gid, name in ctx.session.execute(ctx.in_place(stmt)):
        names[gid].append(name)
    return {k: "、".join(v) for k, v in names.items()}


GRIEVANCES = Ledger("grievances", "矛盾纠纷排查化解台账", GRIEVANCE_COLUMNS, grievance_rows,
                    lambda ctx: _count(ctx, Grievance, *_grievances_in_period(ctx)),
                    note="截至月末受理、未办结或本年办结的诉求与矛盾纠纷；办理时限未填的按县级时限")


# -- 11 帮扶措施台账 -----------------------------------------------------------------------------------
MEASURE_COLUMNS = (
    Column("户编号", "no"), Column("户主姓名", "name"), Column("帮扶对象", "name"), Column("措施类别", "code"),
    Column("措施名称", "long"), Column("开始日期", "date", "实施时间"), Column("结束日期", "date", "实施时间"),
    Column("金额(元)", "money", total=True), Column("责任人", "name"), Column("状态", "code"),
)


def _measures_in_year(ctx: LedgerContext) -> list:
    return [or_(Measure.start_date.is_(None), Measure.start_date <= month_end(ctx.month)),
            or_(Measure.end_date.is_(None), Measure.end_date >= date(ctx.year, 1, 1))]


def measure_rows(ctx: LedgerContext) -> Iterator[list]:
    head = aliased(Member)
    target = aliased(Member)
    stmt = (select(Measure, Household, head.name, target.name).join(Household, Household.id == Measure.household_id)
            .outerjoin(head, (head.household_id == Household.id) & (head.relation == "head") & head.deleted.is_(False)
                       & (head.status != "removed"))
            .outerjoin(target, target.id == Measure.member_id)
            .where(Measure.deleted.is_(False), *_measures_in_year(ctx)))
    stmt = ctx.in_place(stmt).order_by(Household.household_no, Measure.start_date)
    for ms, h, head_name, member_name in ctx.session.execute(stmt.execution_options(yield_per=1000)):
        yield [h.household_no, head_name or "", member_name or "全户", ctx.label("measure_category", ms.category),
               ms.name, ms.start_date.isoformat() if ms.start_date else "",
               ms.end_date.isoformat() if ms.end_date else "", ms.amount, ms.responsible_person or "",
               ctx.label("measure_status", ms.status)]


MEASURES = Ledger("measures", "帮扶措施台账", MEASURE_COLUMNS, measure_rows,
                  lambda ctx: _count(ctx, Measure, *_measures_in_year(ctx)), note="本年度实施的帮扶措施")
