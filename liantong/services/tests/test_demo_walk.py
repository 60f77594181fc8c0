"""Two orders walked through the pages (Django test client) by the demo's own logins, password and all:
one with an assisting department, one sent to 财政金融局. Each department finishes its part from its inbox."""

import pytest
from django.test import Client

from liantong.accounts.models import User
from liantong.core import demo
from liantong.orgs.models import Department
from liantong.services.models import Assignment, ServiceRequest

pytestmark = pytest.mark.django_db


def _department_login(zone_id: int, name: str) -> str:
    """The demo login of a 镇江 department — found in the data, not named by the test."""
    dept = Department.objects.get(zone_id=zone_id, name=name)
    return User.objects.filter(is_demo=True, department=dept).order_by("id").values_list("username", flat=True)[0]


def _move(c: Client, order: ServiceRequest, action: str, **data) -> ServiceRequest:
    page = c.get(f"/services/orders/{order.pk}/").content.decode()
    assert f'value="{action}"' in page, f"the order page offers no {action} button"
    r = c.post(f"/services/orders/{order.pk}/move/", {"action": action, "state": order.state, **data}, follow=True)
    assert r.status_code == 200
    order.refresh_from_db()
    return order


def _place(firm: Client, title: str, category: str) -> ServiceRequest:
    r = firm.post("/services/orders/new/", {"category": category, "title": title, "urgency": "normal",
                                            "description": f"{title}：演示走查", "contact_name": "王工",
                                            "contact_phone": "13800000000"})
    assert r.status_code in (200, 302)
    return ServiceRequest.objects.get(title=title)


def _in_inbox(c: Client, order: ServiceRequest) -> bool:
    return order.ref in c.get("/services/dept/", {"q": order.ref}).content.decode()


def test_an_order_with_an_assisting_department_is_finished_by_both_departments_logins(demo_login):
    firm = demo_login("zj_firm")
    order = _place(firm, "走查：新建总装车间用地与配套资金", "land")
    zone = order.zone_id
    lead_name, assist_name = "自然资源和规划分局", "经济发展局"
    lead_user, assist_user = _department_login(zone, lead_name), _department_login(zone, assist_name)
    assert assist_user not in [n for n, _ in demo.DEMO_LOGINS]  # not one of the README's personas

    chain = demo_login("zj_chain")
    lead, assist = (Department.objects.get(zone_id=zone, name=n) for n in (lead_name, assist_name))
    order = _move(chain, order, "dispatch", lead=lead.pk, assists=[assist.pk])
    assert order.state == "dispatched"

    lead_c, assist_c = demo_login(lead_user), demo_login(assist_user)
    assert _in_inbox(lead_c, order) and _in_inbox(assist_c, order)
    order = _move(lead_c, order, "accept")
    order = _move(assist_c, order, "report", note="已配合落实配套资金")
    assert Assignment.objects.get(order=order, department=assist, active=True).state == "reported"
    order = _move(lead_c, order, "resolve", note="用地规划许可已核发")
    assert order.state == "resolved"
    order = _move(firm, order, "rate", satisfaction=3)
    assert order.state == "rated"
    actors = set(order.timeline.values_list("actor__username", flat=True))
    assert {"zj_firm", "zj_chain", lead_user, assist_user} <= actors


def test_an_order_sent_to_the_finance_bureau_is_finished_by_its_own_login(demo_login):
    firm_user = (User.objects.filter(is_demo=True, unit_kind="enterprise", zone__short_name="镇江")
                 .exclude(username__in=[n for n, _ in demo.DEMO_LOGINS]).order_by("id").first())
    firm = demo_login(firm_user.username)  # a chain firm beyond the README's personas
    order = _place(firm, "走查：技改项目中长期贷款授信", "finance")
    finance = Department.objects.get(zone_id=order.zone_id, name="财政金融局")
    finance_user = _department_login(order.zone_id, "财政金融局")

    committee = demo_login("zj_chain")
    order = _move(committee, order, "dispatch", lead=finance.pk)
    fin = demo_login(finance_user)
    assert _in_inbox(fin, order)
    order = _move(fin, order, "accept")
    order = _move(fin, order, "resolve", note="授信已审批")
    assert order.state == "resolved"
    order = _move(firm, order, "rate", satisfaction=3)
    assert order.state == "rated"
    assert order.timeline.filter(action="resolve", actor__username=finance_user).exists()
