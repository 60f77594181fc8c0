"""``liantong demo``: the seed article's three zones, built through the real services.

Deterministic (fixed seeds, natural keys): running it twice changes nothing. Each app registers a
loader ``(ctx) -> None``; they run in registration order and share ``ctx`` (zones, firms, users …).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

_LOADERS: list[tuple[int, str, Callable[[dict], None]]] = []


def register(order: int, name: str, fn: Callable[[dict], None]) -> None:
    if all(n != name for _, n, _ in _LOADERS):
        _LOADERS.append((order, name, fn))
        _LOADERS.sort(key=lambda t: t[0])


def run(*, log: Callable[[str], None] = print) -> dict:
    """Run every registered loader in order; the accounts strand's first one puts the roles in ``ctx``."""
    from .dicts import ensure_dicts

    ensure_dicts()
    ctx: dict = {"log": log}
    for _, name, fn in _LOADERS:
        log(f"演示数据：{name} …")
        # one transaction per loader: all or nothing, and one commit instead of thousands
        with transaction.atomic():
            fn(ctx)
    return ctx


_ACCOUNT_LISTS: list[Callable[[], list[dict]]] = []


def register_accounts(fn: Callable[[], list[dict]]) -> None:
    """The strand that owns users lists the demo accounts: ``fn() -> [{username, roles, unit_kind, unit, zone}]``."""
    if fn not in _ACCOUNT_LISTS:
        _ACCOUNT_LISTS.append(fn)


def accounts() -> list[dict]:
    """Every demo account (``liantong demo --users``); all share ``settings.DEMO_PASSWORD``."""
    return [row for fn in _ACCOUNT_LISTS for row in fn()]


# the personas named in the README and printed after ``liantong demo``; ``accounts()`` lists the rest
DEMO_LOGINS = [
    ("admin", "平台管理员"),
    ("zj_zone", "镇江高新区党工委"),
    ("zj_chain", "镇江高新区高技术船舶海工装备产业链联合党委"),
    ("zj_dept", "镇江高新区自然资源和规划分局"),
    ("zj_firm", "镇江船厂联络员、设计所党支部书记"),
    ("zj_firm2", "另一家镇江链上企业（演示）"),
    ("zj_uni", "江苏科技大学联络员"),
    ("by_zone", "白银高新区党工委"),
]
