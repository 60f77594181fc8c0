"""``liantong gen --scale zone|city|province``: synthetic data for benchmarks.

The one documented bulk path (DESIGN-NOTES 8): generators may ``bulk_create`` for speed, but must
keep the invariants the services keep — zone keys, materialised paths, keyed hashes and masked
copies of personal data, valid check characters — and a test checks a small run against them.
Apps register ``fn(scale: Scale, log) -> dict`` in order; they share nothing but the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


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
    """PostgreSQL after a bulk load: VACUUM sets the visibility map (index-only scans for the counts of
    the queues and boards) and ANALYZE the statistics — what autovacuum would do some time later."""
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    log(f"VACUUM ANALYZE（{time.perf_counter() - t0:.1f} 秒）")
