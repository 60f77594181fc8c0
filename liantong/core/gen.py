"""``liantong gen --scale zone|city|province``: synthetic data for benchmarks.

The one documented bulk path (DESIGN-NOTES 8): generators may ``bulk_create`` for speed, but must
keep the invariants the services keep — zone keys, materialised paths, keyed hashes and masked
copies of personal data, valid check characters — and a test checks a small run against them.
Apps register ``fn(scale: Scale, log) -> dict`` in order; they share nothing but the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from operator import attrgetter
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, JSONField, Max
from django.utils import timezone

from . import textsearch


@dataclass(frozen=True)
class Scale:
    name: str
    zones: int
    chains_per_zone: int
    firms: int
    party_orgs: int
    members: int
    orders: int
    listings: int


SCALES = {
    "tiny": Scale("tiny", 2, 3, 60, 40, 400, 500, 300),  # for tests
    "zone": Scale("zone", 1, 10, 2_500, 1_000, 25_000, 50_000, 10_000),
    "city": Scale("city", 5, 10, 12_500, 5_000, 125_000, 250_000, 50_000),
    "province": Scale("province", 20, 10, 50_000, 20_000, 500_000, 1_000_000, 200_000),
}

_GENERATORS: list[tuple[int, str, Callable]] = []


def register(order: int, name: str, fn: Callable) -> None:
    if all(n != name for _, n, _ in _GENERATORS):
        _GENERATORS.append((order, name, fn))
        _GENERATORS.sort(key=lambda t: t[0])


def run(scale: Scale, *, log: Callable[[str], None] = print, only: set[str] | None = None) -> dict:
    out = {}
    for _, name, fn in _GENERATORS:
        if only and name not in only:
            continue
        out[name] = fn(scale, log)
    _vacuum(log)
    return out


def _vacuum(log: Callable[[str], None]) -> None:
    """After the bulk load, the planner's statistics of every table. PostgreSQL: VACUUM sets the visibility map
    (index-only scans for the counts of the queues and boards) and ANALYZE the statistics — what autovacuum
    would do some time later. SQLite: ANALYZE, which it never runs by itself; without it the planner started
    the platform's list of supply and demand from the chains and sorted every listing (93 ms at city scale,
    50,000 listings, instead of 0.1)."""
    if connection.in_atomic_block:
        return
    stmt = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute(stmt)
    log(f"{stmt}（{time.perf_counter() - t0:.1f} 秒）")


# --- the bulk path: shared by every strand's generator ------------------------------------------------------
# Rows built by a generator with plain values go in with ``executemany`` of the model's INSERT, in batches,
# one transaction per group; primary keys are reserved ahead (``Keys``) so paths and references are known
# before the insert; the search tokens are filled as ``save()`` would. Then ``reset_sequences`` (PostgreSQL)
# and ``analyze``.

BATCH = 5_000  # rows per executemany (one row's parameters per statement: no SQLite variable limit)
GROUP = 50_000  # rows per transaction


def batched(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class Keys:
    """Primary keys reserved above each table's current maximum, so paths are known before insert."""

    def __init__(self, *models):
        self.next = {m: (m.objects.aggregate(n=Max("pk"))["n"] or 0) + 1 for m in models}

    def take(self, model) -> int:
        pk = self.next[model]
        self.next[model] = pk + 1
        return pk


def adapters(model, attnames: Sequence[str], now=None) -> list[Callable | None]:
    """Per column of ``model`` (by attname), the function that turns a Python value into what the backend's
    INSERT takes — ``None`` where the value goes as it is: the date, datetime and JSON adaptation of the
    backend; ``auto_now`` columns get ``now``, ``auto_now_add`` ones ``now`` unless already set; choices as
    plain strings (TextChoices members are Enums: psycopg would send their names)."""
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now or timezone.now())
    out: list[Callable | None] = []
    for name in attnames:
        f = model._meta.get_field(name)
        if getattr(f, "auto_now", False):
            out.append(lambda v, stamp=stamp: stamp)
        elif getattr(f, "auto_now_add", False):
            out.append(lambda v, stamp=stamp: stamp if v is None else ops.adapt_datetimefield_value(v))
        elif isinstance(f, DateTimeField):
            out.append(ops.adapt_datetimefield_value)
        elif isinstance(f, DateField):
            out.append(ops.adapt_datefield_value)
        elif isinstance(f, JSONField):
            out.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        elif f.choices:
            out.append(lambda v: None if v is None else str(v))
        else:
            out.append(None)
    return out


def row_adapter(model, attnames: Sequence[str], now=None) -> Callable[[Sequence], tuple]:
    """``adapters`` as one function of a row's values (in ``attnames`` order) to the tuple the INSERT takes."""
    todo = [(i, a) for i, a in enumerate(adapters(model, attnames, now)) if a is not None]

    def adapt(values: Sequence) -> tuple:
        out = list(values)
        for i, a in todo:
            out[i] = a(out[i])
        return tuple(out)

    return adapt


