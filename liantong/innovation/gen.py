"""``liantong gen``: the innovation strand at scale for each generated zone (``合成园区NN``).

The bulk path (DESIGN-NOTES 8), keeping the services' invariants: every row carries its parents' zone;
challenges are published by a firm of their chain; results have exactly one owner, industrialised ones a
date; qualifications' expiry follows their grant; search tokens are filled (``textsearch.fill``). Zones
that already have challenges are skipped, so running it twice adds nothing. One audit row per zone.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from liantong.core import audit, textsearch
from liantong.core.gen import Scale
from liantong.core.models import Zone
from liantong.orgs.models import Chain, ChainMembership

from .models import (
    Achievement,
    AchievementStage,
    Challenge,
    ChallengeState,
    IncubatedFirm,
    Qualification,
    QualificationKind,
)

ZONE_PREFIX = "合成园区"
CHALLENGES_PER_CHAIN = 2
ACHIEVEMENTS_PER_CHAIN = 4
FIELDS = ["green_ship", "deep_sea", "materials", "energy", "testing", "other"]
STATES = [ChallengeState.PUBLISHED, ChallengeState.RESEARCHING, ChallengeState.PAID, ChallengeState.COLLECTING]
STAGES = list(AchievementStage.values)


def _zone(zone: Zone, rng: random.Random) -> dict:
    chains = list(Chain.objects.filter(zone=zone).order_by("id"))
    firms: dict[int, list[int]] = {}
    for chain_id, ent_id in ChainMembership.objects.filter(zone=zone).order_by("id").values_list("chain_id",
                                                                                                  "enterprise_id"):
        firms.setdefault(chain_id, []).append(ent_id)
    challenges, achievements, quals, incubated = [], [], [], []
    day0 = datetime.date(2023, 1, 1)
    for c in chains:
        mine = firms.get(c.pk) or []
        if not mine:
            continue
        for k in range(CHALLENGES_PER_CHAIN):
            state = STATES[(k + c.pk) % len(STATES)]
            challenges.append(Challenge(
                zone=zone, chain=c, field=rng.choice(FIELDS), title=f"{c.name}关键技术攻坚{k + 1}",
                publisher_enterprise_id=mine[k % len(mine)], problem=f"{c.name}产业链“卡脖子”技术难题",
                reward=Decimal(rng.randrange(50, 500)), state=state, is_demo=True,
                published_on=None if state == ChallengeState.COLLECTING else day0))
        for k in range(ACHIEVEMENTS_PER_CHAIN):
            stage = STAGES[(k + c.pk) % len(STAGES)]
            achievements.append(Achievement(
                zone=zone, chain=c, field=rng.choice(FIELDS), title=f"{c.name}科研成果{k + 1}",
                owner_enterprise_id=mine[(k + 1) % len(mine)], stage=stage, is_demo=True,
                industrialised_on=day0 + datetime.timedelta(days=rng.randrange(900))
                if stage == AchievementStage.INDUSTRIALISED else None))
        granted = day0 + datetime.timedelta(days=rng.randrange(700))
        quals.append(Qualification(zone=zone, kind=QualificationKind.HIGHTECH, level="national",
                                   title=f"高新技术企业（{c.name}{mine[0]}）", enterprise_id=mine[0], granted_on=granted,
                                   expires_on=granted + datetime.timedelta(days=3 * 365 - 1), is_demo=True))
        quals.append(Qualification(zone=zone, kind=QualificationKind.TECH_CENTRE, level="provincial",
                                   title=f"省级企业技术中心（{c.name}{mine[-1]}）", enterprise_id=mine[-1],
                                   granted_on=granted, is_demo=True))
        incubated.append(IncubatedFirm(zone=zone, name=f"{c.name}孵化科技企业", incubator=f"{zone.name}科技创业园",
                                       incubated_on=granted, is_demo=True))
    textsearch.fill(challenges)
    textsearch.fill(achievements)
    Challenge.objects.bulk_create(challenges, batch_size=2000)
    Achievement.objects.bulk_create(achievements, batch_size=2000)
    Qualification.objects.bulk_create(quals, batch_size=2000)
    IncubatedFirm.objects.bulk_create(incubated, batch_size=2000)
    counts = {"challenges": len(challenges), "achievements": len(achievements), "qualifications": len(quals),
              "incubated_firms": len(incubated)}
    audit.record(None, audit.AuditAction.CREATE, None, object_type="innovation.gen", zone=zone.pk,
                 object_repr=f"批量生成{zone.name}创新强链数据", changes=counts)
    return counts


def generate(scale: Scale, log=print) -> dict:
    """Add this strand's rows to every generated zone that has none yet; returns the totals."""
    total: dict[str, int] = {}
    for i, zone in enumerate(Zone.objects.filter(name__startswith=ZONE_PREFIX).order_by("id")):
        if Challenge.objects.filter(zone=zone).exists():
            continue
        with transaction.atomic():
            counts = _zone(zone, random.Random(50_000 + i))
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
        log(f"  {zone.name}：攻坚榜单 {counts['challenges']}，科研成果 {counts['achievements']}")
    return total
