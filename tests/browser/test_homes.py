"""Each role logs in through the real form and its home shows its own work — not the zone's figures for
everyone. The zone committee's home switches period (month, quarter, year), shows the change against the
period before, and each figure opens the list it counts."""

import re

import pytest

pytestmark = pytest.mark.browser

# username -> panels its home must show, and one work label of each that is the role's own
HOMES = {
    "zj_firm": (["work", "matching", "resources"], ["待我评价", "本企业发布的供需", "待回复的对接意向", "本企业的预约申请"]),
    "zj_dept": (["work", "dept-rates", "resources"], ["部门待办", "本部门资源"]),
    "zj_chain": (["work", "chain", "resources"], ["待派单", "红牌督办", "链上企业", "办理中的议定事项"]),
    "zj_zone": (["zone", "work", "chains", "users"], ["待派单"]),
    "zj_uni": (["institution", "matching"], ["结对共建", "供需大厅（发布中）"]),
    "admin": (["platform", "users"], ["用户"]),
}


@pytest.mark.parametrize("username", list(HOMES))
def test_each_role_s_home_shows_that_role_s_own_work(username, page, live_url, login):
    login(page, username)
    page.goto(live_url + "/")
    panels, labels = HOMES[username]
    for key in panels:
        assert page.locator(f"[data-home='{key}']").is_visible(), key
    if username != "zj_zone":
        assert page.locator("[data-home='zone']").count() == 0, "the zone's figures are the zone committee's"
    for label in labels:
        assert page.locator(f"[data-work='{label}']").first.is_visible(), label
    # a figure opens its list, which counts the same rows
    row = page.locator(f"[data-work='{labels[0]}']").first
    n = int(row.locator(".badge").inner_text())
    row.click()
    page.wait_for_load_state()
    assert f"共 {n} " in page.locator("body").inner_text()


def test_the_zone_home_switches_period_and_each_figure_opens_its_list(page, live_url, login):
    login(page, "zj_zone")
    page.goto(live_url + "/")
    zone = page.locator("[data-home='zone']")
    assert "本月工作数据" in zone.inner_text() and "对比上月" in zone.inner_text()
    zone.locator("[data-period='year']").click()
    page.wait_for_url(re.compile(r"period=year"))
    zone = page.locator("[data-home='zone']")
    assert "本年工作数据" in zone.inner_text() and "对比上年" in zone.inner_text()
    assert zone.locator("[data-period='year'][aria-current]").count() == 1
    figure = zone.locator("[data-flow='orders_resolved_in']")
    n = int(figure.locator("[data-value]").get_attribute("data-value"))
    assert "上年" in figure.inner_text()
    figure.click()
    page.wait_for_url(re.compile(r"/services/orders/\?resolved_from="))
    assert f"共 {n} " in page.locator("body").inner_text()
