"""Demo rows of the innovation strand, from the article (through the services and state machines).

* 镇江: the “红链技术攻坚榜” with the two solved challenges the article names — 船用中速双燃料发动机 and 大型邮轮
  电磁矫平技术, each solved by a 党员攻关联合体 — and open ones; the 先进船舶海工区域技术转移转化中心; the
  “党建+科技” policy package; 30 incubated technology firms and 25 industrialised results, 船用智能控制系统 among
  them.
* 平顶山: firms assessed for high-tech certification, 赛伏特 certified on 2025-04-28, coaching (一对一辅导) and a
  policy briefing (政策解读会); 河南无水染色科技's group standard 《超临界二氧化碳染色技术规范》.
* 白银: 31 provincial-or-higher enterprise technology centres, 7 provincial technology-transfer demonstration
  institutions, 5 provincial modern agricultural parks, national and provincial SME service platforms and
  innovation bases.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from liantong.orgs.models import Institution, InstitutionKind

from . import services
from .models import Assessment, Challenge, Qualification, QualificationKind
from .workflow import ACHIEVEMENT, CHALLENGE, MILESTONE

D = datetime.date
TZ = timezone.get_fixed_timezone(8 * 60)


def at(d: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(d, datetime.time(hour), tzinfo=TZ)


def _challenge(zone, chain, title, field, problem, indicators, reward, deadline, **publisher):
    return services.save_challenge(actor=None, zone=zone, chain=chain, title=title, field=field, problem=problem,
                                   indicators=indicators, reward=Decimal(reward), deadline=deadline, is_demo=True,
                                   **publisher)


def _solve(c, bid, day0: datetime.date, result: str, milestones, payout=None):
    """Run a challenge from 需求征集 through 兑现 (or 验收) on the demo's dates."""
    CHALLENGE.transition(c, "submit", actor=None, at=at(day0))
    CHALLENGE.transition(c, "publish", actor=None, at=at(day0 + datetime.timedelta(days=7)))
    b = bid(c)
    CHALLENGE.transition(c, "close", actor=None, at=at(day0 + datetime.timedelta(days=40)))
    CHALLENGE.transition(c, "select", actor=None, at=at(day0 + datetime.timedelta(days=50)), bid=b,
                         note="专家评审第一名")
    CHALLENGE.transition(c, "sign", actor=None, at=at(day0 + datetime.timedelta(days=60)))
    consortium = c.consortium
    for m, report in zip(consortium.milestones.order_by("due_at"), milestones):
        MILESTONE.transition(m, "report", actor=None, at=m.due_at - datetime.timedelta(days=3), note=report)
    CHALLENGE.transition(c, "submit_result", actor=None, at=at(day0 + datetime.timedelta(days=300)),
                         note="攻关任务完成，提交验收")
    CHALLENGE.transition(c, "accept", actor=None, at=at(day0 + datetime.timedelta(days=320)), note=result)
    if payout is not None:
        CHALLENGE.transition(c, "pay", actor=None, at=at(day0 + datetime.timedelta(days=340)), payout=payout)
    return consortium


ZJ_RESULTS = [  # 25 industrialised results; the first is the article's
    ("船用智能控制系统", "smart_ship", "firm3"),
    ("船用中速双燃料发动机", "power", "engine"),
    ("大型邮轮电磁矫平装置", "green_ship", "ship"),
    ("船舶压载水处理系统", "green_ship", "uni"), ("船用LNG供气系统", "green_ship", "engine"),
    ("智能机舱监测平台", "smart_ship", "uni"), ("船体分段智能焊接工艺", "materials", "ship"),
    ("高强度船用钢焊接材料", "materials", "firm6"), ("船用低VOCs防腐涂料", "materials", "firm2"),
    ("深海锚泊系统", "deep_sea", "firm5"), ("海工平台升降装置", "deep_sea", "firm5"),
    ("船舶轴系激光对中技术", "power", "firm4"), ("船用增压器叶轮精密铸造", "power", "firm4"),
    ("船舶电力推进变频器", "smart_ship", "firm8"), ("船舶综合导航显控台", "smart_ship", "firm3"),
    ("舱室模块化舾装单元", "green_ship", "firm0"), ("船舶节能附体设计", "green_ship", "firm9"),
    ("船舶数字孪生运维系统", "smart_ship", "uni"), ("船用燃料电池测试台", "energy", "uni"),
    ("船舶废气洗涤装置", "green_ship", "firm7"), ("海洋结构物腐蚀监测传感器", "deep_sea", "uni"),
    ("船舶管系智能预制", "materials", "ship"), ("船用柴油机排放后处理装置", "power", "engine"),
    ("船舶涂装机器人", "smart_ship", "firm2"), ("水下机器人推进器", "deep_sea", "uni"),
]
ZJ_OTHER_RESULTS = [("船用甲醇发动机燃烧技术", "power", "uni", "pilot"),
                    ("深海耐压壳体复合材料", "deep_sea", "uni", "lab"),
                    ("船舶岸电智能接驳装置", "energy", "firm8", "transfer")]
