"""The grievances (诉求/矛盾纠纷) demo households raise, as whole cases: a kind (and, for a dispute,
its type) from the code lists, the texts that fit it, the offices that handle it and how it ends.

A grievance is drawn as one case, so its kind, text, office and resolution always belong together:
a wage dispute is about unpaid wages and goes to the labour inspectors, a neighbours' quarrel over
the stairwell goes to the residents' committee or the site's mediation committee. A case that is
about someone the household must have (a child at school, an old person, a couple, someone who
can work) is raised only by a household that has them (see `fits`).
"""
from __future__ import annotations

from dataclasses import dataclass
from random import Random

from core.demo.names import Weighted

# Who a household has (household.Draft.traits): what a case, a visit note or a risk may be about.
STUDENT, ELDERLY, COUPLE, LABOUR, CHILD, INFANT, DISABLED = (
    "student", "elderly", "couple", "labour", "child", "infant", "disabled")
WORKING, IDLE, ILL = "working", "idle", "ill"  # someone at work this month, someone able to work who is not

_MEDIATED = ("经社区调解，双方达成一致", "经人民调解委员会调解，双方签订调解协议", "已引导当事人通过法律途径解决")
_DONE = ("已协调相关部门办理完毕", "已按政策办理，结果已告知当事人", "经核实不符合条件，已向当事人解释")
_EXPLAINED = ("已向当事人解释相关政策", "已发放政策明白卡并当面讲解", "已告知办理流程和所需材料")
_FIXED = ("已安排维修人员上门处理", "已维修完毕，住户确认正常使用")
_RECTIFIED = ("已督促责任单位整改，问题已解决", "已转交责任单位办结并答复当事人")


@dataclass(frozen=True)
class Case:
    kind: str                      # grievance_kind code
    dispute_type: str | None       # dispute_type code, for a dispute only
    weight: float
    texts: tuple[str, ...]         # the summaries that fit
    units: tuple[str, ...]         # the offices that handle it (responsible_unit)
    resolutions: tuple[str, ...]   # how it is closed
    needs: str | None = None       # what the household must have (see above)


