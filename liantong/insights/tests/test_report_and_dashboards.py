"""The work report states 镇江's investment and service figures for 2025, each computed (change the data and
the report changes; the other strands' figures: ``test_report_figures.py``); the dashboards and the big screen
answer per period and refuse a bad one in Chinese."""

import datetime
import re

import pytest
from django.core.management import call_command

from liantong.core import stats
from liantong.core.models import Zone
from liantong.insights import report, services
from liantong.insights.workflow import PROJECT
from liantong.orgs.models import Chain

pytestmark = pytest.mark.django_db

def _report_text(tmp_path, zone="镇江高新区", year=2025) -> str:
    out = tmp_path / "report.docx"
    call_command("report", zone=zone, year=year, out=str(out))
    return report.text_of(out.read_bytes())


def test_the_report_states_zhenjiangs_figures_each_computed(tmp_path):
    zone = Zone.objects.get(short_name="镇江")
    figs = stats.figures(zone, stats.Period.year(2025))
    text = _report_text(tmp_path)
    assert figs["investment_projects"] == 9 and figs["investment_amount"] == 200000
    assert "强链配套项目9个，总投资额20亿元" in text
    assert "中国船舶" in text and "哈尔滨电气" in text  # the two biggest investors, named from the rows
    assert f"解决企业诉求{figs['orders_resolved']}项" in text and figs["orders_resolved"] == 47
    for title in ("组织固链", "服务优链", "创新强链", "人才", "招商"):
        assert title in text
    # every other figure of the article: test_report_figures.py


def test_changing_the_data_changes_the_report(tmp_path, personas):
    chain = Chain.objects.get(name="高技术船舶海工装备")
    p = services.save_project(actor=None, chain=chain, name="报告测试项目", investor="测试投资方", amount=50000,
                              talks_on=datetime.date(2025, 11, 1))
    PROJECT.transition(p, "sign", actor=None, at=datetime.datetime(2025, 12, 1, 10, tzinfo=datetime.UTC))
    text = _report_text(tmp_path)
    assert "强链配套项目10个，总投资额25亿元" in text


def test_a_zone_without_investment_data_says_so(tmp_path):
    text = _report_text(tmp_path, zone="白银高新区", year=2025)
    assert "强链配套项目" not in text
    assert "暂无登记数据" in text or "缺口" in text


def test_the_report_button_downloads_a_docx(personas, client_for):
    zone = Zone.objects.get(short_name="镇江")
    c = client_for(personas["zone_staff"])
    page = c.get("/insights/dashboard/?period=year&date=2025-06-01").content.decode()
    assert f"/insights/report/{zone.pk}/?year=2025" in page
    r = c.get(f"/insights/report/{zone.pk}/?year=2025")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "总投资额20亿元" in report.text_of(r.content)
    assert c.get(f"/insights/report/{zone.pk}/?year=abc").status_code == 400


@pytest.mark.parametrize("who", ["zone_staff", "chain_staff"])
def test_the_dashboards_show_the_period_figures_with_their_change_and_links(personas, client_for, who):
    c = client_for(personas[who])
    chain = Chain.objects.get(name="高技术船舶海工装备")
    for url in (f"/insights/dashboard/chain/{chain.pk}/", "/insights/dashboard/"):
        if who == "chain_staff" and url == "/insights/dashboard/":
            continue
        html = c.get(url + "?period=year&date=2025-03-01").content.decode()
        m = re.search(r'data-figure="investment_projects">\s*<div class="fs-5 fw-bold">(\d+)</div>', html)
        assert m and m.group(1) == "9", url
        assert "▲ 9" in html  # 2024 had none
        assert "/insights/project/?zone=" in html and "signed_from=2025-01-01" in html


def test_the_project_list_counts_what_the_dashboard_links_to(personas, client_for):
    zone = Zone.objects.get(short_name="镇江")
    link = stats.link_for("investment_projects", zone, stats.Period.year(2025))
    html = client_for(personas["zone_staff"]).get(link).content.decode()
    assert html.count("/insights/project/") >= 9 and "共 9 条" in html or "9" in html


def test_a_bad_period_is_a_400_in_chinese(personas, client_for):
    c = client_for(personas["zone_staff"])
    r = c.get("/insights/dashboard/?period=week")
    assert r.status_code == 400 and "统计周期" in r.content.decode()
    assert c.get("/insights/dashboard/?date=2025-02-30").status_code == 400
    zone = Zone.objects.get(short_name="镇江")
    api = c.get(f"/api/v1/zones/{zone.pk}/dashboard?period=week")
    assert api.status_code == 400 and "统计周期" in api.json()["detail"]


def test_firms_do_not_get_the_dashboards(personas, client_for):
    c = client_for(personas["firm_a"])
    assert c.get("/insights/dashboard/").status_code == 404
    assert c.get("/insights/screen/").status_code == 404


def test_the_big_screen_serves_its_data_for_refreshing(personas, client_for):
    c = client_for(personas["zone_staff"])
    assert c.get("/insights/screen/?date=2025-06-01").status_code == 200
    data = c.get("/insights/screen/?date=2025-06-01&format=json").json()
    assert data["year"] == 2025 and data["chains"] and len(data["loop"]) == 5
    assert {f["key"]: f["value"] for f in data["figures"]}["investment_projects"] == 9


def test_the_dashboard_api_gives_sections_trend_and_health(personas, client_for):
    zone = Zone.objects.get(short_name="镇江")
    r = client_for(personas["zone_staff"]).get(f"/api/v1/zones/{zone.pk}/dashboard?period=quarter&date=2025-05-01")
    assert r.status_code == 200
    body = r.json()
    assert body["period"]["label"] == "2025年第2季度"
    inv = next(s for s in body["sections"] if s["title"] == "招商")
    row = next(x for x in inv["rows"] if x["key"] == "investment_projects")
    assert row["value"] == 4  # signed 2025-04-28 (two), 2025-05-20, 2025-06-12
    assert body["chains"][0]["index"] is not None and len(body["trend"]["months"]) == 12
