"""Shared set-up for the services tests: fresh orders in 镇江 driven to any state by legal moves."""

from __future__ import annotations

import datetime

from liantong.accounts.models import User
from liantong.core import calendar
from liantong.orgs.models import Department
from liantong.services import services
from liantong.services.models import OrderState as S

ZJ_LAND = "自然资源和规划分局"
ZJ_ASSIST = "经济发展局"

# who plays each role of the state machine (demo users)
ROLE_USERS = {"firm": "zj_firm", "committee": "zj_chain", "zone": "zj_zone", "lead": "zj_dept", "assist": "zj_jfj"}


def user(name: str) -> User:
    return User.objects.get(username=name)


def dept(name: str) -> Department:
    return Department.objects.get(zone__short_name="镇江", name=name)


def new_order(*, at: datetime.datetime | None = None, category: str = "land", title: str = "新建车间用地规划许可",
              with_assist: bool = True):
    at = at or datetime.datetime(2025, 6, 9, 9, 0, tzinfo=calendar.SHANGHAI)
    return services.place_order(actor=user("zj_firm"), title=title, category=category,
                                description="新建智能车间需要办理用地规划许可", at=at)


def drive(state: str, *, with_assist: bool = True):
    """A new order brought to ``state`` through legal moves only."""
    t = datetime.datetime(2025, 6, 9, 9, 0, tzinfo=calendar.SHANGHAI)
    step = datetime.timedelta(hours=1)
    o = new_order(at=t)
    chain, land = user("zj_chain"), user("zj_dept")
    assists = [dept(ZJ_ASSIST)] if with_assist else []
    if state == S.SUBMITTED:
        return o
    if state in (S.DECLINED, S.WITHDRAWN, S.MERGED):
        if state == S.DECLINED:
            return services.transition(o, "decline", actor=chain, at=t + step, note="不属于服务范围")
        if state == S.WITHDRAWN:
            return services.transition(o, "withdraw", actor=user("zj_firm"), at=t + step)
        target = new_order(at=t, title="同一诉求的另一张工单")
        return services.transition(o, "merge", actor=chain, at=t + step, into=target)
    o = services.transition(o, "dispatch", actor=chain, at=t + step, lead=dept(ZJ_LAND), assists=assists)
    if state == S.DISPATCHED:
        return o
    if state == S.RETURNED:
        return services.transition(o, "return", actor=land, at=t + 2 * step, note="不属本部门职责")
    o = services.transition(o, "accept", actor=land, at=t + 2 * step)
    if state == S.ACCEPTED:
        return o
    if state == S.EXTENSION_REQUESTED:
        return services.transition(o, "request_extension", actor=land, at=t + 3 * step, days=3, note="待批复")
    if with_assist:
        o = services.transition(o, "report", actor=user("zj_jfj"), at=t + 3 * step, note="已配合办理")
    o = services.transition(o, "resolve", actor=land, at=t + 4 * step, note="已办结")
    if state == S.RESOLVED:
        return o
    if state == S.RATED:
        return services.transition(o, "rate", actor=user("zj_firm"), at=t + 5 * step, satisfaction=3)
    o = services.transition(o, "rate", actor=user("zj_firm"), at=t + 5 * step, satisfaction=1, note="不满意")
    o = services.transition(o, "report", actor=user("zj_jfj"), at=t + 6 * step, note="再次配合")
    o = services.transition(o, "resolve", actor=land, at=t + 7 * step, note="再次办结")
    o = services.transition(o, "rate", actor=user("zj_firm"), at=t + 8 * step, satisfaction=1, note="仍不满意")
    if state == S.ESCALATED:
        return o
    assert state == S.CLOSED
    return services.transition(o, "close", actor=user("zj_zone"), at=t + 9 * step, note="党工委督办结案")
