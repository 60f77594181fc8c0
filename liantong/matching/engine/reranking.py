"""Re-ranking: the features of each listing (concepts by field, context, negation, steel grades, scenario
items) and the multiplicative factors applied to the best few hundred BM25 candidates (roles, alternatives
for the same slot, qualifiers, steel grades, the domain gate, locality and freshness)."""

from __future__ import annotations

import math
import re
import time

from .documents import Doc
from .knowledge import STEEL_CONCEPTS, Knowledge, normalize

PEN_UNRELATED = 0.6
PEN_SERVICE = 0.45
PEN_NO_GRADE = 0.85
PEN_UPSTREAM = 0.3
PEN_COMPETITOR = 0.3
PEN_DOWNSTREAM = 0.35
PEN_CONFLICT = 0.55
PEN_QUALIFIER_MISSING = 0.5
PEN_QUALIFIER_EXTRA = 0.7
PEN_NO_WORD = 0.5
ZONE_BONUS = 1.02
FRESH_HALF_LIFE_DAYS = 365.0


_GRADE = re.compile(r"(?<![a-z0-9])([abdef])h?(32|36|40|420|460|500|550|620|690)(?![a-z0-9])")
_STRENGTH_KG = re.compile(r"(?<![0-9])(27|32|36|40)\s*(?:kg级|kg|级)")
_YIELD = re.compile(r"屈服\s*(235|315|355|390|420|460)")
_LETTERS = re.compile(r"(?<![a-z0-9])([abdef](?:/[abdef])+)\s*(?:质量等级|等级|级)")
_NORMAL = re.compile(r"普通强度|一般强度|(?<![a-z0-9])a级(?:船板|钢板|及)")
_LETTER = {"a": 0, "b": 1, "d": 2, "e": 3, "f": 4}
_YIELD_LEVEL = {"235": 24, "315": 32, "355": 36, "390": 40, "420": 42, "460": 46}


