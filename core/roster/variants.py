"""The names a roster's columns go by, and the ways its cells write a code: data, in one place.

联系电话 is each person's own phone (the 户籍花名册 ledger writes it so); a household's phone is 家庭电话.
A header is compared after `header_key` (full-width to ASCII, spaces, line breaks, * and a bracketed
note such as （18位） removed). Every field's own label (core.validation.fields) is accepted as well, so
a sheet the app exported reads back. Targets: 'member.FIELD' and 'household.FIELD' are stored fields;
'place.settlement' and 'place.grid' are matched by name against the profile's reference data;
'key.head_name' and 'key.head_id' say which household a row belongs to when there is no 户编号;
'skip' is a column known and left alone (序号, 年龄: the age follows from the birth date).
"""
from __future__ import annotations

HEADERS: dict[str, tuple[str, ...]] = {
    "member.name": ("姓名", "成员姓名", "家庭成员姓名", "人员姓名", "家庭成员"),
    "member.id_number": ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "证件号", "身份证",
                         "居民身份证号码", "身份证件号码"),
    "member.id_type": ("证件类型",),
    "member.relation": ("与户主关系", "与户主的关系", "家庭关系", "关系", "与户主关系称谓"),
    "member.sex": ("性别",),
    "member.ethnicity": ("民族",),
    "member.birth_date": ("出生日期", "出生年月", "出生年月日", "生日"),
    "member.phone": ("联系电话", "手机号码", "手机号", "手机", "本人电话", "个人电话", "本人手机号", "联系方式", "电话",
                     "电话号码"),
    "member.labour_skill": ("劳动力状况", "劳动技能", "劳动能力", "劳动力类型", "劳动力"),
    "member.education": ("文化程度", "学历", "受教育程度"),
    "member.school_status": ("在校生情况", "在校生状况", "在校情况", "就学情况"),
    "member.health": ("健康状况", "健康状态", "身体状况"),
    "member.disability_category": ("残疾类别", "残疾类型"),
    "member.disability_level": ("残疾等级",),
    "member.marital_status": ("婚姻状况",),
    "member.job_need": ("就业需求", "就业意愿"),
    "member.residence": ("现居住情况", "居住情况", "在家情况"),
    "member.residence_place": ("外出务工地点", "务工地点", "务工地"),
    "member.status": ("成员状态", "人员状态"),
    "member.dibao": ("享受低保", "低保", "是否低保", "是否享受低保"),
    "member.tekun": ("特困供养", "特困", "是否特困", "是否特困供养"),
    "member.medical_insurance": ("参加医疗保险", "医疗保险", "参加基本医疗保险", "医保"),
    "member.pension_insurance": ("参加养老保险", "养老保险", "参加基本养老保险"),
    "household.household_no": ("户编号", "户号", "户编码", "家庭编号", "农户编号", "家庭户号"),
    "household.phone": ("户联系电话", "家庭电话", "家庭联系电话", "户电话"),
    "household.building": ("楼栋", "楼栋号", "栋", "栋号", "楼号", "幢", "幢号"),
    "household.unit": ("单元", "单元号"),
    "household.room": ("房号", "房间号", "门牌号", "室", "户室号", "房屋号"),
    "household.resettlement_mode": ("安置方式",),
    "household.resettlement_area": ("安置区域",),
    "household.relocation_year": ("搬迁年度", "搬迁年份", "搬迁时间", "入住年份"),
    "household.origin_area_code": ("迁出地行政区划代码", "迁出地代码"),
    "household.house_area": ("住房面积", "安置房面积", "房屋面积"),
    "household.household_type": ("户类型", "户属性", "农户属性", "户类别"),
    "household.monitoring_category": ("监测对象类别", "监测类型"),
    "household.notes": ("备注",),
    "place.settlement": ("安置点", "安置点名称", "安置小区", "安置社区", "安置地点", "集中安置点"),
    "place.grid": ("网格", "所属网格", "网格名称"),
    "key.head_name": ("户主姓名", "户主"),
    "key.head_id": ("户主身份证号", "户主身份证号码", "户主证件号码", "户主公民身份号码"),
    "skip": ("序号", "年龄", "户人数", "家庭人口数"),
}

# The columns a roster cannot do without (one of each group).
REQUIRED_COLUMNS: tuple[tuple[str, ...], ...] = (("member.name",), ("member.relation",))

# Cells that write a code otherwise than its label, by code list (compared after `value_key`). A label,
# an English label and the code itself are always accepted; for 民族 the name without 族 (苗 for 苗族).
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "relation": {
        "本人": "head", "户主本人": "head",
        "妻": "spouse", "妻子": "spouse", "之妻": "spouse", "夫": "spouse", "丈夫": "spouse", "之夫": "spouse",
        "儿子": "son", "之子": "son", "长子": "son", "次子": "son", "三子": "son", "四子": "son", "独子": "son",
        "女儿": "daughter", "之女": "daughter", "长女": "daughter", "次女": "daughter", "三女": "daughter",
        "四女": "daughter", "独女": "daughter",
        "儿媳妇": "daughter_in_law", "媳妇": "daughter_in_law", "长媳": "daughter_in_law",
        "孙子": "grandchild", "孙女": "grandchild", "外孙子": "grandchild", "外孙女": "grandchild",
        "外孙": "grandchild", "孙": "grandchild",
        "父亲": "parent", "母亲": "parent", "父": "parent", "母": "parent", "之父": "parent", "之母": "parent",
        "岳父": "parent", "岳母": "parent", "公公": "parent", "婆婆": "parent",
        "祖父": "grandparent", "祖母": "grandparent", "外祖父": "grandparent", "外祖母": "grandparent",
        "兄": "sibling", "弟": "sibling", "姐": "sibling", "妹": "sibling", "哥哥": "sibling", "弟弟": "sibling",
        "姐姐": "sibling", "妹妹": "sibling", "兄弟": "sibling", "姐妹": "sibling",
    },
    "sex": {"男性": "1", "女性": "2"},
    "labour_skill": {"技能劳动力": "skilled", "普通": "ordinary", "弱劳动力": "weak", "半劳动力": "weak",
                     "丧失劳动能力": "lost", "无劳动能力": "none", "非劳动力": "none"},
    "education": {"文盲": "none", "半文盲": "none", "中专": "vocational", "技校": "vocational", "职高": "vocational",
                  "本科": "bachelor", "研究生": "bachelor", "学龄前儿童": "preschool"},
    "marital_status": {"已婚": "married", "初婚": "married", "再婚": "married"},
    "id_type": {"身份证": "resident_id", "居民身份证": "resident_id"},
}

# A data row with a cell like these is a foot of the sheet (合计, 填表人：…), not a person.
FOOTER_WORDS = ("合计", "总计", "小计", "填表人", "填报人", "审核人", "制表人", "负责人", "单位负责人", "联系电话")
