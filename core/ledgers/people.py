"""The ledgers of people: 搬迁劳动力台账, 高校毕业生台账, 半弱劳动力台账, 鳏寡孤独残特殊困难群体台账 and the
户籍花名册.

"建立搬迁劳动力、高校毕业生、半弱劳动力、鳏寡孤独残特殊困难群体等台账,每月开展动态更新"
(《钦州港片区强化易地搬迁后续扶持三年行动方案（2023—2025年）》). Who is in each follows the indicators'
own definitions (core.indicators): working age by the county's rules, the month's work as the month's
visit records it or else a job covering the month, the special-hardship kinds by core.indicators.flags.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import ColumnElement, or_, select

from core.indicators.base import working_age
from core.indicators.flags import hardship_conditions
from core.indicators.people import HARDSHIP_KINDS, labour_member_condition
from core.ledgers.context import LedgerContext
from core.ledgers.layout import Column, SheetTotals
from core.ledgers.spec import Ledger
from core.models import Household, Measure, Member

HARDSHIP_WORDS = {"widower": "鳏", "widow": "寡", "orphan": "孤", "alone": "独", "disabled": "残"}
WORK = "本月就业情况"

PERSON = (Column("户编号", "no"), Column("姓名", "name"), Column("性别", "yesno"), Column("身份证号", "id"),
          Column("年龄", "int"))


def _person(ctx: LedgerContext, m: Member, h: Household) -> list:
    return [h.household_no, m.name, ctx.label("sex", m.sex), ctx.id_number(m.id_number), ctx.age(m.birth_date)]


def _member_count(ctx: LedgerContext, *where: ColumnElement[bool]) -> int:
    return ctx.count(select(Member.id).join(Household, Household.id == Member.household_id)
                     .where(Member.deleted.is_(False), Member.status != "removed", *where))


def _work(ctx: LedgerContext, m: Member) -> tuple[str, object, object]:
    """The month's work status (a label), its job (or None) and the month's income."""
    status = ctx.work_status(m.id) or "unemployed"
    job = ctx.jobs_of_month().get(m.id) if status == "employed" else None
    seen = ctx.visits_of_month().get(m.id)
    income = seen.income if seen is not None and seen.income is not None else (job.monthly_income if job else None)
    return ctx.label("monthly_employment_status", status), job, income


def _measure_names(ctx: LedgerContext) -> dict[str, str]:
    """Each member's measures (by name), and each household's under the household id."""
    if "measures" not in ctx._cache:
        names: dict[str, list[str]] = defaultdict(list)
        stmt = select(Measure.household_id, Measure.member_id, Measure.name).join(
            Household, Household.id == Measure.household_id).where(Measure.deleted.is_(False))
        for hid, mid, name in ctx.session.execute(ctx.in_place(stmt)):
            names[mid or hid].append(name)
        ctx._cache["measures"] = {k: "；".join(v) for k, v in names.items()}
    return ctx._cache["measures"]


# -- 1 搬迁劳动力台账 ------------------------------------------------------------------------------
LABOUR_COLUMNS = (
    *PERSON, Column("联系电话", "phone"), Column("住址", "long"), Column("网格", "place"), Column("劳动力状况", "text"),
    Column("有能力有意愿", "yesno"), Column("就业状态", "code", WORK), Column("就业渠道", "text", WORK), Column("就业区域", "code", WORK),
    Column("就业地点", "text", WORK), Column("行业", "text", WORK), Column("月收入(元)", "money", WORK, total=True),
    Column("合同期限", "code", "劳动合同与社保"), Column("参加社保", "yesno", "劳动合同与社保"),
    Column("培训意愿", "yesno", "培训与就业需求"), Column("意向工种", "text", "培训与就业需求"),
    Column("就业需求", "code", "培训与就业需求"),
)


def _labour_force(ctx: LedgerContext) -> set[str]:
    """The members the indicators count as labour: able and willing to work, or working
    (core.indicators.people.labour_member_condition)."""
    stmt = select(Member.id).join(Household, Household.id == Member.household_id).where(
        labour_member_condition(ctx.month, ctx.rules))
    return set(ctx.session.execute(ctx.in_place(stmt)).scalars())


def labour_rows(ctx: LedgerContext) -> Iterator[list]:
    force = _labour_force(ctx)
    counted = ctx._cache.setdefault("labour", {"force": 0, "employed": 0})
    for m, h in ctx.members(working_age(ctx.month, ctx.rules)):
        status, job, income = _work(ctx, m)
        if m.id in force:
            counted["force"] += 1
            counted["employed"] += ctx.work_status(m.id) == "employed"
        yield [*_person(ctx, m, h), ctx.phone(m.phone), ctx.address(h), ctx.grid_name(h.grid_id),
               ctx.label("labour_skill", m.labour_skill), ctx.yes(m.id in force), status,
               ctx.label("employment_channel", job.channel) if job else "",
               ctx.label("employment_scope", job.scope) if job else "", job.place or "" if job else "",
               ctx.label("industry_section", job.sector) if job else "", income,
               ctx.label("contract_term", job.contract_term) if job else "",
               ctx.yes(job.has_social_insurance) if job else "",
               ctx.yes(m.training_willing), m.wished_trade or "", ctx.label("job_need", m.job_need)]


def labour_foot(ctx: LedgerContext, _totals: SheetTotals) -> list[list]:
    """The figure the dashboard shows as 就业的劳动力, counted from the rows themselves: the labour force
    (able and willing, or working) and how many of it work this month."""
    counted = ctx._cache.get("labour", {"force": 0, "employed": 0})
    force, employed = counted["force"], counted["employed"]
    rate = f"，就业率 {employed / force:.1%}" if force else ""
    return [[f"其中有劳动能力和就业意愿（或已就业）的劳动力 {force} 人，本月就业 {employed} 人{rate}。"]]


LABOUR = Ledger("labour", "搬迁劳动力台账", LABOUR_COLUMNS, labour_rows,
                lambda ctx: _member_count(ctx, working_age(ctx.month, ctx.rules)), foot=labour_foot,
                note="劳动年龄人口，本月就业情况以本月走访为准，未走访的以就业记录为准")


# -- 2 高校毕业生台账 ------------------------------------------------------------------------------
GRADUATE_COLUMNS = (
    *PERSON, Column("联系电话", "phone"), Column("毕业年份", "int"), Column("学历", "code"), Column("住址", "long"),
    Column("就业状态", "code", WORK), Column("就业单位", "text", WORK), Column("就业地点", "text", WORK),
    Column("月收入(元)", "money", WORK, total=True), Column("就业需求", "code"), Column("培训意愿", "yesno"),
)


def graduate_rows(ctx: LedgerContext) -> Iterator[list]:
    for m, h in ctx.members(Member.graduate_year.is_not(None)):
        status, job, income = _work(ctx, m)
        yield [*_person(ctx, m, h), ctx.phone(m.phone), m.graduate_year, ctx.label("education", m.education),
               ctx.address(h), status, job.employer or "" if job else "", job.place or "" if job else "", income,
               ctx.label("job_need", m.job_need), ctx.yes(m.training_willing)]


GRADUATES = Ledger("graduates", "高校毕业生台账", GRADUATE_COLUMNS, graduate_rows,
                   lambda ctx: _member_count(ctx, Member.graduate_year.is_not(None)))


# -- 3 半弱劳动力台账 ------------------------------------------------------------------------------
WEAK_COLUMNS = (
    *PERSON, Column("联系电话", "phone"), Column("住址", "long"), Column("健康状况", "code"),
    Column("残疾类别", "code", "残疾情况"), Column("残疾等级", "int", "残疾情况"),
    Column("就业状态", "code", WORK), Column("就业渠道", "text", WORK), Column("月收入(元)", "money", WORK, total=True),
    Column("就业需求", "code"), Column("帮扶措施", "long"),
)


def weak_rows(ctx: LedgerContext) -> Iterator[list]:
    measures = _measure_names(ctx)
    for m, h in ctx.members(Member.labour_skill == "weak", working_age(ctx.month, ctx.rules)):
        status, job, income = _work(ctx, m)
        yield [*_person(ctx, m, h), ctx.phone(m.phone), ctx.address(h), ctx.health(m.health),
               *ctx.disability(m.disability_category, m.disability_level), status,
               ctx.label("employment_channel", job.channel) if job else "", income,
               ctx.label("job_need", m.job_need), measures.get(m.id, "")]


WEAK = Ledger("weak-labour", "半弱劳动力台账", WEAK_COLUMNS, weak_rows,
              lambda ctx: _member_count(ctx, Member.labour_skill == "weak", working_age(ctx.month, ctx.rules)),
              note="劳动年龄内的弱劳动力或半劳动力")


# -- 4 鳏寡孤独残特殊困难群体台账 ------------------------------------------------------------------
HARDSHIP_COLUMNS = (
    *PERSON, Column("类别", "code"), Column("残疾类别", "code", "残疾情况"), Column("残疾等级", "int", "残疾情况"),
    Column("健康状况", "code"), Column("低保", "yesno", "保障情况"), Column("特困供养", "yesno", "保障情况"),
    Column("独居", "yesno"), Column("联系电话", "phone"), Column("住址", "long"), Column("帮扶措施", "long"),
)


def _hardship(ctx: LedgerContext) -> dict[str, ColumnElement[bool]]:
    return hardship_conditions(ctx.month, ctx.rules)


def hardship_rows(ctx: LedgerContext) -> Iterator[list]:
    kinds = _hardship(ctx)
    found: dict[str, str] = {}
    stmt = select(Member.id, *(cond.label(kind) for kind, cond in kinds.items())).join(
        Household, Household.id == Member.household_id).where(Member.deleted.is_(False), or_(*kinds.values()))
    for row in ctx.session.execute(ctx.in_place(stmt)):
        found[row[0]] = "".join(HARDSHIP_WORDS[k] for k, flag in zip(kinds, row[1:]) if flag)
    measures = _measure_names(ctx)
    for m, h in ctx.members(Member.id.in_(select(stmt.subquery().c.id))):
        yield [*_person(ctx, m, h), found.get(m.id, ""),
               *ctx.disability(m.disability_category, m.disability_level), ctx.health(m.health), ctx.yes(m.dibao),
               ctx.yes(m.tekun), ctx.yes(m.lives_alone), ctx.phone(m.phone), ctx.address(h),
               measures.get(m.id, "")]


HARDSHIP = Ledger("hardship", "鳏寡孤独残特殊困难群体台账", HARDSHIP_COLUMNS, hardship_rows,
                  lambda ctx: _member_count(ctx, or_(*_hardship(ctx).values())),
                  note="类别：" + "、".join(f"{w}" for w in HARDSHIP_WORDS.values()) + "（按县级规则认定）")
assert set(HARDSHIP_WORDS) == set(HARDSHIP_KINDS)


# -- 12 户籍花名册 -----------------------------------------------------------------------------------
ROSTER_COLUMNS = (
    Column("户编号", "no"), Column("户主姓名", "name"), Column("姓名", "name"), Column("与户主关系", "code"),
    Column("性别", "yesno"), Column("民族", "code"), Column("身份证号", "id"), Column("出生日期", "date"),
    Column("联系电话", "phone"), Column("安置点", "place"), Column("楼栋", "int", "住址"), Column("单元", "int", "住址"),
    Column("房号", "int", "住址"), Column("网格", "place"), Column("文化程度", "code"), Column("劳动力状况", "code"),
    Column("人员状态", "code"), Column("户人数", "int", total=True),
)


def roster_rows(ctx: LedgerContext) -> Iterator[list]:
    """One row per member, grouped by household, the head first; 户人数 on the head's row, so the
    column's total is the number of people."""
    heads, sizes = _heads_and_sizes(ctx)
    for m, h in ctx.members():
        first = m.relation == "head" or (h.id not in heads and m.id == sizes[h.id][1])
        yield [h.household_no, heads.get(h.id, ""), m.name, ctx.label("relation", m.relation),
               ctx.label("sex", m.sex), ctx.label("ethnicity", m.ethnicity), ctx.id_number(m.id_number),
               m.birth_date.isoformat() if m.birth_date else "", ctx.phone(m.phone),
               ctx.settlement_name(h.settlement_id), h.building or "", h.unit or "", h.room or "",
               ctx.grid_name(h.grid_id), ctx.label("education", m.education),
               ctx.label("labour_skill", m.labour_skill), ctx.label("member_status", m.status),
               sizes[h.id][0] if first else None]


def _heads_and_sizes(ctx: LedgerContext) -> tuple[dict[str, str], dict[str, list]]:
    heads: dict[str, str] = {}
    sizes: dict[str, list] = {}
    stmt = (select(Member.household_id, Member.id, Member.name, Member.relation)
            .join(Household, Household.id == Member.household_id)
            .where(Member.deleted.is_(False), Member.status != "removed"))
    for hid, mid, name, relation in ctx.session.execute(ctx.in_place(stmt)):
        if relation == "head":
            heads[hid] = name
        size = sizes.setdefault(hid, [0, mid])
        size[0] += 1
    return heads, sizes


ROSTER = Ledger("roster", "户籍花名册", ROSTER_COLUMNS, roster_rows, lambda ctx: _member_count(ctx),
                note="每户一组，户主在前；户人数写在户主一行")
