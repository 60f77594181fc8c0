"""One read declaration per list (issue 7, mechanism 2): a list page and its API endpoint read the same
``Listing`` — they take the same parameters and, for every persona, answer the same rows in the same order
under the same filter and search.

The pairs come from the guarantees registry (each scoped model's ``list_page`` and ``api_list``) plus the
two lists whose model has no page of its own (the supervision board and the inbox). Nothing is hand-picked:
the filter values are the ones the page offers the persona, the search word is read from a row the page shows.
"""

from functools import cache

import pytest
from django.urls import resolve, reverse

from liantong.core import guarantees

PERSONAS = ["admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "uni", "by_zone"]
# lists whose model's registry entry has no list page of its own
OFF_REGISTRY = [("services:board", "/api/v1/cards"), ("services:inbox", "/api/v1/notifications")]
PAGING = {"page", "page_size"}


def _pairs():
    pairs = [(e.list_page, e.api_list) for e in guarantees.entries() if e.list_page and e.api_list]
    return sorted({*pairs, *OFF_REGISTRY})


PAIRS = _pairs()


def _view(name):
    return resolve(reverse(name)).func.view_class


@cache
def _schema() -> dict:
    """The API's OpenAPI document, built once per process (about 1.5 s each time)."""
    from liantong.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


def _api_params(path) -> set[str]:
    op = _schema()["paths"][path]["get"]
    return {p["name"] for p in op.get("parameters", []) if p["in"] == "query"} - PAGING


def _page_params(view) -> set[str]:
    listing = view().get_listing() if view.listing is None else view.listing
    names = {f.name for f in [*listing.filters, *listing.extra_params]}
    if listing.search_fields or listing.search is not None:
        names.add("q")
    if listing.sorts:
        names.add("sort")
    return names


def test_the_pairs_cover_the_lists_that_were_read_by_hand():
    paths = {api for _, api in PAIRS}
    assert {"/api/v1/contacts", "/api/v1/deals", "/api/v1/revenues", "/api/v1/bundles", "/api/v1/cards",
            "/api/v1/member-transfers", "/api/v1/notifications"} <= paths


@pytest.mark.parametrize(("page", "path"), PAIRS, ids=[p for _, p in PAIRS])
def test_a_list_page_and_its_endpoint_read_one_declaration(page, path):
    view = _view(page)
    assert view.listing is not None, f"{page} assembles its own Listing: declare it in the strand's tables.py"
    assert _api_params(path) == _page_params(view), (page, path)


def _first_page(client, page, path, params):
    """(page ids, API ids, page count, API count) of the first 20 rows and the page's rows, or None when
    either refuses."""
    resp = client.get(reverse(page), params)
    api = client.get(path, {**params, "page_size": 20})
    if resp.status_code != 200 or api.status_code != 200:
        return None
    paginator = resp.context["page"].paginator
    body = api.json()
    rows = list(resp.context["page"].object_list)
    return ([o.pk for o in rows], [i["id"] for i in body["items"]], paginator.count, body["count"]), rows


def _first_page_ids(client, page, path, params):
    got = _first_page(client, page, path, params)
    return got and got[0]


def _word(obj, field: str) -> str:
    value = obj
    for part in field.split("__"):
        value = getattr(value, part, None)
    return str(value or "")[:2].strip()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page", "path"), PAIRS, ids=[p for _, p in PAIRS])
def test_a_list_page_and_its_endpoint_answer_the_same_rows(personas, client_for, persona, page, path):
    user = personas[persona]
    client = client_for(user)
    got = _first_page(client, page, path, {})
    if got is None:
        pytest.skip(f"{persona} may not read {page} or {path}")
    plain, first = got
    assert plain[0] == plain[1] and plain[2] == plain[3], (page, path, "no filter", plain)
    view = _view(page)
    listing = view.listing
    tried = 0
    for f in listing.filters:
        options = f.options(user)
        if not options:
            continue
        params = {f.name: options[-1][0]}
        got = _first_page_ids(client, page, path, params)
        assert got is not None and got[0] == got[1] and got[2] == got[3], (page, path, params, got)
        tried += 1
        if tried == 3:
            break
    if listing.search_fields and first:
        word = _word(first[0], listing.search_fields[0])
        if word:
            got = _first_page_ids(client, page, path, {"q": word})
            assert got[0] == got[1] and got[2] == got[3] and got[2] >= 1, (page, path, word, got)
