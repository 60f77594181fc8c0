"""The crawl: every page a logged-in user reaches by following links from ``/``.

Breadth-first over internal links, one visit per route and set of query keys (1,000 firm pages cost one
visit), at most ``MAX_PAGES``. Crawling takes 10–20 s of CPU per persona, so the suite crawls each persona
once per test process and shares the result: use the ``crawled`` fixture (``conftest.py``), not ``crawl``.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict, deque
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.urls import Resolver404, resolve

from liantong.core import guarantees

HREF = re.compile(r'href="([^"#]+)"')
# anything a page loads or points at on another host: src=, href=, action=, srcset=, CSS url(…)
OFF_HOST = re.compile(r"""(?:\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?|url\(\s*["']?)((?:https?:)?//[^"'\s>)]+)""",
                      re.I)


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


@functools.lru_cache(maxsize=4096)
def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _key(url: str):
    parts = urlsplit(url)
    view_name = _view_name(parts.path)
    if view_name is None:
        return None
    query_keys = tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return view_name, query_keys


SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def header_problems(url, resp, html: str | None = None) -> list[str]:
    """What breaks docs/security.md's headers on one answer: a CSP restricting scripts whose nonce every inline
    script carries (no inline handler, no javascript: URL), Referrer-Policy same-origin, no-store."""
    out = []
    policy = resp.get("Content-Security-Policy", "")
    if "script-src 'self'" not in policy:
        out.append(f"{url}: no CSP restricting scripts ({policy!r})")
    if resp.get("Referrer-Policy") != "same-origin":
        out.append(f"{url}: Referrer-Policy {resp.get('Referrer-Policy')!r}")
    if "no-store" not in resp.get("Cache-Control", ""):
        out.append(f"{url}: Cache-Control {resp.get('Cache-Control')!r}")
    if "text/html" not in resp.get("Content-Type", ""):
        return out
    body = resp.content.decode() if html is None else html
    nonce = re.search(r"'nonce-([^']+)'", policy)
    for attrs in SCRIPT.findall(body):
        if "src=" in attrs or 'type="application/json"' in attrs:
            continue
        if not nonce or f'nonce="{nonce.group(1)}"' not in attrs:
            out.append(f"{url}: an inline script without the response's nonce")
    if HANDLER.search(body):
        out.append(f"{url}: an inline event handler {HANDLER.search(body).group(0)[:80]!r}")
    if JS_URL.search(body):
        out.append(f"{url}: a javascript: URL")
    return out


class Crawl(dict):
    """``{url: status}`` of the pages visited, and what each inspection found on them: ``found[name][url]``
    (a page without findings is absent). The inspections run on every 200 answer as it is crawled, so the
    tests that check every page read them here instead of fetching each page again."""

    def __init__(self):
        super().__init__()
        self.found: dict[str, dict[str, list[str]]] = defaultdict(dict)


def _inspect(crawled: Crawl, url: str, resp, html: str | None) -> None:
    checks = {"headers": header_problems(url, resp, html)}
    if html is not None:
        checks["off_host"] = off_host_refs(html)
    for name, found in checks.items():
        if found:
            crawled.found[name][url] = found


def crawl(client) -> Crawl:
    """Breadth-first over internal links from ``/``; returns {url: status} for each route visited, with what
    the inspections (``off_host``: references to other hosts; ``headers``: ``header_problems``; ``unscoped``:
    reads of a scoped model past the scoping layer, ``guarantees.watch_reads``) found."""
    seen_keys: set = {_key("/")}  # the keys queued or visited: a link to a route already queued is not queued
    seen_urls: set = {"/"}
    visited = Crawl()
    queue = deque(["/"])
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        with guarantees.watch_reads() as reads:
            resp = client.get(url)
        visited[url] = resp.status_code
        if reads:
            visited.found["unscoped"][url] = sorted({str(r) for r in reads})
        if resp.status_code != 200:
            continue
        html = resp.content.decode() if "html" in resp.get("Content-Type", "") else None
        _inspect(visited, url, resp, html)
        if html is None:
            continue
        for href in HREF.findall(html):
            href = href.replace("&amp;", "&")
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or "export=" in parts.query:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen_urls:
                continue
            seen_urls.add(target)
            key = _key(target)
            if key is not None and key not in seen_keys:
                seen_keys.add(key)
                queue.append(target)
    return visited
