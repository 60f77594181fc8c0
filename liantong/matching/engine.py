"""Supply–demand matching engine for Liantong (pure Python: jieba + numpy + scipy, no Django).

How a match is scored
---------------------
1. **Text analysis** (:func:`analyze`): NFKC (full-width -> half-width), lower case, regex
   rewrites (``data/rewrite.tsv``), jieba (domain dictionary, ``HMM=False``), then every token is
   mapped to a *concept* through the synonym table (``data/synonyms.tsv``: PA66 = 尼龙66 =
   聚己二酰己二胺, 安酮 = 环己酮, E501T-1 = E71T-1C …) plus its broader concepts
   (``data/broader.tsv``).  Letter+digit codes also match without hyphens (E71T-1C == E71T1C).
   Clause-level results are cached, so repeated text is segmented once.
2. **Retrieval**: two BM25 fields over one inverted index (scipy CSC): words/concepts and
   character bigrams; title and keywords weigh more than the node and the description.  Scenario
   queries are split into their listed items and each item is scored too (best item added).
3. **Re-ranking of the best few hundred** with domain knowledge, each a multiplicative factor
   that is also reported in ``why``: roles (``data/inputs_of.tsv``: a buyer of a product does not
   want that product's inputs unless it names them; a seller of the buyer's own product or of a
   product made from what the buyer wants is not a supplier), alternatives for the same slot
   (``data/conflicts.tsv``), restrictive qualifiers (``data/qualifiers.txt``), ship-steel grade
   compatibility (lower strength is a mismatch, over-spec is partial), a domain gate (no shared
   word, only shared character pairs), locality and freshness.

Pools (README convention): a demand/scenario query ranks active supply listings; a supply query
ranks active demand and scenario listings; never the query itself, never the same enterprise's
listings, never inactive ones.

Building: listings are analysed in blocks (:func:`_analyse_block`), each returning a compact CSR
with block-local term numbers, BM25 field lengths and the re-ranking features as plain tuples;
the main segment is then one ``scipy.sparse`` matrix assembled in a single pass.  From
``PARALLEL_MIN`` listings on, blocks are analysed in forked worker processes ($LIANTONG_MATCH_WORKERS
or the usable CPUs) and the cyclic GC is paused during the build.  Segmentation is jieba's own
no-HMM algorithm re-implemented for speed (:class:`_FastCut`, identical output); clause, token,
bigram and short-text results are memoised.

Updates: :meth:`MatchEngine.update` appends to a small delta segment and tombstones the old
version; :meth:`MatchEngine.remove` tombstones.  The delta is merged into the main segment when it
grows beyond ``merge_threshold`` (no re-analysis: rows of the main matrix are kept and the delta's
term vectors are stored).
"""

from __future__ import annotations

import contextlib
import math
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

__all__ = ["Doc", "Match", "MatchEngine", "tokenize", "analyze", "knowledge", "normalize"]

DATA_DIR = Path(__file__).resolve().parent / "data"

# --------------------------------------------------------------------------- data classes


@dataclass
class Doc:
    """One listing (supply, demand or scenario) as the engine sees it."""

    id: str | int
    kind: str  # 'supply' | 'demand' | 'scenario'
    chain: str = ""
    node: str = ""
    zone: str = ""
    enterprise: str = ""
    title: str = ""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    quantity: str = ""
    active: bool = True
    updated: float | None = None  # epoch seconds
    stage: int | None = None  # 0 upstream, 1 midstream, 2 downstream


@dataclass
class Match:
    id: str | int
    score: float
    why: dict


# --------------------------------------------------------------------------- knowledge

_PUNCT_SPLIT = re.compile(r"[,;。!?、:\n\r\t()\[\]{}<>《》“”\"'|·…]+")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_ALNUM_MIX = re.compile(r"^(?=.*[a-z])(?=.*[0-9])[a-z0-9.\-_+/#%&]+$")
_NUMERIC = re.compile(r"^[0-9.\-_+/%~x×*]+$")
_SKIP_TOKEN = re.compile(r"^[\W_]+$")

CTX_SUFFIX = {"边角料", "废料", "余料", "级", "装置", "产线", "生产线", "生产", "扩产", "项目", "工厂", "工序", "工段", "一体化", "厂", "用", "原料",
              "合成", "车间", "扩能", "行业", "领域", "体系"}
CTX_PREFIX = {"专用于", "可用于", "主要用于", "用作", "用于", "供", "专供", "适用于", "可作", "拟建", "新建", "扩建", "自建", "自有", "为", "替代", "适配", "配合"}
NEG_PREFIX = {"不设", "无", "不含", "不需要", "没有", "无需", "不适用于", "非"}
STEEL_CONCEPTS = {"船板", "型材", "球扁钢", "角钢", "t型材", "海工钢", "中厚板", "薄板", "高强度船板", "低温钢"}


def _squash(tok: str) -> str:
    return re.sub(r"[.\-_/\s]", "", tok)


