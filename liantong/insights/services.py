"""Every write of the investment strand (招商). Pages, the API, the Excel import, the demo call these; each
authorises (``insights.manage`` and the chain in the actor's write scope), validates in Chinese and is
audited through ``core.services``. Project stages move only through ``insights.workflow.PROJECT``."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from liantong.core import services as core
from liantong.core.services import ServiceError
from liantong.orgs.models import Chain, ChainNode, OrgKind, PartyOrg

from .models import (
    ChainExtension,
    ExtensionSide,
    FollowUp,
    GapKind,
    InvestmentProject,
    ProjectStage,
    TargetFirm,
    TargetStatus,
    TaskForce,
    TaskForceMember,
)

PERM = "insights.manage"
NO_PERM = "您没有管理招商工作的权限"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value, *, limit: int, label: str, field: str, required: bool = False, multiline: bool = False) -> str:
    text = _CONTROL.sub("", "" if value is None else str(value))
    text = text.strip() if multiline else re.sub(r"\s+", " ", text).strip()
    if required and not text:
        raise ServiceError(f"请填写{label}", field=field)
    if len(text) > limit:
        raise ServiceError(f"{label}不能超过 {limit} 个字（当前 {len(text)} 个）", field=field)
    return text


def _amount(value) -> Decimal:
    if value is None or value == "" or isinstance(value, bool):
        raise ServiceError("请填写总投资（万元）", field="amount")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ServiceError("总投资应为数字（单位：万元）", field="amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ServiceError("总投资应为不小于 0 的数字（单位：万元）", field="amount")
    return amount.quantize(Decimal("0.01"))


def _date(value, *, label: str, field: str, required: bool = True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ServiceError(f"请填写{label}", field=field)
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError(f"{label}应为日期（YYYY-MM-DD）", field=field) from None


def _choice(value, choices, *, label: str, field: str) -> str:
    value = "" if value is None else str(value)
    if value not in choices.values:
        raise ServiceError(f"{label}应为{'、'.join(str(c.label) for c in choices)}之一", field=field)
    return value


def _chain_writable(actor, chain: Chain | None) -> None:
    if chain is None:
        raise ServiceError("请选择产业链", field="chain")
    core.require_writable(actor, chain, "只能选择您可以管理的产业链", field="chain")


def _node_of(chain: Chain, node: ChainNode | None) -> ChainNode | None:
    if node is not None and node.chain_id != chain.pk:
        raise ServiceError("所选环节不属于该产业链", field="node")
    return node


def _settle(model, existing, *, actor, values: dict):
    if existing is None:
        return core.create(model, actor=actor, **values)
    if all(getattr(existing, k) == v for k, v in values.items() if k != "is_demo"):
        return existing
    return core.update(existing, actor=actor, **values)


def _check_editable(actor, row, chain: Chain) -> None:
    """An edited row must be writable; moving it to another chain needs that chain writable too."""
    core.require_writable(actor, row)
    if row.chain_id != chain.pk:
        _chain_writable(actor, chain)


# --- extension nodes (延链) ----------------------------------------------------------------------------

@transaction.atomic
def save_extension(*, actor, chain: Chain, node_name: str, side: str, note: str = "", is_demo: bool = False,
                   sort: int = 0) -> ChainExtension:
    """Add (or update) a node beyond the chain's ends (延链): a chain node, marked as an extension."""
    from liantong.orgs import services as org_services
    from liantong.orgs.models import Stage

    core.require_perm(actor, PERM, NO_PERM)
    _chain_writable(actor, chain)
    side = _choice(side, ExtensionSide, label="延伸方向", field="side")
    name = clean(node_name, limit=60, label="环节名称", field="node_name", required=True)
    node = ChainNode.objects.filter(chain=chain, name=name).first()
    stage = Stage.UPSTREAM if side == ExtensionSide.UP else Stage.DOWNSTREAM
    if node is None:
        node = org_services.save_chain_node(actor=actor, chain=chain, name=name, stage=stage, sort=sort)
    existing = ChainExtension.objects.filter(node=node).first()
    return _settle(ChainExtension, existing, actor=actor, values=dict(
        zone_id=chain.zone_id, chain=chain, node=node, side=side,
        note=clean(note, limit=200, label="说明", field="note"), is_demo=is_demo))


