"""The matching index built once and stored (issue 12, item 9): ``liantong build-match-index`` writes it, a
process's first ``get_engine`` loads it instead of building, answers as a fresh build does, and still follows
the changes made after the build (by the version number); the tick rebuilds a stale one."""

import datetime
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from liantong.matching import index, services
from liantong.matching.engine import MatchEngine

from .test_services import _ids, _post


@pytest.fixture
def stored(settings, tmp_path):
    settings.MATCH_INDEX_PATH = str(tmp_path / "match-index.pickle")
    return Path(settings.MATCH_INDEX_PATH)


def test_a_stored_index_is_loaded_instead_of_built_and_answers_like_a_fresh_build(
        personas, demo_listing, stored, monkeypatch):
    demand = demo_listing("ZJ-D-02")
    fresh = _ids(demand, limit=10)
    call_command("build_match_index", stdout=io.StringIO())
    assert stored.exists() and stored.with_suffix(".pickle.version").exists()
    index.reset()
    monkeypatch.setattr(index, "build", lambda qs=None: pytest.fail("built instead of loaded"))
    assert _ids(demand, limit=10) == fresh
    assert index._state["loaded_from"] == str(stored)


def test_a_change_after_the_build_reaches_the_loaded_index(personas, demo_listing, stored,
                                                            django_capture_on_commit_callbacks):
    demand = demo_listing("ZJ-D-02")
    index.store()
    index.reset()
    with django_capture_on_commit_callbacks(execute=False):  # written "elsewhere", after the build
        new = _post(personas["firm_b"], personas["firm_b"].enterprise, "E71T-1C药芯焊丝（CCS认证）",
                    keywords=["药芯焊丝", "E71T-1C"])
    assert new.pk in _ids(demand, limit=3)
    assert index._state["loaded_from"] == str(stored)
    services.close_listing(new, actor=personas["firm_b"])
    assert new.pk not in _ids(demand, limit=30)


def test_an_index_of_another_database_is_not_loaded(personas, demo_listing, stored):
    index.store()
    engine = MatchEngine.load(stored)
    engine.built_meta["db"] = "another"
    engine.save(stored)
    index.reset()
    index.get_engine()
    assert index._state["loaded_from"] is None  # built from the database instead


def test_an_index_stored_in_another_format_is_refused_and_the_process_builds(personas, demo_listing, stored,
                                                                             monkeypatch):
    from liantong.matching.engine import scoring

    demand = demo_listing("ZJ-D-02")
    fresh = _ids(demand, limit=10)
    with monkeypatch.context() as m:
        m.setattr(scoring, "STORE_FORMAT", scoring.STORE_FORMAT - 1)  # a file written by the code before
        index.store()
    index.reset()
    assert _ids(demand, limit=10) == fresh
    assert index._state["loaded_from"] is None  # built from the database instead


def test_the_tick_rebuilds_a_missing_or_stale_index_only(personas, stored):
    now = datetime.datetime.now(datetime.UTC)
    first = index.tick_rebuild(now)
    assert first["rebuilt"] == 1 and first["listings"] == len(MatchEngine.load(stored)) > 0
    assert index.tick_rebuild(now) == {"rebuilt": 0}  # fresh
    later = now + index.STALE_AFTER + datetime.timedelta(minutes=1)
    assert index.tick_rebuild(later) == {"rebuilt": 0}  # old, but nothing changed
    from liantong.matching.models import IndexState

    IndexState.objects.filter(pk=1).update(version=IndexState.objects.get(pk=1).version + 1)
    assert index.tick_rebuild(later)["rebuilt"] == 1


def test_a_new_process_loads_the_stored_index_with_its_own_term_numbers(personas, stored):
    """Term numbers are per process: a process that analysed other text first still loads the index right."""
    from liantong.matching.engine import Doc

    index.store()
    code = (
        "import sys, django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'liantong.settings'; django.setup()\n"
        "from liantong.matching.engine import MatchEngine, Doc, analyze\n"
        "analyze('完全不同的文本：纳米涂层与激光切割')\n"
        "e = MatchEngine.load(sys.argv[1])\n"
        "q = Doc(id='q', kind='demand', title='E71T-1C药芯焊丝', keywords=['药芯焊丝'], description='')\n"
        "print([m.id for m in e.match(q, 5)])"
    )
    other = subprocess.run([sys.executable, "-c", code, str(stored)], capture_output=True, text=True, timeout=300)
    assert other.returncode == 0, other.stderr[-1500:]
    here = MatchEngine.load(stored)
    q = Doc(id="q", kind="demand", title="E71T-1C药芯焊丝", keywords=["药芯焊丝"], description="")
    assert other.stdout.strip().splitlines()[-1] == str([m.id for m in here.match(q, 5)])


def test_bringing_the_engine_up_to_date_is_an_index_read_not_a_users_read(personas, demo_listing, client_for,
                                                                          django_capture_on_commit_callbacks):
    """A page that finds this process's engine behind the version syncs it; the guard of
    ``tests/test_query_counts.py`` must not count that sync as the page reading listings past the scoping layer
    (it did, whenever an earlier test on the same worker had moved the version)."""
    from liantong.core import guarantees

    demand = demo_listing("ZJ-D-02")
    index.get_engine()
    with django_capture_on_commit_callbacks(execute=False):  # changed "elsewhere": this engine falls behind
        new = _post(personas["firm_b"], personas["firm_b"].enterprise, "E71T-1C药芯焊丝（CCS认证）",
                    keywords=["药芯焊丝", "E71T-1C"])
    with django_capture_on_commit_callbacks(execute=True):
        services.close_listing(new, actor=personas["firm_b"])  # apply_change reads the listing back
    behind = index._state["version"]
    with guarantees.watch_reads() as reads:
        resp = client_for(personas["firm_a"]).get(f"/matching/listing/{demand.pk}/")
    assert resp.status_code == 200
    assert index._state["version"] != behind  # the visit did sync
    assert [str(r) for r in reads] == []
