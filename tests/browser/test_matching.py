import pytest

pytestmark = pytest.mark.browser


def test_a_firm_sees_ranked_matches_with_their_reasons_and_shows_interest(page, live_url, login):
    login(page, "zj_firm2")  # 镇江海帆船舶配件
    page.goto(live_url + "/matching/listing/?q=船板")
    page.locator("#list-table").get_by_role("link", name="舾装件加工用船用钢板采购").click()
    matches = page.locator("[data-testid=match]")
    matches.first.wait_for()
    first = matches.first
    assert "AH36/DH36高强度船板现货供应" in first.inner_text()
    reasons = first.locator("[data-testid=match-reasons]").inner_text()
    assert "匹配词" in reasons and "船板" in reasons
    assert "对方在上游环节" in reasons
    assert "就近配套" in reasons
    first.get_by_role("button", name="有意向").click()
    page.wait_for_url("**/matching/contact/**")
    assert page.locator("text=已向").first.is_visible()
    assert page.locator("text=待回复").first.is_visible()


def test_the_chain_page_shows_the_masters_open_scenario(page, live_url, login):
    login(page, "zj_chain")
    page.goto(live_url + "/orgs/chain/")
    page.locator("#list-table").get_by_role("link", name="高技术船舶海工装备").click()
    block = page.locator("[data-testid=chain-scenarios]")
    block.wait_for()
    assert "镇江船厂开放供应链场景" in block.inner_text()