def steel_grades(text: str) -> tuple[tuple[int, int], ...]:
    """Ship/offshore steel grades named in a normalised text: ((toughness letter, strength), ...)."""
    out = set()
    for m in _GRADE.finditer(text):
        s = int(m.group(2))
        out.add((_LETTER[m.group(1)], s if s < 100 else s // 10))
    strengths = {int(m.group(1)) for m in _STRENGTH_KG.finditer(text)}
    strengths |= {_YIELD_LEVEL[m.group(1)] for m in _YIELD.finditer(text)}
    letters = set()
    for m in _LETTERS.finditer(text):
        letters |= {_LETTER[x] for x in m.group(1).split("/")}
    for s in strengths:
        for ltr in letters or {0}:
            out.add((ltr, s))
    if _NORMAL.search(text):
        for ltr in letters or {0}:
            out.add((ltr, 24))
    return tuple(sorted(out))


def grade_factor(req: tuple, offer: tuple) -> tuple[float, str]:
    if not req or not offer:
        return 1.0, ""
    best, label = 0.15, "强度等级低于要求"
    for ql, qs in req:
        for cl, cs in offer:
            if cs == qs and cl == ql:
                return 1.0, "钢级相符"
            if cs >= qs and cl >= ql:
                if best < 0.8:
                    best, label = 0.8, "钢级高于要求（可替代）"
            elif cs >= qs and best < 0.6:
                best, label = 0.6, "强度相符但韧性等级偏低"
    return best, label


# --------------------------------------------------------------------------- per-document features


_EMPTY: frozenset = frozenset()


class _Features:
    __slots__ = ("direct", "title_c", "kw_c", "node_c", "desc_c", "all_c", "ctx", "neg", "grades", "items", "ent_c")

    def __init__(self, doc: Doc, kn: Knowledge, parts: dict):
        # straight from the clause results (``rs``) of each analysed field; ``_xc`` (expanded
        # concepts) is derived once per analysis and kept with it (short texts are memoised)
        t_rs, k_rs, n_rs, d_rs, e_rs = (parts[f]["rs"] for f in ("title", "keywords", "node", "description", "enterprise"))
        self.direct = _EMPTY.union(*[r[1] for rs in (t_rs, k_rs, n_rs, d_rs) for r in rs])
        self.title_c = parts["title"]["_xc"]
        self.kw_c = parts["keywords"]["_xc"]
        self.node_c = parts["node"]["_xc"]
        self.desc_c = parts["description"]["_xc"]
        self.neg = _EMPTY.union(*[r[3] for r in d_rs], *[r[3] for r in t_rs])
        self.all_c = (self.title_c | self.kw_c | self.node_c | self.desc_c) - (self.neg - self.title_c - self.kw_c)
        ctx = set().union(*[r[2] for rs in (t_rs, k_rs, n_rs, d_rs, e_rs) for r in rs])
        self.ent_c = _EMPTY.union(*[r[1] for r in e_rs])
        if doc.kind == "scenario":
            ctx |= self.node_c
        self.ctx = frozenset(ctx)
        self.grades = ()
        if self.all_c & STEEL_CONCEPTS:
            self.grades = steel_grades(" ".join(p["text"] for k, p in parts.items() if k != "enterprise"))
        self.items = ()
        if doc.kind == "scenario":
            self.items = _scenario_items(parts["description"]["text"])

    def __getstate__(self):  # compact pickling (features travel back from build workers)
        return tuple(getattr(self, k) for k in self.__slots__)

    def __setstate__(self, state):
        for k, v in zip(self.__slots__, state):
            setattr(self, k, v)

    @classmethod
    def from_state(cls, state: tuple) -> _Features:
        f = cls.__new__(cls)
        f.__setstate__(state)
        return f


def _scenario_items(text: str) -> tuple[str, ...]:
    """The listed items of a scenario: the part after the first colon, split on 、;,/ ."""
    if ":" not in text:
        return ()
    body = text.split(":", 1)[1]
    body = re.split(r"[。]|,(?:要求|须|需|优先|欢迎|寻求|期望|目标|入园|提供)", body)[0]
    items = [s.strip() for s in re.split(r"[、;,/]|以及|及", body) if len(s.strip()) >= 2]
    return tuple(items[:12])



class _Reranking:
    """The re-ranking factors of :class:`MatchEngine` (a mixin: uses ``self.kn`` and ``self._zone``)."""

    # ------------------------------------------------------------------ re-ranking

    def _role(self, buyer: _Features, seller: _Features) -> tuple[float, str]:
        kn = self.kn
        d = kn.display.get
        b_primary = buyer.title_c | buyer.kw_c | buyer.node_c
        if buyer.items or not (b_primary & kn.role_concepts):
            b_primary = b_primary | buyer.desc_c
        b_primary = b_primary - buyer.neg
        # services versus goods
        s_goods = (seller.title_c & kn.role_concepts) - kn.services - seller.ctx
        s_service = bool(seller.node_c & kn.services) or bool(
            not seller.node_c - kn.services and seller.title_c & kn.services and not s_goods)
        b_service = bool(b_primary & kn.services)
        if s_service and not b_service:
            return PEN_SERVICE, "对方提供的是服务，需求的是产品"
        if b_service and not s_service and buyer.node_c & kn.services:
            return PEN_SERVICE, "需求的是服务，对方提供的是产品"
        if s_service:
            return 1.0, ""
        s_prod = ((seller.title_c | seller.node_c | seller.kw_c) & kn.role_concepts) - seller.ctx
        if not s_prod:
            return 1.0, ""
        b_want = (b_primary & kn.role_concepts) - buyer.ctx
        b_ctx = ((buyer.ctx | buyer.ent_c) & kn.role_concepts) - b_want
        b_all = buyer.all_c
        # product forms decide when both sides name one (PA66 chips vs PA66 yarn)
        s_forms, b_forms = s_prod - kn.materials, b_want - kn.materials
        if s_forms and b_forms:
            s_prod, b_want = s_forms, b_forms
        # a direct hit needs a concept named by at least one side (siblings under a shared
        # parent, e.g. 防火门 and 围壁板 under 邮轮内装, are not a hit)
        if (s_prod & b_want) & (seller.direct | buyer.direct):
            return 1.0, "直接对口"
        if s_prod & b_ctx:
            return PEN_COMPETITOR, "对方自身产品（同行/竞品）"
        for s in sorted(s_prod):
            if s in b_all:
                continue
            for w in sorted(b_want | b_ctx):
                if s in kn.upstream.get(w, ()):
                    return PEN_UPSTREAM, f"{d(s, s)}是{d(w, w)}的上游原料，需求方未提及自行加工"
        for s in sorted(s_prod):
            up = kn.upstream.get(s, ())
            for w in sorted(b_want):
                if w in up:
                    return PEN_DOWNSTREAM, f"{d(s, s)}以{d(w, w)}为原料（同为买方）"
        if s_prod & b_all:
            return 1.0, ""
        if b_want:
            return PEN_UNRELATED, "产品不对口"
        return 1.0, ""

    def _rerank(self, query: Doc, qf: _Features, has_word: bool, doc: Doc | None, f: _Features, pos: int,
                local: tuple[bool, float] | None = None):
        """-> (factor, notes). ``local``: (same zone, freshness) when the caller computed them for many
        candidates at once (:meth:`MatchEngine._local_factors`, freshness 1 for a listing without a time);
        then ``doc`` is not read and may be None. Every other factor is at most 1."""
        kn = self.kn
        factor = 1.0
        notes: dict = {}
        buyer, seller = (f, qf) if query.kind == "supply" else (qf, f)
        r, note = self._role(buyer, seller)
        factor *= r
        if note:
            notes["role"] = note
        # alternatives for the same slot
        q_main = qf.title_c | qf.kw_c | qf.node_c | (qf.desc_c if qf.items else frozenset())
        c_main = f.title_c | f.kw_c | f.node_c | (f.desc_c if f.items else frozenset())
        # sets of str iterate in a per-process (hash-seeded) order: sort wherever the order shows,
        # so a worker-process build explains a match in the same words as an in-process one
        for c in sorted(c_main):
            if c in qf.all_c:
                continue
            for gi in kn.conflicts_of.get(c, ()):
                g = kn.conflict_groups[gi]
                asked = (q_main & g) - c_main
                if asked and not (c_main & q_main & g):
                    factor *= PEN_CONFLICT
                    notes["conflict"] = f"对方为{kn.display.get(c, c)}，需要的是{'、'.join(kn.display.get(x, x) for x in sorted(asked))}"
                    break
            if "conflict" in notes:
                break
        # restrictive qualifiers
        q_req = (qf.title_c | qf.kw_c) & kn.qualifiers
        missing = sorted(q for q in q_req if q not in f.all_c)
        if missing:
            factor *= PEN_QUALIFIER_MISSING
            notes["missing"] = "未提及" + "、".join(kn.display.get(x, x) for x in missing)
        extra = sorted(q for q in (f.title_c | f.kw_c) & kn.qualifiers if q not in qf.all_c)
        if extra:
            factor *= PEN_QUALIFIER_EXTRA
            notes["extra"] = "对方限定为" + "、".join(kn.display.get(x, x) for x in extra)
        # steel grades
        if qf.grades and not f.grades and (f.title_c | f.kw_c) & STEEL_CONCEPTS:
            factor *= PEN_NO_GRADE
            notes["grade"] = "未注明钢级"
        if qf.grades and f.grades:
            req, offer = (f.grades, qf.grades) if query.kind == "supply" else (qf.grades, f.grades)
            g, label = grade_factor(req, offer)
            factor *= g
            if label:
                notes["grade"] = label
        # domain gate: at least one shared word or concept, not only character pairs
        if not has_word:
            factor *= PEN_NO_WORD
            notes["gate"] = "仅字面相近"
        # locality and freshness
        if local is not None:
            if local[0]:
                factor *= ZONE_BONUS
            factor *= local[1]
            return factor, notes
        zq, zd = normalize(query.zone), self._zone[pos]
        if zq and zq == zd and zq not in ("其他", "other"):
            factor *= ZONE_BONUS
        if doc.updated:
            age_days = max(0.0, (time.time() - float(doc.updated)) / 86400.0)
            factor *= 0.85 + 0.15 * math.pow(0.5, age_days / FRESH_HALF_LIFE_DAYS)
        return factor, notes
