import re

import pytest

pytestmark = pytest.mark.browser


def test_the_service_loop_from_order_to_rating_shows_every_step_with_its_actor(page, live_url, login, browser):
    # 1. the firm places an order (phone-sized screen)
    firm = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    login(firm, "zj_firm")
    firm.goto(live_url + "/services/orders/new/")
    firm.select_option("#id_category", label="用地审批")
    firm.fill("#id_title", "浏览器测试：新建分段车间用地规划许可")
    firm.fill("#id_description", "新建分段车间需要办理用地规划许可，请协调。")
    firm.click("[data-testid=order-submit]")
    firm.wait_for_url(re.compile(r"/services/orders/\d+/$"))
    order_url = firm.url
    firm.context.close()

    # 2. the chain committee dispatches it to 自然资源和规划分局, helped by the suggestions
    login(page, "zj_chain")
    page.goto(order_url)
    assert "自然资源和规划分局" in page.locator("[data-testid=suggestions]").inner_text()
    page.select_option("#id_lead", label="自然资源和规划分局")
    page.click("[data-testid=dispatch-submit]")
    page.locator("text=已派单").first.wait_for()
    page.context.clear_cookies()

    # 3. the department accepts and resolves it
    login(page, "zj_dept")
    page.goto(order_url)
    page.click("button[data-action=accept]")
    page.locator(".alert-success").wait_for()
    page.fill("textarea[aria-label=办结说明]", "已核发用地规划许可证。")
    page.click("button[data-action=resolve]")
    page.locator(".alert-success").wait_for()
    page.context.clear_cookies()

    # 4. the firm rates it
    login(page, "zj_firm")
    page.goto(order_url)
    page.select_option("select[name=satisfaction]", label="满意")
    page.click("button[data-action=rate]")
    page.locator(".alert-success").wait_for()

    timeline = page.locator("[data-testid=timeline] li")
    actions = [timeline.nth(i).get_attribute("data-action") for i in range(timeline.count())]
    assert actions == ["submit", "dispatch", "accept", "resolve", "rate"]
    text = page.locator("[data-testid=timeline]").inner_text()
    for actor in ("镇江船厂联络员（演示）", "镇江船舶链联合党委（演示）", "自然资源和规划分局（演示）"):
        assert actor in text
