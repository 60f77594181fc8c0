"""The home page's 我的工作台: each figure is the row count of the page it links to."""

import datetime
import re

import pytest

ROW = re.compile(r'href="([^"]+)" data-work="([^"]+)">\s*<span>[^<]*</span>\s*<span class="[^"]*">(\d+)</span>')


@pytest.fixture
def late_and_fresh_work():
    """Work that is overdue and work that is not, in the queue and in 自然资源和规划分局's inbox, so that
    "其中已超时" is a strict part of its list."""
    from django.utils import timezone

    from liantong.services import services

    from .helpers import ZJ_LAND, dept, user

    firm, chain = user("zj_firm"), user("zj_chain")
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=30)
    services.place_order(actor=firm, title="逾期未派的用地诉求", category="land", at=long_ago)
    services.place_order(actor=firm, title="刚提交的用地诉求", category="land", at=now)
    for title, at in (("逾期未接的用地诉求", long_ago), ("刚派出的用地诉求", now)):
        o = services.place_order(actor=firm, title=title, category="land", at=at)
        services.transition(o, "dispatch", actor=chain, at=at, lead=dept(ZJ_LAND))


@pytest.mark.parametrize("persona, labels", [
    ("firm_a", {"办理中的诉求", "待我评价"}),
    ("chain_staff", {"待派单", "其中已超时", "红牌督办", "黄牌预警"}),
    ("zone_staff", {"待派单", "其中已超时", "红牌督办", "黄牌预警"}),
    ("by_zone", {"待派单", "其中已超时", "红牌督办", "黄牌预警"}),
    ("dept_staff", {"部门待办", "其中已超时"}),
])
def test_work_panel_figures_equal_the_linked_pages(persona, labels, personas, client_for, late_and_fresh_work):
    client = client_for(personas[persona])
    rows = ROW.findall(client.get("/").content.decode())
    shown = {label for _, label, _ in rows}
    assert labels <= shown, rows
    figures = {}
    for url, label, n in rows:
        page = client.get(url.replace("&amp;", "&"))
        assert page.status_code == 200, url
        total = int(re.search(r"共 (\d+)", page.content.decode()).group(1))
        assert int(n) == total, (label, url)
        figures[label] = int(n)
    if "其中已超时" in labels and persona != "by_zone":  # (this test's late and fresh work is in 镇江)
        whole = figures.get("待派单", figures.get("部门待办"))
        assert 0 < figures["其中已超时"] < whole, figures


def test_the_demo_gives_the_committee_live_work(personas, client_for):
    """The demo's open orders are placed relative to its load day: something waits and a red card shows."""
    rows = {label: int(n) for _, label, n in ROW.findall(client_for(personas["chain_staff"]).get("/").content.decode())}
    assert rows["待派单"] >= 1 and rows["红牌督办"] >= 1


def test_no_panel_for_users_without_service_work(personas, client_for):
    for persona in ("admin", "uni", "nobody"):
        assert "我的工作台" not in client_for(personas[persona]).get("/").content.decode(), persona
