"""培训覆盖率: "每年开展就业技能培训及创业培训人数至少达常住片区且有培训意愿劳动力的30%"
(钦州港片区《强化易地搬迁后续扶持三年行动方案（2023—2025年）》)."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, func, or_

from core.indicators.base import (
    AT_SITE, DEFAULT_RULES, LABOUR_SKILLS, built_once, CountyRules, live_member, working_age,
)
from core.models import Member, Training

POLICY_TRAINING = ("employment_skill", "startup")  # code list training_type: 就业技能培训, 创业培训
COMPLETED_TRAINING = ("passed", "failed")  # code list training_result: finished the course (not in_progress, dropped)


@built_once
def trained_member_condition(year: str) -> ColumnElement[bool]:
    """Trained in `year`: a 就业技能培训 or 创业培训 course finished (passed or failed, not dropped out
    nor still running) within the calendar year."""
    return exists().where(Training.member_id == Member.id, Training.deleted.is_(False),
                          Training.training_type.in_(POLICY_TRAINING), Training.result.in_(COMPLETED_TRAINING),
                          func.substr(func.coalesce(Training.end_date, Training.start_date), 1, 4) == year)


@built_once
def training_base_condition(month: str, rules: CountyRules = DEFAULT_RULES) -> ColumnElement[bool]:
    """"常住片区且有培训意愿劳动力": members alive in the household, living at the site (residence
    'at_site', or not recorded), of working age in `month`, able to work and willing to be trained."""
    return and_(live_member(), or_(Member.residence.is_(None), Member.residence == AT_SITE),
                working_age(month, rules), Member.labour_skill.in_(LABOUR_SKILLS), Member.training_willing.is_(True))
