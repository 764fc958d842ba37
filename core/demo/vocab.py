"""Words the demo data is made of: places, employers, trades, courses, case texts, measures.

Codes are always taken from core/resources/codes/codes.json; only free text lives here.
"""
from __future__ import annotations

from core.demo.casebook import DISABLED, ELDERLY, IDLE, ILL, LABOUR, STUDENT, WORKING
from core.demo.names import Weighted, weighted_text

PROVINCE = ("52", "贵州省")
CITY = ("5226", "黔东南苗族侗族自治州")
COUNTY = ("522601", "凯里市")
# Other counties of the prefecture: where a few members' ID numbers were issued.
NEIGHBOUR_COUNTY_CODES = ("522622", "522623", "522624", "522627", "522629", "522630", "522634", "522635")

# Towns hosting resettlement sites (statistics codes 0xx subdistricts, 1xx towns) and their new communities.
HOST_TOWNSHIPS = (("001", "城西街道"), ("002", "开怀街道"), ("101", "炉山镇"))
COMMUNITY_NAMES = ("阳光", "幸福", "和谐", "锦绣", "新民", "怡心", "安康", "同心", "乐居", "兴隆", "福泉", "金泉")
SETTLEMENT_SUFFIX = ("社区安置点", "家园安置点", "苑安置点", "社区安置点")
# Rural towns and townships the households moved out of (1xx towns, 2xx townships).
ORIGIN_TOWNSHIPS = (("102", "旁海镇"), ("103", "湾水镇"), ("104", "凯棠镇"), ("105", "龙场镇"), ("106", "万潮镇"),
                    ("107", "舟溪镇"), ("108", "三棵树镇"), ("109", "大风洞镇"), ("110", "下司镇"), ("111", "碧波镇"),
                    ("201", "南哨乡"), ("202", "雷公坪乡"), ("203", "平乐乡"))
VILLAGE_NAMES = ("岩寨", "平寨", "高坡", "坪上", "龙井", "乌利", "排乐", "河坝", "老寨", "新寨", "杉木", "田坝",
                 "大坪", "白岩", "麻塘", "青杠", "水井", "营盘", "干河", "摆底", "冷水", "九寨")

# Ethnicity codes of the prefecture: 汉 苗 布依 侗, and a few 水 and 土家.
ETHNICITIES = weighted_text("01:35 06:40 09:10 12:12 25:2 15:1")
RELOCATION_YEARS = Weighted([(2016, 8), (2017, 26), (2018, 32), (2019, 26), (2020, 8)])

OUT_PROVINCE_PLACES = ("广东省东莞市", "广东省深圳市", "广东省佛山市", "广东省广州市", "浙江省宁波市", "浙江省温州市",
                       "浙江省杭州市", "福建省泉州市", "福建省厦门市", "江苏省苏州市", "上海市松江区")
IN_PROVINCE_PLACES = ("贵阳市观山湖区", "贵阳市白云区", "遵义市汇川区", "都匀市", "安顺市西秀区", "六盘水市钟山区")
IN_COUNTY_PLACES = ("凯里经济开发区", "凯里市城西街道", "凯里市开怀街道", "凯里市炉山工业园", "凯里市下司镇")
COMPANY_WORDS = ("宏达", "华兴", "盛源", "鑫源", "永利", "恒通", "众诚", "明辉", "黔程", "苗岭", "清水江", "新锐", "远航")
COMPANY_KINDS = ("电子有限公司", "鞋业有限公司", "服装厂", "建筑工程有限公司", "物流有限公司", "餐饮管理有限公司",
                 "物业管理有限公司", "家政服务有限公司", "机械制造有限公司", "食品有限公司")

# (trade, GB/T 4754 sector letter) by employment channel.
_FACTORY = (("普工", "C"), ("电子装配工", "C"), ("缝纫工", "C"), ("包装工", "C"), ("质检员", "C"))
_BUILDING = (("建筑工", "E"), ("钢筋工", "E"), ("木工", "E"), ("砌筑工", "E"))
_SERVICE = (("服务员", "H"), ("厨师", "H"), ("保洁员", "O"), ("保安员", "O"), ("快递员", "G"), ("货车司机", "G"),
            ("营业员", "F"), ("育婴员", "O"), ("护工", "Q"), ("美发师", "O"))
