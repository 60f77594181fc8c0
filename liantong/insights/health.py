"""The chain health index (产业链健康指数): ``docs/insights.md`` defines it. Five components, each 0–100,
weighted; a component that cannot be computed (no orders yet) is left out and the weights of the others
are scaled up so they still add to 1."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from liantong.core import guarantees, stats

from .chainmap import THIN, node_rows
from .models import InvestmentProject, ProjectStage, TargetFirm, TargetStatus

WEIGHTS = {"coverage": 0.25, "depth": 0.15, "organisation": 0.20, "service": 0.20, "investment": 0.20}
LABELS = {"coverage": "链条完整度", "depth": "环节厚度", "organisation": "党组织覆盖", "service": "服务质量",
          "investment": "招商补链"}


def _pct(n, d):
    return None if not d else round(100 * n / d, 1)


def index(components: dict) -> float | None:
    have = {k: v for k, v in components.items() if v is not None}
    if not have:
        return None
    total = sum(WEIGHTS[k] for k in have)
    return round(sum(WEIGHTS[k] * v for k, v in have.items()) / total, 1)


def chain_health(chains, period=None) -> dict[int, dict]:
    """``{chain_id: {"index": …, "components": {…}}}`` for the chains, in a fixed number of queries."""
    from liantong.orgs.models import ChainMembership
    from liantong.services.models import ServiceRequest
    from liantong.services.services import _grouped

    ids = [c.pk for c in chains]
    nodes = node_rows(ids, revenue=False)
    with guarantees.unscoped("the chain health index: figures over chains the caller may see"):
        firms = {r["chain_id"]: r for r in ChainMembership.objects.filter(chain_id__in=ids).values("chain_id").annotate(
            n=Count("enterprise", distinct=True),
            with_org=Count("enterprise", distinct=True, filter=Q(enterprise__party_orgs__isnull=False)))}
        # the chains' zones too: the rows are then read from the (zone, submitted_at, …) index alone
        zones = {c.zone_id for c in chains}
        orders = ServiceRequest.objects.filter(zone_id__in=zones, chain_id__in=ids).filter(
            stats.in_period(ServiceRequest, "submitted_at", period))
        service = {r["key"]: r for r in _grouped(orders, "chain", distinct=False)}
        worked = defaultdict(set)
        for cid, nid in (TargetFirm.objects.filter(chain_id__in=ids, node__isnull=False)
                         .exclude(status=TargetStatus.DROPPED).values_list("chain_id", "node_id")):
            worked[cid].add(nid)
        for cid, nid in (InvestmentProject.objects.filter(chain_id__in=ids, node__isnull=False)
                         .exclude(stage=ProjectStage.DROPPED).values_list("chain_id", "node_id")):
            worked[cid].add(nid)
    out = {}
    for cid in ids:
        ns = nodes.get(cid, [])
        gaps = [n for n in ns if n["gap"]]
        s = service.get(cid)
        rates = [s[k] for k in ("response_rate", "on_time_rate", "satisfaction_rate")] if s else []
        rates = [r for r in rates if r is not None]
        f = firms.get(cid, {})
        comps = {
            "coverage": _pct(sum(1 for n in ns if n["firms"]), len(ns)),
            "depth": _pct(sum(1 for n in ns if n["firms"] >= THIN or n["masters"]), len(ns)),
            "organisation": _pct(f.get("with_org", 0), f.get("n", 0)),
            "service": round(sum(rates) / len(rates), 1) if rates else None,
            "investment": _pct(sum(1 for n in gaps if n["id"] in worked[cid]), len(gaps)) if gaps else 100.0,
        }
        out[cid] = {"index": index(comps), "components": comps, "gaps": len(gaps), "nodes": len(ns)}
    return out
