import pytest


@pytest.fixture(autouse=True)
def fresh_index():
    """Each test starts with no in-memory engine: the test database is rolled back between tests."""
    from liantong.matching import index

    index.reset()
    yield
    index.reset()


@pytest.fixture
def demo_listing(db):
    from liantong.matching.models import Listing

    return lambda ref: Listing.objects.select_related("enterprise", "chain", "zone").get(ref=ref)
