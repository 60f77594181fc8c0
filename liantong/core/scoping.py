"""The one place that decides who sees what.

Each scoped model declares a ``Scope`` (how its rows reach a zone, a chain, a firm, a department,
an institution, a party-org path and an owner). ``scope_q(user, model)`` turns the user's roles
into one ``Q``: the union of each role's data scope (全部 / 本级及以下 / 本级 / 仅本人) applied to the
user's unit. Models marked ``public`` are also readable by every user of the same zone (the
"public lists": chains, enterprises, departments, institutions …), never writable through that.

No Python-side filtering: the result is a query, so counts and pages cannot leak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

Lookup = str | Callable[[object], Q] | None

NOTHING = Q(pk__in=[])


class UnitKind(models.TextChoices):
    """The kind of unit a user acts for; scoping reads the user's own FK of that kind."""

    PLATFORM = "platform", _("平台管理")
    ZONE = "zone", _("园区党工委")
    CHAIN = "chain", _("产业链联合党委")
    DEPARTMENT = "department", _("职能部门")
    ENTERPRISE = "enterprise", _("企业")
    INSTITUTION = "institution", _("高校/院所")


class DataScope(models.TextChoices):
    """A role's data scope (RuoYi): several roles combine as a union."""

    ALL = "all", _("全部数据")
    SUBTREE = "subtree", _("本级及以下")
    LEVEL = "level", _("本级")
    SELF = "self", _("仅本人")


# The user's party-org path (for ``org_path`` scoping) comes from the strand that owns party orgs:
# ``register_org_path(fn)`` in its AppConfig.ready, ``fn(party_org_id) -> path | None`` (core imports no strand).
_ORG_PATH_RESOLVER: Callable[[int], str | None] | None = None


def register_org_path(fn: Callable[[int], str | None]) -> None:
    global _ORG_PATH_RESOLVER
    _ORG_PATH_RESOLVER = fn


@dataclass(frozen=True)
class Scope:
    zone: Lookup = "zone"
    chain: Lookup = None  # lookup to a Chain id, or a callable(chain_id) -> Q
    enterprise: Lookup = None
    department: Lookup = None
    institution: Lookup = None
    # lookup to a PartyOrg.path for tree scoping; several (a tuple) when a row belongs to two orgs at once
    # (a member transfer is seen from the sending org and from the receiving one)
    org_path: str | tuple[str, ...] | None = None
    owner: str | None = None  # lookup to the creating user, for 仅本人
    public: bool = False  # readable by everyone in the zone


def _q(lookup: Lookup, value) -> Q:
    if lookup is None or value is None:
        return NOTHING
    if callable(lookup):
        return lookup(value)
    return Q(**{lookup: value})


def _org_path(user) -> str | None:
    if not user.party_org_id:
        return None
    cached = getattr(user, "_party_org_path", None)
    if cached is None:
        cached = (_ORG_PATH_RESOLVER(user.party_org_id) if _ORG_PATH_RESOLVER else None) or ""
        user._party_org_path = cached
    return cached or None


def _unit_q(user, spec: Scope, *, subtree: bool) -> Q:
    kind = user.unit_kind
    path = _org_path(user)
    org_q = NOTHING
    if spec.org_path and path:
        for lookup in (spec.org_path,) if isinstance(spec.org_path, str) else spec.org_path:
            org_q |= Q(**{f"{lookup}__startswith": path}) if subtree else Q(**{lookup: path})
    if kind == UnitKind.ZONE:
        return _q(spec.zone, user.zone_id) if subtree else (org_q if spec.org_path else _q(spec.zone, user.zone_id))
    if kind == UnitKind.CHAIN:
        return _q(spec.chain, user.chain_id) | org_q
    if kind == UnitKind.ENTERPRISE:
        return _q(spec.enterprise, user.enterprise_id) | org_q
    if kind == UnitKind.DEPARTMENT:
        return _q(spec.department, user.department_id) | org_q
    if kind == UnitKind.INSTITUTION:
        return _q(spec.institution, user.institution_id) | org_q
    return NOTHING


def scope_q(user, model, *, for_write: bool = False) -> Q:
    """The rows of ``model`` that ``user`` may read (or write, with ``for_write``)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    spec: Scope | None = getattr(model, "scope", None)
    if spec is None:
        raise TypeError(f"{model.__name__} has no Scope: every model read through visible_to() needs one")
    q = NOTHING
    for role in user.role_list:
        if role.data_scope == DataScope.ALL:
            return Q()
        if role.data_scope == DataScope.SUBTREE:
            q |= _unit_q(user, spec, subtree=True)
        elif role.data_scope == DataScope.LEVEL:
            q |= _unit_q(user, spec, subtree=False)
        elif role.data_scope == DataScope.SELF and spec.owner:
            q |= Q(**{spec.owner: user.pk})
    if spec.public and not for_write and user.zone_id:
        q |= _q(spec.zone, user.zone_id)
    return q


def get_for_user(model, user, pk, *, for_write: bool = False, queryset=None):
    """One object the user may see (or edit), else ``Http404`` — never 403, so nothing leaks."""
    from django.http import Http404

    qs = queryset if queryset is not None else model.objects.all()
    qs = qs.filter(scope_q(user, model, for_write=for_write))
    if hasattr(qs, "as_scoped"):
        qs = qs.as_scoped()
    try:
        return qs.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该记录，或您无权访问") from None
