"""Every page carries a Content-Security-Policy whose nonce its inline scripts hold (no inline handlers, no
javascript: links), a Referrer-Policy, and ``Cache-Control: no-store`` — a member's page is not cached
(docs/security.md). The pages are those each persona reaches by links (``crawled``) plus the login page."""

import pytest
from django.urls import reverse

from tests.crawl import header_problems as _problems


def test_the_inspection_flags_what_it_looks_for():
    """The crawl's inspection is live: each fault it looks for, planted in an answer, is reported."""
    from django.http import HttpResponse

    def answer(body, **headers):
        r = HttpResponse(body, content_type="text/html; charset=utf-8")
        r["Content-Security-Policy"] = "script-src 'self' 'nonce-abc'"
        r["Referrer-Policy"] = "same-origin"
        r["Cache-Control"] = "no-store"
        for k, v in headers.items():
            r[k.replace("_", "-")] = v
        return r

    assert _problems("/ok", answer('<script nonce="abc">1</script><script src="/static/x.js"></script>')) == []
    assert _problems("/a", answer("<script>1</script>"))
    assert _problems("/b", answer('<a onclick="x()">'))
    assert _problems("/c", answer('<a href="javascript:x()">'))
    assert _problems("/d", answer("", Cache_Control="max-age=60"))
    assert _problems("/e", answer("", Referrer_Policy="unsafe-url"))
    assert _problems("/f", answer("", Content_Security_Policy="default-src *"))


@pytest.mark.parametrize("persona", [pytest.param(p, marks=pytest.mark.xdist_group(f"crawl-{p}"))
                                     for p in ("admin", "zone_staff", "firm_a", "dept_staff")])
def test_every_page_sends_the_csp_and_its_inline_scripts_carry_the_nonce(persona, crawled):
    """Read from the crawl, which inspects every page it visits (``tests/crawl.py``: ``header_problems``)."""
    pages = [url for url, status in crawled(persona).items() if status == 200]
    assert len(pages) >= 15
    problems = [p for found in crawled.found(persona, "headers").values() for p in found]
    assert not problems, problems[:20]


def test_the_chart_pages_carry_no_inline_script_without_the_nonce(personas, client_for):
    from liantong.orgs.models import Chain

    client = client_for(personas["zone_staff"])
    chain = Chain.objects.filter(zone=personas["zone_staff"].zone).first()
    for url in ["/services/figures/", reverse("orgs:chain_detail", args=[chain.pk])]:
        resp = client.get(url)
        if resp.status_code != 200:
            continue
        assert not _problems(url, resp), _problems(url, resp)


def test_the_login_page_sends_the_headers(client):
    resp = client.get("/accounts/login/")
    assert resp.status_code == 200
    assert not _problems("/accounts/login/", resp)


def test_a_members_page_and_its_api_answer_are_not_cached(personas, client_for):
    from liantong.orgs.models import Member

    client = client_for(personas["zone_staff"])
    member = Member.objects.filter(zone=personas["zone_staff"].zone).first()
    for url in [reverse("orgs:member_detail", args=[member.pk]), f"/api/v1/members/{member.pk}"]:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "no-store" in resp["Cache-Control"], url


def test_static_files_keep_their_cache(client):
    resp = client.get("/static/liantong/js/app.js")
    assert "no-store" not in resp.get("Cache-Control", "")
