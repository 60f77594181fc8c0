"""``liantong gen``: synthetic listings for the generated zones (``scale.listings``: 200,000 at province).

The strand's one bulk path (DESIGN-NOTES 8). Listings are posted by the firms ``orgs.gen`` made, on
their chain and node; their text recombines the vocabulary of the labelled development set
(``../shared/data/matching/listings.jsonl``: titles, keywords and description clauses of one chain,
re-mixed with other figures), or the demo's listings when that file is absent. Deterministic
(``random.Random("gen:listings:<scale>")``). Invariants kept as the services keep them: the zone of the
firm, a chain the firm is on and that chain's node, a master firm for every scenario, ``tokens``
segmented by the same analyser as ``services.listing_tokens``, open status with a validity date; one
audit row per zone; the match index version is bumped so running processes pick the listings up.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import time
from collections import defaultdict
from pathlib import Path

from django.utils import timezone

from liantong.core import audit
from liantong.core import gen as core_gen
from liantong.core.models import AuditAction
from liantong.orgs.models import ChainMembership, ChainRole

from . import services
from .models import Listing, ListingKind, ListingStatus

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "matching" / "listings.jsonl"
_CLAUSE = re.compile(r"(?<=[，。；])")
_NUM = re.compile(r"\d+(?:\.\d+)?")


def vocabulary() -> list[dict]:
    """Per source chain: titles, keywords and description clauses by kind."""
    rows = []
    if DEV.exists():
        rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        from .demo import BAIYIN, PINGDINGSHAN, ZHENJIANG

        rows = [{"chain": chain, "kind": str(r[2]), "title": r[4], "description": r[5], "keywords": r[6],
                 "quantity": r[8]} for chain, group in (("船舶海工", ZHENJIANG), ("尼龙新材料", PINGDINGSHAN),
                                                         ("锂电池", BAIYIN)) for r in group]
    groups: dict[str, dict] = defaultdict(lambda: defaultdict(lambda: {"titles": [], "keywords": [], "clauses": [],
                                                                       "quantities": []}))
    for r in rows:
        g = groups[r.get("chain") or "其他"][r["kind"] if r["kind"] != "scenario" else "demand"]
        g["titles"].append(r["title"])
        g["keywords"].extend(r.get("keywords") or [])
        g["clauses"].extend(c for c in _CLAUSE.split(r.get("description") or "") if len(c) > 3)
        if r.get("quantity"):
            g["quantities"].append(r["quantity"])
    return [dict(v) for _, v in sorted(groups.items())]


def _text(rng: random.Random, g: dict) -> tuple[str, str, list[str], str]:
    title = rng.choice(g["titles"])
    n = rng.randint(2, 4)
    clauses = rng.sample(g["clauses"], min(n, len(g["clauses"])))
    kws = list(dict.fromkeys(rng.sample(g["keywords"], min(3, len(g["keywords"])))))
    # figures vary in the quantity only: clauses stay whole, so their segmentation is computed once
    qty = rng.choice(g["quantities"]) if g["quantities"] else ""
    qty = _NUM.sub(lambda m: str(max(1, int(float(m.group()) * rng.uniform(0.5, 1.5)))), qty)
    return title, clauses, kws, qty


def _tokens(parts: list[str], cache: dict) -> str:
    """``services.listing_tokens`` computed piecewise (title, keywords, each clause), each piece once."""
    out: dict[str, None] = {}
    for part in parts:
        toks = cache.get(part)
        if toks is None:
            toks = services.listing_tokens(part, [], "").split()
            cache[part] = toks
        out.update(dict.fromkeys(toks))
    return " " + " ".join(out) + " " if out else ""


def services_desc_max() -> int:
    from .models import DESCRIPTION_MAX

    return DESCRIPTION_MAX


def generate(scale, log=print) -> dict:
    """Bulk-insert ``scale.listings`` listings across the generated zones' firms."""
    from liantong.orgs.gen import generated_zones

    t0 = time.perf_counter()
    zones = list(generated_zones())
    if not zones:
        log("  没有合成园区：请先运行 orgs 生成器")
        return {"listings": 0}
    rng = random.Random(f"gen:listings:{scale.name}")
    vocab = vocabulary()
    keys = core_gen.Keys(Listing)
    today = timezone.localdate()
    counts: dict[str, int] = {}
    per_zone = [scale.listings // len(zones) + (1 if i < scale.listings % len(zones) else 0) for i in range(len(zones))]
    made = 0
    token_cache: dict[str, list[str]] = {}
    for zone, n in zip(zones, per_zone):
        members = list(ChainMembership.objects.filter(zone=zone).values_list("enterprise_id", "chain_id", "node_id",
                                                                               "role"))
        if not members:
            continue
        chain_ids = sorted({m[1] for m in members})
        masters = [m for m in members if m[3] == ChainRole.MASTER]
        objs = []
        for _ in range(n):
            r = rng.random()
            if r < 0.03 and masters:
                ent, chain, node, _ = rng.choice(masters)
                kind = ListingKind.SCENARIO
            else:
                ent, chain, node, _ = rng.choice(members)
                kind = ListingKind.SUPPLY if r < 0.62 else ListingKind.DEMAND
            g = vocab[chain_ids.index(chain) % len(vocab)]
            side = g.get("supply" if kind == ListingKind.SUPPLY else "demand") or next(iter(g.values()))
            title, clauses, kws, qty = _text(rng, side)
            desc = "".join(clauses)[:services_desc_max()]
            tokens = _tokens([title, "、".join(kws), *clauses], token_cache)
            objs.append(Listing(id=keys.take(Listing), zone_id=zone.pk, enterprise_id=ent, chain_id=chain, node_id=node,
                                kind=kind, title=title[:120], description=desc,
                                keywords=kws, category="",
                                quantity=qty[:100], region=zone.city or "", status=ListingStatus.OPEN,
                                valid_until=today + datetime.timedelta(days=rng.randint(30, 360)), ref="",
                                tokens=tokens, is_demo=True, created_by=None))
        core_gen.bulk(Listing, objs, counts)
        made += len(objs)
        audit.record(None, AuditAction.CREATE, None, zone=zone.pk, object_type="matching.listing",
                     object_repr=f"批量生成供需信息 {len(objs)} 条", changes={"generated": len(objs)})
        log(f"  {zone.name}：{len(objs)} 条供需信息")

    core_gen.reset_sequences([Listing])
    services._bump(removal=True)
    from . import index

    index.reset()
    return {"listings": made, "seconds": round(time.perf_counter() - t0, 1)}