class Knowledge:
    """Domain dictionary, synonyms, roles, conflicts — loaded once per process."""

    def __init__(self, data_dir: Path = DATA_DIR):
        import jieba

        self.surface: dict[str, str] = {}  # normalised surface -> concept key
        self.display: dict[str, str] = {}  # concept key -> display form
        self.surfaces_of: dict[str, list[str]] = {}
        multiword: list[tuple[str, str]] = []
        for terms in self._groups(data_dir / "synonyms.tsv"):
            canon = normalize(terms[0])
            self.display.setdefault(canon, terms[0])
            for t in terms:
                n = normalize(t)
                for key in {n, _squash(n)}:
                    if key and key not in self.surface:
                        self.surface[key] = canon
                self.surfaces_of.setdefault(canon, []).append(n)
                if re.search(r"[\s,()/·]", n):
                    multiword.append((n, canon))

        def res(t):
            n = normalize(t)
            return self.surface.get(n) or self.surface.get(_squash(n)) or n

        self.broader: dict[str, set[str]] = {}
        for terms in self._groups(data_dir / "broader.tsv"):
            self.broader.setdefault(res(terms[0]), set()).update(res(t) for t in terms[1:])
        self.inputs: dict[str, set[str]] = {}
        for terms in self._groups(data_dir / "inputs_of.tsv"):
            self.inputs.setdefault(res(terms[0]), set()).update(res(t) for t in terms[1:])
        self.conflict_groups: list[set[str]] = [{res(t) for t in g} for g in self._groups(data_dir / "conflicts.tsv")]
        self.conflicts_of: dict[str, list[int]] = {}
        for i, g in enumerate(self.conflict_groups):
            for c in g:
                self.conflicts_of.setdefault(c, []).append(i)
        self.qualifiers = {res(t) for t in self._lines(data_dir / "qualifiers.txt")}
        self.services = {res(t) for t in self._lines(data_dir / "services.txt")}
        self.materials = {res(t) for t in self._lines(data_dir / "materials.txt")}
        self.stop = set()
        for line in self._lines(data_dir / "stopwords.txt"):
            self.stop.update(normalize(w) for w in line.split())
        self.stop_bigrams = {w for w in self.stop if len(w) == 2}
        self.rewrites = []
        for line in self._lines(data_dir / "rewrite.tsv"):
            pat, _, rep = line.partition("\t")
            self.rewrites.append((re.compile(pat), rep, _literal_hint(pat)))
        # multi-word surfaces (with spaces or punctuation) are rewritten to their canonical form,
        # all in one alternation
        multiword = [(s, self._clean_canon(c)) for s, c in multiword if self._clean_canon(c)]
        multiword.sort(key=lambda x: -len(x[0]))
        self.multiword = dict(multiword)
        self.multiword_re = re.compile("|".join(re.escape(s) for s, _ in multiword)) if multiword else None
        # role concepts: anything that takes part in an input relation
        self.role_concepts = set(self.inputs)
        for v in self.inputs.values():
            self.role_concepts |= v
        self.upstream: dict[str, set[str]] = {}
        for c in list(self.role_concepts) + list(self.broader):
            self.upstream[c] = self._upstream(c)

        tk = jieba.Tokenizer()
        tk.initialize()
        for key in self.surface:
            if len(key) >= 2 and not re.search(r"[\s,()/·]", key):
                tk.add_word(key, freq=max(20000, 3000 * len(key)))
        for line in self._lines(data_dir / "userdict.txt"):
            parts = line.split()
            w = normalize(parts[0])
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 2000
            tk.add_word(w, freq=freq)
        for w in self.stop:
            if len(w) >= 2:
                tk.add_word(w, freq=3000)
        self.tokenizer = tk
        self.cutter = _FastCut(tk)
        self.vocab: dict[str, int] = {}  # process-wide term ids (shared by all engines)
        self.terms: list[str] = []
        self.cache: dict[str, tuple] = {}
        self.memo: dict[str, dict] = {}
        self.tokens: dict[str, tuple] = {}  # jieba token -> what it contributes (see _token_info)
        self.bigrams: dict[str, tuple | None] = {}
        self.light: dict[str, tuple] = {}  # clause -> (None, concepts, ctx, neg) of names
        self.light_memo: dict[str, dict] = {}
        self.cache_limit = 400_000

    @staticmethod
    def _lines(path: Path):
        if not path.exists():
            return []
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            s = line.rstrip("\n")
            if s.strip() and not s.lstrip().startswith("#"):
                out.append(s.strip() if "\t" not in s else s)
        return out

    @classmethod
    def _groups(cls, path: Path):
        return [[t.strip() for t in line.split("|") if t.strip()] for line in cls._lines(path)]

    def _clean_canon(self, canon: str) -> str:
        return canon if re.fullmatch(r"[\u4e00-\u9fffa-z0-9.\-_+#%&]+", canon) else ""

    def _upstream(self, c: str, depth: int = 3) -> set[str]:
        seen: set[str] = set()
        frontier = {c} | self.broader.get(c, set())
        for _ in range(depth):
            nxt = set()
            for x in frontier:
                for i in self.inputs.get(x, ()):
                    if i not in seen:
                        seen.add(i)
                        nxt.add(i)
            frontier = nxt
        return seen

    def term_id(self, t: str) -> int:
        i = self.vocab.get(t)
        if i is None:
            i = len(self.terms)
            self.vocab[t] = i
            self.terms.append(t)
        return i

    def concept(self, tok: str) -> str | None:
        c = self.surface.get(tok)
        if c is None and _ALNUM_MIX.match(tok):
            c = self.surface.get(_squash(tok))
        return c

    def expand(self, c: str) -> list[str]:
        out = [c]
        for p in self.broader.get(c, ()):
            out.append(p)
            out.extend(self.broader.get(p, ()))
        return out


