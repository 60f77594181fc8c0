"""Rate limits on the API, on bearer-token guessing and on logins, answered 429 in Chinese (core/ratelimit.py)."""

import pytest
from django.test import Client


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = True
    settings.API_RATE_LIMIT = 5
    settings.TOKEN_FAILURE_LIMIT = 3
    settings.LOGIN_RATE_LIMIT = 4
    return settings


def test_the_api_answers_429_in_chinese_past_the_callers_limit(limits, personas, client_for):
    c = client_for(personas["zone_staff"])
    codes = [c.get("/api/v1/chains").status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    resp = c.get("/api/v1/chains")
    assert "请求过于频繁" in resp.json()["detail"] and int(resp["Retry-After"]) >= 1
    # another caller has its own budget
    assert client_for(personas["firm_a"]).get("/api/v1/chains").status_code == 200


def test_guessing_tokens_is_cut_off(limits, db):
    c = Client()
    codes = [c.get("/api/v1/chains", HTTP_AUTHORIZATION=f"Bearer lt_guess{i}").status_code for i in range(5)]
    assert codes[:3] == [401] * 3 and codes[3:] == [429, 429]


def test_logins_from_one_address_are_limited(limits, db):
    c = Client()
    codes = [c.post("/accounts/login/", {"username": f"nobody{i}", "password": "x"}).status_code for i in range(6)]
    assert codes[:4] == [200] * 4 and codes[4:] == [429, 429]
    assert "请求过于频繁" in c.post("/accounts/login/", {"username": "a", "password": "b"}).content.decode()
