"""The matching API and pages: the matches endpoint's shape, scope (404), and bad input answered
cleanly — never a 500, never injected markup."""

import json

import pytest

from liantong.matching.models import Listing
from liantong.orgs.models import Chain

pytestmark = pytest.mark.django_db


def _chain():
    return Chain.objects.get(zone__short_name="镇江", name="高技术船舶海工装备")


def _post(client, **body):
    data = {"kind": "supply", "title": "船用钢板", "chain": _chain().pk, **body}
    return client.post("/api/v1/listings", data=json.dumps(data), content_type="application/json")


def test_matches_answer_a_ranked_list_with_reasons(personas, client_for, demo_listing):
    listing = demo_listing("ZJ-D-01")
    resp = client_for(personas["firm_b"]).get(f"/api/v1/listings/{listing.pk}/matches?limit=5")
    assert resp.status_code == 200
    rows = resp.json()
    assert 0 < len(rows) <= 5
    for row in rows:
        assert set(row) == {"listing", "score", "why"}
        assert isinstance(row["listing"], int) and isinstance(row["score"], float)
        assert row["why"]["summary"] and isinstance(row["why"]["reasons"], list)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert rows[0]["listing"] == demo_listing("ZJ-S-01").pk


def test_matches_of_a_listing_out_of_scope_answer_404(personas, client_for, demo_listing):
    listing = demo_listing("ZJ-D-01")
    assert client_for(personas["by_zone"]).get(f"/api/v1/listings/{listing.pk}/matches").status_code == 404
    assert client_for(personas["nobody"]).get(f"/api/v1/listings/{listing.pk}/matches").status_code == 404
    assert client_for(personas["firm_b"]).get("/api/v1/listings/99999999/matches").status_code == 404


def test_listings_crud_goes_through_the_services(personas, client_for):
    c = client_for(personas["firm_b"])
    resp = _post(c, title="舱口盖用船用钢板", keywords="船板、舱口盖", description="")
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    assert resp.json()["keywords"] == ["船板", "舱口盖"]
    resp = c.put(f"/api/v1/listings/{pk}", data=json.dumps({"kind": "supply", "title": "舱口盖", "chain": _chain().pk}),
                 content_type="application/json")
    assert resp.status_code == 200 and resp.json()["title"] == "舱口盖"
    assert client_for(personas["firm_a"]).delete(f"/api/v1/listings/{pk}").status_code == 404
    assert c.delete(f"/api/v1/listings/{pk}").status_code == 204
    assert not Listing.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("body, status, words", [
    ({"description": "船" * (1024 * 1024)}, 400, "不能超过 5000 个字"),
    ({"title": ""}, 400, "请填写标题"),
    ({"kind": "scenario"}, 400, "链主企业"),
    ({"kind": "gift"}, 400, "类型应为"),
    ({"chain": 99999999}, 400, "产业链不存在"),
    ({"keywords": ["x" * 40]}, 400, "过长"),
    ({"title": 12}, 422, "请求数据有误"),
    ({"valid_until": "2026-02-30"}, 422, "请求数据有误"),
])
def test_bad_input_gets_a_clean_chinese_error(personas, client_for, body, status, words):
    resp = _post(client_for(personas["firm_b"]), **body)
    assert resp.status_code == status
    assert words in resp.json()["detail"]


def test_malformed_json_is_not_a_500(personas, client_for):
    resp = client_for(personas["firm_b"]).post("/api/v1/listings", data="{not json", content_type="application/json")
    assert resp.status_code in (400, 422)


def test_emoji_mixed_scripts_sql_and_html_are_stored_and_shown_escaped(personas, client_for):
    c = client_for(personas["firm_b"])
    title = "<script>alert('x')</script> 船板😀 Schiffsstahl'; DROP TABLE matching_listing;--"
    resp = _post(c, title=title, description="<img src=x onerror=alert(1)> русский العربية")
    assert resp.status_code == 201
    pk = resp.json()["id"]
    assert Listing.objects.get(pk=pk).title == title
    page = c.get(f"/matching/listing/{pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html
    hall = c.get("/matching/listing/", {"q": "<script>"})
    assert hall.status_code == 200 and "<script>alert" not in hall.content.decode()


def test_an_expired_listing_is_not_offered_by_the_api(personas, client_for, demo_listing):
    c = client_for(personas["firm_b"])
    resp = _post(c, title="AH36/DH36高强度船板（36kg级）", keywords=["船板", "AH36"], valid_until="2020-01-01")
    assert resp.status_code == 201
    pk = resp.json()["id"]
    rows = client_for(personas["firm_a"]).get(f"/api/v1/listings/{demo_listing('ZJ-D-01').pk}/matches?limit=50").json()
    assert pk not in [r["listing"] for r in rows]


def test_contacts_and_deals_through_the_api(personas, client_for, demo_listing):
    firm_a, admin = client_for(personas["firm_a"]), client_for(personas["admin"])
    coating = demo_listing("ZJ-S-03")
    resp = firm_a.post("/api/v1/contacts", data=json.dumps({"listing": coating.pk, "message": "请报价"}),
                       content_type="application/json")
    assert resp.status_code == 201
    cid = resp.json()["id"]
    accept = json.dumps({"action": "accept"})
    refused = firm_a.post(f"/api/v1/contacts/{cid}/transitions", data=accept, content_type="application/json")
    assert refused.status_code == 403 and "被联系方" in refused.json()["detail"]
    assert [m["action"] for m in firm_a.get(f"/api/v1/contacts/{cid}/transitions").json()] == ["withdraw"]
    resp = admin.post(f"/api/v1/contacts/{cid}/transitions", data=accept, content_type="application/json")
    assert resp.json().get("status") == "accepted", resp.content.decode()
    resp = firm_a.post("/api/v1/deals", data=json.dumps({"contact": cid, "title": "压载舱涂料", "amount": "88.5",
                                                        "signed_on": "2026-03-01"}), content_type="application/json")
    assert resp.status_code == 201 and resp.json()["amount"] in ("88.50", 88.5)
    assert client_for(personas["by_zone"]).get(f"/api/v1/contacts/{cid}").status_code == 404


def test_zone_stats_include_the_matching_figures(personas, client_for):
    from liantong.core.models import Zone

    zone = Zone.objects.get(short_name="镇江")
    data = client_for(personas["zone_staff"]).get(f"/api/v1/zones/{zone.pk}/stats").json()
    assert {"listings", "deals", "deal_amount"} <= set(data)
    assert data["deals"] > 0 and data["deal_amount"] > 0
