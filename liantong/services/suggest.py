"""Dispatch suggestions: rank a zone's departments for an order and say why.

Learned from past dispatches: ``DispatchStat`` counts how often a category and each text term went
to each lead department (kept current by every dispatch). A dispatch the department returns (退单)
is taken back from those counts and counted as a return of the category (``r:<category>``), which
weighs against the department. While a zone's history for the category is thin, the keyword table
in ``data/dispatch_keywords.tsv`` adds what it knows.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.db.models import F

from liantong.core import guarantees

from .models import DispatchStat, ServiceRequest

THIN_HISTORY = 10  # fewer past dispatches of the category than this: the keyword table helps
DATA = Path(__file__).resolve().parent / "data" / "dispatch_keywords.tsv"
STOPWORDS = {"我们", "公司", "企业", "需要", "希望", "问题", "申请", "协调", "相关", "目前", "进行", "办理", "帮助", "解决",
             "一个", "已经", "没有", "可以", "情况", "工作", "方面", "有限公司", "集团"}


@lru_cache(maxsize=1)
def keyword_table() -> list[tuple[str, set[str]]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fragment, _, words = line.partition("\t")
        rows.append((fragment.strip(), set(words.split())))
    return rows


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    for _, words in keyword_table():
        for w in words:
            jieba.add_word(w)
    return jieba


def tokenize(text: str, limit: int = 30) -> list[str]:
    """Distinct meaningful jieba terms of ``text`` (two characters or more, no stopwords), in order."""
    out: list[str] = []
    for w in _jieba().lcut(text or ""):
        w = w.strip()
        if len(w) >= 2 and w not in STOPWORDS and not w.isdigit() and w not in out:
            out.append(w)
        if len(out) >= limit:
            break
    return out


def dispatch_keys(category: str, terms: str) -> list[str]:
    """The ``DispatchStat`` keys a dispatch of an order counts: its category and its text terms."""
    return [f"c:{category}"] + [f"t:{t}"[:60] for t in (terms or "").split()]


def return_key(category: str) -> str:
    """The ``DispatchStat`` key counting the returns (退单) of a category by a department."""
    return f"r:{category}"[:60]


def _add(zone_id: int, department, keys: list[str]) -> None:
    existing = set(DispatchStat.objects.filter(zone_id=zone_id, department=department, key__in=keys)
                   .values_list("key", flat=True))
    DispatchStat.objects.filter(zone_id=zone_id, department=department, key__in=existing).update(count=F("count") + 1)
    DispatchStat.objects.bulk_create(
        [DispatchStat(zone_id=zone_id, department=department, key=k, count=1) for k in keys if k not in existing],
        ignore_conflicts=True)


def learn(order: ServiceRequest, lead) -> None:
    """Count this dispatch: the order's category and terms went to ``lead``."""
    _add(order.zone_id, lead, dispatch_keys(order.category, order.terms))


def unlearn(order: ServiceRequest, lead) -> None:
    """``lead`` returned the order (退单): its dispatch no longer counts for the department, and the
    return of the category counts against it."""
    DispatchStat.objects.filter(zone_id=order.zone_id, department=lead, count__gt=0,
                                key__in=dispatch_keys(order.category, order.terms)).update(count=F("count") - 1)
    _add(order.zone_id, lead, [return_key(order.category)])


def suggest(order: ServiceRequest, *, limit: int = 5) -> list[dict]:
    """The best lead departments for ``order``: ``[{"department", "score", "reasons"}]``, best first."""
    from liantong.core import dicts
    from liantong.orgs.models import Department

    with guarantees.unscoped("dispatch suggestions: the lead may be any department of the order's zone"):
        depts = {d.pk: d for d in Department.objects.filter(zone_id=order.zone_id)}
    terms = (order.terms or "").split()
    scores: dict[int, float] = {}
    reasons: dict[int, list[str]] = {}
    matched_terms: dict[int, list[str]] = {}
    cat_label = dicts.label("service_category", order.category)
    history = 0
    stats = DispatchStat.objects.filter(zone_id=order.zone_id, count__gt=0,
                                        key__in=dispatch_keys(order.category, order.terms)
                                        + [return_key(order.category)])
    for dept_id, key, count in stats.values_list("department_id", "key", "count"):
        if dept_id not in depts:
            continue
        if key.startswith("r:"):
            scores[dept_id] = scores.get(dept_id, 0) - 2.0 * count
            reasons.setdefault(dept_id, []).append(f"同类诉求（{cat_label}）曾 {count} 次被该部门退回")
        elif key.startswith("c:"):
            history += count
            scores[dept_id] = scores.get(dept_id, 0) + 2.0 * count
            reasons.setdefault(dept_id, []).append(f"同类诉求（{cat_label}）过去 {count} 次派往该部门")
        else:
            scores[dept_id] = scores.get(dept_id, 0) + 0.5 * count
            matched_terms.setdefault(dept_id, []).append(key[2:])
    if history < THIN_HISTORY:
        words = set(terms)
        for fragment, keywords in keyword_table():
            hits = sorted(words & keywords)
            if not hits:
                continue
            for d in depts.values():
                if fragment in d.name:
                    scores[d.pk] = scores.get(d.pk, 0) + 3.0 * len(hits)
                    for h in hits:
                        if h not in matched_terms.setdefault(d.pk, []):
                            matched_terms[d.pk].append(h)
    out = []
    ranked = [(d, s) for d, s in scores.items() if s > 0]  # returned more than kept: not suggested
    for dept_id, score in sorted(ranked, key=lambda kv: (-kv[1], kv[0]))[:limit]:
        why = list(reasons.get(dept_id, []))
        if matched_terms.get(dept_id):
            why.append("关键词：" + "、".join(matched_terms[dept_id][:6]))
        out.append({"department": depts[dept_id], "score": round(score, 1), "reasons": why})
    return out
