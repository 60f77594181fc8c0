"""Why a listing matched: shared concepts and words, synonyms, chain/node relation, zone, freshness and
the re-ranking notes, as the ``why`` dict of each :class:`Match`."""

from __future__ import annotations

import time

from .documents import Doc
from .knowledge import normalize
from .reranking import _Features


class _Reasons:
    """The explanation of :class:`MatchEngine` results (a mixin: uses ``self.kn``, ``self._parts``,
    ``self._features``)."""

    # ------------------------------------------------------------------ explanation

    def _explain(self, query: Doc, qparts: dict, qf: _Features, doc: Doc, pos: int, notes: dict) -> dict:
        kn = self.kn
        dparts = self._parts(doc)  # clause cache makes this cheap
        df = self._features(pos)
        shared = [c for c in dict.fromkeys(qparts["title"]["concepts"] + qparts["keywords"]["concepts"]
                                           + qparts["node"]["concepts"] + qparts["description"]["concepts"])
                  if c in df.all_c]
        matched = [kn.display.get(c, c) for c in shared]
        qw = {t[2:] for p in ("title", "keywords", "node", "description") for t in qparts[p]["terms"] if t[0] == "w"}
        dw = {t[2:] for p in ("title", "keywords", "node", "description") for t in dparts[p]["terms"] if t[0] == "w"}
        matched += sorted((w for w in qw & dw if len(w) >= 2 and not (w.isascii() and len(w) <= 3)),
                          key=lambda w: (-len(w), w))[:6]
        synonyms = []
        for c in shared:
            qs = {s for s in self._surfaces(qparts, c)}
            ds = {s for s in self._surfaces(dparts, c)}
            if qs and ds and not (qs & ds):
                synonyms.append(f"{'/'.join(sorted(qs))} = {'/'.join(sorted(ds))}")
        same_chain = bool(query.chain) and query.chain == doc.chain
        same_zone = bool(query.zone) and normalize(query.zone) == normalize(doc.zone) and normalize(query.zone) != "其他"
        stage_rel = None
        if query.stage is not None and doc.stage is not None:
            d = doc.stage - query.stage
            stage_rel = "同环节" if d == 0 else ("上游环节" if d < 0 else "下游环节")
        elif query.node and doc.node:
            stage_rel = "同一环节" if normalize(query.node) == normalize(doc.node) else None
        fresh = None
        if doc.updated:
            fresh = round(max(0.0, (time.time() - float(doc.updated)) / 86400.0), 1)
        bits = []
        if matched:
            bits.append("匹配词：" + "、".join(matched[:8]))
        if synonyms:
            bits.append("同义：" + "；".join(synonyms[:3]))
        if same_chain:
            bits.append("同一产业链" + (stage_rel or ""))
        elif stage_rel:
            bits.append(stage_rel)
        if same_zone:
            bits.append(f"同在{doc.zone}园区")
        for k in ("grade", "role", "conflict", "missing", "extra", "gate"):
            if k in notes:
                bits.append(notes[k])
        return {
            "matched_terms": matched,
            "synonyms": synonyms,
            "node_relation": stage_rel,
            "same_chain": same_chain,
            "same_zone": same_zone,
            "freshness_days": fresh,
            "notes": dict(notes),
            "summary": "；".join(bits) if bits else "文本相近",
        }

    def _surfaces(self, parts: dict, concept: str) -> set[str]:
        # a surface never contains NUL, so a match in the NUL-joined clauses is a match in one clause
        texts = [parts[p]["_joined"] for p in ("title", "keywords", "node", "description")]
        out = {s for s in self.kn.surfaces_of.get(concept, ()) if s and any(s in t for t in texts)}
        # keep the longest surfaces only (avoid 尼龙 inside 尼龙66)
        return {s for s in out if not any(s != o and s in o for o in out)}
