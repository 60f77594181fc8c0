"""Demo of the organisation strand: the three zones of the seed article.

Bodies the article names keep their names (is_demo False); every other firm and every person is
fictional and flagged ``is_demo`` (the UI shows a 演示 badge). 白银's figures are exactly the
article's: 12 chains, 12 chain committees, 117 firms, 243 firms' party orgs, 5,333 members.
"""

from __future__ import annotations

import datetime
import hashlib
import random

from liantong.accounts.services import save_user
from liantong.core.identifiers import USCC_CHARS, id_check_char, uscc_check_char
from liantong.core.scoping import UnitKind

from . import services
from .models import (
    ChainRole,
    InstitutionKind,
    MemberStatus,
    OrgKind,
    PairingKind,
    PartyOrg,
    Scale,
    Stage,
    VanguardKind,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国志红梅林云飞海波宁晨浩宇博文轩睿欣怡佳琪雪婷晓东亮斌鑫凯俊峰瑶琳"
POSTS = ["技术员", "工程师", "高级工程师", "车间主任", "班组长", "质检员", "采购专员", "销售经理", "财务主管", "研发工程师",
         "工艺员", "安全员", "设备主管", "项目经理", "人事专员", "生产调度"]


def credit_code(name: str, region: str) -> str:
    digest = hashlib.sha256(name.encode()).digest()
    body = "".join(USCC_CHARS[b % 31] for b in digest[:9])
    first17 = "91" + region + body
    return first17 + uscc_check_char(first17)


class People:
    """Deterministic fictional people: names, valid ID numbers (GB 11643), phones."""

    def __init__(self, seed: int, region: str):
        self.rng = random.Random(seed)
        self.region = region
        self.used: set[str] = set()

    def name(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))

    def id_number(self) -> str:
        r = self.rng
        while True:
            born = datetime.date(1962, 1, 1) + datetime.timedelta(days=r.randrange(0, 365 * 38))
            first17 = f"{self.region}{born:%Y%m%d}{r.randrange(0, 1000):03d}"
            number = first17 + id_check_char(first17)
            if number not in self.used:
                self.used.add(number)
                return number

    def phone(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randrange(0, 10**9):09d}"

    def person(self) -> dict:
        """One fictional member's fields (valid ID number, phone, dates, post, backbone flags)."""
        r = self.rng
        number = self.id_number()
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        joined = born + datetime.timedelta(days=365 * r.randint(20, 30) + r.randrange(0, 300))
        today = datetime.date(2025, 6, 30)
        if joined > today:
            joined = today - datetime.timedelta(days=r.randrange(30, 700))
        probationary = (today - joined).days < 365
        return dict(name=self.name(), id_number=number, phone=self.phone(), post=r.choice(POSTS),
                    status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL, joined_on=joined,
                    is_tech_backbone=r.random() < 0.35, is_mgmt_backbone=r.random() < 0.2, is_demo=True)

    def fill(self, actor, org, n: int) -> None:
        """Bring ``org`` up to ``n`` members (idempotent: a second run finds them there)."""
        missing = n - org.members.count()
        if missing > 0:
            services.add_members(actor=actor, party_org=org, people=[self.person() for _ in range(missing)])


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), summing exactly."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


def _chain_with_nodes(actor, zone, name, nodes, **fields):
    chain = services.save_chain(actor=actor, zone=zone, name=name, **fields)
    made = {}
    for i, (node_name, stage) in enumerate(nodes):
        made[node_name] = services.save_chain_node(actor=actor, chain=chain, name=node_name, stage=stage, sort=i)
    return chain, made


def _committee(chain):
    return PartyOrg.objects.get(chain=chain, kind=OrgKind.CHAIN_COMMITTEE)


def _firm(actor, zone, name, region, chain, node, role=ChainRole.MEMBER, *, demo=True, **fields):
    ent, _ = services.save_enterprise(actor=actor, zone=zone, name=name, credit_code=credit_code(name, region),
                                      is_demo=demo, **fields)
    services.set_membership(actor=actor, enterprise=ent, chain=chain, role=role, node=node)
    return ent