# --- task forces (招商专班) ----------------------------------------------------------------------------

@transaction.atomic
def save_task_force(*, actor, chain: Chain, name: str, leader_name: str = "", established_on=None, duties: str = "",
                    task_force: TaskForce | None = None, new: bool = False, is_demo: bool = False,
                    zone=None) -> TaskForce:
    core.require_perm(actor, PERM, NO_PERM)
    if chain is None:
        raise ServiceError("请选择产业链", field="chain")
    if zone is not None and chain.zone_id != zone.pk:
        raise ServiceError("产业链不在该园区", field="chain")
    name = clean(name, limit=100, label="专班名称", field="name", required=True)
    if task_force is not None:
        task_force = TaskForce.objects.select_for_update().get(pk=task_force.pk)
        _check_editable(actor, task_force, chain)
    else:
        _chain_writable(actor, chain)
    same = TaskForce.objects.filter(zone_id=chain.zone_id, name=name)
    if task_force is not None:
        if same.exclude(pk=task_force.pk).exists():
            raise core.Conflict(f"该园区已有名为“{name}”的招商专班", field="name")
        existing = task_force
    else:
        existing = same.first()
        if existing is not None and new:
            raise core.Conflict(f"该园区已有名为“{name}”的招商专班", field="name")
        if existing is not None:
            core.require_writable(actor, existing)
    return _settle(TaskForce, existing, actor=actor, values=dict(
        zone_id=chain.zone_id, chain=chain, name=name,
        leader_name=clean(leader_name, limit=50, label="专班负责人", field="leader_name"),
        established_on=_date(established_on, label="成立日期", field="established_on", required=False),
        duties=clean(duties, limit=2000, label="工作职责", field="duties", multiline=True), is_demo=is_demo))


@transaction.atomic
def save_member(*, actor, task_force: TaskForce, name: str, unit: str = "", post: str = "",
                is_demo: bool = False) -> TaskForceMember:
    """Add a member to a task force (or update the one of that name)."""
    core.require_perm(actor, PERM, NO_PERM)
    core.require_writable(actor, task_force)
    name = clean(name, limit=50, label="姓名", field="name", required=True)
    existing = TaskForceMember.objects.filter(task_force=task_force, name=name).first()
    return _settle(TaskForceMember, existing, actor=actor, values=dict(
        zone_id=task_force.zone_id, task_force=task_force, name=name,
        unit=clean(unit, limit=100, label="所在单位", field="unit"),
        post=clean(post, limit=30, label="专班职务", field="post"), is_demo=is_demo))


@transaction.atomic
def remove_member(member: TaskForceMember, *, actor) -> None:
    core.require_perm(actor, PERM, NO_PERM)
    core.require_writable(actor, member)
    core.delete(member, actor=actor)


# --- target firms per gap -----------------------------------------------------------------------------