CASES: tuple[Case, ...] = (
    # -- disputes (矛盾纠纷), by dispute type --------------------------------------------------
    Case("dispute", "wage", 3.0,
         ("在外务工被拖欠工资，请求帮助追讨", "工地包工头拖欠三个月工资未付", "被用工单位辞退，未获经济补偿"),
         ("市人社局劳动保障监察大队", "市劳动人事争议仲裁院"),
         ("经劳动保障监察介入，拖欠工资已足额支付", "已协助当事人申请劳动仲裁", "用工单位已承诺分期支付所欠工资"),
         LABOUR),
    Case("dispute", "neighbour", 8.8,
         ("与邻居因楼道堆放杂物发生纠纷", "楼上邻居家卫生间漏水渗到楼下，双方协商不成", "邻居装修噪音扰民引发争执",
          "因楼道停放电动车与邻居发生口角", "邻居在公共区域饲养家禽，影响环境卫生"),
         ("社区居委会", "安置点人民调解委员会"), _MEDIATED),
    Case("dispute", "family", 2.0, ("夫妻矛盾，请求社区调解", "夫妻因家庭开支问题经常争吵"),
         ("社区居委会", "安置点人民调解委员会", "市妇联"), _MEDIATED, COUPLE),
    Case("dispute", "family", 3.0, ("家庭内部因赡养老人产生矛盾", "兄弟之间因父母赡养费分摊产生分歧"),
         ("社区居委会", "安置点人民调解委员会", "街道司法所"), _MEDIATED),
    Case("dispute", "property", 2.5,
         ("安置房产权登记信息有误，与亲属产生争议", "亲属之间因安置房居住使用产生纠纷"),
         ("市不动产登记中心", "市生态移民局", "街道司法所"),
         ("已核实登记信息并予以更正", *_MEDIATED[:2])),
    Case("dispute", "land", 2.0,
         ("因迁出地山林承包权产生纠纷", "迁出地耕地流转收益分配产生争议", "迁出地宅基地复垦补偿产生争议"),
         ("迁出地乡镇人民政府", "市自然资源局", "市农业农村局"),
         ("已协调迁出地乡镇核实处理", *_MEDIATED[:2])),
    Case("dispute", "property_mgmt", 3.0,
         ("与物业因收费问题产生争议", "对物业费收缴标准有异议", "因车位管理与物业发生纠纷"),
         ("社区物业服务中心", "市住建局物业管理科", "社区居委会"),
         ("经社区协调，物业已作出说明，双方达成一致", "已督促物业按标准收费并公示")),
    Case("dispute", "other", 0.7, ("在集市购物与商户发生退货纠纷",),
         ("市市场监督管理局",), ("已协调商户办理退货", _MEDIATED[0])),
    # -- requests (诉求) -----------------------------------------------------------------------
    Case("request", None, 6.0, ("申请办理孩子转学手续", "申请孩子就近到安置点配套学校就读"),
         ("市教育局", "安置点配套学校"), _DONE, STUDENT),
    Case("request", None, 5.0, ("申请公益性岗位", "希望社区帮助联系就业岗位"),
         ("社区就业服务站", "市人社局就业服务中心"), ("已推荐就业岗位，当事人已上岗", *_DONE[1:]), LABOUR),
    Case("request", None, 5.0, ("申请临时救助", "申请纳入最低生活保障"),
         ("街道社会事务办", "市民政局"), _DONE),
    Case("request", None, 4.0, ("反映家中老人就医报销问题", "申请为老人办理高龄补贴"),
         ("市医疗保障局", "街道社会事务办"), _DONE, ELDERLY),
    Case("request", None, 3.0, ("申请办理残疾证", "申请残疾人两项补贴"),
         ("市残联",), _DONE, DISABLED),
    Case("request", None, 3.0, ("申请将户口迁入安置点", "申请补办户口簿"),
         ("街道派出所",), _DONE),
    Case("request", None, 1.5, ("为新生儿申报户口",),
         ("街道派出所",), _DONE[:2], INFANT),
    # -- repairs (住房维修) ---------------------------------------------------------------------
    Case("repair", None, 22.0, ("卫生间漏水，请求维修", "入户门锁损坏", "楼道灯不亮", "厨房下水道堵塞", "墙面渗水开裂"),
         ("社区物业服务中心",), _FIXED),
    # -- policy questions (政策咨询) -------------------------------------------------------------
    Case("consultation", None, 3.0, ("咨询迁出地耕地流转收益", "咨询迁出地林地补偿政策"),
         ("市农业农村局", "迁出地乡镇人民政府"), _EXPLAINED),
    Case("consultation", None, 3.5, ("咨询医保缴费政策", "咨询异地就医备案办理"),
         ("市医疗保障局", "街道社会事务办"), _EXPLAINED),
    Case("consultation", None, 3.0, ("咨询子女教育补助政策", "咨询雨露计划助学补助申请"),
         ("市教育局", "市乡村振兴局"), _EXPLAINED, STUDENT),
    Case("consultation", None, 2.5, ("咨询不动产证办理进度",),
         ("市不动产登记中心", "市生态移民局"), _EXPLAINED),
    Case("consultation", None, 3.0, ("咨询养老保险补缴", "咨询城乡居民养老保险待遇领取"),
         ("市社会保险事业局", "街道社会事务办"), _EXPLAINED),
    # -- complaints (投诉) -------------------------------------------------------------------------
    Case("complaint", None, 4.0, ("反映小区垃圾清运不及时", "投诉物业服务态度", "反映小区车辆乱停乱放"),
         ("社区物业服务中心", "社区居委会"), _RECTIFIED),
    Case("complaint", None, 2.0, ("投诉夜间广场舞噪音扰民", "投诉夜间烧烤摊噪音扰民"),
         ("社区居委会", "街道综合行政执法队"), _RECTIFIED),
    Case("complaint", None, 2.0, ("投诉安置点周边商户占道经营",),
         ("街道综合行政执法队",), _RECTIFIED),
)


def fits(case: Case, traits: frozenset[str]) -> bool:
    return case.needs is None or case.needs in traits


_ALL = Weighted([(c, c.weight) for c in CASES])


def pick_case(rng: Random, traits: frozenset[str]) -> Case:
    """A case the household can raise, by weight (drawn again when it is about someone it lacks)."""
    while True:
        case = _ALL.pick(rng)
        if fits(case, traits):
            return case
