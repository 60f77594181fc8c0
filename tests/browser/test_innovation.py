"""The challenge board end to end in a browser (issue 9): the chain committee publishes a challenge, the
university's team bids, the publisher selects it, the team reports a milestone, and the publisher accepts."""

import datetime

import pytest

pytestmark = pytest.mark.browser


def _as(browser, login, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, username)
    return context, page


def _state(page) -> str:
    return page.locator("[data-testid=challenge-state]").inner_text().strip()


def test_publish_bid_select_report_a_milestone_and_accept(browser, live_url, login):
    chain_ctx, chain = _as(browser, login, "zj_chain")
    uni_ctx, uni = _as(browser, login, "zj_uni")
    try:
        # 1. the chain committee sets a challenge and publishes it (发榜)
        chain.goto(live_url + "/innovation/challenge/new/")
        chain.fill("#id_title", "船用氨燃料发动机燃烧技术（浏览器测试）")
        chain.select_option("#id_field", "power")
        chain.select_option("#id_chain", label="高技术船舶海工装备")
        chain.fill("#id_problem", "氨燃料着火难、燃烧慢，氮氧化物排放高。")
        chain.fill("#id_reward", "200")
        chain.click("button:has-text('保存')")
        chain.wait_for_url(lambda u: "/innovation/challenge/" in u and "/new/" not in u)
        assert _state(chain) == "需求征集"
        url = chain.url
        chain.get_by_role("button", name="发榜", exact=True).click()
        chain.wait_for_load_state()
        assert _state(chain) == "已发榜"

        # 2. the university's team bids (揭榜), a party member leading
        uni.goto(url)
        due = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
        form = uni.locator("[data-testid=bid-form]")
        form.locator("#id_team_name").fill("氨燃料燃烧党员攻关团队")
        form.locator("#id_leader_name").fill("王振华")
        form.locator("#id_plan").fill("预混燃烧与引燃策略联合攻关。")
        form.locator("#id_budget").fill("180")
        form.locator("#id_planned_milestones").fill(f"燃烧方案设计,{due}")
        form.locator("#id_members").fill("王振华,江苏科技大学,总负责,是,是\n陈晓东,江苏科技大学,仿真,否,否")
        form.get_by_role("button", name="提交揭榜申请").click()
        uni.wait_for_load_state()
        bids = uni.locator("[data-testid=bids]")
        assert bids.locator("text=氨燃料燃烧党员攻关团队").is_visible()
        assert bids.locator("text=待评审").is_visible()

        # 3. the publisher selects the team and signs: the bid becomes a 党员攻关联合体
        chain.reload()
        chain.get_by_role("button", name="选定该团队").click()
        chain.wait_for_load_state()
        assert _state(chain) == "待签约"
        chain.get_by_role("button", name="签约", exact=True).click()
        chain.wait_for_load_state()
        assert _state(chain) == "攻关中"
        assert chain.locator("[data-testid=consortium-link]").inner_text() == "氨燃料燃烧党员攻关团队党员攻关联合体"

        # 4. the team reports its milestone on the consortium's page
        uni.goto(url)
        uni.locator("[data-testid=consortium-link]").click()
        milestones = uni.locator("[data-testid=milestones]")
        assert milestones.locator("text=燃烧方案设计").is_visible()
        milestones.locator("input[name=note]").fill("完成预混燃烧方案设计与仿真")
        milestones.get_by_role("button", name="报告进展").click()
        uni.wait_for_load_state()
        assert uni.locator("[data-testid=milestones]").locator("text=已报告").is_visible()
        assert uni.locator("text=完成预混燃烧方案设计与仿真").is_visible()

        # 5. the team submits the result; the publisher accepts it (验收)
        uni.goto(url)
        actions = uni.locator("[data-testid=challenge-actions]")
        actions.locator("input[name=note]").fill("样机燃烧试验达标，提交验收")
        actions.get_by_role("button", name="提交验收").click()
        uni.wait_for_load_state()
        assert _state(uni) == "验收中"
        chain.reload()
        actions = chain.locator("[data-testid=challenge-actions]")
        actions.locator("input[name=note]").fill("验收通过：氨燃料燃烧效率与排放指标达到榜单要求")
        actions.get_by_role("button", name="验收通过").click()
        chain.wait_for_load_state()
        assert _state(chain) == "已验收"
        assert "验收通过：氨燃料燃烧效率" in chain.locator("[data-testid=challenge-result]").inner_text()
    finally:
        chain_ctx.close()
        uni_ctx.close()