_ABSENT = object()
_PREFIX = object()


class _FastCut:
    """``jieba.Tokenizer.lcut(text, HMM=False)``, the same words, about three times faster.

    jieba builds a DAG dict per block and then takes ``max`` over generator tuples calling ``log``
    for every edge; here the DAG and the best route are computed in one right-to-left pass and
    log-probabilities are memoised per word.  The arithmetic (``log(freq) - log(total) + route``)
    and the tie-break (the longer word wins) are jieba's, so the output is identical; block splitting
    and the gluing of single Latin letters/digits follow ``jieba.Tokenizer.cut``."""

    def __init__(self, tk):
        import jieba

        tk.check_initialized()
        self.freq = tk.FREQ
        self.logtotal = math.log(tk.total)
        # fragment -> log-probability of a word, _PREFIX for a mere prefix (jieba's frequency 0);
        # filled lazily from jieba's FREQ, so that each step of the DAG is one dictionary look-up
        self.seen: dict[str, float | None] = {}
        self.re_han = jieba.re_han_default
        self.re_skip = jieba.re_skip_default
        self.re_eng = jieba.re_eng

    def _look(self, frag: str):
        f = self.freq.get(frag)
        v = _ABSENT if f is None else (math.log(f) - self.logtotal if f else _PREFIX)
        if len(self.seen) < 2_000_000:
            self.seen[frag] = v
        return v

    def _cut_block(self, s: str, out: list) -> None:
        seen, look = self.seen, self._look
        unknown = 0.0 - self.logtotal  # jieba: log(FREQ.get(char) or 1) - log(total)
        n = len(s)
        best = [0.0] * (n + 1)
        nxt = list(range(n + 1))
        for k in range(n - 1, -1, -1):
            bs = None
            bx = k
            i = k
            frag = s[k]
            while True:
                v = seen.get(frag)
                if v is None:
                    v = look(frag)
                if v is _ABSENT:
                    break
                if v is not _PREFIX:
                    sc = v + best[i + 1]
                    if bs is None or sc >= bs:  # equal scores: jieba's max() keeps the later end
                        bs, bx = sc, i
                i += 1
                if i >= n:
                    break
                frag = s[k : i + 1]
            best[k] = unknown + best[k + 1] if bs is None else bs
            nxt[k] = bx
        x = 0
        buf = ""
        eng = self.re_eng.match
        while x < n:
            y = nxt[x] + 1
            w = s[x:y]
            if y - x == 1 and eng(w):
                buf += w
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(w)
            x = y
        if buf:
            out.append(buf)

    def lcut(self, sentence: str) -> list[str]:
        out: list[str] = []
        han = self.re_han.match
        for blk in self.re_han.split(sentence):
            if not blk:
                continue
            if han(blk):
                self._cut_block(blk, out)
            else:
                skip = self.re_skip.match
                for x in self.re_skip.split(blk):
                    if skip(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out


_KNOWLEDGE: Knowledge | None = None
_KLOCK = threading.Lock()


def knowledge() -> Knowledge:
    """The process-wide :class:`Knowledge` (jieba dictionary loaded once)."""
    global _KNOWLEDGE
    if _KNOWLEDGE is None:
        with _KLOCK:
            if _KNOWLEDGE is None:
                _KNOWLEDGE = Knowledge()
    return _KNOWLEDGE


def normalize(text) -> str:
    """Full-width -> half-width, lower case, unified dashes and 粘/黏."""
    if not text:
        return ""
    t = str(text)
    # the full-width punctuation of nearly every Chinese text, replaced by its exact NFKC form, so
    # that most texts pass the (fast) normalisation check instead of the full NFKC pass
    t = t.replace("，", ",").replace("（", "(").replace("）", ")").replace("：", ":").replace("；", ";")
    if not unicodedata.is_normalized("NFKC", t):
        t = unicodedata.normalize("NFKC", t)
    t = t.lower()
    return t.translate(_TRANS) if _TRANS_CHARS.search(t) else t


_TRANS = str.maketrans({"–": "-", "—": "-", "―": "-", "−": "-", "～": "~", "黏": "粘", "\u3000": " ", "₂": "2", "₃": "3",
                        "₄": "4", "₆": "6", "·": "·"})
_TRANS_CHARS = re.compile("[" + re.escape("".join(chr(k) for k in _TRANS)) + "]")


def _literal_hint(pattern: str) -> str:
    """The longest run of plain characters a regex needs (to skip it cheaply when absent)."""
    if re.search(r"[|?*]|\\[dsw]|\[", pattern) and not re.fullmatch(r"[^|?*\[\]()\\]+", pattern):
        runs = re.findall(r"(?<!\\)[\u4e00-\u9fffa-z0-9]{2,}", re.sub(r"\(\?<?[!=][^)]*\)|\[[^\]]*\]\??", "", pattern))
        runs = [r for r in runs if not re.search(r"[sdwb]$", r)] or runs
        hint = max(runs, key=len) if runs and "|" not in pattern else ""
        if not hint:
            # a literal the pattern needs outside look-behinds and alternatives, e.g. "/" in
            # (?<![a-z])(?:ny|pa)(?=/(?:pe|pp))
            rest = re.sub(r"\(\?<[!=][^)]*\)|\(\?:[^()]*\)|\[[^\]]*\]", "", pattern)
            rest = re.sub(r"\(\?[=:]|[()]", "", rest)
            if rest and not re.search(r"[\\|?*+{}\[\].^$]", rest):
                hint = rest
        return hint
    return re.sub(r"\\(.)", r"\1", pattern.split("(")[0]) if "(" in pattern else re.sub(r"\\(.)", r"\1", pattern)


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


# --------------------------------------------------------------------------- steel grades

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


# --------------------------------------------------------------------------- the engine

FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.5, "node": 1.5, "description": 1.0}
QUERY_WEIGHTS = {"title": 1.0, "keywords": 1.0, "node": 0.6, "description": 0.45}
K1, B = 1.2, 0.75
BIGRAM_WEIGHT = 0.3
CONCEPT_BOOST = 1.6  # concept terms count more than plain words
ITEM_WEIGHT = 0.6
PARENT_DOC_WEIGHT = 0.5
PARENT_QUERY_WEIGHT = 0.4
CTX_QUERY_WEIGHT = 0.3
PEN_UNRELATED = 0.6
PEN_SERVICE = 0.45
PEN_NO_GRADE = 0.85
RERANK_DEPTH = 120
PEN_UPSTREAM = 0.3
PEN_COMPETITOR = 0.3
PEN_DOWNSTREAM = 0.35
PEN_CONFLICT = 0.55
PEN_QUALIFIER_MISSING = 0.5
PEN_QUALIFIER_EXTRA = 0.7
PEN_NO_WORD = 0.5
ZONE_BONUS = 1.02
FRESH_HALF_LIFE_DAYS = 365.0