def _firm_org(actor, zone, chain, ent, kind=OrgKind.BRANCH, *, name=None, parent=None, **fields):
    short = ent.name.replace("有限公司", "").replace("股份", "").replace("（集团）", "")
    label = {OrgKind.COMMITTEE: "党委", OrgKind.GENERAL_BRANCH: "党总支"}.get(kind, "党支部")
    demo = fields.pop("demo", False) or ent.is_demo
    return services.save_party_org(actor=actor, zone=zone, name=name or f"{short}{label}", kind=kind,
                                   parent=parent or _committee(chain), chain=chain, enterprise=ent, is_demo=demo,
                                   **fields)


STD = dict(established_on=datetime.date(2019, 7, 1), term_end=datetime.date(2027, 6, 30))


def load_zhenjiang(ctx):
    actor, people = None, People(seed=1, region="321191")
    zone = services.save_zone(actor=actor, name="镇江高新区", short_name="镇江", province="江苏省", city="镇江市",
                              description="“红帆领航·链通高新”先锋行动；组织固链、服务优链、创新强链。")
    depts = {}
    for dname in ["党群工作部", "经济发展局", "自然资源和规划分局", "财政金融局", "行政审批局", "人力资源和社会保障局",
                  "科技创新局"]:
        depts[dname] = services.save_department(actor=actor, zone=zone, name=dname, is_demo=True)
    just = services.save_institution(actor=actor, zone=zone, name="江苏科技大学", kind=InstitutionKind.UNIVERSITY,
                                     address="江苏省镇江市")
    services.save_institution(actor=actor, zone=zone, name="先进船舶海工区域技术转移转化中心",
                              kind=InstitutionKind.TRANSFER_CENTRE)
    chain, nodes = _chain_with_nodes(actor, zone, "高技术船舶海工装备", [
        ("船用钢材与焊材", Stage.UPSTREAM), ("船用涂料", Stage.UPSTREAM), ("船用核心部件", Stage.UPSTREAM),
        ("船用动力系统", Stage.MIDSTREAM), ("船舶电气与智能控制", Stage.MIDSTREAM), ("舾装与舱室", Stage.MIDSTREAM),
        ("船舶总装建造", Stage.DOWNSTREAM), ("海工装备", Stage.DOWNSTREAM), ("船舶修造与服务", Stage.DOWNSTREAM),
    ], chief_name="镇江高新区分管负责同志", chief_department=depts["经济发展局"],
        description="镇江高新区主导产业链，链主企业镇江船厂、中船动力。")
    committee = _committee(chain)
    ship = _firm(actor, zone, "江苏省镇江船厂（集团）有限公司", "321191", chain, nodes["船舶总装建造"], ChainRole.MASTER,
                 demo=False, scale=Scale.LARGE, is_hightech=True, address="江苏省镇江市")
    engine = _firm(actor, zone, "中船动力（集团）有限公司", "321191", chain, nodes["船用动力系统"], ChainRole.MASTER,
                   demo=False, scale=Scale.LARGE, is_hightech=True, address="江苏省镇江市")
    ship_org = _firm_org(actor, zone, chain, ship, OrgKind.COMMITTEE, name="镇江船厂党委", secretary_name="周海涛",
                         demo=True, **STD)
    ship_branch = _firm_org(actor, zone, chain, ship, name="镇江船厂设计所党支部", parent=ship_org,
                            secretary_name="陆明远", demo=True, **STD)
    ship_branch2 = _firm_org(actor, zone, chain, ship, name="镇江船厂总装车间党支部", parent=ship_org,
                             secretary_name="孙建国", demo=True, **STD)
    engine_org = _firm_org(actor, zone, chain, engine, OrgKind.COMMITTEE, name="中船动力党委", secretary_name="韩立新",
                           demo=True, **STD)
    engine_branch = _firm_org(actor, zone, chain, engine, name="中船动力研发中心党支部", parent=engine_org,
                              secretary_name="蒋文博", demo=True, **STD)
    suppliers = [
        ("镇江海帆船舶配件有限公司", "舾装与舱室"), ("镇江长润船用钢材有限公司", "船用钢材与焊材"),
        ("镇江蓝海船用涂料有限公司", "船用涂料"), ("镇江启航智能控制系统有限公司", "船舶电气与智能控制"),
        ("镇江江枫动力部件有限公司", "船用核心部件"), ("镇江瑞舟海工装备有限公司", "海工装备"),
        ("镇江恒泰焊接材料有限公司", "船用钢材与焊材"), ("镇江远洋船舶修造服务有限公司", "船舶修造与服务"),
        ("镇江润扬电气设备有限公司", "船舶电气与智能控制"), ("镇江中科船舶设计研究有限公司", "船用核心部件"),
    ]
    firm_orgs = [ship_branch, ship_branch2, engine_branch, ship_org, engine_org]
    firms = []
    for i, (fname, node) in enumerate(suppliers):
        ent = _firm(actor, zone, fname, "321191", chain, nodes[node], scale=[Scale.MEDIUM, Scale.SMALL][i % 2],
                    is_hightech=i % 3 == 0, contact_name=people.name(), contact_phone=people.phone())
        firms.append(ent)
        firm_orgs.append(_firm_org(actor, zone, chain, ent, secretary_name=people.name(), **STD))
    counts = {ship_branch.pk: 18, ship_branch2.pk: 26, engine_branch.pk: 21, ship_org.pk: 3, engine_org.pk: 3}
    for i, org in enumerate(firm_orgs):
        people.fill(actor, org, counts.get(org.pk, 6 + i % 7))
    services.save_pairing(actor=actor, zone=zone, kind=PairingKind.CAMPUS, party_org=committee, chain=chain,
                          partner_institution=just, partner_name="江苏科技大学",
                          signed_on=datetime.date(2025, 4, 28), content="“双高协同”产业链党建联建，校地共建实践创新基地。")
    services.save_pairing(actor=actor, zone=zone, kind=PairingKind.VERTICAL, party_org=committee, chain=chain,
                          partner_name="镇江市高技术船舶海工装备产业链联合党委（镇江市科技局）",
                          signed_on=datetime.date(2025, 4, 28), content="条块结对，市区联动服务链上企业。")
    for kind, name, lead, focus in [
        (VanguardKind.TECH, "技术攻坚党员先锋队", engine_branch, "船用中速双燃料发动机、大型邮轮电磁矫平技术攻关"),
        (VanguardKind.EDUCATION, "产教融合党员先锋队", ship_branch, "车间课堂实训、双导师制、定向输送船舶专业人才"),
        (VanguardKind.SUPPLY, "供需对接党员先锋队", committee, "链主开放供应链场景，精准匹配上下游产能需求"),
    ]:
        services.save_vanguard_team(actor=actor, zone=zone, chain=chain, kind=kind, name=name, lead_org=lead,
                                    leader_name=lead.secretary_name or "刘洋", focus=focus,
                                    established_on=datetime.date(2025, 3, 20), is_demo=True)
    _cultivations(actor, People(seed=11, region="321191"), [ship_branch, ship_branch2, engine_branch] + firm_orgs[5:8])
    ctx["zhenjiang"] = {"zone": zone, "chain": chain, "ship": ship, "engine": engine, "firms": firms,
                        "depts": depts, "uni": just, "committee": committee, "ship_branch": ship_branch,
                        "nodes": nodes}


