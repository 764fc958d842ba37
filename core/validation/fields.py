"""The declared tables the validation layer works from: labels and code lists of fields.

Entities are named by their table names (the names they have on the wire).
"""
from __future__ import annotations

# What each field is called on forms and in messages: (Chinese, English).
# A key 'entity.field' overrides the plain 'field' for that entity.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    # bookkeeping and links
    "id": ("记录编号", "record id"),
    "created_at": ("创建时间", "created at"),
    "updated_at": ("修改时间", "updated at"),
    "created_by": ("创建人", "created by"),
    "device_id": ("设备编号", "device id"),
    "deleted": ("已删除", "deleted"),
    "server_seq": ("服务器版本号", "server sequence"),
    "household_id": ("所属户", "household"),
    "member_id": ("成员", "member"),
    "settlement_id": ("安置点", "settlement"),
    "grid_id": ("网格", "grid"),
    "members": ("家庭成员", "household members"),
    "parties": ("当事人", "parties"),
    # household
    "household_no": ("户编号", "household number"),
    "building": ("楼栋", "building"),
    "unit": ("单元", "unit"),
    "room": ("房号", "room"),
    "resettlement_mode": ("安置方式", "resettlement mode"),
    "resettlement_area": ("安置区域", "resettlement area"),
    "relocation_year": ("搬迁年度", "relocation year"),
    "origin_area_code": ("迁出地行政区划代码", "origin area code"),
    "house_area": ("住房面积", "house area"),
    "phone": ("联系电话", "phone"),
    "household_type": ("户类型", "household type"),
    "monitoring_category": ("监测对象类别", "monitoring category"),
    "monitoring_identified_month": ("纳入监测月份", "month identified for monitoring"),
    "monitoring_cleared_month": ("风险消除月份", "month risk cleared"),
    "risk_types": ("风险类型", "risk types"),
    # sync conflicts
    "conflict.entity": ("记录类型", "record type"),
    "conflict.row_id": ("记录编号", "record id"),
    "conflict.field": ("冲突项", "field in conflict"),
    "conflict.kind": ("冲突类型", "kind of conflict"),
    "conflict.server_value": ("服务器上的值", "value on the server"),
    "conflict.client_value": ("另一设备上的值", "value from the other device"),
    "conflict.server_author": ("服务器值的修改人", "changed on the server by"),
    "conflict.server_device": ("服务器值来自设备", "server value from device"),
    "conflict.server_at": ("服务器值的修改时间", "server value changed at"),
    "conflict.client_author": ("另一值的修改人", "other value changed by"),
    "conflict.client_device": ("另一值来自设备", "other value from device"),
    "conflict.client_at": ("另一值的修改时间", "other value changed at"),
    "conflict.status": ("处理状态", "status"),
    "conflict.resolution": ("处理结果", "resolution"),
    "conflict.resolved_by": ("处理人", "resolved by"),
    "conflict.resolved_at": ("处理时间", "resolved at"),
    # a household's income of a year (人均可支配收入 by its four sources)
    "year": ("年度", "year"),
    "wage": ("工资性收入", "wage income"),
    "business": ("经营净收入", "net business income"),
    "property": ("财产净收入", "net property income"),
    "transfer": ("转移净收入", "net transfer income"),
    "household_size": ("当年家庭人口", "household size that year"),
    # a member's insurance of a year
    "insurance.kind": ("险种", "insurance"),
    "insured": ("已参保", "insured"),
    "scheme": ("参保类型", "scheme"),
    "paid_by": ("缴费方式", "paid by"),
    # the county's settings
    "working_age_min": ("劳动年龄下限（周岁）", "working age from"),
    "working_age_max": ("劳动年龄上限（周岁）", "working age to"),
    "round_coverage": ("完成一期监测的走访覆盖率", "visit coverage completing a round"),
    "training_target": ("培训覆盖率目标", "training coverage target"),
    "farmer_income_growth": ("全县农村居民人均可支配收入增速", "county rural income growth"),
    "farmer_income_year": ("增速所属年度", "year of that growth"),
    "grievance_days": ("诉求办理时限（天）", "days to handle a grievance"),
    "consent_date": ("知情同意日期", "consent date"),
    "notes": ("备注", "notes"),
    # member
    "name": ("姓名", "name"),
    "id_type": ("证件类型", "ID type"),
    "id_number": ("身份证号码", "ID number"),
    "sex": ("性别", "sex"),
    "birth_date": ("出生日期", "birth date"),
    "ethnicity": ("民族", "ethnicity"),
    "relation": ("与户主关系", "relation to head"),
    "member.phone": ("手机号码", "mobile number"),
    "education": ("文化程度", "education"),
    "school_status": ("在校生情况", "school status"),
    "health": ("健康状况", "health"),
    "disability_category": ("残疾类别", "disability category"),
    "disability_level": ("残疾等级", "disability level"),
    "labour_skill": ("劳动技能", "labour skill"),
    "graduate_year": ("高校毕业年份", "college graduation year"),
    "dibao": ("享受低保", "receives dibao"),
    "tekun": ("特困供养", "extreme-hardship support"),
    "medical_insurance": ("参加医疗保险", "medical insurance"),
    "pension_insurance": ("参加养老保险", "pension insurance"),
    "job_need": ("就业需求", "job need"),
    "training_willing": ("培训意愿", "willing to train"),
    "wished_trade": ("希望培训的工种", "wished trade"),
    "member.status": ("成员状态", "member status"),
    "marital_status": ("婚姻状况", "marital status"),
    "lives_alone": ("独居", "lives alone"),
    "residence": ("现居住情况", "where living now"),
    "residence_place": ("外出务工地点", "where working away"),
    "residence_since": ("现居住情况开始月份", "living there since"),
    "returned_worker": ("返乡劳动力", "returned worker"),
    "returned_month": ("返乡月份", "month returned"),
    # employment
    "employment.member_id": ("就业人员", "worker"),
    "start_month": ("开始月份", "start month"),
    "end_month": ("结束月份", "end month"),
    "channel": ("就业渠道", "employment channel"),
    "scope": ("就业地域", "employment scope"),
    "place": ("就业地点", "place of work"),
    "employer": ("就业单位", "employer"),
    "sector": ("行业", "sector"),
    "trade": ("工种", "trade"),
    "monthly_income": ("月收入", "monthly income"),
    "has_contract": ("签订劳动合同", "has a contract"),
    "has_social_insurance": ("参加社会保险", "has social insurance"),
    "contract_term": ("劳动合同期限", "contract term"),
    "insurance_months": ("社保缴纳月数", "months of social insurance paid"),
    "place_code": ("就业地（行政区划）", "place of work (division)"),
    # training
    "programme": ("培训项目", "programme"),
    "training_type": ("培训类型", "training type"),
    "training.trade": ("培训工种", "trade trained"),
    "provider": ("培训机构", "training provider"),
    "start_date": ("开始日期", "start date"),
    "end_date": ("结束日期", "end date"),
    "hours": ("培训课时", "hours"),
    "mode": ("培训方式", "training mode"),
    "result": ("培训结果", "training result"),
    "certificate_type": ("证书类型", "certificate type"),
    "certificate_level": ("证书等级", "certificate level"),
    "certificate_no": ("证书编号", "certificate number"),
    "subsidy": ("培训补贴", "training subsidy"),
    "employment_id": ("培训后就业", "job it led to"),
    # grievance and parties
    "case_no": ("登记编号", "case number"),
    "kind": ("诉求类别", "kind"),
    "dispute_type": ("纠纷类型", "dispute type"),
    "summary": ("诉求内容", "summary"),
    "source": ("来源", "source"),
    "received_date": ("受理日期", "received date"),
    "deadline": ("办理期限", "deadline"),
    "grievance.status": ("办理状态", "status"),
    "responsible_unit": ("责任单位", "responsible unit"),
    "responsible_person": ("责任人", "responsible person"),
    "resolution": ("办理结果", "resolution"),
    "closed_date": ("办结日期", "closing date"),
    "followup_date": ("回访日期", "follow-up date"),
    "satisfaction": ("满意度", "satisfaction"),
    "grievance_id": ("所属诉求", "grievance"),
    "role": ("当事人身份", "role"),
    # visit and visit members
    "month": ("走访月份", "visit month"),
    "visit_date": ("走访日期", "visit date"),
    "visitor": ("走访人", "visitor"),
    "method": ("走访方式", "visit method"),
    "visit.notes": ("走访情况", "visit notes"),
    "new_risks": ("新发现的风险", "new risks"),
    "visit_id": ("所属走访", "visit"),
    "employment_status": ("本月就业状态", "employment status this month"),
    "income": ("本月收入", "income this month"),
    "visit_member.place_code": ("本月就业地", "where working this month"),
    "visit_member.sector": ("本月就业行业", "sector this month"),
    # measure
    "category": ("措施类别", "measure category"),
    "measure.name": ("措施名称", "measure name"),
    "measure.member_id": ("帮扶对象", "member helped"),
    "amount": ("金额", "amount"),
    "status": ("状态", "status"),
    "measure.status": ("实施状态", "measure status"),
    # reference data
    "code": ("代码", "code"),
    "level": ("级别", "level"),
    "parent_code": ("上级代码", "parent code"),
    "area.name": ("名称", "name"),
    "settlement.name": ("名称", "name"),
    "grid.name": ("名称", "name"),
    "area_code": ("行政区划代码", "area code"),
    "settlement.mode": ("安置方式", "resettlement mode"),
    "address": ("地址", "address"),
    "village_code": ("村(社区)代码", "village code"),
}