PARALLEL_MIN = 20_000  # below this many listings the index is built in-process
GC_PAUSE_MIN = 5_000  # from this many listings on, the cyclic GC is paused during a build
BLOCK_DOCS = 8_000  # listings per unit of work when building in worker processes


def _workers(requested: int | None) -> int:
    """Worker processes for a large build: ``requested``, else $LIANTONG_MATCH_WORKERS, else the CPUs
    this process may run on; 1 where ``fork`` is unavailable."""
    import multiprocessing as mp
    import os

    if "fork" not in mp.get_all_start_methods():
        return 1
    if requested is None:
        env = os.environ.get("LIANTONG_MATCH_WORKERS", "").strip()
        if env.isdigit():
            requested = int(env)
        else:
            try:
                requested = len(os.sched_getaffinity(0))
            except AttributeError:  # pragma: no cover - not Linux
                requested = os.cpu_count() or 1
    return max(1, int(requested))


def _doc_parts(doc: Doc, kn: Knowledge) -> dict:
    kws = doc.keywords or []
    if isinstance(kws, str):
        kws = [kws]
    return {
        "title": analyze(doc.title or "", kn),
        "keywords": analyze("、".join(str(k) for k in kws if k), kn),
        "node": analyze(doc.node or "", kn),
        "description": analyze(doc.description or "", kn),
        "enterprise": analyze_names(doc.enterprise or "", kn),  # features only: concepts and context
    }


_FIELDS = tuple(FIELD_WEIGHTS.items())


def _analyse_block(docs: list[Doc], kn: Knowledge) -> tuple:
    """Analyse a block of listings into a compact, picklable result.

    Returns ``(indptr, cols, data, terms, lens, feats, zones, ents)``: one CSR row per listing whose
    column ``cols[k]`` names the term ``terms[cols[k]]`` (block-local numbering, so that a worker
    process's term ids never leak out), BM25 field lengths ``(n, 2)`` (words, bigrams), the
    re-ranking features and the normalised zone and enterprise of every listing."""
    idx_parts: list[np.ndarray] = []
    wts: list[float] = []
    cnts: list[int] = []
    row_nnz = np.zeros(len(docs), dtype=np.int64)
    lens = np.zeros((len(docs), 2), dtype=np.float64)
    feats, zones, ents = [], [], []
    append_idx, append_w, append_n = idx_parts.append, wts.append, cnts.append
    pw = PARENT_DOC_WEIGHT
    zone_norm: dict[str, str] = {}
    for row, doc in enumerate(docs):
        parts = _doc_parts(doc, kn)
        nnz = 0
        lw = lb = 0.0
        for fname, fw in _FIELDS:
            n_main = nb = 0
            fpw = fw * pw
            for r in parts[fname]["rs"]:
                n = r[8]
                if n:
                    append_idx(r[4])
                    append_w(fw)
                    append_n(n)
                    n_main += n
                    nb += r[6]
                n = r[9]
                if n:
                    append_idx(r[5])
                    append_w(fpw)
                    append_n(n)
                    nnz += n
            nnz += n_main
            lb += fw * nb
            lw += fw * (n_main - nb)
        row_nnz[row] = nnz
        lens[row, 0], lens[row, 1] = lw, lb
        feats.append(_Features(doc, kn, parts).__getstate__())  # a plain tuple pickles in C
        z = doc.zone or ""
        zn = zone_norm.get(z)
        if zn is None:
            zn = zone_norm[z] = normalize(z)
        zones.append(zn)
        ents.append(normalize(doc.enterprise).strip())
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(row_nnz, out=indptr[1:])
    if idx_parts:
        ids = np.concatenate(idx_parts)
        data = np.repeat(np.asarray(wts, dtype=np.float32), cnts)
    else:
        ids, data = np.zeros(0, np.int32), np.zeros(0, np.float32)
    # block-local term numbering (no sort: a mask over this process's vocabulary); duplicates within
    # a row are summed (C++, sorted per row)
    used = np.zeros(len(kn.terms) + 1, dtype=bool)
    used[ids] = True
    uniq = np.flatnonzero(used)
    local = np.cumsum(used, dtype=np.int32) - 1
    cols = local[ids]
    csr = sparse.csr_matrix((data, cols, indptr), shape=(len(docs), max(len(uniq), 1)))
    csr.sum_duplicates()
    terms = kn.terms
    return (csr.indptr.astype(np.int64), csr.indices.astype(np.int32), csr.data.astype(np.float32),
            [terms[i] for i in uniq.tolist()], lens, feats, zones, ents)


