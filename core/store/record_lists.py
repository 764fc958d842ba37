"""Lists of the records under households (people, jobs, training, grievances, visits) for browsing.

Each list is newest first, a page at a time, narrowed by a word that matches the household
number, the person's name or the record's own key (case number, employer, programme). ID
numbers and phones are masked here, as in the household list.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import not_, or_, select
from sqlalchemy.orm import Session

from core.codes import code_lists
from core.idcard import mask_id_number
from core.indicators import DEFAULT_RULES, CountyRules, is_overdue_condition, month_of
from core.models import Employment, Grievance, Household, Member, Synced, Training, Visit
from core.validation.fields import code_list_of


@dataclass(frozen=True)
class RecordList:
    """One browsable list: its model, its columns (field, zh, en) and the words it searches."""

    kind: str
    model: type[Synced]
    columns: tuple[tuple[str, str, str], ...]
    searched: tuple[str, ...]
    filters: tuple[str, ...] = ()  # fields a list can be narrowed to one value of (see `narrowed`)


RECORD_LISTS = {
    "member": RecordList("member", Member, (
        ("household_no", "户编号", "Household no."), ("name", "姓名", "Name"), ("id_number", "身份证号码", "ID number"),
        ("sex", "性别", "Sex"), ("age", "年龄", "Age"), ("relation", "与户主关系", "Relation"),
        ("labour_skill", "劳动技能", "Labour skill"), ("status", "成员状态", "Status")), ("name",),
        ("status", "labour_skill")),
    "employment": RecordList("employment", Employment, (
        ("household_no", "户编号", "Household no."), ("member_name", "姓名", "Name"),
        ("start_month", "开始月份", "Start"), ("end_month", "结束月份", "End"),
        ("channel", "就业渠道", "Channel"), ("employer", "就业单位", "Employer"),
        ("monthly_income", "月收入", "Monthly income")), ("employer", "place"), ("current", "channel")),
    "training": RecordList("training", Training, (
        ("household_no", "户编号", "Household no."), ("member_name", "姓名", "Name"),
        ("programme", "培训项目", "Programme"), ("training_type", "培训类型", "Type"),
        ("start_date", "开始日期", "Start"), ("result", "培训结果", "Result")), ("programme", "provider"),
        ("training_type", "result")),
    "grievance": RecordList("grievance", Grievance, (
        ("household_no", "户编号", "Household no."), ("case_no", "登记编号", "Case no."), ("kind", "诉求类别", "Kind"),
        ("received_date", "受理日期", "Received"), ("deadline", "办理期限", "Deadline"),
        ("status", "办理状态", "Status"), ("overdue", "超期", "Overdue")), ("case_no", "summary"),
        ("status", "kind", "overdue")),
    "visit": RecordList("visit", Visit, (
        ("household_no", "户编号", "Household no."), ("month", "走访月份", "Month"),
        ("visit_date", "走访日期", "Date"), ("visitor", "走访人", "Visitor"), ("method", "走访方式", "Method")),
        ("visitor",), ("month", "method")),
}


def narrowed(spec: RecordList, filters: dict[str, object], today: date, rules: CountyRules = DEFAULT_RULES) -> list:
    """The conditions of a list's filters: a field equal to a value (a code, a month), and two
    that are worked out: 'current' (a job not ended before this month; False: ended) and
    'overdue' (an open grievance past its deadline). None means the filter is off."""
    model, conditions = spec.model, []
    for name, value in filters.items():
        if name not in spec.filters:
            raise ValueError(f"the {spec.kind} list has no filter {name!r}; one of {spec.filters}")
        if value is None:
            continue
        if name == "current":
            running = or_(Employment.end_month.is_(None), Employment.end_month >= month_of(today))
            conditions.append(running if value else not_(running))
        elif name == "overdue":
            overdue = is_overdue_condition(today, rules)
            conditions.append(overdue if value else not_(overdue))
        else:
            conditions.append(getattr(model, name) == value)
    return conditions


def _statement(spec: RecordList, text: str, today: date, rules: CountyRules):  # noqa: ANN202 - a SQLAlchemy Select
    model = spec.model
    columns = [model, Household.household_no]
    stmt = select(*columns).join(Household, Household.id == model.household_id)
    if model is not Member and hasattr(model, "member_id"):
        stmt = stmt.add_columns(Member.name).outerjoin(Member, Member.id == model.member_id)
    if model is Grievance:
        stmt = stmt.add_columns(is_overdue_condition(today, rules))
    stmt = stmt.where(model.deleted.is_(False), Household.deleted.is_(False))
    word = text.strip()
    if word:
        pattern = f"%{word}%"
        tests = [Household.household_no.like(pattern)] + [getattr(model, f).like(pattern) for f in spec.searched]
        if model is not Member and hasattr(model, "member_id"):
            tests.append(Member.name.like(pattern))
        stmt = stmt.where(or_(*tests))
    return stmt


def list_records(session: Session, kind: str, text: str = "", offset: int = 0, limit: int = 100,
                 today: date | None = None, lang: str = "zh", filters: dict[str, object] | None = None,
                 rules: CountyRules = DEFAULT_RULES) -> list[dict]:
    """A page of one kind of record, narrowed by `filters` (the list's own, see `narrowed`); each
    row is {'id', 'household_id', 'member_id', column: shown text}. `rules` give grievances without
    a typed deadline one by their kind."""
    spec = RECORD_LISTS[kind]
    today = today or date.today()
    stmt = _statement(spec, text, today, rules).where(*narrowed(spec, filters or {}, today, rules)).order_by(
        spec.model.updated_at.desc(), spec.model.id).offset(offset).limit(limit)
    rows = []
    for found in session.execute(stmt).all():
        record, household_no, *extra = found
        values = {"household_no": household_no}
        if spec.model is not Member and hasattr(spec.model, "member_id"):
            values["member_name"] = extra.pop(0) or ""
        if spec.model is Grievance:
            values["overdue"] = ("超期" if lang == "zh" else "overdue") if extra.pop(0) else ""
        if spec.model is Member:
            # Age, not the birth date: with the masked ID (first six and last four digits) a birth
            # date would give back the whole number without a logged reveal.
            born = record.birth_date
            values["age"] = "" if born is None else today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        rows.append(_shown(spec, record, values, lang))
    return rows


def _shown(spec: RecordList, record: Synced, values: dict, lang: str) -> dict:
    member_id = record.id if spec.model is Member else getattr(record, "member_id", None)
    out = {"id": record.id, "household_id": record.household_id, "member_id": member_id}
    for field, _zh, _en in spec.columns:
        if field in values:
            out[field] = values[field]
            continue
        value = getattr(record, field)
        if field == "id_number":
            value = mask_id_number(value or "")
        list_name = code_list_of(spec.kind, field)
        if list_name:
            value = code_lists().label(list_name, value, lang)
        out[field] = "" if value is None else (value.isoformat() if isinstance(value, date) else value)
    return out
