"""No page or API path reads a scoped model without the scoping layer.

Every page and API path of the guarantees registry (``liantong/core/guarantees.py``: list, detail, API list,
API detail) and the shared pages are opened by a reader while ``guarantees.watch_reads()`` records each
evaluation of a scoped model's queryset that did not start from ``visible_to`` / ``get_for_user`` — reads
through a parent row (``order.assignments.all()``, prefetches) and reads marked
``guarantees.unscoped(reason)`` excepted. A new plain ``Model.objects.filter(...)`` in a view fails here.
"""

import pytest

from liantong.core import guarantees
from liantong.orgs.models import Member, PartyOrg

from .registry_rows import CASES, case_url, opener
from .test_query_counts import PAGES


def _reads(client, url):
    with guarantees.watch_reads() as reads:
        resp = client.get(url)
    assert resp.status_code == 200, f"{url} → {resp.status_code}"
    return sorted({str(r) for r in reads})


@pytest.mark.parametrize(("key", "entry", "what"), CASES, ids=[c[0] for c in CASES])
def test_a_registered_page_reads_only_through_the_scoping_layer(personas, client_for, key, entry, what):
    c = client_for(personas[opener(entry)])
    reads = _reads(c, case_url(entry, what, personas))
    assert reads == [], "\n".join(reads)


@pytest.mark.parametrize("url", PAGES)
def test_a_shared_page_reads_only_through_the_scoping_layer(personas, client_for, url):
    reads = _reads(client_for(personas["zone_staff"]), url)
    assert reads == [], "\n".join(reads)


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
