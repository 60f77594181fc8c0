"""Panels of the home page. Each app registers ``panel(request) -> dict | None``; a dict gives the
``template`` to include and its context. The home page shows the panels that answer, in order."""

from collections.abc import Callable

_PANELS: list[tuple[int, Callable]] = []


def register(order: int, panel: Callable) -> None:
    if all(p is not panel for _, p in _PANELS):
        _PANELS.append((order, panel))
        _PANELS.sort(key=lambda t: t[0])


def panels_for(request) -> list[dict]:
    out = []
    for _, panel in _PANELS:
        p = panel(request)
        if p:
            out.append(p)
    return out
