"""The demo's accounts: one password for every demo user, and the list of them.

Every user the demo loaders create is marked ``is_demo``. The loaders create them without a password;
this last loader gives all of them ``settings.DEMO_PASSWORD`` through one shared hash (Argon2 takes about
a second per hash, and the demo has a few dozen users). Running the demo again keeps the hash when it
still matches the demo password, so a second run changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

from .models import UnitKind, User


def demo_password_hash() -> str:
    """A hash of the demo password: a demo user's current one if it still matches, else a new one."""
    current = (User.objects.filter(is_demo=True).exclude(password="").exclude(password__startswith="!")
               .values_list("password", flat=True).order_by("id").first())
    if current and check_password(settings.DEMO_PASSWORD, current):
        return current
    return make_password(settings.DEMO_PASSWORD)


def set_demo_passwords() -> int:
    """Give every demo user the demo password (one hash for all); returns how many were changed.

    A bulk update on purpose: the password is never part of an audit row, and the demo loader is the only
    caller (``liantong demo``)."""
    hashed = demo_password_hash()
    return User.objects.filter(is_demo=True).exclude(password=hashed).update(password=hashed)


def load(ctx) -> None:
    set_demo_passwords()


def demo_accounts() -> list[dict]:
    """Every demo account, for ``liantong demo --users``: username, roles, unit kind and unit, zone."""
    rows = []
    users = (User.objects.filter(is_demo=True, is_active=True)
             .select_related("zone", "chain", "department", "enterprise", "institution")
             .prefetch_related("roles").order_by("zone_id", "id"))
    for u in users:
        unit = u.unit
        rows.append({
            "username": u.username,
            "roles": "、".join(r.name for r in u.roles.all()) or "—",
            "unit_kind": UnitKind(u.unit_kind).label,
            "unit": str(unit) if unit is not None else ("全部园区" if u.unit_kind == UnitKind.PLATFORM else "—"),
            "zone": str(u.zone) if u.zone_id else "—",
            "name": u.display_name,
        })
    return rows
