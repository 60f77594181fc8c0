"""Zone figures, counted from the data (DESIGN-NOTES 6: figures are queries).

Each app registers a function ``(zone) -> dict`` adding its keys, with the Chinese label of each key
the home page shows; ``zone_stats`` merges them. A figure that cannot be computed yet (a rate with
no orders) is ``None`` and shows as “—”.
"""

from __future__ import annotations

from collections.abc import Callable

from . import guarantees

_PROVIDERS: list[Callable] = []


def register(fn: Callable, labels: dict[str, str] | None = None) -> Callable:
    """Add a provider ``(zone) -> dict``; ``labels`` names the keys the home page shows, in order."""
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)
    LABELS.update(labels or {})
    return fn


def zone_stats(zone) -> dict:
    """The figures of ``zone``: totals over the whole zone, which the caller shows only to users who may
    see the zone (the home page: the user's own; the API: ``Zone.objects.visible_to``)."""
    out: dict = {"zone": zone.pk, "zone_name": zone.name}
    with guarantees.unscoped("zone figures: totals over a zone the caller may see, published to its users"):
        for fn in _PROVIDERS:
            out.update(fn(zone))
    return out


LABELS: dict[str, str] = {}  # key -> label, filled by ``register``
