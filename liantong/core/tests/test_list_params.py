"""Every list, page and API alike, refuses a malformed parameter in Chinese — never a 500 (issue 7, Fix 5).

The cases are generated, not hand-picked: every list page is found in the URL configuration (each view
built on ``ObjectListView``), every list endpoint in the API's OpenAPI schema (each ``GET`` without a path
parameter). Each of their parameters is fed a number past PostgreSQL's and SQLite's integer range, a
negative number and a word. A page answers 400, an endpoint 422, both with a Chinese message; the same
list with no parameter answers 200, so the refusal is about the value and nothing else.

One test per list and persona walks all of that list's parameters and values (opening the list once,
not once per parameter) and reports every wrong case by list, parameter and value; a list's new
parameter, a new list or a new endpoint joins by itself. The last tests plant a parameter no list
validates and check the walk reports it, so merging the cases cannot hide a failure.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from liantong.core.views_generic import ObjectListView

HAN = re.compile(r"[\u4e00-\u9fff]")
HUGE = str(2**63)  # one past the largest BIGINT; 2**64 and beyond overflow SQLite's driver too
BAD_VALUES = [HUGE, "-1", "abc"]
PERSONAS = ["zone_staff", "firm_a"]
FREE_TEXT = {"q"}  # free text is never malformed; its length is capped and it is searched safely


def _list_views(resolver=None, namespace=""):
    """(url name, view class) of every ``ObjectListView`` reachable without URL arguments."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _list_views(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            cls = getattr(p.callback, "view_class", None)
            if cls and issubclass(cls, ObjectListView) and not p.pattern.converters:
                yield f"{namespace}{p.name}", cls


LIST_VIEWS = sorted(_list_views(), key=lambda item: item[0])


def _filters(cls) -> list:
    """The filters a list page declares: its ``Listing``'s, or its own when it assembles one."""
    return list(cls.listing.filters if cls.listing is not None else cls.filters)


def _page_params(cls) -> list[str]:
    return [f.name for f in [*_filters(cls), *cls.extra_params]] + ["page", "sort"]


def test_the_list_pages_are_all_found():
    # the generator really walked the URL configuration: every strand's lists are in it
    names = {name for name, _ in LIST_VIEWS}
    assert {"orgs:member_list", "services:order_list", "resources:visit_list", "matching:listing_list",
            "services:inbox"} <= names
    assert len(LIST_VIEWS) >= 26


def page_refusals(client, url: str, params) -> list[str]:
    """Every (parameter, value) of ``params`` the page at ``url`` does not refuse in Chinese."""
    wrong = []
    for param in params:
        for value in BAD_VALUES:
            resp = client.get(url, {param: value})
            body = resp.content.decode()
            if resp.status_code != 400:
                wrong.append(f"{url}?{param}={value} → {resp.status_code}, expected 400")
            elif not ("参数" in body and HAN.search(body)):
                wrong.append(f"{url}?{param}={value} → 400 without a Chinese message naming the parameter")
        export = client.get(url, {param: HUGE, "export": "xlsx"})
        if export.status_code != 400:
            wrong.append(f"{url}?{param}={HUGE}&export=xlsx → {export.status_code}, expected 400")
    return wrong


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name, cls", LIST_VIEWS, ids=[n for n, _ in LIST_VIEWS])
def test_a_list_page_refuses_a_malformed_parameter_in_chinese(personas, client_for, persona, name, cls):
    client = client_for(personas[persona])
    url = reverse(name)
    if client.get(url).status_code != 200:
        pytest.skip(f"{persona} may not open {url}")
    wrong = page_refusals(client, url, _page_params(cls))
    assert wrong == [], f"{persona}:\n" + "\n".join(wrong)


def _api_cases():
    from liantong.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    cases = []
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if op is None or "{" in path:
            continue
        for p in op.get("parameters", []):
            if p["in"] != "query" or p["name"] in FREE_TEXT:
                continue
            cases.append((path, p["name"]))
    return sorted(cases)


API_CASES = _api_cases()
API_PATHS = sorted({path for path, _ in API_CASES})


def test_the_api_lists_are_all_found():
    assert {"/api/v1/members", "/api/v1/orders", "/api/v1/joint-meetings", "/api/v1/listings"} <= set(API_PATHS)
    assert len(API_PATHS) >= 20


def api_refusals(client, path: str, params) -> list[str]:
    """Every (parameter, value) of ``params`` the endpoint at ``path`` does not refuse in Chinese."""
    wrong = []
    for param in params:
        for value in BAD_VALUES:
            resp = client.get(path, {param: value})
            if resp.status_code != 422:
                wrong.append(f"{path}?{param}={value} → {resp.status_code}, expected 422")
                continue
            body = resp.json()
            if not (HAN.search(body.get("detail") or "") and (body.get("errors") or [{}])[0].get("field") == param):
                wrong.append(f"{path}?{param}={value} → 422 without a Chinese message naming the parameter: {body}")
    return wrong


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", API_PATHS)
def test_an_api_list_refuses_a_malformed_parameter_in_chinese(personas, client_for, persona, path):
    client = client_for(personas[persona])
    if client.get(path).status_code != 200:
        pytest.skip(f"{persona} may not call {path}")
    wrong = api_refusals(client, path, [p for q, p in API_CASES if q == path])
    assert wrong == [], f"{persona}:\n" + "\n".join(wrong)


def test_the_walks_report_a_parameter_that_is_not_refused(personas, client_for):
    """A planted defect: a parameter no list declares is ignored (200), so each walk must report it, by
    name and value, next to the declared parameters it walks without complaint."""
    client = client_for(personas["zone_staff"])
    url = reverse("orgs:member_list")
    wrong = page_refusals(client, url, ["page", "no_such_param"])
    assert wrong and all("no_such_param" in w for w in wrong), wrong
    assert {f"{url}?no_such_param={v} → 200, expected 400" for v in BAD_VALUES} <= set(wrong)
    wrong = api_refusals(client, "/api/v1/members", ["page", "no_such_param"])
    assert wrong and all("no_such_param" in w for w in wrong), wrong
    assert len(wrong) == len(BAD_VALUES)


def test_every_schema_name_in_the_api_documentation_is_one_schema(monkeypatch):
    """Two different schemas under one name are documented as one (``/joint-meetings`` was shown with the
    matchmaking meetings' ``MeetingOut``): every component name must stand for one definition."""
    from ninja.openapi.schema import OpenAPISchema

    from liantong.api import api

    clashes = []
    original = OpenAPISchema.add_schema_definitions

    def add(self, definitions):
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                clashes.append(name)
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", add)
    components = api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"]
    assert not sorted(set(clashes)), sorted(set(clashes))
    assert {"MatchmakingMeetingOut", "JointMeetingOut"} <= set(components)
