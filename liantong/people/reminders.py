"""Reminders the tick raises (``core/tick.py``), each once (``Reminder.key`` is unique), and the housekeeping
checks of the organisation tree they share with the housekeeping page:

* a branch with no 三会一课 this month (from the 20th of the month);
* a dual-cultivation step that falls due (its waiting time is up: ``orgs.cultivation.due_cultivations``);
* a committee's term that ends within 90 days, or is overdue (换届).
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from liantong.orgs.cultivation import due_cultivations, next_rule
from liantong.orgs.models import MemberStatus, OrgKind, PartyOrg

from .models import THREE_MEETINGS, Activity, Reminder, ReminderKind

BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.PROJECT_BRANCH, OrgKind.GENERAL_BRANCH)
TERM_WARNING_DAYS = 90
MEETING_CHECK_FROM_DAY = 20


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, nxt - datetime.timedelta(days=1)


def branches_without_meeting(orgs, day: datetime.date):
    """Branches (of ``orgs``) that held none of 三会一课 in ``day``'s month."""
    first, last = month_bounds(day)
    held = Activity.organisers.through.objects.filter(
        partyorg_id=OuterRef("pk"), activity__kind__in=THREE_MEETINGS,
        activity__held_on__gte=first, activity__held_on__lte=last)
    return orgs.filter(kind__in=BRANCH_KINDS).exclude(Exists(held))


def terms_ending(orgs, day: datetime.date, days: int = TERM_WARNING_DAYS):
    return orgs.filter(term_end__isnull=False, term_end__lte=day + datetime.timedelta(days=days)).order_by("term_end")


def without_secretary(orgs):
    return orgs.filter(secretary_name="")


def small_branches(orgs, minimum: int = 3):
    """Branches with fewer than ``minimum`` full members (正式党员)."""
    return orgs.filter(kind__in=BRANCH_KINDS).annotate(
        full=Count("members", filter=Q(members__status=MemberStatus.FULL))).filter(full__lt=minimum)


def _raise(kind, org, text, due_on, key) -> int:
    if Reminder.objects.filter(key=key).exists():
        return 0
    try:
        with transaction.atomic():
            Reminder.objects.create(zone_id=org.zone_id, kind=kind, party_org=org, text=text[:300], due_on=due_on,
                                    key=key)
    except IntegrityError:  # another tick raised it meanwhile
        return 0
    return 1


def tick(now: datetime.datetime) -> dict:
    day = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    out = {"no_meeting": 0, "cultivation_due": 0, "term_ending": 0}
    orgs = PartyOrg.objects.all()
    if day.day >= MEETING_CHECK_FROM_DAY:
        for org in branches_without_meeting(orgs, day):
            out["no_meeting"] += _raise(ReminderKind.NO_MEETING, org,
                                        f"{org.name}本月（{day:%Y年%m月}）尚未开展三会一课", day,
                                        f"no_meeting:{org.pk}:{day:%Y-%m}")
    for c in due_cultivations(day):
        rule = next_rule(c)
        out["cultivation_due"] += _raise(ReminderKind.CULTIVATION_DUE, c.party_org,
                                         f"{c.person_name}（{c.get_stage_display()}）已满培养期限，可办理“{rule.label}”",
                                         day, f"cultivation:{c.pk}:{c.stage}")
    for org in terms_ending(orgs, day):
        late = org.term_end < day
        text = f"{org.name}{'已超过换届日期' if late else '即将换届'}（{org.term_end:%Y-%m-%d}）"
        out["term_ending"] += _raise(ReminderKind.TERM_ENDING, org, text, org.term_end, f"term:{org.pk}:{org.term_end}")
    return out
