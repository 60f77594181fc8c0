"""The people strand's demo, from the seed article, through the services (deterministic: fixed seeds and
dates, natural keys — a second run changes nothing):

* 镇江: 24 joint themed party days and technical seminars held by the chain committee with its firms' orgs
  (the three vanguard teams among them), members checked in from the organising orgs — 800+ person-times,
  summed from those rows; venues (the service centre, the park's shared space, firms' micro-venues);
  16 workshop-classroom projects with 江苏科技大学, dual mentors, 64 trainees of whom 62 are placed;
* 白银: the catalogue of urgently needed talent across its 12 chains; the recruitment roadshows of 6 firms to
  北京 and 上海; its dual-cultivation pipeline, moved through the rules (``orgs.cultivation``);
* 平顶山: 金建中晟's 13 middle and senior managers, 11 of them on its branch committee (85 %), and an
  activity of its 项目党支部 at 平顶山立充新能源.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from liantong.orgs import services as org_services
from liantong.orgs.cultivation import CULTIVATION
from liantong.orgs.demo import People
from liantong.orgs.models import (
    Chain,
    Cultivation,
    CultivationTrack,
    Enterprise,
    Member,
    OrgKind,
    PartyOrg,
    VanguardTeam,
)

from . import reminders, services
from .models import (
    ActivityKind,
    Degree,
    ManagerLevel,
    MentorKind,
    PostKind,
    Urgency,
    VenueKind,
)

TZ_NOON = datetime.time(9, 30)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, TZ_NOON))


# --- 镇江 -------------------------------------------------------------------------------------------------

ZJ_TOPICS = [
    "重温入党誓词·船海强国", "船用核心部件国产化", "学习贯彻党的二十届三中全会精神", "大型邮轮电磁矫平技术",
    "安全生产月·党员身边无事故", "双燃料发动机可靠性", "七一联合主题党日", "船舶智能控制系统对接",
    "船用钢材焊接工艺", "党员先锋岗授牌", "海工装备首台套应用", "链上企业质量提升",
]


def _zhenjiang(ctx):
    zj = ctx["zhenjiang"]
    zone, chain, committee, uni = zj["zone"], zj["chain"], zj["committee"], zj["uni"]
    ship, engine, firms = zj["ship"], zj["engine"], zj["firms"]
    rng = random.Random(1010)
    people = People(seed=101, region="321191")

    centre = services.save_venue(actor=None, zone=zone, name="镇江高新区企业发展服务中心", kind=VenueKind.CENTRE,
                                 capacity=200, facilities="报告厅、党员活动室、远程教育终端", is_demo=True)
    shared = services.save_venue(actor=None, zone=zone, name="船海产业园共享空间", kind=VenueKind.SHARED,
                                 capacity=80, facilities="会议室、路演区、技术对接室", is_demo=True)
    micro = [services.save_venue(actor=None, zone=zone, name=f"{ent.name.replace('有限公司', '')}党员微阵地",
                                 kind=VenueKind.MICRO, enterprise=ent, capacity=30, facilities="党员活动角、学习园地",
                                 is_demo=True) for ent in (ship, firms[0])]
    venues = [centre, shared, *micro]

    firm_orgs = list(PartyOrg.objects.filter(zone=zone, enterprise__isnull=False).order_by("path"))
    teams = list(VanguardTeam.objects.filter(zone=zone).order_by("id"))
    members = {o.pk: list(o.members.order_by("id").values_list("pk", flat=True)) for o in firm_orgs}
    start = datetime.date(2025, 3, 6)
    for i in range(24):
        kind = ActivityKind.THEMED_DAY if i % 12 < 7 else ActivityKind.SEMINAR
        day = start + datetime.timedelta(days=11 * i)
        partners = [firm_orgs[(2 * i) % len(firm_orgs)], firm_orgs[(2 * i + 5) % len(firm_orgs)]]
        label = "联合主题党日" if kind == ActivityKind.THEMED_DAY else "技术研讨会"
        a = services.save_activity(
            actor=None, zone=zone, title=f"{ZJ_TOPICS[i % 12]}{label}（第{i + 1}期）", kind=kind, lead_org=committee,
            organisers=partners, chain=chain, held_on=day, venue=venues[i % len(venues)],
            vanguard_team=teams[i % len(teams)] if teams and i % 2 == 0 else None, guests=2 + i % 4,
            summary=f"产业链联合党委与{'、'.join(p.name for p in partners)}联合开展。", is_demo=True)
        pool = sorted({m for org in partners for m in members[org.pk]} | set(
            rng.sample([m for ms in members.values() for m in ms], 60)))
        for member_id in sorted(rng.sample(pool, min(len(pool), 32 + i % 5))):
            services.check_in(actor=None, activity=a, member=Member.objects.get(pk=member_id),
                              at=_at(day))
    # 三会一课 of the design office's branch: its record and the monthly check
    branch = zj["ship_branch"]
    for j, kind in enumerate([ActivityKind.MEMBER_MEETING, ActivityKind.COMMITTEE_MEETING, ActivityKind.PARTY_LECTURE]):
        day = datetime.date(2025, 10, 10 + 7 * j)
        a = services.save_activity(actor=None, zone=zone, title=f"设计所党支部{kind.label}（2025年10月）", kind=kind,
                                   lead_org=branch, held_on=day, place="设计所三楼会议室", is_demo=True)
        for member_id in list(branch.members.order_by("id").values_list("pk", flat=True))[:12 + j]:
            services.check_in(actor=None, activity=a, member=Member.objects.get(pk=member_id), at=_at(day))

    # 双导师制: 16 enterprise mentors (one per project's host) and 8 professors of 江苏科技大学
    hosts = [ship, engine, *firms[:6]]
    professors = [services.save_mentor(actor=None, zone=zone, name=people.name(), kind=MentorKind.PROFESSOR,
                                       institution=uni, title=["教授", "副教授"][k % 2] + "（船舶与海洋工程学院）",
                                       is_demo=True) for k in range(8)]
    topics = ["船体分段建造", "船舶焊接", "舾装工艺", "船舶电气调试", "动力装置装配", "船用涂装", "海工结构", "智能制造产线",
              "三维设计建模", "质量检验", "管系加工", "数控切割", "轮机维护", "船舶设计", "供应链管理", "安全生产"]
    majors = ["船舶与海洋工程", "焊接技术与工程", "轮机工程", "电气工程及其自动化", "机械设计制造及其自动化", "材料成型及控制工程"]
    placed = 0
    for k, topic in enumerate(topics):
        host = hosts[k % len(hosts)]
        program = services.save_program(
            actor=None, zone=zone, name=f"车间课堂·{topic}实训项目", host=host, institution=uni, chain=chain,
            starts_on=datetime.date(2024, 9, 1) + datetime.timedelta(days=14 * k),
            ends_on=datetime.date(2025, 6, 30), description=f"江苏科技大学与{host.name}共建，学生进车间、导师上讲台。",
            is_demo=True)
        mentor = services.save_mentor(actor=None, zone=zone, name=people.name(), kind=MentorKind.ENTERPRISE,
                                      enterprise=host, title=["高级工程师", "车间主任", "首席技师"][k % 3], is_demo=True)
        for t in range(4):
            trainee = services.save_trainee(
                actor=None, program=program, name=people.name(), major=majors[(k + t) % len(majors)],
                degree=[Degree.BACHELOR, Degree.BACHELOR, Degree.MASTER, Degree.VOCATIONAL][t],
                graduates_on=datetime.date(2025, 6, 30), enterprise_mentor=mentor,
                professor=professors[(k + t) % len(professors)], is_demo=True)
            if placed < 62:
                target = hosts[(k + t) % len(hosts)]
                services.place(actor=None, trainee=trainee, enterprise=target,
                               post=["船体装配工程师", "焊接工艺员", "电气调试工程师", "设计助理工程师"][t],
                               placed_on=datetime.date(2025, 7, 1) + datetime.timedelta(days=k))
                placed += 1
    for post, major, degree in [("船舶设计工程师", "船舶与海洋工程", Degree.MASTER), ("焊接工艺工程师", "焊接技术与工程",
                                                                           Degree.BACHELOR),
                                ("轮机调试工程师", "轮机工程", Degree.BACHELOR)]:
        services.save_talent_need(actor=None, zone=zone, chain=chain, enterprise=ship, post=post, major=major,
                                  degree=degree, headcount=5, salary_min=8000, salary_max=15000,
                                  urgency=Urgency.URGENT, valid_until=datetime.date(2026, 12, 31), is_demo=True)
    # firm_b (镇江海帆) keeps its managers and its branch committee like every firm
    haifan = firms[0]
    haifan_org = PartyOrg.objects.filter(enterprise=haifan).order_by("pk").first()
    _managers_and_committee(haifan, haifan_org, People(seed=102, region="321191"), managers=5, seated=3,
                            term=(datetime.date(2024, 7, 1), datetime.date(2027, 6, 30)))


# --- 白银 -------------------------------------------------------------------------------------------------

BY_MAJORS = ["材料科学与工程", "化学工程与工艺", "冶金工程", "机械设计制造及其自动化", "电气工程及其自动化",
             "新能源科学与工程", "环境工程", "安全工程", "计算机科学与技术", "自动化", "应用化学", "工商管理"]


def _baiyin(ctx):
    by = ctx["baiyin"]
    zone = by["zone"]
    chains = list(Chain.objects.filter(zone=zone).order_by("id"))
    firms_of: dict[int, list] = {}
    for ent, chain, _ in by["firms"]:
        firms_of.setdefault(chain.pk, []).append(ent)
    for ci, chain in enumerate(chains):
        for k in range(3):
            ent = firms_of[chain.pk][k % len(firms_of[chain.pk])]
            major = BY_MAJORS[(ci + k) % len(BY_MAJORS)]
            services.save_talent_need(
                actor=None, zone=zone, chain=chain, enterprise=ent,
                post=["研发工程师", "工艺工程师", "生产技术主管"][k], major=major,
                degree=[Degree.MASTER, Degree.BACHELOR, Degree.BACHELOR][k], headcount=2 + (ci + k) % 4,
                salary_min=7000 + 500 * k, salary_max=14000 + 1000 * k,
                urgency=[Urgency.URGENT, Urgency.SHORT, Urgency.NORMAL][(ci + k) % 3],
                valid_until=datetime.date(2026, 12, 31), is_demo=True)
    # 引才宣介: 6 firms (the chains' masters) to 北京 and 上海
    zone_committee = PartyOrg.objects.get(zone=zone, kind=OrgKind.ZONE_COMMITTEE)
    six = [ent for ent, _, master in by["firms"] if master][:6]
    for city, day, signed, guests in [("北京", datetime.date(2025, 5, 16), 9, 160), ("上海", datetime.date(2025, 5, 23), 7, 140)]:
        services.save_activity(
            actor=None, zone=zone, title=f"白银高新区高层次人才引进宣介会（{city}站）", kind=ActivityKind.ROADSHOW,
            lead_org=zone_committee, held_on=day, place=f"{city}", cities=city, firms=six, signed=signed,
            guests=guests, summary=f"组织{len(six)}家链主企业赴{city}开展高层次人才引进宣介，现场签约{signed}人。",
            is_demo=True)
    # 双培养: technical backbones through the pipeline, moved by its rules with their dates
    people = People(seed=303, region="620402")
    orgs = [o for o in by["orgs"] if o.kind in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)][:8]
    plan = [  # (steps made, start date)
        ([], datetime.date(2025, 9, 1)),
        (["activist"], datetime.date(2025, 3, 1)),
        (["activist", "candidate"], datetime.date(2023, 6, 1)),
        (["activist", "candidate", "admit"], datetime.date(2023, 3, 1)),
        (["activist", "candidate", "admit", "confirm"], datetime.date(2022, 3, 1)),
    ]
    for i, org in enumerate(orgs):
        for steps, started in plan:
            name = people.name()
            c = org_services.save_cultivation(actor=None, party_org=org, person_name=name,
                                              track=CultivationTrack.BACKBONE_TO_MEMBER, post="技术骨干",
                                              mentor_name=org.secretary_name, started_on=started, is_demo=True)
            _walk(c, steps, started)
        c = org_services.save_cultivation(actor=None, party_org=org, person_name=people.name(),
                                          track=CultivationTrack.MEMBER_TO_MANAGER, post="班组长",
                                          mentor_name=org.secretary_name, started_on=datetime.date(2024, 3, 1),
                                          is_demo=True)
        _walk(c, ["appoint"] if i % 2 else [], datetime.date(2024, 3, 1))


GAPS = {"activist": 90, "candidate": 366, "admit": 90, "confirm": 366, "appoint": 200}


def _walk(c: Cultivation, steps: list[str], started: datetime.date) -> None:
    """Make ``steps`` on ``c`` (each after its waiting time), unless a previous run already made them."""
    done = {row.changes.get("action") for row in CULTIVATION.history(c)}
    day = started
    for action in steps:
        day = day + datetime.timedelta(days=GAPS[action])
        if action in done:
            continue
        c = CULTIVATION.transition(c, action, actor=None, at=_at(day))


# --- 平顶山 ------------------------------------------------------------------------------------------------


def _managers_and_committee(ent, org, people, *, managers: int, seated: int, term) -> None:
    titles = ["总经理", "副总经理", "总工程师", "财务总监", "生产部经理", "技术部经理", "质量部经理", "采购部经理",
              "销售部经理", "人力资源部经理", "安全环保部经理", "设备部经理", "综合办公室主任"]
    posts = [PostKind.SECRETARY, PostKind.DEPUTY, PostKind.ORGANISATION, PostKind.PUBLICITY, PostKind.DISCIPLINE,
             PostKind.YOUTH] + [PostKind.MEMBER] * 10
    for k in range(managers):
        m = services.save_manager(actor=None, enterprise=ent, name=people.name(), title=titles[k % len(titles)],
                                  level=ManagerLevel.SENIOR if k < 3 else ManagerLevel.MIDDLE, is_demo=True)
        if k < seated:
            person = org.secretary_name if k == 0 and org.secretary_name else m.name
            services.save_committee_post(actor=None, party_org=org, post=posts[k], person_name=person, manager=m,
                                         term_start=term[0], term_end=term[1], is_demo=True)


def _pingdingshan(ctx):
    pds = ctx["pingdingshan"]
    jinjian = Enterprise.objects.get(name="河南金建中晟构件混凝土有限公司")
    org = PartyOrg.objects.get(enterprise=jinjian, kind=OrgKind.BRANCH)
    # 85 %: 11 of its 13 middle and senior managers sit on the branch committee (双向进入、交叉任职)
    _managers_and_committee(jinjian, org, People(seed=404, region="410411"), managers=13, seated=11,
                            term=(datetime.date(2025, 6, 1), datetime.date(2028, 5, 31)))
    project = PartyOrg.objects.get(zone=pds["zone"], kind=OrgKind.PROJECT_BRANCH)
    day = datetime.date(2025, 4, 18)
    a = services.save_activity(actor=None, zone=pds["zone"], title="支部建在项目上：立充新能源投产攻坚主题党日",
                               kind=ActivityKind.THEMED_DAY, lead_org=project, organisers=[org], chain=pds["chain"],
                               held_on=day, place="平顶山立充新能源项目现场", guests=6,
                               summary="金建中晟党支部与项目党支部联合开展，党员认领投产攻坚任务。", is_demo=True)
    for member_id in list(org.members.order_by("id").values_list("pk", flat=True))[:10]:
        services.check_in(actor=None, activity=a, member=Member.objects.get(pk=member_id), at=_at(day))


def load(ctx):
    _zhenjiang(ctx)
    _baiyin(ctx)
    _pingdingshan(ctx)
    # the tick's reminders on a fixed day (deterministic; the keys make a second run a no-op)
    reminders.tick(_at(datetime.date(2025, 12, 22)))
