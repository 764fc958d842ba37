"""Who a member is to the others of the household, and the flags derived from it: left behind (留守儿童,
留守老人, 留守妇女), special hardship (鳏寡孤独残), of compulsory-school age out of school (辍学), a
returned worker (返乡劳动力).

Each flag is a SQL condition on `member` for one month ('YYYY-MM'), so a figure counts it, the households
behind a figure are found with it, and a ledger can list the members it holds for.

Relations are recorded to the head of the household (code list 'relation'), so a member's parents,
children and spouse are found among the others by the pairs below; where the codes cannot tell (two
sons' children are both 'grandchild'), every member who could be the parent (or the husband) is asked,
and a member whose relation names no such pair ('other') is never flagged by a rule that needs it.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, and_, cast, exists, func, not_, or_
from sqlalchemy.orm import aliased

from core.indicators.base import (
    AT_SITE, DEFAULT_RULES, add_months, aged, built_once, CountyRules, live_member, working_age,
)
from core.models import Member

# relation of a member -> relations of the household's members who are that member's parents
PARENTS: dict[str, tuple[str, ...]] = {
    "son": ("head", "spouse"), "daughter": ("head", "spouse"),
    "grandchild": ("son", "daughter", "son_in_law", "daughter_in_law"),
    "head": ("parent",), "sibling": ("parent",), "parent": ("grandparent",),
}
# relation of a member -> relations of that member's children (PARENTS read the other way)
CHILDREN: dict[str, tuple[str, ...]] = {
    "head": ("son", "daughter"), "spouse": ("son", "daughter"),
    "son": ("grandchild",), "daughter": ("grandchild",), "son_in_law": ("grandchild",),
    "daughter_in_law": ("grandchild",), "parent": ("head", "sibling"), "grandparent": ("parent",),
}
# "子女（或其他赡养人）": the children and the children's spouses, who look after an old member
CARERS: dict[str, tuple[str, ...]] = {
    **CHILDREN, "head": ("son", "daughter", "son_in_law", "daughter_in_law"),
    "spouse": ("son", "daughter", "son_in_law", "daughter_in_law"), "parent": ("head", "spouse", "sibling"),
}
# relation of a member -> relations of the member's spouse
SPOUSES: dict[str, tuple[str, ...]] = {
    "head": ("spouse",), "spouse": ("head",), "son": ("daughter_in_law",), "daughter_in_law": ("son",),
    "daughter": ("son_in_law",), "son_in_law": ("daughter",), "parent": ("parent",), "grandparent": ("grandparent",),
}

MALE, FEMALE = "1", "2"  # code list sex
CHILD_BELOW = 16  # 留守儿童: "不满十六周岁" (国务院《关于加强农村留守儿童关爱保护工作的意见》, 2016)
ORPHAN_BELOW = 18  # 孤儿: "未满18周岁" (民政部等《关于加强孤儿保障工作的意见》, 2010)
OLD_FROM = 60  # 老年人: "六十周岁以上" (《老年人权益保障法》第二条)
SCHOOL_AGE = (6, 15)  # 义务教育: from six years old (《义务教育法》第十一条), nine years
OUT_OF_SCHOOL = ("dropped_out", "not_in_school")  # code list school_status
FINISHED_COMPULSORY = ("junior", "senior", "vocational", "college", "bachelor")  # code list education: 初中 or more
RETURNED_WITHIN = 12  # months: a return is followed through the twelve monitoring rounds after it

Relative = aliased(Member, name="relative")


def at_site(member=Member) -> ColumnElement[bool]:  # noqa: ANN001 - Member or an alias of it
    """Living at the site: residence 'at_site', or nothing recorded (where a member is taken to live)."""
    return or_(member.residence.is_(None), member.residence == AT_SITE)


def _live(member) -> ColumnElement[bool]:  # noqa: ANN001
    return and_(member.deleted.is_(False), member.status != "removed")


def at_least(years: int, month: str, member=Member) -> ColumnElement[bool]:  # noqa: ANN001
    """At least `years` old in `month` (False without a birth date); of Member or an alias of it."""
    birth = member.birth_date
    turns = func.printf("%04d-%s", cast(func.substr(birth, 1, 4), Integer) + years, func.substr(birth, 6, 2))
    return and_(birth.is_not(None), turns <= month)


def has_relative(pairs: dict[str, tuple[str, ...]], *conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    """Another live member of the household stands to this member as `pairs` say (and meets `conditions`)."""
    related = or_(*(and_(Member.relation == mine, Relative.relation.in_(theirs)) for mine, theirs in pairs.items()))
    return exists().where(Relative.household_id == Member.household_id, Relative.id != Member.id, _live(Relative),
                          related, *conditions).correlate_except(Relative)


# -- 留守儿童, 留守老人, 留守妇女 -----------------------------------------------------------------
@built_once
def left_behind_child_condition(month: str, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """留守儿童 ("重点关爱特困供养对象、留守老人、留守儿童、留守妇女和残疾人等群体", 随县《打造"稳得住、
    能致富"安置区实施方案》; "提升留守儿童关爱保护服务质量", 钦州港片区《强化易地搬迁后续扶持三年行动方案
    （2023—2025年）》).

    Under 16 in `month`, living at the site, with a parent in the household (PARENTS), and every parent
    of the household away: both parents, or the only one, live elsewhere (residence recorded and not
    'at_site'). A child with no parent in the household is not left behind but an orphan (孤).
    """
    return and_(live_member(), aged(month, 0, CHILD_BELOW - 1), at_site(), has_relative(PARENTS),
                not_(has_relative(PARENTS, at_site(Relative))))


@built_once
def left_behind_elderly_condition(month: str, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """留守老人 ("重点关爱特困供养对象、留守老人、留守儿童、留守妇女和残疾人等群体", 随县《打造"稳得住、
    能致富"安置区实施方案》).

    60 or older in `month`, living at the site, with a child in the household (CHILDREN), and none of
    the children nor the children's spouses (CARERS) aged 16 or more (or of unknown age) at the site.
    An old member whose children are not in the household is not counted: nothing says they went away.
    """
    carer_home = and_(at_site(Relative), or_(Relative.birth_date.is_(None), at_least(CHILD_BELOW, month, Relative)))
    return and_(live_member(), at_least(OLD_FROM, month), at_site(), has_relative(CHILDREN),
                not_(has_relative(CARERS, carer_home)))


def _husband() -> ColumnElement[bool]:
    return and_(or_(Relative.sex == MALE, Relative.sex.is_(None)),
                or_(Relative.marital_status == "married", Relative.marital_status.is_(None)))


@built_once
def left_behind_woman_condition(month: str, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """留守妇女 ("重点关爱特困供养对象、留守老人、留守儿童、留守妇女和残疾人等群体", 随县《打造"稳得住、
    能致富"安置区实施方案》).

    A woman recorded married (有配偶), of working age in `month` (the county's range), living at the
    site, whose husband is in the household (SPOUSES: a man, or of unrecorded sex, not recorded
    unmarried, divorced or widowed) and away: every member who could be her husband lives elsewhere.
    """
    husband_home = has_relative(SPOUSES, _husband(), at_site(Relative))
    return and_(live_member(), Member.sex == FEMALE, Member.marital_status == "married", working_age(month, rules),
                at_site(), has_relative(SPOUSES, _husband()), not_(husband_home))


# -- 鳏寡孤独残 ------------------------------------------------------------------------------
@built_once
def hardship_conditions(month: str, rules: CountyRules = DEFAULT_RULES) -> dict[str, ColumnElement[bool]]:
    """鳏寡孤独残 ("建立搬迁劳动力、高校毕业生、半弱劳动力、鳏寡孤独残特殊困难群体等台账,每月开展动态更新",
    钦州港片区《强化易地搬迁后续扶持三年行动方案（2023—2025年）》), one condition per kind:

    widower (鳏): a man widowed (丧偶), 60 or older; widow (寡): a woman widowed, 60 or older (the
    same age for both: 鳏寡 are the old without a spouse, and the law's old age is 60, not a
    retirement age); orphan (孤): under 18 with no parent in the household (only for relations
    that name the parents, PARENTS); alone (独): 60 or older, living alone (lives_alone) and with no
    child in the household; disabled (残): any disability category recorded.
    """
    old = at_least(OLD_FROM, month)
    widowed = Member.marital_status == "widowed"
    return {
        "widower": and_(live_member(), Member.sex == MALE, widowed, old),
        "widow": and_(live_member(), Member.sex == FEMALE, widowed, old),
        "orphan": and_(live_member(), aged(month, 0, ORPHAN_BELOW - 1), Member.relation.in_(tuple(PARENTS)),
                       not_(has_relative(PARENTS))),
        "alone": and_(live_member(), old, Member.lives_alone.is_(True), not_(has_relative(CHILDREN))),
        "disabled": and_(live_member(), Member.disability_category.is_not(None)),
    }


@built_once
def special_hardship_condition(month: str, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """Any of the kinds of hardship_conditions."""
    return or_(*hardship_conditions(month, rules).values())


# -- 辍学 and 返乡 -------------------------------------------------------------------------------
@built_once
def school_age_condition(month: str, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """"确保搬迁群众适龄子女在安置点周边公办义务教育学校入学,动态掌握搬迁群众子女就学信息" (钦州港片区
    《强化易地搬迁后续扶持三年行动方案（2023—2025年）》): of compulsory-school age, 6 to 15 in `month`
    (from the month of the sixth birthday to the month before the sixteenth)."""
    return and_(live_member(), aged(month, *SCHOOL_AGE))


@built_once
def school_dropout_condition(month: str, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """Of compulsory-school age and not in school: school_status 'dropped_out' (辍学), or 'not_in_school'
    without having finished compulsory education (education below 初中 or not recorded). Pre-school
    counts as in school (a six-year-old may still be there); no school status recorded is not counted."""
    finished = and_(Member.education.is_not(None), Member.education.in_(FINISHED_COMPULSORY))
    return and_(school_age_condition(month, rules),
                or_(Member.school_status == "dropped_out",
                    and_(Member.school_status == "not_in_school", not_(finished))))


@built_once
def returned_worker_condition(month: str, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """返乡劳动力 ("及时跟踪掌握搬迁劳动力就业去向、行业分布、就业收入及返乡劳动力就业等情况";
    "及时掌握返回片区的劳动力情况", 钦州港片区《强化易地搬迁后续扶持三年行动方案（2023—2025年）》).

    Recorded a returned worker with the month of return within the twelve months ending with `month`
    (the year of monitoring rounds that follows a return), and of working age in `month`.
    """
    return and_(live_member(), Member.returned_worker.is_(True), Member.returned_month.is_not(None),
                Member.returned_month > add_months(month, -RETURNED_WITHIN), Member.returned_month <= month,
                working_age(month, rules))


FLAG_CONDITIONS = {
    "left_behind_child": left_behind_child_condition, "left_behind_elderly": left_behind_elderly_condition,
    "left_behind_woman": left_behind_woman_condition, "special_hardship": special_hardship_condition,
    "school_age": school_age_condition, "school_dropout": school_dropout_condition,
    "returned_worker": returned_worker_condition,
}
