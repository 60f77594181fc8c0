"""``liantong gen``: synthetic zones of the organisation strand, bulk-inserted for benchmarks.

This is the one documented bulk path of the strand (DESIGN-NOTES 8, ``docs/generator.md``). It
does not go through the per-row services — at province scale (20 zones, 200 chains, 50,000 firms,
20,000 party orgs, 500,000 members) they would take hours — but it keeps every invariant they keep,
and ``tests/test_gen.py`` checks a ``tiny`` run against them:

* every scoped row carries the zone of its parent objects;
* primary keys are assigned from a range reserved above the current maximum, so each tree path is
  known before the insert: ``PartyOrg.path == parent.path + f"{pk}/"`` and ``depth`` matches
  (ChainNode likewise); one 党工委 per zone at the root, one 联合党委 per chain under it, firm orgs
  under their chain's committee;
* credit codes carry their GB 32100 check character and are unique; ID numbers carry their
  GB 11643 check digit and are unique; members keep the keyed hash, the encrypted copy and the
  masked form of their ID number and phone, with gender and birth date derived from the number;
* everything is flagged ``is_demo`` and the zones are named ``合成园区01`` … so they are never
  mistaken for real data.

Rows go in with ``executemany`` of the model's INSERT in batches of 5,000, one transaction per
50,000 (``core.gen.bulk`` says why not ``bulk_create``). Fernet
encryption of 2 × 500,000 values is the costliest step on one core, so above a threshold it runs
in a small process pool while the main process inserts. One audit row per generated zone records
the bulk creation (who: the system; what: the counts).
"""

from __future__ import annotations

import datetime
import os
import random
import time
from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from liantong.core import audit, pii, textsearch
from liantong.core import gen as core_gen
from liantong.core.gen import BATCH, GROUP, Scale
from liantong.core.identifiers import USCC_CHARS, id_check_char, mask_id, mask_phone, uscc_check_char
from liantong.core.models import Zone
from liantong.core.scoping import UnitKind

from .demo import GIVEN, POSTS, SURNAMES
from .models import (
    Chain,
    ChainMembership,
    ChainNode,
    ChainRole,
    Cultivation,
    CultivationStage,
    CultivationTrack,
    Department,
    Enterprise,
    Member,
    MemberStatus,
    OrgKind,
    Pairing,
    PairingKind,
    PartyOrg,
    Stage,
    VanguardKind,
    VanguardTeam,
)

ZONE_PREFIX = "合成园区"
POOL_THRESHOLD = 20_000  # encrypt in a process pool above this many members

DEPARTMENTS = ["党群工作部", "经济发展局", "科技创新局", "财政金融局", "行政审批局", "人力资源和社会保障局",
               "自然资源和规划分局", "招商服务中心", "生态环境分局", "应急管理局"]
CHAINS = [
    ("新能源汽车", "电池材料", "动力电池"), ("集成电路", "晶圆材料", "芯片设计"), ("生物医药", "原料药", "创新药"),
    ("高端装备", "精密铸件", "数控机床"), ("新材料", "化工原料", "功能材料"), ("光伏", "多晶硅", "光伏组件"),
    ("智能终端", "电子元器件", "整机制造"), ("节能环保", "环保材料", "环保装备"), ("航空航天", "特种合金", "航空部件"),
    ("人工智能", "算力设施", "行业应用"), ("氢能", "制氢装备", "燃料电池"), ("船舶海工", "船用钢材", "海工装备"),
    ("现代纺织", "化纤原料", "高端面料"), ("绿色食品", "农产品基地", "精深加工"), ("工业软件", "基础软件", "工业互联网"),
]
NODES = {
    Stage.UPSTREAM: ["原材料", "关键零部件", "基础材料", "核心元器件", "专用设备"],
    Stage.MIDSTREAM: ["系统集成", "中间产品制造", "模组组装", "工艺加工"],
    Stage.DOWNSTREAM: ["终端产品", "应用服务", "销售与售后", "检测认证"],
}
FIRM_W1 = list("华中恒泰瑞金宏鑫盛达新隆安康源通正远东海天和光辉永丰润嘉兴博信诚锦明德利宇昌祥富茂")
FIRM_W2 = list("创联科邦凯捷越卓晟铭宸航汇峰阳晨星汉鼎力辰川岳晖启弘泽铎骏曜霖奥朗峻翔")
FIRM_SUFFIX = ["科技有限公司", "股份有限公司", "材料有限公司", "装备有限公司", "智能科技有限公司", "制造有限公司"]

