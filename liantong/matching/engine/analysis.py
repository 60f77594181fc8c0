"""Text analysis: clauses, jieba tokens, concepts (synonyms folded), context and negation, quantities
masked; clause, token, bigram and short-text results memoised in the :class:`Knowledge`."""

from __future__ import annotations

import re

import numpy as np

from .knowledge import (
    _CJK,
    _NUMERIC,
    _PUNCT_SPLIT,
    _SKIP_TOKEN,
    CTX_PREFIX,
    CTX_SUFFIX,
    NEG_PREFIX,
    Knowledge,
    knowledge,
    normalize,
)


def _rewrite(text: str, kn: Knowledge) -> str:
    for pat, rep, hint in kn.rewrites:
        if hint and hint not in text:
            continue
        text = pat.sub(rep, text)
    if kn.multiword_re is not None:
        text = kn.multiword_re.sub(lambda m: kn.multiword[m.group(0)], text)
    return text


_SKIP = ("",)  # token info of a blank or punctuation-only token


def _token_info(tok: str, kn: Knowledge) -> tuple:
    """What one jieba token contributes, memoised per token: ``(token, concept or None, terms,
    main term ids, parent term ids, expanded concepts)``, or ``_SKIP``."""
    t = tok.strip()
    if not t or _SKIP_TOKEN.match(t):
        info = _SKIP
    else:
        c = kn.concept(t)
        tid = kn.term_id
        if c is not None:
            exp = kn.expand(c)
            terms = ("c:" + c,) + tuple("p:" + e for e in exp[1:])
            info = (t, c, terms, (tid("c:" + c),), tuple(tid("c:" + e) for e in exp[1:]), tuple(exp))
        elif t in kn.stop or len(t) == 1 or _NUMERIC.match(t):
            info = (t, None, (), (), (), ())
        else:
            info = (t, None, ("w:" + t,), (tid("w:" + t),), (), ())
    if len(kn.tokens) > kn.cache_limit:
        kn.tokens.clear()
    kn.tokens[tok] = info
    return info


def _bigram_info(bg: str, kn: Knowledge):
    info = None if bg in kn.stop_bigrams else ("b:" + bg, kn.term_id("b:" + bg))
    if len(kn.bigrams) > kn.cache_limit:
        kn.bigrams.clear()
    kn.bigrams[bg] = info
    return info


def _ctx_neg(seq: list[tuple[str, str | None]]) -> tuple[list[str], list[str]]:
    """Context (the poster's own product / application) and negated concepts of one clause's
    ``(token, concept)`` sequence."""
    ctx: list[str] = []
    neg: list[str] = []
    mode = None
    for i, (tok, c) in enumerate(seq):
        if tok in NEG_PREFIX:
            mode = "neg"
            continue
        if tok in CTX_PREFIX and mode is None:
            mode = "ctx"
            continue
        if c is None:
            continue
        if mode == "neg":
            neg.append(c)
            continue
        if mode == "ctx":
            ctx.append(c)
            continue
        # suffix marker right after a run of concepts
        j = i + 1
        while j < len(seq) and seq[j][1] is not None:
            j += 1
        if j < len(seq) and seq[j][0] in CTX_SUFFIX and j - i <= 3:
            ctx.append(c)
    return ctx, neg


def _light_clause(clause: str, kn: Knowledge) -> tuple:
    """Only ``(None, concepts, ctx, neg)`` of a clause (enterprise names: no terms, bigrams or ids)."""
    hit = kn.cache.get(clause) or kn.light.get(clause)
    if hit is not None:
        return hit
    seq = []
    tokens = kn.tokens
    for tok in kn.cutter.lcut(clause):
        info = tokens.get(tok)
        if info is None:
            info = _token_info(tok, kn)
        if info is not _SKIP:
            seq.append((info[0], info[1]))
    ctx, neg = _ctx_neg(seq)
    out = (None, tuple(c for _, c in seq if c is not None), tuple(ctx), tuple(neg))
    if len(kn.light) > kn.cache_limit:
        kn.light.clear()
    kn.light[clause] = out
    return out


def analyze_names(text, kn: Knowledge | None = None) -> dict:
    """Concepts, context and negation of a name (an enterprise): the part of :func:`analyze` the
    re-ranking features use, without index terms (memoised like :func:`analyze`)."""
    kn = kn or knowledge()
    text = "" if text is None else str(text)
    hit = kn.light_memo.get(text)
    if hit is None:
        t = normalize(text)[:20000]
        t = _rewrite(t, kn)
        rs, clauses = [], []
        for clause in _PUNCT_SPLIT.split(t):
            clause = clause.strip()
            if clause:
                rs.append(_light_clause(_mask_quantities(clause), kn))
                clauses.append(clause)
        hit = _Analysis(text=t, clauses=clauses, rs=rs)
        if len(text) <= 64:
            if len(kn.light_memo) > 200_000:
                kn.light_memo.clear()
            kn.light_memo[text] = hit
    return hit