TRADES_BY_CHANNEL = {
    "organised": _FACTORY + _BUILDING,
    "self_migrant": _FACTORY + _BUILDING + _SERVICE,
    "local_enterprise": _FACTORY + _SERVICE,
    "workshop": (("缝纫工", "C"), ("手工编织工", "C"), ("电子装配工", "C"), ("苗绣工", "C")),
    "public_post": (("保洁员", "N"), ("护林员", "A"), ("楼栋长", "S"), ("公益性岗位协管员", "S"), ("治安巡逻员", "S")),
    "startup": (("个体经营", "F"), ("小吃店经营", "H"), ("养殖", "A"), ("电商", "F")),
    "flexible": _SERVICE + (("零工", "E"), ("网约车司机", "G")),
    "work_relief": (("建筑工", "E"), ("道路养护工", "E")),
    "farming": (("种植", "A"), ("养殖", "A"), ("茶叶种植", "A")),
    "other": (("零工", "O"),),
}
CHANNELS = weighted_text("organised:12 self_migrant:30 local_enterprise:17 workshop:10 public_post:6 startup:3 "
                         "flexible:12 work_relief:2 farming:6 other:2")
# Monthly income range (yuan) by scope.
INCOME_BY_SCOPE = {"out_province": (4000, 8000), "in_province": (3000, 6000), "in_county": (1800, 4200),
                   "abroad": (5000, 8000)}

WISHED_TRADES = ("电工", "焊工", "厨师", "面点师", "育婴员", "家政服务员", "养老护理员", "挖掘机驾驶员", "电子商务",
                 "苗绣", "汽车维修工", "美容美发", "中式烹调师", "茶艺师")
TRAINING_TYPES = weighted_text("employment_skill:45 skill_upgrade:15 startup:8 apprenticeship:5 night_school:12 "
                               "agri_tech:12 other:3")
TRAINING_PROVIDERS = ("凯里市职业技术培训学校", "黔东南州技师学院", "凯里市人社局就业训练中心", "凯里市众诚职业培训学校",
                      "凯里市妇联巾帼家政培训基地", "社区新市民夜校")

# Grievances (kind, type, text, office, resolution) are whole cases: core/demo/casebook.py.
SOURCES = weighted_text("grid_survey:40 resident:35 hotline_12345:8 department:17")
SATISFACTION = weighted_text("very_satisfied:40 satisfied:45 neutral:12 dissatisfied:3")

VISIT_METHODS = weighted_text("home:80 phone:12 wechat:8")
# Visit notes and new risks: (text, what the household must have for it, casebook's traits; None: any).
VISIT_NOTES = (("家庭情况稳定，无新增风险", None), ("家庭成员务工稳定", WORKING), ("了解家庭收入情况，已登记", None),
               ("宣传就业和培训政策", LABOUR), ("老人身体状况良好", ELDERLY), ("孩子就学正常", STUDENT),
               ("督促缴纳医保", None), ("家中有人待业，已推荐岗位", IDLE), ("核实家庭成员变化情况", None))
NEW_RISKS = (("家庭成员生病住院，医疗支出增加", None), ("主要劳动力失业在家", IDLE), ("家中老人需长期照料", ELDERLY),
             ("房屋有渗漏，需维修", None))

# Measures by risk type: (measure category, name, amount range or None).
MEASURES_BY_RISK = {
    "illness": (("health", "落实医疗救助", (1000, 8000)), ("health", "家庭医生签约服务", None)),
    "disability": (("social_security", "落实残疾人两项补贴", (1200, 2400)), ("public_post", "安排公益性岗位", None)),
    "schooling": (("education", "落实雨露计划助学补助", (3000, 3000)), ("education", "申请国家助学金", (2000, 3300))),
    "disaster": (("social_security", "发放临时救助金", (1000, 5000)), ("housing", "住房安全维修", (2000, 8000))),
    "lack_labour": (("social_security", "纳入低保", (3000, 6000)), ("public_post", "安排公益性岗位", None)),
    "accident": (("social_security", "发放临时救助金", (1000, 5000)),),
    "business_failure": (("finance", "发放脱贫人口小额信贷", (20000, 50000)), ("industry", "产业奖补", (1000, 5000))),
    "unstable_work": (("employment", "推荐到帮扶车间就业", None), ("employment", "组织参加就业技能培训", None)),
    "housing": (("housing", "住房安全维修", (2000, 8000)),),
    "water": (("water", "饮水安全改造", (500, 2000)),),
    "high_expense": (("social_security", "发放临时救助金", (1000, 5000)),),
    "other": (("other", "结对帮扶干部走访慰问", None),),
}
RISKS = weighted_text("illness:30 disability:15 schooling:10 disaster:5 lack_labour:12 accident:5 business_failure:4 "
                      "unstable_work:14 housing:2 water:1 high_expense:6 other:2")
# Risks about someone: only a household that has them (casebook's traits) meets them.
RISK_NEEDS = {"illness": ILL, "disability": DISABLED, "schooling": STUDENT, "unstable_work": LABOUR,
              "business_failure": LABOUR}
MONITORING = weighted_text("unstable:40 marginal:45 sudden_hardship:15")


def pick(rng, seq):  # noqa: ANN001 - a Random and any sequence
    """One element of `seq`, uniformly (cheaper than rng.choice)."""
    return seq[int(rng.random() * len(seq))]


__all__ = ["Weighted", "pick"]