@transaction.atomic
def save_target(*, actor, chain: Chain, name: str, gap_kind: str, node: ChainNode | None = None, region: str = "",
                product: str = "", contact_name: str = "", task_force: TaskForce | None = None,
                status: str = TargetStatus.TRACKING, note: str = "", target: TargetFirm | None = None,
                new: bool = False, is_demo: bool = False, zone=None) -> TargetFirm:
    """A target firm for one gap of ``chain`` (natural key: its name within the chain)."""
    core.require_perm(actor, PERM, NO_PERM)
    if chain is None:
        raise ServiceError("请选择产业链", field="chain")
    if zone is not None and chain.zone_id != zone.pk:
        raise ServiceError("产业链不在该园区", field="chain")
    name = clean(name, limit=100, label="目标企业", field="name", required=True)
    gap_kind = _choice(gap_kind, GapKind, label="补强延", field="gap_kind")
    status = _choice(status or TargetStatus.TRACKING, TargetStatus, label="跟进状态", field="status")
    node = _node_of(chain, node)
    if task_force is not None and task_force.zone_id != chain.zone_id:
        raise ServiceError("招商专班不在该园区", field="task_force")
    if target is not None:
        target = TargetFirm.objects.select_for_update().get(pk=target.pk)
        _check_editable(actor, target, chain)
    else:
        _chain_writable(actor, chain)
    same = TargetFirm.objects.filter(chain=chain, name=name)
    if target is not None:
        if same.exclude(pk=target.pk).exists():
            raise core.Conflict(f"该产业链已有目标企业“{name}”", field="name")
        existing = target
    else:
        existing = same.first()
        if existing is not None and new:
            raise core.Conflict(f"该产业链已有目标企业“{name}”", field="name")
    return _settle(TargetFirm, existing, actor=actor, values=dict(
        zone_id=chain.zone_id, chain=chain, node=node, gap_kind=gap_kind, name=name,
        region=clean(region, limit=50, label="所在地区", field="region"),
        product=clean(product, limit=100, label="主营产品", field="product"),
        contact_name=clean(contact_name, limit=50, label="联系人", field="contact_name"),
        task_force=task_force, status=status, note=clean(note, limit=300, label="备注", field="note"),
        is_demo=is_demo))


# --- investment projects -------------------------------------------------------------------------------

@transaction.atomic
def save_project(*, actor, chain: Chain, name: str, investor: str, amount, talks_on, node: ChainNode | None = None,
                 task_force: TaskForce | None = None, target: TargetFirm | None = None, enterprise=None,
                 note: str = "", project: InvestmentProject | None = None, new: bool = False,
                 is_demo: bool = False, zone=None) -> InvestmentProject:
    """Create or edit a project's facts; its stage moves only through ``PROJECT.transition``."""
    core.require_perm(actor, PERM, NO_PERM)
    if chain is None:
        raise ServiceError("请选择产业链", field="chain")
    if zone is not None and chain.zone_id != zone.pk:
        raise ServiceError("产业链不在该园区", field="chain")
    name = clean(name, limit=100, label="项目名称", field="name", required=True)
    investor = clean(investor, limit=100, label="投资方", field="investor", required=True)
    amount = _amount(amount)
    talks_on = _date(talks_on, label="洽谈日期", field="talks_on")
    node = _node_of(chain, node)
    for value, field, label in ((task_force, "task_force", "招商专班"), (target, "target", "目标企业"),
                                (enterprise, "enterprise", "落地企业")):
        if value is not None and value.zone_id != chain.zone_id:
            raise ServiceError(f"{label}不在该园区", field=field)
    if project is not None:
        project = InvestmentProject.objects.select_for_update().get(pk=project.pk)
        _check_editable(actor, project, chain)
    else:
        _chain_writable(actor, chain)
    same = InvestmentProject.objects.filter(zone_id=chain.zone_id, name=name)
    if project is not None:
        if same.exclude(pk=project.pk).exists():
            raise core.Conflict(f"该园区已有名为“{name}”的招商项目", field="name")
        existing = project
    else:
        existing = same.first()
        if existing is not None and new:
            raise core.Conflict(f"该园区已有名为“{name}”的招商项目", field="name")
    saved = _settle(InvestmentProject, existing, actor=actor, values=dict(
        zone_id=chain.zone_id, chain=chain, node=node, name=name, investor=investor, amount=amount,
        talks_on=talks_on, task_force=task_force, target=target, enterprise=enterprise,
        note=clean(note, limit=2000, label="项目简介", field="note", multiline=True), is_demo=is_demo))
    if target is not None and target.status == TargetStatus.TRACKING:
        core.update(target, actor=actor, status=TargetStatus.TALKS)
    return saved


