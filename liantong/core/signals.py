"""Logins, logouts and failed logins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit.record(user, audit.AuditAction.LOGIN, None, object_type="accounts.user", object_repr=user.username,
                 zone=user.zone_id)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(user, audit.AuditAction.LOGOUT, None, object_type="accounts.user", object_repr=user.username,
                     zone=user.zone_id)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    name = str((credentials or {}).get("username", ""))[:150]
    audit.record(None, audit.AuditAction.LOGIN_FAILED, None, object_type="accounts.user", object_repr=name)
