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
   character bigrams; title and keywords weigh more than the node and the description.  Each
   posting holds its *impact* (the saturated term frequency, computed at build), so a query adds
   ``weight·idf·impact`` per posting, as bm25s does (the query's posting ranges gathered and added by
   scipy's C++ ``csc_matvec``); rows are ordered by pool (supply, then demand and scenario) and each
   term's postings are cut there, so a query scores only its own pool; the candidates are taken above
   a threshold read off a sample of the scores, not by partitioning the whole pool.  Scenario queries are split into their listed items and each item is
   scored too (best item added).
3. **Re-ranking of the best ``RERANK_DEPTH``** with domain knowledge, each a multiplicative factor
   that is also reported in ``why``: roles (``data/inputs_of.tsv``: a buyer of a product does not
   want that product's inputs unless it names them; a seller of the buyer's own product or of a
   product made from what the buyer wants is not a supplier), alternatives for the same slot
   (``data/conflicts.tsv``), restrictive qualifiers (``data/qualifiers.txt``), ship-steel grade
   compatibility (lower strength is a mismatch, over-spec is partial), a domain gate (no shared
   word, only shared character pairs), locality and freshness.  Every factor but locality and
   freshness is at most 1, so candidates are re-ranked in the order of their BM25 score times those
   two, and the first that cannot beat the ``limit``-th result so far ends it (the same results as
   re-ranking all of them, at a fraction of the cost); the domain gate is read off the word part of
   the scores.  The explanation reads a listing's words off the index and its concepts' surface forms
   (synonyms) off a table filled when it was indexed, so it does no text work.

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

Stored form (``save`` / ``load``, ``liantong build-match-index``, ``STORE_FORMAT`` 3): the index's arrays,
the listings as columns (one string per text field, one row of offsets per listing), the features as one
byte string of pickled tuples and the concepts' surface forms as entry numbers per listing; a loaded engine decodes a listing or its features on first use, so loading 200,000 listings
takes well under a second (``benchmarks/match_bench.py`` prints it).

The package's modules, in the order a listing flows through them:

* :mod:`.documents` — ``Doc`` (a listing as the engine sees it) and ``Match`` (one ranked result);
* :mod:`.knowledge` — the domain data (``data/*.tsv``), text normalisation and the process-wide
  :class:`Knowledge`;
* :mod:`.segmentation` — jieba's no-HMM segmentation re-implemented for speed (:class:`_FastCut`);
* :mod:`.analysis` — clauses, tokens, concepts, context and negation (:func:`analyze`, :func:`tokenize`);
* :mod:`.scoring` — the BM25 index (building, updates, segments) and :class:`MatchEngine`;
* :mod:`.reranking` — the re-ranking features and factors (roles, conflicts, qualifiers, steel grades);
* :mod:`.reasons` — the explanation of each match (``why``).
"""

from __future__ import annotations

from .analysis import analyze, analyze_names, tokenize
from .documents import Doc, Match
from .knowledge import DATA_DIR, Knowledge, knowledge, normalize
from .reranking import grade_factor, steel_grades
from .scoring import MatchEngine

__all__ = ["Doc", "Match", "MatchEngine", "tokenize", "analyze", "knowledge", "normalize",
           "analyze_names", "steel_grades", "grade_factor", "Knowledge", "DATA_DIR"]
