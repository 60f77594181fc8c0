"""The "1+2+N" picture of a chain, drawn from data (never stored).

1 hub: the chain committee. 2 (core partners): the chain-master firms, and the paired bodies —
universities and paired committees. N: the party orgs of the chain's member firms.
"""

from django.db.models import Q

from liantong.core import guarantees

from .models import ChainMembership, ChainRole, OrgKind, Pairing, PartyOrg

GROUP_FROM = 16  # from this many firm party orgs on, they hang from their chain node (环节), not all from the hub


def one_plus_two_plus_n(chain, *, limit_n: int = 300) -> dict:
    """The chain's 1+2+N diagram (committee, chain masters and pairings, firm party orgs) on its public page.

    Not through visible_to: the diagram names every firm party org of the chain to everyone of the zone
    (while the page's list of party orgs shows only the visible ones) — a figure of the chain as published."""
    with guarantees.unscoped("the chain's published 1+2+N diagram names its committee, masters, pairings and "
                             "firm party orgs"):
        return _diagram(chain, limit_n=limit_n)


def _diagram(chain, *, limit_n: int) -> dict:
    hub = PartyOrg.objects.filter(chain=chain, kind=OrgKind.CHAIN_COMMITTEE).first()
    masters = list(ChainMembership.objects.filter(chain=chain, role=ChainRole.MASTER).select_related("enterprise"))
    pairings = list(Pairing.objects.filter(Q(chain=chain) | Q(party_org=hub) if hub else Q(chain=chain)))
    firm_orgs_qs = PartyOrg.objects.filter(chain=chain, enterprise__isnull=False).exclude(
        enterprise__in=[m.enterprise_id for m in masters])
    n_total = firm_orgs_qs.count()
    firm_orgs = list(firm_orgs_qs.order_by("name")[:limit_n])
    nodes = [{"id": "hub", "name": hub.name if hub else f"{chain.name}（未建联合党委）", "category": 0,
              "symbolSize": 64}]
    links = []
    for m in masters:
        nid = f"m{m.enterprise_id}"
        nodes.append({"id": nid, "name": m.enterprise.name, "category": 1, "symbolSize": 44})
        links.append({"source": "hub", "target": nid})
    for p in pairings:
        nid = f"p{p.pk}"
        nodes.append({"id": nid, "name": p.partner_name, "category": 2, "symbolSize": 40})
        links.append({"source": "hub", "target": nid})
    # many firm orgs: grouped under their chain node (环节), so that 300 stay legible (labels on hover)
    grouped = len(firm_orgs) >= GROUP_FROM
    node_of = {}
    if grouped:
        node_of = {m.enterprise_id: (m.node_id, m.node.name if m.node else "其他环节")
                   for m in ChainMembership.objects.filter(chain=chain).select_related("node")}
    groups: dict = {}
    for o in firm_orgs:
        nid = f"o{o.pk}"
        parent = "hub"
        if grouped:
            key, name = node_of.get(o.enterprise_id, (None, "其他环节"))
            parent = f"g{key or 0}"
            if parent not in groups:
                groups[parent] = {"id": parent, "name": name, "category": 4, "symbolSize": 30, "value": 0}
                nodes.append(groups[parent])
                links.append({"source": "hub", "target": parent})
            groups[parent]["value"] += 1
        nodes.append({"id": nid, "name": o.name, "category": 3, "symbolSize": 14 if grouped else 18})
        links.append({"source": parent, "target": nid})
    for g in groups.values():
        g["name"] = f"{g['name']}（{g['value']}）"
    if n_total > len(firm_orgs):
        nodes.append({"id": "more", "name": f"另有 {n_total - len(firm_orgs)} 个党组织", "category": 3, "symbolSize": 24})
        links.append({"source": "hub", "target": "more"})
    return {
        "categories": [{"name": "1 联合党委"}, {"name": "链主企业"}, {"name": "结对共建单位"}, {"name": "N 链上企业党组织"},
                       {"name": "产业链环节"}],
        "nodes": nodes,
        "links": links,
        "counts": {"hub": 1 if hub else 0, "core": len(masters) + len(pairings), "n": n_total,
                   "shown_n": len(firm_orgs)},
    }
