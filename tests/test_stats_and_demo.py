"""The seed's figures are counted from data, and the demo is idempotent."""

import re

from liantong.core import demo
from liantong.core.models import AuditLog, Zone
from liantong.orgs.models import Member, PartyOrg

FIG = 'data-figure="党员">{}</div>'  # the zone home's total of members


def stats(client, zone):
    resp = client.get(f"/api/v1/zones/{zone.pk}/stats")
    assert resp.status_code == 200
    return resp.json()


def test_baiyin_stats_are_the_articles_figures(personas, client_for):
    s = stats(client_for(personas["by_zone"]), Zone.objects.get(short_name="白银"))
    assert [s[k] for k in ("chains", "chain_committees", "enterprises", "party_orgs", "members")] == [
        12, 12, 117, 243, 5333]


def test_zhenjiang_has_three_vanguard_teams_and_its_two_pairings(personas, client_for):
    s = stats(client_for(personas["zone_staff"]), Zone.objects.get(short_name="镇江"))
    assert s["vanguard_teams"] == 3
    assert s["pairings"] == 2


def test_figures_are_computed_not_stored(personas, client_for):
    zone = Zone.objects.get(short_name="白银")
    c = client_for(personas["by_zone"])
    Member.objects.filter(zone=zone).order_by("pk").first().delete()
    assert stats(c, zone)["members"] == 5332


def test_running_the_demo_again_changes_nothing(personas, client_for):
    zone = Zone.objects.get(short_name="白银")
    c = client_for(personas["by_zone"])
    before = stats(c, zone)
    counts = (Member.objects.count(), PartyOrg.objects.count())
    last_audit = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    demo.run(log=lambda s: None)
    assert stats(c, zone) == before
    assert (Member.objects.count(), PartyOrg.objects.count()) == counts
    writes = AuditLog.objects.filter(pk__gt=last_audit, action__in=["create", "update", "delete"])
    assert list(writes.values_list("object_type", "object_repr")) == []


def test_the_stats_of_another_zone_answer_404(personas, client_for):
    resp = client_for(personas["zone_staff"]).get(f"/api/v1/zones/{Zone.objects.get(short_name='白银').pk}/stats")
    assert resp.status_code == 404


def test_the_zone_home_shows_every_registered_figure_and_a_dash_for_rates_without_data(personas, client_for):
    """Each app's zone figures reach the zone committee's home with their labels; 平顶山 has no orders yet,
    so its rates show “—” on the platform administrator's zone table, never “None”."""
    from liantong.core.models import Zone
    from liantong.core.stats import LABELS, zone_stats

    html = client_for(personas["zone_staff"]).get("/").content.decode()
    assert "None" not in html
    for label in ("链上企业", "企业诉求", "响应率（%）", "共享资源", "有效供需信息", "签约金额（万元）"):
        assert f'data-figure="{label}"' in html, label
    pds = Zone.objects.get(name__startswith="平顶山")
    assert zone_stats(pds)["response_rate"] is None
    assert set(LABELS) <= set(zone_stats(pds)), "every labelled key is computed"
    admin = client_for(personas["admin"]).get("/").content.decode()
    assert "None" not in admin
    row = re.search(rf'data-zone="{pds.pk}">(.*?)</tr>', admin, re.S).group(1)
    assert '<td data-label="满意率">—</td>' in row


def test_home_figures_are_counted_at_most_once_a_minute_and_the_api_counts_live(personas, client_for):
    from django.core.cache import cache

    from liantong.core.models import Zone
    from liantong.orgs.models import Member

    zone = Zone.objects.get(name__startswith="白银")
    client = client_for(personas["by_zone"])
    assert FIG.format(5333) in client.get("/").content.decode()
    Member.objects.filter(zone=zone).order_by("id").first().delete()
    page = client.get("/").content.decode()
    assert FIG.format(5333) in page and "每分钟更新" in page
    assert client.get(f"/api/v1/zones/{zone.pk}/stats").json()["members"] == 5332
    cache.delete(f"home_figures:{zone.pk}")  # what the minute's expiry does
    assert FIG.format(5332) in client.get("/").content.decode()


