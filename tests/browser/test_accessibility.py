"""axe-core (vendored: liantong/static/vendor/axe-core) on every page each role's menu reaches, plus its
home and 个人中心: zero serious or critical violations of WCAG 2 A/AA (and 2.1 A/AA)."""

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.engine_free]  # the rendered pages: the same demo on either engine

ROLES = ["zj_firm", "zj_dept", "zj_chain", "zj_zone", "zj_uni", "admin"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe(page, live_url) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=live_url + "/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def menu_pages(page, live_url) -> list[str]:
    """The home page, 个人中心 and every address the user's menu offers (read from the menu itself)."""
    page.goto(live_url + "/")
    hrefs = page.eval_on_selector_all("#mainnav .dropdown-menu a.dropdown-item[href]",
                                      "els => els.map(e => e.getAttribute('href'))")
    out = ["/", "/accounts/profile/"]
    for h in hrefs:
        if h.startswith("/") and h not in out and "logout" not in h and not h.startswith("/django-admin"):
            out.append(h)
    return out


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_role_s_menu_has_no_serious_or_critical_axe_violation(username, page, live_url, login):
    login(page, username)
    pages = menu_pages(page, live_url)
    assert len(pages) >= 6, pages
    found = {}
    for path in pages:
        resp = page.goto(live_url + path)
        assert resp.status == 200, path
        bad = _axe(page, live_url)
        if bad:
            found[path] = bad
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_login_page_and_the_error_page_have_no_serious_or_critical_axe_violation(page, live_url):
    for path in ("/accounts/login/", "/no-such-page/"):
        page.goto(live_url + path)
        assert not _axe(page, live_url), path
