"""Exact query counts of every page and API path that renders rows, pinned in ``query_counts.json``
(NetBox style): an N+1 — or a query saved — shows here, not in front of a user.

The pages come from the guarantees registry (``liantong/core/guarantees.py``: each scoped model's list page,
detail page, API list and API detail paths), plus the few pages that render rows of several models. Each is
opened by a reader of the sample row (the zone's committee where it reads it), once to warm the caches,
then counted. Refresh the pins with ``UPDATE_QUERY_COUNTS=1`` (and ``-p no:xdist``: one process writes the file) after a
deliberate change, and say why in the commit. Pins are kept per database engine; an engine without pins
skips (record them once with ``DATABASE_URL=postgres://…``).

The warming visit is also the read guard's (``tests/test_unscoped_reads.py``): it is made inside
``guarantees.watch_reads()``, and a read of a scoped model past the scoping layer fails the test before
the count is compared — one test per page for both checks, each page opened twice instead of three times.
"""

import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liantong.core import guarantees

from .registry_rows import CASES, case_url, opener

BASELINE = Path(__file__).with_name("query_counts.json")
PAGES = ["/", "/orgs/partyorg/tree/", "/services/queue/", "/services/board/", "/services/figures/",
         "/services/inbox/", "/system/operation-log/"]


def unscoped_reads(client, url) -> list[str]:
    """Open ``url`` while the read guard watches: the reads of scoped models past the scoping layer."""
    with guarantees.watch_reads() as reads:
        resp = client.get(url)
    assert resp.status_code == 200, f"{url} → {resp.status_code}"
    return sorted({str(r) for r in reads})


def _measure(client, url) -> tuple[int, list[str]]:
    """Open ``url`` once to warm the caches (dictionaries, menu) under the read guard, then count."""
    reads = unscoped_reads(client, url)
    assert reads == [], f"{url} reads a scoped model past the scoping layer:\n" + "\n".join(reads)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, f"{url} → {resp.status_code}"
    return len(ctx.captured_queries), [q["sql"][:300] for q in ctx.captured_queries]


def _baseline() -> dict:
    return json.loads(BASELINE.read_text()) if BASELINE.exists() else {}


def _check(key, count, sql):
    """Equal to the pin of this database's engine (SQLite and PostgreSQL differ by a query here and there)."""
    everything = _baseline()
    counts = everything.setdefault(connection.vendor, {})
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        counts[key] = count
        BASELINE.write_text(json.dumps(everything, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        return
    if not counts:
        pytest.skip(f"{connection.vendor}: no pins yet (UPDATE_QUERY_COUNTS=1 records them)")
    assert key in counts, f"{key}: 新页面，用 UPDATE_QUERY_COUNTS=1 记录基线"
    assert count == counts[key], f"{key}: {count} 次查询，基线 {counts[key]}\n" + "\n".join(sql)


@pytest.mark.parametrize(("key", "entry", "what"), CASES, ids=[c[0] for c in CASES])
def test_a_page_reads_through_the_scoping_layer_and_its_query_count_is_pinned(personas, client_for, key, entry, what):
    c = client_for(personas[opener(entry)])
    _check(key, *_measure(c, case_url(entry, what, personas)))


@pytest.mark.parametrize("url", PAGES)
def test_a_shared_page_reads_through_the_scoping_layer_and_its_query_count_is_pinned(personas, client_for, url):
    _check(f"page {url}", *_measure(client_for(personas["zone_staff"]), url))


def test_every_pin_belongs_to_a_page_still_measured():
    keys = {c[0] for c in CASES} | {f"page {u}" for u in PAGES}
    for vendor, counts in _baseline().items():
        assert set(counts) - keys == set(), f"{vendor}: 基线里有已不存在的页面，用 UPDATE_QUERY_COUNTS=1 重新记录"
