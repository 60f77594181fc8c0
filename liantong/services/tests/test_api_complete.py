"""The rest of the services API (issue 3): bundles, supervision cards, the user's messages, figures,
dispatch suggestions, order categories and citations from the order page. Each endpoint: scoping
(out of scope → 404), the wrong role refused in Chinese (403), bad input → 400/422 in Chinese with
nothing written, and the figures equal the page's."""

import datetime

import pytest

from liantong.core.models import AuditLog
from liantong.resources.models import ActionProject, DepartmentResource, OrderCitation
from liantong.services import services
from liantong.services.models import (
    Card,
    Notification,
    OrderState,
    ServiceBundle,
    ServiceRequest,
    TimelineEntry,
)

from .helpers import ZJ_LAND, dept, drive, new_order, user

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _zh(r) -> str:
    detail = r.json()["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), detail
    return detail


def _counts():
    return (ServiceBundle.objects.count(), ServiceRequest.objects.count(), TimelineEntry.objects.count(),
            AuditLog.objects.exclude(action__in=["login", "login_failed"]).count(), OrderCitation.objects.count(),
            Notification.objects.count())


@pytest.fixture
def demo_bundle():
    return ServiceBundle.objects.get(title="新建智能分段车间项目开工“一件事”")


# --- bundles ---------------------------------------------------------------------------------------


def test_bundles_are_listed_and_opened_by_scope(personas, client_for, demo_bundle):
    def ids(name):
        return {b["id"] for b in client_for(personas[name]).get("/api/v1/bundles?page_size=200").json()["items"]}

    assert demo_bundle.pk in ids("firm_a") and demo_bundle.pk in ids("zone_staff")
    assert demo_bundle.pk not in ids("firm_b")  # another firm's bundle is invisible
    assert demo_bundle.pk not in ids("by_zone")
    for name in ("firm_b", "by_zone", "uni", "nobody"):
        r = client_for(personas[name]).get(f"/api/v1/bundles/{demo_bundle.pk}")
        assert r.status_code == 404, name
        assert r.json()["detail"] == "未找到该记录，或您无权访问"

    body = client_for(personas["firm_a"]).get(f"/api/v1/bundles/{demo_bundle.pk}").json()
    assert body["title"] == demo_bundle.title and body["enterprise_name"] == demo_bundle.enterprise.name
    assert datetime.datetime.fromisoformat(body["due_at"]) == demo_bundle.due_at
    assert {o["id"] for o in body["orders"]} == set(demo_bundle.orders.values_list("pk", flat=True))
    assert len(body["orders"]) == 3
    assert body["progress"] == services.bundle_progress(demo_bundle) == {"done": 0, "total": 3, "percent": 0}


def test_a_department_sees_the_bundle_but_only_its_own_linked_orders(personas, client_for, demo_bundle):
    body = client_for(personas["dept_staff"]).get(f"/api/v1/bundles/{demo_bundle.pk}").json()
    visible = set(ServiceRequest.objects.visible_to(personas["dept_staff"]).filter(bundle=demo_bundle)
                  .values_list("pk", flat=True))
    assert {o["id"] for o in body["orders"]} == visible
    assert 0 < len(visible) < 3
    assert body["progress"]["total"] == 3


def test_a_firm_creates_a_bundle_through_the_api(personas, client_for):
    firm = personas["firm_a"]
    r = client_for(firm).post("/api/v1/bundles", {
        "title": "新码头项目开工", "description": "用地与融资一并办理",
        "items": [{"category": "land", "title": "码头项目用地预审"}, {"category": "finance", "title": "码头项目贷款"},
                  {"category": "", "title": "   "}]}, content_type=JSON)
    assert r.status_code == 201, r.content
    body = r.json()
    bundle = ServiceBundle.objects.get(pk=body["id"])
    assert bundle.enterprise_id == firm.enterprise_id and bundle.created_by == firm
    assert [o["state"] for o in body["orders"]] == ["submitted", "submitted"]
    assert {o["category"] for o in body["orders"]} == {"land", "finance"}
    assert body["progress"] == {"done": 0, "total": 2, "percent": 0}
    assert body["due_at"] is not None
    assert AuditLog.objects.filter(object_type="services.servicebundle", object_id=str(bundle.pk)).exists()
    # the firm_b does not see it
    assert client_for(personas["firm_b"]).get(f"/api/v1/bundles/{bundle.pk}").status_code == 404


@pytest.mark.parametrize("persona", ["zone_staff", "chain_staff", "dept_staff", "uni", "nobody"])
def test_only_a_firm_may_create_a_bundle(persona, personas, client_for):
    before = _counts()
    r = client_for(personas[persona]).post("/api/v1/bundles", {
        "title": "代企业提交", "items": [{"category": "land", "title": "甲"}, {"category": "tech", "title": "乙"}]},
        content_type=JSON)
    assert r.status_code == 403
    assert "只有企业用户" in _zh(r)
    assert _counts() == before


@pytest.mark.parametrize("payload, status, message", [
    ({"title": "", "items": [{"category": "land", "title": "甲"}, {"category": "tech", "title": "乙"}]}, 400,
     "事项名称不能为空"),
    ({"title": "长" * 101, "items": [{"category": "land", "title": "甲"}, {"category": "tech", "title": "乙"}]}, 400,
     "不能超过 100 字"),
    ({"title": "一件事", "items": [{"category": "land", "title": "只有一项"}]}, 400, "至少包含两项"),
    ({"title": "一件事", "items": [{"category": "land", "title": f"第{i}项"} for i in range(11)]}, 400, "最多包含"),
    # the second item is bad: the first one (and the bundle) must not stay behind
    ({"title": "一件事", "items": [{"category": "land", "title": "用地"}, {"category": "nonsense", "title": "乙"}]},
     400, "第2项：请选择有效的诉求类别"),
    ({"title": "一件事", "items": [{"category": "land", "title": "用地"}, {"category": "tech", "title": "长" * 101}]},
     400, "第2项：诉求标题不能超过 100 字"),
    ({"title": "一件事", "items": "不是列表"}, 422, "请求数据有误"),
])
def test_a_bad_bundle_is_refused_in_chinese_and_nothing_is_written(payload, status, message, personas,
                                                                   client_for):
    before = _counts()
    r = client_for(personas["firm_a"]).post("/api/v1/bundles", payload, content_type=JSON)
    assert r.status_code == status
    assert message in _zh(r)
    assert _counts() == before


def _resolved_bundle(firm):
    """A new bundle of two orders, each dispatched, accepted and resolved by legal moves."""
    at = datetime.datetime(2025, 6, 9, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    bundle = services.create_bundle(actor=firm, title="厂房扩建“一件事”", at=at, items=[
        {"category": "land", "title": "扩建用地"}, {"category": "approval", "title": "扩建施工许可"}])
    land = user("zj_dept")
    for i, order in enumerate(bundle.orders.order_by("id")):
        t = at + datetime.timedelta(hours=1 + i)
        order = services.transition(order, "dispatch", actor=user("zj_chain"), at=t, lead=dept(ZJ_LAND))
        order = services.transition(order, "accept", actor=land, at=t + datetime.timedelta(minutes=10))
        services.transition(order, "resolve", actor=land, at=t + datetime.timedelta(minutes=20), note="已办结")
    return bundle


def test_the_firm_rates_a_finished_bundle_once(personas, client_for):
    firm = personas["firm_a"]
    bundle = _resolved_bundle(firm)
    c = client_for(firm)
    r = c.post(f"/api/v1/bundles/{bundle.pk}/rating", {"satisfaction": 3, "note": "高效"}, content_type=JSON)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["satisfaction"] == 3 and body["rating_note"] == "高效"
    assert body["progress"] == {"done": 2, "total": 2, "percent": 100}
    assert set(bundle.orders.values_list("state", flat=True)) == {OrderState.RATED}
    before = _counts()
    r = c.post(f"/api/v1/bundles/{bundle.pk}/rating", {"satisfaction": 2}, content_type=JSON)
    assert r.status_code == 409 and "已评价" in _zh(r)
    assert _counts() == before


def test_rating_a_bundle_wrong_role_bad_input_or_too_early_writes_nothing(personas, client_for, demo_bundle):
    bundle = _resolved_bundle(personas["firm_a"])
    before = _counts()
    for name in ("zone_staff", "chain_staff", "dept_staff"):
        r = client_for(personas[name]).post(f"/api/v1/bundles/{bundle.pk}/rating", {"satisfaction": 3},
                                            content_type=JSON)
        assert r.status_code == 403 and "只有提交该“一件事”的企业可以评价" in _zh(r), name
    r = client_for(personas["firm_b"]).post(f"/api/v1/bundles/{bundle.pk}/rating", {"satisfaction": 3},
                                            content_type=JSON)
    assert r.status_code == 404
    c = client_for(personas["firm_a"])
    for bad in ({"satisfaction": 5}, {}, {"satisfaction": None}):
        r = c.post(f"/api/v1/bundles/{bundle.pk}/rating", bad, content_type=JSON)
        assert r.status_code == 400 and "请选择满意度" in _zh(r), bad
    r = c.post(f"/api/v1/bundles/{bundle.pk}/rating", {"satisfaction": "很好"}, content_type=JSON)
    assert r.status_code == 422 and r.json()["detail"].startswith("请求数据有误")
    # the demo bundle's orders are still being handled
    r = c.post(f"/api/v1/bundles/{demo_bundle.pk}/rating", {"satisfaction": 3}, content_type=JSON)
    assert r.status_code == 409 and "尚未全部办结" in _zh(r)
    assert _counts() == before
    bundle.refresh_from_db()
    assert bundle.satisfaction is None
    assert set(bundle.orders.values_list("state", flat=True)) == {OrderState.RESOLVED}


# --- supervision cards ----------------------------------------------------------------------------


@pytest.fixture
def open_cards(personas):
    """The demo's cards are all cleared by now: the periodic job raises red cards on the overdue
    open orders (and a new one that ran late), as it would in production."""
    from django.utils import timezone

    new_order()
    done = services.tick(timezone.now())
    assert done["red"] > 0
    return done


def _cards(c, query=""):
    r = c.get(f"/api/v1/cards?page_size=200{query}")
    assert r.status_code == 200, r.content
    return r.json()


def test_cards_are_scoped_like_the_supervision_board(personas, client_for, open_cards):
    zone = personas["zone_staff"]
    body = _cards(client_for(zone))
    expected = set(Card.objects.visible_to(zone).filter(cleared_at__isnull=True).values_list("pk", flat=True))
    assert body["count"] == len(expected) > 0
    assert {c["id"] for c in body["items"]} == expected
    assert all(c["zone_id"] == zone.zone_id and c["cleared_at"] is None for c in body["items"])
    # the board page counts the same open cards
    page = client_for(zone).get("/services/board/")
    assert sum(d["red"] + d["yellow"] for _, d in page.context["by_dept"]) == len(expected)
    chain = personas["chain_staff"]
    chain_ids = {c["id"] for c in _cards(client_for(chain))["items"]}
    assert chain_ids == set(Card.objects.visible_to(chain).filter(cleared_at__isnull=True)
                            .values_list("pk", flat=True))
    assert all(Card.objects.get(pk=i).order.chain_id == chain.chain_id for i in chain_ids)
    assert not ({c["id"] for c in _cards(client_for(personas["by_zone"]))["items"]} & expected)


def test_cards_filter_by_colour_state_department_and_chain(personas, client_for, open_cards):
    zone = personas["zone_staff"]
    c = client_for(zone)
    mine = Card.objects.visible_to(zone)
    red = _cards(c, "&level=red")
    assert red["count"] == mine.filter(level="red", cleared_at__isnull=True).count() > 0
    assert {x["level"] for x in red["items"]} == {"red"}
    closed = _cards(c, "&status=closed")
    assert closed["count"] == mine.filter(cleared_at__isnull=False).count() > 0
    assert all(x["cleared_at"] for x in closed["items"])
    assert _cards(c, "&status=all")["count"] == mine.count()
    land = dept(ZJ_LAND)
    by_dept = _cards(c, f"&status=all&department={land.pk}")
    assert by_dept["count"] == mine.filter(department=land).count() > 0
    assert {x["department_name"] for x in by_dept["items"]} == {ZJ_LAND}
    chain_id = personas["chain_staff"].chain_id
    by_chain = _cards(c, f"&status=all&chain={chain_id}")
    assert by_chain["count"] == mine.filter(order__chain_id=chain_id).count() > 0
    assert {x["chain_id"] for x in by_chain["items"]} == {chain_id}


def test_cards_refuse_the_wrong_role_and_bad_filters_in_chinese(personas, client_for):
    for name in ("dept_staff", "firm_a", "uni", "nobody"):
        r = client_for(personas[name]).get("/api/v1/cards")
        assert r.status_code == 403, name
        assert "只有园区党工委或产业链联合党委" in _zh(r)
    c = client_for(personas["zone_staff"])
    for query in ("level=purple", "status=maybe", "department=abc"):
        r = c.get(f"/api/v1/cards?{query}")
        assert r.status_code == 422, query
        assert r.json()["detail"].startswith("请求数据有误")


# --- messages ------------------------------------------------------------------------------------


def test_notifications_are_only_the_users_own_with_the_unread_count(personas, client_for):
    me, other = personas["chain_staff"], personas["zone_staff"]
    c = client_for(me)
    mine = Notification.objects.filter(user=me)
    body = c.get("/api/v1/notifications?page_size=200").json()
    assert body["count"] == mine.count() > 0
    assert {n["id"] for n in body["items"]} == set(mine.values_list("pk", flat=True)[:200])
    unread = mine.filter(read_at__isnull=True)
    assert body["unread_count"] == unread.count() > 1
    body = c.get("/api/v1/notifications?unread=true&page_size=200").json()
    assert body["count"] == unread.count() and all(n["read_at"] is None for n in body["items"])

    first = unread.order_by("id").first()
    r = c.post(f"/api/v1/notifications/{first.pk}/read")
    assert r.status_code == 200 and r.json()["read_at"] is not None
    assert c.get("/api/v1/notifications").json()["unread_count"] == body["unread_count"] - 1

    theirs = Notification.objects.filter(user=other, read_at__isnull=True).first()
    assert theirs is not None
    r = c.post(f"/api/v1/notifications/{theirs.pk}/read")
    assert r.status_code == 404 and r.json()["detail"] == "未找到该记录，或您无权访问"
    theirs.refresh_from_db()
    assert theirs.read_at is None

    other_unread = Notification.objects.filter(user=other, read_at__isnull=True).count()
    r = c.post("/api/v1/notifications/read-all")
    assert r.status_code == 200 and r.json() == {"marked": body["unread_count"] - 1, "unread_count": 0}
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == other_unread


def test_notifications_refuse_bad_input(personas, client_for):
    c = client_for(personas["chain_staff"])
    assert c.get("/api/v1/notifications?unread=perhaps").status_code == 422
    assert c.post("/api/v1/notifications/abc/read").status_code in (404, 422)


# --- figures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["zone_staff", "chain_staff", "dept_staff", "by_zone"])
def test_the_api_figures_equal_the_figures_page(persona, personas, client_for):
    c = client_for(personas[persona])
    page = c.get("/services/figures/")
    assert page.status_code == 200
    for by, key in (("department", "by_dept"), ("chain", "by_chain")):
        r = c.get(f"/api/v1/service-figures?by={by}")
        assert r.status_code == 200
        body = r.json()
        assert body["by"] == by
        assert body["total"] == page.context["total"]
        shown = [{"id": x["key"], "name": x["name"], "received": x["orders"], "resolved": x["resolved"],
                  "response_rate": x["response_rate"], "on_time_rate": x["on_time_rate"],
                  "avg_workdays": x["avg_days"], "satisfaction_rate": x["satisfaction_rate"]}
                 for x in page.context[key]]
        assert body["rows"] == shown
    # the zone sees 镇江's 47 resolved orders; the department only its own
    if persona == "zone_staff":
        assert body["total"]["orders_resolved"] == 47
        assert sum(x["received"] for x in body["rows"]) == body["total"]["orders"]


def test_figures_refuse_the_wrong_role_and_a_bad_grouping(personas, client_for):
    for name in ("firm_a", "uni", "nobody"):
        r = client_for(personas[name]).get("/api/v1/service-figures")
        assert r.status_code == 403 and "无权查看办理统计" in _zh(r), name
    r = client_for(personas["zone_staff"]).get("/api/v1/service-figures?by=enterprise")
    assert r.status_code == 422 and r.json()["detail"].startswith("请求数据有误")


# --- dispatch suggestions ----------------------------------------------------------------------------


def test_suggestions_only_for_those_who_may_dispatch_the_order(personas, client_for):
    order = services.place_order(actor=personas["firm_a"], title="新厂房用地规划许可", category="land")
    r = client_for(personas["chain_staff"]).get(f"/api/v1/orders/{order.pk}/suggestions")
    assert r.status_code == 200
    body = r.json()
    assert body[0]["department_name"] == ZJ_LAND and body[0]["score"] > 0
    assert any("次派往该部门" in why for why in body[0]["reasons"])
    assert [b["score"] for b in body] == sorted((b["score"] for b in body), reverse=True)
    r = client_for(personas["firm_a"]).get(f"/api/v1/orders/{order.pk}/suggestions")
    assert r.status_code == 403 and "派单建议" in _zh(r)
    for name in ("firm_b", "by_zone", "uni", "dept_staff"):  # dept_staff: not dispatched to it, so unseen
        assert client_for(personas[name]).get(f"/api/v1/orders/{order.pk}/suggestions").status_code == 404
    accepted = drive(OrderState.ACCEPTED)
    r = client_for(personas["dept_staff"]).get(f"/api/v1/orders/{accepted.pk}/suggestions")
    assert r.status_code == 403 and "派单建议" in _zh(r)
    r = client_for(personas["chain_staff"]).get(f"/api/v1/orders/{accepted.pk}/suggestions")
    assert r.status_code == 409 and "不能为它派单" in _zh(r)
    returned = drive(OrderState.RETURNED)  # a returned order is redispatched: suggestions again
    assert client_for(personas["chain_staff"]).get(f"/api/v1/orders/{returned.pk}/suggestions").status_code == 200


# --- order categories ----------------------------------------------------------------------------


def test_order_categories_with_their_limits_follow_the_dictionary(personas, client_for):
    from liantong.core import dicts
    from liantong.core.models import DictItem

    c = client_for(personas["firm_a"])
    body = {x["value"]: x for x in c.get("/api/v1/order-categories").json()}
    assert body["land"] == {"value": "land", "label": "用地审批", "limit_days": 10}
    assert body["other"]["limit_days"] == 5
    item = DictItem.objects.get(dict_type__code="service_category", value="other")
    item.extra = {"limit_days": 3}
    item.save()
    DictItem.objects.filter(dict_type__code="service_category", value="market").update(active=False)
    dicts.invalidate()
    body = {x["value"]: x for x in c.get("/api/v1/order-categories").json()}
    assert body["other"]["limit_days"] == 3
    assert "market" not in body
    assert "market" in {x["value"] for x in c.get("/api/v1/order-categories?include_inactive=true").json()}


# --- citations from the order page ----------------------------------------------------------------


@pytest.fixture
def land_quota():
    return DepartmentResource.objects.get(title="船舶海工产业项目用地指标")


@pytest.fixture
def flagship():
    return ActionProject.objects.get(title="“红帆领航·链通高新”先锋行动")


def test_the_lead_department_cites_a_resource_audited_once(personas, client_for, land_quota):
    order = drive(OrderState.ACCEPTED)
    c = client_for(personas["dept_staff"])
    r = c.post(f"/api/v1/orders/{order.pk}/citations", {"resource": land_quota.pk, "note": "用地指标解决"},
               content_type=JSON)
    assert r.status_code == 201, r.content
    body = r.json()
    cit = OrderCitation.objects.get(pk=body["id"])
    assert (cit.order_id, cit.resource_id, cit.project_id, cit.note) == (order.pk, land_quota.pk, None, "用地指标解决")
    assert cit.created_by == personas["dept_staff"]
    assert AuditLog.objects.filter(object_type="resources.ordercitation", object_id=str(cit.pk),
                                   action="create").count() == 1
    r = c.post(f"/api/v1/orders/{order.pk}/citations", {"resource": land_quota.pk}, content_type=JSON)
    assert r.status_code == 200 and r.json()["id"] == cit.pk
    assert OrderCitation.objects.filter(order=order).count() == 1
    listed = c.get(f"/api/v1/orders/{order.pk}/citations").json()
    assert [x["id"] for x in listed] == [cit.pk] and listed[0]["title"] == land_quota.title


def test_the_committee_cites_a_project_once_the_order_is_resolved(personas, client_for, flagship):
    order = drive(OrderState.RESOLVED)
    r = client_for(personas["chain_staff"]).post(f"/api/v1/orders/{order.pk}/citations",
                                                  {"project": flagship.pk}, content_type=JSON)
    assert r.status_code == 201, r.content
    assert OrderCitation.objects.filter(order=order, project=flagship).exists()


@pytest.mark.parametrize("who", ["firm_a", "zj_jfj"])
def test_the_firm_or_an_assisting_department_may_not_cite(who, personas, client_for, land_quota):
    order = drive(OrderState.ACCEPTED)
    actor = personas[who] if who in personas else user(who)
    before = _counts()
    r = client_for(actor).post(f"/api/v1/orders/{order.pk}/citations", {"resource": land_quota.pk},
                               content_type=JSON)
    assert r.status_code == 403
    assert "只有园区党工委、产业链联合党委或主办部门" in _zh(r)
    assert _counts() == before


@pytest.mark.parametrize("state", [OrderState.SUBMITTED, OrderState.DISPATCHED, OrderState.RETURNED,
                                   OrderState.DECLINED])
def test_citing_before_the_order_is_accepted_is_refused(state, personas, client_for, land_quota):
    order = drive(state)
    before = _counts()
    r = client_for(personas["chain_staff"]).post(f"/api/v1/orders/{order.pk}/citations",
                                                  {"resource": land_quota.pk}, content_type=JSON)
    assert r.status_code == 409
    assert "接单办理后才能引用" in _zh(r)
    assert _counts() == before


def test_citing_out_of_scope_or_with_bad_input_writes_nothing(personas, client_for, land_quota, flagship):
    order = drive(OrderState.ACCEPTED)
    for name in ("firm_b", "by_zone", "uni"):
        r = client_for(personas[name]).post(f"/api/v1/orders/{order.pk}/citations", {"resource": land_quota.pk},
                                            content_type=JSON)
        assert r.status_code == 404, name
    by_res = DepartmentResource.objects.exclude(zone_id=order.zone_id).first()
    by_project = ActionProject.objects.exclude(zone_id=order.zone_id).first()
    c = client_for(personas["chain_staff"])
    before = _counts()
    cases = [({"resource": land_quota.pk, "project": flagship.pk}, 400, "只能选一个"),
             ({}, 400, "请选择一项部门资源或一个行动项目"),
             ({"resource": 987654321}, 400, "未找到所选部门资源"),
             ({"resource": land_quota.pk, "note": "长" * 201}, 400, "说明不能超过 200 字"),
             ({"resource": "甲"}, 422, "请求数据有误")]
    if by_res is not None:
        cases.append(({"resource": by_res.pk}, 400, "未找到所选部门资源"))
    if by_project is not None:
        cases.append(({"project": by_project.pk}, 400, "未找到所选行动项目"))
    for payload, status, message in cases:
        r = c.post(f"/api/v1/orders/{order.pk}/citations", payload, content_type=JSON)
        assert r.status_code == status, (payload, r.content)
        assert message in _zh(r), payload
    assert _counts() == before


def test_the_order_page_offers_the_citation_form_and_shows_citations(personas, client_for, land_quota):
    order = drive(OrderState.ACCEPTED)
    url = f"/services/orders/{order.pk}/"
    lead = client_for(personas["dept_staff"])
    page = lead.get(url)
    assert page.status_code == 200 and 'data-testid="cite-form"' in page.content.decode()
    assert f'value="resource:{land_quota.pk}"' in page.content.decode()
    for name in ("firm_a",):
        html = client_for(personas[name]).get(url).content.decode()
        assert 'data-testid="cite-form"' not in html
    assistant = client_for(user("zj_jfj")).get(url).content.decode()
    assert 'data-testid="cite-form"' not in assistant
    # an order not yet accepted: no form, even for the committee
    submitted = new_order()
    html = client_for(personas["chain_staff"]).get(f"/services/orders/{submitted.pk}/").content.decode()
    assert 'data-testid="cite-form"' not in html

    r = lead.post(f"/services/orders/{order.pk}/cite/", {"target": f"resource:{land_quota.pk}", "note": "指标落实"},
                  follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    assert "已记录" in html and land_quota.title in html and "指标落实" in html
    assert OrderCitation.objects.filter(order=order, resource=land_quota).count() == 1
    # the firm sees the citation on its order page
    assert land_quota.title in client_for(personas["firm_a"]).get(url).content.decode()

    before = _counts()
    r = client_for(personas["firm_a"]).post(f"/services/orders/{order.pk}/cite/",
                                            {"target": f"resource:{land_quota.pk}"}, follow=True)
    assert "只有园区党工委、产业链联合党委或主办部门" in r.content.decode()
    r = lead.post(f"/services/orders/{order.pk}/cite/", {"target": "nonsense"}, follow=True)
    assert "请选择一项部门资源或一个行动项目" in r.content.decode()
    assert _counts() == before
    assert client_for(personas["by_zone"]).post(f"/services/orders/{order.pk}/cite/",
                                                {"target": f"resource:{land_quota.pk}"}).status_code == 404



def test_the_openapi_schema_lists_the_new_endpoints(personas, client_for):
    paths = client_for(personas["zone_staff"]).get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/bundles", "/api/v1/bundles/{pk}", "/api/v1/bundles/{pk}/rating", "/api/v1/cards",
                 "/api/v1/notifications", "/api/v1/notifications/{pk}/read", "/api/v1/notifications/read-all",
                 "/api/v1/service-figures", "/api/v1/orders/{pk}/suggestions", "/api/v1/order-categories",
                 "/api/v1/orders/{pk}/citations"):
        assert path in paths, path
