"""Domain knowledge of the matching engine: the data files, text normalisation, the process-wide
:class:`Knowledge` (synonyms, broader concepts, roles, conflicts, qualifiers, jieba dictionary)."""

from __future__ import annotations

import re
import threading
import unicodedata
from pathlib import Path

from .segmentation import _FastCut

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

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
