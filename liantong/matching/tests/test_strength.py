"""Match strength labels: scores are comparable only within one query, so the page says how each result
stands against the best one (高度匹配 / 较为匹配 / 可供参考) instead of showing a bare number."""

from liantong.matching.index import Result, label_strengths


def test_labels_are_relative_to_the_best_result():
    results = label_strengths([Result(None, s, {}, []) for s in (10.0, 6.0, 2.5, 0.4)])
    assert [r.strength for r in results] == ["高度匹配", "高度匹配", "较为匹配", "可供参考"]
    assert label_strengths([]) == []
    assert [r.strength for r in label_strengths([Result(None, 0.0, {}, [])])] == ["可供参考"]


def test_listing_page_shows_the_labels(personas, client_for):
    from liantong.matching.models import Listing

    listing = Listing.objects.filter(zone__name__startswith="镇江", kind="demand", title__contains="船用钢板").first()
    assert listing is not None
    html = client_for(personas["chain_staff"]).get(f"/matching/listing/{listing.pk}/").content.decode()
    assert 'data-testid="match-strength">高度匹配<' in html