INCUBATORS = ["先进船舶海工区域技术转移转化中心", "镇江高新区科技创业园", "江苏科技大学科技园"]
INCUBATED_WORDS = ["海智", "船联", "蓝鲸", "扬帆", "启明", "远航", "深蓝", "舟润", "瀚海", "星舰", "江海", "锐航",
                   "铭舟", "海川", "云帆", "泰舸", "新舟", "龙舟", "海纳", "中帆", "恒舟", "金帆", "华舸", "润舟",
                   "航创", "海迅", "科舟", "智舸", "船芯", "海科"]


def load_zhenjiang(ctx) -> None:
    zj = ctx["zhenjiang"]
    zone, chain, uni, ship, engine, firms = zj["zone"], zj["chain"], zj["uni"], zj["ship"], zj["engine"], zj["firms"]
    if Challenge.objects.filter(zone=zone, is_demo=True).exists():
        return  # built by an earlier run: its challenges and results have moved on, and moves are not repeated
    centre = Institution.objects.get(zone=zone, kind=InstitutionKind.TRANSFER_CENTRE)
    owners = {"uni": {"owner_institution": uni}, "ship": {"owner_enterprise": ship},
              "engine": {"owner_enterprise": engine}}
    owners.update({f"firm{i}": {"owner_enterprise": f} for i, f in enumerate(firms)})

    def uni_bid(team, members, plan, budget, milestones):
        def make(c):
            return services.submit_bid(actor=None, challenge=c, lead_institution=uni, team_name=team,
                                       leader_name=members[0][0], plan=plan, budget=Decimal(budget),
                                       partners="江苏科技大学、链上配套企业",
                                       planned_milestones="\n".join(f"{t},{d.isoformat()}" for t, d in milestones),
                                       members=[{"name": n, "unit": u, "duty": duty, "party_member": p, "leads": lead}
                                                for n, u, duty, p, lead in members], is_demo=True)
        return make

    dual = _challenge(zone, chain, "船用中速双燃料发动机关键技术攻关", "power",
                      "船用中速双燃料发动机燃气喷射、爆震控制等关键技术长期依赖进口，是“卡脖子”环节。",
                      "满足IMO Tier III排放；燃气模式热效率≥47%；关键部件国产化率≥90%", 500, D(2025, 3, 31),
                      publisher_enterprise=engine)
    _solve(dual, uni_bid("江苏科技大学动力工程党员攻关团队",
                         [("王振华", "江苏科技大学", "总负责", True, True), ("蒋文博", "中船动力（集团）有限公司", "工程化", True, True),
                          ("陈晓东", "江苏科技大学", "燃烧仿真", False, False), ("刘佳", "中船动力（集团）有限公司", "台架试验", True, False)],
                         "燃气喷射与爆震控制联合攻关，校企共建试验台架。", 480,
                         [("燃烧系统方案设计", D(2025, 5, 30)), ("台架试验", D(2025, 8, 29)), ("样机验证", D(2025, 10, 31))]),
           D(2025, 1, 6), "双燃料发动机样机通过验收，燃气模式热效率47.6%，关键部件国产化率92%。",
           ["完成燃烧室与喷射方案设计", "台架试验完成 500 小时", "样机装船验证"], payout=Decimal(500))
    leveling = _challenge(zone, chain, "大型邮轮电磁矫平技术攻关", "green_ship",
                          "大型邮轮薄板焊接变形大，传统火工矫平效率低、一致性差。",
                          "薄板矫平效率提升≥3倍；平面度≤2mm/m", 300, D(2025, 3, 31), publisher_enterprise=ship)
    _solve(leveling, uni_bid("邮轮薄板电磁矫平党员攻关团队",
                             [("李明", "江苏科技大学", "总负责", True, True), ("陆明远", "江苏省镇江船厂（集团）有限公司", "工艺应用", True, True),
                              ("赵倩", "江苏科技大学", "电磁仿真", False, False)],
                             "电磁力矫平装备研制与工艺试验。", 280,
                             [("电磁矫平装备研制", D(2025, 6, 30)), ("分段工艺试验", D(2025, 9, 30))]),
           D(2025, 1, 13), "电磁矫平装备投入邮轮分段生产，矫平效率提升3.4倍，平面度1.6mm/m。",
           ["装备研制完成", "分段试验通过"])
    methanol = _challenge(zone, chain, "绿色甲醇燃料动力船舶关键技术", "green_ship",
                          "甲醇燃料供给、安全监测与发动机适配的系统集成。", "甲醇燃料供给系统通过船级社认可", 400,
                          D(2027, 12, 31))
    CHALLENGE.transition(methanol, "publish", actor=None, at=at(D(2025, 6, 3)))
    services.submit_bid(actor=None, challenge=methanol, lead_enterprise=firms[3], team_name="启航智能甲醇供给团队",
                        leader_name="周航", plan="基于自主控制系统的甲醇燃料供给与安全监测集成。", budget=Decimal(360),
                        planned_milestones="方案设计,2027-03-31\n样机试验,2027-09-30",
                        members=[{"name": "周航", "unit": firms[3].name, "party_member": True, "leads": True}],
                        is_demo=True)
    deep = _challenge(zone, chain, "深海采矿装备水下连接器国产化", "deep_sea",
                      "深海湿插拔连接器依赖进口。", "工作水深≥3000米；插拔寿命≥500次", 260, D(2027, 10, 31),
                      publisher_enterprise=firms[5])
    CHALLENGE.transition(deep, "submit", actor=None, at=at(D(2025, 7, 1)))
    CHALLENGE.transition(deep, "publish", actor=None, at=at(D(2025, 7, 10)))
    light = _challenge(zone, chain, "船舶轻量化复合材料上层建筑", "materials",
                       "复合材料上层建筑防火与连接工艺。", "减重≥30%；满足防火规范", 150, D(2026, 12, 31),
                       publisher_institution=uni)
    CHALLENGE.transition(light, "submit", actor=None, at=at(D(2025, 9, 1)))
    coating = _challenge(zone, chain, "船舶涂装VOCs治理技术", "green_ship", "涂装车间VOCs排放治理。",
                         "VOCs去除率≥90%", 120, D(2025, 12, 31), publisher_enterprise=firms[2])
    CHALLENGE.transition(coating, "publish", actor=None, at=at(D(2025, 8, 1)))
    b = uni_bid("船舶涂装VOCs治理攻关团队", [("孙丽", "江苏科技大学", "总负责", True, True)],
                "吸附浓缩+催化燃烧工艺。", 100, [("中试装置建设", D(2026, 12, 31))])(coating)
    CHALLENGE.transition(coating, "select", actor=None, at=at(D(2025, 9, 1)), bid=b)
    CHALLENGE.transition(coating, "sign", actor=None, at=at(D(2025, 9, 10)))

    achievements = {}
    for i, (title, field, owner) in enumerate(ZJ_RESULTS):
        a = services.save_achievement(actor=None, zone=zone, title=title, field=field, chain=chain, is_demo=True,
                                      challenge={1: dual, 2: leveling}.get(i),
                                      description="“链主开放场景—高校技术支撑—中小企业转化”协同链条的成果。",
                                      **owners[owner])
        day = D(2024, 3, 1) + datetime.timedelta(days=20 * i)  # all 25 industrialised by 2025-11
        ACHIEVEMENT.transition(a, "advance", actor=None, at=at(day))
        ACHIEVEMENT.transition(a, "advance", actor=None, at=at(day + datetime.timedelta(days=60)))
        ACHIEVEMENT.transition(a, "industrialise", actor=None, at=at(day + datetime.timedelta(days=150)))
        achievements[title] = a
    for title, field, owner, stage in ZJ_OTHER_RESULTS:
        a = services.save_achievement(actor=None, zone=zone, title=title, field=field, chain=chain, is_demo=True,
                                      **owners[owner])
        steps = {"lab": [], "pilot": ["advance"], "transfer": ["advance", "advance"]}[stage]
        for k, action in enumerate(steps):
            ACHIEVEMENT.transition(a, action, actor=None, at=at(D(2025, 2, 1) + datetime.timedelta(days=40 * k)))
    for k, (title, buyer, amount) in enumerate([("船用智能控制系统", ship, 260), ("船舶压载水处理系统", firms[7], 180),
                                                ("智能机舱监测平台", engine, 150), ("船舶数字孪生运维系统", ship, 120),
                                                ("水下机器人推进器", firms[5], 90)]):
        services.save_contract(actor=None, achievement=achievements[title], buyer=buyer, centre=centre,
                               amount=Decimal(amount), signed_on=D(2025, 2, 10) + datetime.timedelta(days=30 * k),
                               is_demo=True)
    result_titles = [t for t, _, _ in ZJ_RESULTS]
    for i, word in enumerate(INCUBATED_WORDS):
        services.save_incubated(actor=None, zone=zone, name=f"镇江{word}科技有限公司", incubator=INCUBATORS[i % 3],
                                incubated_on=D(2023, 3, 1) + datetime.timedelta(days=29 * i),
                                graduated_on=D(2025, 6, 30) if i % 5 == 0 else None,
                                achievement=achievements[result_titles[i % 25]] if i % 3 == 0 else None,
                                field=ZJ_RESULTS[i % 25][1], is_demo=True)
    for ent in (ship, engine):
        services.save_qualification(actor=None, zone=zone, kind=QualificationKind.HIGHTECH, level="national",
                                    title=f"高新技术企业（{ent.name}）", enterprise=ent, granted_on=D(2024, 11, 6),
                                    expires_on=D(2027, 11, 5), is_demo=True)
    services.save_qualification(actor=None, zone=zone, kind=QualificationKind.TECH_CENTRE, level="provincial",
                                title="江苏省企业技术中心（中船动力）", enterprise=engine, granted_on=D(2022, 12, 20),
                                is_demo=True)
    services.save_qualification(actor=None, zone=zone, kind=QualificationKind.TRANSFER_INSTITUTION,
                                level="provincial", title="江苏省技术转移示范机构（先进船舶海工区域技术转移转化中心）",
                                institution=centre, granted_on=D(2025, 5, 20), is_demo=True)
    services.save_policy(actor=None, zone=zone, title="“党建+科技”专项政策礼包", package="党建+科技",
                         issuer="镇江高新区、镇江市科技局",
                         summary="链上高新技术企业和科技型中小企业：研发费用补助、科技创新券、成果转化奖励、孵化场地支持。",
                         rules_value={"any": [{"field": "qualifications", "op": "has", "value": "hightech"},
                                              {"field": "scale", "op": "in", "value": ["small", "micro"]}]},
                         valid_until=D(2026, 12, 31), is_demo=True, notify_firms=False)
    services.save_policy(actor=None, zone=zone, title="高新技术企业培育入库奖励", package="党建+科技",
                         issuer="镇江高新区科技创新局", summary="自评达标、尚未认定的企业入库培育并给予奖励。",
                         rules_value={"all": [{"field": "is_hightech", "op": "eq", "value": False},
                                              {"field": "chain", "op": "has", "value": chain.name}]},
                         is_demo=True, notify_firms=False)
    services.save_coaching(actor=None, zone=zone, kind="briefing", held_on=D(2025, 4, 28),
                           topic="“党建+科技”专项政策礼包解读会", coach="镇江市科技局", attendees=86, is_demo=True)
    services.save_coaching(actor=None, zone=zone, kind="one_on_one", enterprise=firms[0], held_on=D(2025, 5, 20),
                           topic="高企认定一对一辅导（海帆）", coach="镇江高新区科技创新局", attendees=2, is_demo=True)
    services.save_assessment(actor=None, enterprise=firms[0], is_demo=True, data=dict(
        registered_on=D(2015, 4, 1), assessed_on=D(2025, 5, 20), core_ip=True, field_in_catalogue=True,
        staff_total=150, rd_staff=14, revenue=[Decimal(4200), Decimal(4600), Decimal(4900)],
        rd_spend=[Decimal(200), Decimal(220), Decimal(250)], rd_spend_domestic=[Decimal(200), Decimal(220), Decimal(250)],
        hightech_revenue_last_year=Decimal(3100), total_income_last_year=Decimal(5000), innovation_score=74,
        major_violation=False))
    # the supervision as the periodic job sees it on 2026-11-02: the running milestone's yellow card
    services.tick(at(D(2026, 11, 2)))


