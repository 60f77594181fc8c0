"""The figures the dashboards, the big screen and the work report read, through ``core.stats``.

* ``investment_figures``: this strand's own keys (``investment_projects``, ``investment_amount``, ``gaps`` …),
  per period and per chain, with their monthly series and drill-down links.
* period- and chain-aware views of the strands that registered zone totals only (organisation, service
  orders, matching deals): registered here with ``zone_totals=False`` so the API's totals stay theirs.
  A strand may move its own into its ``apps.py`` (``docs/insights.md``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse

from liantong.core import stats

from .models import InvestmentProject, ProjectStage, TargetFirm, TargetStatus

SIGNED = [ProjectStage.SIGNED, ProjectStage.STARTED, ProjectStage.PRODUCING]


def _url(name: str, **params) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _period_params(period, prefix: str) -> dict:
    if period is None:
        return {}
    return {f"{prefix}_from": period.start.isoformat(), f"{prefix}_to": (period.end - datetime.timedelta(days=1)).isoformat()}


def _in(period, field: str, model=None) -> Q:
    """The rows of ``model`` (default: investment projects) whose ``field`` falls in ``period``."""
    return stats.in_period(model or InvestmentProject, field, period)


# --- investment (this strand) ---------------------------------------------------------------------------

INVESTMENT_LABELS = {"investment_projects": "引进强链配套项目（已签约）", "investment_amount": "签约总投资（万元）",
                     "projects_producing": "投产项目", "projects_in_talks": "在谈项目",
                     "target_firms": "招商目标企业", "gaps": "产业链缺口（补链/强链/延链）"}


def investment_figures(zone, period=None, chain=None) -> dict:
    from liantong.orgs.models import Chain

    from .chainmap import gap_counts

    projects = InvestmentProject.objects.filter(zone=zone)
    if chain is not None:
        projects = projects.filter(chain=chain)
    agg = projects.aggregate(
        n=Count("id", filter=Q(stage__in=SIGNED) & _in(period, "signed_on")),
        s=Sum("amount", filter=Q(stage__in=SIGNED) & _in(period, "signed_on")),
        producing=Count("id", filter=Q(stage=ProjectStage.PRODUCING) & _in(period, "producing_on")),
        talks=Count("id", filter=Q(stage=ProjectStage.TALKS)))
    targets = TargetFirm.objects.filter(zone=zone).exclude(status=TargetStatus.DROPPED)
    if chain is not None:
        targets = targets.filter(chain=chain)
    chain_ids = [chain.pk] if chain is not None else list(Chain.objects.filter(zone=zone).values_list("pk", flat=True))
    gaps = sum(g["total"] for g in gap_counts(chain_ids).values())
    return {"investment_projects": agg["n"], "investment_amount": float(agg["s"] or Decimal(0)),
            "projects_producing": agg["producing"], "projects_in_talks": agg["talks"],
            "target_firms": targets.count(), "gaps": gaps}


def investment_monthly(zone, start, end, chain=None) -> dict:
    qs = InvestmentProject.objects.filter(zone=zone, stage__in=SIGNED)
    if chain is not None:
        qs = qs.filter(chain=chain)
    out = stats.by_month(qs, "signed_on", start, end, {"investment_projects": Count("id"),
                                                       "investment_amount": Sum("amount")})
    out["investment_amount"] = {m: float(v) for m, v in out["investment_amount"].items()}
    return out


def _project_link(zone, period, chain):
    return _url("insights:project_list", zone=zone.pk, chain=chain.pk if chain else None,
                stage=",".join(SIGNED), **_period_params(period, "signed"))


INVESTMENT_LINKS = {
    "investment_projects": _project_link,
    "investment_amount": _project_link,
    "projects_producing": lambda z, p, c: _url("insights:project_list", zone=z.pk, chain=c.pk if c else None,
                                               stage=ProjectStage.PRODUCING, **_period_params(p, "producing")),
    "projects_in_talks": lambda z, p, c: _url("insights:project_list", zone=z.pk, chain=c.pk if c else None,
                                              stage=ProjectStage.TALKS),
    "target_firms": lambda z, p, c: _url("insights:target_list", zone=z.pk, chain=c.pk if c else None),
    "gaps": lambda z, p, c: (reverse("insights:map", args=[c.pk]) if c else _url("insights:map_index", zone=z.pk)),
}


# --- the organisation strand, per chain -----------------------------------------------------------------

ORG_KEYS = ("chains", "enterprises", "party_orgs", "members", "vanguard_teams", "pairings")


def org_figures(zone, period=None, chain=None) -> dict:
    """Standing totals of the organisation strand (the zone's, or one chain's)."""
    from liantong.orgs.models import Chain, ChainMembership, Member, Pairing, PartyOrg, VanguardTeam

    if chain is None:
        return {}  # the zone's come from ``orgs.models.org_stats_by_zone`` (``stats.totals``)
    return {
        "chains": 1,
        "enterprises": ChainMembership.objects.filter(chain=chain).count(),
        "party_orgs": PartyOrg.objects.filter(chain=chain, enterprise__isnull=False).count(),
        "members": Member.objects.filter(party_org__chain=chain).count(),
        "vanguard_teams": VanguardTeam.objects.filter(chain=chain).count(),
        "pairings": Pairing.objects.filter(chain=chain).count(),
    } if Chain.objects.filter(pk=chain.pk, zone=zone).exists() else {}


ORG_LINKS = {
    "chains": lambda z, p, c: _url("orgs:chain_list", zone=z.pk),
    "enterprises": lambda z, p, c: _url("orgs:enterprise_list", zone=z.pk, chain=c.pk if c else None),
    "party_orgs": lambda z, p, c: _url("orgs:partyorg_list", zone=z.pk),
    "members": lambda z, p, c: _url("orgs:member_list", zone=z.pk, chain=c.pk if c else None),
}


# --- service orders, per period and chain ------------------------------------------------------------------

ORDER_LABELS = {"orders": "企业诉求", "orders_resolved": "已办结诉求", "response_rate": "响应率（%）",
                "on_time_rate": "按时办结率（%）", "satisfaction_rate": "满意率（%）"}
DONE = ("resolved", "rated", "closed")


def order_figures(zone, period=None, chain=None) -> dict:
    """Orders submitted in the period (and their three rates); orders resolved in the period."""
    from liantong.services.models import ServiceRequest
    from liantong.services.services import order_figures as figures_of

    qs = ServiceRequest.objects.filter(zone=zone)
    if chain is not None:
        qs = qs.filter(chain=chain)
    out = figures_of(qs.filter(_in(period, "submitted_at", ServiceRequest)))
    out.pop("avg_workdays", None)
    if period is not None:
        out["orders_resolved"] = qs.filter(_in(period, "resolved_at", ServiceRequest), state__in=DONE).count()
    return out


def order_monthly(zone, start, end, chain=None) -> dict:
    """Orders submitted and orders resolved per month: one query each (each read through its (zone, date)
    index)."""
    from liantong.services.models import ServiceRequest

    qs = ServiceRequest.objects.filter(zone=zone)
    if chain is not None:
        qs = qs.filter(chain=chain)
    return {**stats.by_month(qs, "submitted_at", start, end, {"orders": Count("id")}),
            **stats.by_month(qs.filter(state__in=DONE), "resolved_at", start, end,
                             {"orders_resolved": Count("id")})}


ORDER_LINKS = {
    "orders": lambda z, p, c: _url("services:order_list", zone=z.pk, chain=c.pk if c else None),
    "orders_resolved": lambda z, p, c: _url("services:order_list", zone=z.pk, chain=c.pk if c else None,
                                            state=",".join(DONE)),
    "response_rate": lambda z, p, c: reverse("services:figures"),
    "on_time_rate": lambda z, p, c: reverse("services:figures"),
    "satisfaction_rate": lambda z, p, c: reverse("services:figures"),
}


# --- matching deals, per period and chain ----------------------------------------------------------------

DEAL_LABELS = {"deals": "对接签约", "deal_amount": "签约金额（万元）"}


def _deals(zone, chain):
    from liantong.matching.models import Deal

    qs = Deal.objects.filter(zone=zone)
    return qs if chain is None else qs.filter(chain=chain)


def deal_figures(zone, period=None, chain=None) -> dict:
    qs = _deals(zone, chain)
    agg = qs.filter(_in(period, "signed_on", qs.model)).aggregate(n=Count("id"), s=Sum("amount"))
    return {"deals": agg["n"], "deal_amount": float(agg["s"] or 0)}


def deal_monthly(zone, start, end, chain=None) -> dict:
    out = stats.by_month(_deals(zone, chain), "signed_on", start, end,
                         {"deals": Count("id"), "deal_amount": Sum("amount")})
    out["deal_amount"] = {m: float(v) for m, v in out["deal_amount"].items()}
    return out


DEAL_LINKS = {k: (lambda z, p, c: _url("matching:deal_list", zone=z.pk, chain=c.pk if c else None))
              for k in DEAL_LABELS}


def register() -> None:
    stats.register_periodic(investment_figures, INVESTMENT_LABELS, links=INVESTMENT_LINKS,
                            monthly=investment_monthly, standing=("gaps", "projects_in_talks", "target_firms"))
    stats.register_periodic(org_figures, {}, links=ORG_LINKS, standing=ORG_KEYS, zone_totals=False)
    stats.register_periodic(order_figures, ORDER_LABELS, links=ORDER_LINKS, monthly=order_monthly,
                            zone_totals=False)
    stats.register_periodic(deal_figures, DEAL_LABELS, links=DEAL_LINKS, monthly=deal_monthly,
                            zone_totals=False)
