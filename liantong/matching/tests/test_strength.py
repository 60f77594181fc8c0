"""Match strength labels (高度匹配 / 较为匹配 / 可供参考) instead of a bare number. A label needs two
things: the result stands well against the best result of the same query (scores are comparable only
within one query), *and* absolute evidence — ``why["evidence"]``, the share of the query's own
weighted terms the listing covers after re-ranking — clears a floor calibrated on the labelled
development set, so that the best of a set of weak hits is not called 高度匹配."""

import pytest

from liantong.matching.engine import Doc, MatchEngine
from liantong.matching.evaluation import development_set_dir, load_listings
from liantong.matching.index import Result, label_strengths

DEV_DIR = development_set_dir()


def _results(*pairs):
    return [Result(None, score, {"evidence": ev}, []) for score, ev in pairs]


def test_labels_are_relative_to_the_best_result_when_the_evidence_is_strong():
    results = label_strengths(_results((10.0, 0.4), (6.0, 0.3), (2.5, 0.2), (0.4, 0.1)))
    assert [r.strength for r in results] == ["高度匹配", "高度匹配", "较为匹配", "可供参考"]
    assert label_strengths([]) == []
    assert [r.strength for r in label_strengths(_results((0.0, 0.0)))] == ["可供参考"]


def test_the_best_of_weak_hits_is_not_called_a_strong_match():
    results = label_strengths(_results((3.0, 0.03), (2.9, 0.02)))
    assert [r.strength for r in results] == ["可供参考", "可供参考"]
    middling = label_strengths(_results((7.0, 0.1), (6.0, 0.08)))
    assert [r.strength for r in middling] == ["较为匹配", "较为匹配"]


def test_a_match_on_character_pairs_only_is_never_a_strong_match():
    r = label_strengths([Result(None, 5.0, {"evidence": 0.5, "notes": {"gate": "仅字面相近"}}, [])])[0]
    assert r.strength != "高度匹配"


@pytest.mark.skipif(not DEV_DIR.is_dir(), reason=f"development set not found at {DEV_DIR}")
def test_a_query_from_another_trade_gets_no_strong_label_while_judged_queries_keep_theirs():
    import json

    docs = load_listings(DEV_DIR)
    by_id = {d.id: d for d in docs}
    engine = MatchEngine()
    engine.index(docs)

    def labelled(query):
        return label_strengths([Result(None, m.score, m.why, []) for m in engine.match(query, 10)])

    for title in ("采购员工工作服", "招聘保洁人员", "采购螺栓"):
        found = labelled(Doc(id="Q", kind="demand", title=title, enterprise="某商贸公司"))
        assert found and "高度匹配" not in {r.strength for r in found}, title
    # the judged development queries: the best hit of each is judged relevant and keeps 高度匹配
    qrels = [json.loads(line) for line in (DEV_DIR / "qrels.jsonl").read_text(encoding="utf-8").splitlines()]
    strong = sum(1 for q in qrels if labelled(by_id[q["query"]])[0].strength == "高度匹配")
    assert strong == len(qrels)


def test_listing_page_shows_the_labels(personas, client_for):
    from liantong.matching.models import Listing

    listing = Listing.objects.filter(zone__name__startswith="镇江", kind="demand", title__contains="船用钢板").first()
    assert listing is not None
    html = client_for(personas["chain_staff"]).get(f"/matching/listing/{listing.pk}/").content.decode()
    assert 'data-testid="match-strength">高度匹配<' in html
