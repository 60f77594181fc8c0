import pytest

pytestmark = pytest.mark.browser


def test_chain_staff_logs_in_and_sees_the_chain_diagram(page, live_url, login):
    login(page, "zj_chain")
    page.goto(live_url + "/orgs/chain/")
    page.locator("#list-table").get_by_role("link", name="高技术船舶海工装备").click()
    diagram = page.locator("[data-testid=chain-diagram]")
    diagram.wait_for()
    # ECharts renders into a canvas and our script records how many nodes it drew
    page.wait_for_selector("#diagram[data-rendered]")  # (no wait_for_function: the CSP forbids eval)
    assert diagram.locator("canvas").count() >= 1
    assert int(diagram.get_attribute("data-rendered")) >= 5  # hub + 2 masters + pairings + member orgs
    assert page.locator("text=江苏省镇江船厂（集团）有限公司").first.is_visible()
