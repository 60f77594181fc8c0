"""``liantong gen``: the investment strand for each generated zone (``合成园区NN``).

Per chain: a task force with members, target firms on its thin or empty nodes, and ``PROJECTS_PER_CHAIN``
investment projects spread over the last two years in every stage, with the dates each stage implies
(a project in 开工 has its 签约 and 开工 dates …) and follow-ups. Every row carries its chain's zone; nodes
belong to the project's chain; zones that already have projects are skipped. One audit row per zone."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from liantong.core import audit
from liantong.core.gen import Scale
from liantong.core.models import Zone
from liantong.orgs.models import Chain, ChainNode

from .models import FollowUp, InvestmentProject, ProjectStage, TargetFirm, TaskForce, TaskForceMember

ZONE_PREFIX = "合成园区"
PROJECTS_PER_CHAIN = 12
TARGETS_PER_CHAIN = 4
STAGES = [ProjectStage.TALKS, ProjectStage.SIGNED, ProjectStage.STARTED, ProjectStage.PRODUCING, ProjectStage.DROPPED]


def _zone(zone: Zone, rng: random.Random, today: datetime.date) -> dict:
    chains = list(Chain.objects.filter(zone=zone).order_by("id"))
    nodes: dict[int, list[int]] = {}
    for cid, nid in ChainNode.objects.filter(zone=zone).order_by("id").values_list("chain_id", "id"):
        nodes.setdefault(cid, []).append(nid)
    counts = dict.fromkeys(["task_forces", "members", "targets", "projects", "follow_ups"], 0)
    forces = TaskForce.objects.bulk_create([
        TaskForce(zone=zone, chain=c, name=f"{c.name}招商专班", leader_name="专班负责人",
                  established_on=today - datetime.timedelta(days=800), is_demo=True) for c in chains])
    TaskForceMember.objects.bulk_create([
        TaskForceMember(zone=zone, task_force=tf, name=f"成员{k + 1}", unit="招商服务中心", post="成员", is_demo=True)
        for tf in forces for k in range(4)])
    targets = TargetFirm.objects.bulk_create([
        TargetFirm(zone=zone, chain=c, node_id=rng.choice(nodes[c.pk]) if nodes.get(c.pk) else None,
                   gap_kind=rng.choice(["fill", "strengthen", "extend"]), name=f"{c.name}目标企业{k + 1}",
                   region="外省", product="配套产品", task_force=tf, is_demo=True)
        for c, tf in zip(chains, forces) for k in range(TARGETS_PER_CHAIN)])
    projects = []
    for c, tf in zip(chains, forces):
        for k in range(PROJECTS_PER_CHAIN):
            stage = rng.choices(STAGES, weights=[3, 4, 3, 2, 1])[0]
            talks = today - datetime.timedelta(days=rng.randrange(30, 730))
            signed = started = producing = None
            if stage in (ProjectStage.SIGNED, ProjectStage.STARTED, ProjectStage.PRODUCING):
                signed = min(today, talks + datetime.timedelta(days=rng.randrange(20, 120)))
            if stage in (ProjectStage.STARTED, ProjectStage.PRODUCING):
                started = min(today, signed + datetime.timedelta(days=rng.randrange(20, 120)))
            if stage == ProjectStage.PRODUCING:
                producing = min(today, started + datetime.timedelta(days=rng.randrange(60, 240)))
            projects.append(InvestmentProject(
                zone=zone, chain=c, node_id=rng.choice(nodes[c.pk]) if nodes.get(c.pk) else None,
                name=f"{c.name}强链配套项目{k + 1}", investor=f"投资方{rng.randrange(1, 500)}",
                amount=Decimal(rng.randrange(500, 60000)), stage=stage, talks_on=talks, signed_on=signed,
                started_on=started, producing_on=producing, task_force=tf, is_demo=True))
    projects = InvestmentProject.objects.bulk_create(projects, batch_size=2000)
    FollowUp.objects.bulk_create([
        FollowUp(zone=zone, chain_id=p.chain_id, project=p, on=p.talks_on, by_name="专班负责人",
                 content="首次洽谈", is_demo=True) for p in projects], batch_size=2000)
    counts.update(task_forces=len(forces), members=len(forces) * 4, targets=len(targets), projects=len(projects),
                  follow_ups=len(projects))
    audit.record(None, audit.AuditAction.CREATE, None, object_type="insights.gen", zone=zone.pk,
                 object_repr=f"批量生成{zone.name}招商数据", changes=counts)
    return counts


def generate(scale: Scale, log=print) -> dict:
    """Add this app's rows to every generated zone that has none yet; returns the totals."""
    total: dict[str, int] = {}
    today = datetime.date(2025, 12, 31)  # deterministic: the same rows whatever day it runs
    for i, zone in enumerate(Zone.objects.filter(name__startswith=ZONE_PREFIX).order_by("id")):
        if InvestmentProject.objects.filter(zone=zone).exists():
            continue
        with transaction.atomic():
            counts = _zone(zone, random.Random(50_000 + i), today)
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
        log(f"  {zone.name}：招商项目 {counts['projects']}，目标企业 {counts['targets']}")
    return total
