"""Evaluation of the supply–demand matching engine (pure Python, no Django).

Format of the labelled folder (see ``shared/data/matching/README.md``):

* ``listings.jsonl`` — one listing per line (id, kind, chain, node, zone, enterprise, title,
  description, keywords, quantity; optional active/updated/stage);
* ``qrels.jsonl`` — ``{"query": id, "relevant": {id: grade}, "split": ...}``.

Conventions reproduced here: a demand/scenario query ranks every supply listing, a supply query
ranks every demand and scenario listing, the query itself is never a candidate; nDCG@10 with gain
``2^grade - 1`` and the ideal DCG from the judged grades; recall@10 counts grade >= 1.

The README's baseline (BM25, k1=1.2, b=0.75, character bigrams of title + description +
keywords + node with white space removed, same pool) is :func:`baseline_rank`.  Note that the
baseline follows the README's pool literally (it does not drop the poster's own listings);
the engine additionally drops its own enterprise's and inactive listings.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .engine import Doc, MatchEngine

__all__ = [
    "load_listings",
    "load_qrels",
    "ndcg_at_k",
    "recall_at_k",
    "BaselineBM25",
    "baseline_rank",
    "candidate_kinds",
    "evaluate",
    "per_query",
]


# --------------------------------------------------------------------------- loading


def doc_from_dict(d: dict) -> Doc:
    """Build a :class:`Doc` from one listing dictionary (the jsonl format)."""
    return Doc(
        id=d["id"],
        kind=d["kind"],
        chain=d.get("chain") or "",
        node=d.get("node") or "",
        zone=d.get("zone") or "",
        enterprise=d.get("enterprise") or "",
        title=d.get("title") or "",
        description=d.get("description") or "",
        keywords=list(d.get("keywords") or []),
        quantity=d.get("quantity") or "",
        active=bool(d.get("active", True)),
        updated=d.get("updated"),
        stage=d.get("stage"),
    )


def load_listings(path) -> list[Doc]:
    """Read ``listings.jsonl`` from a folder (or the file itself) into :class:`Doc` objects."""
    p = Path(path)
    f = p / "listings.jsonl" if p.is_dir() else p
    docs = []
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                docs.append(doc_from_dict(json.loads(line)))
    return docs


def load_qrels(path, split: str | None = None) -> list[dict]:
    """Read ``qrels.jsonl``: a list of ``{"query", "relevant": {id: grade}, "split"}``."""
    p = Path(path)
    f = p / "qrels.jsonl" if p.is_dir() else p
    out = []
    with open(f, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            q = json.loads(line)
            if split is None or q.get("split") == split:
                q["relevant"] = {k: int(v) for k, v in q["relevant"].items()}
                out.append(q)
    return out


# --------------------------------------------------------------------------- metrics


def ndcg_at_k(ranked_ids: Sequence, rels: dict, k: int = 10) -> float:
    """nDCG@k, gain ``2^g - 1``, log2 discount, ideal DCG from the judged grades."""
    dcg = 0.0
    for i, doc_id in enumerate(list(ranked_ids)[:k]):
        g = rels.get(doc_id, 0)
        if g > 0:
            dcg += (2**g - 1) / math.log2(i + 2)
    ideal = sorted((g for g in rels.values() if g > 0), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked_ids: Sequence, rels: dict, k: int = 10) -> float:
    """Share of the items judged grade >= 1 that appear in the first k."""
    relevant = {d for d, g in rels.items() if g >= 1}
    if not relevant:
        return 0.0
    top = set(list(ranked_ids)[:k])
    return len(relevant & top) / len(relevant)


# --------------------------------------------------------------------------- baseline


def candidate_kinds(kind: str) -> tuple[str, ...]:
    """The pool convention: demand/scenario -> supply; supply -> demand + scenario."""
    return ("demand", "scenario") if kind == "supply" else ("supply",)


_WS = re.compile(r"\s+")


def _bigrams(text: str) -> list[str]:
    t = _WS.sub("", text)
    return [t[i : i + 2] for i in range(len(t) - 1)]


def _baseline_text(d: Doc) -> str:
    return d.title + d.description + "".join(d.keywords) + d.node


class BaselineBM25:
    """The README baseline: Okapi BM25 (k1=1.2, b=0.75) over character bigrams."""

    def __init__(self, docs: Iterable[Doc], k1: float = 1.2, b: float = 0.75):
        self.docs = list(docs)
        self.k1, self.b = k1, b
        self.tfs = [Counter(_bigrams(_baseline_text(d))) for d in self.docs]
        self.lens = [sum(c.values()) for c in self.tfs]
        n = len(self.docs)
        self.avgdl = (sum(self.lens) / n) if n else 0.0
        df: Counter = Counter()
        for c in self.tfs:
            df.update(c.keys())
        # Okapi idf with the usual +1 inside the log so that it stays positive.
        self.idf = {t: math.log((n - f + 0.5) / (f + 0.5) + 1.0) for t, f in df.items()}

    def score(self, query: Doc, i: int) -> float:
        tf, dl = self.tfs[i], self.lens[i]
        s = 0.0
        for t in set(_bigrams(_baseline_text(query))):
            f = tf.get(t)
            if f:
                s += self.idf[t] * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * dl / self.avgdl))
        return s

    def rank(self, query: Doc, limit: int = 10) -> list:
        kinds = candidate_kinds(query.kind)
        scored = []
        for i, d in enumerate(self.docs):
            if d.kind not in kinds or d.id == query.id:
                continue
            s = self.score(query, i)
            if s > 0:
                scored.append((-s, i))
        scored.sort()
        return [self.docs[i].id for _, i in scored[:limit]]


def baseline_rank(docs: Sequence[Doc], query: Doc, limit: int = 10) -> list:
    """Rank with the README baseline (builds the index; prefer :class:`BaselineBM25` in loops)."""
    return BaselineBM25(docs).rank(query, limit)


# --------------------------------------------------------------------------- evaluation


def per_query(
    engine_factory: Callable[[], MatchEngine] | None,
    listings: Sequence[Doc],
    qrels: Sequence[dict],
    k: int = 10,
) -> list[dict]:
    """One row per query: id, ndcg, recall, baseline ndcg/recall and both rankings."""
    engine = (engine_factory or MatchEngine)()
    engine.index(listings)
    base = BaselineBM25(listings)
    by_id = {d.id: d for d in listings}
    rows = []
    for q in qrels:
        query = by_id[q["query"]]
        rels = q["relevant"]
        ranked = [m.id for m in engine.match(query, limit=k)]
        branked = base.rank(query, limit=k)
        rows.append(
            {
                "query": q["query"],
                "ndcg": ndcg_at_k(ranked, rels, k),
                "recall": recall_at_k(ranked, rels, k),
                "baseline_ndcg": ndcg_at_k(branked, rels, k),
                "baseline_recall": recall_at_k(branked, rels, k),
                "ranked": ranked,
                "baseline_ranked": branked,
            }
        )
    return rows


def evaluate(
    engine_factory: Callable[[], MatchEngine] | None,
    listings: Sequence[Doc],
    qrels: Sequence[dict],
    k: int = 10,
) -> dict:
    """Mean nDCG@k / recall@k of the engine and of the README baseline over ``qrels``.

    ``engine_factory`` is a zero-argument callable returning an un-indexed engine (``None``
    means :class:`MatchEngine`).  Queries whose id is not among ``listings`` are skipped.
    """
    ids = {d.id for d in listings}
    qrels = [q for q in qrels if q["query"] in ids]
    rows = per_query(engine_factory, listings, qrels, k)
    n = len(rows)

    def mean(key):
        return round(sum(r[key] for r in rows) / n, 4) if n else 0.0

    return {
        "queries": n,
        f"ndcg@{k}": mean("ndcg"),
        f"recall@{k}": mean("recall"),
        f"baseline_ndcg@{k}": mean("baseline_ndcg"),
        f"baseline_recall@{k}": mean("baseline_recall"),
    }


if __name__ == "__main__":  # pragma: no cover - convenience entry point
    import sys

    folder = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[3] / "shared/data/matching")
    docs = load_listings(folder)
    print(json.dumps(evaluate(None, docs, load_qrels(folder)), ensure_ascii=False))


def development_set_dir():
    """Where the labelled development set lives: $LIANTONG_MATCHING_DEV, else ``../shared/data/matching``
    beside the checkout, else the team's shared folder (/work/shared) — a clone elsewhere still finds it."""
    import os
    from pathlib import Path

    candidates = [os.environ.get("LIANTONG_MATCHING_DEV"),
                  Path(__file__).resolve().parents[2].parent / "shared" / "data" / "matching",
                  "/work/shared/data/matching"]
    for c in candidates:
        if c and (Path(c) / "qrels.jsonl").exists():
            return Path(c)
    return Path(candidates[1])