_GC_LOCK = threading.Lock()
_GC_STATE = {"depth": 0, "was_enabled": False}


class _GCPaused:
    """No cyclic garbage collection while a large index is built: the build allocates millions of
    small containers (features, clause results) and every full collection would re-scan them all;
    nothing it allocates forms cycles.  Nested/concurrent uses are counted; the collector's previous
    state is restored when the last one ends."""

    def __enter__(self):
        import gc

        with _GC_LOCK:
            if _GC_STATE["depth"] == 0:
                _GC_STATE["was_enabled"] = gc.isenabled()
                gc.disable()
            _GC_STATE["depth"] += 1

    def __exit__(self, *exc):
        import gc

        with _GC_LOCK:
            _GC_STATE["depth"] -= 1
            if _GC_STATE["depth"] == 0 and _GC_STATE["was_enabled"]:
                gc.enable()
        return False


_BUILD_DOCS: list[Doc] | None = None  # the listings being indexed, shared with forked workers


def _worker_init() -> None:
    """A build worker only allocates (caches, results) and then exits: keep the garbage collector
    away from the heap inherited from the parent (no scans, no copy-on-write of its pages)."""
    import gc

    gc.disable()
    gc.freeze()


def _analyse_range(bounds: tuple[int, int]) -> tuple:
    lo, hi = bounds
    return _analyse_block(_BUILD_DOCS[lo:hi], knowledge())