PDS_ASSESS = {  # 平顶山's firms, each against the national criteria (万元)
    "赛伏特质量检测公司": dict(registered_on=D(2019, 6, 12), assessed_on=D(2024, 6, 20), core_ip=True,
                           field_in_catalogue=True, staff_total=86, rd_staff=21,
                           revenue=[Decimal(3200), Decimal(3900), Decimal(4600)], rd_spend=[Decimal(190), Decimal(230),
                                                                                           Decimal(280)],
                           rd_spend_domestic=[Decimal(190), Decimal(230), Decimal(280)],
                           hightech_revenue_last_year=Decimal(3500), total_income_last_year=Decimal(4700),
                           innovation_score=78, major_violation=False),
    "平顶山昌隆源有限公司": dict(registered_on=D(2016, 3, 1), assessed_on=D(2025, 5, 15), core_ip=True,
                           field_in_catalogue=True, staff_total=120, rd_staff=11,
                           revenue=[Decimal(8000), Decimal(9000), Decimal(10000)],
                           rd_spend=[Decimal(310), Decimal(350), Decimal(420)],
                           rd_spend_domestic=[Decimal(310), Decimal(350), Decimal(420)],
                           hightech_revenue_last_year=Decimal(6500), total_income_last_year=Decimal(10200),
                           innovation_score=72, major_violation=False),
    "平顶山立充新能源科技有限公司": dict(registered_on=D(2024, 3, 1), assessed_on=D(2025, 3, 1), core_ip=True,
                                field_in_catalogue=True, staff_total=40, rd_staff=6, revenue=[Decimal(1200)],
                                rd_spend=[Decimal(66)], rd_spend_domestic=[Decimal(66)],
                                hightech_revenue_last_year=Decimal(800), total_income_last_year=Decimal(1250),
                                innovation_score=66, major_violation=False),
    "河南金建中晟构件混凝土有限公司": dict(registered_on=D(2003, 8, 1), assessed_on=D(2025, 5, 15), core_ip=False,
                                 field_in_catalogue=False, staff_total=300, rd_staff=12,
                                 revenue=[Decimal(21000), Decimal(23000), Decimal(25000)],
                                 rd_spend=[Decimal(200), Decimal(230), Decimal(260)],
                                 rd_spend_domestic=[Decimal(200), Decimal(230), Decimal(260)],
                                 hightech_revenue_last_year=Decimal(2000), total_income_last_year=Decimal(25500),
                                 innovation_score=55, major_violation=False),
}