@transaction.atomic
def add_follow_up(*, actor, on, content: str, target: TargetFirm | None = None,
                  project: InvestmentProject | None = None, by_name: str = "", next_step: str = "",
                  is_demo: bool = False) -> FollowUp:
    """Record one follow-up of a target firm or of a project (exactly one of them)."""
    core.require_perm(actor, PERM, NO_PERM)
    if (target is None) == (project is None):
        raise ServiceError("跟进记录须对应一个目标企业或一个招商项目")
    subject = target or project
    core.require_writable(actor, subject)
    on = _date(on, label="跟进日期", field="on")
    content = clean(content, limit=500, label="跟进情况", field="content", required=True)
    existing = FollowUp.objects.filter(target=target, project=project, on=on, content=content).first()
    return _settle(FollowUp, existing, actor=actor, values=dict(
        zone_id=subject.zone_id, chain_id=subject.chain_id, target=target, project=project, on=on,
        by_name=clean(by_name, limit=50, label="跟进人", field="by_name"), content=content,
        next_step=clean(next_step, limit=200, label="下一步", field="next_step"), is_demo=is_demo))


# --- the project branch (支部建在项目上) ----------------------------------------------------------------

BRANCH_STAGES = (ProjectStage.SIGNED, ProjectStage.STARTED, ProjectStage.PRODUCING)


@transaction.atomic
def open_branch(project: InvestmentProject, *, actor, name: str = "", secretary_name: str = "",
                parent: PartyOrg | None = None, established_on=None, branch: PartyOrg | None = None,
                is_demo: bool = False) -> PartyOrg:
    """Open a project branch (项目党支部) on a signed project, or link the one already built (``branch``)."""
    from liantong.orgs import services as org_services

    core.require_perm(actor, PERM, NO_PERM)
    project = InvestmentProject.objects.select_for_update().get(pk=project.pk)
    core.require_writable(actor, project)
    if project.stage not in BRANCH_STAGES:
        raise core.Conflict("项目签约后才能建立项目党支部", field="stage")
    if project.branch_id and (branch is None or branch.pk != project.branch_id):
        raise core.Conflict("该项目已建立项目党支部")
    if branch is None:
        if parent is None:
            parent = PartyOrg.objects.filter(chain=project.chain, kind=OrgKind.CHAIN_COMMITTEE).first()
        if parent is None:
            raise ServiceError("请选择上级党组织", field="parent")
        if parent.zone_id != project.zone_id:
            raise ServiceError("上级党组织不在该园区", field="parent")
        name = clean(name or f"{project.name}党支部", limit=100, label="支部名称", field="name", required=True)
        if PartyOrg.objects.filter(zone_id=project.zone_id, name=name).exists():
            raise core.Conflict(f"该园区已有名为“{name}”的党组织", field="name")
        branch = org_services.save_party_org(
            actor=actor, zone=project.zone, name=name, kind=OrgKind.PROJECT_BRANCH, parent=parent,
            chain=project.chain, enterprise=project.enterprise, project_name=project.name,
            secretary_name=clean(secretary_name, limit=50, label="书记", field="secretary_name"),
            established_on=_date(established_on, label="成立日期", field="established_on", required=False),
            is_demo=is_demo)
    elif branch.kind != OrgKind.PROJECT_BRANCH or branch.zone_id != project.zone_id:
        raise ServiceError("只能关联本园区的项目党支部", field="branch")
    if project.branch_id != branch.pk:
        core.update(project, actor=actor, branch=branch)
    return branch


def may_manage(user, row) -> bool:
    """Whether ``user`` may write follow-ups, members … on ``row`` (the rule the services apply)."""
    return (core.is_system(user) or user.has_perm_code(PERM)) and core.may_write(user, row)
