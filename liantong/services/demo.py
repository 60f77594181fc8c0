"""Demo of the services strand: 镇江's 47 solved enterprise problems (the seed article's figure),
built through the real services with back-dated timestamps, plus a few open orders and a
"一件事" bundle. Deterministic (seeded) and idempotent: each order has a natural key ``ZJ-DEMO-nnn``.

Timelines are realistic: most orders are dispatched and accepted within a working day and
resolved within the category's limit; some are returned and re-dispatched, some get an
extension, some run late and earn yellow and red cards (raised by the real ``tick``), one is
reopened after a 不满意 rating.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from liantong.accounts.models import UnitKind, User
from liantong.accounts.services import save_user
from liantong.core import calendar

from . import services
from .models import ServiceBundle, ServiceRequest

SH = calendar.SHANGHAI
N_RESOLVED = 47

# category -> lead department (镇江's departments)
LEAD = {"land": "自然资源和规划分局", "finance": "财政金融局", "talent": "人力资源和社会保障局",
        "labour": "人力资源和社会保障局", "tech": "科技创新局", "approval": "行政审批局", "market": "经济发展局",
        "policy": "经济发展局", "other": "党群工作部"}

PROBLEMS = {
    "land": ["新建分段制造车间用地规划许可", "船坞扩建项目用地指标协调", "海工装备堆场临时用地审批",
             "厂区道路红线调整", "研发楼不动产权证办理", "新厂区宗地出让前期规划条件"],
    "finance": ["技改项目中长期贷款授信", "出口订单流动资金贷款", "首台套保险补贴申请", "知识产权质押融资",
                "设备融资租赁贴息", "供应链金融应收账款融资"],
    "talent": ["船舶设计高级人才引进落户", "焊接技师职称评定", "高校毕业生定向招聘"],
    "labour": ["旺季缺工招聘对接", "外地务工人员社保转移"],
    "tech": ["大型邮轮薄板焊接变形技术攻关", "双燃料发动机试验平台共建", "高新技术企业认定辅导"],
    "approval": ["新建涂装车间环评审批代办", "施工许可证并联审批", "危化品仓库经营许可变更"],
    "market": ["配套企业进入链主供应商名录", "参加国际海事展对接", "用电增容协调"],
    "policy": ["首台套政策兑现咨询", "研发费用加计扣除政策辅导"],
    "other": ["厂区周边公交线路优化"],
}
# 47 resolved: land and financing first among them, as the article says
PLAN = (["land"] * 11 + ["finance"] * 10 + ["talent"] * 4 + ["labour"] * 3 + ["tech"] * 5 + ["approval"] * 5
        + ["market"] * 4 + ["policy"] * 3 + ["other"] * 2)
assert len(PLAN) == N_RESOLVED

DEPT_USERS = {"经济发展局": "zj_jfj", "财政金融局": "zj_czj", "行政审批局": "zj_spj", "人力资源和社会保障局": "zj_rsj",
              "科技创新局": "zj_kjj", "党群工作部": "zj_dqb"}


def _users(ctx) -> dict:
    """The demo actors: the named demo logins plus one handler per other department and firm."""
    zj = ctx["zhenjiang"]
    roles = ctx["roles"]
    users = {u: User.objects.get(username=u) for u in ("zj_firm", "zj_firm2", "zj_chain", "zj_zone", "zj_dept")}
    by_dept = {"自然资源和规划分局": users["zj_dept"]}
    for dname, username in DEPT_USERS.items():
        by_dept[dname] = save_user(actor=None, username=username, password=None, unit_kind=UnitKind.DEPARTMENT,
                                   roles=[roles["dept_staff"]], display_name=f"{dname}经办人（演示）", is_demo=True,
                                   zone=zj["zone"], department=zj["depts"][dname])
    by_firm = {zj["ship"].pk: users["zj_firm"], users["zj_firm2"].enterprise_id: users["zj_firm2"]}
    for i, ent in enumerate([zj["engine"], *zj["firms"]]):
        if ent.pk not in by_firm:
            by_firm[ent.pk] = save_user(actor=None, username=f"zj_f{i:02d}", password=None,
                                        unit_kind=UnitKind.ENTERPRISE, roles=[roles["enterprise"]],
                                        display_name=f"{ent.name[:20]}联络员（演示）", is_demo=True, zone=zj["zone"],
                                        enterprise=ent)
    return {**users, "dept": by_dept, "firm": by_firm}


def _workday_at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    while not calendar.is_workday(day):
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SH)


def _later(at: datetime.datetime, workdays: int, hour: int) -> datetime.datetime:
    day = calendar.add_workdays(at.astimezone(SH).date(), workdays)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=SH)


def _one(i: int, category: str, rng: random.Random, ctx, u) -> None:
    zj = ctx["zhenjiang"]
    ref = f"ZJ-DEMO-{i + 1:03d}"
    if ServiceRequest.objects.filter(ref=ref).exists():
        return
    depts = zj["depts"]
    firms = [zj["ship"], zj["engine"], *zj["firms"]]
    firm = firms[0] if i % 4 == 0 else (zj["firms"][0] if i % 4 == 1 else rng.choice(firms))
    firm_user = u["firm"][firm.pk]
    title = PROBLEMS[category][i % len(PROBLEMS[category])]
    t0 = _workday_at(datetime.date(2025, 3, 3) + datetime.timedelta(days=int(i * 4.6)), rng.choice((9, 10, 14, 15)))
    lead = depts[LEAD[category]]
    lead_user = u["dept"][LEAD[category]]
    chain_user = u["zj_chain"]
    returned = i % 9 == 4
    assisted = category in ("finance", "land") and i % 3 == 0
    late = i % 7 == 3
    extension = i % 11 == 6
    reopened = i == 20
    with transaction.atomic():
        order = services.place_order(
            actor=firm_user, enterprise=firm, category=category, title=title, at=t0, ref=ref, is_demo=True,
            description=f"{firm.name}：{title}，恳请党委协调相关部门帮助解决。",
            urgency=["normal", "normal", "urgent", "critical"][i % 4])
        at = t0 + datetime.timedelta(hours=rng.choice((1, 2, 3)))
        if returned:
            wrong = depts["经济发展局"] if LEAD[category] != "经济发展局" else depts["行政审批局"]
            wrong_user = u["dept"][wrong.name]
            order = services.transition(order, "dispatch", actor=chain_user, at=at, lead=wrong)
            at = at + datetime.timedelta(hours=3)
            order = services.transition(order, "return", actor=wrong_user, at=at,
                                        note=f"该事项属{lead.name}职责，请改派")
            at = at + datetime.timedelta(hours=2)
            order = services.transition(order, "redispatch", actor=chain_user, at=at, lead=lead,
                                        note="按职责改派")
        else:
            assists = [depts["经济发展局"]] if assisted else []
            order = services.transition(order, "dispatch", actor=chain_user, at=at, lead=lead, assists=assists)
        at = _later(at, 0 if rng.random() < 0.7 else 1, 16) if not late else _later(at, 1, 11)
        order = services.transition(order, "accept", actor=lead_user, at=at)
        limit = calendar.workdays_between(order.accepted_at.astimezone(SH).date(),
                                          order.resolve_due_at.astimezone(SH).date())
        if assisted:
            order = services.transition(order, "report", actor=u["dept"]["经济发展局"],
                                        at=_later(at, max(1, limit // 2), 10), note="已会同企业梳理项目产能与市场情况")
        if extension:
            order = services.transition(order, "request_extension", actor=lead_user, at=_later(at, 2, 9), days=3,
                                        note="需等待上级部门批复")
            order = services.transition(order, "grant_extension", actor=chain_user, at=_later(at, 2, 15))
            limit += 3
        done_in = limit + (rng.choice((1, 2, 3)) if late else -rng.choice((0, 1, 2, 3)))
        done_at = _later(at, max(1, done_in), 17)
        if late:  # the real periodic job raises the cards on its runs before the order is resolved
            services.tick(order.warn_at + datetime.timedelta(minutes=1))
            services.tick(order.due_at + datetime.timedelta(hours=9))
        order = services.transition(order, "resolve", actor=lead_user, at=done_at,
                                    note=f"{lead.name}已协调办结：{title}事项已落实，材料已反馈企业。")
        services.tick(done_at + datetime.timedelta(hours=1))  # 回访 request
        if reopened:
            order = services.transition(order, "rate", actor=firm_user, at=_later(done_at, 1, 10), satisfaction=1,
                                        note="办理结果与诉求不符，请再协调")
            order = services.transition(order, "resolve", actor=lead_user, at=_later(done_at, 3, 16),
                                        note="已再次现场协调，问题全部解决")
            done_at = _later(done_at, 3, 16)
        if i % 15 != 14:  # a few await the firm's rating
            sat = 3 if rng.random() < 0.85 else 2
            services.transition(order, "rate", actor=firm_user, at=_later(done_at, 1, 11), satisfaction=sat,
                                note="感谢党委和部门的高效服务" if sat == 3 else "基本解决，期待后续跟进")


# The open orders are placed relative to the day the demo is first loaded, so the dispatch queue,
# the department inboxes and the supervision board show live work: (ref, category, title, state,
# working days ago). 102 waits for dispatch past its one-day limit (red card); 105 runs past the
# approval limit (red); 101, 103 and 104 are within their limits (104 may be near it: yellow).
OPEN = [
    ("ZJ-DEMO-101", "land", "码头岸线配套仓储用地预审", "submitted", 0),
    ("ZJ-DEMO-102", "finance", "绿色船舶技改专项贷款贴息", "submitted", 3),
    ("ZJ-DEMO-103", "land", "分段堆场用地规划条件核实", "dispatched", 0),
    ("ZJ-DEMO-104", "tech", "船用甲醇燃料供给系统联合攻关", "accepted", 3),
    ("ZJ-DEMO-105", "approval", "新建焊材仓库消防验收代办", "accepted", 8),
]


def _workdays_ago(now: datetime.datetime, n: int, hour: int) -> datetime.datetime:
    """``hour`` o'clock on the ``n``-th working day before ``now`` (n=0: the last working day up to now),
    at the latest three hours before ``now``, so the steps that follow within hours are in the past too."""
    day = now.astimezone(SH).date()
    while not calendar.is_workday(day):
        day -= datetime.timedelta(days=1)
    while n > 0:
        day -= datetime.timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    at = datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=SH)
    return min(at, now - datetime.timedelta(hours=3))


def _open(ctx, u, now: datetime.datetime) -> bool:
    """Place the open orders that are missing; True when any was placed."""
    zj = ctx["zhenjiang"]
    depts = zj["depts"]
    placed = False
    for k, (ref, category, title, state, back) in enumerate(OPEN):
        if ServiceRequest.objects.filter(ref=ref).exists():
            continue
        placed = True
        firm = zj["ship"] if k % 2 == 0 else zj["firms"][0]
        with transaction.atomic():
            t0 = _workdays_ago(now, back, 9)
            order = services.place_order(actor=u["firm"][firm.pk], enterprise=firm, category=category, title=title,
                                         ref=ref, at=t0, is_demo=True, description=f"{title}，请协调。")
            if state == "submitted":
                continue
            lead = depts[LEAD[category]]
            assists = [depts["经济发展局"]] if category == "tech" else []
            order = services.transition(order, "dispatch", actor=u["zj_chain"], at=t0 + datetime.timedelta(hours=2),
                                        lead=lead, assists=assists)
            if state == "accepted":
                services.transition(order, "accept", actor=u["dept"][LEAD[category]],
                                    at=t0 + datetime.timedelta(hours=5))
    return placed


def _bundle(ctx, u, now: datetime.datetime) -> bool:
    zj = ctx["zhenjiang"]
    title = "新建智能分段车间项目开工“一件事”"
    if ServiceBundle.objects.filter(enterprise=zj["ship"], title=title).exists():
        return False
    at = _workdays_ago(now, 0, 10)
    bundle = services.create_bundle(actor=u["zj_firm"], enterprise=zj["ship"], title=title, at=at, is_demo=True,
                                    description="项目用地、施工许可和项目贷款一并办理。", items=[
                                        {"category": "land", "title": "智能分段车间项目用地规划许可"},
                                        {"category": "approval", "title": "智能分段车间施工许可"},
                                        {"category": "finance", "title": "智能分段车间项目贷款"}])
    for order in bundle.orders.order_by("id"):
        services.transition(order, "dispatch", actor=u["zj_zone"], at=at + datetime.timedelta(hours=1),
                            lead=zj["depts"][LEAD[order.category]])
    return True


def load(ctx) -> None:
    u = _users(ctx)
    for i, category in enumerate(PLAN):
        _one(i, category, random.Random(2000 + i), ctx, u)
    now = timezone.now()
    if _open(ctx, u, now) | _bundle(ctx, u, now):
        # what the periodic job would have raised by now (only when this run placed the open work, so a
        # second `liantong demo` writes nothing)
        services.tick(now)
