"""Zone figures, counted from the data (DESIGN-NOTES 6: figures are queries).

Each app registers a function ``(zone) -> dict`` adding its keys, with the Chinese label of each key
the home page shows; ``zone_stats`` merges them. A figure that cannot be computed yet (a rate with
no orders) is ``None`` and shows as “—”.
"""

from __future__ import annotations

from collections.abc import Callable

_PROVIDERS: list[Callable] = []


def register(fn: Callable, labels: dict[str, str] | None = None) -> Callable:
    """Add a provider ``(zone) -> dict``; ``labels`` names the keys the home page shows, in order."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    LABELS.update(labels or {})
    return fn


def zone_stats(zone) -> dict:
    out: dict = {"zone": zone.pk, "zone_name": zone.name}
    for fn in _PROVIDERS:
        out.update(fn(zone))
    return out


LABELS: dict[str, str] = {}  # key -> label, filled by ``register``
