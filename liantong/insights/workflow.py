"""The investment project's state machine (洽谈 → 签约 → 开工 → 投产, or 终止), declared on
``liantong.core.workflow``. Each move stamps its date; its history is its audit rows
(``PROJECT.history(project)``). Move one with ``PROJECT.transition(project, "sign", actor=user)``;
``at`` back-dates a move (the demo, an import of last year's projects)."""

from __future__ import annotations

from liantong.core import services as core
from liantong.core.workflow import Workflow, move, register

from .models import InvestmentProject, ProjectStage, TargetStatus
from .services import PERM

S = ProjectStage
MANAGER = "manager"


def project_roles(project: InvestmentProject, user) -> set[str]:
    """The task force side: whoever may manage investment work and write the project's chain."""
    if core.is_system(user):
        return {MANAGER}
    if user.has_perm_code(PERM) and core.may_write(user, project):
        return {MANAGER}
    return set()


def _stamp(field: str):
    def effect(project, *, at, **_):
        setattr(project, field, at.date())
    return effect


def _produce(project, *, actor, at, **_):
    project.producing_on = at.date()
    target = project.target
    if target is not None and target.status != TargetStatus.LANDED:
        core.update(target, actor=actor, status=TargetStatus.LANDED)


PROJECT = register(Workflow(
    InvestmentProject,
    moves=[
        move(S.TALKS, "sign", S.SIGNED, MANAGER, label="签约"),
        move(S.SIGNED, "start", S.STARTED, MANAGER, label="开工"),
        move(S.STARTED, "produce", S.PRODUCING, MANAGER, label="投产"),
        move(S.TALKS, "drop", S.DROPPED, MANAGER, note=True, label="终止"),
        move(S.SIGNED, "drop", S.DROPPED, MANAGER, note=True, label="终止"),
        move(S.STARTED, "drop", S.DROPPED, MANAGER, note=True, label="终止"),
        move(S.DROPPED, "resume", S.TALKS, MANAGER, label="恢复洽谈"),
    ],
    roles=project_roles,
    role_labels={MANAGER: "招商专班（园区党工委或产业链联合党委）"},
    note_labels={"drop": "终止原因"},
    effects={"sign": _stamp("signed_on"), "start": _stamp("started_on"), "produce": _produce},
    state_field="stage", noun="招商项目", note_max=500,
))
