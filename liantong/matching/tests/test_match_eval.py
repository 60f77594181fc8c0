"""``liantong match-eval DIR``: the output format on the development set and on a held-out-style set.

Each evaluation runs the real command (a child process, its own scratch SQLite database, the listings loaded
through the services); the scratch database starts from a migrated empty file (``--scratch-from``) made once
per test process — the template build's on SQLite — instead of migrating from nothing for each.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from liantong.matching.evaluation import development_set_dir  # noqa: E402

DEV = development_set_dir()
ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.xdist_group("match-eval"),  # one worker, one migrated scratch file
              pytest.mark.engine_free]  # the scratch file is SQLite on either engine


@pytest.fixture(scope="session")
def migrated_sqlite(demo_template, tmp_path_factory) -> Path:
    """A migrated, empty SQLite file: the one the template build kept before the demo, on SQLite; on
    PostgreSQL (whose template is no SQLite file) one migrated here, once per test process."""
    if demo_template.vendor == "sqlite" and Path(demo_template.empty).is_file():
        return Path(demo_template.empty)
    path = tmp_path_factory.mktemp("match-eval") / "migrated.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "TEST_SQLITE_PATH")}
    env.update(SQLITE_PATH=str(path), DJANGO_SETTINGS_MODULE="liantong.settings")
    proc = subprocess.run([sys.executable, "-m", "liantong.cli", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture
def run(migrated_sqlite):
    def evaluate(folder) -> list[str]:
        out = io.StringIO()
        call_command("match_eval", str(folder), scratch_from=str(migrated_sqlite), stdout=out)
        return [line for line in out.getvalue().splitlines() if line.strip()]

    return evaluate


@pytest.mark.skipif(not (DEV / "qrels.jsonl").exists(), reason="the development set ../shared/data/matching is absent")
def test_it_prints_per_split_figures_and_a_json_last_line_on_the_development_set(run):
    lines = run(DEV)
    result = json.loads(lines[-1])
    assert set(result) == {"queries", "ndcg@10", "recall@10", "baseline_ndcg@10"}
    assert result["queries"] == sum(1 for line in (DEV / "qrels.jsonl").read_text().splitlines() if line.strip())
    assert any(line.startswith("[dev]") for line in lines)
    assert result["ndcg@10"] > result["baseline_ndcg@10"]


def test_it_works_on_a_held_out_set_with_other_ids_zones_and_firms(tmp_path, run):
    rows = [
        {"id": "X1", "kind": "demand", "chain": "风电装备", "node": "整机", "zone": "张掖", "enterprise": "张掖风机整机厂",
         "title": "风机主轴轴承采购", "description": "3MW风机主轴轴承，需提供疲劳寿命报告", "keywords": ["主轴轴承"],
         "quantity": "200套"},
        {"id": "X2", "kind": "supply", "chain": "风电装备", "node": "轴承", "zone": "张掖", "enterprise": "河西轴承公司",
         "title": "风电主轴轴承", "description": "兆瓦级风机主轴轴承，带疲劳寿命报告", "keywords": ["主轴轴承", "风电"],
         "quantity": "年产1000套"},
        {"id": "X3", "kind": "supply", "chain": "其他", "node": "", "zone": "其他", "enterprise": "某汽配厂",
         "title": "汽车轮毂轴承", "description": "乘用车轮毂轴承单元", "keywords": ["轮毂轴承"], "quantity": ""},
        {"id": "X4", "kind": "scenario", "chain": "风电装备", "node": "整机", "zone": "张掖", "enterprise": "张掖风机整机厂",
         "title": "整机厂开放配套：叶片与轴承", "description": "开放配套：风电叶片、主轴轴承", "keywords": ["叶片", "轴承"],
         "quantity": ""},
    ]
    (tmp_path / "listings.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    (tmp_path / "qrels.jsonl").write_text(
        json.dumps({"query": "X1", "relevant": {"X2": 2}, "split": "heldout"}) + "\n"
        + json.dumps({"query": "X4", "relevant": {"X2": 2}, "split": "heldout"}) + "\n", encoding="utf-8")
    lines = run(tmp_path)
    result = json.loads(lines[-1])
    assert result["queries"] == 2
    assert result["ndcg@10"] == 1.0 and result["recall@10"] == 1.0
    assert any(line.startswith("[heldout]") for line in lines)


def test_a_folder_without_the_files_is_refused_in_chinese(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="缺少 listings.jsonl"):
        call_command("match_eval", str(tmp_path))


def test_a_scratch_source_that_does_not_exist_is_refused_in_chinese(tmp_path):
    from django.core.management.base import CommandError

    for name in ("listings.jsonl", "qrels.jsonl"):
        (tmp_path / name).write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="临时数据库的来源文件"):
        call_command("match_eval", str(tmp_path), scratch_from=str(tmp_path / "none.sqlite3"))
