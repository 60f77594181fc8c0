"""Every page carries a Content-Security-Policy whose nonce its inline scripts hold (no inline handlers, no
javascript: links), a Referrer-Policy, and ``Cache-Control: no-store`` — a member's page is not cached
(docs/security.md). The pages are those each persona reaches by links (``crawled``) plus the login page."""

import re

import pytest
from django.urls import reverse

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def _problems(url, resp) -> list[str]:
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
    body = resp.content.decode()
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


@pytest.mark.parametrize("persona", [pytest.param(p, marks=pytest.mark.xdist_group(f"crawl-{p}"))
                                     for p in ("admin", "zone_staff", "firm_a", "dept_staff")])
def test_every_page_sends_the_csp_and_its_inline_scripts_carry_the_nonce(persona, personas, client_for, crawled):
    client = client_for(personas[persona])
    problems, checked = [], 0
    for url, status in sorted(crawled(persona).items()):
        if status != 200:
            continue
        problems += _problems(url, client.get(url))
        checked += 1
    assert checked >= 15
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
