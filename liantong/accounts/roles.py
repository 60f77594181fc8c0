"""The default roles: a data scope and permission codes each. Admins may edit them afterwards.

Permission codes are ``app.action``; ``app.*`` grants an app's every action, ``*`` everything.
``zone_admin`` is the zone's administrator (users of the zone, their roles and tokens; dictionaries read
only); it is held beside ``zone_staff`` by the zone committee's administrators. ``accounts.tokens`` lets
a role's users hold API tokens.
Apps add their codes to these roles with ``grant`` (from their AppConfig.ready).
"""

from .models import DataScope, Role

DEFAULT_ROLES: dict[str, dict] = {
    "platform_admin": {"name": "平台管理员", "data_scope": DataScope.ALL, "permissions": ["*"], "sort": 0},
    "zone_admin": {"name": "园区系统管理员", "data_scope": DataScope.SUBTREE, "sort": 1,
                   "permissions": ["accounts.users", "accounts.tokens", "core.dicts_view", "core.audit"]},
    "zone_staff": {"name": "园区党工委", "data_scope": DataScope.SUBTREE, "sort": 1,
                   "permissions": ["orgs.*", "core.audit", "accounts.tokens"]},
    "chain_staff": {"name": "产业链联合党委", "data_scope": DataScope.SUBTREE, "sort": 2,
                    "permissions": ["orgs.view_party", "orgs.manage_party", "orgs.manage", "orgs.import",
                                    "accounts.tokens"]},
    "dept_staff": {"name": "职能部门", "data_scope": DataScope.LEVEL, "sort": 3, "permissions": ["accounts.tokens"]},
    "enterprise": {"name": "企业联络员/支部书记", "data_scope": DataScope.SUBTREE, "sort": 4,
                   "permissions": ["orgs.view_party", "orgs.manage_party", "orgs.import", "accounts.tokens"]},
    "institution": {"name": "高校/院所联络员", "data_scope": DataScope.LEVEL, "sort": 5,
                    "permissions": ["accounts.tokens"]},
}


def grant(role_code: str, *codes: str) -> None:
    perms = DEFAULT_ROLES[role_code]["permissions"]
    for c in codes:
        if c not in perms:
            perms.append(c)


def ensure_roles() -> dict[str, Role]:
    """Create the default roles; add newly granted codes to existing ones without removing any."""
    out = {}
    for code, spec in DEFAULT_ROLES.items():
        role, created = Role.objects.get_or_create(code=code, defaults=spec)
        if not created:
            missing = [p for p in spec["permissions"] if p not in role.permissions]
            if missing:
                role.permissions = role.permissions + missing
                role.save(update_fields=["permissions"])
        out[code] = role
    return out
