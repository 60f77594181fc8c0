"""The query count of each list page is pinned in query_counts.json (NetBox style): an N+1 fails here,
not in front of a user. Refresh the baseline with ``UPDATE_QUERY_COUNTS=1``."""

import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

BASELINE = Path(__file__).with_name("query_counts.json")
PAGES = ["/orgs/chain/", "/orgs/enterprise/", "/orgs/partyorg/", "/orgs/member/", "/orgs/cultivation/",
         "/orgs/pairing/", "/orgs/vanguard/", "/orgs/department/", "/orgs/institution/", "/orgs/partyorg/tree/",
         "/orgs/chain/{ship_chain}/", "/api/v1/members?page_size=50", "/api/v1/enterprises?page_size=50"]


def _counts():
    return json.loads(BASELINE.read_text()) if BASELINE.exists() else {}


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_do_not_grow_their_query_count(personas, client_for, url):
    from liantong.orgs.models import Chain

    key = url
    if "{ship_chain}" in url:
        url = url.format(ship_chain=Chain.objects.get(name="高技术船舶海工装备").pk)
    c = client_for(personas["zone_staff"] if key != url else personas["by_zone"])
    c.get(url)  # warm caches (dictionaries, menu)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    counts = _counts()
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        counts[key] = len(ctx.captured_queries)
        BASELINE.write_text(json.dumps(counts, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        return
    assert key in counts, "新页面：用 UPDATE_QUERY_COUNTS=1 记录基线"
    assert len(ctx.captured_queries) <= counts[key], "\n".join(q["sql"][:200] for q in ctx.captured_queries)
