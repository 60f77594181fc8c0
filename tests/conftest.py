"""Fixtures shared by the cross-app tests in ``tests/`` (the file tests, the upload check)."""

import pytest

from liantong.services import services as order_services


@pytest.fixture
def media(settings, tmp_path):
    """Uploads land in a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def order(personas):
    """An open order placed by firm_a for its own firm (镇江): firm_a and 镇江's zone committee see it; firm_b,
    白银 and nobody do not."""
    firm = personas["firm_a"]
    return order_services.place_order(actor=firm, title="附件测试工单", category="land",
                                      chain=order_services.chain_choices_for(firm.enterprise)[0])
