"""The shortcuts that make ``match()`` fast (issue 12, item 9) give the answers of the long way: the explanation
reads each listing's concept surfaces stored at indexing instead of searching its text; the candidates are
taken above a sampled threshold instead of from every positive score; the scatter-add runs in scipy's C++
loop; the domain gate is read off the word part of the scores. Pure tests (no database)."""

import pickle
import random

import numpy as np
import pytest

from liantong.matching.engine import Doc, MatchEngine, analyze, knowledge, scoring
from liantong.matching.engine.reasons import surfaces_in
from liantong.matching.evaluation import load_listings

from .test_engine import DEV_DIR, REPO_ROOT, demand, supply

needs_dev = pytest.mark.skipif(not (DEV_DIR and (DEV_DIR / "listings.jsonl").exists()),
                               reason="development listings not available")


def _text_surfaces(doc: Doc, concept: str) -> set[str]:
    """The long way: the listing's text normalised and rewritten again, and the concept's surfaces searched
    there (what ``_explain`` did for every result before the surfaces were stored)."""
    kws = doc.keywords or []
    joined = "\x00".join(analyze(t)["_joined"] for t in (
        doc.title or "", "、".join(str(k) for k in kws if k), doc.node or "", doc.description or ""))
    return surfaces_in(joined, concept, knowledge())


def _explain_the_long_way(engine: MatchEngine, monkeypatch):
    """Make ``engine`` find each result's surfaces in its text, as before they were stored."""
    def from_text(pos):
        doc, kn = engine._docs[pos], engine.kn
        return {c: frozenset(s) for c in engine._features(pos).all_c if c in kn.surfaces_of
                for s in [_text_surfaces(doc, c)] if s}
    monkeypatch.setattr(engine, "_doc_surfaces", from_text)


@pytest.fixture(scope="module")
def dev_docs():
    return load_listings(DEV_DIR)


@needs_dev
def test_the_stored_surfaces_of_every_listing_are_those_found_in_its_text(dev_docs, tmp_path):
    engine = MatchEngine()
    engine.index(dev_docs)
    engine.update(supply("NEW", "锦纶66切片（尼龙66）", "PA66注塑级，相对粘度2.7", keywords=["聚己二酰己二胺"]))
    engine.save(tmp_path / "idx.pickle")
    loaded = MatchEngine.load(tmp_path / "idx.pickle")
    kn = knowledge()
    checked = 0
    for e in (engine, loaded):
        for pos in range(len(e._docs)):
            doc = e._docs[pos]
            if doc is None:
                continue
            stored = e._doc_surfaces(pos)
            for c in e._features(pos).all_c:
                if c in kn.surfaces_of:
                    assert stored.get(c, frozenset()) == _text_surfaces(doc, c), (doc.id, c)
                    checked += 1
    assert checked > 1000
    new = engine._doc_surfaces(engine._pos["NEW"])
    assert new[kn.concept("尼龙66")] >= {"尼龙66"}


@needs_dev
def test_explanations_from_stored_surfaces_read_as_those_from_the_text(dev_docs, monkeypatch):
    engine = MatchEngine()
    engine.index(dev_docs)
    queries = dev_docs[::7]
    fast = [[(m.id, m.why) for m in engine.match(q, 10)] for q in queries]
    _explain_the_long_way(engine, monkeypatch)
    slow = [[(m.id, m.why) for m in engine.match(q, 10)] for q in queries]
    for a, b in zip(fast, slow):
        assert [i for i, _ in a] == [i for i, _ in b]
        for (_, wa), (_, wb) in zip(a, b):
            wa, wb = dict(wa), dict(wb)
            wa.pop("freshness_days"), wb.pop("freshness_days")  # the clock moved between the two
            assert wa == wb
    assert any(m_why["synonyms"] for r in fast for _, m_why in r)  # synonyms were explained at all


def test_a_synonym_is_explained_for_a_listing_added_after_the_build():
    engine = MatchEngine()
    engine.index([supply("S1", "船用焊丝", "CCS认可"), demand("D1", "采购环己酮", "纯度99.9%", enterprise="买方")])
    engine.update(supply("S2", "环己烯水合法安酮", "纯度≥99.9%，槽车外销"))
    [hit] = [m for m in engine.match(demand("Q", "采购环己酮", "纯度99.9%", enterprise="买方乙"), 5) if m.id == "S2"]
    assert any("环己酮" in s and "安酮" in s for s in hit.why["synonyms"])


# ------------------------------------------------------------------ candidates above a sampled threshold


def _all_positive(scores, keep, want):
    return keep(np.flatnonzero(scores > 0))


def _best(scores, idx, want):
    return np.sort(scores[idx])[::-1][:want]


