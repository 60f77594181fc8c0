import pytest

pytestmark = pytest.mark.browser


def test_a_zone_user_sees_the_shared_resource_list_and_a_resources_booking_calendar(page, live_url, login):
    login(page, "by_zone")
    page.goto(live_url + "/resources/shared/")
    assert page.locator("text=共 83 条").is_visible()
    page.locator("#list-table tbody a").first.click()
    calendar = page.locator("[data-testid=booking-calendar]")
    calendar.wait_for()
    assert calendar.locator("td[data-date]").count() >= 28
    assert calendar.locator("text=预约日历").is_visible()
    # month navigation: the previous month's grid is rendered server-side
    page.goto(page.url.split("?")[0] + "?month=2025-10")
    assert page.locator("text=2025年10月 预约日历").is_visible()
    assert page.locator("[data-testid=booking-calendar] td[data-date='2025-10-01']").is_visible()
