"""Notifications: an in-app inbox for every user, plus email when SMTP is configured
(``settings.EMAIL_HOST``). Who hears of a move depends on the move (``after_move``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from .models import Assignment, AssignmentRole, Notification, ServiceRequest


def _users():
    from liantong.accounts.models import User

    return User.objects.filter(is_active=True)


def firm_users(order: ServiceRequest):
    return _users().filter(enterprise_id=order.enterprise_id)


def committee_users(order: ServiceRequest, *, zone_only: bool = False):
    from django.db.models import Q

    from liantong.accounts.models import UnitKind

    q = Q(unit_kind=UnitKind.ZONE, zone_id=order.zone_id)
    if not zone_only and order.chain_id:
        q |= Q(unit_kind=UnitKind.CHAIN, chain_id=order.chain_id)
    return _users().filter(q)


def department_users(department_ids):
    return _users().filter(department_id__in=list(department_ids))


def notify(users, *, kind: str, title: str, body: str = "", order: ServiceRequest | None = None,
           at: datetime.datetime | None = None) -> int:
    """Put one message in each user's inbox (and send the email after commit). Returns how many."""
    from django.utils import timezone

    at = at or timezone.now()
    url = reverse("services:order_detail", args=[order.pk]) if order is not None else ""
    users = list({u.pk: u for u in users}.values())
    Notification.objects.bulk_create([
        Notification(zone_id=order.zone_id if order else u.zone_id, user=u, order=order, kind=kind, title=title[:200],
                     body=body, url=url, created_at=at) for u in users])
    if settings.EMAIL_HOST:
        emails = [u.email for u in users if u.email]
        if emails:
            transaction.on_commit(lambda: send_mail(f"【链通】{title}", f"{body}\n\n{url}", None, emails,
                                                    fail_silently=True))
    return len(users)


def after_move(order: ServiceRequest, move, *, actor, at, note: str) -> None:
    """Tell the people the move concerns (never the actor)."""
    label = f"工单 {order.ref}《{order.title}》"
    active = Assignment.objects.filter(order=order, active=True)
    depts = active.values_list("department_id", flat=True)
    lead = active.filter(role=AssignmentRole.LEAD).values_list("department_id", flat=True)
    a = move.action
    if a in ("dispatch", "redispatch"):
        users, title = department_users(depts), f"新派单：{label}，请在 1 个工作日内接单"
    elif a in ("accept", "decline", "resolve"):
        users, title = firm_users(order), f"{label}{move.label}" + ("，请评价办理结果" if a == "resolve" else "")
    elif a in ("return", "request_extension", "withdraw", "report"):
        users, title = committee_users(order), f"{label}：{move.label}"
        if a == "report":
            users = department_users(lead)
    elif a in ("grant_extension", "refuse_extension", "reopen"):
        users, title = department_users(depts), f"{label}：{move.label}"
    elif a == "escalate":
        users, title = committee_users(order, zone_only=True), f"{label}再次评价不满意，请党工委督办"
    else:
        return
    if actor is not None and getattr(actor, "pk", None):
        users = users.exclude(pk=actor.pk)
    notify(users.distinct(), kind=a, title=title, body=note, order=order, at=at)


def unread_context(request) -> dict:
    """Page-shell provider: the bell with the user's unread count."""
    user = request.user
    return {"unread_count": Notification.objects.filter(user=user, read_at__isnull=True).count(),
            "inbox_url": reverse("services:inbox")}
