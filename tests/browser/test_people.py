import pytest

pytestmark = pytest.mark.browser

A, B = "镇江船厂设计所党支部", "中船动力研发中心党支部"


def test_a_joint_activity_of_two_orgs_checks_two_members_in_and_both_org_records_count_the_person_times(
        page, live_url, login):
    login(page, "zj_chain")
    page.goto(live_url + "/people/activity/new/")
    page.fill("input[name=title]", "船海联合主题党日（浏览器测试）")
    page.select_option("select[name=kind]", label="联合主题党日")
    page.select_option("select[name=lead_org]", label=A)
    page.select_option("select[name=organisers]", label=[B])
    page.fill("input[name=held_on]", "2026-05-08")
    page.get_by_role("button", name="保存").click()
    page.locator("[data-testid=person-times]").wait_for()
    assert page.locator("[data-testid=person-times]").inner_text() == "0"
    assert page.locator("svg").first.is_visible()  # the check-in QR code

    options = page.locator("select[name=members] option").all_text_contents()
    box = page.get_by_role("searchbox", name="筛选党员")  # a large zone lists thousands: the secretary types
    box.fill(B)
    shown = page.locator("select[name=members] option:not([hidden])").all_text_contents()
    assert shown and all(f"（{B}）" in o for o in shown) and len(shown) < len(options), shown
    assert page.locator("#members-shown").inner_text() == f"显示 {len(shown)} / {len(options)} 项"
    box.fill("")
    assert page.locator("select[name=members] option:not([hidden])").count() == len(options)
    pick = [next(o for o in options if f"（{A}）" in o), next(o for o in options if f"（{B}）" in o)]
    page.select_option("select[name=members]", label=pick)
    page.select_option("select[name=action]", value="check_in")
    page.get_by_role("button", name="确认").click()
    page.locator("text=已为 2 名党员签到").wait_for()
    assert page.locator("[data-testid=person-times]").inner_text() == "2"
    detail = page.url

    for org in (A, B):
        page.goto(detail)
        page.get_by_role("link", name=org).first.click()
        page.locator("[data-testid=record-person-times]").wait_for()
        row = page.locator("tr", has_text="船海联合主题党日（浏览器测试）")
        assert row.locator("td").last.inner_text() == "2"
