"""双培养 (dual cultivation) as a pipeline with rules, declared on ``liantong.core.workflow``.

Two tracks, each a chain of stages; every step is a move of the one state machine (lock, role check, audit
row — the audit rows are its history, ``CULTIVATION.history(c)``)::

    技术骨干 ─ 列为入党积极分子 ─▶ 入党积极分子 ─ 确定为发展对象（满一年）─▶ 发展对象 ─ 接收为预备党员 ─▶ 预备党员
             ─ 转为正式党员（预备期满一年）─▶ 正式党员
    培养中 ─ 任用为管理骨干 ─▶ 已任管理骨干

``RULES`` holds the waiting times as data: a step is refused in Chinese (409) before its time is up, measured
from ``stage_since`` to the move's date (``at``; the anniversary itself is allowed). ``due_on(c)`` is the date a
step falls due; the tick raises a reminder then (``people`` reads ``due_cultivations``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from liantong.core import services as core
from liantong.core.services import may_write
from liantong.core.workflow import TransitionError, Workflow, move, register

from .models import Cultivation, CultivationStage, CultivationTrack, Member, MemberStatus

S = CultivationStage
ORG = "org"  # whoever may write the cultivating party org (its secretary, the committees above, the zone)
SYSTEM = "system"


@dataclass(frozen=True)
class Rule:
    """One step: ``action`` leads from ``source`` to ``target``; at least ``years`` / ``months`` in ``source``."""

    source: str
    action: str
    target: str
    label: str
    years: int = 0
    months: int = 0
    why: str = ""  # the rule as users read it


RULES = [
    Rule(S.BACKBONE, "activist", S.ACTIVIST, "列为入党积极分子"),
    Rule(S.ACTIVIST, "candidate", S.CANDIDATE, "确定为发展对象", years=1,
         why="入党积极分子经过一年以上培养教育和考察，方可确定为发展对象"),
    Rule(S.CANDIDATE, "admit", S.PROBATIONARY, "接收为预备党员"),
    Rule(S.PROBATIONARY, "confirm", S.FULL, "转为正式党员", years=1,
         why="预备党员的预备期为一年，预备期满方可转为正式党员"),
    Rule(S.TRAINEE, "appoint", S.MANAGER, "任用为管理骨干"),
]
RULE = {r.action: r for r in RULES}

# the stages of each track, in pipeline order (the funnel, the counts per stage)
TRACKS = {
    CultivationTrack.BACKBONE_TO_MEMBER: [S.BACKBONE, S.ACTIVIST, S.CANDIDATE, S.PROBATIONARY, S.FULL],
    CultivationTrack.MEMBER_TO_MANAGER: [S.TRAINEE, S.MANAGER],
}
FIRST_STAGE = {track: stages[0] for track, stages in TRACKS.items()}


def add_years(day: datetime.date, years: int = 0, months: int = 0) -> datetime.date:
    """``day`` plus whole years and months; 29 February falls on 28 February in a common year."""
    m = day.month - 1 + months
    y, m = day.year + years + m // 12, m % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(y, m, d)
        except ValueError:
            continue
    raise ValueError(day)


def due_on(c: Cultivation) -> datetime.date | None:
    """When the next step of ``c`` may be made (None: no waiting time, or no next step)."""
    rule = next((r for r in RULES if r.source == c.stage), None)
    if rule is None or not (rule.years or rule.months) or c.stage_since is None:
        return None
    return add_years(c.stage_since, rule.years, rule.months)


def next_rule(c: Cultivation) -> Rule | None:
    return next((r for r in RULES if r.source == c.stage), None)


def cultivation_roles(c: Cultivation, user) -> set[str]:
    if user is None or not getattr(user, "pk", None):
        return {ORG, SYSTEM}
    if not getattr(user, "is_active", False):
        return set()
    if user.is_superuser or (user.has_perm_code("orgs.manage_party") and may_write(user, c)):
        return {ORG}
    return set()


def _step(c: Cultivation, *, actor, at, note, action: str = "", **_) -> dict:
    rule = RULE[action]
    day = (timezone.localdate(at) if timezone.is_aware(at) else at.date()) if isinstance(at, datetime.datetime) else at
    if (rule.years or rule.months) and c.stage_since is not None:
        due = add_years(c.stage_since, rule.years, rule.months)
        if day < due:
            raise TransitionError(
                f"{rule.why}：{c.person_name}自{c.stage_since:%Y年%m月%d日}起为{c.get_stage_display()}，"
                f"须到{due:%Y年%m月%d日}方可{rule.label}")
    if c.stage_since is not None and day < c.stage_since:
        raise TransitionError(f"办理日期不能早于进入本阶段的日期（{c.stage_since:%Y年%m月%d日}）")
    c.stage_since = day
    if action == "confirm" and c.member_id:
        member = Member.objects.select_for_update().get(pk=c.member_id)
        if member.status != MemberStatus.FULL:
            core.update(member, actor=actor, status=MemberStatus.FULL)
    return {"detail": f"{rule.label}（{day:%Y-%m-%d}）"}


def _effect(action):
    return lambda c, **kw: _step(c, action=action, **kw)


CULTIVATION = register(Workflow(
    Cultivation,
    moves=[move(r.source, r.action, r.target, ORG, SYSTEM, label=r.label) for r in RULES],
    roles=cultivation_roles,
    role_labels={ORG: "培养党组织", SYSTEM: "系统"},
    effects={r.action: _effect(r.action) for r in RULES},
    state_field="stage",
    noun="双培养对象",
))


def counts_per_stage(queryset) -> dict[str, int]:
    """``{stage: n}`` over every stage of both tracks (zeros included), in pipeline order."""
    got = dict(queryset.order_by().values_list("stage").annotate(n=Count("pk")))
    return {str(stage): got.get(str(stage), 0) for stages in TRACKS.values() for stage in stages}


def due_cultivations(on: datetime.date):
    """Cultivations whose next step has a waiting time that is up by ``on`` (for the tick's reminders)."""
    out = []
    for rule in RULES:
        if not (rule.years or rule.months):
            continue
        latest = add_years(on, -rule.years, -rule.months)
        out += list(Cultivation.objects.filter(stage=rule.source, stage_since__lte=latest)
                    .select_related("party_org"))
    return out