ADMIN_COLUMNS = ("产业链", "链上企业", "党员", "企业诉求", "满意率")


def admin_rows(client) -> dict[int, dict[str, str]]:
    """The platform administrator's table of zones: ``{zone id: {column: text}}`` (a link's text)."""
    html = client.get("/").content.decode()
    return {int(zid): dict(re.findall(r'<td data-label="([^"]+)">(?:<a href="[^"]*"[^>]*>)?([^<]*)(?:</a>)?</td>', row))
            for zid, row in re.findall(r'<tr data-zone="(\d+)">(.*?)</tr>', html, re.S)}


def test_the_administrator_s_table_of_zones_counts_each_zone_from_its_rows(personas, client_for):
    """Every zone's row: its chains, firms, members and orders counted here from the rows, and the share of
    rated orders rated 基本满意 or better."""
    from liantong.orgs.models import Chain, Enterprise
    from liantong.services.models import Satisfaction, ServiceRequest

    rows = admin_rows(client_for(personas["admin"]))
    zones = list(Zone.objects.order_by("pk"))
    assert sorted(rows) == [z.pk for z in zones]
    for z in zones:
        rated = [s for s in ServiceRequest.objects.filter(zone=z).values_list("satisfaction", flat=True) if s is not None]
        rate = f"{100 * sum(1 for s in rated if s >= Satisfaction.BASIC) / len(rated):.1f}%" if rated else "—"
        assert [rows[z.pk][c] for c in ADMIN_COLUMNS] == [
            str(Chain.objects.filter(zone=z).count()), str(Enterprise.objects.filter(zone=z).count()),
            str(Member.objects.filter(zone=z).count()), str(ServiceRequest.objects.filter(zone=z).count()), rate], z.name
    assert any(rows[z.pk]["满意率"] != "—" for z in zones), "the demo rates some orders"


def test_the_administrator_s_home_asks_as_many_queries_for_thirty_zones_as_for_three(personas, client_for):
    """The table of zones is counted by grouped queries over all the zones, not zone by zone; a zone with no
    rows yet shows its zeros (no zone is left without figures)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas["admin"])

    def cold_home_queries() -> int:
        cache.clear()  # what the minute's expiry does (the test's sessions are in the database)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    cold_home_queries()  # the first request of the process also reads the holiday calendar (kept after)
    before = cold_home_queries()
    new = Zone.objects.bulk_create([Zone(name=f"测试园区{i:02d}", short_name=f"测试{i:02d}") for i in range(27)])
    assert cold_home_queries() == before
    rows = admin_rows(client)
    assert len(rows) == Zone.objects.count() >= 30
    for z in Zone.objects.filter(name__in=[z.name for z in new]):
        assert [rows[z.pk][c] for c in ADMIN_COLUMNS] == ["0", "0", "0", "0", "—"]


def test_each_count_of_the_administrator_s_table_is_the_count_of_the_zone_s_list_it_links_to(personas, client_for):
    client = client_for(personas["admin"])
    html = client.get("/").content.decode()
    rows = re.findall(r'<tr data-zone="(\d+)">.*?</tr>', html, re.S)
    cells = re.findall(r'<td data-label="([^"]+)"><a href="([^"]+)" aria-label="[^"]+：(\d+)">(\d+)</a></td>', html)
    assert len(cells) == 4 * len(rows) == 4 * Zone.objects.count(), cells
    for label, url, spoken, n in cells:
        assert spoken == n, "the link's spoken name says the figure it shows"
        page = client.get(url.replace("&amp;", "&"))
        assert page.status_code == 200, url
        assert int(re.search(r"共 (\d+)", page.content.decode()).group(1)) == int(n), (label, url)
