"""Pages are Chinese whatever language the browser asks for: no English dates or form errors."""

import pytest


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "de-DE", "zh-CN,zh;q=0.9"])
def test_form_errors_and_dates_are_chinese_for_any_browser_language(accept, client, personas, client_for):
    resp = client.post("/accounts/login/", {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE=accept)
    html = resp.content.decode()
    assert "This field is required" not in html
    assert "这个字段是必填项" in html or "必填" in html

    from liantong.matching.models import Listing

    listing = Listing.objects.filter(valid_until__isnull=False, enterprise=personas["firm_a"].enterprise).first()
    assert listing is not None
    page = client_for(personas["firm_a"]).get(f"/matching/listing/{listing.pk}/", HTTP_ACCEPT_LANGUAGE=accept)
    body = page.content.decode()
    assert page.status_code == 200
    # the one date format (docs/ui.md), never an English month name
    assert f"{listing.valid_until:%Y-%m-%d}" in body
    assert listing.valid_until.strftime("%b") not in body
