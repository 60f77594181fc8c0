"""``liantong gen``: modest synthetic rows of the resources app for each generated zone (``合成园区NN``).

The bulk path (DESIGN-NOTES 8): ``bulk_create`` per zone in one transaction, keeping the invariants the
services keep — every row carries its parents' zone; shared resources belong to a firm on their chain;
resolutions have exactly one owner and deadlines computed by the working-day calendar; dictionary codes
are valid. Zones that already have shared resources are skipped, so running it twice adds nothing.
One audit row per zone records the counts.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from liantong.core import audit
from liantong.core.calendar import SHANGHAI
from liantong.core.gen import Scale
from liantong.core.models import Zone
from liantong.orgs.models import Chain, ChainMembership, Department

from .models import (
    ActionProject,
    DepartmentResource,
    JointMeeting,
    Resolution,
    ServiceSquad,
    ServiceVisit,
    SharedResource,
)
from .services import _times

ZONE_PREFIX = "合成园区"
SHARED_PER_CHAIN = 3
VISITS_PER_CHAIN = 20
RESOLUTIONS_PER_CHAIN = 3
DEPT_KINDS = ["loan_subsidy", "land_quota", "training_places", "innovation_voucher", "approval_channel"]
SHARED = [("testing", "检测实验室"), ("equipment", "共享设备"), ("warehouse", "公共仓库")]
VISIT_KINDS = ["training", "approval", "policy", "financing", "employment"]


def _zone(zone: Zone, rng: random.Random) -> dict:
    depts = list(Department.objects.filter(zone=zone).order_by("id")[:5])
    chains = list(Chain.objects.filter(zone=zone).order_by("id"))
    firms_by_chain: dict[int, list[int]] = {}
    for chain_id, ent_id in (ChainMembership.objects.filter(zone=zone).order_by("id")
                             .values_list("chain_id", "enterprise_id")):
        firms_by_chain.setdefault(chain_id, []).append(ent_id)
    counts = dict.fromkeys(["department_resources", "action_projects", "shared_resources", "squads",
                            "service_visits", "joint_meetings", "resolutions"], 0)
    DepartmentResource.objects.bulk_create([
        DepartmentResource(zone=zone, department=d, kind=DEPT_KINDS[i % len(DEPT_KINDS)],
                           title=f"{d.name}惠企资源{i + 1}", quota_amount=Decimal(rng.randrange(50, 500)),
                           quota_unit="万元", is_demo=True) for i, d in enumerate(depts)])
    counts["department_resources"] = len(depts)
    shared, squads, projects, meetings = [], [], [], []
    for c in chains:
        firms = firms_by_chain.get(c.pk) or []
        if not firms:
            continue
        for k, (cat, label) in enumerate(SHARED[:SHARED_PER_CHAIN]):
            shared.append(SharedResource(zone=zone, owner_id=firms[k % len(firms)], chain=c, category=cat,
                                         name=f"{c.name}{label}{k + 1}", terms="协议价", is_demo=True))
        squads.append(ServiceSquad(zone=zone, chain=c, name=f"{c.name}帮办服务小分队", leader_name="队长",
                                   is_demo=True))
        if depts:
            projects.append(ActionProject(zone=zone, chain=c, title=f"{c.name}强链行动", owner_name="负责人",
                                          department=depts[len(projects) % len(depts)], is_demo=True))
        meetings.append(JointMeeting(zone=zone, chain=c, title=f"{c.name}联席会议", held_on=datetime.date(2025, 6, 1),
                                     is_demo=True))
    SharedResource.objects.bulk_create(shared, ignore_conflicts=True)
    ServiceSquad.objects.bulk_create(squads)
    ActionProject.objects.bulk_create(projects)
    JointMeeting.objects.bulk_create(meetings)
    counts.update(shared_resources=len(shared), squads=len(squads), action_projects=len(projects),
                  joint_meetings=len(meetings))
    visits = []
    day0 = datetime.date(2023, 1, 1)
    for sq in ServiceSquad.objects.filter(zone=zone, chain__isnull=False):
        firms = firms_by_chain.get(sq.chain_id) or []
        seen = set()
        while len(seen) < min(VISITS_PER_CHAIN, len(firms) * 100):
            key = (rng.choice(firms), rng.choice(VISIT_KINDS), day0 + datetime.timedelta(days=rng.randrange(1000)))
            if key in seen:
                continue
            seen.add(key)
            visits.append(ServiceVisit(zone=zone, squad=sq, enterprise_id=key[0], kind=key[1], visited_on=key[2],
                                       hours=Decimal(rng.choice([1, 2, 3, 4])), participants=rng.randint(1, 30),
                                       result="帮办服务", is_demo=True))
    ServiceVisit.objects.bulk_create(visits, batch_size=2000)
    counts["service_visits"] = len(visits)
    resolutions = []
    for m in JointMeeting.objects.filter(zone=zone):
        firms = firms_by_chain.get(m.chain_id) or []
        starts = datetime.datetime.combine(m.held_on, datetime.time(18), tzinfo=SHANGHAI)
        for s in range(1, RESOLUTIONS_PER_CHAIN + 1):
            wd = 5 * s
            yellow_at, due_at = _times(starts, wd)
            resolutions.append(Resolution(zone=zone, meeting=m, seq=s, content=f"议定事项{s}", workdays=wd,
                                          owner_enterprise_id=firms[s % len(firms)], starts_at=starts,
                                          yellow_at=yellow_at, due_at=due_at, is_demo=True))
    Resolution.objects.bulk_create(resolutions, batch_size=2000)
    counts["resolutions"] = len(resolutions)
    audit.record(None, audit.AuditAction.CREATE, None, object_type="resources.gen", zone=zone.pk,
                 object_repr=f"批量生成{zone.name}服务资源数据", changes=counts)
    return counts


def generate(scale: Scale, log=print) -> dict:
    """Add this app's rows to every generated zone that has none yet; returns the totals."""
    total: dict[str, int] = {}
    for i, zone in enumerate(Zone.objects.filter(name__startswith=ZONE_PREFIX).order_by("id")):
        if SharedResource.objects.filter(zone=zone).exists():
            continue
        with transaction.atomic():
            counts = _zone(zone, random.Random(30_000 + i))
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
        log(f"  {zone.name}：共享资源 {counts['shared_resources']}，帮办服务 {counts['service_visits']}")
    return total
