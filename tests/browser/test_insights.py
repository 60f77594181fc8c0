"""The zone dashboard, a chain dashboard, the investment map and the big screen load in a real browser with
their charts drawn (an ECharts canvas with pixels on it) and no console error."""

import pytest

pytestmark = pytest.mark.browser

CANVAS_DRAWN = """(sel) => { const c = document.querySelector(sel + ' canvas'); if (!c || !c.width || !c.height) return false;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) return true; } return false; }"""


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.text} {m.location}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def _drawn(page, selector):
    page.wait_for_function(CANVAS_DRAWN, arg=selector)
    return True


def test_zone_staff_sees_the_zone_dashboard_and_a_chain_dashboard_with_charts(page, live_url, login):
    errors = _watch(page)
    login(page, "zj_zone")
    page.goto(live_url + "/insights/dashboard/?period=year&date=2025-06-01")
    assert _drawn(page, "#trend-chart") and _drawn(page, "#health-chart")
    assert page.locator("[data-figure=investment_projects] .fw-bold").inner_text() == "9"
    page.locator("#health-def").scroll_into_view_if_needed()
    page.get_by_role("link", name="高技术船舶海工装备").first.click()
    page.wait_for_url("**/insights/dashboard/chain/**")
    assert _drawn(page, "#trend-chart") and _drawn(page, "#health-chart")
    assert errors == []


def test_the_investment_map_draws_its_nodes(page, live_url, login):
    errors = _watch(page)
    login(page, "zj_chain")
    page.goto(live_url + "/insights/map/")
    page.get_by_role("link", name="高技术船舶海工装备").first.click()
    page.wait_for_url("**/insights/map/*/")  # the predicate below would throw on the index page
    page.wait_for_function("document.getElementById('chain-map').dataset.rendered > 0")
    assert _drawn(page, "#chain-map")
    assert page.locator("#node-table").get_by_text("船舶绿色拆解与循环利用").is_visible()
    assert errors == []


def test_the_big_screen_is_dark_full_screen_and_drawn(page, live_url, login):
    errors = _watch(page)
    login(page, "zj_zone")
    page.goto(live_url + "/insights/screen/?date=2025-06-01")
    for sel in ("#chains-chart", "#loop-chart", "#gaps-chart", "#trend-chart"):
        assert _drawn(page, sel), sel
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(11, 16, 38)"
    assert page.evaluate("document.body.scrollHeight <= window.innerHeight + 1")
    assert errors == []