def _cultivations(actor, people, orgs):
    """Dual cultivation (双培养): technical backbones on the way to membership, members trained as managers."""
    from .models import CultivationStage, CultivationTrack

    stages = [CultivationStage.ACTIVIST, CultivationStage.ACTIVIST, CultivationStage.CANDIDATE,
              CultivationStage.PROBATIONARY, CultivationStage.FULL]
    for i, org in enumerate(orgs):
        for j, stage in enumerate(stages[: 2 + (i + 1) % 4]):
            services.save_cultivation(actor=actor, party_org=org, person_name=f"{people.name()}",
                                      track=CultivationTrack.BACKBONE_TO_MEMBER, stage=stage, post="技术骨干",
                                      mentor_name=org.secretary_name, started_on=datetime.date(2024, 3 + j, 1),
                                      stage_since=datetime.date(2025, 1 + j, 15), is_demo=True)
        services.save_cultivation(actor=actor, party_org=org, person_name=people.name(),
                                  track=CultivationTrack.MEMBER_TO_MANAGER,
                                  stage=[CultivationStage.TRAINEE, CultivationStage.MANAGER][i % 2], post="车间主任",
                                  mentor_name=org.secretary_name, started_on=datetime.date(2024, 6, 1),
                                  stage_since=datetime.date(2025, 2, 1), is_demo=True)


