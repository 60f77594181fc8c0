"""Who may open which page and API endpoint: in scope, out of scope (404), anonymous (login / 401);
plus suggestions, figures and the stats keys counted from the demo."""

import pytest
from django.test import Client

from liantong.services.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def land_order():
    # the demo's first order: 镇江船厂's land approval, led by 自然资源和规划分局
    return ServiceRequest.objects.get(ref="ZJ-DEMO-001")


ORDER_SEES = {"admin": 200, "zone_staff": 200, "chain_staff": 200, "dept_staff": 200, "firm_a": 200,
              "firm_b": 404, "uni": 404, "by_zone": 404, "nobody": 404}


@pytest.mark.parametrize("persona, status", ORDER_SEES.items())
def test_the_order_page_and_api_answer_by_scope(persona, status, personas, client_for, land_order):
    c = client_for(personas[persona])
    assert c.get(f"/services/orders/{land_order.pk}/").status_code == status
    assert c.get(f"/api/v1/orders/{land_order.pk}").status_code == status


def test_anonymous_users_are_sent_to_login_or_get_401(land_order):
    c = Client()
    r = c.get(f"/services/orders/{land_order.pk}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert c.get("/services/queue/").status_code == 302
    assert c.get(f"/api/v1/orders/{land_order.pk}").status_code == 401
    assert c.get("/api/v1/orders").status_code == 401


PAGES = {
    "/services/orders/": {"zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "by_zone"},
    "/services/orders/new/": {"firm_a", "firm_b"},
    "/services/queue/": {"zone_staff", "chain_staff", "by_zone"},
    "/services/dept/": {"dept_staff"},
    "/services/board/": {"zone_staff", "chain_staff", "by_zone"},
    "/services/figures/": {"zone_staff", "chain_staff", "dept_staff", "by_zone"},
    "/services/bundles/": {"zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "by_zone"},
    "/services/inbox/": {"zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni", "by_zone", "nobody"},
}


@pytest.mark.parametrize("url, allowed", PAGES.items())
def test_each_page_opens_for_its_roles_only(url, allowed, personas, client_for):
    for name in ("zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni", "by_zone", "nobody"):
        status = client_for(personas[name]).get(url).status_code
        assert status == (200 if name in allowed else 404), (name, url, status)


def test_lists_show_only_what_the_user_may_see(personas, client_for):
    def refs(name):
        r = client_for(personas[name]).get("/api/v1/orders?page_size=200")
        return {o["ref"] for o in r.json()["items"]}

    zone, firm_a, dept, by_zone = refs("zone_staff"), refs("firm_a"), refs("dept_staff"), refs("by_zone")
    assert "ZJ-DEMO-001" in zone and "ZJ-DEMO-001" in firm_a and "ZJ-DEMO-001" in dept
    assert firm_a < zone and dept < zone
    assert not (zone & by_zone)
    ship = ServiceRequest.objects.get(ref="ZJ-DEMO-001").enterprise_id
    assert all(o.enterprise_id == ship for o in ServiceRequest.objects.filter(ref__in=firm_a))


def test_every_list_exports_to_excel(personas, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    for name, url in [("zone_staff", "/services/orders/"), ("zone_staff", "/services/queue/"),
                      ("dept_staff", "/services/dept/"), ("zone_staff", "/services/board/")]:
        r = client_for(personas[name]).get(url + "?export=xlsx")
        assert r.status_code == 200, url
        wb = load_workbook(BytesIO(r.content))
        assert wb.active.max_row >= 1


def test_the_bell_shows_the_unread_count_on_every_page(personas, client_for):
    from liantong.services.models import Notification

    user = personas["chain_staff"]
    n = Notification.objects.filter(user=user, read_at__isnull=True).count()
    assert n > 0
    html = client_for(user).get("/orgs/chain/").content.decode()
    assert f'id="unread-count">{n}<' in html


def test_the_firm_places_an_order_through_the_api(personas, client_for):
    r = client_for(personas["firm_a"]).post("/api/v1/orders", {"title": "码头用电增容", "category": "market"},
                                            content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert body["state"] == "submitted" and body["timeline"][0]["action"] == "submit"
    r = client_for(personas["zone_staff"]).post("/api/v1/orders", {"title": "代点单", "category": "land"},
                                                content_type="application/json")
    assert r.status_code == 400 and "只有企业用户" in r.json()["detail"]


def test_dispatch_suggestions_learn_from_history_and_say_why(personas):
    from liantong.services import services
    from liantong.services.suggest import suggest

    order = services.place_order(actor=personas["firm_a"], title="新厂房用地规划许可", category="land")
    ranked = suggest(order)
    assert ranked[0]["department"].name == "自然资源和规划分局"
    assert any("同类诉求" in r and "次派往该部门" in r for r in ranked[0]["reasons"])


def test_the_keyword_table_helps_while_history_is_thin(personas):
    from liantong.services import services
    from liantong.services.models import DispatchStat
    from liantong.services.suggest import suggest

    order = services.place_order(actor=personas["firm_a"], title="申请技改项目贷款贴息", category="other")
    DispatchStat.objects.filter(zone_id=order.zone_id).delete()
    ranked = suggest(order)
    assert ranked and ranked[0]["department"].name == "财政金融局"
    assert any(r.startswith("关键词：") and "贷款" in r for r in ranked[0]["reasons"])


def test_zhenjiang_has_47_resolved_orders_counted_by_stats(personas, client_for):
    from liantong.services.models import OrderState as S

    zone_id = personas["zone_staff"].zone_id
    stats = client_for(personas["zone_staff"]).get(f"/api/v1/zones/{zone_id}/stats").json()
    resolved = ServiceRequest.objects.filter(zone_id=zone_id, state__in=[S.RESOLVED, S.RATED, S.CLOSED]).count()
    assert stats["orders_resolved"] == resolved == 47
    assert stats["orders"] == ServiceRequest.objects.filter(zone_id=zone_id).count()
    for key in ("response_rate", "on_time_rate", "satisfaction_rate"):
        assert 0 <= stats[key] <= 100
    assert stats["on_time_rate"] < 100  # some demo orders ran late


def test_the_demo_has_late_orders_with_red_cards_and_returned_ones(personas):
    zone_id = personas["zone_staff"].zone_id
    demo = ServiceRequest.objects.filter(zone_id=zone_id, ref__startswith="ZJ-DEMO-")
    assert demo.filter(cards__level="red").distinct().count() >= 3
    assert demo.filter(timeline__action="return").distinct().count() >= 3
    assert demo.filter(timeline__action="reopen").exists()


def test_the_demo_loader_runs_twice_without_changing_anything(personas):
    from liantong.core import demo as core_demo
    from liantong.services import demo

    before = ServiceRequest.objects.count()
    ctx = {"roles": {r.code: r for r in __import__("liantong.accounts.models", fromlist=["Role"]).Role.objects.all()}}
    from liantong.orgs.models import Chain, Department, Enterprise  # noqa: F401

    zone = personas["zone_staff"].zone
    ctx["zhenjiang"] = {
        "zone": zone, "depts": {d.name: d for d in Department.objects.filter(zone=zone)},
        "ship": Enterprise.objects.get(name="江苏省镇江船厂（集团）有限公司"),
        "engine": Enterprise.objects.get(name="中船动力（集团）有限公司"),
        "firms": list(Enterprise.objects.filter(zone=zone, is_demo=True).order_by("id")),
    }
    assert core_demo  # the registry the loader is part of
    demo.load(ctx)
    assert ServiceRequest.objects.count() == before


def test_the_order_page_shows_the_timeline_with_each_actor(personas, client_for, land_order):
    html = client_for(personas["zone_staff"]).get(f"/services/orders/{land_order.pk}/").content.decode()
    for t in land_order.timeline.all():
        assert t.actor_name in html


def test_a_committee_dispatches_from_the_order_page(personas, client_for):
    from liantong.orgs.models import Department
    from liantong.services import services

    order = services.place_order(actor=personas["firm_a"], title="新建船台用地预审", category="land")
    dept = Department.objects.get(zone_id=order.zone_id, name="自然资源和规划分局")
    c = client_for(personas["chain_staff"])
    page = c.get(f"/services/orders/{order.pk}/").content.decode()
    assert "推荐承办部门" in page
    r = c.post(f"/services/orders/{order.pk}/move/", {"action": "dispatch", "state": "submitted", "lead": dept.pk})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.state == "dispatched"
    r = c.post(f"/services/orders/{order.pk}/move/", {"action": "dispatch", "state": "submitted", "lead": dept.pk},
               follow=True)
    assert "已被他人处理" in r.content.decode()
