"""A NUL character anywhere in an API body or query string is refused at the edge with a Chinese 422 that
names the field, and nothing is written (PostgreSQL's text refuses NUL: the fuzzer found a squad's name with
one answering 500 on the natural-key lookup before any validation)."""

import pytest

from liantong.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_body_is_refused_in_chinese_and_nothing_is_written(personas, client):
    from liantong.resources.models import ServiceSquad

    user = personas["zone_staff"]
    client.force_login(user)
    before, audits = ServiceSquad.objects.count(), AuditLog.objects.count()
    for body in ({"name": "先锋\x00队", "leader_name": "张三"}, {"name": "先锋队", "leader_name": "张三",
                                                              "member_names": "甲\x00"}):
        r = client.post("/api/v1/service-squads", body, content_type="application/json")
        assert r.status_code == 422, r.content
        data = r.json()
        assert "空字符" in data["detail"] and data["errors"][0]["field"] in ("name", "member_names"), data
    assert ServiceSquad.objects.count() == before and AuditLog.objects.count() == audits
    # without the NUL the same body saves: the refusal is about the character, not the request
    r = client.post("/api/v1/service-squads", {"name": "先锋队（测试）", "leader_name": "张三"},
                    content_type="application/json")
    assert r.status_code == 201, r.content


def test_a_nul_in_a_nested_list_and_in_a_query_string_is_refused(personas, client):
    client.force_login(personas["zone_staff"])
    r = client.post("/api/v1/service-squads", {"name": "x", "leader_name": "y", "members": ["1\x00"]},
                    content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "members.0", r.content
    r = client.get("/api/v1/orders", {"q": "船\x00板"})
    assert r.status_code == 422 and "空字符" in r.json()["detail"], r.content
