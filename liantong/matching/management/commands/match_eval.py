"""``liantong match-eval DIR``: evaluate the matching engine on a labelled set (listings.jsonl + qrels.jsonl).

The listings are loaded into a SCRATCH database through the real services: the command re-runs itself
in a child process whose database is a fresh temporary SQLite file (migrated, then discarded), so the
platform's own database is never touched. Zones, chains, nodes and firms named in the file are created
through the orgs services; a firm that opens a scenario becomes its chain's master (only masters may).
The engine is built from the scratch database through ``index.py`` and every query of ``qrels.jsonl``
runs through ``index.match_listing`` (the same path as the match page and the API). The README's lexical
baseline (BM25 over character bigrams) ranks the same pool. Per-split figures are printed, and the last
line is ``{"queries": N, "ndcg@10": x, "recall@10": y, "baseline_ndcg@10": b}``.

``--scratch-from FILE`` starts the scratch database from a copy of a migrated, empty SQLite file instead of
an empty one (migrating from nothing costs several seconds; ``migrate`` then only checks it is current). The
test suite passes the migrated database its template build keeps (``tests/dbtemplate.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(__file__).resolve().parents[4]
STAGES = {0: "up", 1: "mid", 2: "down", "up": "up", "mid": "mid", "down": "down"}


def _credit_code(zone: str, name: str) -> str:
    from liantong.core.identifiers import USCC_CHARS, uscc_check_char

    digest = hashlib.sha256(f"{zone}|{name}".encode()).digest()
    first17 = "91" + "999999" + "".join(USCC_CHARS[b % 31] for b in digest[:9])
    return first17 + uscc_check_char(first17)


def _copy_sqlite(source: Path, target: str) -> None:
    """A consistent copy of the SQLite file ``source`` (the online backup API, WAL included)."""
    import sqlite3

    if not source.is_file():
        raise CommandError(f"临时数据库的来源文件 {source} 不存在")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


class Command(BaseCommand):
    help = "在临时数据库中评测供需匹配引擎：liantong match-eval DIR（DIR 含 listings.jsonl 与 qrels.jsonl）"

    def add_arguments(self, parser):
        parser.add_argument("dir", help="含 listings.jsonl 与 qrels.jsonl 的目录")
        parser.add_argument("--in-scratch", action="store_true", help="（内部）已在临时数据库中运行")
        parser.add_argument("--per-query", action="store_true", help="逐条打印查询结果")
        parser.add_argument("--scratch-from", metavar="FILE",
                            help="以此已迁移的空 SQLite 数据库文件的副本作临时数据库（省去从头迁移）")

    def handle(self, *args, **opts):
        folder = Path(opts["dir"]).expanduser().resolve()
        for name in ("listings.jsonl", "qrels.jsonl"):
            if not (folder / name).is_file():
                raise CommandError(f"目录 {folder} 中缺少 {name}")
        if opts["in_scratch"]:
            return self._evaluate(folder, per_query=opts["per_query"])
        tmp = tempfile.mkdtemp(prefix="liantong-match-eval-")
        scratch = os.path.join(tmp, "scratch.sqlite3")
        if opts.get("scratch_from"):
            _copy_sqlite(Path(opts["scratch_from"]), scratch)
        env = dict(os.environ, SQLITE_PATH=scratch)
        env.setdefault("DJANGO_SETTINGS_MODULE", "liantong.settings")
        for key in ("DATABASE_URL", "REDIS_URL"):
            env.pop(key, None)
        cmd = [sys.executable, "-m", "liantong.cli", "match-eval", str(folder), "--in-scratch"]
        if opts["per_query"]:
            cmd.append("--per-query")
        try:
            proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if proc.stdout:
            self.stdout.write(proc.stdout.rstrip("\n"))
        if proc.returncode != 0:
            raise CommandError("评测失败：\n" + proc.stderr[-3000:])

    # --- in the scratch database -------------------------------------------------------------------

    def _load(self, folder: Path) -> dict[str, int]:
        from liantong.core.services import ServiceError
        from liantong.matching import services
        from liantong.orgs import services as orgs
        from liantong.orgs.models import ChainRole

        rows = [json.loads(line) for line in (folder / "listings.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
        zones, chains, nodes, firms, placed = {}, {}, {}, {}, set()
        masters = {((r.get("zone") or "其他"), (r.get("chain") or "其他"), r.get("enterprise") or "")
                   for r in rows if r.get("kind") == "scenario"}
        ids: dict[str, int] = {}
        skipped = 0
        for r in rows:
            zname, cname, ename = (r.get("zone") or "其他")[:20], (r.get("chain") or "其他")[:100], \
                (r.get("enterprise") or "未署名企业")[:100]
            try:
                zone = zones.get(zname) or zones.setdefault(
                    zname, orgs.save_zone(actor=None, name=f"{zname}（评测）", short_name=zname))
                chain = chains.get((zname, cname)) or chains.setdefault(
                    (zname, cname), orgs.save_chain(actor=None, zone=zone, name=cname))
                node = None
                if r.get("node"):
                    key = (zname, cname, r["node"][:60])
                    node = nodes.get(key) or nodes.setdefault(key, orgs.save_chain_node(
                        actor=None, chain=chain, name=r["node"][:60], stage=STAGES.get(r.get("stage"), "mid")))
                fkey = (zname, ename)
                if fkey not in firms:
                    firms[fkey] = orgs.save_enterprise(actor=None, zone=zone, credit_code=_credit_code(zname, ename),
                                                       name=ename)[0]
                ent = firms[fkey]
                if (fkey, cname) not in placed:
                    role = ChainRole.MASTER if (r.get("zone") or "其他", r.get("chain") or "其他",
                                                r.get("enterprise") or "") in masters else ChainRole.MEMBER
                    orgs.set_membership(actor=None, enterprise=ent, chain=chain, role=role, node=node)
                    placed.add((fkey, cname))
                listing = services.save_listing(
                    actor=None, enterprise=ent, chain=chain, node=node, kind=r["kind"],
                    title=(r.get("title") or "")[: services.TITLE_MAX], description=r.get("description") or "",
                    keywords=r.get("keywords") or [], quantity=r.get("quantity") or "", ref=str(r["id"]))
                if r.get("active") is False:
                    services.close_listing(listing, actor=None)
                ids[str(r["id"])] = listing.pk
            except ServiceError as exc:
                skipped += 1
                self.stderr.write(f"跳过 {r.get('id')}：{exc.message}")
        self.stdout.write(f"载入 {len(ids)} 条供需信息（跳过 {skipped} 条）：{len(zones)} 个园区、{len(chains)} 条产业链、"
                          f"{len(firms)} 家企业")
        return ids

    def _evaluate(self, folder: Path, *, per_query: bool) -> None:
        from liantong.matching import index
        from liantong.matching.evaluation import BaselineBM25, load_qrels, ndcg_at_k, recall_at_k
        from liantong.matching.models import Listing

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        t1 = time.perf_counter()
        from django.db import transaction

        with transaction.atomic():  # one transaction: the scratch file is written once
            ids = self._load(folder)
        t2 = time.perf_counter()
        engine = index.build()
        t3 = time.perf_counter()
        self.stdout.write(f"临时数据库迁移 {t1 - t0:.1f} 秒，经服务层载入 {t2 - t1:.1f} 秒，由数据库建索引 {t3 - t2:.1f} 秒")
        ref_of = {pk: ref for ref, pk in ids.items()}
        listings = {o.pk: o for o in Listing.objects.select_related("zone", "chain", "node", "enterprise")}
        pool = [index.doc_for(o) for o in index.matchable(Listing.objects.select_related(
            "zone", "chain", "node", "enterprise")).order_by("pk")]
        baseline = BaselineBM25(pool)
        splits: dict[str, list[dict]] = {}
        missing = 0
        for q in load_qrels(folder):
            pk = ids.get(str(q["query"]))
            if pk is None:
                missing += 1
                continue
            rels = {str(k): int(v) for k, v in q["relevant"].items()}
            query = listings[pk]
            ranked = [ref_of[r.listing.pk] for r in index.match_listing(query, limit=10, engine=engine)]
            branked = [ref_of[i] for i in baseline.rank(index.doc_for(query), limit=10)]
            row = {"query": str(q["query"]), "ndcg": ndcg_at_k(ranked, rels), "recall": recall_at_k(ranked, rels),
                   "baseline_ndcg": ndcg_at_k(branked, rels), "baseline_recall": recall_at_k(branked, rels)}
            splits.setdefault(str(q.get("split") or "all"), []).append(row)
            if per_query:
                self.stdout.write(f"  {row['query']}  nDCG@10 {row['ndcg']:.3f}  基线 {row['baseline_ndcg']:.3f}  "
                                  f"前10：{' '.join(ranked)}")
        if missing:
            self.stderr.write(f"{missing} 个查询的编号不在 listings.jsonl 中，已跳过")

        def mean(rows, key):
            return round(sum(r[key] for r in rows) / len(rows), 4) if rows else 0.0

        everything = [r for rows in splits.values() for r in rows]
        for split, rows in sorted(splits.items()):
            self.stdout.write(f"[{split}] 查询 {len(rows)} 个  nDCG@10 {mean(rows, 'ndcg'):.4f}  recall@10 "
                              f"{mean(rows, 'recall'):.4f}  基线 nDCG@10 {mean(rows, 'baseline_ndcg'):.4f}  "
                              f"基线 recall@10 {mean(rows, 'baseline_recall'):.4f}")
        self.stdout.write(json.dumps({"queries": len(everything), "ndcg@10": mean(everything, "ndcg"),
                                      "recall@10": mean(everything, "recall"),
                                      "baseline_ndcg@10": mean(everything, "baseline_ndcg")}, ensure_ascii=False))