def load_pingdingshan(ctx):
    actor, people = None, People(seed=2, region="410411")
    zone = services.save_zone(actor=actor, name="平顶山高新区", short_name="平顶山", province="河南省", city="平顶山市",
                              description="尼龙新材料产业园区“党建+”创新实践。")
    for dname in ["党群工作部", "经济发展局", "科技创新局", "行政审批局"]:
        services.save_department(actor=actor, zone=zone, name=dname, is_demo=True)
    chain, nodes = _chain_with_nodes(actor, zone, "尼龙新材料", [
        ("己内酰胺", Stage.UPSTREAM), ("己二酸与己二胺", Stage.UPSTREAM), ("尼龙切片", Stage.MIDSTREAM),
        ("工程塑料改性", Stage.MIDSTREAM), ("纺织与染整", Stage.DOWNSTREAM), ("检测与服务", Stage.DOWNSTREAM),
        ("新能源配套", Stage.DOWNSTREAM),
    ], description="平顶山高新区尼龙新材料产业园区，瞄准延链补链强链。")
    master = _firm(actor, zone, "平顶山锦纶新材料集团有限公司", "410411", chain, nodes["尼龙切片"], ChainRole.MASTER,
                   scale=Scale.LARGE, is_hightech=True)
    named = {
        "平顶山昌隆源有限公司": "工程塑料改性",
        "河南金建中晟构件混凝土有限公司": "新能源配套",
        "平顶山立充新能源科技有限公司": "新能源配套",
        "赛伏特质量检测公司": "检测与服务",
        "河南无水染色科技股份有限公司": "纺织与染整",
    }
    ents = {n: _firm(actor, zone, n, "410411", chain, nodes[node], demo=False, is_hightech=n != "河南金建中晟构件混凝土有限公司")
            for n, node in named.items()}
    master_org = _firm_org(actor, zone, chain, master, OrgKind.COMMITTEE, secretary_name=people.name(), **STD)
    changlong = _firm_org(actor, zone, chain, ents["平顶山昌隆源有限公司"], secretary_name="张鹏",
                          established_on=datetime.date(2018, 5, 1), term_end=datetime.date(2026, 4, 30), demo=True)
    jinjian = _firm_org(actor, zone, chain, ents["河南金建中晟构件混凝土有限公司"], secretary_name="李真", demo=True, **STD)
    project = services.save_party_org(
        actor=actor, zone=zone, name="平顶山立充新能源项目党支部", kind=OrgKind.PROJECT_BRANCH, parent=jinjian,
        chain=chain, enterprise=ents["平顶山立充新能源科技有限公司"], project_name="立充新能源子公司建设投产项目",
        secretary_name="李真", established_on=datetime.date(2024, 3, 1), term_end=datetime.date(2027, 2, 28),
        is_demo=True)
    others = [_firm_org(actor, zone, chain, ents[n], secretary_name=people.name(), demo=True, **STD)
              for n in ("赛伏特质量检测公司", "河南无水染色科技股份有限公司")]
    for org, n in [(master_org, 30), (changlong, 12), (jinjian, 15), (project, 7)] + [(o, 8) for o in others]:
        people.fill(actor, org, n)
    services.save_pairing(actor=actor, zone=zone, kind=PairingKind.ALLIANCE, party_org=_committee(chain), chain=chain,
                          partner_name="尼龙新材料产业园区企业党建联合体", content="技术创新、市场协同，共建尼龙发展生态圈。",
                          is_demo=True)
    ctx["pingdingshan"] = {"zone": zone, "chain": chain, "master": master, "ents": ents}