def bulk(model, objs: list, counts: dict | None = None, *, with_pk: bool = True) -> None:
    """Insert ``objs`` (with their primary keys set; ``with_pk=False``: without, the database numbers them)
    in batches, one transaction per group.

    ``bulk_create`` spends ~20 µs per value compiling SQL (prepare_value / get_db_prep_save): 200 s
    of CPU for 500,000 members of 20 columns. The rows here are built by this module with plain
    values, so they go through ``executemany`` of one parameterised INSERT instead — the same SQL
    ``bulk_create`` would send, with the backend's adaptation (``adapters``). An ``auto_now_add`` stamp
    already set on an object is kept (the audit chain hashes it before the insert).
    """
    names = [f.attname for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    textsearch.fill(objs)  # the search tokens, as save() would write them
    adapt = row_adapter(model, names)
    get = attrgetter(*names)
    insert(model, names, [adapt(get(o)) for o in objs] if len(names) > 1 else [adapt((get(o),)) for o in objs],
           {} if counts is None else counts)


def reserve_ids(model, n: int) -> Sequence[int]:
    """``n`` primary keys of ``model`` that no other writer will take, reserved in a short transaction of
    their own (the Excel import: its rows and their audit rows are built with their ids before the write
    transaction). PostgreSQL: from the id sequence; SQLite: by moving the table's AUTOINCREMENT counter
    (``sqlite_sequence``) past them — a later insert numbers above both. Unused ids are a gap, as after
    a rolled-back insert."""
    if n <= 0:
        return range(0)
    table, pk = model._meta.db_table, model._meta.pk.column
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, n])
            return [r[0] for r in c.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(connection.vendor)
        c.execute(f"SELECT max({qn(pk)}) FROM {qn(table)}")
        top = c.fetchone()[0] or 0
        c.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = c.fetchone()
        start = max(top, row[0] if row else 0)
        if row:
            c.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [start + n, table])
        else:
            c.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start + n])
    return range(start + 1, start + n + 1)


def map_chunks(fn: Callable[[list], Any], items: list, size: int, workers: int) -> Iterator:
    """``fn`` of each slice of ``size`` items, in order; in a forked process pool of ``workers`` when more
    than one (the generator's encryption, the Excel import's rows). ``fn`` is a module-level function and
    the slices plain data (they are pickled); ``fn`` must not touch the database: the children share the
    parent's connection."""
    chunks = list(batched(items, size))
    if workers <= 1 or len(chunks) <= 1:
        for c in chunks:
            yield fn(c)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        futures = [pool.submit(fn, c) for c in chunks]
        del chunks
        for f in futures:
            yield f.result()


def insert(model, attnames: list[str], rows: list[tuple], counts: dict) -> None:
    """executemany the INSERT of ``attnames`` for ``rows`` (values already adapted), in batches;
    a searchable model's ``search_text`` is added from the rows' source columns."""
    attnames, rows = textsearch.fill_rows(model, attnames, rows)
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(a).column for a in attnames]
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    for group in batched(rows, GROUP):
        with transaction.atomic(), connection.cursor() as cursor:
            for batch in batched(group, BATCH):
                cursor.executemany(sql, batch)
    counts[model._meta.model_name] = counts.get(model._meta.model_name, 0) + len(rows)


def bulk_load_pragmas() -> Callable[[], None]:
    """Faster SQLite settings for the load (the connection is already WAL); returns the restorer."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # (tests run inside a transaction)
        return lambda: None
    with connection.cursor() as c:
        c.execute("PRAGMA synchronous")
        sync = c.fetchone()[0]
        c.execute("PRAGMA synchronous=OFF")
        c.execute("PRAGMA cache_size=-200000")
        c.execute("PRAGMA temp_store=MEMORY")

    def restore():
        with connection.cursor() as c:
            c.execute(f"PRAGMA synchronous={int(sync)}")

    return restore


def analyze(models=None) -> None:
    """Refresh the planner's statistics after a bulk load: of the given models' tables, or of the whole
    database (SQLite needs them to skip-scan the (zone, …) indexes for queries across all zones;
    PostgreSQL's autovacuum would get there later). Skipped inside a transaction (tests: rolled back)."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as c:
        if models is None:
            c.execute("ANALYZE")
        for model in models or ():
            c.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def reset_sequences(models: Iterable) -> None:
    """PostgreSQL: move each id sequence past the explicitly assigned keys (SQLite needs nothing)."""
    sql = connection.ops.sequence_reset_sql(no_style(), list(models))
    if sql:
        with connection.cursor() as c:
            for stmt in sql:
                c.execute(stmt)


def without_indexes(models: list) -> Callable[[], None] | None:
    """SQLite, large loads: drop the tables' secondary (non-unique) indexes for the load and return
    the function that builds them again — one sorted build instead of millions of random B-tree
    inserts (the unique ones stay: ``ref`` and ``card_once``). ``None`` elsewhere."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as c:
        c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                  "AND substr(sql, 1, 13) != 'CREATE UNIQUE' AND tbl_name IN "
                  f"({', '.join(['%s'] * len(tables))}) ORDER BY name", tables)
        dropped = c.fetchall()
        for name, _ in dropped:
            c.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

    def rebuild() -> None:
        with connection.cursor() as c:
            for _, sql in dropped:
                c.execute(sql)

    return rebuild
