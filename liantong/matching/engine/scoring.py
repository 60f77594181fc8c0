"""Retrieval and the engine: two BM25 fields (words/concepts, character bigrams) over one inverted index
(scipy CSC with precomputed impacts, cut by pool), built in blocks (in forked workers from ``PARALLEL_MIN``
listings on), updated through a delta segment; :class:`MatchEngine` scores a listing's pool, re-ranks the
best ``RERANK_DEPTH`` bound-first (:mod:`.reranking`) and explains the results (:mod:`.reasons`); the
stored form (``save`` / ``load``) keeps listings and features as columns and byte strings."""

from __future__ import annotations

import contextlib
import heapq
import threading
import time
from collections.abc import Iterable

import numpy as np
from scipy import sparse

from .analysis import analyze, analyze_names
from .documents import Doc, Match
from .knowledge import Knowledge, knowledge, normalize
from .reasons import _QueryReasons, _Reasons, concept_surfaces
from .reranking import FRESH_HALF_LIFE_DAYS, ZONE_BONUS, _Features, _Reranking

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
RERANK_DEPTH = 120


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

    Returns ``(indptr, cols, data, terms, lens, feats, zones, ents, surf)``: one CSR row per listing whose
    column ``cols[k]`` names the term ``terms[cols[k]]`` (block-local numbering, so that a worker
    process's term ids never leak out), BM25 field lengths ``(n, 2)`` (words, bigrams), the
    re-ranking features and the normalised zone and enterprise of every listing, and ``surf`` =
    ``(indptr, ids, table)``: per listing the block-local numbers of its ``(concept, surface forms)``
    entries (:func:`.reasons.concept_surfaces`), ``table[id]`` the entry."""
    idx_parts: list[np.ndarray] = []
    wts: list[float] = []
    cnts: list[int] = []
    row_nnz = np.zeros(len(docs), dtype=np.int64)
    lens = np.zeros((len(docs), 2), dtype=np.float64)
    feats, zones, ents = [], [], []
    surf_code: dict[tuple, int] = {}
    surf_ids: list[int] = []
    surf_nnz = np.zeros(len(docs), dtype=np.int64)
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
        feat = _Features(doc, kn, parts)
        feats.append(feat.__getstate__())  # a plain tuple pickles in C
        found = concept_surfaces(parts, feat.all_c, kn)
        surf_ids.extend(surf_code.setdefault(e, len(surf_code)) for e in found)
        surf_nnz[row] = len(found)
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
    surf_ptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(surf_nnz, out=surf_ptr[1:])
    surf = (surf_ptr, np.asarray(surf_ids, dtype=np.int32), list(surf_code))
    return (csr.indptr.astype(np.int64), csr.indices.astype(np.int32), csr.data.astype(np.float32),
            [terms[i] for i in uniq.tolist()], lens, feats, zones, ents, surf)


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


try:  # the C++ loop behind ``csc_matrix @ vector``, adding into an array we give it
    from scipy.sparse._sparsetools import csc_matvec as _csc_matvec
except ImportError:  # pragma: no cover - another scipy layout: the public route below
    _csc_matvec = None


def _accumulate(out: np.ndarray, indices: np.ndarray, imp: np.ndarray, ranges: list[tuple[int, int, float]]) -> None:
    """``out[indices[a:b]] += imp[a:b]·w`` for each ``(a, b, w)`` in ``ranges``, in their order (a range's
    postings name each row once).

    The ranges' postings are gathered into one small CSC matrix (a column per term) and added by scipy's
    C++ matrix–vector loop: per row the same float32 products added in the same order as one numpy
    scatter-add per term, so the same sums to the bit, in half the time (the per-term numpy calls each
    built a temporary, read and wrote back through a fancy index)."""
    if not ranges:
        return
    idx = np.concatenate([indices[a:b] for a, b, _ in ranges])
    val = np.concatenate([imp[a:b] for a, b, _ in ranges])
    ptr = np.zeros(len(ranges) + 1, dtype=idx.dtype)
    np.cumsum([b - a for a, b, _ in ranges], out=ptr[1:])
    w = np.asarray([w for _, _, w in ranges], dtype=np.float32)
    if _csc_matvec is not None:
        _csc_matvec(len(out), len(ranges), ptr, idx, val, w, out)
    else:  # pragma: no cover
        out += sparse.csc_matrix((val, idx, ptr), shape=(len(out), len(ranges))) @ w


def _best_of_pool(scores: np.ndarray, keep, want: int) -> np.ndarray:
    """Indices of positive ``scores`` kept by ``keep`` (the pool filter) that include the ``want`` best of
    them (all of them when fewer): the re-ranking's candidates, before the cut to ``want``.

    A threshold is read off a strided sample (every 16th score; its ``4·want / 16``-th best, so that about
    ``4·want`` scores reach it); the scores reaching it are filtered, and if at least ``want`` of them are
    kept, every kept score left out is below each taken one, so the best ``want`` are among them — the same
    candidates as filtering every positive score, without partitioning the whole pool (most of a query's
    time at 200,000 listings when it did). Otherwise every positive score is filtered."""
    n, step = len(scores), 16
    sample_k = 4 * want // step
    if sample_k and n > 16 * 4 * want:
        sample = scores[::step]
        sample = sample[sample > 0]  # most scores are often 0: partitioning many equal values is slow
        t = float(np.partition(sample, len(sample) - sample_k)[len(sample) - sample_k]) if len(sample) >= sample_k else 0.0
        if t > 0:
            cand = keep(np.flatnonzero(scores >= t))
            if len(cand) >= want:
                return cand
    return keep(np.flatnonzero(scores > 0))


def _pool_kinds(kind: str) -> tuple[str, ...]:
    return ("demand", "scenario") if kind == "supply" else ("supply",)


_GROUP = np.array([0, 1, 1, 2], dtype=np.int8)  # kind code -> pool group: supply, demand/scenario, other


def _pool_group(kind: str) -> int:
    """The group of listings a query of ``kind`` ranks (see :func:`_pool_kinds`)."""
    return 1 if kind == "supply" else 0


class _Segment:
    """Immutable inverted index over a block of internal doc positions.

    Per term, the rows holding it and their *impacts* — the BM25 saturated term frequency
    ``tf·(k1+1)/(tf+k1·(1-b+b·len/avg))``, computed once here (the lengths and their averages are fixed for
    the segment's life), so that a query only adds ``weight·idf·impact`` per posting (as bm25s does). Rows are
    ordered by pool group (supply first, then demand and scenario, then any other kind) and each term's
    postings are cut at the group boundaries, so a query scores only the listings of its own pool."""

    def __init__(self, rows, csr: sparse.csr_matrix, lens: np.ndarray, avg: np.ndarray, kinds: np.ndarray):
        """``csr``: one row per position in ``rows``, duplicates already summed; ``lens``: (n, 2);
        ``avg``: the average (word, bigram) lengths the engine's statistics use; ``kinds``: kind codes."""
        rows = np.asarray(rows, dtype=np.int64)
        lens = np.asarray(lens, dtype=np.float32).reshape(-1, 2)
        group = _GROUP[np.asarray(kinds, dtype=np.int64)] if len(rows) else np.zeros(0, np.int8)
        if len(group) and np.any(group[1:] < group[:-1]):
            order = np.argsort(group, kind="stable")
            rows, csr, lens, group = rows[order], csr[order], lens[order], group[order]
        self.rows = rows  # internal positions, by pool group
        self.bounds = np.searchsorted(group, [0, 1, 2, 3]).tolist()  # where each group's rows start / end
        self.df = np.bincount(csr.indices, minlength=csr.shape[1]).astype(np.float64)
        self.csc = csr.tocsc()
        self.csc.sort_indices()
        self.lens = lens  # word length, bigram length
        indptr, indices = self.csc.indptr, self.csc.indices
        ncols = self.csc.shape[1]
        col = np.repeat(np.arange(ncols, dtype=np.int32), np.diff(indptr))
        # cuts[g][t]: where the postings of term t reach the rows of group g + 1
        self.cuts = np.stack([indptr[:-1] + np.bincount(col[indices < b], minlength=ncols)
                              for b in self.bounds[1:3]]).astype(np.int64)
        self._position = np.full(int(rows.max()) + 1 if len(rows) else 0, -1, dtype=np.int32)
        self._position[rows] = np.arange(len(rows), dtype=np.int32)
        self.imp = np.zeros(0, dtype=np.float32)
        self._impacts(avg)

    def _impacts(self, avg: np.ndarray) -> None:
        indptr, indices, tf = self.csc.indptr, self.csc.indices, self.csc.data
        ncols = self.csc.shape[1]
        terms = knowledge().terms
        isb = np.fromiter((terms[i][0] == "b" for i in range(min(ncols, len(terms)))), dtype=bool,
                          count=min(ncols, len(terms)))
        kw = K1 * (1 - B + B * self.lens[:, 0] / max(avg[0], 1e-6))
        kb = K1 * (1 - B + B * self.lens[:, 1] / max(avg[1], 1e-6))
        col_b = np.repeat(np.concatenate([isb, np.zeros(max(ncols - len(isb), 0), bool)]), np.diff(indptr))
        k = np.where(col_b, kb[indices], kw[indices]) if len(indices) else np.zeros(0, np.float32)
        self.imp = (tf * (K1 + 1) / (tf + k)).astype(np.float32)

    def find(self, pos: int) -> int:
        """The segment row of internal position ``pos``, or -1."""
        return int(self._position[pos]) if 0 <= pos < len(self._position) else -1

    def span(self, group: int) -> tuple[int, int]:
        return self.bounds[group], self.bounds[group + 1]

    def to_csr(self) -> sparse.csr_matrix:
        return self.csc.tocsr()

    def scores(self, qterms: list[int], qweights: list[float], group: int,
               words: list[bool] | None = None) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """BM25 scores of the rows of pool ``group`` (:meth:`span`) for query terms ``qterms`` (weights
        already times idf): each row's ``weight·impact`` summed over the terms it holds, in the terms' order
        (:func:`_accumulate`).

        ``words``: per term, whether it is a word or concept (not a character pair). Then the word terms are
        added first and ``(scores, word part)`` returned: the word part (a copy of the sums taken before the
        character pairs are added) is positive exactly where a row holds a query word or concept — the
        re-ranking's domain gate, read off the scores instead of searching each candidate's postings."""
        lo, hi = self.span(group)
        out = np.zeros(hi, dtype=np.float32)
        if hi == lo:
            return out[lo:] if words is None else (out[lo:], out[lo:])
        indptr, cuts = self.csc.indptr, self.cuts
        starts = indptr if group == 0 else cuts[0]
        ends = cuts[group]
        ncols = len(indptr) - 1

        def ranges(sel):
            got = [(int(starts[t]), int(ends[t]), w) for t, w in sel if t < ncols]
            return [(a, b, w) for a, b, w in got if a < b]

        if words is None:
            _accumulate(out, self.csc.indices, self.imp, ranges(zip(qterms, qweights)))
            return out[lo:]
        terms = list(zip(qterms, qweights))
        _accumulate(out, self.csc.indices, self.imp, ranges(t for t, w in zip(terms, words) if w))
        word_part = out[lo:].copy()
        _accumulate(out, self.csc.indices, self.imp, ranges(t for t, w in zip(terms, words) if not w))
        return out[lo:], word_part

    def holding_each(self, terms: list[int], local: np.ndarray) -> np.ndarray:
        """``(len(terms), len(local))``: whether segment row ``local[j]`` holds term ``terms[i]``."""
        out = np.zeros((len(terms), len(local)), dtype=bool)
        indptr, indices = self.csc.indptr, self.csc.indices
        ncols = len(indptr) - 1
        for i, t in enumerate(terms):
            if t >= ncols:
                continue
            a, b = int(indptr[t]), int(indptr[t + 1])
            if a == b:
                continue
            post = indices[a:b]
            k = np.minimum(np.searchsorted(post, local), len(post) - 1)
            out[i] = post[k] == local
        return out


def _adopt_terms(kn: Knowledge, saved: list[str]) -> None:
    """Make this process's term ids those of a saved index: extend them when the process's terms so far are
    the saved list's beginning (a fresh process); otherwise renumber — the saved terms first, this process's
    others after them — and forget the analysis caches, which hold the old numbers."""
    mine = kn.terms
    if mine == saved[:len(mine)]:
        new = saved[len(mine):]
        kn.vocab.update(zip(new, range(len(mine), len(mine) + len(new))))
        mine.extend(new)
        return
    extra = [t for t in mine if t not in set(saved)]
    kn.terms[:] = [*saved, *extra]
    kn.vocab.clear()
    kn.vocab.update((t, i) for i, t in enumerate(kn.terms))
    for memo in (kn.cache, kn.memo, kn.tokens, kn.bigrams, kn.light):
        memo.clear()


# --------------------------------------------------------------------------- the stored form

STORE_FORMAT = 3  # bump when the stored engine's layout changes: a file of another format is rebuilt
_UNREAD = object()


class _Lazy:
    """A list whose items are decoded from their stored form on first access: a loaded index reads the
    listings and features of the few hundred candidates a query re-ranks, not all of them at load."""

    __slots__ = ("_items", "_decode")

    def __init__(self, n: int, decode):
        self._items = [_UNREAD] * n
        self._decode = decode

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i):
        v = self._items[i]
        if v is _UNREAD:
            v = self._items[i] = self._decode(i)
        return v

    def __setitem__(self, i, v) -> None:
        self._items[i] = v

    def append(self, v) -> None:
        self._items.append(v)

    def __iter__(self):
        return (self[i] for i in range(len(self._items)))


_TEXT_FIELDS = ("kind", "chain", "node", "zone", "enterprise", "title", "description", "quantity")


class _StoredDocs:
    """The listings (``Doc``) of an index as columns: per text field one string of every listing's value
    (keywords joined by U+001F) and one matrix of their end offsets (a row per listing, so that decoding a
    listing reads two rows, not two offsets per field), flags, times."""

    _COLUMNS = (*_TEXT_FIELDS, "keywords")

    def __init__(self, docs):
        docs = list(docs)
        n = len(docs)
        self.present = np.fromiter((d is not None for d in docs), dtype=bool, count=n)
        live = [d if d is not None else Doc(id=None, kind="") for d in docs]
        self.ids = [d.id for d in live]
        values = {f: [getattr(d, f) or "" for d in live] for f in _TEXT_FIELDS}
        values["keywords"] = ["\x1f".join(str(k) for k in (d.keywords or [])) for d in live]
        self.text = {f: "".join(values[f]) for f in self._COLUMNS}
        self.ends = np.zeros((n, len(self._COLUMNS)), dtype=np.int64)
        for k, f in enumerate(self._COLUMNS):
            np.cumsum(np.fromiter(map(len, values[f]), dtype=np.int64, count=n), out=self.ends[:, k])
        self.active = np.fromiter((bool(d.active) for d in live), dtype=bool, count=n)
        self.updated = np.fromiter((np.nan if d.updated is None else float(d.updated) for d in live),
                                   dtype=np.float64, count=n)
        self.stage = np.fromiter((-1 if d.stage is None else int(d.stage) for d in live), dtype=np.int16, count=n)

    def __call__(self, i: int) -> Doc | None:
        if not self.present[i]:
            return None
        ends = self.ends[i].tolist()
        starts = self.ends[i - 1].tolist() if i else [0] * len(ends)
        text = self.text
        v = {f: text[f][a:b] for f, a, b in zip(self._COLUMNS, starts, ends)}
        kws = v.pop("keywords")
        upd, stage = float(self.updated[i]), int(self.stage[i])
        return Doc(id=self.ids[i], **v, keywords=kws.split("\x1f") if kws else [], active=bool(self.active[i]),
                   updated=None if upd != upd else upd, stage=None if stage < 0 else stage)


class _StoredFeatures:
    """The re-ranking features of an index as one byte string of pickled tuples and their end offsets."""

    def __init__(self, feats):
        import pickle

        blobs = []
        for f in feats:
            if f is None:
                blobs.append(b"")
            else:
                blobs.append(pickle.dumps(f if type(f) is tuple else f.__getstate__(), protocol=5))
        self.blob = b"".join(blobs)
        self.ends = np.cumsum(np.fromiter(map(len, blobs), dtype=np.int64, count=len(blobs)))

    def __call__(self, i: int):
        import pickle

        a, b = (int(self.ends[i - 1]) if i else 0), int(self.ends[i])
        return pickle.loads(self.blob[a:b]) if b > a else None


class MatchEngine(_Reranking, _Reasons):
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
        self._updated = np.zeros(0, dtype=np.float64)  # epoch seconds, 0 when unknown (freshness)
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
        # the surface forms of each listing's concepts in its own text (explanations: synonyms), as entries
        # ``(concept, surfaces)`` numbered in ``_surf_table``: per position built by ``index`` the entry
        # numbers ``_surf_ids[_surf_ptr[p]:_surf_ptr[p + 1]]``, per position added later ``_surf_new[p]``
        self._surf_table: list[tuple[str, frozenset]] = []
        self._surf_code: dict[tuple[str, frozenset], int] = {}
        self._surf_ptr = np.zeros(1, dtype=np.int64)
        self._surf_ids = np.zeros(0, dtype=np.int32)
        self._surf_new: dict[int, tuple[int, ...]] = {}
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

    def _surf_numbers(self, table: list[tuple]) -> np.ndarray:
        """Block-local ``(concept, surfaces)`` entries -> this engine's entry numbers (new ones appended)."""
        code, out = self._surf_code, self._surf_table
        for e in table:
            if e not in code:
                code[e] = len(out)
                out.append(e)
        return np.fromiter((code[e] for e in table), dtype=np.int32, count=len(table))

    def _doc_surfaces(self, pos: int) -> dict[str, frozenset]:
        """Concept -> its surface forms in the text of the listing at ``pos`` (found when it was indexed)."""
        ptr = self._surf_ptr
        if pos < len(ptr) - 1:
            ids = self._surf_ids[int(ptr[pos]):int(ptr[pos + 1])].tolist()
        else:
            ids = self._surf_new.get(pos, ())
        table = self._surf_table
        return dict(table[i] for i in ids)

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
            surf_ptrs, surf_ids, surf_off = [np.zeros(1, np.int64)], [], 0
            feats: list = []
            zones: list[str] = []
            ents: list[str] = []
            off = 0
            for indptr, cols, data, terms, lens, bfeats, bzones, bents, surf in _analyse_all(docs, self.kn, nw):
                sptr, sids, stable = surf
                surf_ptrs.append(sptr[1:] + surf_off)
                surf_off += int(sptr[-1])
                surf_ids.append(self._surf_numbers(stable)[sids] if len(sids) else sids)
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
            self._surf_ptr = np.concatenate(surf_ptrs)
            self._surf_ids = np.concatenate(surf_ids) if surf_ids else np.zeros(0, np.int32)
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
            self._updated = np.fromiter((float(d.updated or 0.0) for d in docs), dtype=np.float64, count=n)
            rows = np.arange(n, dtype=np.int64)
            if live is not None:
                rows, csr, lens = rows[live], csr[live], lens[live]
            self._set_main(rows, csr, lens)

    def _set_main(self, rows: np.ndarray, csr: sparse.csr_matrix, lens: np.ndarray) -> None:
        self._avg = np.maximum(lens.mean(axis=0), 1.0) if len(rows) else np.ones(2)
        self._main = _Segment(rows, csr, lens, self._avg, self._kind[rows])
        self._df = self._main.df
        self._n_stats = max(len(rows), 1)
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
                self._surf_new.pop(old, None)
            indptr, cols, data, terms, lens, feats, zones, ents, (_, sids, stable) = _analyse_block([doc], self.kn)
            ids = self._global_cols(cols, terms)
            pos = len(self._docs)
            self._surf_new[pos] = tuple(self._surf_numbers(stable)[sids].tolist()) if len(sids) else ()
            self._docs.append(doc)
            self._feat.append(feats[0])
            self._zone.append(zones[0])
            self._pos[doc.id] = pos
            self._grow_arrays([self._kind_code(doc.kind)], [self._ent_id(ents[0], pos)], [bool(doc.active)])
            self._updated = np.append(self._updated, float(doc.updated or 0.0))
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
            self._surf_new.pop(pos, None)
            return True

    # ------------------------------------------------------------------ persistence (built once, shared)

    def __getstate__(self) -> dict:
        """The stored form: arrays, a few big strings and byte strings — not millions of Python objects — so
        that a process loads 200,000 listings in well under 2 s (``liantong build-match-index``)."""
        skip = ("kn", "vocab", "terms", "_lock", "_docs", "_feat", "_zone")
        state = {k: v for k, v in self.__dict__.items() if k not in skip}
        state["_format"] = STORE_FORMAT
        state["_term_list"] = list(self.kn.terms)  # the term ids the index's columns and statistics use
        state["_docs"] = _StoredDocs(self._docs)
        state["_feat"] = _StoredFeatures(self._feat)
        zones = list(dict.fromkeys(self._zone))
        code = {z: i for i, z in enumerate(zones)}
        state["_zone"] = (zones, np.fromiter((code[z] for z in self._zone), dtype=np.int32, count=len(self._zone)))
        return state

    def __setstate__(self, state: dict) -> None:
        if state.pop("_format", None) != STORE_FORMAT:
            raise ValueError("a stored matching index of another format")
        saved = state.pop("_term_list")
        docs, feats, (zones, zcodes) = state.pop("_docs"), state.pop("_feat"), state.pop("_zone")
        self.__dict__.update(state)
        self._docs = _Lazy(len(docs.ids), docs)
        self._feat = _Lazy(len(docs.ids), feats)
        self._zone = [zones[c] for c in zcodes.tolist()]
        self.kn = knowledge()
        self._lock = threading.RLock()
        _adopt_terms(self.kn, saved)
        self.vocab, self.terms = self.kn.vocab, self.kn.terms

    def save(self, path) -> int:
        """Write the engine to ``path`` (pickle; written beside it and renamed, so a reader never sees half a
        file); returns its size in bytes."""
        import os
        import pickle

        tmp = f"{path}.{os.getpid()}.tmp"
        with self._lock, open(tmp, "wb") as fh:
            pickle.dump(self, fh, protocol=5)
        os.replace(tmp, path)
        return os.path.getsize(path)

    @staticmethod
    def load(path) -> MatchEngine:
        import pickle

        with open(path, "rb") as fh:
            engine = pickle.load(fh)
        if not isinstance(engine, MatchEngine):
            raise TypeError(f"{path} holds no MatchEngine")
        return engine

    def __len__(self) -> int:
        return int(self._alive.sum())

    def _delta_segment(self) -> _Segment | None:
        if self._delta_dirty:
            rows = [i for i in self._delta_rows if self._docs[i] is not None]
            self._delta_rows = rows
            if rows:
                csr, lens = self._vec_csr(rows)
                self._delta = _Segment(rows, csr, lens, self._avg, self._kind[rows])
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

    def _query_mass(self, weighted_terms: dict[str, float]) -> float:
        """The most the query's words and concepts could score in one listing (every term present,
        saturated): the yardstick of :attr:`Match.why` ``evidence``, comparable across queries, unlike the
        score itself, which grows with the query's length and the rarity of its terms."""
        _, ws, _ = self._query_vector(weighted_terms)
        return float(ws.sum()) * (K1 + 1) if len(ws) else 0.0

    def _segments(self, group: int) -> list[tuple[_Segment, int]]:
        """The segments holding rows of pool ``group``, with the offset of those rows in the concatenated
        score arrays."""
        out, off = [], 0
        for seg in (self._main, self._delta_segment()):
            if seg is None:
                continue
            lo, hi = seg.span(group)
            if hi > lo:
                out.append((seg, off))
                off += hi - lo
        return out

    def _score_all(self, weighted_terms: dict[str, float], segs, group: int, vec=None, word_part: bool = False):
        """-> (positions, scores) of pool ``group`` over the segments ``segs`` (:meth:`_segments`); with
        ``word_part``, (positions, scores, the scores' part from words and concepts: positive exactly where a
        listing holds a query word or concept, not only character pairs — the re-ranking's domain gate)."""
        tids, ws, isb = vec if vec is not None else self._query_vector(weighted_terms)
        qt, qw = tids.tolist(), ws.tolist()
        words = [not b for b in isb.tolist()] if word_part else None
        if not segs:
            empty = (np.zeros(0, np.int64), np.zeros(0, np.float32))
            return empty + (np.zeros(0, np.float32),) if word_part else empty
        parts = []
        for seg, _ in segs:
            got = seg.scores(qt, qw, group, words)
            rows = seg.rows[slice(*seg.span(group))]
            parts.append((rows, *got) if word_part else (rows, got))
        if len(parts) == 1:
            return parts[0]
        return tuple(np.concatenate(col) for col in zip(*parts))

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

    def _pool_filter(self, query: Doc, positions: np.ndarray):
        """A function keeping, of some indices into ``positions``, those in ``query``'s pool: the other
        kinds, active, not the poster's own enterprise, not the query itself."""
        pool = np.zeros(4, dtype=bool)
        pool[[self._kind_code(k) for k in _pool_kinds(query.kind)]] = True
        qent = normalize(query.enterprise).strip()
        qent_id = self._ent_ids.get(qent) if qent else None
        qpos = self._pos.get(query.id)
        kind, alive, ent = self._kind, self._alive, self._ent

        def keep(idx: np.ndarray) -> np.ndarray:
            p = positions[idx]
            m = pool[kind[p]] & alive[p]
            if qent_id is not None:
                m &= ent[p] != qent_id
            if qpos is not None:
                m &= p != qpos
            return idx[m]

        return keep

    def _local_factors(self, pos: np.ndarray, zq: str, now: float) -> tuple[np.ndarray, np.ndarray]:
        """(zone bonus, freshness) of positions ``pos`` for a query from zone ``zq``: the only re-ranking
        factors that can exceed 1 or vary without the concepts, computed for all candidates at once."""
        same = (np.fromiter((self._zone[p] == zq for p in pos.tolist()), dtype=bool, count=len(pos))
                if zq and zq not in ("其他", "other") else np.zeros(len(pos), dtype=bool))
        upd = self._updated[pos]
        age = np.maximum(0.0, (now - upd) / 86400.0)
        fresh = np.where(upd != 0, 0.85 + 0.15 * np.power(0.5, age / FRESH_HALF_LIFE_DAYS), 1.0)
        return same, fresh

    def match(self, query: Doc, limit: int = 10) -> list[Match]:
        """Best candidates for ``query`` (which need not be indexed).

        BM25 over the pool, then the best ``RERANK_DEPTH`` are re-ranked best-bound first: every
        re-ranking factor but the zone bonus and freshness is at most 1, so a candidate whose BM25 score
        times those two cannot beat the ``limit``-th result found so far ends the re-ranking (the same
        results as re-ranking all of them)."""
        with self._lock:
            if self._main is None or limit <= 0:
                return []
            qparts = self._parts(query)
            qfeat = _Features(query, self.kn, qparts)
            weighted = self._query_terms(qparts, qfeat)
            if not weighted:
                return []
            vec = self._query_vector(weighted)
            mass = float(vec[1].sum()) * (K1 + 1) if len(vec[1]) else 0.0
            group = _pool_group(query.kind)
            segs = self._segments(group)
            positions, scores, word_part = self._score_all(weighted, segs, group, vec, word_part=True)
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
                    _, s = self._score_all(it, segs, group)
                    np.maximum(best, s, out=best)
                scores = scores + ITEM_WEIGHT * best
            keep = self._pool_filter(query, positions)
            want = max(RERANK_DEPTH, limit * 5)
            cand = _best_of_pool(scores, keep, want)
            if len(cand) == 0:
                return []
            depth = min(len(cand), want)
            top = cand[np.argpartition(-scores[cand], depth - 1)[:depth]] if len(cand) > depth else cand
            tpos, tsc = positions[top], scores[top].astype(np.float64)
            base_max = float(tsc.max()) or 1.0
            zq = normalize(query.zone)
            now = time.time()
            same_zone, fresh = self._local_factors(tpos, zq, now)
            bound = tsc * (np.where(same_zone, ZONE_BONUS, 1.0) * fresh)
            order = np.argsort(-bound, kind="stable").tolist()
            has_word = word_part[top] > 0
            results, kth = [], []
            for j in order:
                if len(kth) >= limit and bound[j] < kth[0]:
                    break
                pos = int(tpos[j])
                # the listing itself is decoded for the results only (``local`` holds its freshness)
                f, why = self._rerank(query, qfeat, bool(has_word[j]), None, self._features(pos), pos,
                                      local=(bool(same_zone[j]), float(fresh[j])))
                s = float(tsc[j]) * f
                results.append((s, pos, why, float(tsc[j])))
                if len(kth) < limit:
                    heapq.heappush(kth, s)
                elif s > kth[0]:
                    heapq.heapreplace(kth, s)
            results.sort(key=lambda x: -x[0])
            out = []
            qx = _QueryReasons(self, query, qparts, [seg for seg, _ in segs])
            qx.read_words([pos for _, pos, _, _ in results[:limit]])
            for s, pos, why, raw in results[:limit]:
                doc = self._docs[pos]
                why = self._explain(query, qparts, qfeat, doc, pos, why, qx)
                why["score_text"] = round(raw / base_max, 4)
                why["evidence"] = round(s / mass, 4) if mass > 0 else 0.0
                out.append(Match(id=doc.id, score=round(s, 6), why=why))
            return out
