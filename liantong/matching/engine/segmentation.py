"""Word segmentation: jieba's own no-HMM algorithm, re-implemented for speed (identical output)."""

from __future__ import annotations

import math

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
