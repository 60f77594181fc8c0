"""The chain investment map (产业链招商图谱), computed from the data, never stored.

Per chain: each node (环节) with its local firms and their weight — the number of firms, their latest
recorded revenue (万元, ``matching.EnterpriseRevenue``), the chain masters (链主) — and its gap:

* **补链** (fill): a node with no local firm;
* **强链** (strengthen): a thin node — fewer than ``THIN`` local firms and no chain master;
* **延链** (extend): a node beyond the chain's former ends (``ChainExtension``) with no local firm yet;
  once a firm is there it is shown as 已延链.

The firms and nodes of a chain are public to its zone (like the chain page); the targets and projects on
the map are counted as the user may see them.
"""

from __future__ import annotations

import math
from collections import defaultdict

from django.db.models import Count, Max, Q, Sum

from liantong.core import guarantees
from liantong.orgs.models import ChainMembership, ChainNode, ChainRole, Stage

from .models import ChainExtension, GapKind, InvestmentProject, ProjectStage, TargetFirm

THIN = 2
GAP_LABELS = dict(GapKind.choices)
STAGE_ORDER = {Stage.UPSTREAM: 1, Stage.MIDSTREAM: 2, Stage.DOWNSTREAM: 3}


def gap_of(firms: int, masters: int, extension: str | None) -> str | None:
    if extension:
        return GapKind.EXTEND if firms == 0 else None
    if firms == 0:
        return GapKind.FILL
    if firms < THIN and masters == 0:
        return GapKind.STRENGTHEN
    return None


def node_rows(chain_ids, *, revenue: bool = True) -> dict[int, list[dict]]:
    """``{chain_id: [node dict …]}`` for the chains, in a fixed number of grouped queries."""
    chain_ids = list(chain_ids)
    out: dict[int, list[dict]] = defaultdict(list)
    if not chain_ids:
        return out
    with guarantees.unscoped("the chain map: nodes and firms of a chain are published to its zone"):
        nodes = list(ChainNode.objects.filter(chain_id__in=chain_ids).order_by("chain_id", "sort", "id")
                     .values("id", "chain_id", "name", "stage", "parent_id"))
        counts = {r["node_id"]: r for r in ChainMembership.objects.filter(chain_id__in=chain_ids, node__isnull=False)
                  .values("node_id").annotate(firms=Count("id"), masters=Count("id", filter=Q(role=ChainRole.MASTER)))}
        ext = dict(ChainExtension.objects.filter(chain_id__in=chain_ids).values_list("node_id", "side"))
        revenues: dict[int, float] = {}
        if revenue:
            from liantong.matching.models import EnterpriseRevenue

            latest = EnterpriseRevenue.objects.filter(
                enterprise__memberships__chain_id__in=chain_ids).aggregate(y=Max("year"))["y"]
            if latest:
                for r in (ChainMembership.objects.filter(chain_id__in=chain_ids, node__isnull=False,
                                                         enterprise__revenues__year=latest)
                          .values("node_id").annotate(s=Sum("enterprise__revenues__revenue"))):
                    revenues[r["node_id"]] = float(r["s"] or 0)
    for n in nodes:
        c = counts.get(n["id"], {})
        firms, masters = c.get("firms", 0), c.get("masters", 0)
        side = ext.get(n["id"])
        out[n["chain_id"]].append({
            "id": n["id"], "name": n["name"], "stage": n["stage"], "parent_id": n["parent_id"],
            "firms": firms, "masters": masters, "revenue": revenues.get(n["id"], 0.0),
            "extension": side, "gap": gap_of(firms, masters, side)})
    return out


def gap_counts(chain_ids) -> dict[int, dict[str, int]]:
    """``{chain_id: {"fill": n, "strengthen": n, "extend": n, "total": n, "nodes": n}}``."""
    out = {}
    for cid, nodes in node_rows(chain_ids, revenue=False).items():
        kinds = {k: 0 for k in GapKind.values}
        for n in nodes:
            if n["gap"]:
                kinds[n["gap"]] += 1
        kinds["total"] = sum(kinds[k] for k in GapKind.values)
        kinds["nodes"] = len(nodes)
        out[cid] = kinds
    return out