def load_pingdingshan(ctx) -> None:
    pds = ctx["pingdingshan"]
    zone, ents = pds["zone"], pds["ents"]
    if Assessment.objects.filter(zone=zone, is_demo=True).exists():
        return  # built by an earlier run: assessments and coaching are history, added once
    for name, data in PDS_ASSESS.items():
        services.save_assessment(actor=None, enterprise=ents[name], data=data, is_demo=True)
    sft = ents["赛伏特质量检测公司"]
    services.save_coaching(actor=None, zone=zone, kind="briefing", held_on=D(2025, 3, 12),
                           topic="高新技术企业认定政策解读会", coach="尼龙新材料产业园区专班", attendees=45, is_demo=True)
    for firm, topic, day in [(sft, "知识产权布局与研发费用归集一对一辅导", D(2024, 9, 10)),
                             (ents["平顶山昌隆源有限公司"], "研发人员认定与高企申报一对一辅导", D(2025, 6, 5)),
                             (ents["平顶山立充新能源科技有限公司"], "研发费用辅助账一对一辅导", D(2025, 4, 2))]:
        services.save_coaching(actor=None, zone=zone, kind="one_on_one", enterprise=firm, held_on=day, topic=topic,
                               coach="园区专班", attendees=3, is_demo=True)
    services.save_qualification(actor=None, zone=zone, kind=QualificationKind.HIGHTECH, level="national",
                                title="高新技术企业（赛伏特质量检测公司）", enterprise=sft, certificate_no="GR202541000428",
                                granted_on=D(2025, 4, 28), expires_on=D(2028, 4, 27), is_demo=True)
    services.save_qualification(actor=None, zone=zone, kind=QualificationKind.STANDARD, level="group",
                                title="《超临界二氧化碳染色技术规范》团体标准", enterprise=ents["河南无水染色科技股份有限公司"],
                                granted_on=D(2025, 3, 18), is_demo=True)


