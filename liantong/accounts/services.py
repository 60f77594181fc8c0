"""Writes on accounts: users, their roles and passwords, API tokens — each audited.

Services authorise: every function taking ``actor`` refuses what that actor may not do (``Forbidden``,
403) and answers 404 (``OutOfScope``) for a user outside the actor's reach. ``actor=None`` is the system
(the demo loader, ``gen``, the CLI), which may do anything.

No escalation: a zone administrator manages the users of their own zone only, grants only roles
within their own reach (``can_grant``), never makes platform administrators or superusers, manages
nobody who holds more than they could grant, and cannot widen their own account.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from liantong.core import audit
from liantong.core.services import Forbidden, OutOfScope, ServiceError, validation_message

from .models import ApiToken, DataScope, Role, UnitKind, User

USERS_PERM = "accounts.users"  # manage the users of one's zone (the zone's administrators)
TOKENS_PERM = "accounts.tokens"  # hold and manage one's own API tokens

# the unit FK each unit kind needs (the zone itself for a zone's staff)
UNIT_FIELD = {UnitKind.ZONE: None, UnitKind.CHAIN: "chain", UnitKind.DEPARTMENT: "department",
              UnitKind.ENTERPRISE: "enterprise", UnitKind.INSTITUTION: "institution"}
UNIT_FIELDS = ("chain", "department", "enterprise", "institution")
_SCOPE_RANK = {DataScope.SELF: 0, DataScope.LEVEL: 1, DataScope.SUBTREE: 2, DataScope.ALL: 3}
# permission namespaces that administer the platform: granting one the actor lacks is an escalation
_ADMIN_NAMESPACES = ("accounts.", "core.")


def _holds(user: User, code: str) -> bool:
    return user.has_perm_code(code)


# --- who may do what ----------------------------------------------------------------------------

def is_platform(actor) -> bool:
    return actor is None or actor.is_superuser or actor.is_platform_admin


def can_grant(actor, role: Role) -> bool:
    """Whether ``actor`` may give ``role`` to someone: platform administrators may give any role;
    a zone administrator only a role whose data scope is no wider than their own widest, which is
    not 全部数据 nor ``*``, and whose administrative permissions (``accounts.*``, ``core.*``) they
    hold themselves. (A firm's or a department's working permissions act on that unit's own rows,
    all inside the zone the administrator already sees; what would escalate is scope and admin power.)"""
    if is_platform(actor):
        return True
    if role.data_scope == DataScope.ALL or "*" in role.permissions:
        return False
    own = max((_SCOPE_RANK[r.data_scope] for r in actor.role_list), default=-1)
    if _SCOPE_RANK[role.data_scope] > own:
        return False
    return all(_holds(actor, p) for p in role.permissions if p.startswith(_ADMIN_NAMESPACES))


def grantable_roles(actor) -> list[Role]:
    return [r for r in Role.objects.all() if can_grant(actor, r)]


def can_manage(actor, target: User) -> bool:
    """Whether ``actor`` may edit ``target`` (roles, password, activation): platform administrators
    anyone but a superuser (unless they are one); a zone administrator the users of their own zone who
    are neither staff nor superusers and hold no role the administrator could not grant."""
    if actor is None or actor.is_superuser:
        return True
    if target.is_superuser or target.is_staff:
        return False
    if actor.is_platform_admin:
        return True
    if not _holds(actor, USERS_PERM) or not actor.zone_id or target.zone_id != actor.zone_id:
        return False
    return all(can_grant(actor, r) for r in target.role_list)


def manageable_users(actor):
    """The users ``actor`` may see on the users pages (a query): everyone for a platform administrator,
    the manageable users of their own zone for a zone administrator, nobody else."""
    qs = User.objects.all()
    if actor.is_superuser:
        return qs
    if actor.is_platform_admin:
        return qs.filter(is_superuser=False, is_staff=False)
    if not _holds(actor, USERS_PERM) or not actor.zone_id:
        return qs.none()
    ungrantable = [r.pk for r in Role.objects.all() if not can_grant(actor, r)]
    return (qs.filter(zone_id=actor.zone_id, is_superuser=False, is_staff=False)
            .exclude(roles__in=ungrantable))


def get_user_for(actor, pk) -> User:
    """One user ``actor`` may manage, else 404 (another zone's user is not there for them)."""
    try:
        return manageable_users(actor).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该用户，或您无权访问") from None


def _require_manage(actor, target: User) -> None:
    if actor is not None and not can_manage(actor, target):
        raise OutOfScope("未找到该用户，或您无权访问")


def _check_grants(actor, target: User | None, old: set[Role], new: set[Role]) -> None:
    if actor is None:
        return
    added = new - old
    refused = [r.name for r in added if not can_grant(actor, r)]
    if refused:
        raise Forbidden(f"您无权授予角色：{'、'.join(refused)}", field="roles")
    if target is not None and target.pk == actor.pk and added:
        raise Forbidden("不能为自己增加角色", field="roles")


def _check_unit(actor, user: User) -> None:
    """The unit matches its kind and lies in the user's zone; a zone administrator's users stay in their zone."""
    kind = user.unit_kind
    if kind == UnitKind.PLATFORM:
        if not is_platform(actor):
            raise Forbidden("只有平台管理员可以设置平台账号", field="unit_kind")
        for f in UNIT_FIELDS:
            setattr(user, f, None)
        return
    if user.zone_id is None:
        raise ServiceError("请选择用户所属园区", field="zone")
    if actor is not None and not is_platform(actor) and user.zone_id != actor.zone_id:
        raise Forbidden("只能管理本园区的用户", field="zone")
    needed = UNIT_FIELD.get(kind)
    for f in UNIT_FIELDS:
        if f != needed:
            setattr(user, f, None)
    if needed:
        unit = getattr(user, needed)
        if unit is None:
            raise ServiceError("请选择用户所属单位", field=needed)
        if unit.zone_id != user.zone_id:
            raise ServiceError("所属单位不在该园区", field=needed)
    if user.party_org_id and user.party_org.zone_id != user.zone_id:
        raise ServiceError("所在党组织不在该园区", field="party_org")


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("；".join(exc.messages), field="password") from exc


def _role_names(roles) -> list[str]:
    return sorted(r.name for r in roles)


# --- users --------------------------------------------------------------------------------------

@transaction.atomic
def save_user(*, actor, username: str, password: str | None, unit_kind: str, roles: list[Role],
              check_password: bool = True, **fields) -> User:
    """Create or update a user by username (the demo loader, ``gen``): a new password is checked
    against the policy; role changes are audited with the old and new roles."""
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    old = audit.snapshot(user, exclude=("password", "last_login"))
    old_roles = set(user.roles.all()) if not created else set()
    for k, v in dict(unit_kind=unit_kind, **fields).items():
        setattr(user, k, v)
    unit_fk = UNIT_FIELD.get(unit_kind)
    if unit_fk and getattr(user, f"{unit_fk}_id") is None:
        raise ServiceError("请选择用户所属单位")
    if unit_kind != UnitKind.PLATFORM and user.zone_id is None:
        raise ServiceError("请选择用户所属园区")
    if password:
        if check_password:
            _check_password(password, user)
        if not user.check_password(password):
            user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    if old_roles != set(roles):
        user.roles.set(roles)
    user._role_cache = None
    new = audit.snapshot(user, exclude=("password", "last_login"))
    changes = audit.diff(old, new)
    if old_roles != set(roles):
        changes["roles"] = [_role_names(old_roles), _role_names(roles)]
    if created:
        audit.record(actor, audit.AuditAction.CREATE, user,
                     changes={"new": dict(new, roles=_role_names(roles))}, zone=user.zone_id)
    elif changes:
        audit.record(actor, audit.AuditAction.UPDATE, user, changes=changes, zone=user.zone_id)
    return user


@transaction.atomic
def create_user(*, actor, username: str, password: str, unit_kind: str, roles: list[Role],
                zone=None, display_name: str = "", phone: str = "", **units) -> User:
    """A zone administrator (or a platform administrator) adds a user to a unit with roles.
    A zone administrator's users are always in their own zone."""
    if actor is not None and not (is_platform(actor) or _holds(actor, USERS_PERM)):
        raise Forbidden("您无权新增用户")
    username = (username or "").strip()
    if not username:
        raise ServiceError("请填写用户名", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError("该用户名已被使用", field="username")
    if actor is not None and not is_platform(actor):
        zone = actor.zone
    user = User(username=username, unit_kind=unit_kind, zone=zone, display_name=display_name, phone=phone,
                **{f: units.get(f) for f in (*UNIT_FIELDS, "party_org")})
    _check_unit(actor, user)
    _check_grants(actor, None, set(), set(roles))
    if not roles:
        raise ServiceError("请至少选择一个角色", field="roles")
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = actor is not None  # an administrator chose it: the user changes it first
    user.password_changed_at = timezone.now()
    try:
        user.full_clean(exclude=["password", *UNIT_FIELDS, "party_org", "zone"])
    except ValidationError as exc:
        raise ServiceError(validation_message(exc, User)) from exc
    user.save()
    user.roles.set(roles)
    new = audit.snapshot(user, exclude=("password", "last_login"))
    audit.record(actor, audit.AuditAction.CREATE, user, changes={"new": dict(new, roles=_role_names(roles))},
                 zone=user.zone_id)
    return user


@transaction.atomic
def update_user(target: User, *, actor, roles: list[Role] | None = None, **fields) -> User:
    """Edit a user's name, phone, unit and roles. Role changes are audited as old → new; a zone
    administrator adds only roles they may grant, and none to themselves."""
    _require_manage(actor, target)
    allowed = {"display_name", "phone", "unit_kind", "zone", "party_org", *UNIT_FIELDS}
    unknown = set(fields) - allowed
    if unknown:
        raise Forbidden("不能修改这些字段：" + "、".join(sorted(unknown)))
    if actor is not None and target.pk == actor.pk and not is_platform(actor):
        for f in ("unit_kind", "zone", *UNIT_FIELDS):
            if f in fields and fields[f] != getattr(target, f):
                raise Forbidden("不能修改自己的所属单位", field=f)
    old = audit.snapshot(target, exclude=("password", "last_login"))
    old_roles = set(target.roles.all())
    for k, v in fields.items():
        setattr(target, k, v)
    if actor is not None and not is_platform(actor):
        target.zone_id = actor.zone_id
    _check_unit(actor, target)
    changes = audit.diff(old, audit.snapshot(target, exclude=("password", "last_login")))
    if roles is not None:
        new_roles = set(roles)
        if not new_roles:
            raise ServiceError("请至少选择一个角色", field="roles")
        _check_grants(actor, target, old_roles, new_roles)
        if actor is not None and not is_platform(actor):
            # a role the actor cannot grant stays where it is (they cannot see it to remove it either)
            new_roles |= {r for r in old_roles if not can_grant(actor, r)}
        if new_roles != old_roles:
            changes["roles"] = [_role_names(old_roles), _role_names(new_roles)]
    target.save()
    if roles is not None and "roles" in changes:
        target.roles.set(new_roles)
        target._role_cache = None
    if changes:
        audit.record(actor, audit.AuditAction.UPDATE, target, changes=changes, zone=target.zone_id)
    return target


@transaction.atomic
def set_active(target: User, active: bool, *, actor) -> User:
    """Deactivate (the user can no longer log in, and their API tokens stop working) or reactivate."""
    _require_manage(actor, target)
    if actor is not None and target.pk == actor.pk and not active:
        raise Forbidden("不能停用自己的账号")
    if target.is_active == active:
        return target
    target.is_active = active
    target.save(update_fields=["is_active"])
    audit.record(actor, audit.AuditAction.UPDATE, target, changes={"is_active": [not active, active]},
                 zone=target.zone_id)
    if not active:
        _revoke_all(target, actor=actor, reason="账号停用")
    return target


@transaction.atomic
def reset_password(target: User, new_password: str, *, actor) -> User:
    """An administrator sets a new password for a user; the user's API tokens are revoked."""
    _require_manage(actor, target)
    _check_password(new_password, target)
    _remember_password(target)
    target.set_password(new_password)
    target.must_change_password = actor is not None and actor.pk != target.pk
    target.password_changed_at = timezone.now()
    target.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.record(actor, audit.AuditAction.UPDATE, target, changes={"password": ["***", "重置"]},
                 zone=target.zone_id)
    _revoke_all(target, actor=actor, reason="密码重置")
    return target


@transaction.atomic
def change_password(user: User, new_password: str, *, actor) -> User:
    """Set a new password (already checked against the policy by the form) and audit it without the
    value; the user's API tokens are revoked (whoever held a token with the old password loses it)."""
    _remember_password(user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.record(actor, audit.AuditAction.UPDATE, user, changes={"password": ["***", "***"]}, zone=user.zone_id)
    _revoke_all(user, actor=actor, reason="修改密码")
    return user


def _remember_password(user: User) -> None:
    """Keep the hash being replaced (the history validator refuses the last PASSWORD_HISTORY_COUNT)."""
    from django.conf import settings

    from .models import PasswordHistory

    if user.password and user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(user.password_history.values_list("pk", flat=True)[:max(settings.PASSWORD_HISTORY_COUNT, 1)])
        user.password_history.exclude(pk__in=keep).delete()


@transaction.atomic
def reset_second_factor(target: User, *, actor) -> int:
    """Remove ``target``'s second factor (a lost phone): the user enrols again at the next login
    (accounts/otp.py). A zone administrator for the zone's users; audited."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_manage(actor, target)
    n = TOTPDevice.objects.filter(user=target).delete()[0] + StaticDevice.objects.filter(user=target).delete()[0]
    audit.record(actor, audit.AuditAction.UPDATE, target, object_repr=f"{target.username} 的第二因素",
                 changes={"detail": "重置第二因素（下次登录重新绑定）"}, zone=target.zone_id)
    return n


# --- API tokens ---------------------------------------------------------------------------------

def tokens_visible_to(actor):
    """One's own tokens, and a zone administrator's those of the users they manage."""
    own = ApiToken.objects.filter(user=actor)
    if is_platform(actor) or _holds(actor, USERS_PERM):
        return (own | ApiToken.objects.filter(user__in=manageable_users(actor))).distinct()
    return own


@transaction.atomic
def issue_token(user: User, *, actor, name: str = "cli", days: int = ApiToken.DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for ``user`` (by themselves, or by the system for the CLI): the key is returned
    once and only its hash is stored."""
    if actor is not None and actor.pk != user.pk:
        raise Forbidden("只能为自己生成令牌")
    if actor is not None and not _holds(actor, TOKENS_PERM):
        raise Forbidden("您无权使用 API 令牌")
    if not user.is_active:
        raise ServiceError("该账号已停用")
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写令牌名称", field="name")
    if len(name) > 60:
        raise ServiceError("令牌名称最多 60 个字符", field="name")
    if not 1 <= days <= 365:
        raise ServiceError("有效期应在 1 到 365 天之间", field="days")
    key = ApiToken.new_key()
    tok = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key), prefix=key[:8],
                                  expires_at=timezone.now() + datetime.timedelta(days=days))
    audit.record(actor, audit.AuditAction.CREATE, tok, object_repr=f"{user.username} 的 API 令牌 {tok}",
                 changes={"new": {"name": name, "expires_at": tok.expires_at, "user": user.username}},
                 zone=user.zone_id)
    return tok, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    """Revoke one token (its owner, or an administrator who manages its owner)."""
    if actor is not None and token.user_id != actor.pk:
        _require_manage(actor, token.user)
        if not (is_platform(actor) or _holds(actor, USERS_PERM)):
            raise OutOfScope("未找到该令牌，或您无权访问")
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, audit.AuditAction.UPDATE, token, object_repr=f"{token.user.username} 的 API 令牌 {token}",
                 changes={"revoked_at": [None, token.revoked_at]}, zone=token.user.zone_id)
    return token


def _revoke_all(user: User, *, actor, reason: str) -> int:
    now = timezone.now()
    ids = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).values_list("pk", flat=True))
    if ids:
        ApiToken.objects.filter(pk__in=ids).update(revoked_at=now)
        audit.record(actor, audit.AuditAction.UPDATE, user, object_type="accounts.apitoken",
                     object_repr=f"{user.username} 的 API 令牌（{reason}，吊销 {len(ids)} 个）",
                     changes={"revoked_at": [None, now]}, zone=user.zone_id)
    return len(ids)
