"""Benchmark of the matching engine at scale.

    python benchmarks/match_bench.py [--n 200000] [--queries 200] [--bm25-queries 20] [--dev DIR]

Generates ``n`` synthetic listings (``random.seed(0)``) by recombining the development listings'
titles, keywords and description clauses within a chain, with random variation of figures and
of the enterprise, then measures:

* index build time of :class:`MatchEngine` (jieba segmentation included; wall time and the CPU time
  of this process and of its build workers, and peak RSS);
* p50 / p95 latency of ``match()`` for ``--queries`` queries (drawn from the same generator);
* in the same run, over the *same tokens* (the engine's analysed terms), a plain
  ``rank_bm25.BM25Okapi``: build time and ``get_scores`` latency, and the ratio.

``docs_factory`` lets the integrator plug another source of listings (e.g. the DB generator):
``run(docs_factory=lambda n: [...Doc...])``.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from liantong.matching.engine import Doc, MatchEngine, analyze  # noqa: E402
from liantong.matching.evaluation import load_listings  # noqa: E402

DEFAULT_DEV = ROOT.parent / "shared" / "data" / "matching"
_CLAUSE = re.compile(r"(?<=[，。；])")
_NUM = re.compile(r"\d+(?:\.\d+)?")

FALLBACK = [
    Doc(id="F1", kind="supply", chain="尼龙新材料", node="PA66切片", zone="平顶山", enterprise="甲",
        title="尼龙66注塑级切片", description="相对粘度2.7，月供1000吨，可直接注塑。", keywords=["PA66", "注塑级"]),
    Doc(id="F2", kind="demand", chain="锂电池", node="磷酸铁", zone="白银", enterprise="乙",
        title="采购电池级无水磷酸铁", description="储能型LFP产线需无水正磷酸铁约4000吨/月。", keywords=["磷酸铁"]),
    Doc(id="F3", kind="supply", chain="船舶海工", node="船板", zone="镇江", enterprise="丙",
        title="AH36/DH36船板配送", description="厚度6–40mm，CCS证书，数控切割。", keywords=["船板", "AH36"]),
]


def _vary_numbers(text: str, rng: random.Random) -> str:
    def rep(m):
        if rng.random() < 0.5:
            return m.group(0)
        v = float(m.group(0)) * rng.uniform(0.5, 2.0)
        return str(int(v)) if "." not in m.group(0) else f"{v:.1f}"

    return _NUM.sub(rep, text)


def synthetic_docs(n: int, dev_dir: Path | None = None, seed: int = 0) -> list[Doc]:
    """``n`` listings recombined from the development listings (or a tiny built-in sample)."""
    rng = random.Random(seed)
    random.seed(seed)
    base = load_listings(dev_dir) if dev_dir and Path(dev_dir).is_dir() else FALLBACK
    if base is FALLBACK:
        print(f"no development listings at {dev_dir}: recombining {len(FALLBACK)} built-in samples (pass --dev)")
    by_chain: dict[str, list[Doc]] = {}
    for d in base:
        by_chain.setdefault(d.chain, []).append(d)
    clauses: dict[str, list[str]] = {c: [s for d in ds for s in _CLAUSE.split(d.description) if s] for c, ds in by_chain.items()}
    zones = sorted({d.zone for d in base})
    out = []
    for i in range(n):
        d = rng.choice(base)
        other = rng.choice(by_chain[d.chain])
        pool = clauses[d.chain]
        desc = "".join(_vary_numbers(rng.choice(pool), rng) for _ in range(rng.randint(2, 5)))
        kws = list(dict.fromkeys(rng.sample(d.keywords, min(len(d.keywords), 2)) +
                                 rng.sample(other.keywords, min(len(other.keywords), 1))))
        title = d.title if rng.random() < 0.6 else f"{rng.choice(kws) if kws else ''}{other.title[-6:]}"
        out.append(Doc(
            id=f"G{i:07d}", kind=d.kind if rng.random() < 0.8 else rng.choice(["supply", "demand", "scenario"]),
            chain=d.chain, node=d.node if rng.random() < 0.8 else other.node, zone=rng.choice(zones),
            enterprise=f"{d.enterprise[:4]}{rng.randint(0, n // 3)}号企业", title=_vary_numbers(title, rng),
            description=desc, keywords=kws, quantity=_vary_numbers(d.quantity, rng),
            active=rng.random() > 0.05, updated=time.time() - rng.uniform(0, 3 * 365 * 86400),
        ))
    return out


def _pct(xs: Sequence[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = min(len(xs) - 1, max(0, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


def _cpu() -> tuple[float, float]:
    """(CPU seconds of this process, CPU seconds of its finished child processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _peak_rss_mb() -> tuple[float, float]:
    """Peak resident set size (MB) of this process and of its largest finished child (Linux: KiB)."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def _toks(d: Doc) -> list[str]:
    """The very same analysed terms the engine indexes, as one token list."""
    return [t for f in (d.title, " ".join(d.keywords), d.node, d.description) for t in analyze(f)["terms"]]


def _stored_load(engine: MatchEngine, qdocs: Sequence[Doc]) -> dict:
    """Save the engine as ``liantong build-match-index`` does and load it in a fresh process: the time
    ``MatchEngine.load`` takes there (after the process's own jieba start, timed apart), and ``match()`` over
    the same queries in that process (whose analysis caches are cold: this is what a web worker sees)."""
    import pickle
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "match-index.pickle"
        t = time.perf_counter()
        size = engine.save(path)
        t_save = time.perf_counter() - t
        (Path(tmp) / "queries.pickle").write_bytes(pickle.dumps(list(qdocs)))
        code = ("import sys, time, pickle; sys.path.insert(0, sys.argv[2])\n"
                "t = time.perf_counter(); from liantong.matching.engine import MatchEngine, knowledge; knowledge()\n"
                "t1 = time.perf_counter(); e = MatchEngine.load(sys.argv[1]); t2 = time.perf_counter()\n"
                "qs = pickle.loads(open(sys.argv[3], 'rb').read()); lat = []\n"
                "for q in qs:\n"
                "    t3 = time.perf_counter(); e.match(q, 10); lat.append((time.perf_counter() - t3) * 1000)\n"
                "lat.sort(); p = lambda x: lat[min(len(lat) - 1, int(round(x / 100 * (len(lat) - 1))))]\n"
                "print(round(t1 - t, 2), round(t2 - t1, 2), len(e), round(p(50), 2), round(p(95), 2))")
        out = subprocess.run([sys.executable, "-c", code, str(path), str(ROOT), str(Path(tmp) / "queries.pickle")],
                             capture_output=True, text=True, check=True).stdout.split()
    res = {"stored_mb": round(size / 1e6, 1), "save_s": round(t_save, 2), "process_start_s": float(out[0]),
           "load_s": float(out[1]), "loaded_match_p50_ms": float(out[3]), "loaded_match_p95_ms": float(out[4])}
    print(f"stored index: {res['stored_mb']} MB, saved in {res['save_s']} s; a fresh process loads it in "
          f"{res['load_s']} s (after {res['process_start_s']} s of its own start: imports and jieba); there, "
          f"match() over the same {len(qdocs)} queries with cold analysis caches: p50 "
          f"{res['loaded_match_p50_ms']} ms, p95 {res['loaded_match_p95_ms']} ms")
    return res


def _bm25s(docs: Sequence[Doc], qdocs: Sequence[Doc], res: dict) -> dict:
    """bm25s (scipy-sparse BM25) over the same analysed terms: build, then top-10 retrieval per query."""
    try:
        import bm25s
    except ImportError:  # pragma: no cover
        print("bm25s not installed (pip install '.[bench]'); skipping that comparison")
        return {}
    corpus = [_toks(d) for d in docs]
    t = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    t_build = time.perf_counter() - t
    del corpus
    lat = []
    for q in qdocs:
        qt = list(dict.fromkeys(_toks(q)))
        t = time.perf_counter()
        retriever.retrieve([qt], k=10, show_progress=False)
        lat.append((time.perf_counter() - t) * 1000)
    out = {"bm25s_build_s": round(t_build, 2), "bm25s_p50_ms": round(_pct(lat, 50), 2),
           "bm25s_p95_ms": round(_pct(lat, 95), 2)}
    print(f"bm25s {bm25s.__version__}: build {t_build:.1f}s, retrieve top 10 over {len(lat)} queries: "
          f"p50 {out['bm25s_p50_ms']} ms, p95 {out['bm25s_p95_ms']} ms — MatchEngine.match / bm25s: "
          f"p50 {res['match_p50_ms'] / max(out['bm25s_p50_ms'], 1e-9):.1f}x, "
          f"p95 {res['match_p95_ms'] / max(out['bm25s_p95_ms'], 1e-9):.1f}x (below 1: the engine is faster)")
    return out


def run(n: int = 200_000, queries: int = 200, bm25_queries: int = 20, dev_dir: Path | None = DEFAULT_DEV,
        docs_factory: Callable[[int], Sequence[Doc]] | None = None, with_bm25: bool = True,
        workers: int | None = None) -> dict:
    print("load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} CPUs)")
    t0 = time.perf_counter()
    docs = list(docs_factory(n)) if docs_factory else synthetic_docs(n, dev_dir)
    t_gen = time.perf_counter() - t0
    print(f"generated {len(docs):,} listings in {t_gen:.1f}s")

    rng = random.Random(1)
    qdocs = [Doc(**{**q.__dict__, "id": f"Q{i}"}) for i, q in enumerate(rng.sample(docs, min(queries, len(docs))))]

    gc.collect()
    t0, (c0, k0) = time.perf_counter(), _cpu()
    engine = MatchEngine()
    engine.index(docs, workers=workers)
    t_build, (c1, k1) = time.perf_counter() - t0, _cpu()
    c_build, c_workers = c1 - c0, k1 - k0
    print(f"MatchEngine.index: {t_build:.1f}s wall; CPU {c_build:.1f}s in this process + {c_workers:.1f}s in "
          f"worker processes ({len(engine.terms):,} terms; on a busy machine compare the CPU figures)")

    engine.match(qdocs[0], 10)  # warm-up
    lat = []
    for q in qdocs:
        t = time.perf_counter()
        engine.match(q, 10)
        lat.append((time.perf_counter() - t) * 1000)
    res = {"n": len(docs), "build_s": round(t_build, 2), "build_cpu_s": round(c_build, 2),
           "build_worker_cpu_s": round(c_workers, 2), "match_p50_ms": round(_pct(lat, 50), 2),
           "match_p95_ms": round(_pct(lat, 95), 2), "match_mean_ms": round(statistics.mean(lat), 2)}
    print(f"MatchEngine.match over {len(lat)} queries: p50 {res['match_p50_ms']} ms, p95 {res['match_p95_ms']} ms")

    t = time.perf_counter()
    engine.update(Doc(id="NEW", kind="supply", title="新增尼龙66切片", description="注塑级", enterprise="新"))
    res["update_ms"] = round((time.perf_counter() - t) * 1000, 2)
    t = time.perf_counter()
    engine.match(qdocs[0], 10)
    res["match_after_update_ms"] = round((time.perf_counter() - t) * 1000, 2)
    print(f"update(): {res['update_ms']} ms; first match after update (delta build): {res['match_after_update_ms']} ms")
    res.update(_stored_load(engine, qdocs))
    res["peak_rss_mb"], res["peak_rss_worker_mb"] = (round(x) for x in _peak_rss_mb())
    print(f"peak RSS: {res['peak_rss_mb']} MB in this process, {res['peak_rss_worker_mb']} MB in the largest worker")

    res.update(_bm25s(docs, qdocs, res))
    res["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average after the timings: {res['loadavg_end']}")
    if with_bm25:
        try:
            from rank_bm25 import BM25Okapi
        except ImportError:  # pragma: no cover
            print("rank_bm25 not installed; skipping the comparison")
            return res

        toks = _toks
        t0 = time.perf_counter()
        corpus = [toks(d) for d in docs]  # clause cache is warm: this is mostly list building
        t_tok = time.perf_counter() - t0
        t0 = time.perf_counter()
        bm25 = BM25Okapi(corpus)
        t_bm_build = time.perf_counter() - t0
        del corpus
        blat = []
        for q in qdocs[:bm25_queries]:
            qt = list(dict.fromkeys(toks(q)))
            t = time.perf_counter()
            bm25.get_scores(qt)
            blat.append((time.perf_counter() - t) * 1000)
        res.update({"bm25_build_s": round(t_bm_build, 2), "bm25_token_lists_s": round(t_tok, 2),
                    "bm25_p50_ms": round(_pct(blat, 50), 2), "bm25_p95_ms": round(_pct(blat, 95), 2)})
        res["ratio_p50"] = round(res["bm25_p50_ms"] / max(res["match_p50_ms"], 1e-9), 1)
        print(f"rank_bm25.BM25Okapi: build {t_bm_build:.1f}s (+{t_tok:.1f}s token lists), get_scores over "
              f"{len(blat)} queries: p50 {res['bm25_p50_ms']} ms, p95 {res['bm25_p95_ms']} ms")
        print(f"ratio rank_bm25 / MatchEngine (p50): {res['ratio_p50']}x  "
              f"(the engine's figure includes pool filtering, re-ranking and explanations)")
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--bm25-queries", type=int, default=20, help="rank_bm25 is slow; time fewer queries")
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="folder with listings.jsonl to recombine")
    ap.add_argument("--no-bm25", action="store_true", help="skip rank_bm25 (slow); bm25s always runs")
    ap.add_argument("--workers", type=int, default=None,
                    help="index build processes (default: the engine's: $LIANTONG_MATCH_WORKERS or the CPUs)")
    a = ap.parse_args(argv)
    print(run(a.n, a.queries, a.bm25_queries, a.dev, with_bm25=not a.no_bm25, workers=a.workers))


if __name__ == "__main__":
    main()
