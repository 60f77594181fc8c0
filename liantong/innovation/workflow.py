"""The innovation strand's state machines, declared on ``liantong.core.workflow``:

* ``CHALLENGE`` — the board's lifecycle 需求征集 → 审核 → 发榜 → 揭榜 → 评审 → 签约 → 攻关 → 验收 → 兑现
  (the bids arrive while it is 已发榜; 选定 turns the chosen bid into the consortium);
* ``MILESTONE`` — a consortium's milestone: reported by the team, returned by the publisher; the tick marks
  it overdue (``core.deadlines``);
* ``ACHIEVEMENT`` — a result's stage 实验室 → 中试 → 转移转化 → 产业化.

History is the audit rows (``Workflow.history``): no timeline table.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from liantong.core import guarantees
from liantong.core import services as core
from liantong.core.deadlines import warn_time
from liantong.core.services import is_system, may_write
from liantong.core.workflow import TransitionError, Workflow, move, register

from .models import (
    Achievement,
    AchievementStage,
    Bid,
    BidOutcome,
    Challenge,
    ChallengeMilestone,
    ChallengeState,
    Consortium,
    MilestoneState,
)

S = ChallengeState
PUBLISHER, COMMITTEE, TEAM = "publisher", "committee", "team"


def _unit_match(user, enterprise_id, institution_id) -> bool:
    return bool((enterprise_id and user.enterprise_id == enterprise_id)
                or (institution_id and user.institution_id == institution_id))


def challenge_roles(c: Challenge, user) -> set[str]:
    """``publisher``: a user of the firm or institution that set the challenge (for a committee's own
    challenge: its committee); ``committee``: the zone's or the chain's committee (``innovation.review`` and
    the challenge in their write scope); ``team``: a user of the selected bid's lead unit. System: all."""
    if is_system(user):
        return {PUBLISHER, COMMITTEE, TEAM}
    roles = set()
    committee = user.has_perm_code("innovation.review") and may_write(user, c)
    if committee:
        roles.add(COMMITTEE)
    if _unit_match(user, c.publisher_enterprise_id, c.publisher_institution_id) or (
            committee and not c.publisher_enterprise_id and not c.publisher_institution_id):
        roles.add(PUBLISHER)
    with guarantees.unscoped("who the user is on a challenge they hold: its consortium's lead unit"):
        consortium = Consortium.objects.filter(challenge_id=c.pk).select_related("bid").first()
    if consortium is not None and _unit_match(user, consortium.bid.lead_enterprise_id,
                                              consortium.bid.lead_institution_id):
        roles.add(TEAM)
    return roles


def _published(c: Challenge, *, at, **_):
    c.published_on = timezone.localdate(at)


def _milestones_from_plan(bid: Bid) -> list[tuple[str, datetime.date]]:
    """``planned_milestones``: one ``名称,YYYY-MM-DD`` a line (checked when the bid was saved)."""
    out = []
    for line in (bid.planned_milestones or "").splitlines():
        if line.strip():
            title, _, day = line.replace("，", ",").rpartition(",")
            out.append((title.strip(), datetime.date.fromisoformat(day.strip())))
    return out


def _select(c: Challenge, *, actor, at, note, bid=None, **_):
    """The chosen bid becomes the consortium (攻关联合体) with the milestones it planned; the others are not
    selected."""
    if bid is None:
        raise TransitionError("请选择中选的揭榜团队", field="bid")
    if not isinstance(bid, Bid):
        bid = Bid.objects.filter(pk=bid, challenge_id=c.pk).first()
    if bid is None or bid.challenge_id != c.pk:
        raise TransitionError("所选团队未揭此榜", field="bid")
    party_led = bid.members.filter(party_member=True, leads=True).exists()
    name = f"{bid.team_name}{'党员' if party_led else ''}攻关联合体"
    Bid.objects.filter(challenge_id=c.pk).exclude(pk=bid.pk).update(outcome=BidOutcome.NOT_SELECTED)
    core.update(bid, actor=actor, outcome=BidOutcome.SELECTED)
    consortium = core.create(Consortium, actor=actor, zone_id=c.zone_id, challenge=c, bid=bid, name=name[:120],
                             is_demo=c.is_demo)
    start = at
    for title, day in _milestones_from_plan(bid):
        due = datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=timezone.get_current_timezone())
        if due <= start:
            continue
        core.create(ChallengeMilestone, actor=actor, zone_id=c.zone_id, consortium=consortium, title=title[:100],
                    starts_at=start, warn_at=warn_time(start, due), due_at=due, is_demo=c.is_demo)
    return {"detail": f"选定“{bid.team_name}”，组建{consortium.name}"}


def _sign(c: Challenge, *, actor, at, **_):
    consortium = Consortium.objects.filter(challenge_id=c.pk).first()
    if consortium is not None:
        core.update(consortium, actor=actor, signed_on=timezone.localdate(at))


def _accept(c: Challenge, *, at, note, **_):
    c.result, c.accepted_on = note, timezone.localdate(at)


