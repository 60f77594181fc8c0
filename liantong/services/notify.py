"""Notifications: an in-app inbox for every user, plus email when SMTP is configured
(``settings.EMAIL_HOST``). Who hears of a move depends on the move (``after_move``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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


@dataclass
class Message:
    """One message to several users (``users``: ``(pk, email)`` pairs) about one order."""

    users: list[tuple[int, str]]
    kind: str
    title: str
    order_id: int | None
    zone_id: int | None
    body: str = ""


class Recipients:
    """The users a batch of messages goes to, fetched in one query: the committees of some zones and
    chains, the staff of some departments, the users of some firms (the same people ``committee_users``,
    ``department_users`` and ``firm_users`` name one order at a time)."""

    def __init__(self, *, zones=(), chains=(), departments=(), enterprises=()):
        from django.db.models import Q

        from liantong.accounts.models import UnitKind

        q = Q(pk__in=[])
        zones = set(zones)
        if zones:
            q |= Q(unit_kind=UnitKind.ZONE, zone_id__in=zones)
        chains = {c for c in chains if c}
        if chains:
            q |= Q(unit_kind=UnitKind.CHAIN, chain_id__in=chains)
        if departments:
            q |= Q(department_id__in=set(departments))
        if enterprises:
            q |= Q(enterprise_id__in=set(enterprises))
        self._zone: dict[int, list] = {}
        self._chain: dict[int, list] = {}
        self._dept: dict[int, list] = {}
        self._firm: dict[int, list] = {}
        rows = _users().filter(q).order_by("pk").values_list("pk", "email", "unit_kind", "zone_id", "chain_id",
                                                             "department_id", "enterprise_id")
        for pk, email, kind, zone, chain, dept, firm in rows:
            who = (pk, email)
            if kind == UnitKind.ZONE and zone in zones:
                self._zone.setdefault(zone, []).append(who)
            if kind == UnitKind.CHAIN and chain in chains:
                self._chain.setdefault(chain, []).append(who)
            if dept is not None:
                self._dept.setdefault(dept, []).append(who)
            if firm is not None:
                self._firm.setdefault(firm, []).append(who)

    def committee(self, zone_id: int, chain_id: int | None) -> list[tuple[int, str]]:
        return self._zone.get(zone_id, []) + (self._chain.get(chain_id, []) if chain_id else [])

    def department(self, department_id: int) -> list[tuple[int, str]]:
        return self._dept.get(department_id, [])

    def firm(self, enterprise_id: int) -> list[tuple[int, str]]:
        return self._firm.get(enterprise_id, [])


def notify_many(messages: list[Message], *, at: datetime.datetime) -> int:
    """Bulk ``notify``: each message once to each of its users (duplicates dropped), written in
    batches; emails after commit when SMTP is configured. Returns how many inbox rows were written."""
    url_of = reverse("services:order_detail", args=[987654321]).replace("987654321", "{}")
    rows, mails = [], []
    for m in messages:
        seen: set[int] = set()
        url = url_of.format(m.order_id) if m.order_id is not None else ""
        for pk, email in m.users:
            if pk in seen:
                continue
            seen.add(pk)
            rows.append(Notification(zone_id=m.zone_id, user_id=pk, order_id=m.order_id, kind=m.kind,
                                     title=m.title[:200], body=m.body, url=url, created_at=at))
            if email:
                mails.append((m.title, m.body, url, email))
    Notification.objects.bulk_create(rows, batch_size=1000)
    if settings.EMAIL_HOST and mails:
        def send():
            for title, body, url, email in mails:
                send_mail(f"【链通】{title}", f"{body}\n\n{url}", None, [email], fail_silently=True)

        transaction.on_commit(send)
    return len(rows)


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
    return {"unread_count": unread_count(request), "inbox_url": reverse("services:inbox")}


def unread_count(request) -> int:
    """The user's unread messages, counted once per request (the bell and the home's 未读消息 share it)."""
    if not hasattr(request, "_lt_unread"):
        request._lt_unread = Notification.objects.owned_by(request.user).filter(read_at__isnull=True).count()
    return request._lt_unread
