"""Fixtures of the resources tests: the demo's objects, looked up by natural key."""

import pytest


@pytest.fixture
def zj(db):
    from liantong.core.models import Zone

    return Zone.objects.get(name="镇江高新区")


@pytest.fixture
def by(db):
    from liantong.core.models import Zone

    return Zone.objects.get(name="白银高新区")


@pytest.fixture
def ship_lab(db):
    """A 镇江 shared resource owned by 镇江船厂 (persona firm_a); firm_b may book it."""
    from liantong.resources.models import SharedResource

    return SharedResource.objects.get(name="船舶焊接工艺实验室")


@pytest.fixture
def meeting(db):
    from liantong.resources.models import JointMeeting

    return JointMeeting.objects.get(title="跨企党组织联席会（第一次）")