BAIYIN_CHAINS = [
    ("锂电池", 20, [("锂资源与前驱体", Stage.UPSTREAM), ("正极材料", Stage.UPSTREAM), ("负极材料", Stage.UPSTREAM),
                  ("电解液与隔膜", Stage.UPSTREAM), ("电芯制造", Stage.MIDSTREAM), ("储能系统", Stage.DOWNSTREAM),
                  ("电池回收", Stage.DOWNSTREAM)]),
    ("精细化工", 12, [("基础化工原料", Stage.UPSTREAM), ("中间体", Stage.MIDSTREAM), ("专用化学品", Stage.DOWNSTREAM)]),
    ("有色金属新材料", 12, [("冶炼", Stage.UPSTREAM), ("压延加工", Stage.MIDSTREAM), ("新材料制品", Stage.DOWNSTREAM)]),
    ("稀土功能材料", 10, [("稀土分离", Stage.UPSTREAM), ("稀土金属", Stage.MIDSTREAM), ("磁性材料", Stage.DOWNSTREAM)]),
    ("氟化工", 10, [("萤石与氢氟酸", Stage.UPSTREAM), ("含氟中间体", Stage.MIDSTREAM), ("含氟材料", Stage.DOWNSTREAM)]),
    ("装备制造", 10, [("零部件", Stage.UPSTREAM), ("整机制造", Stage.MIDSTREAM), ("运维服务", Stage.DOWNSTREAM)]),
    ("生物医药", 9, [("原料药", Stage.UPSTREAM), ("制剂", Stage.MIDSTREAM), ("医药流通", Stage.DOWNSTREAM)]),
    ("新能源", 9, [("光伏材料", Stage.UPSTREAM), ("风电装备", Stage.MIDSTREAM), ("新能源电站", Stage.DOWNSTREAM)]),
    ("电子信息材料", 8, [("电子化学品", Stage.UPSTREAM), ("电子元器件", Stage.MIDSTREAM), ("终端应用", Stage.DOWNSTREAM)]),
    ("绿色建材", 7, [("固废资源化", Stage.UPSTREAM), ("新型建材", Stage.MIDSTREAM), ("装配式建筑", Stage.DOWNSTREAM)]),
    ("食品加工", 5, [("农产品原料", Stage.UPSTREAM), ("食品加工", Stage.MIDSTREAM), ("冷链配送", Stage.DOWNSTREAM)]),
    ("现代物流", 5, [("仓储", Stage.UPSTREAM), ("运输", Stage.MIDSTREAM), ("供应链服务", Stage.DOWNSTREAM)]),
]
BAIYIN_WORDS = "银东银西金鑫鑫源华鹭祁连黄河陇原兴陇西铝宏达瑞丰恒信泰和鼎盛永昌中天新盛金川银光德隆正阳丰源"
SUFFIX = {"锂电池": "新能源材料", "精细化工": "化工", "有色金属新材料": "有色金属", "稀土功能材料": "稀土新材料",
          "氟化工": "氟化工", "装备制造": "装备制造", "生物医药": "生物医药", "新能源": "新能源科技",
          "电子信息材料": "电子材料", "绿色建材": "新型建材", "食品加工": "食品", "现代物流": "物流"}
N_FIRMS, N_ORGS, N_MEMBERS = 117, 243, 5333