def _analyse_all(docs: list[Doc], kn: Knowledge, workers: int) -> Iterable[tuple]:
    """Blocks of :func:`_analyse_block` results, in order; in ``workers`` forked processes when > 1."""
    if workers <= 1 or len(docs) < 2:
        yield _analyse_block(docs, kn)
        return
    import multiprocessing as mp

    global _BUILD_DOCS
    size = max(500, min(BLOCK_DOCS, -(-len(docs) // (workers * 4))))
    bounds = [(i, min(i + size, len(docs))) for i in range(0, len(docs), size)]
    _BUILD_DOCS = docs
    try:
        with mp.get_context("fork").Pool(workers, initializer=_worker_init) as pool:
            yield from pool.imap(_analyse_range, bounds)
    finally:
        _BUILD_DOCS = None


def _pool_kinds(kind: str) -> tuple[str, ...]:
    return ("demand", "scenario") if kind == "supply" else ("supply",)


class _Segment:
    """Immutable inverted index over a block of internal doc positions."""

    def __init__(self, rows, csr: sparse.csr_matrix, lens: np.ndarray):
        """``csr``: one row per position in ``rows``, duplicates already summed; ``lens``: (n, 2)."""
        self.rows = np.asarray(rows, dtype=np.int64)  # internal positions
        self.df = np.bincount(csr.indices, minlength=csr.shape[1]).astype(np.float64)
        self.csc = csr.tocsc()
        self.csc.sort_indices()
        self.lens = np.asarray(lens, dtype=np.float32).reshape(-1, 2)  # word length, bigram length

    def to_csr(self) -> sparse.csr_matrix:
        return self.csc.tocsr()

    def scores(self, qterms: np.ndarray, qweights: np.ndarray, is_bigram: np.ndarray, avg: np.ndarray):
        n = len(self.rows)
        out = np.zeros(n, dtype=np.float32)
        if n == 0 or len(qterms) == 0:
            return out, np.zeros(n, dtype=bool)
        ncols = self.csc.shape[1]
        indptr, indices, data = self.csc.indptr, self.csc.indices, self.csc.data
        kw = K1 * (1 - B + B * self.lens[:, 0] / max(avg[0], 1e-6))
        kb = K1 * (1 - B + B * self.lens[:, 1] / max(avg[1], 1e-6))
        rows_l, vals_l = [], []
        wrows_l = []
        for t, w, isb in zip(qterms, qweights, is_bigram):
            if t >= ncols:
                continue
            a, b = indptr[t], indptr[t + 1]
            if a == b:
                continue
            r = indices[a:b]
            tf = data[a:b]
            k = kb[r] if isb else kw[r]
            rows_l.append(r)
            vals_l.append(w * tf * (K1 + 1) / (tf + k))
            if not isb:
                wrows_l.append(r)
        if rows_l:
            out = np.bincount(np.concatenate(rows_l), weights=np.concatenate(vals_l), minlength=n).astype(np.float32)
        words = np.zeros(n, dtype=bool)
        if wrows_l:
            words[np.concatenate(wrows_l)] = True
        return out, words


class MatchEngine:
    """Ranks listings for a listing.  See the module docstring for the scoring."""

    def __init__(self, merge_threshold: int | None = None):
        self.kn = knowledge()
        self.vocab = self.kn.vocab
        self.terms = self.kn.terms
        self._docs: list[Doc | None] = []
        self._feat: list[_Features | None] = []
        self._pos: dict = {}
        self._alive = np.zeros(0, dtype=bool)
        self._kind = np.zeros(0, dtype=np.int8)  # 0 supply, 1 demand, 2 scenario
        self._ent = np.zeros(0, dtype=np.int64)
        self._zone: list[str] = []
        self._ent_ids: dict[str, int] = {}
        self._main: _Segment | None = None
        self._main_n = 0
        self._delta: _Segment | None = None
        self._delta_dirty = False
        self._delta_rows: list[int] = []
        self._delta_vec: dict[int, tuple] = {}  # position -> (term ids, weights, (word len, bigram len))
        self._df = np.zeros(0, dtype=np.float64)
        self._n_stats = 0
        self._avg = np.array([1.0, 1.0])
        self.merge_threshold = merge_threshold
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ building

    def _parts(self, doc: Doc) -> dict:
        return _doc_parts(doc, self.kn)

    def _global_cols(self, cols: np.ndarray, terms: list[str]) -> np.ndarray:
        """Block-local term numbers -> this process's term ids."""
        tid = self.kn.term_id
        lut = np.fromiter((tid(t) for t in terms), dtype=np.int32, count=len(terms))
        return lut[cols] if len(cols) else cols

    def _features(self, pos: int) -> _Features:
        """Re-ranking features of a position (kept as the plain tuple a build block returned until
        first used)."""
        f = self._feat[pos]
        if type(f) is tuple:
            f = self._feat[pos] = _Features.from_state(f)
        return f

    def _ent_id(self, ent: str, pos: int) -> int:
        return self._ent_ids.setdefault(ent, len(self._ent_ids)) if ent else -1 - pos

    @staticmethod
    def _kind_code(kind: str) -> int:
        return {"supply": 0, "demand": 1, "scenario": 2}.get(kind, 3)

    def index(self, docs: Iterable[Doc], workers: int | None = None) -> None:
        """Full (re)build from scratch.

        Listings are analysed in blocks; from ``PARALLEL_MIN`` listings on, the blocks go to
        ``workers`` forked processes (default: $LIANTONG_MATCH_WORKERS or the usable CPUs), each
        returning a block-local CSR that is renumbered into this process's term ids here.  The main
        segment is then one ``scipy.sparse`` matrix built in a single pass."""
        docs = list(docs)
        with self._lock, (_GCPaused() if len(docs) >= GC_PAUSE_MIN else contextlib.nullcontext()):
            self.__init__(merge_threshold=self.merge_threshold)
            n = len(docs)
            nw = _workers(workers) if n >= PARALLEL_MIN else 1
            indptrs, cols_l, data_l, lens_l = [], [], [], []
            feats: list = []
            zones: list[str] = []
            ents: list[str] = []
            off = 0
            for indptr, cols, data, terms, lens, bfeats, bzones, bents in _analyse_all(docs, self.kn, nw):
                indptrs.append(indptr[1:] + off)
                off += int(indptr[-1])
                cols_l.append(self._global_cols(cols, terms))
                data_l.append(data)
                lens_l.append(lens)
                feats.extend(bfeats)
                zones.extend(bzones)
                ents.extend(bents)
            indptr = np.concatenate([np.zeros(1, np.int64)] + indptrs)
            csr = sparse.csr_matrix((np.concatenate(data_l) if data_l else np.zeros(0, np.float32),
                                     np.concatenate(cols_l) if cols_l else np.zeros(0, np.int32), indptr),
                                    shape=(n, max(len(self.terms), 1)))
            lens = np.concatenate(lens_l) if lens_l else np.zeros((0, 2))
            self._docs = list(docs)
            self._feat = feats
            self._zone = zones
            self._pos = {}
            alive = np.fromiter((bool(d.active) for d in docs), dtype=bool, count=n)
            live = None
            for pos, d in enumerate(docs):
                old = self._pos.get(d.id)
                if old is not None:  # later duplicates replace earlier ones
                    alive[old] = False
                    self._docs[old] = None
                    self._feat[old] = None
                    live = live if live is not None else np.ones(n, dtype=bool)
                    live[old] = False
                self._pos[d.id] = pos
            self._kind = np.fromiter((self._kind_code(d.kind) for d in docs), dtype=np.int8, count=n)
            self._ent = np.fromiter((self._ent_id(e, i) for i, e in enumerate(ents)), dtype=np.int64, count=n)
            self._alive = alive
            rows = np.arange(n, dtype=np.int64)
            if live is not None:
                rows, csr, lens = rows[live], csr[live], lens[live]
            self._set_main(rows, csr, lens)

    def _set_main(self, rows: np.ndarray, csr: sparse.csr_matrix, lens: np.ndarray) -> None:
        self._main = _Segment(rows, csr, lens)
        self._df = self._main.df
        self._n_stats = max(len(rows), 1)
        self._avg = np.maximum(lens.mean(axis=0), 1.0) if len(rows) else np.ones(2)
        self._main_n = len(self._docs)
        self._delta = None
        self._delta_rows = []
        self._delta_vec = {}
        self._delta_dirty = False

    def _vec_csr(self, positions: list[int]) -> tuple[sparse.csr_matrix, np.ndarray]:
        vecs = [self._delta_vec[p] for p in positions]
        indptr = np.zeros(len(vecs) + 1, dtype=np.int64)
        np.cumsum([len(v[0]) for v in vecs], out=indptr[1:])
        ids = np.concatenate([v[0] for v in vecs]) if vecs else np.zeros(0, np.int32)
        vals = np.concatenate([v[1] for v in vecs]) if vecs else np.zeros(0, np.float32)
        csr = sparse.csr_matrix((vals, ids, indptr), shape=(len(vecs), max(len(self.terms), 1)))
        return csr, np.asarray([v[2] for v in vecs], dtype=np.float64).reshape(-1, 2)

    def _rebuild_main(self) -> None:
        """Merge the live rows of the main and delta segments into one main segment (no re-analysis)."""
        ncols = max(len(self.terms), 1)
        parts_rows, parts_csr, parts_lens = [], [], []
        if self._main is not None and len(self._main.rows):
            keep = np.fromiter((self._docs[p] is not None for p in self._main.rows.tolist()), dtype=bool,
                               count=len(self._main.rows))
            m = self._main.to_csr()[keep]
            m.resize((m.shape[0], ncols))
            parts_rows.append(self._main.rows[keep])
            parts_csr.append(m)
            parts_lens.append(self._main.lens[keep].astype(np.float64))
        rows = [p for p in self._delta_rows if self._docs[p] is not None]
        if rows:
            c, ln = self._vec_csr(rows)
            parts_rows.append(np.asarray(rows, dtype=np.int64))
            parts_csr.append(c)
            parts_lens.append(ln)
        if parts_csr:
            csr = sparse.vstack(parts_csr, format="csr")
            self._set_main(np.concatenate(parts_rows), csr, np.concatenate(parts_lens))
        else:
            self._set_main(np.zeros(0, np.int64), sparse.csr_matrix((0, ncols), dtype=np.float32), np.zeros((0, 2)))

    def update(self, doc: Doc) -> None:
        """Add or replace one listing without rebuilding the main index."""
        with self._lock:
            if self._main is None:
                self.index([doc])
                return
            old = self._pos.get(doc.id)
            if old is not None:
                self._alive[old] = False
                self._docs[old] = None
                self._feat[old] = None
                self._delta_vec.pop(old, None)
            indptr, cols, data, terms, lens, feats, zones, ents = _analyse_block([doc], self.kn)
            ids = self._global_cols(cols, terms)
            pos = len(self._docs)
            self._docs.append(doc)
            self._feat.append(feats[0])
            self._zone.append(zones[0])
            self._pos[doc.id] = pos
            self._grow_arrays([self._kind_code(doc.kind)], [self._ent_id(ents[0], pos)], [bool(doc.active)])
            self._delta_vec[pos] = (ids, data, (float(lens[0, 0]), float(lens[0, 1])))
            # unseen terms get a document frequency so that their idf is defined
            if len(self._df) < len(self.terms):
                self._df = np.concatenate([self._df, np.zeros(len(self.terms) - len(self._df))])
            self._df[ids] += 1  # ids are unique within a row
            self._delta_rows.append(pos)
            self._delta_dirty = True
            limit = self.merge_threshold or max(2000, self._main_n // 10)
            if len(self._delta_rows) > limit:
                self._rebuild_main()

    def _grow_arrays(self, new_kinds, new_ents, new_alive):
        self._kind = np.concatenate([self._kind, np.asarray(new_kinds, dtype=np.int8)])
        self._ent = np.concatenate([self._ent, np.asarray(new_ents, dtype=np.int64)])
        self._alive = np.concatenate([self._alive, np.asarray(new_alive, dtype=bool)])

    def remove(self, doc_id) -> bool:
        with self._lock:
            pos = self._pos.pop(doc_id, None)
            if pos is None:
                return False
            self._alive[pos] = False
            self._docs[pos] = None
            self._feat[pos] = None
            self._delta_vec.pop(pos, None)
            return True

    def __len__(self) -> int:
        return int(self._alive.sum())

    def _delta_segment(self) -> _Segment | None:
        if self._delta_dirty:
            rows = [i for i in self._delta_rows if self._docs[i] is not None]
            self._delta_rows = rows
            if rows:
                csr, lens = self._vec_csr(rows)
                self._delta = _Segment(rows, csr, lens)
            else:
                self._delta = None
            self._delta_dirty = False
        return self._delta

    # ------------------------------------------------------------------ querying

    def _idf(self, tids: np.ndarray) -> np.ndarray:
        n = self._n_stats
        df = np.where(tids < len(self._df), self._df[np.minimum(tids, len(self._df) - 1)] if len(self._df) else 0, 0)
        return np.log((n - df + 0.5) / (df + 0.5) + 1.0)

    def _query_vector(self, weighted_terms: dict[str, float]):
        tids, ws, isb = [], [], []
        for t, w in weighted_terms.items():
            tid = self.vocab.get(t)
            if tid is None:
                continue
            tids.append(tid)
            mult = BIGRAM_WEIGHT if t[0] == "b" else (CONCEPT_BOOST if t[0] == "c" else 1.0)
            ws.append(w * mult)
            isb.append(t[0] == "b")
        tids = np.asarray(tids, dtype=np.int64)
        ws = np.asarray(ws, dtype=np.float64) * (self._idf(tids) if len(tids) else 1.0)
        return tids, ws, np.asarray(isb, dtype=bool)

    def _score_all(self, weighted_terms: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """-> (positions, scores) over main + delta segments."""
        tids, ws, isb = self._query_vector(weighted_terms)
        pos_parts, sc_parts, w_parts = [], [], []
        for seg in (self._main, self._delta_segment()):
            if seg is None or len(seg.rows) == 0:
                continue
            pos_parts.append(seg.rows)
            sc, wd = seg.scores(tids, ws, isb, self._avg)
            sc_parts.append(sc)
            w_parts.append(wd)
        if not pos_parts:
            return np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, bool)
        return np.concatenate(pos_parts), np.concatenate(sc_parts), np.concatenate(w_parts)

    def _query_terms(self, qparts: dict, qfeat: _Features) -> dict[str, float]:
        """Query term weights: field weight, parents and the poster's own context count less."""
        ctx_only = {("c:" + c) for c in qfeat.ctx}
        weighted: dict[str, float] = {}
        for fname, fw in QUERY_WEIGHTS.items():
            for t in qparts[fname]["terms"]:
                w = fw
                if t[0] == "p":
                    t = "c:" + t[2:]
                    w = fw * PARENT_QUERY_WEIGHT
                elif t in ctx_only:
                    w = fw * CTX_QUERY_WEIGHT
                if weighted.get(t, 0.0) < w:
                    weighted[t] = w
        return weighted

    def match(self, query: Doc, limit: int = 10) -> list[Match]:
        """Best candidates for ``query`` (which need not be indexed)."""
        with self._lock:
            if self._main is None or limit <= 0:
                return []
            qparts = self._parts(query)
            qfeat = _Features(query, self.kn, qparts)
            weighted = self._query_terms(qparts, qfeat)
            if not weighted:
                return []
            positions, scores, has_word = self._score_all(weighted)
            if len(positions) == 0:
                return []
            # scenario items: add the best single-item score
            if qfeat.items:
                best = np.zeros_like(scores)
                for item in qfeat.items:
                    it = {}
                    for t in analyze(item, self.kn)["terms"]:
                        if t[0] == "p":
                            t2 = "c:" + t[2:]
                            it[t2] = max(it.get(t2, 0.0), PARENT_QUERY_WEIGHT)
                        else:
                            it[t] = 1.0
                    if not it:
                        continue
                    _, s, _ = self._score_all(it)
                    np.maximum(best, s, out=best)
                scores = scores + ITEM_WEIGHT * best
            # pool mask
            pool = np.zeros(4, dtype=bool)
            pool[[self._kind_code(k) for k in _pool_kinds(query.kind)]] = True
            mask = pool[self._kind[positions]] & self._alive[positions] & (scores > 0)
            qent = normalize(query.enterprise).strip()
            if qent and qent in self._ent_ids:
                mask &= self._ent[positions] != self._ent_ids[qent]
            qpos = self._pos.get(query.id)
            if qpos is not None:
                mask &= positions != qpos
            cand = np.nonzero(mask)[0]
            if len(cand) == 0:
                return []
            depth = min(len(cand), max(RERANK_DEPTH, limit * 5))
            top = cand[np.argpartition(-scores[cand], depth - 1)[:depth]] if len(cand) > depth else cand
            base_max = float(scores[top].max()) or 1.0
            results = []
            for j in top:
                pos = int(positions[j])
                doc = self._docs[pos]
                feat = self._features(pos)
                f, why = self._rerank(query, qfeat, bool(has_word[j]), doc, feat, pos)
                results.append((float(scores[j]) * f, pos, why, float(scores[j])))
            results.sort(key=lambda x: -x[0])
            out = []
            for s, pos, why, raw in results[:limit]:
                doc = self._docs[pos]
                why = self._explain(query, qparts, qfeat, doc, pos, why)
                why["score_text"] = round(raw / base_max, 4)
                out.append(Match(id=doc.id, score=round(s, 6), why=why))
            return out

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

    def _rerank(self, query: Doc, qf: _Features, has_word: bool, doc: Doc, f: _Features, pos: int):
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
        zq, zd = normalize(query.zone), self._zone[pos]
        if zq and zq == zd and zq not in ("其他", "other"):
            factor *= ZONE_BONUS
        if doc.updated:
            age_days = max(0.0, (time.time() - float(doc.updated)) / 86400.0)
            factor *= 0.85 + 0.15 * math.pow(0.5, age_days / FRESH_HALF_LIFE_DAYS)
        return factor, notes

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
