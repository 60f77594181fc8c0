"""Zone figures, counted from the data (DESIGN-NOTES 6: figures are queries).

Each app registers a function ``(zone) -> dict`` adding its keys; ``zone_stats`` merges them.
"""

from __future__ import annotations

from collections.abc import Callable

_PROVIDERS: list[Callable] = []


def register(fn: Callable) -> Callable:
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    return fn


def zone_stats(zone) -> dict:
    out: dict = {"zone": zone.pk, "zone_name": zone.name}
    for fn in _PROVIDERS:
        out.update(fn(zone))
    return out


LABELS = {
    "chains": "产业链",
    "chain_committees": "产业链联合党委",
    "enterprises": "链上企业",
    "party_orgs": "企业党组织",
    "party_orgs_all": "党组织（全部）",
    "members": "党员",
    "vanguard_teams": "党员先锋队",
    "pairings": "结对共建",
}