BY_TRANSFER = ["白银市科技成果转化服务中心", "白银高新区技术转移中心", "兰州理工大学白银技术转移中心",
               "甘肃稀土新材料技术转移中心", "白银有色金属技术转移中心", "白银新能源技术转移中心", "白银精细化工技术转移中心"]
BY_PARKS = ["白银区现代农业产业园", "靖远县现代农业产业园", "景泰县现代农业产业园", "会宁县现代农业产业园",
            "平川区现代农业产业园"]
BY_PLATFORMS = [(QualificationKind.SME_PLATFORM, "national", "国家中小企业公共服务示范平台（白银高新区企业服务中心）"),
                (QualificationKind.SME_PLATFORM, "provincial", "甘肃省中小企业公共服务示范平台（白银高新区企业服务中心）"),
                (QualificationKind.INNOVATION_BASE, "national", "国家小型微型企业创新创业示范基地（白银高新区创业园）"),
                (QualificationKind.INNOVATION_BASE, "provincial", "甘肃省小型微型企业创新创业示范基地（银东孵化园）")]


def load_baiyin(ctx) -> None:
    by = ctx["baiyin"]
    zone, firms = by["zone"], [ent for ent, _, _ in by["firms"]]
    if Qualification.objects.filter(zone=zone, is_demo=True).exists():
        return  # built by an earlier run
    for i, ent in enumerate(firms[:31]):
        level = "national" if i < 3 else "provincial"
        services.save_qualification(actor=None, zone=zone, kind=QualificationKind.TECH_CENTRE, level=level,
                                    title=f"{'国家' if level == 'national' else '甘肃省'}企业技术中心（{ent.name}）",
                                    enterprise=ent, granted_on=D(2018, 12, 1) + datetime.timedelta(days=61 * i),
                                    is_demo=True)
    for i, name in enumerate(BY_TRANSFER):
        services.save_qualification(actor=None, zone=zone, kind=QualificationKind.TRANSFER_INSTITUTION,
                                    level="provincial", title=f"甘肃省技术转移示范机构（{name}）", holder_name=name,
                                    granted_on=D(2019, 9, 1) + datetime.timedelta(days=120 * i),
                                    expires_on=D(2026, 9, 1) + datetime.timedelta(days=120 * i), is_demo=True)
    for i, name in enumerate(BY_PARKS):
        services.save_qualification(actor=None, zone=zone, kind=QualificationKind.AGRI_PARK, level="provincial",
                                    title=f"甘肃省现代农业产业园（{name}）", holder_name=name,
                                    granted_on=D(2020, 6, 1) + datetime.timedelta(days=200 * i), is_demo=True)
    for kind, level, title in BY_PLATFORMS:
        services.save_qualification(actor=None, zone=zone, kind=kind, level=level, title=title,
                                    holder_name=title.split("（")[1].rstrip("）"), granted_on=D(2022, 10, 1),
                                    is_demo=True)


def load(ctx) -> None:
    load_zhenjiang(ctx)
    load_pingdingshan(ctx)
    load_baiyin(ctx)
