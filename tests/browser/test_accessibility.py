"""axe-core (vendored: liantong/static/vendor/axe-core) on every page each role's menu reaches, plus its
home and 个人中心: zero serious or critical violations of WCAG 2 A/AA (and 2.1 A/AA).

axe costs about a quarter of a second a page, and six roles reach 350 pages, most of them the same lists and
forms under another menu. So each role's home is checked whole (menu, page-level rules, content), and on its
other pages axe checks the content (``#main``) unless a page of the same *structure* was checked already in
this process: the same elements with the same classes, roles, types, inline styles, ARIA and labelling
attributes, and text in the same places (``STRUCTURE``; a run of identical sibling rows counts as one row).
What axe's serious and critical rules look at — names, labels, roles, contrast of a class on a background —
is all in that structure; the text itself and the number of rows are not."""

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.engine_free]  # the rendered pages: the same demo on either engine

ROLES = ["zj_firm", "zj_dept", "zj_chain", "zj_zone", "zj_uni", "admin"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# a first pass without CSS selectors, XPaths or ancestries (a third of axe's time); only a page with a
# violation is checked again with them, to name the elements in the failure
RUN = """async ([tags, scope]) => {
  const context = scope ? {include: [[scope]]} : document;
  const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
  const bad = (r) => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  if (!bad(await axe.run(context, {...options, selectors: false, ancestry: false, xpath: false})).length) return [];
  return bad(await axe.run(context, options)).map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                        nodes: v.nodes.slice(0, 5).map(n => n.target)}));
}"""

STRUCTURE = """(scope) => {
  const kept = ['class', 'role', 'type', 'style', 'scope', 'lang', 'dir'];
  const named = (n) => n.startsWith('aria-') || ['id', 'for', 'name', 'alt', 'title', 'href', 'tabindex', 'hidden',
                                                  'disabled', 'readonly', 'required', 'placeholder', 'value'].includes(n);
  const one = (el) => {
    const parts = [el.tagName.toLowerCase()];
    for (const a of Array.from(el.attributes).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      if (kept.includes(a.name)) parts.push(`${a.name}=${a.value}`);
      else if (named(a.name)) parts.push(a.value ? a.name : `${a.name}=""`);
    }
    if (Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())) parts.push('#text');
    return parts.join(' ');
  };
  const walk = (el) => {
    const kids = [];
    let last = null;
    for (const c of el.children) {
      const s = walk(c);
      if (s !== last) kids.push(s);
      last = s;
    }
    return `<${one(el)}>${kids.join('')}</>`;
  };
  const root = document.querySelector(scope);
  if (!root) return null;
  const text = walk(root);
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;  // cyrb53: a 53-bit hash, so the page's structure need not cross to Python
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${text.length}:${4294967296 * (2097151 & h2) + (h1 >>> 0)}`;
}"""

_checked: set[str] = set()  # the structures axe found clean in this process (the browser tests share one)


def _axe(page, live_url, scope: str | None = None) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=live_url + "/static/vendor/axe-core/axe.min.js")  # cached: parsed, not fetched
    return page.evaluate(RUN, [TAGS, scope])


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
    found, checked = {}, 0
    for path in pages:
        resp = page.goto(live_url + path)
        assert resp.status == 200, path
        if path == "/":
            bad = _axe(page, live_url)  # the whole page: the role's menu, the page-level rules and the content
        else:
            scope = "#main" if page.locator("#main").count() else "body"
            structure = page.evaluate(STRUCTURE, scope)
            if structure in _checked:
                continue
            bad = _axe(page, live_url, scope)
            if not bad:
                _checked.add(structure)
        checked += 1
        if bad:
            found[path] = bad
    assert checked >= 2, "axe checked too few pages"
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_login_page_and_the_error_page_have_no_serious_or_critical_axe_violation(page, live_url):
    for path in ("/accounts/login/", "/no-such-page/"):
        page.goto(live_url + path)
        assert not _axe(page, live_url), path


def test_a_violation_is_found_and_named_on_a_page_whose_structure_was_checked_before(page, live_url, login):
    """The skip must not hide a fault: a page with an unlabelled field and low-contrast text has a new
    structure, so it is checked, and the failure names the elements."""
    login(page, "zj_firm")
    page.goto(live_url + "/accounts/profile/")
    before = page.evaluate(STRUCTURE, "#main")
    page.evaluate("""() => { const m = document.querySelector('#main');
        m.insertAdjacentHTML('beforeend', '<input type="text"><p style="color:#ddd;background:#fff">浅色文字</p>'); }""")
    assert page.evaluate(STRUCTURE, "#main") != before
    bad = {v["id"]: v["nodes"] for v in _axe(page, live_url, "#main")}
    assert "label" in bad and "color-contrast" in bad, bad
    assert all(bad[k] for k in ("label", "color-contrast")), bad
