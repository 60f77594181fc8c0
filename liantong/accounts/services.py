"""Writes on accounts: users and their roles, each audited."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from liantong.core import audit
from liantong.core.services import ServiceError

from .models import Role, UnitKind, User


@transaction.atomic
def save_user(*, actor, username: str, password: str | None, unit_kind: str, roles: list[Role],
              check_password: bool = True, **fields) -> User:
    """Create or update a user by username; a new password is checked against the policy."""
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    old = audit.snapshot(user, exclude=("password", "last_login"))
    for k, v in dict(unit_kind=unit_kind, **fields).items():
        setattr(user, k, v)
    unit_fk = {UnitKind.ZONE: None, UnitKind.CHAIN: "chain", UnitKind.DEPARTMENT: "department",
               UnitKind.ENTERPRISE: "enterprise", UnitKind.INSTITUTION: "institution"}.get(unit_kind)
    if unit_fk and getattr(user, f"{unit_fk}_id") is None:
        raise ServiceError("请选择用户所属单位")
    if unit_kind != UnitKind.PLATFORM and user.zone_id is None:
        raise ServiceError("请选择用户所属园区")
    if password:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise ServiceError("；".join(exc.messages), field="password") from exc
        if not user.check_password(password):
            user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    if set(user.roles.all()) != set(roles):
        user.roles.set(roles)
    new = audit.snapshot(user, exclude=("password", "last_login"))
    if created:
        audit.record(actor, audit.AuditAction.CREATE, user, changes={"new": new}, zone=user.zone_id)
    elif audit.diff(old, new):
        audit.record(actor, audit.AuditAction.UPDATE, user, changes=audit.diff(old, new), zone=user.zone_id)
    return user


@transaction.atomic
def change_password(user: User, new_password: str, *, actor) -> User:
    """Set a new password (already checked against the policy by the form) and audit it without the value."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(actor, audit.AuditAction.UPDATE, user, changes={"password": ["***", "***"]}, zone=user.zone_id)
    return user
