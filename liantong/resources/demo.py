"""Demo of the resources app, built through the real services (deterministic: fixed seeds and natural keys,
so a second run changes nothing).

白银: 83 shared resources (the article's figure) owned by its chain firms across the 12 chains, a few
bookings, one help-service squad per chain and 812 services to firms in 2023–2025 (the article: 800+).
镇江: department resources, action projects including the 书记项目 “红帆领航·链通高新”先锋行动, and two
跨企党组织联席会 of the ship chain with resolutions tracked to deadlines. Everything except the bodies the
article names (zones, firms, the university, the 先锋行动) is fictional and flagged ``is_demo``.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from liantong.core.calendar import SHANGHAI
from liantong.orgs.demo import GIVEN, SURNAMES, _apportion
from liantong.orgs.models import Member, OrgKind, PartyOrg

from . import services
from .models import Booking, ResolutionState
from .workflow import BOOKING, RESOLUTION

N_SHARED_BAIYIN = 83
N_VISITS_BAIYIN = 812

# (category, name, terms) per chain; names are combined with the owner firm, so they stay unique.
SHARED_KINDS: dict[str, list[tuple[str, str, str]]] = {
    "锂电池": [("testing", "电池材料检测实验室", "按检测项目收费，链上企业八折"),
             ("equipment", "扣式电池组装线", "每天 800 元，含操作培训"),
             ("testing", "电芯充放电测试柜", "每通道每天 30 元"),
             ("equipment", "真空干燥箱", "每天 200 元"),
             ("lab", "正极材料中试线", "按批次协商，需提前两周预约"),
             ("warehouse", "危化品恒温仓库", "每平方米每月 45 元，须持危化品资质"),
             ("testing", "电池安全性能测试平台", "针刺、挤压、过充，每项 1500 元"),
             ("equipment", "激光粒度分析仪", "每样 120 元")],
    "精细化工": [("testing", "化工产品质量检测中心", "按国标项目收费"),
             ("equipment", "气相色谱仪", "每样 200 元"),
             ("lab", "精细化工中试车间", "按天计费，含公用工程"),
             ("warehouse", "甲类危化品仓库", "每吨每月 60 元"),
             ("equipment", "高压反应釜", "每天 600 元")],
    "有色金属新材料": [("testing", "金属材料理化检测室", "链上企业免费检测 10 次/年"),
                 ("equipment", "万能材料试验机", "每样 150 元"),
                 ("equipment", "直读光谱仪", "每样 80 元"),
                 ("warehouse", "有色金属锭堆场", "每吨每月 8 元"),
                 ("lab", "铝合金熔铸试验线", "按炉次收费")],
    "稀土功能材料": [("testing", "稀土元素分析实验室", "ICP 检测每样 260 元"),
                ("equipment", "磁性能测量仪", "每样 100 元"),
                ("lab", "稀土永磁中试线", "按批次协商")],
    "氟化工": [("testing", "含氟产品检测实验室", "按项目收费"),
            ("warehouse", "氢氟酸储罐区", "协议价，须持危化品资质"),
            ("equipment", "氟化反应釜", "每天 900 元")],
    "装备制造": [("equipment", "五轴加工中心", "每小时 260 元"),
             ("equipment", "三坐标测量机", "每小时 150 元"),
             ("lab", "焊接工艺评定试验室", "每项评定 2000 元"),
             ("warehouse", "重型装备周转库", "每平方米每月 20 元")],
    "生物医药": [("lab", "GMP 洁净实验室", "每天 1200 元，须提前备案"),
             ("testing", "药品微生物检测室", "每样 300 元"),
             ("warehouse", "医药阴凉库", "每平方米每月 40 元")],
    "新能源": [("testing", "光伏组件检测平台", "每块 90 元"),
            ("equipment", "风电叶片检测台", "按天协商"),
            ("warehouse", "光伏组件仓库", "每平方米每月 18 元")],
    "电子信息材料": [("testing", "电子化学品纯度检测室", "每样 350 元"),
               ("equipment", "扫描电子显微镜", "每小时 400 元"),
               ("lab", "洁净封装试验间", "每天 1500 元")],
    "绿色建材": [("testing", "建材性能检测站", "按国标项目收费"),
             ("equipment", "固废破碎筛分线", "每吨 25 元"),
             ("warehouse", "建材成品堆场", "每平方米每月 6 元")],
    "食品加工": [("testing", "食品安全检测室", "每样 180 元"),
             ("warehouse", "冷链冷库", "每吨每天 3 元")],
    "现代物流": [("warehouse", "公共保税仓", "每平方米每月 28 元"),
             ("equipment", "叉车与装卸设备", "每台班 350 元"),
             ("venue", "集装箱周转场地", "每箱每天 15 元")],
}
PARKS = ["银东工业园", "银西工业园", "中科院白银高技术产业园", "白银高新区科技孵化园"]
VISIT_KINDS = [("training", 28), ("approval", 22), ("policy", 18), ("financing", 12), ("employment", 12),
               ("tech", 5), ("safety", 3)]
VISIT_RESULTS = {
    "training": "开展岗位技能培训，提升一线员工操作水平",
    "approval": "代办项目备案、环评和施工许可手续，压缩办理时间",
    "policy": "宣讲稳岗、研发费用加计扣除等惠企政策",
    "financing": "对接银行与担保机构，落实流动资金贷款",
    "employment": "协助发布招聘信息，组织专场招聘",
    "tech": "组织高校专家现场诊断工艺难题",
    "safety": "开展安全生产隐患排查与整改指导",
}


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def load_baiyin(ctx) -> None:
    by = ctx["baiyin"]
    zone = by["zone"]
    rng = random.Random(3030)
    by_chain: dict[int, list] = {}
    chains = {}
    for ent, chain, _master in by["firms"]:
        by_chain.setdefault(chain.pk, []).append(ent)
        chains[chain.pk] = chain
    chain_ids = list(by_chain)
    # 83 shared resources, apportioned by the chains' sizes
    counts = _apportion(N_SHARED_BAIYIN, [len(by_chain[c]) for c in chain_ids])
    shared = []
    for ci, (cid, n) in enumerate(zip(chain_ids, counts)):
        chain, firms = chains[cid], by_chain[cid]
        kinds = SHARED_KINDS[chain.name]
        for i in range(n):
            owner = firms[i % len(firms)]
            category, name, terms = kinds[i % len(kinds)]
            shared.append(services.save_shared_resource(
                actor=None, owner=owner, name=name, category=category, chain=chain, terms=terms,
                location=f"白银高新区{PARKS[(i + ci) % len(PARKS)]}", contact_name=_name(rng),
                contact_phone=f"0943-{8200000 + ci * 97 + i}",
                description=f"{owner.name}面向{chain.name}产业链上下游企业开放共享。", is_demo=True))
    # a few bookings in 2025 with their outcomes
    for k, res in enumerate(shared[:12]):
        peers = [e for e in by_chain[res.chain_id] if e.pk != res.owner_id]
        requester = peers[k % len(peers)]
        start = datetime.date(2025, 3 + k % 9, 3 + k)
        booking = Booking.objects.filter(resource=res, requester=requester, start_on=start).first()
        if booking is None:
            booking = services.request_booking(actor=None, resource=res, requester=requester, start_on=start,
                                               end_on=start + datetime.timedelta(days=k % 4), allow_past=True,
                                               purpose=["样品检测", "中试验证", "来料检验", "临时仓储"][k % 4])
            Booking.objects.filter(pk=booking.pk).update(is_demo=True)
            if k % 4 == 3:
                BOOKING.transition(booking, "decline", actor=None, note="该时段设备检修，请改约")
            elif k % 4 != 2:
                BOOKING.transition(booking, "approve", actor=None)
    # one squad per chain, and 812 services in 2023–2025
    squads = {}
    for ci, cid in enumerate(chain_ids):
        chain = chains[cid]
        members = list(Member.objects.filter(party_org__chain=chain, is_mgmt_backbone=True).order_by("id")[:4])
        squads[cid] = services.save_squad(
            actor=None, zone=zone, chain=chain, name=f"{chain.name}产业链帮办服务小分队",
            leader_name=members[0].name if members else _name(rng), members=members,
            member_names="、".join(_name(random.Random(ci * 10 + j)) for j in range(2)),
            description="政策宣讲、审批代办、技能培训、融资对接、用工服务“一对一”帮办。", is_demo=True)
    visit_counts = _apportion(N_VISITS_BAIYIN, [len(by_chain[c]) for c in chain_ids])
    kinds = [k for k, _ in VISIT_KINDS]
    weights = [w for _, w in VISIT_KINDS]
    start, span = datetime.date(2023, 1, 1), (datetime.date(2025, 12, 31) - datetime.date(2023, 1, 1)).days
    for ci, (cid, n) in enumerate(zip(chain_ids, visit_counts)):
        vrng = random.Random(5000 + ci)
        seen = set()
        firms = by_chain[cid]
        while len(seen) < n:
            ent = vrng.choice(firms)
            kind = vrng.choices(kinds, weights)[0]
            day = start + datetime.timedelta(days=vrng.randrange(span + 1))
            hours = Decimal(vrng.choice([1, 1.5, 2, 2.5, 3, 4, 6])).quantize(Decimal("0.1"))
            participants = vrng.randint(2, 40) if kind in ("training", "policy") else vrng.randint(1, 6)
            key = (ent.pk, kind, day)
            if key in seen:
                continue
            seen.add(key)
            services.record_visit(actor=None, squad=squads[cid], enterprise=ent, kind=kind, visited_on=day,
                                  hours=hours, participants=participants, result=VISIT_RESULTS[kind], is_demo=True)


ZJ_RESOURCES = [
    ("财政金融局", "loan_subsidy", "链上企业技改项目贷款贴息", Decimal(500), "万元",
     "对链上企业技术改造项目贷款按 LPR 的 50% 给予贴息，单户最高 100 万元。", "产业链链上企业；项目已备案；无不良信用记录。"),
    ("财政金融局", "guarantee", "应急转贷与融资担保资金", Decimal(2000), "万元",
     "为到期续贷有困难的企业提供应急转贷，担保费率不高于 1%。", "在镇江高新区注册纳税；贷款银行同意续贷。"),
    ("自然资源和规划分局", "land_quota", "船舶海工产业项目用地指标", Decimal(120), "亩",
     "年度新增建设用地计划中单列船舶海工产业项目用地。", "符合国土空间规划和产业准入；投资强度不低于 300 万元/亩。"),
    ("人力资源和社会保障局", "training_places", "船舶焊工技能提升培训名额", Decimal(200), "人",
     "联合江苏科技大学开展焊接、涂装等工种培训，培训合格发放职业技能等级证书。", "链上企业在职职工；企业统一报名。"),
    ("科技创新局", "innovation_voucher", "科技创新券", Decimal(300), "万元",
     "用于购买检验检测、研发设计等科技服务，按服务费用 50% 抵扣。", "科技型中小企业或高新技术企业。"),
    ("行政审批局", "approval_channel", "重大项目审批绿色通道", None, "",
     "重大产业项目“拿地即开工”，全程帮办代办。", "列入区重大项目库的产业项目。"),
]

FLAGSHIP = "“红帆领航·链通高新”先锋行动"


def _ms(project, rows):
    for i, (title, due, done) in enumerate(rows):
        services.save_milestone(actor=None, project=project, title=title, due_on=due, done_on=done, sort=i)


def load_zhenjiang(ctx) -> None:
    zj = ctx["zhenjiang"]
    zone, chain, depts = zj["zone"], zj["chain"], zj["depts"]
    d = datetime.date
    resources = {}
    for dept, kind, title, amount, unit, desc, cond in ZJ_RESOURCES:
        resources[kind] = services.save_department_resource(
            actor=None, department=depts[dept], title=title, kind=kind, description=desc, conditions=cond,
            quota_amount=amount, quota_unit=unit, contact_name="", valid_from=d(2025, 1, 1),
            valid_until=d(2026, 12, 31), is_demo=True)
    zone_org = PartyOrg.objects.get(zone=zone, kind=OrgKind.ZONE_COMMITTEE)
    flagship = services.save_action_project(
        actor=None, zone=zone, title=FLAGSHIP, owner_name="党工委主要负责同志", party_org=zone_org, chain=chain,
        flagship=True, started_on=d(2025, 3, 1),
        description="以产业链党建引领高技术船舶海工装备产业链发展：组织固链、服务优链、创新强链。")
    _ms(flagship, [("组建产业链联合党委和三支党员先锋队", d(2025, 3, 31), d(2025, 3, 20)),
                   ("签订“双高协同”校地共建协议", d(2025, 4, 30), d(2025, 4, 28)),
                   ("发布企业需求、部门资源、行动项目三张清单", d(2025, 6, 30), d(2025, 6, 18)),
                   ("召开跨企党组织联席会，建立问题解决机制", d(2025, 6, 30), d(2025, 5, 20)),
                   ("年度成效评估与经验总结", d(2025, 12, 31), None)])
    engine = services.save_action_project(
        actor=None, zone=zone, title="船用中速双燃料发动机关键技术联合攻关", owner_name="蒋文博",
        enterprise=zj["engine"], chain=chain, started_on=d(2025, 4, 1), is_demo=True,
        description="技术攻坚党员先锋队牵头，联合江苏科技大学攻关双燃料发动机燃烧与控制技术。")
    _ms(engine, [("组建攻关联合体", d(2025, 4, 30), d(2025, 4, 25)),
                 ("完成样机台架试验", d(2025, 10, 31), d(2025, 11, 12)),
                 ("通过船级社认证", d(2026, 6, 30), None)])
    classroom = services.save_action_project(
        actor=None, zone=zone, title="车间课堂实训基地建设", owner_name="陆明远", party_org=zj["ship_branch"],
        chain=chain, started_on=d(2025, 5, 1), is_demo=True,
        description="产教融合党员先锋队在船厂车间开设实训课堂，实行双导师制。")
    _ms(classroom, [("确定实训项目清单", d(2025, 5, 31), d(2025, 5, 28)),
                    ("首批学员进厂实训", d(2025, 9, 15), d(2025, 9, 10))])
    supply = services.save_action_project(
        actor=None, zone=zone, title="船舶海工本地配套率提升行动", owner_name="经济发展局分管负责同志",
        department=depts["经济发展局"], chain=chain, started_on=d(2025, 6, 1), is_demo=True,
        description="链主开放供应链场景，组织本地配套企业对接，提升本地配套率。")
    _ms(supply, [("梳理链主外购件清单", d(2025, 7, 31), d(2025, 7, 30)),
                 ("组织三场供需对接会", d(2025, 12, 31), None)])
    # joint meetings and their resolutions
    ship_orgs = list(PartyOrg.objects.filter(chain=chain, depth__lte=3, kind__in=[
        OrgKind.CHAIN_COMMITTEE, OrgKind.COMMITTEE, OrgKind.BRANCH]).order_by("path")[:8])
    m1 = services.save_meeting(
        actor=None, chain=chain, title="跨企党组织联席会（第一次）", held_on=d(2025, 5, 20), location="镇江船厂党建活动室",
        host="联合党委书记", attending_orgs=ship_orgs, is_demo=True,
        minutes="通报三张清单发布情况；链上企业提出用地、融资、用工等问题 9 项，议定由责任单位限期办理。")
    m2 = services.save_meeting(
        actor=None, chain=chain, title="跨企党组织联席会（第二次）", held_on=d(2025, 9, 16), location="中船动力会议中心",
        host="联合党委书记", attending_orgs=ship_orgs[:5], is_demo=True,
        minutes="听取第一次联席会议定事项办理情况，部署四季度供需对接和技能培训。")
    firm = zj["firms"][0]
    plan = [
        (m1, 1, "协调解决海帆船舶配件扩产项目用地", {"owner_department": depts["自然资源和规划分局"]}, 20,
         "已纳入年度用地计划，完成用地预审"),
        (m1, 2, "组织船用涂料、舾装企业与链主开展配套对接", {"owner_enterprise": zj["ship"]}, 10,
         "召开对接会 1 场，4 家企业进入合格供应商名录"),
        (m1, 3, "开展船舶焊工技能提升培训", {"owner_department": depts["人力资源和社会保障局"]}, 15, None),
        (m1, 4, "建立链上企业融资需求清单并对接银行", {"owner_department": depts["财政金融局"]}, 10,
         "梳理融资需求 12 项，对接银行 5 家"),
        (m2, 1, "推进双燃料发动机联合攻关样机试验", {"owner_party_org": PartyOrg.objects.get(zone=zone, name="中船动力党委")}, 30,
         None),
        (m2, 2, "落实海帆船舶配件技改贷款贴息", {"owner_enterprise": firm}, 15, None),
        (m2, 3, "筹备四季度供需对接会", {"owner_department": depts["经济发展局"]}, 20, "已于 11 月召开"),
    ]
    for meeting, seq, content, owner, wd, result in plan:
        r = services.save_resolution(actor=None, meeting=meeting, seq=seq, content=content, workdays=wd,
                                     owner_name="", is_demo=True, **owner)
        if result and r.state == ResolutionState.OPEN:
            done = datetime.datetime.combine(meeting.held_on + datetime.timedelta(days=wd), datetime.time(17),
                                             tzinfo=SHANGHAI)
            RESOLUTION.transition(r, "complete", actor=None, note=result, at=done)
        elif not result and seq == 3 and r.state == ResolutionState.OPEN:
            RESOLUTION.transition(r, "start", actor=None)
    # a few shared resources in 镇江 too, owned by the chain masters
    for owner, name, category, terms in [
        (zj["ship"], "大型船坞与龙门吊", "equipment", "按船台天数协商"),
        (zj["ship"], "船舶焊接工艺实验室", "lab", "链上企业免费，需提前一周预约"),
        (zj["engine"], "柴油机台架试验室", "testing", "每台次 2 万元"),
    ]:
        services.save_shared_resource(actor=None, owner=owner, name=name, category=category, chain=chain,
                                      terms=terms, location="镇江高新区", is_demo=True)
    _cite_orders(zone, resources, flagship)


def _cite_orders(zone, resources: dict, flagship) -> None:
    """Link some of 镇江's resolved orders to the resource that solved them (if the services demo made any)."""
    from liantong.services.models import DONE_STATES, ServiceRequest

    by_category = {"finance": resources["loan_subsidy"], "land": resources["land_quota"],
                   "talent": resources["training_places"], "employment": resources["training_places"],
                   "approval": resources["approval_channel"], "tech": resources["innovation_voucher"]}
    orders = ServiceRequest.objects.filter(zone=zone, state__in=DONE_STATES).order_by("id")
    for i, order in enumerate(orders[:30]):
        res = by_category.get(order.category)
        if res is not None and i % 2 == 0:
            services.cite(actor=None, order=order, resource=res, note="该资源支持了诉求办结")
        elif i % 5 == 1:
            services.cite(actor=None, order=order, project=flagship, note="先锋行动联席会协调解决")


def load(ctx) -> None:
    load_zhenjiang(ctx)
    load_baiyin(ctx)