_P_FIRM = 1_000_003  # coprime with 31**9: a bijection from firm index to code body
_ID_DAYS = 365 * 38
_ID_SPACE = _ID_DAYS * 1000
_P_MEMBER = 7_919_993  # coprime with _ID_SPACE: a bijection from member index to (birth day, sequence)
_BORN_FROM = datetime.date(1962, 1, 1)
_TODAY = datetime.date(2025, 6, 30)


class GenRefused(CommandError):
    """Generation cannot run on this database (generated zones already exist); ``gen`` prints it, exit 1."""


def generated_zones():
    """The zones this generator made (for other apps' generators and the benchmarks)."""
    return Zone.objects.filter(name__startswith=ZONE_PREFIX, is_demo=True).order_by("id")


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def credit_code(index: int, region: str) -> str:
    """A valid, unique unified social credit code for generated firm number ``index``."""
    n = (index * _P_FIRM) % (31 ** 9)
    body = ""
    for _ in range(9):
        n, r = divmod(n, 31)
        body = USCC_CHARS[r] + body
    first17 = "91" + region + body
    return first17 + uscc_check_char(first17)


def id_number(index: int, region: str) -> str:
    """A valid GB 11643 ID number, unique for each ``index`` (< 13.87 M) within ``region``."""
    n = (index * _P_MEMBER) % _ID_SPACE
    born = _BORN_FROM + datetime.timedelta(days=n % _ID_DAYS)
    first17 = f"{region}{born:%Y%m%d}{n // _ID_DAYS:03d}"
    return first17 + id_check_char(first17)


