"""``liantong tick``: the periodic job (cron or a systemd timer), safe to run on several servers at once.

Apps register jobs ``fn(now) -> dict`` (a summary of what they did). Each job must itself be
idempotent (e.g. a card is a row with a unique constraint, so raising it twice is a no-op);
``run`` also takes a database lease per job so concurrent ticks do not do the same work twice.
"""

from __future__ import annotations

import datetime
import socket
import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

_JOBS: list[tuple[str, Callable]] = []


def register(name: str, fn: Callable) -> None:
    if all(n != name for n, _ in _JOBS):
        _JOBS.append((name, fn))


def _acquire(name: str, owner: str, ttl: datetime.timedelta) -> bool:
    from .models import JobLease

    now = timezone.now()
    try:
        with transaction.atomic():
            JobLease.objects.create(name=name, owner=owner, expires_at=now + ttl)
            return True
    except IntegrityError:
        pass
    with transaction.atomic():
        # take over an expired lease atomically: only one UPDATE can match
        return bool(JobLease.objects.filter(name=name, expires_at__lt=now).update(owner=owner, expires_at=now + ttl))


def _release(name: str, owner: str) -> None:
    from .models import JobLease

    JobLease.objects.filter(name=name, owner=owner).delete()


def run(now: datetime.datetime | None = None, *, ttl_minutes: int = 10) -> dict:
    now = now or timezone.now()
    owner = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
    out = {}
    for name, fn in _JOBS:
        if not _acquire(name, owner, datetime.timedelta(minutes=ttl_minutes)):
            out[name] = "skipped: another tick holds the lease"
            continue
        try:
            out[name] = fn(now)
        finally:
            _release(name, owner)
    return out
