"""API errors speak Chinese: a body that is not JSON, a wrong type, a missing field, a too-long text."""

import json

import pytest


@pytest.fixture
def api(personas, client_for):
    client = client_for(personas["firm_a"])

    def post(path, body: str):
        return client.post(f"/api/v1{path}", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en-US")

    return post


def test_a_body_that_is_not_json_is_refused_in_chinese(api):
    r = api("/orders", "not json{")
    assert r.status_code == 400
    assert r.json()["detail"] == "请求体不是有效的 JSON"


def test_schema_errors_name_the_field_and_say_what_is_wrong_in_chinese(api):
    r = api("/listings", json.dumps({"title": 5, "valid_until": "2026-02-30"}))
    assert r.status_code == 422
    body = r.json()
    by_field = {e["field"]: e["msg"] for e in body["errors"]}
    assert by_field["title"] == "应为文本"
    assert by_field["kind"] == "必填"
    assert by_field["valid_until"].startswith("应为日期")
    assert body["detail"].startswith("请求数据有误：")
    assert "title 应为文本" in body["detail"]
    assert not any(c.isascii() and c.isalpha() for e in body["errors"] for c in e["msg"].replace("YYYY-MM-DD", ""))
