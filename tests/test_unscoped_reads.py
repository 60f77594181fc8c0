"""No page or API path reads a scoped model without the scoping layer.

Every page and API path of the guarantees registry (``liantong/core/guarantees.py``: list, detail, API list,
API detail) and the shared pages are opened by a reader while ``guarantees.watch_reads()`` records each
evaluation of a scoped model's queryset that did not start from ``visible_to`` / ``get_for_user`` — reads
through a parent row (``order.assignments.all()``, prefetches) and reads marked
``guarantees.unscoped(reason)`` excepted. A new plain ``Model.objects.filter(...)`` in a view fails.

The pages are opened by ``tests/test_query_counts.py``: its warming visit of each page runs under the guard
(one visit for both checks). Here: the guard itself — it reports a plain read, and nothing else — and a
planted plain read in a page is caught by that visit.
"""


import pytest

from liantong.core import guarantees
from liantong.orgs.models import Member, PartyOrg

from .test_query_counts import unscoped_reads


def test_the_guard_reports_a_plain_read_and_nothing_else(personas):
    user = personas["firm_a"]
    org = PartyOrg.objects.visible_to(user).filter(members__isnull=False).first()
    with guarantees.watch_reads() as reads:
        Member.objects.filter(name="张三").exists()  # plain: reported
        assert Member.objects.visible_to(user).filter(pk=0).count() == 0  # scoped
        list(org.members.all()[:1])  # through a visible parent
        list(PartyOrg.objects.visible_to(user).prefetch_related("members")[:2])  # prefetch of a scoped read
        with guarantees.unscoped("the test says so"):
            Member.objects.count()
    assert [r.model for r in reads] == ["orgs.Member"]
    assert reads[0].where.startswith("tests/test_unscoped_reads.py:")


def test_a_planted_plain_read_in_a_page_is_caught_by_the_pinned_pages_visit(personas, client_for, monkeypatch):
    """The visit that warms a pinned page reports a view that reads a scoped model without the scoping
    layer: the chain list, made to count the members plainly, names the line."""
    from liantong.orgs import views

    def planted(self):
        return {"planted": Member.objects.filter(name="张三").count()}  # plain: must be reported

    monkeypatch.setattr(views.ChainList, "extra_context", planted)
    reads = unscoped_reads(client_for(personas["zone_staff"]), "/orgs/chain/")
    assert len(reads) == 1 and "orgs.Member" in reads[0] and "test_unscoped_reads.py:" in reads[0], reads


def test_a_queryset_marked_unscoped_is_not_reported_when_it_is_evaluated_later(personas):
    """A form's choices are read when the template renders them, after the form was built: the reason marked
    on the queryset (``.unscoped(reason)``) goes with it and its clones, and the guard records nothing; the
    same queryset unmarked is reported. A mark needs a reason."""
    plain = PartyOrg.objects.filter(depth__lte=2)
    marked = plain.unscoped("the test says so")
    with guarantees.watch_reads() as reads:
        list(marked.order_by("path")[:3])
        marked.filter(depth=1).exists()
        assert marked.count() >= 1
        list(plain[:1])
    assert [r.model for r in reads] == ["orgs.PartyOrg"]
    with pytest.raises(ValueError):
        plain.unscoped("")
