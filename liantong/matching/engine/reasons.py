"""Why a listing matched: shared concepts and words, synonyms, chain/node relation, zone, freshness and
the re-ranking notes, as the ``why`` dict of each :class:`Match`."""

from __future__ import annotations

import time

import numpy as np

from .documents import Doc
from .knowledge import normalize
from .reranking import _Features

_FIELDS = ("title", "keywords", "node", "description")


def _longest(found: set[str]) -> set[str]:
    # keep the longest surfaces only (avoid 尼龙 inside 尼龙66)
    return {s for s in found if not any(s != o and s in o for o in found)}


def surfaces_in(joined: str, concept: str, kn) -> set[str]:
    """The surface forms of ``concept`` in ``joined`` (NUL-joined normalised clauses: a surface never contains
    NUL, so a match there is a match in one clause), longest only."""
    return _longest({s for s in kn.surfaces_of.get(concept, ()) if s and s in joined})


def concept_surfaces(parts: dict, concepts, kn) -> list[tuple[str, frozenset]]:
    """``(concept, its surface forms in the listing's text)`` for each of ``concepts`` (the listing's own,
    :attr:`_Features.all_c`) found in it, in concept order: what the explanation of a synonym needs from
    the listing, worked out when it is indexed (``parts``: its analysed fields) so that explaining a match
    does no text work."""
    joined = "\x00".join(parts[p]["_joined"] for p in _FIELDS)
    surfaces_of = kn.surfaces_of
    out = []
    for c in sorted(concepts):
        if c in surfaces_of:
            found = surfaces_in(joined, c, kn)
            if found:
                out.append((c, frozenset(found)))
    return out


class _QueryReasons:
    """What the explanations of one query's matches share, worked out once per query: its concepts in
    order, its words (and their term ids), the surface forms of each concept in its text."""

    def __init__(self, engine, query: Doc, qparts: dict, segs):
        self.engine, self.segs = engine, segs
        self.concepts = list(dict.fromkeys(c for p in _FIELDS for c in qparts[p]["concepts"]))
        self.words = {t[2:] for p in _FIELDS for t in qparts[p]["terms"] if t[0] == "w"}
        vocab = engine.kn.vocab
        # only words that can be shown (two characters or more, not a short code) are worth looking up
        self.word_ids = {vocab["w:" + w]: w for w in self.words
                         if len(w) >= 2 and not (w.isascii() and len(w) <= 3) and "w:" + w in vocab}
        self.joined = "\x00".join(qparts[p]["_joined"] for p in _FIELDS)
        self._surf: dict[str, set[str]] = {}
        self._words: dict[int, set[str]] = {}
        self.zone = normalize(query.zone)

    def surfaces(self, concept: str) -> set[str]:
        hit = self._surf.get(concept)
        if hit is None:
            hit = self._surf[concept] = surfaces_in(self.joined, concept, self.engine.kn)
        return hit

    def read_words(self, positions: list[int]) -> None:
        """Read off the index which of the query's showable words each listing at ``positions`` holds (no
        analysis of the listings' text)."""
        ids = list(self.word_ids)
        for seg in self.segs:
            found = [(pos, seg.find(pos)) for pos in positions if pos not in self._words]
            found = [(pos, k) for pos, k in found if k >= 0]
            if not found:
                continue
            held = seg.holding_each(ids, np.array([k for _, k in found], dtype=np.int64))
            for j, (pos, _) in enumerate(found):
                self._words[pos] = {self.word_ids[ids[i]] for i in np.flatnonzero(held[:, j]).tolist()}

    def shared_words(self, pos: int, doc: Doc) -> set[str]:
        """The query's showable words the listing at ``pos`` holds."""
        if pos not in self._words:
            self.read_words([pos])
        hit = self._words.get(pos)
        if hit is not None:
            return hit
        dparts = self.engine._parts(doc)  # not in a segment (cannot happen for a match): analyse it
        dw = {t[2:] for p in _FIELDS for t in dparts[p]["terms"] if t[0] == "w"}
        return {w for w in self.words & dw if len(w) >= 2 and not (w.isascii() and len(w) <= 3)}


class _Reasons:
    """The explanation of :class:`MatchEngine` results (a mixin: uses ``self.kn``, ``self._parts``,
    ``self._features``)."""

    # ------------------------------------------------------------------ explanation

    def _explain(self, query: Doc, qparts: dict, qf: _Features, doc: Doc, pos: int, notes: dict,
                 qx: _QueryReasons | None = None) -> dict:
        kn = self.kn
        qx = qx or _QueryReasons(self, query, qparts, [s for s in (self._main, self._delta_segment()) if s is not None])
        df = self._features(pos)
        shared = [c for c in qx.concepts if c in df.all_c]
        matched = [kn.display.get(c, c) for c in shared]
        matched += sorted(qx.shared_words(pos, doc), key=lambda w: (-len(w), w))[:6]
        synonyms = []
        dsurf = None
        for c in shared:
            qs = qx.surfaces(c)
            if not qs:
                continue
            if dsurf is None:
                dsurf = self._doc_surfaces(pos)  # found when the listing was indexed
            ds = dsurf.get(c)
            if ds and not (qs & ds):
                synonyms.append(f"{'/'.join(sorted(qs))} = {'/'.join(sorted(ds))}")
        same_chain = bool(query.chain) and query.chain == doc.chain
        same_zone = bool(query.zone) and qx.zone == self._zone[pos] and qx.zone != "其他"
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
