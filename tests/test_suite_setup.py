"""The suite's own machinery: ``make test`` runs ``--dist loadgroup`` so that the tests of one
``xdist_group`` share a worker (one crawl per persona, one live server and one chromium for the browser
tests). pytest-xdist marks a grouped test by appending ``@<group>`` to its id on the worker; when a pytest
release changes how node ids are stored, the suffix is lost and every group is scattered over the workers
without an error (pytest 9.2 with pytest-xdist 3.8.0 did exactly that)."""

import pytest


@pytest.mark.xdist_group("suite-setup")
def test_a_grouped_test_carries_its_group_to_the_xdist_scheduler(request):
    if not getattr(request.config, "workerinput", None) or not request.config.getvalue("loadgroup"):
        pytest.skip("只在 pytest-xdist --dist loadgroup 下有意义（make test）")
    assert request.node.nodeid.endswith("@suite-setup"), request.node.nodeid
