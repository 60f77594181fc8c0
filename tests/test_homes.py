"""Each role's home shows its own work, not the zone's totals for everyone; every figure on it is the count
of the list it links to (the list read for the same user with the same query string)."""

import re

import pytest

ROW = re.compile(r'href="([^"]+)" data-work="([^"]+)">\s*<span>[^<]*</span>\s*<span class="[^"]*">(\d+)</span>')
FLOW = re.compile(r'href="([^"]+)" data-flow="([^"]+)">\s*<div class="lt-card-figure" data-value="([\d.]+)"')

# persona -> the panels (data-home) its home shows, and a figure label each must show
HOMES = {
    "firm_a": ({"work", "matching", "resources"}, {"办理中的诉求", "待我评价", "本企业发布的供需", "待回复的对接意向",
                                                   "本企业的预约申请", "未读消息"}),
    "dept_staff": ({"work", "dept-rates", "resources"}, {"部门待办", "其中已超时", "本部门资源", "行动项目"}),
    "chain_staff": ({"work", "chain", "resources"}, {"待派单", "红牌督办", "链上企业", "结对共建", "办理中的议定事项"}),
    "zone_staff": ({"zone", "work", "chains", "users"}, {"待派单", "用户"}),
    "uni": ({"institution", "matching"}, {"结对共建", "供需大厅（发布中）", "对接意向"}),
    "admin": ({"platform", "users"}, {"用户", "已停用"}),
}


def _count(client, url: str) -> int:
    page = client.get(url.replace("&amp;", "&"))
    assert page.status_code == 200, url
    return int(re.search(r"共 (\d+)", page.content.decode()).group(1))


@pytest.mark.parametrize("persona", list(HOMES))
def test_each_role_s_home_shows_its_own_panels_and_each_figure_is_its_list_s_count(persona, personas, client_for):
    client = client_for(personas[persona])
    html = client.get("/").content.decode()
    panels, labels = HOMES[persona]
    shown_panels = set(re.findall(r'data-home="([^"]+)"', html))
    assert panels <= shown_panels, shown_panels
    if persona != "zone_staff":
        assert "zone" not in shown_panels, "only the zone committee's home carries the zone's figures"
    rows = ROW.findall(html)
    assert labels <= {label for _, label, _ in rows}, rows
    for url, label, n in rows:
        assert int(n) == _count(client, url), (label, url)


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_the_zone_home_s_period_figures_are_the_counts_of_the_lists_they_link_to(period, personas, client_for):
    """Each figure of the period links to its list with the period's dates; the previous period's figure
    is the same count over the period before (the page's data-prev)."""
    from django.utils import timezone

    from liantong.core.stats import period_bounds

    client = client_for(personas["zone_staff"])
    html = client.get(f"/?period={period}").content.decode()
    start, end, prev_start, prev_end = period_bounds(period, timezone.localdate())
    assert f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}" in html
    flows = FLOW.findall(html)
    assert {key for _, key, _ in flows} >= {"orders_placed", "orders_resolved_in", "listings_posted", "deals_signed",
                                            "visits_in"}
    for url, key, value in flows:
        if key == "deal_amount_in":
            continue  # an amount, not a count: its link is the deals list of the period
        assert str(start) in url and str(end) in url
        assert float(value) == _count(client, url), (key, url)
    # the year before holds the demo's history: something to compare against
    if period == "year":
        prevs = re.findall(r'data-prev="([\d.]+)"', html)
        assert any(float(p) for p in prevs), prevs


def test_an_unknown_period_is_a_400_in_chinese(personas, client_for):
    resp = client_for(personas["zone_staff"]).get("/?period=decade")
    assert resp.status_code == 400 and "统计周期" in resp.content.decode()


def test_every_zone_total_links_to_a_list_that_answers(personas, client_for):
    client = client_for(personas["zone_staff"])
    html = client.get("/").content.decode()
    links = re.findall(r'<a class="lt-figure-link" href="([^"]+)">\s*<div class="lt-card-figure fs-4" data-figure="([^"]+)"', html)
    assert len(links) >= 15, links
    for url, label in links:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, (label, url)
