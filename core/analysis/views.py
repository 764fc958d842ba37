"""One view per ledger of the county's paperwork (台账), plain SQL over the copied tables, named
`ledger_<name>`. Who a ledger lists in a month (working age, labour, special hardship, zero
employment) was worked out at export for the export's month (the `is_*` columns, see tables.py), so
each view stays a simple SELECT that any tool can read and change."""
from __future__ import annotations

# Where a household is: joined into every ledger that lists people or records of households.
_PLACE = """h.household_no AS household_no, s.name AS settlement, g.name AS grid, h.address AS address"""
_PLACES = """JOIN household h ON h.id = {alias}.household_id
LEFT JOIN settlement s ON s.id = h.settlement_id
LEFT JOIN grid g ON g.id = h.grid_id"""
_PERSON = """m.name AS name, m.sex_label AS sex, m.birth_date AS birth_date, m.id_number AS id_number,
m.phone AS phone, m.relation_label AS relation"""
_HEAD = """(SELECT name FROM member WHERE household_id = h.id AND relation = 'head'
        AND status <> 'removed' LIMIT 1) AS head_name"""
_PRESENT = "m.status <> 'removed'"


def _people(columns: str, where: str) -> str:
    return f"""SELECT {_PLACE}, {_PERSON}, {columns}
FROM member m
{_PLACES.format(alias='m')}
WHERE {_PRESENT} AND {where}
ORDER BY h.household_no, m.birth_date"""


def _records(alias: str, table: str, columns: str, order: str, member: str = "JOIN") -> str:
    return f"""SELECT {_PLACE}, m.name AS name, m.id_number AS id_number, {columns}
FROM {table} {alias}
{_PLACES.format(alias=alias)}
{member} member m ON m.id = {alias}.member_id
ORDER BY {order}"""


def _households(columns: str, where: str) -> str:
    return f"""SELECT {_PLACE}, {_HEAD}, h.phone AS phone, {columns}
FROM household h
LEFT JOIN settlement s ON s.id = h.settlement_id
LEFT JOIN grid g ON g.id = h.grid_id
WHERE {where}
ORDER BY h.household_no"""


VIEWS: dict[str, str] = {
    # 搬迁劳动力: the members of working age, with whether they can and want to work, and work
    "labour": _people("m.education_label AS education, m.labour_skill_label AS labour_skill, "
                      "m.job_need_label AS job_need, m.training_willing AS training_willing, "
                      "m.wished_trade AS wished_trade, m.residence_label AS residence, "
                      "m.is_labour AS is_labour, m.is_employed AS is_employed", "m.is_working_age = 1"),
    # 高校毕业生
    "graduates": _people("m.graduate_year AS graduate_year, m.education_label AS education, "
                         "m.school_status_label AS school_status, m.job_need_label AS job_need, "
                         "m.is_employed AS is_employed", "m.graduate_year IS NOT NULL"),
    # 半弱劳动力
    "weak_labour": _people("m.labour_skill_label AS labour_skill, m.job_need_label AS job_need, "
                           "m.is_employed AS is_employed", "m.labour_skill = 'weak'"),
    # 鳏寡孤独残
    "special_hardship": _people("m.marital_status_label AS marital_status, m.lives_alone AS lives_alone, "
                                "m.disability_category_label AS disability_category, "
                                "m.disability_level_label AS disability_level, m.dibao AS dibao, m.tekun AS tekun",
                                "m.is_special_hardship = 1"),
    # 就业台账
    "jobs": _records("e", "employment", "e.start_month, e.end_month, e.channel_label AS channel, "
                     "e.scope_label AS scope, e.place, e.employer, e.sector_label AS sector, e.trade, "
                     "e.monthly_income, e.has_contract, e.has_social_insurance",
                     "h.household_no, m.name, e.start_month"),
    # 培训台账
    "training": _records("t", "training", "t.programme, t.training_type_label AS training_type, t.trade, "
                         "t.provider, t.start_date, t.end_date, t.hours, t.mode_label AS mode, "
                         "t.result_label AS result, t.certificate_type_label AS certificate_type, "
                         "t.certificate_level_label AS certificate_level, t.subsidy",
                         "h.household_no, m.name, t.start_date"),
    # 零就业家庭 of the export's month
    "zero_employment": _households("(SELECT count(*) FROM member WHERE household_id = h.id "
                                   "AND status <> 'removed') AS members", "h.is_zero_employment = 1"),
    # 走访台账
    "visits": f"""SELECT {_PLACE}, {_HEAD}, v.month, v.visit_date, v.visitor, v.method_label AS method,
v.notes, v.new_risks
FROM visit v
{_PLACES.format(alias='v')}
ORDER BY v.month DESC, h.household_no""",
    # 监测对象
    "monitored": _households("h.household_type_label AS household_type, "
                             "h.monitoring_category_label AS monitoring_category, "
                             "h.monitoring_identified_month, h.monitoring_cleared_month, "
                             "h.risk_types_label AS risk_types, "
                             "(SELECT count(*) FROM measure WHERE household_id = h.id) AS measures",
                             "h.monitoring_category IS NOT NULL"),
    # 诉求台账
    "grievances": f"""SELECT {_PLACE}, {_HEAD}, c.case_no, c.kind_label AS kind,
c.dispute_type_label AS dispute_type, c.summary, c.source_label AS source, c.received_date, c.deadline,
c.status_label AS status, c.responsible_unit, c.responsible_person, c.resolution, c.closed_date,
c.followup_date, c.satisfaction_label AS satisfaction
FROM grievance c
{_PLACES.format(alias='c')}
ORDER BY c.received_date DESC""",
    # 帮扶措施
    "measures": _records("x", "measure", "x.category_label AS category, x.name AS measure, x.start_date, "
                         "x.end_date, x.amount, x.responsible_person, x.status_label AS status",
                         "h.household_no, x.start_date", member="LEFT JOIN"),
    # 花名册: everyone, whether still in the household or not
    "roster": f"""SELECT {_PLACE}, {_PERSON}, m.ethnicity_label AS ethnicity, m.education_label AS education,
m.marital_status_label AS marital_status, m.labour_skill_label AS labour_skill, m.residence_label AS residence,
m.status_label AS status
FROM member m
{_PLACES.format(alias='m')}
ORDER BY h.household_no, m.relation = 'head' DESC, m.birth_date""",
}