def generate(scale: Scale, log: Callable[[str], None] = print) -> dict:
    """Generate ``scale.zones`` synthetic zones with their chains, firms, orgs, members and users."""
    if generated_zones().exists():
        raise GenRefused(f"数据库中已有合成园区（{ZONE_PREFIX}01 …），不重复生成；请换一个新数据库后再运行 gen。")
    t0 = time.perf_counter()
    rng = random.Random(f"gen:{scale.name}")
    models = [Zone, Department, Chain, ChainNode, Enterprise, ChainMembership, PartyOrg, Member, VanguardTeam, Pairing,
              Cultivation]
    keys = core_gen.Keys(*models)
    counts: dict[str, int] = {}
    restore = core_gen.bulk_load_pragmas()
    try:
        firms_per_zone = _split(scale.firms, scale.zones)
        orgs_per_zone = _split(scale.party_orgs, scale.zones)
        members_per_zone = _split(scale.members, scale.zones)
        zones, depts, chains, nodes, firms, memberships, orgs = [], [], [], [], [], [], []
        teams, pairings, cultivations = [], [], []
        member_plan: list[tuple[int, PartyOrg]] = []  # (zone number, org) per member, in insert order
        zone_summary: dict[int, dict] = {}
        firm_index = 0
        for z in range(1, scale.zones + 1):
            zone = Zone(id=keys.take(Zone), name=f"{ZONE_PREFIX}{z:02d}", short_name=f"合成{z:02d}",
                        province="合成省", city=f"合成市{z:02d}", is_demo=True,
                        description="由 liantong gen 生成的合成数据，仅用于性能测试。")
            zones.append(zone)
            region = f"99{z:02d}00"
            zdepts = [Department(id=keys.take(Department), zone_id=zone.id, name=name, is_demo=True,
                                 contact_name=_person(rng), contact_phone=_phone(rng))
                      for name in DEPARTMENTS[:8]]
            depts += zdepts
            root_id = keys.take(PartyOrg)
            root = PartyOrg(id=root_id, zone_id=zone.id, name=f"{zone.name}党工委", kind=OrgKind.ZONE_COMMITTEE,
                            parent_id=None, path=f"/{root_id}/", depth=0, is_demo=True,
                            secretary_name=_person(rng), established_on=datetime.date(2015, 7, 1))
            zorgs = [root]
            zchains, committees, chain_nodes = [], {}, {}
            for c in range(scale.chains_per_zone):
                base, up, down = CHAINS[c % len(CHAINS)]
                name = base if c < len(CHAINS) else f"{base}（{c // len(CHAINS) + 1}）"
                chain = Chain(id=keys.take(Chain), zone_id=zone.id, name=name, is_demo=True,
                              chief_name=_person(rng), chief_department_id=rng.choice(zdepts).id,
                              description=f"{zone.name}{name}产业链：上游{up}，下游{down}。")
                zchains.append(chain)
                chain_nodes[chain.id] = _nodes(chain, keys, rng)
                nodes += chain_nodes[chain.id]
                cid = keys.take(PartyOrg)
                committees[chain.id] = PartyOrg(
                    id=cid, zone_id=zone.id, name=f"{name}产业链联合党委", kind=OrgKind.CHAIN_COMMITTEE,
                    parent_id=root_id, path=f"{root.path}{cid}/", depth=1, chain_id=chain.id, is_demo=True,
                    secretary_name=_person(rng), established_on=datetime.date(2021, 7, 1),
                    term_end=datetime.date(2026, 6, 30))
                zorgs.append(committees[chain.id])
            chains += zchains
            # firms, spread over the zone's chains; the first firm of each chain (and ~2% of the rest) is a master
            zfirms: list[tuple[Enterprise, Chain]] = []
            for i in range(firms_per_zone[z - 1]):
                chain = zchains[i % len(zchains)]
                w1, w2 = FIRM_W1[i % len(FIRM_W1)], FIRM_W2[(i // len(FIRM_W1)) % len(FIRM_W2)]
                serial = i // (len(FIRM_W1) * len(FIRM_W2))
                fname = (f"{w1}{w2}{chain.name}{'' if serial == 0 else serial + 1}"
                         f"{FIRM_SUFFIX[i % len(FIRM_SUFFIX)]}")
                ent = Enterprise(id=keys.take(Enterprise), zone_id=zone.id, name=fname,
                                 credit_code=credit_code(firm_index, region), is_demo=True,
                                 address=f"合成省合成市{z:02d}高新大道{rng.randint(1, 999)}号",
                                 scale=rng.choices(["large", "medium", "small", "micro"], [1, 4, 10, 8])[0],
                                 is_hightech=rng.random() < 0.4, contact_name=_person(rng), contact_phone=_phone(rng))
                firm_index += 1
                master = i < len(zchains) or rng.random() < 0.02
                memberships.append(ChainMembership(
                    id=keys.take(ChainMembership), zone_id=zone.id, enterprise_id=ent.id, chain_id=chain.id,
                    node_id=rng.choice(chain_nodes[chain.id]).id,
                    role=ChainRole.MASTER if master else ChainRole.MEMBER))
                zfirms.append((ent, chain))
            firms += [e for e, _ in zfirms]
            # firm party orgs under their chain's committee until the zone's org budget is spent
            budget = orgs_per_zone[z - 1] - len(zorgs)
            firm_orgs: list[PartyOrg] = []
            order = list(range(len(zfirms)))
            rng.shuffle(order)
            for i in order:
                if budget <= 0:
                    break
                ent, chain = zfirms[i]
                parent = committees[chain.id]
                big = budget >= 3 and ent.scale == "large"
                oid = keys.take(PartyOrg)
                main = PartyOrg(id=oid, zone_id=zone.id, name=f"{ent.name}{'党委' if big else '党支部'}",
                                kind=OrgKind.COMMITTEE if big else OrgKind.BRANCH, parent_id=parent.id,
                                path=f"{parent.path}{oid}/", depth=parent.depth + 1, chain_id=chain.id,
                                enterprise_id=ent.id, is_demo=True, secretary_name=_person(rng),
                                established_on=datetime.date(2018 + rng.randrange(6), 7, 1),
                                term_end=datetime.date(2026 + rng.randrange(3), 6, 30))
                firm_orgs.append(main)
                budget -= 1
                if big:
                    for b in range(2):
                        bid = keys.take(PartyOrg)
                        firm_orgs.append(PartyOrg(
                            id=bid, zone_id=zone.id, name=f"{main.name}第{'一二'[b]}党支部", kind=OrgKind.BRANCH,
                            parent_id=main.id, path=f"{main.path}{bid}/", depth=main.depth + 1, chain_id=chain.id,
                            enterprise_id=ent.id, is_demo=True, secretary_name=_person(rng),
                            established_on=main.established_on, term_end=main.term_end))
                        budget -= 1
            zorgs += firm_orgs
            if budget > 0:
                # more orgs than firms: extra joint branches (联合党支部) under the chain committees
                for k in range(budget):
                    chain = zchains[k % len(zchains)]
                    parent = committees[chain.id]
                    oid = keys.take(PartyOrg)
                    zorgs.append(PartyOrg(id=oid, zone_id=zone.id, name=f"{chain.name}第{k + 1}联合党支部",
                                          kind=OrgKind.JOINT_BRANCH, parent_id=parent.id, path=f"{parent.path}{oid}/",
                                          depth=parent.depth + 1, chain_id=chain.id, is_demo=True,
                                          secretary_name=_person(rng)))
            orgs += zorgs
            teams, pairings, cultivations = (teams + _teams(zone, zchains, committees, keys, rng),
                                             pairings + _pairings(zone, zchains, committees, firm_orgs, keys, rng),
                                             cultivations + _cultivations(zone, firm_orgs, keys, rng))
            hosts = [o for o in zorgs if o.kind != OrgKind.ZONE_COMMITTEE] or zorgs
            member_plan += [(z, rng.choice(hosts)) for _ in range(members_per_zone[z - 1])]
            zone_summary[zone.id] = {"chains": len(zchains), "enterprises": len(zfirms), "party_orgs": len(zorgs),
                                     "members": members_per_zone[z - 1]}

        core_gen.bulk(Zone, zones, counts)
        core_gen.bulk(Department, depts, counts)
        core_gen.bulk(Chain, chains, counts)
        core_gen.bulk(ChainNode, nodes, counts)
        core_gen.bulk(Enterprise, firms, counts)
        core_gen.bulk(ChainMembership, memberships, counts)
        core_gen.bulk(PartyOrg, orgs, counts)
        core_gen.bulk(VanguardTeam, teams, counts)
        core_gen.bulk(Pairing, pairings, counts)
        core_gen.bulk(Cultivation, cultivations, counts)
        log(f"  组织固链：{len(zones)} 个园区、{len(chains)} 条产业链、{len(firms)} 家企业、{len(orgs)} 个党组织"
            f"（{time.perf_counter() - t0:.1f} 秒）")
        t1 = time.perf_counter()
        _members(member_plan, keys, rng, counts)
        log(f"  组织固链：{len(member_plan)} 名党员（{time.perf_counter() - t1:.1f} 秒）")
        core_gen.reset_sequences(models)
        core_gen.analyze()
        counts["users"] = _users(zones, orgs)
        for zone in zones:
            audit.record(None, audit.AuditAction.CREATE, zone, zone=zone.id,
                         changes={"gen": scale.name, "new": zone_summary[zone.id]})
    finally:
        restore()
    counts["seconds"] = round(time.perf_counter() - t0, 1)
    return counts


VANGUARD = {VanguardKind.TECH: ("技术攻坚", "关键工艺与“卡脖子”部件攻关"),
            VanguardKind.EDUCATION: ("产教融合", "校企联合培养技能人才与工程师"),
            VanguardKind.SUPPLY: ("供需对接", "链上企业产能与订单精准对接")}
PARTNERS = ["合成理工大学", "合成职业技术学院", "合成市产业链党委", "合成科学院研究所"]


def _teams(zone: Zone, chains: list[Chain], committees: dict, keys: core_gen.Keys, rng: random.Random) -> list[VanguardTeam]:
    """The three kinds of vanguard team (党员先锋队) per chain, each led by the chain's committee."""
    return [VanguardTeam(id=keys.take(VanguardTeam), zone_id=zone.id, chain_id=c.id, lead_org_id=committees[c.id].id,
                         name=f"{c.name}{label}党员先锋队", kind=kind, leader_name=_person(rng), focus=focus,
                         established_on=datetime.date(2022 + rng.randrange(3), 7, 1), is_demo=True)
            for c in chains for kind, (label, focus) in VANGUARD.items()]


def _pairings(zone: Zone, chains: list[Chain], committees: dict, firm_orgs: list[PartyOrg], keys: core_gen.Keys,
              rng: random.Random) -> list[Pairing]:
    """Per chain: the committee's campus pairing (校地共建) and vertical pairing (条块结对); and one firm
    org in ten paired with another on its chain (结对共建)."""
    out = []
    for c in chains:
        for kind, partner in ((PairingKind.CAMPUS, rng.choice(PARTNERS[:2] + PARTNERS[3:])),
                              (PairingKind.VERTICAL, PARTNERS[2])):
            out.append(Pairing(id=keys.take(Pairing), zone_id=zone.id, kind=kind, party_org_id=committees[c.id].id,
                               chain_id=c.id, partner_name=partner, content=f"{c.name}人才、技术与党建共建",
                               signed_on=datetime.date(2023, rng.randrange(1, 13), 1), is_demo=True))
    by_chain: dict[int, list[PartyOrg]] = {}
    for o in firm_orgs:
        if o.kind == OrgKind.BRANCH:
            by_chain.setdefault(o.chain_id, []).append(o)
    for chain_id, chain_orgs in by_chain.items():
        for a, b in zip(chain_orgs[0::20], chain_orgs[1::20]):
            out.append(Pairing(id=keys.take(Pairing), zone_id=zone.id, kind=PairingKind.PAIRED, party_org_id=a.id,
                               chain_id=chain_id, partner_org_id=b.id, partner_name=b.name[:120],
                               content="支部共建、党员互学、供需互通", is_demo=True,
                               signed_on=datetime.date(2024, rng.randrange(1, 13), 1)))
    return out


def _cultivations(zone: Zone, firm_orgs: list[PartyOrg], keys: core_gen.Keys, rng: random.Random) -> list[Cultivation]:
    """双培养: two people in the pipeline per firm party org, at every stage of both tracks."""
    tracks = {CultivationTrack.BACKBONE_TO_MEMBER: [CultivationStage.ACTIVIST, CultivationStage.CANDIDATE,
                                                   CultivationStage.PROBATIONARY, CultivationStage.FULL],
              CultivationTrack.MEMBER_TO_MANAGER: [CultivationStage.TRAINEE, CultivationStage.MANAGER]}
    out = []
    for o in firm_orgs:
        for track in (CultivationTrack.BACKBONE_TO_MEMBER, CultivationTrack.MEMBER_TO_MANAGER):
            started = datetime.date(2023 + rng.randrange(3), rng.randrange(1, 13), 1)
            out.append(Cultivation(id=keys.take(Cultivation), zone_id=zone.id, party_org_id=o.id,
                                   person_name=_person(rng), track=track, stage=rng.choice(tracks[track]),
                                   post=rng.choice(["工艺工程师", "车间主任", "研发骨干", "质量主管", "班组长"]),
                                   mentor_name=o.secretary_name, started_on=started, stage_since=started,
                                   is_demo=True))
    return out


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(0, 10 ** 9):09d}"


def _nodes(chain: Chain, keys: core_gen.Keys, rng: random.Random) -> list[ChainNode]:
    """6–9 nodes over the three stages; each stage's later nodes hang under its first (depth 1)."""
    n = rng.randint(6, 9)
    per_stage = _split(n, 3)
    out, sort = [], 0
    for stage, k in zip((Stage.UPSTREAM, Stage.MIDSTREAM, Stage.DOWNSTREAM), per_stage):
        head = None
        for name in rng.sample(NODES[stage], k):
            pk = keys.take(ChainNode)
            parent = head if head is not None and rng.random() < 0.5 else None
            path = (parent.path if parent else "/") + f"{pk}/"
            node = ChainNode(id=pk, zone_id=chain.zone_id, chain_id=chain.id, parent_id=parent.id if parent else None,
                             name=name, stage=stage, sort=sort, path=path, depth=path.count("/") - 2)
            head = head or node
            out.append(node)
            sort += 1
    return out


MEMBER_COLUMNS = ["id", "zone_id", "party_org_id", "name", "gender", "id_hash", "id_encrypted", "id_masked",
                  "birth_date", "phone_encrypted", "phone_masked", "status", "joined_on", "post", "is_tech_backbone",
                  "is_mgmt_backbone", "is_demo", "created_at", "updated_at", "search_text"]


def _members(plan: list[tuple[int, PartyOrg]], keys: core_gen.Keys, rng: random.Random, counts: dict) -> None:
    """Insert the members of ``plan``; the personal data is hashed and encrypted chunk by chunk."""
    per_zone: dict[int, int] = {}
    people = []
    for z, _org in plan:
        j = per_zone.get(z, 0)
        per_zone[z] = j + 1
        people.append((id_number(j, f"99{z:02d}00"), _phone(rng)))
    workers = min(2, os.cpu_count() or 1) if len(plan) >= POOL_THRESHOLD else 1
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(timezone.now())
    full, probationary = str(MemberStatus.FULL), str(MemberStatus.PROBATIONARY)
    rows: list[tuple] = []
    i = 0
    for chunk in core_gen.map_chunks(pii.protect_many, people, BATCH, workers):
        for h, enc_id, enc_phone in chunk:
            z, org = plan[i]
            number, phone = people[i]
            i += 1
            born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            joined = born + datetime.timedelta(days=365 * rng.randint(20, 30) + rng.randrange(300))
            if joined > _TODAY:
                joined = _TODAY - datetime.timedelta(days=rng.randrange(30, 700))
            name, post = _person(rng), rng.choice(POSTS)  # (the generator's order of draws)
            # tuples in MEMBER_COLUMNS order, not Member instances: __init__ alone would cost ~10 s here
            rows.append((
                keys.take(Member), org.zone_id, org.id, name, "male" if int(number[16]) % 2 else "female",
                h, enc_id, mask_id(number), ops.adapt_datefield_value(born), enc_phone, mask_phone(phone),
                probationary if (_TODAY - joined).days < 365 else full, ops.adapt_datefield_value(joined),
                post, rng.random() < 0.3, rng.random() < 0.15, True, stamp, stamp, textsearch.build_text((name, post))))
        if len(rows) >= GROUP:
            core_gen.insert(Member, MEMBER_COLUMNS, rows, counts)
            rows = []
    if rows:
        core_gen.insert(Member, MEMBER_COLUMNS, rows, counts)


def _users(zones: list[Zone], orgs: list[PartyOrg]) -> int:
    """Per zone a zone-staff, a chain-staff and a firm user (``gen_z01_zone`` …), plus ``gen_admin``;
    all with the demo password, created through the accounts service (audited)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from liantong.accounts.roles import ensure_roles
    from liantong.accounts.services import save_user

    roles = ensure_roles()
    made = ["gen_admin"]
    save_user(actor=None, username="gen_admin", password=None, unit_kind=UnitKind.PLATFORM,
              roles=[roles["platform_admin"]], display_name="合成数据平台管理员", is_demo=True)
    for n, zone in enumerate(zones, start=1):
        zorgs = [o for o in orgs if o.zone_id == zone.id]
        root = next(o for o in zorgs if o.kind == OrgKind.ZONE_COMMITTEE)
        committee = next(o for o in zorgs if o.kind == OrgKind.CHAIN_COMMITTEE)
        firm_org = next((o for o in zorgs if o.enterprise_id and o.depth == 2), None)
        common = {"actor": None, "password": None, "is_demo": True, "zone": zone}
        save_user(username=f"gen_z{n:02d}_zone", unit_kind=UnitKind.ZONE, roles=[roles["zone_staff"]],
                  display_name=f"{zone.name}党工委（合成）", party_org_id=root.id, **common)
        save_user(username=f"gen_z{n:02d}_chain", unit_kind=UnitKind.CHAIN, roles=[roles["chain_staff"]],
                  display_name=f"{committee.name}（合成）", chain_id=committee.chain_id, party_org_id=committee.id,
                  **common)
        made += [f"gen_z{n:02d}_zone", f"gen_z{n:02d}_chain"]
        if firm_org is not None:
            save_user(username=f"gen_z{n:02d}_firm", unit_kind=UnitKind.ENTERPRISE, roles=[roles["enterprise"]],
                      display_name="企业联络员（合成）", enterprise_id=firm_org.enterprise_id,
                      party_org_id=firm_org.id, **common)
            made.append(f"gen_z{n:02d}_firm")
    # one Argon2 hash of the demo password for all of them: hashing each would cost ~1 s per user
    get_user_model().objects.filter(username__in=made).update(password=make_password(settings.DEMO_PASSWORD))
    return len(made)