def load_baiyin(ctx):
    actor, people = None, People(seed=3, region="620402")
    rng = random.Random(30)
    zone = services.save_zone(actor=actor, name="白银高新区", short_name="白银", province="甘肃省", city="白银市",
                              description="“党建领航·链动聚能”专项行动：一链一党委，三级联动。")
    for dname in ["党群工作部", "经济发展局", "招商服务局", "行政审批局", "财政金融局", "人力资源和社会保障局",
                  "科技创新局"]:
        services.save_department(actor=actor, zone=zone, name=dname, is_demo=True)
    assert sum(n for _, n, _ in BAIYIN_CHAINS) == N_FIRMS
    words = [BAIYIN_WORDS[i:i + 2] for i in range(0, len(BAIYIN_WORDS), 2)]
    firms = []  # (ent, chain, is_master)
    for ci, (cname, n, node_list) in enumerate(BAIYIN_CHAINS):
        chain, nodes = _chain_with_nodes(actor, zone, cname, node_list, description=f"白银高新区{cname}产业链（演示）")
        for k in range(n):
            if cname == "锂电池" and k == 0:
                ent = _firm(actor, zone, "甘肃东方钛业有限公司", "620402", chain, nodes["正极材料"], ChainRole.MASTER,
                            demo=False, scale=Scale.LARGE, is_hightech=True, address="甘肃省白银市银东工业园")
            else:
                fname = f"白银{words[(ci * 7 + k) % len(words)]}{SUFFIX[cname]}{'有限公司' if k % 4 else '股份有限公司'}"
                if k >= len(words) // 2:
                    fname = fname.replace("白银", "甘肃", 1)
                node = list(nodes.values())[k % len(nodes)]
                ent = _firm(actor, zone, fname, "620402", chain, node,
                            ChainRole.MASTER if k == 0 else ChainRole.MEMBER,
                            scale=[Scale.LARGE, Scale.MEDIUM, Scale.SMALL, Scale.MICRO][min(3, k // 3)],
                            is_hightech=k % 3 == 0)
            firms.append((ent, chain, k == 0))
    # 243 firms' party orgs: each firm one main org; masters have 4 branches under a 党委; 78 more firms a 党总支
    # with one branch. 117 + 12*4 + 78 = 243.
    extras = [4 if master else 0 for _, _, master in firms]
    for i in [i for i, (_, _, m) in enumerate(firms) if not m][:78]:
        extras[i] = 1
    assert len(firms) + sum(extras) == N_ORGS
    orgs = []
    for (ent, chain, _), extra in zip(firms, extras):
        kind = OrgKind.COMMITTEE if extra >= 3 else (OrgKind.GENERAL_BRANCH if extra else OrgKind.BRANCH)
        main = _firm_org(actor, zone, chain, ent, kind, secretary_name=people.name(), demo=True, **STD)
        orgs.append(main)
        for b in range(extra):
            orgs.append(_firm_org(actor, zone, chain, ent, name=f"{main.name}第{'一二三四五'[b]}党支部", parent=main,
                                  secretary_name=people.name(), demo=True, **STD))
    counts = _apportion(N_MEMBERS, [rng.uniform(0.4, 1.6) for _ in orgs])
    for org, n in zip(orgs, counts):
        people.fill(actor, org, n)
    ctx["baiyin"] = {"zone": zone, "firms": firms, "orgs": orgs}


def load_users(ctx):
    roles = ctx["roles"]
    zj, by = ctx["zhenjiang"], ctx["baiyin"]
    zone_org = services.zone_committee(zj["zone"])
    firm2 = zj["firms"][0]
    specs = [
        ("admin", "平台管理员", UnitKind.PLATFORM, ["platform_admin"], {"is_staff": True, "is_superuser": True}),
        ("zj_zone", "镇江党工委（演示）", UnitKind.ZONE, ["zone_staff"], {"zone": zj["zone"], "party_org": zone_org}),
        ("zj_chain", "镇江船舶链联合党委（演示）", UnitKind.CHAIN, ["chain_staff"],
         {"zone": zj["zone"], "chain": zj["chain"], "party_org": zj["committee"]}),
        ("zj_dept", "自然资源和规划分局（演示）", UnitKind.DEPARTMENT, ["dept_staff"],
         {"zone": zj["zone"], "department": zj["depts"]["自然资源和规划分局"]}),
        ("zj_firm", "镇江船厂联络员（演示）", UnitKind.ENTERPRISE, ["enterprise"],
         {"zone": zj["zone"], "enterprise": zj["ship"], "party_org": zj["ship_branch"]}),
        ("zj_firm2", f"{firm2.name}联络员（演示）", UnitKind.ENTERPRISE, ["enterprise"],
         {"zone": zj["zone"], "enterprise": firm2, "party_org": firm2.party_orgs.first()}),
        ("zj_uni", "江苏科技大学联络员（演示）", UnitKind.INSTITUTION, ["institution"],
         {"zone": zj["zone"], "institution": zj["uni"]}),
        ("by_zone", "白银党工委（演示）", UnitKind.ZONE, ["zone_staff"],
         {"zone": by["zone"], "party_org": services.zone_committee(by["zone"])}),
    ]
    users = {}
    for username, display, kind, role_codes, extra in specs:
        # no password here: the accounts loader gives every demo user the demo password (one shared hash)
        users[username] = save_user(actor=None, username=username, password=None, unit_kind=kind,
                                    roles=[roles[c] for c in role_codes], display_name=display, is_demo=True,
                                    **extra)
    ctx["users"] = users


def load(ctx):
    load_zhenjiang(ctx)
    load_pingdingshan(ctx)
    load_baiyin(ctx)
    load_users(ctx)
