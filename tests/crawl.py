"""The crawl: every page a logged-in user reaches by following links from ``/``.

Breadth-first over internal links, one visit per route and set of query keys (1,000 firm pages cost one
visit), at most ``MAX_PAGES``. Crawling takes 10–20 s of CPU per persona, so the suite crawls each persona
once per test process and shares the result: use the ``crawled`` fixture (``conftest.py``), not ``crawl``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve

HREF = re.compile(r'href="([^"#]+)"')
# anything a page loads or points at on another host: src=, href=, action=, srcset=, CSS url(…)
OFF_HOST = re.compile(r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?|url\(\s*["']?)((?:https?:)?//[^"'\s>)]+)""",
                      re.I)
OFF_HOST_REFS: dict[str, list[str]] = {}  # url -> the references to other hosts its HTML holds (``crawl`` fills it)


def off_host_refs(html: str) -> list[str]:
    """The references in ``html`` to a host other than the page's own (``testserver``)."""
    out = []
    for ref in OFF_HOST.findall(html):
        host = urlsplit(ref if "://" in ref else "http:" + ref).netloc
        if host not in ("testserver", ""):
            out.append(ref)
    return out
SKIP_PREFIXES = ("/static/", "/media/", "/django-admin/", "/accounts/logout")
MAX_PAGES = 400


def _key(url: str):
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    query_keys = tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return match.view_name, query_keys


def crawl(client) -> dict[str, int]:
    """Breadth-first over internal links from ``/``; returns {url: status} for each route visited."""
    seen_keys: set = set()
    visited: dict[str, int] = {}
    queue = ["/"]
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        key = _key(url)
        if key is None or key in seen_keys:
            continue
        seen_keys.add(key)
        resp = client.get(url)
        visited[url] = resp.status_code
        if resp.status_code != 200 or "html" not in resp.get("Content-Type", ""):
            continue
        html = resp.content.decode()
        OFF_HOST_REFS[url] = off_host_refs(html)
        for href in HREF.findall(html):
            href = href.replace("&amp;", "&")
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or "export=" in parts.query:
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return visited