def _pay(c: Challenge, *, at, payout=None, **_):
    if payout is None:
        raise TransitionError("请填写兑现金额（万元）", field="payout")
    try:
        from decimal import Decimal, InvalidOperation

        amount = Decimal(str(payout))
    except (InvalidOperation, ValueError):
        raise TransitionError("兑现金额应为数字", field="payout") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise TransitionError("兑现金额应为不小于 0 的数字", field="payout")
    c.payout, c.paid_on = amount.quantize(Decimal("0.01")), timezone.localdate(at)


CHALLENGE = register(Workflow(
    Challenge,
    moves=[
        move(S.COLLECTING, "submit", S.REVIEWING, PUBLISHER, label="提交审核"),
        move(S.COLLECTING, "publish", S.PUBLISHED, COMMITTEE, label="发榜"),
        move(S.REVIEWING, "publish", S.PUBLISHED, COMMITTEE, label="审核通过并发榜"),
        move(S.REVIEWING, "return", S.COLLECTING, COMMITTEE, note=True, label="退回修改"),
        move(S.PUBLISHED, "close", S.EVALUATING, PUBLISHER, COMMITTEE, label="截止揭榜"),
        move(S.PUBLISHED, "select", S.SIGNING, PUBLISHER, label="选定团队"),
        move(S.EVALUATING, "select", S.SIGNING, PUBLISHER, label="选定团队"),
        move(S.SIGNING, "sign", S.RESEARCHING, PUBLISHER, TEAM, label="签约"),
        move(S.RESEARCHING, "submit_result", S.ACCEPTING, TEAM, note=True, label="提交验收"),
        move(S.ACCEPTING, "accept", S.ACCEPTED, PUBLISHER, COMMITTEE, note=True, label="验收通过"),
        move(S.ACCEPTING, "reject", S.RESEARCHING, PUBLISHER, COMMITTEE, note=True, label="验收不通过"),
        move(S.ACCEPTED, "pay", S.PAID, PUBLISHER, COMMITTEE, label="兑现"),
        move(S.COLLECTING, "withdraw", S.WITHDRAWN, PUBLISHER, COMMITTEE, note=True, label="撤榜"),
        move(S.REVIEWING, "withdraw", S.WITHDRAWN, PUBLISHER, COMMITTEE, note=True, label="撤榜"),
        move(S.PUBLISHED, "withdraw", S.WITHDRAWN, PUBLISHER, COMMITTEE, note=True, label="撤榜"),
    ],
    roles=challenge_roles,
    role_labels={PUBLISHER: "出题单位", COMMITTEE: "园区或产业链党委", TEAM: "揭榜团队"},
    note_labels={"return": "退回理由", "submit_result": "成果说明", "accept": "验收结论",
                 "reject": "验收意见", "withdraw": "撤榜理由"},
    effects={"publish": _published, "select": _select, "sign": _sign, "accept": _accept, "pay": _pay},
    noun="攻坚榜单",
))

# --- 攻关节点 -------------------------------------------------------------------------------------------

M = MilestoneState


def milestone_roles(m: ChallengeMilestone, user) -> set[str]:
    """The roles its challenge gives: the team reports, the publisher or the committee returns a report."""
    return challenge_roles(m.consortium.challenge, user)


def _report(m: ChallengeMilestone, *, at, note, **_):
    m.report, m.reported_at = note, at


def _return(m: ChallengeMilestone, *, at, **_):
    """Back to work; the deadline stands, so a milestone returned after it is overdue at once."""
    m.reported_at = None
    return {"state": M.OVERDUE} if at > m.due_at else None


MILESTONE = register(Workflow(
    ChallengeMilestone,
    moves=[
        move(M.PLANNED, "report", M.REPORTED, TEAM, note=True, label="报告进展"),
        move(M.OVERDUE, "report", M.REPORTED, TEAM, note=True, label="报告进展"),
        move(M.REPORTED, "return", M.PLANNED, PUBLISHER, COMMITTEE, note=True, label="退回"),
    ],
    roles=milestone_roles,
    role_labels={PUBLISHER: "出题单位", COMMITTEE: "园区或产业链党委", TEAM: "揭榜团队"},
    note_labels={"report": "进展报告", "return": "退回意见"},
    effects={"report": _report, "return": _return},
    noun="攻关节点",
))

# --- 科研成果的阶段 -------------------------------------------------------------------------------------

A = AchievementStage
OWNER = "owner"


def achievement_roles(a: Achievement, user) -> set[str]:
    """``owner``: the result's firm or institution, and the committees that may write it."""
    if is_system(user):
        return {OWNER}
    return {OWNER} if may_write(user, a) and user.has_perm_code("innovation.result") else set()


def _industrialised(a: Achievement, *, at, **_):
    a.industrialised_on = timezone.localdate(at)


ACHIEVEMENT = register(Workflow(
    Achievement,
    state_field="stage",
    moves=[
        move(A.LAB, "advance", A.PILOT, OWNER, label="进入中试"),
        move(A.PILOT, "advance", A.TRANSFER, OWNER, label="进入转移转化"),
        move(A.TRANSFER, "industrialise", A.INDUSTRIALISED, OWNER, label="实现产业化"),
        move(A.PILOT, "back", A.LAB, OWNER, note=True, label="退回实验室"),
    ],
    roles=achievement_roles,
    role_labels={OWNER: "完成单位或园区"},
    effects={"industrialise": _industrialised},
    noun="科研成果",
))