# Which code list (core/resources/codes/codes.json) each coded field takes its values from.
# A field holding a list of codes (JSON column) has each item checked against the list.
CODED_FIELDS: dict[str, dict[str, str]] = {
    "household": {
        "resettlement_mode": "resettlement_mode",
        "resettlement_area": "resettlement_area",
        "household_type": "household_type",
        "monitoring_category": "monitoring_category",
        "risk_types": "risk_type",
    },
    "member": {
        "id_type": "id_type",
        "sex": "sex",
        "ethnicity": "ethnicity",
        "relation": "relation",
        "education": "education",
        "school_status": "school_status",
        "health": "health",
        "disability_category": "disability_category",
        "disability_level": "disability_level",
        "labour_skill": "labour_skill",
        "job_need": "job_need",
        "status": "member_status",
        "marital_status": "marital_status",
        "residence": "residence",
    },
    "employment": {
        "channel": "employment_channel",
        "scope": "employment_scope",
        "sector": "industry_section",
        "contract_term": "contract_term",
    },
    "training": {
        "training_type": "training_type",
        "mode": "training_mode",
        "result": "training_result",
        "certificate_type": "certificate_type",
        "certificate_level": "certificate_level",
    },
    "grievance": {
        "kind": "grievance_kind",
        "dispute_type": "dispute_type",
        "source": "grievance_source",
        "status": "grievance_status",
        "satisfaction": "satisfaction",
    },
    "grievance_party": {"role": "party_role"},
    "visit": {"method": "visit_method"},
    "visit_member": {"employment_status": "monthly_employment_status", "sector": "industry_section"},
    "measure": {"category": "measure_category", "status": "measure_status"},
    "insurance": {"kind": "insurance_kind", "scheme": "insurance_scheme", "paid_by": "insurance_payer"},
    "area": {"level": "area_level"},
    "settlement": {"mode": "resettlement_mode"},
}

