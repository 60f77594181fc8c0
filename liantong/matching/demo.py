"""Demo of the supply–demand strand: for each demo chain (镇江 ships, 平顶山 nylon, 白银 lithium) supplies,
demands and the chain master's opened scenario that match one another, contact requests answered, a few
deals (some made at a matchmaking meeting), and 镇江's supporting firms' revenues for 2024 and 2025.

Deterministic and idempotent: listings are keyed by ``ref``, meetings by title, deals by (supplier, buyer,
title), revenues by (firm, year); everything goes through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from liantong.orgs.models import Chain, ChainMembership, ChainRole, Enterprise

from . import services
from .models import ContactRequest, ContactStatus, Deal, ListingKind
from .workflow import CONTACT

S, D, SC = ListingKind.SUPPLY, ListingKind.DEMAND, ListingKind.SCENARIO

# (ref, firm, kind, node or None (= the firm's node), title, description, keywords, category, quantity)
ZHENJIANG = [
    ("ZJ-SC-01", "江苏省镇江船厂（集团）有限公司", SC, None, "镇江船厂开放供应链场景：64000吨散货船本地配套",
     "链主开放64000吨散货船建造配套：1. AH36/DH36高强度船板（36kg级，CCS船级社认证）；2. E71T-1C药芯焊丝；"
     "3. 压载舱环氧防腐涂料；4. 舱口盖、导缆孔等舾装件。优先本地配套企业，可签订年度框架协议。",
     ["开放场景", "船板", "药芯焊丝", "防腐涂料", "舾装件"], "material", "年需钢材约3万吨"),
    ("ZJ-D-01", "江苏省镇江船厂（集团）有限公司", D, None, "散货船船体钢材（36kg级）采购",
     "64000吨散货船分段建造用高强度船板，36kg级，A/D质量等级，厚度10–32mm，需CCS或ABS船级社认证，分批交货。",
     ["船板", "36kg级", "高强度"], "material", "约8000吨"),
    ("ZJ-D-02", "江苏省镇江船厂（集团）有限公司", D, None, "船体焊接用药芯焊丝采购",
     "船体分段CO2气保焊用E71T-1C药芯焊丝，直径1.2mm，需船级社认可证书，月度供货。", ["药芯焊丝", "E71T-1C", "焊材"],
     "material", "每月约60吨"),
    ("ZJ-D-03", "中船动力（集团）有限公司", D, None, "船用中速双燃料发动机曲轴锻件采购",
     "双燃料发动机配套曲轴锻件，材料42CrMo4，需船级社认证及超声波探伤报告，小批量试制后批量采购。",
     ["曲轴", "锻件", "双燃料发动机"], "part", "首批20件"),
    ("ZJ-D-04", "镇江海帆船舶配件有限公司", D, None, "舾装件加工用船用钢板采购",
     "舱口盖、导缆孔等舾装件加工用船用钢板，A级或AH36，厚度8–20mm，小批量多批次。", ["船用钢板", "舾装件"],
     "material", "每季度约300吨"),
    ("ZJ-S-01", "镇江长润船用钢材有限公司", S, None, "AH36/DH36高强度船板现货供应",
     "常备AH36、DH36高强度船板，36kg级，厚度8–40mm，CCS/ABS/DNV船级社认证，可按分段套料配送。",
     ["船板", "AH36", "DH36", "高强度"], "material", "库存约1.2万吨"),
    ("ZJ-S-02", "镇江恒泰焊接材料有限公司", S, None, "E71T-1C药芯焊丝（船级社认证）",
     "船用CO2气保护药芯焊丝E71T-1C，直径1.0/1.2/1.4mm，取得CCS、ABS认证，适用于船体结构全位置焊接。",
     ["药芯焊丝", "E71T-1C", "焊材"], "material", "年产1.5万吨"),
    ("ZJ-S-03", "镇江蓝海船用涂料有限公司", S, None, "压载舱环氧防腐涂料",
     "符合IMO PSPC标准的压载舱环氧防腐涂料，附船级社型式认可，提供涂装技术服务。",
     ["防腐涂料", "环氧", "压载舱"], "material", "年产8000吨"),
    ("ZJ-S-04", "镇江启航智能控制系统有限公司", S, None, "机舱监测报警系统（CCS认证）",
     "船舶机舱自动化监测报警系统，支持双燃料主机参数接入，CCS型式认可，可提供安装调试。",
     ["监测报警", "机舱自动化", "智能控制"], "equipment", "年产120套"),
    ("ZJ-S-05", "镇江江枫动力部件有限公司", S, None, "船用曲轴锻件及精加工",
     "自由锻及模锻船用曲轴、连杆锻件，材料42CrMo4，具备超声波探伤与船级社认证，可承接双燃料发动机配套件。",
     ["曲轴", "锻件", "精加工"], "part", "年产2000件"),
    ("ZJ-S-06", "镇江海帆船舶配件有限公司", S, None, "船用舾装件（舱口盖、导缆孔）",
     "舱口盖、导缆孔、带缆桩等船用舾装件制造，可按图加工并提供船级社检验。", ["舾装件", "舱口盖", "导缆孔"],
     "part", "年产3000件"),
    ("ZJ-S-07", "镇江远洋船舶修造服务有限公司", S, None, "船舶坞修与二次涂装服务",
     "5万吨级船坞，承接散货船坞修、除锈与二次涂装服务。", ["坞修", "涂装服务"], "service", "年修船60艘"),
]
PINGDINGSHAN = [
    ("PDS-SC-01", "平顶山锦纶新材料集团有限公司", SC, None, "锦纶集团开放场景：尼龙66改性与检测配套",
     "链主开放配套场景：1. 玻纤增强PA66改性加工；2. 尼龙切片相对黏度、熔点检测服务；3. 锦纶面料无水染色加工。"
     "欢迎园区企业参与，优先本地配套。", ["开放场景", "改性", "检测", "无水染色"], "capacity", "年配套约2万吨"),
    ("PDS-S-01", "平顶山锦纶新材料集团有限公司", S, None, "聚己二酰己二胺注塑级树脂",
     "注塑级聚己二酰己二胺树脂切片，相对黏度2.7，适用于改性造粒与注塑件。", ["注塑级", "切片", "树脂"],
     "material", "年产10万吨"),
    ("PDS-D-01", "平顶山昌隆源有限公司", D, None, "改性用尼龙66注塑级基础树脂采购",
     "玻纤增强改性用PA66注塑级基础树脂，相对黏度2.6–2.8，月度稳定供货。", ["PA66", "注塑级", "基础树脂"],
     "material", "每月300吨"),
    ("PDS-S-02", "平顶山昌隆源有限公司", S, None, "玻纤增强阻燃PA66改性料",
     "30%玻纤增强阻燃PA66改性粒料，UL94 V-0，适用于充电桩外壳、连接器。", ["PA66", "阻燃", "玻纤增强", "改性料"],
     "material", "年产1.5万吨"),
    ("PDS-D-02", "平顶山立充新能源科技有限公司", D, None, "充电桩外壳用阻燃尼龙66改性料采购",
     "直流充电桩外壳及连接器用阻燃增强尼龙66改性料，V-0级，需提供UL认证。", ["尼龙66", "阻燃", "改性料"],
     "material", "每年约800吨"),
    ("PDS-S-03", "赛伏特质量检测公司", S, None, "尼龙材料检测（相对黏度、熔点、力学性能）",
     "CNAS认可实验室，承接尼龙切片相对黏度、熔点、拉伸与冲击性能检测，3个工作日出具报告。",
     ["检测", "尼龙", "CNAS"], "testing", "日检测能力200样"),
    ("PDS-S-04", "河南无水染色科技股份有限公司", S, None, "锦纶面料超临界CO2无水染色加工",
     "超临界二氧化碳无水染色，零废水排放，承接锦纶、涤纶面料来料加工。", ["无水染色", "超临界CO2", "锦纶"],
     "capacity", "年加工3000万米"),
]
# 白银: firms are looked up on the 锂电池 chain by name
BAIYIN = [
    ("BY-SC-01", "甘肃东方钛业有限公司", SC, None, "链主开放：磷酸铁—磷酸铁锂一体化原料配套",
     "链主建设磷酸铁—磷酸铁锂一体化产线，开放原料配套场景：1. 钛白副产硫酸亚铁；2. 工业级磷酸一铵；"
     "3. 湿法净化磷酸；4. 电池级碳酸锂。优先园区内企业，长期合作。",
     ["开放场景", "硫酸亚铁", "磷酸一铵", "净化磷酸", "碳酸锂"], "material", "年需原料约15万吨"),
    ("BY-S-01", "白银陇原新能源材料有限公司", S, None, "电池级碳酸锂", "电池级碳酸锂，Li2CO3≥99.5%，磁性异物<50ppb，吨袋包装。",
     ["碳酸锂", "电池级"], "material", "年产2万吨"),
    ("BY-S-02", "甘肃鼎盛新能源材料有限公司", S, None, "湿法净化磷酸（电池级）", "湿法净化磷酸，85%，金属杂质低，适用于磷酸铁、磷酸铁锂生产。",
     ["净化磷酸", "磷酸"], "material", "年产5万吨"),
    ("BY-S-03", "白银兴陇新能源材料股份有限公司", S, None, "储能型磷酸铁锂正极材料（LiFePO4）",
     "储能型LiFePO4正极材料，压实密度2.45g/cm3，循环寿命6000次以上。", ["LiFePO4", "正极材料", "储能型"],
     "material", "年产3万吨"),
    ("BY-S-04", "白银金鑫新能源材料有限公司", S, None, "人造石墨负极材料", "动力及储能用人造石墨负极，比容量355mAh/g，首效94%。",
     ["人造石墨", "负极"], "material", "年产2万吨"),
    ("BY-S-05", "白银鑫源新能源材料有限公司", S, None, "六氟磷酸锂电解液", "磷酸铁锂电池用电解液，六氟磷酸锂体系，适配储能电芯。",
     ["电解液", "六氟磷酸锂"], "material", "年产1万吨"),
    ("BY-S-06", "白银华鹭新能源材料股份有限公司", S, None, "280Ah储能用磷酸铁锂电芯",
     "280Ah方形铝壳磷酸铁锂储能电芯，循环6000次，通过GB/T 36276认证。", ["储能电芯", "280Ah", "磷酸铁锂"],
     "part", "年产2GWh"),
    ("BY-D-01", "白银华鹭新能源材料股份有限公司", D, None, "储能电芯用LFP正极材料采购",
     "280Ah储能电芯用磷酸铁锂正极材料，压实密度≥2.4，需提供循环测试数据。", ["LFP", "正极材料", "储能电芯"],
     "material", "每月500吨"),
    ("BY-D-02", "白银祁连新能源材料有限公司", D, None, "储能电站用280Ah磷酸铁锂电芯采购",
     "100MWh储能电站项目用280Ah磷酸铁锂电芯，需GB/T 36276认证。", ["储能电芯", "280Ah", "磷酸铁锂"],
     "part", "约36万只"),
    ("BY-D-03", "甘肃瑞丰新能源材料有限公司", D, None, "动力电芯用人造石墨负极采购",
     "动力电芯用人造石墨负极材料，比容量≥350mAh/g。", ["人造石墨", "负极材料"], "material", "每月200吨"),
]

# (supply ref, demand/scenario ref, who asks: "demand" side or "supply" side, deal title, amount 万元, meeting?)
DEALS = [
    ("ZJ-S-01", "ZJ-D-01", "demand", "散货船船板年度供货协议", "4860.00", True),
    ("ZJ-S-02", "ZJ-D-02", "supply", "药芯焊丝年度供货协议", "612.50", True),
    ("ZJ-S-05", "ZJ-D-03", "demand", "双燃料发动机曲轴锻件试制合同", "380.00", False),
    ("PDS-S-01", "PDS-D-01", "demand", "PA66注塑级树脂月度供货合同", "2160.00", True),
    ("PDS-S-02", "PDS-D-02", "supply", "阻燃PA66改性料供货合同", "1440.00", False),
    ("BY-S-03", "BY-D-01", "demand", "储能型磷酸铁锂正极材料供货合同", "3300.00", True),
    ("BY-S-02", "BY-SC-01", "supply", "净化磷酸配套供货协议", "1850.00", False),
]
MEETINGS = {
    "镇江": ("镇江高新区船舶海工产业链供需对接会", "高技术船舶海工装备", datetime.date(2025, 9, 18), "镇江高新区党群服务中心", 160),
    "平顶山": ("平顶山尼龙新材料产业链供需对接会", "尼龙新材料", datetime.date(2025, 10, 15), "尼龙新材料产业园", 120),
    "白银": ("白银锂电池产业链链主开放场景对接会", "锂电池", datetime.date(2025, 8, 26), "白银高新区管委会", 140),
}
# 镇江 supporting firms' revenue (万元): 2024, and the 2025 growth in per mille, per firm
ZJ_REVENUE = [(5200, 262), (18600, 231), (7400, 204), (6100, 318), (9300, 247), (12800, 176), (4700, 223),
              (8800, 189), (5600, 241), (3900, 287)]


def _firm(name: str) -> Enterprise:
    return Enterprise.objects.get(name=name)


def _chain_of(ent: Enterprise, preferred: str | None = None) -> tuple[Chain, ChainMembership]:
    ms = ChainMembership.objects.filter(enterprise=ent).select_related("chain", "node")
    m = (ms.filter(chain__name=preferred).first() if preferred else None) or ms.first()
    return m.chain, m


def _post(rows, chain_name: str) -> dict:
    made = {}
    for ref, firm, kind, _node, title, desc, kws, cat, qty in rows:
        ent = _firm(firm)
        chain, m = _chain_of(ent, chain_name)
        made[ref] = services.save_listing(actor=None, enterprise=ent, chain=chain, node=m.node, kind=kind, title=title,
                                          description=desc, keywords=kws, category=cat, quantity=qty, ref=ref,
                                          region=chain.zone.city or chain.zone.short_name, is_demo=True)
    return made


def _deal(listings: dict, meetings: dict, supply_ref, other_ref, asker, title, amount, at_meeting) -> None:
    supply, other = listings[supply_ref], listings[other_ref]
    if Deal.objects.filter(supplier=supply.enterprise, buyer=other.enterprise, title=title).exists():
        return
    target, mine = (supply, other) if asker == "demand" else (other, supply)
    contact = ContactRequest.objects.filter(listing=target, requester=mine.enterprise).first()
    if contact is None:
        contact = services.express_interest(actor=None, listing=target, from_listing=mine,
                                            message="贵方信息与我方需要高度匹配，盼进一步洽谈。", is_demo=True)
    if contact.status == ContactStatus.PENDING:
        contact = CONTACT.transition(contact, "accept", actor=None, note="欢迎来厂考察，可安排样品。")
    meeting = meetings.get(supply.zone.short_name) if at_meeting else None
    signed = meeting.held_on if meeting else datetime.date(2025, 11, 6)
    services.make_deal(actor=None, contact=contact, title=title, amount=Decimal(amount), signed_on=signed,
                       meeting=meeting, is_demo=True)


def load(ctx):
    listings = {}
    listings.update(_post(ZHENJIANG, "高技术船舶海工装备"))
    listings.update(_post(PINGDINGSHAN, "尼龙新材料"))
    listings.update(_post(BAIYIN, "锂电池"))
    meetings = {}
    for short, (title, chain_name, held_on, venue, attendance) in MEETINGS.items():
        chain = Chain.objects.get(zone__short_name=short, name=chain_name)
        meetings[short] = services.save_meeting(
            actor=None, zone=chain.zone, title=title, held_on=held_on, chain=chain, venue=venue,
            organiser=f"{chain.name}产业链联合党委", attendance=attendance, is_demo=True,
            description="链主企业发布开放场景，配套企业现场对接洽谈，党员先锋队跟踪服务。")
    for row in DEALS:
        _deal(listings, meetings, *row)
    # a pending request on the ship master's scenario, for the inbox of 镇江船厂
    scenario, helper = listings["ZJ-SC-01"], listings["ZJ-S-06"]
    if not ContactRequest.objects.filter(listing=scenario, requester=helper.enterprise).exists():
        services.express_interest(actor=None, listing=scenario, from_listing=helper,
                                  message="可承接舱口盖、导缆孔等舾装件配套。", is_demo=True)
    zj_chain = Chain.objects.get(zone__short_name="镇江", name="高技术船舶海工装备")
    supporting = list(Enterprise.objects.filter(memberships__chain=zj_chain, memberships__role=ChainRole.MEMBER)
                      .order_by("name"))
    for ent, (base, permille) in zip(supporting, ZJ_REVENUE):
        services.save_revenue(actor=None, enterprise=ent, year=2024, revenue=Decimal(base))
        services.save_revenue(actor=None, enterprise=ent, year=2025,
                              revenue=(Decimal(base) * (1000 + permille) / 1000).quantize(Decimal("0.01")))
    ctx["matching"] = {"listings": listings, "meetings": meetings}