def _analyze_clause(clause: str, kn: Knowledge) -> tuple:
    """-> (terms, concepts_in_order, ctx_concepts, neg_concepts, main ids, parent ids, n_bigrams,
    expanded concepts, n main ids, n parent ids) for one clause (cached)."""
    hit = kn.cache.get(clause)
    if hit is not None:
        return hit
    terms: list[str] = []
    main: list[int] = []
    par: list[int] = []
    xc: set[str] = set()
    seq: list[tuple[str, str | None]] = []  # (token, concept)
    tokens = kn.tokens
    for tok in kn.cutter.lcut(clause):
        info = tokens.get(tok)
        if info is None:
            info = _token_info(tok, kn)
        if info is _SKIP:
            continue
        seq.append((info[0], info[1]))
        if info[2]:
            terms.extend(info[2])
            main.extend(info[3])
            if info[4]:
                par.extend(info[4])
            if info[5]:
                xc.update(info[5])
    # bigrams over CJK runs
    nb = 0
    bigrams = kn.bigrams
    for run in _CJK.findall(clause):
        for i in range(len(run) - 1):
            bg = run[i : i + 2]
            b = bigrams.get(bg, _SKIP)
            if b is _SKIP:
                b = _bigram_info(bg, kn)
            if b is not None:
                terms.append(b[0])
                main.append(b[1])
                nb += 1
    ctx, neg = _ctx_neg(seq)
    concepts = tuple(c for _, c in seq if c is not None)
    out = (tuple(terms), concepts, tuple(ctx), tuple(neg), np.asarray(main, dtype=np.int32),
           np.asarray(par, dtype=np.int32), nb, frozenset(xc), len(main), len(par))
    if len(kn.cache) > kn.cache_limit:
        kn.cache.clear()
    kn.cache[clause] = out
    return out


class _Analysis(dict):
    """The result of :func:`analyze`: ``text``, ``clauses`` and the clause results ``rs`` are set;
    ``terms``, ``concepts``, ``ctx``, ``neg``, ``ids``, ``parent_ids``, ``n_bigrams`` and ``_xc``
    (expanded concepts) are derived from ``rs`` on first access (the index build needs few of them)."""

    __slots__ = ()

    def __missing__(self, key):
        rs = dict.__getitem__(self, "rs")
        if key == "terms":
            v = [t for r in rs for t in r[0]]
        elif key == "concepts":
            v = [c for r in rs for c in r[1]]
        elif key == "ctx":
            v = [c for r in rs for c in r[2]]
        elif key == "neg":
            v = [c for r in rs for c in r[3]]
        elif key == "ids":
            v = [r[4] for r in rs]
        elif key == "parent_ids":
            v = [r[5] for r in rs]
        elif key == "n_bigrams":
            v = sum(r[6] for r in rs)
        elif key == "_xc":
            v = frozenset().union(*(r[7] for r in rs))
        elif key == "_joined":
            v = "\x00".join(dict.__getitem__(self, "clauses"))
        else:
            raise KeyError(key)
        self[key] = v
        return v


def analyze(text, kn: Knowledge | None = None) -> dict:
    """Full analysis of one text: terms (c:/w:/b: prefixed), concepts, context and negated concepts.

    Results of short texts (titles, nodes, keywords, enterprise names) are memoised; treat the
    returned dict as read-only."""
    kn = kn or knowledge()
    text = "" if text is None else str(text)
    if len(text) <= 64:
        hit = kn.memo.get(text)
        if hit is None:
            hit = _analyze(text, kn)
            if len(kn.memo) > 200_000:
                kn.memo.clear()
            kn.memo[text] = hit
        return hit
    return _analyze(text, kn)


def _analyze(text: str, kn: Knowledge) -> dict:
    t = normalize(text)
    if len(t) > 20000:
        t = t[:20000]  # a listing is a few hundred characters; cap pathological input
    t = _rewrite(t, kn)
    rs = []
    clauses = []
    cache = kn.cache
    has_digit = _HAS_DIGIT.search
    for clause in _PUNCT_SPLIT.split(t):
        clause = clause.strip()
        if not clause:
            continue
        key = _mask_quantities(clause) if has_digit(clause) else clause
        r = cache.get(key)
        if r is None:
            r = _analyze_clause(key, kn)
        rs.append(r)
        clauses.append(clause)
    return _Analysis(text=t, clauses=clauses, rs=rs)


_QTY = re.compile(r"(?<![a-z0-9.#])(\d+(?:\.\d+)?)(?=(?:[^a-z0-9.\u4e00-\u9fff]|$|[吨万台套件只根米个条辆批次元年月日天小倍]|"
                  r"(?:mm|kg|km|μm|um|mpa|ppm|kwh|mwh|gwh|kw|mw|gw|ml|nm|m2|m3|m³|wh|nm³)(?![a-z])))")
_HAS_DIGIT = re.compile(r"\d")


_QTY_BEFORE = set("约供需产为至达量于超近共计每均仅年月日")


def _mask_quantities(clause: str) -> str:
    """Replace plain quantities (>= 3 digits or decimals) by '#' so that listings differing
    only in figures share one cached segmentation.  Codes (AH36, 470dtex, PA66, 32140 圆柱)
    are kept: they are short, glued to letters, or followed by a non-unit character."""
    if not _HAS_DIGIT.search(clause):
        return clause

    def rep(m):
        v = m.group(1)
        after = clause[m.end() : m.end() + 1]
        if len(v) < 3 and "." not in v and (not after or not after.isalnum()):
            return v  # short bare numbers are often codes or counts that matter (尼龙66, 36)
        before = clause[m.start() - 1 : m.start()] if m.start() else ""
        if (not after or not (after.isalnum())) and "\u4e00" <= before <= "\u9fff" and before not in _QTY_BEFORE:
            return v  # e.g. 尼龙1010: a code glued to a word, not a figure
        return "#"

    return _QTY.sub(rep, clause)


def tokenize(text) -> list[str]:
    """Words for search: domain concepts (canonical form) and other jieba words, in order.

    Synonyms collapse to one canonical token (尼龙66, 锦纶66, 聚己二酰己二胺 -> "pa66"), so the
    same function can feed any full-text index.
    """
    a = analyze(text)
    out = []
    for t in a["terms"]:
        if t.startswith("c:") or t.startswith("w:"):
            out.append(t[2:])
    return out