# What each entity is called in messages.
ENTITY_LABELS: dict[str, tuple[str, str]] = {
    "household": ("户", "household"),
    "member": ("成员", "member"),
    "employment": ("就业记录", "employment record"),
    "training": ("培训记录", "training record"),
    "grievance": ("诉求", "grievance"),
    "grievance_party": ("当事人", "party"),
    "visit": ("走访记录", "visit"),
    "visit_member": ("走访成员情况", "visit member row"),
    "measure": ("帮扶措施", "measure"),
    "household_income": ("年度收入", "income of a year"),
    "insurance": ("参保记录", "insurance record"),
    "county_settings": ("县级设置", "county settings"),
    "area": ("行政区划", "area"),
    "settlement": ("安置点", "settlement"),
    "grid": ("网格", "grid"),
    "conflict": ("同步冲突", "sync conflict"),
}

# Child rows inside a form, by the name of their list in a field path ('members[2].name').
ROW_LABELS: dict[str, tuple[str, str]] = {
    "members": ("成员", "member"),
    "parties": ("当事人", "party"),
}

# Text fields that hold numbers or codes: full-width characters typed with a Chinese input
# method are turned into their ASCII forms when normalising.
ASCII_FIELDS = frozenset({
    "household_no", "building", "unit", "room", "origin_area_code", "phone", "id_number",
    "case_no", "certificate_no", "code", "parent_code", "area_code", "village_code", "place_code",
})

# Text fields holding a month, always stored as 'YYYY-MM'.
MONTH_FIELDS = frozenset({
    "month", "start_month", "end_month", "monitoring_identified_month", "monitoring_cleared_month",
    "residence_since", "returned_month",
})


def label(entity: str, field: str) -> tuple[str, str]:
    """The (Chinese, English) label of a field of an entity; the field name when none is declared."""
    return FIELD_LABELS.get(f"{entity}.{field}") or FIELD_LABELS.get(field) or (field, field)


def code_list_of(entity: str, field: str) -> str | None:
    """The code list a field's values come from, or None for a field that is not coded."""
    return CODED_FIELDS.get(entity, {}).get(field)
