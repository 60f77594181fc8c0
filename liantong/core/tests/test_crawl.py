"""Every page a persona can reach by following links answers without a server error.

Each persona starts at its home page and follows the internal links on every page it reaches (one
visit per route and set of query keys, so 1,000 firm pages cost one visit; ``tests/crawl.py``), once
per test process: the three tests below share the result (``crawled``). No link may lead to a 404: a
page offers only what its reader may open. Then every list page is asked again with hostile query
strings: junk pages and sorts, unknown filter values, markup and SQL in the search box.
None may answer 5xx, and the markup must come back escaped.
"""

import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import resolve

MARK = "<script>crawl()</script>"
HOSTILE = {
    "q": f"{MARK}' OR 1=1 -- 😀 ＰＡ６６",
    "page": "abc",
    "sort": "-no_such_column",
    "zone": "x",
    "chain": "-1",
    "status": "<b>",
}


def personas_(*names):
    """Each persona's crawl tests run in one xdist worker (``--dist loadgroup``), so it is crawled once."""
    return [pytest.param(n, marks=pytest.mark.xdist_group(f"crawl-{n}")) for n in names]


@pytest.mark.parametrize("persona", personas_("admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "uni",
                                               "by_zone", "nobody"))
def test_every_reachable_page_answers_without_a_server_error(persona, crawled):
    visited = crawled(persona)
    errors = {u: s for u, s in visited.items() if s >= 500}
    assert not errors, errors
    # a link the page shows must lead somewhere: a 404 behind it is a button the user may not press
    broken = {u: s for u, s in visited.items() if s == 404}
    assert not broken, broken
    # the crawl really walked the product, not just the home page
    assert len(visited) >= (5 if persona == "nobody" else 15), sorted(visited)


@pytest.mark.parametrize("persona", personas_("admin", "zone_staff", "firm_a", "dept_staff"))
def test_list_pages_take_hostile_query_strings_cleanly(persona, personas, client_for, crawled):
    client = client_for(personas[persona])
    visited = crawled(persona)
    list_pages = sorted({urlsplit(u).path for u, s in visited.items()
                         if s == 200 and resolve(urlsplit(u).path).view_name.endswith("_list")})
    assert list_pages, "no list page found"
    for path in list_pages:
        resp = client.get(f"{path}?{urlencode(HOSTILE)}")
        assert resp.status_code < 500, (path, resp.status_code)
        if resp.status_code == 200:
            assert MARK not in resp.content.decode(), f"{path} echoes markup unescaped"
        export = client.get(f"{path}?{urlencode({**HOSTILE, 'export': 'xlsx'})}")
        assert export.status_code < 500, (path, "export", export.status_code)


@pytest.mark.parametrize("persona", personas_("admin", "zone_staff", "chain_staff", "dept_staff", "firm_a"))
def test_every_create_form_refuses_an_empty_post_in_chinese_and_writes_nothing(persona, personas, client_for, crawled):
    from liantong.core.models import AuditLog

    client = client_for(personas[persona])
    visited = crawled(persona)
    forms = sorted(u for u, s in visited.items() if s == 200 and urlsplit(u).path.endswith("/new/"))
    assert forms, "no create form reached"
    for url in forms:
        before = AuditLog.objects.count()
        resp = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="en-US")
        html = resp.content.decode()
        assert resp.status_code in (200, 400), (url, resp.status_code)
        assert "This field is required" not in html, url
        assert re.search(r"必填|不能为空|请填写|请选择|请输入|至少", html), (url, "no Chinese error shown")
        assert AuditLog.objects.count() == before, (url, "an empty form wrote something")


@pytest.mark.parametrize("persona", personas_("admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "uni",
                                               "by_zone", "nobody"))
def test_no_reachable_page_loads_or_links_anything_from_another_host(persona, crawled):
    """An intranet has no internet: no page names another host in a src, href, action or CSS url()."""
    assert len(crawled(persona)) >= 3
    found = crawled.found(persona, "off_host")
    assert not found, found


@pytest.mark.parametrize("persona", personas_("admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "uni",
                                               "by_zone", "nobody"))
def test_no_reachable_page_reads_a_scoped_model_past_the_scoping_layer(persona, crawled):
    """``tests/test_query_counts.py`` opens each registry page as one reader; the crawl watches every page each
    persona reaches: a read of a scoped model that skips ``visible_to`` (and is not ``unscoped(reason)``) on any
    of them is reported with where it happened."""
    assert len(crawled(persona)) >= 3
    found = crawled.found(persona, "unscoped")
    assert not found, found


def test_the_login_page_the_error_pages_and_the_api_docs_load_nothing_from_another_host(client, personas, client_for):
    from tests.crawl import off_host_refs

    for url in ("/accounts/login/", "/no-such-page/"):
        resp = client.get(url)
        assert not off_host_refs(resp.content.decode()), url
    docs = client_for(personas["firm_a"]).get("/api/v1/docs")
    html = docs.content.decode()
    assert docs.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in html
    assert not off_host_refs(html), off_host_refs(html)
    assert '"validatorUrl": null' in html
