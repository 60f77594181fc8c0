"""Every error is a Chinese product page with a way back, under every setting — DEBUG=1 included (the
README's `make run` before it moved to DEBUG=0): never Django's technical page with the URL list."""

import pytest
from django.test import override_settings

TECHNICAL = ("Using the URLconf", "Page not found", "Traceback", "Django tried these URL patterns", "Request Method")


def _product_page(resp, code: int):
    html = resp.content.decode()
    assert resp.status_code == code
    assert f'data-error="{code}"' in html, html[:400]
    assert "返回首页" in html
    for text in TECHNICAL:
        assert text not in html, text
    return html


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_address_answers_the_chinese_404_page(debug, personas, client_for):
    with override_settings(DEBUG=debug):
        html = _product_page(client_for(personas["firm_a"]).get("/no/such/page/"), 404)
        assert "页面不存在" in html
        _product_page(client_for(personas["firm_a"]).get("/orgs/chain/999999999/"), 404)


@pytest.mark.parametrize("debug", [True, False])
def test_a_record_out_of_the_user_s_scope_answers_the_chinese_404_page(debug, personas, client_for):
    from liantong.orgs.models import Member

    other_zone = Member.objects.exclude(zone_id=personas["zone_staff"].zone_id).order_by("pk").first()
    with override_settings(DEBUG=debug):
        html = _product_page(client_for(personas["zone_staff"]).get(f"/orgs/member/{other_zone.pk}/"), 404)
        assert other_zone.name not in html


def test_a_visitor_who_is_not_signed_in_gets_the_login_link_and_the_page_before(client):
    resp = client.get("/nowhere/", HTTP_REFERER="http://testserver/accounts/login/")
    html = _product_page(resp, 404)
    assert 'href="/accounts/login/"' in html and "返回上一页" in html


def test_the_api_keeps_answering_json(personas, client_for):
    resp = client_for(personas["firm_a"]).get("/api/v1/no-such-endpoint")
    assert resp.status_code == 404 and resp.json()["detail"]


def test_a_missing_slash_still_redirects(personas, client_for):
    resp = client_for(personas["firm_a"]).get("/orgs/chain")
    assert resp.status_code == 301 and resp["Location"] == "/orgs/chain/"


def test_the_403_400_and_500_pages_are_chinese_product_pages(rf, personas):
    from django.core.exceptions import BadRequest, PermissionDenied

    from liantong.core import views

    request = rf.get("/x/")
    request.user = personas["firm_a"]
    _product_page(views.permission_denied(request, PermissionDenied()), 403)
    _product_page(views.bad_request(request, BadRequest("bad")), 400)
    html = _product_page(views.server_error(request), 500)
    assert "服务器出错" in html
