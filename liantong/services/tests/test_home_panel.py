"""The home page's 我的工作台: each figure is the row count of the page it links to."""

import re

import pytest

ROW = re.compile(r'href="([^"]+)" data-work="([^"]+)">\s*<span>[^<]*</span>\s*<span class="[^"]*">(\d+)</span>')


@pytest.mark.parametrize("persona, labels", [
    ("firm_a", {"办理中的诉求", "待我评价"}),
    ("chain_staff", {"待派单", "红牌督办", "黄牌预警"}),
    ("zone_staff", {"待派单", "红牌督办", "黄牌预警"}),
    ("dept_staff", {"部门待办"}),
])
def test_work_panel_figures_equal_the_linked_pages(persona, labels, personas, client_for):
    client = client_for(personas[persona])
    rows = ROW.findall(client.get("/").content.decode())
    shown = {label for _, label, _ in rows}
    assert labels <= shown, rows
    for url, label, n in rows:
        page = client.get(url.replace("&amp;", "&"))
        assert page.status_code == 200, url
        total = int(re.search(r"共 (\d+)", page.content.decode()).group(1))
        if label == "其中已超时":
            assert int(n) <= total
        else:
            assert int(n) == total, (label, url)


def test_the_demo_gives_the_committee_live_work(personas, client_for):
    """The demo's open orders are placed relative to its load day: something waits and a red card shows."""
    rows = {label: int(n) for _, label, n in ROW.findall(client_for(personas["chain_staff"]).get("/").content.decode())}
    assert rows["待派单"] >= 1 and rows["红牌督办"] >= 1


def test_no_panel_for_users_without_service_work(personas, client_for):
    for persona in ("admin", "uni", "nobody"):
        assert "我的工作台" not in client_for(personas[persona]).get("/").content.decode(), persona
