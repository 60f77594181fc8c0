"""Supervised deadlines (督办): a task with a working-day deadline turns yellow when under a quarter of its
time is left and red when overdue; the periodic job marks it overdue and raises each card once.

Shared by every strand whose tasks are supervised this way — the joint meetings' resolutions
(``resources``), the challenge milestones (``innovation``) — so the rule is written once:

* ``times(starts_at, workdays)`` → ``(warn_at, due_at)``: the deadline by the working-day calendar
  (``core.calendar.deadline``) and the moment a quarter of the time is left (the yellow card);
* ``card_level(…)`` → ``"red"`` / ``"yellow"`` / ``""`` for a page;
* ``supervise(model, card_model, …)`` — the tick: marks active tasks past their deadline overdue with a
  conditional UPDATE (a user's move meanwhile wins) and the same audit row as a ``core.workflow`` move (so
  ``Workflow.history()`` shows it), then raises red and yellow cards through the card model's unique
  constraint on (task, level), so two ticks at once raise each card once; ``on_card(task, level, now)`` is
  called for each card *this* tick created (notifications).

The service orders keep their own per-stage cards (``services.tick``: several stages and rounds per order,
bulk inserts for the province scale); the level names and the quarter rule are the same.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit, calendar


class CardLevel(models.TextChoices):
    YELLOW = "yellow", _("黄牌")
    RED = "red", _("红牌")


def times(starts_at: datetime.datetime, workdays: int) -> tuple[datetime.datetime, datetime.datetime]:
    """``(warn_at, due_at)``: the deadline ``workdays`` working days after ``starts_at``, and the moment a
    quarter of the time is left."""
    due = calendar.deadline(starts_at, workdays)
    return starts_at + (due - starts_at) * 3 / 4, due


def warn_time(starts_at: datetime.datetime, due_at: datetime.datetime) -> datetime.datetime:
    """When a quarter of the time from ``starts_at`` to ``due_at`` is left (the yellow card)."""
    return starts_at + (due_at - starts_at) * 3 / 4


def card_level(*, done: bool, overdue: bool, due_at, warn_at, now: datetime.datetime | None = None) -> str:
    """The card a task shows now: ``"red"`` overdue, ``"yellow"`` under a quarter of time left, else ``""``."""
    if done:
        return ""
    now = now or timezone.now()
    if overdue or now > due_at:
        return CardLevel.RED
    if now >= warn_at:
        return CardLevel.YELLOW
    return ""


def _raise(card_model, task, task_field: str, level: str, now, due_field: str) -> bool:
    """Record a card once: the unique constraint on (task, level) makes a second attempt a no-op."""
    try:
        with transaction.atomic():
            card = card_model.objects.create(zone_id=task.zone_id, **{task_field: task}, level=level, raised_at=now,
                                             due_at=getattr(task, due_field))
            audit.record(None, audit.AuditAction.CREATE, card, zone=task.zone_id)
        return True
    except IntegrityError:
        return False


def supervise(model: type[models.Model], card_model: type[models.Model], *, now: datetime.datetime,
              active: Iterable[str], overdue_state: str, task_field: str, noun: str,
              warn_field: str = "warn_at", due_field: str = "due_at", state_field: str = "state",
              note: str = "超过办理时限", on_card: Callable | None = None) -> dict:
    """The periodic job for one kind of supervised task (see the module docstring). ``card_model`` has
    ``zone``, ``<task_field>`` (FK to ``model``, related name ``cards``), ``level``, ``raised_at``, ``due_at``."""
    active = [str(s) for s in active]
    overdue_ids = list(model.objects.filter(**{f"{state_field}__in": active, f"{due_field}__lt": now})
                       .values_list("pk", flat=True))
    marked = 0
    for pk in overdue_ids:
        with transaction.atomic():
            row = model.objects.filter(pk=pk).only(state_field, "zone_id").first()
            old = getattr(row, state_field)
            # conditional update: if another tick (or a user's move) changed it meanwhile, this matches nothing
            n = model.objects.filter(pk=pk, **{state_field: old, f"{state_field}__in": active}).update(
                **{state_field: overdue_state})
            if n:
                marked += 1
                audit.record(None, audit.AuditAction.TRANSITION, row, object_repr=f"{noun}#{pk} 逾期",
                             changes={"action": "overdue", "from": old, "to": overdue_state, "note": note, "at": now})
    counts = {CardLevel.RED: 0, CardLevel.YELLOW: 0}
    todo = {
        CardLevel.RED: model.objects.filter(**{state_field: overdue_state}),
        CardLevel.YELLOW: model.objects.filter(**{f"{state_field}__in": active, f"{warn_field}__lte": now,
                                                  f"{due_field}__gte": now}),
    }
    for level, qs in todo.items():
        for task in qs.exclude(cards__level=level).order_by("pk"):
            if _raise(card_model, task, task_field, level, now, due_field):
                counts[level] += 1
                if on_card is not None:
                    on_card(task, level, now)
    return {"overdue": marked, "red_cards": counts[CardLevel.RED], "yellow_cards": counts[CardLevel.YELLOW]}