def _column(node: dict) -> int:
    if node["extension"] == "up":
        return 0
    if node["extension"] == "down":
        return 4
    return STAGE_ORDER.get(node["stage"], 2)


COLUMN_NAMES = ["上游延链", "上游", "中游", "下游", "下游延链"]
COLORS = {GapKind.FILL: "#d4351c", GapKind.STRENGTHEN: "#e67e22", GapKind.EXTEND: "#8e44ad", None: "#2874a6"}


def chain_map(chain, user) -> dict:
    """The map of ``chain`` for ``user``: ECharts graph data (fixed positions, legible from 10 to 300 nodes),
    the node table and the gaps with their targets and projects (as ``user`` may see them)."""
    nodes = node_rows([chain.pk])[chain.pk]
    targets = defaultdict(int)
    for r in (TargetFirm.objects.visible_to(user).filter(chain=chain, node__isnull=False)
              .values("node_id").annotate(n=Count("id"))):
        targets[r["node_id"]] = r["n"]
    projects = {r["node_id"]: r for r in InvestmentProject.objects.visible_to(user).filter(chain=chain)
                .exclude(stage=ProjectStage.DROPPED).values("node_id").annotate(n=Count("id"), s=Sum("amount"))}
    columns: dict[int, list[dict]] = defaultdict(list)
    for n in nodes:
        n["targets"] = targets.get(n["id"], 0)
        p = projects.get(n["id"], {})
        n["projects"], n["project_amount"] = p.get("n", 0), float(p.get("s") or 0)
        n["gap_label"] = GAP_LABELS.get(n["gap"], "已延链" if n["extension"] else "")
        columns[_column(n)].append(n)
    many = len(nodes) > 40
    rows_per_col = max(8, math.ceil(math.sqrt(max(len(nodes), 1)) * 1.6))
    graph_nodes, links = [], []
    x, prev = 0, None
    for col in range(5):
        members = columns.get(col, [])
        if not members:
            continue
        hub = f"s{col}"
        graph_nodes.append({"id": hub, "name": COLUMN_NAMES[col], "x": x * 260 + 60, "y": -60, "symbolSize": 30,
                            "category": 4, "label": {"show": True, "fontWeight": "bold"}, "fixed": True})
        if prev is not None:
            links.append({"source": f"s{prev}", "target": hub, "lineStyle": {"width": 3}})
        sub_cols = math.ceil(len(members) / rows_per_col)
        for i, n in enumerate(members):
            sc, row = divmod(i, rows_per_col)
            size = 12 + min(36, 8 * math.sqrt(n["firms"])) + (8 if n["masters"] else 0)
            graph_nodes.append({
                "id": str(n["id"]), "name": n["name"], "x": x * 260 + sc * (220 // max(sub_cols, 1)),
                "y": row * (48 if many else 70), "symbolSize": size,
                "category": [GapKind.FILL, GapKind.STRENGTHEN, GapKind.EXTEND].index(n["gap"]) if n["gap"] else 3,
                "value": n["firms"], "firms": n["firms"], "masters": n["masters"], "revenue": n["revenue"],
                "gap": n["gap_label"], "targets": n["targets"], "projects": n["projects"],
                "label": {"show": not many or bool(n["gap"]) or bool(n["masters"])}})
            links.append({"source": hub, "target": str(n["id"])})
        prev = col
        x += 1
    gaps = [n for n in nodes if n["gap"]]
    return {
        "chain": {"id": chain.pk, "name": chain.name},
        "categories": [{"name": "补链（无本地企业）"}, {"name": "强链（薄弱环节）"}, {"name": "延链（链外延伸）"},
                       {"name": "已有配套"}, {"name": "链段"}],
        "colors": [COLORS[GapKind.FILL], COLORS[GapKind.STRENGTHEN], COLORS[GapKind.EXTEND], COLORS[None], "#555"],
        "nodes": graph_nodes, "links": links, "table": nodes, "gaps": gaps,
        "counts": {"nodes": len(nodes), "fill": sum(n["gap"] == GapKind.FILL for n in nodes),
                   "strengthen": sum(n["gap"] == GapKind.STRENGTHEN for n in nodes),
                   "extend": sum(n["gap"] == GapKind.EXTEND for n in nodes),
                   "firms": sum(n["firms"] for n in nodes)},
    }