@pytest.mark.parametrize("seed", range(40))
def test_the_sampled_threshold_keeps_the_best_candidates_of_the_pool(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(100, 60_000))
    scores = rng.gamma(1.0, 2.0, n).astype(np.float32)
    scores[rng.random(n) < rng.uniform(0, 0.999)] = 0  # from almost none to almost all scores zero
    if seed % 5 == 0:
        scores = np.round(scores)  # many ties
    banned = rng.random(n) < rng.uniform(0, 0.9)  # the pool filter rejects from none to most

    def keep(idx):
        return idx[~banned[idx]]

    want = int(rng.choice([10, 50, 120]))
    got = scoring._best_of_pool(scores, keep, want)
    full = _all_positive(scores, keep, want)
    assert set(got.tolist()) <= set(full.tolist())
    assert np.array_equal(_best(scores, got, want), _best(scores, full, want))


@needs_dev
def test_matches_over_many_listings_are_those_of_filtering_every_score(monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("match_bench", REPO_ROOT / "benchmarks" / "match_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    docs = bench.synthetic_docs(9000, DEV_DIR)
    engine = MatchEngine()
    engine.index(docs, workers=1)
    monkeypatch.setattr(scoring, "RERANK_DEPTH", 10)  # the threshold applies from 16·4·50 pool rows on
    rng = random.Random(3)
    queries = [Doc(**{**d.__dict__, "id": f"Q{i}"}) for i, d in enumerate(rng.sample(docs, 40))]
    used = []
    real = scoring._best_of_pool

    def spy(scores, keep, want):
        got = real(scores, keep, want)
        used.append(len(got) < len(_all_positive(scores, keep, want)))
        return got

    monkeypatch.setattr(scoring, "_best_of_pool", spy)
    fast = [[(m.id, m.score) for m in engine.match(q, 10)] for q in queries]
    assert sum(used) >= len(queries) // 2  # the threshold was used, not only the fallback
    monkeypatch.setattr(scoring, "_best_of_pool", _all_positive)
    slow = [[(m.id, m.score) for m in engine.match(q, 10)] for q in queries]
    for a, b in zip(fast, slow):
        assert [i for i, _ in a] == [i for i, _ in b]
        assert [s for _, s in a] == pytest.approx([s for _, s in b], rel=1e-6)  # freshness: the clock moved


# ------------------------------------------------------------------ the scatter-add and the domain gate


def _numpy_scores(seg, qterms, qweights, group):
    """The long way: one numpy scatter-add per term."""
    lo, hi = seg.span(group)
    out = np.zeros(hi, dtype=np.float32)
    starts = seg.csc.indptr if group == 0 else seg.cuts[0]
    for t, w in zip(qterms, qweights):
        if t >= seg.csc.shape[1]:
            continue
        a, b = int(starts[t]), int(seg.cuts[group][t])
        out[seg.csc.indices[a:b]] += seg.imp[a:b] * w
    return out[lo:]


@needs_dev
def test_the_scatter_add_gives_the_sums_of_one_numpy_add_per_term_to_the_bit(dev_docs):
    engine = MatchEngine()
    engine.index(dev_docs)
    seg = engine._main
    for q in dev_docs[::5]:
        qparts = engine._parts(q)
        weighted = engine._query_terms(qparts, scoring._Features(q, engine.kn, qparts))
        tids, ws, isb = engine._query_vector(weighted)
        group = scoring._pool_group(q.kind)
        qt, qw = tids.tolist(), ws.tolist()
        assert np.array_equal(seg.scores(qt, qw, group), _numpy_scores(seg, qt, qw, group))
        # the word part: positive exactly where a listing holds a query word or concept
        words = [not b for b in isb.tolist()]
        _, part = seg.scores(qt, qw, group, words)
        lo, hi = seg.span(group)
        held = seg.holding_each([t for t, w in zip(qt, words) if w], np.arange(lo, hi)).any(axis=0)
        assert np.array_equal(part > 0, held)


# ------------------------------------------------------------------ the stored form


@needs_dev
def test_a_loaded_index_decodes_every_listing_as_it_was_indexed(dev_docs, tmp_path):
    docs = [*dev_docs[:50], Doc(id=7, kind="demand", title="无时间的需求", keywords=[], updated=None, stage=None),
            Doc(id="k", kind="supply", title="关键词", keywords=["甲", "乙丙"], updated=1.5, stage=0, active=False)]
    engine = MatchEngine()
    engine.index(docs)
    engine.save(tmp_path / "idx.pickle")
    loaded = MatchEngine.load(tmp_path / "idx.pickle")
    assert [loaded._docs[i] for i in range(len(docs))] == docs


def test_an_index_stored_in_another_format_is_refused(tmp_path, monkeypatch):
    engine = MatchEngine()
    engine.index([supply("S1", "尼龙66切片"), demand("D1", "采购尼龙66")])
    path = tmp_path / "idx.pickle"
    monkeypatch.setattr(scoring, "STORE_FORMAT", scoring.STORE_FORMAT - 1)
    engine.save(path)
    monkeypatch.undo()
    with pytest.raises(ValueError, match="another format"):
        MatchEngine.load(path)
    assert pickle.loads(pickle.dumps(engine)).match(demand("Q", "采购尼龙66"), 1)[0].id == "S1"
