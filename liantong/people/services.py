"""Every write of the people strand (pages, the API, the import, the demo and ``gen`` call these), and the
figures computed from its rows (person-times, the cross-appointment rate, the catalogue's matches)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from liantong.core import audit, files
from liantong.core import services as core
from liantong.core.services import Conflict, ServiceError, require_perm, require_writable
from liantong.orgs.models import Enterprise, Member, PartyOrg

from .models import (
    DEGREE_RANK,
    Activity,
    ActivityKind,
    Attendance,
    CommitteePost,
    Manager,
    Mentor,
    MentorKind,
    Placement,
    TalentNeed,
    Trainee,
    TrainingProgram,
    Venue,
)

MANAGE = "people.manage"
_UNCHANGED = "unchanged"


def _apply(model, obj, *, actor, **fields):
    """Create ``model(**fields)`` or update ``obj``; report 'created', 'updated' or 'unchanged'."""
    if obj is None:
        return core.create(model, actor=actor, **fields), "created"
    plain = {k: v for k, v in fields.items()}
    if all(getattr(obj, k) == v for k, v in plain.items()):
        return obj, _UNCHANGED
    return core.update(obj, actor=actor, **plain), "updated"


def _authorise(actor, obj, *, parents: dict, before=None, perm: str = MANAGE) -> None:
    """The strand's write rule (services authorise): an edited row must be writable; a new one needs ``perm``;
    each parent it is put under (``{field: row}``) must be writable when the row is new or the parent changes."""
    require_perm(actor, perm, "您无权办理此项")
    if obj is not None:
        require_writable(actor, obj)
    for field, parent in parents.items():
        if parent is None:
            continue
        old = getattr(before, f"{field}_id", None) if before is not None else None
        if before is None or old != parent.pk:
            require_writable(actor, parent, f"只能选择您可以管理的{parent._meta.verbose_name}", field=field)


def _same_zone(zone, **rows) -> None:
    for field, row in rows.items():
        if row is not None and row.zone_id != zone.pk:
            raise ServiceError(f"所选{row._meta.verbose_name}不在该园区", field=field)


# --- 急需紧缺人才需求目录 ------------------------------------------------------------------------------


@transaction.atomic
def save_talent_need(*, actor, zone, chain, post: str, major: str, enterprise: Enterprise | None = None,
                     need: TalentNeed | None = None, **fields) -> TalentNeed:
    """One line of the catalogue; ``need`` edits it, else (chain, firm, post, major) finds it."""
    _same_zone(zone, chain=chain, enterprise=enterprise)
    existing = need or TalentNeed.objects.filter(chain=chain, enterprise=enterprise, post=post, major=major).first()
    # a chain committee writes its chain's catalogue; a firm its own lines
    _authorise(actor, existing, parents={"enterprise": enterprise} if enterprise else {"chain": chain},
               before=existing)
    return _apply(TalentNeed, existing, actor=actor, zone=zone, chain=chain, enterprise=enterprise, post=post,
                  major=major, **fields)[0]


def matches_for(need: TalentNeed, candidates) -> list[dict]:
    """Trainees (and graduates) who fit a need, with the reasons: the same major (or one contains the
    other), a degree at least the one asked for, not yet placed."""
    out = []
    want = DEGREE_RANK.get(need.degree, 0)
    for t in candidates:
        reasons = []
        if need.major and t.major and (need.major in t.major or t.major in need.major):
            reasons.append(f"专业对口（{t.major}）")
        else:
            continue
        if DEGREE_RANK.get(t.degree, 0) >= want:
            reasons.append(f"学历符合（{t.get_degree_display()}）")
        else:
            continue
        if t.graduates_on and need.valid_until and t.graduates_on <= need.valid_until:
            reasons.append(f"{t.graduates_on:%Y年%m月}毕业，在需求有效期内")
        out.append({"trainee": t, "reasons": reasons})
    return out


# --- 车间课堂、双导师、定向输送 ------------------------------------------------------------------------------


@transaction.atomic
def save_program(*, actor, zone, name: str, host: Enterprise, program: TrainingProgram | None = None,
                 **fields) -> TrainingProgram:
    _same_zone(zone, host=host, institution=fields.get("institution"), chain=fields.get("chain"))
    if fields.get("starts_on") and fields.get("ends_on") and fields["ends_on"] < fields["starts_on"]:
        raise ServiceError("结束日期不能早于开始日期", field="ends_on")
    existing = program or TrainingProgram.objects.filter(zone=zone, name=name).first()
    _authorise(actor, existing, parents={"host": host}, before=existing)
    return _apply(TrainingProgram, existing, actor=actor, zone=zone, name=name, host=host, **fields)[0]


@transaction.atomic
def save_mentor(*, actor, zone, name: str, kind: str, mentor: Mentor | None = None, **fields) -> Mentor:
    ent, inst = fields.get("enterprise"), fields.get("institution")
    _same_zone(zone, enterprise=ent, institution=inst)
    if kind == MentorKind.ENTERPRISE and ent is None:
        raise ServiceError("企业导师须填写所在企业", field="enterprise")
    if kind == MentorKind.PROFESSOR and inst is None:
        raise ServiceError("院校教授须填写所在院校", field="institution")
    existing = mentor or Mentor.objects.filter(zone=zone, name=name, kind=kind).first()
    _authorise(actor, existing, parents={"enterprise": ent} if ent else {"zone": zone}, before=existing)
    return _apply(Mentor, existing, actor=actor, zone=zone, name=name, kind=kind, **fields)[0]


@transaction.atomic
def save_trainee(*, actor, program: TrainingProgram, name: str, trainee: Trainee | None = None,
                 **fields) -> Trainee:
    """A trainee with the dual mentors (双导师制): an enterprise mentor and a professor of the right kind."""
    fields.pop("zone", None)
    em, prof = fields.get("enterprise_mentor"), fields.get("professor")
    if em is not None and em.kind != MentorKind.ENTERPRISE:
        raise ServiceError("企业导师须从企业导师中选择", field="enterprise_mentor")
    if prof is not None and prof.kind != MentorKind.PROFESSOR:
        raise ServiceError("院校教授须从院校教授中选择", field="professor")
    _same_zone(program.zone, enterprise_mentor=em, professor=prof)
    existing = trainee or Trainee.objects.filter(program=program, name=name).first()
    _authorise(actor, existing, parents={"program": program}, before=existing)
    return _apply(Trainee, existing, actor=actor, zone_id=program.zone_id, program=program, name=name,
                  **fields)[0]


@transaction.atomic
def place(*, actor, trainee: Trainee, enterprise: Enterprise, post: str, placed_on: datetime.date,
          placement: Placement | None = None) -> Placement:
    """定向输送: ``trainee`` goes to ``enterprise``'s ``post``; once per trainee."""
    _same_zone(trainee.zone, enterprise=enterprise)
    existing = placement or Placement.objects.filter(trainee=trainee).first()
    _authorise(actor, existing, parents={"trainee": trainee}, before=existing)
    return _apply(Placement, existing, actor=actor, zone_id=trainee.zone_id, trainee=trainee, enterprise=enterprise,
                  post=post, placed_on=placed_on)[0]


# --- 阵地与预约 --------------------------------------------------------------------------------------------


@transaction.atomic
def save_venue(*, actor, zone, name: str, kind: str, venue: Venue | None = None, **fields) -> Venue:
    ent = fields.get("enterprise")
    _same_zone(zone, enterprise=ent)
    existing = venue or Venue.objects.filter(zone=zone, name=name).first()
    _authorise(actor, existing, parents={"enterprise": ent} if ent else {"zone": zone}, before=existing)
    return _apply(Venue, existing, actor=actor, zone=zone, name=name, kind=kind, **fields)[0]


def _check_venue(venue: Venue | None, held_on, *, exclude_pk=None) -> None:
    """A venue holds one activity a day (the booking rule of shared resources: no overlapping booking)."""
    if venue is None:
        return
    Venue.objects.select_for_update().filter(pk=venue.pk).first()  # bookings of one venue queue on it
    other = Activity.objects.filter(venue=venue, held_on=held_on).exclude(pk=exclude_pk).first()
    if other is not None:
        raise Conflict(f"阵地“{venue.name}”{held_on:%Y-%m-%d}已被“{other.title}”预约，请另选日期或阵地",
                       field="venue")


# --- 活动 ------------------------------------------------------------------------------------------------


@transaction.atomic
def save_activity(*, actor, zone, title: str, kind: str, lead_org: PartyOrg, held_on: datetime.date,
                  organisers=(), firms=(), activity: Activity | None = None, **fields) -> Activity:
    """Create or update an activity. ``organisers``: the party orgs holding it (the lead org always among
    them; a joint activity counts for each); ``firms``: for 引才宣介, the firms that went. A venue is booked for
    the day (refused, 409, when another activity has it)."""
    orgs = list(dict.fromkeys([lead_org, *organisers]))
    for org in orgs:
        if org.zone_id != zone.pk:
            raise ServiceError(f"组织单位“{org.name}”不在该园区", field="organisers")
    _same_zone(zone, chain=fields.get("chain"), venue=fields.get("venue"))
    existing = activity or Activity.objects.filter(zone=zone, title=title, held_on=held_on).first()
    _authorise(actor, existing, parents={"lead_org": lead_org}, before=existing)
    if actor is not None and getattr(actor, "pk", None) and existing is None:
        fields.setdefault("created_by", actor)
    _check_venue(fields.get("venue"), held_on, exclude_pk=existing.pk if existing else None)
    obj, state = _apply(Activity, existing, actor=actor, zone=zone, title=title, kind=kind, lead_org=lead_org,
                        held_on=held_on, **fields)
    if set(obj.organisers.values_list("pk", flat=True)) != {o.pk for o in orgs}:
        obj.organisers.set(orgs)
        audit.record(actor, audit.AuditAction.UPDATE, obj,
                          changes={"organisers": {"new": [o.pk for o in orgs]}})
    if firms is not None and set(obj.firms.values_list("pk", flat=True)) != {f.pk for f in firms}:
        obj.firms.set(list(firms))
        audit.record(actor, audit.AuditAction.UPDATE, obj,
                          changes={"firms": {"new": [f.pk for f in firms]}})
    return obj


def _may_take_part(actor, member: Member) -> None:
    """Sign-up and check-in: the member themselves (a user whose party org is the member's … is not
    modelled), or anyone who may write the member (its secretary, the committees above, the zone)."""
    if core.is_system(actor):
        return
    from liantong.orgs.services import writable_members

    if not writable_members(actor).filter(pk=member.pk).exists():
        raise ServiceError("只能为您所管理组织的党员报名或签到", field="member")


@transaction.atomic
def sign_up(*, actor, activity: Activity, member: Member, at: datetime.datetime | None = None) -> Attendance:
    _may_take_part(actor, member)
    row = Attendance.objects.filter(activity=activity, member=member).first()
    if row is not None:
        return row
    return core.create(Attendance, actor=actor, zone_id=activity.zone_id, activity=activity, member=member,
                       signed_up_at=at or timezone.now())


@transaction.atomic
def check_in(*, actor, activity: Activity, member: Member, at: datetime.datetime | None = None) -> Attendance:
    """签到: one person-time. Twice is once (the row is unique per activity and member)."""
    _may_take_part(actor, member)
    at = at or timezone.now()
    row = Attendance.objects.select_for_update().filter(activity=activity, member=member).first()
    if row is None:
        return core.create(Attendance, actor=actor, zone_id=activity.zone_id, activity=activity, member=member,
                           signed_up_at=at, checked_in_at=at)
    if row.checked_in_at is None:
        return core.update(row, actor=actor, checked_in_at=at)
    return row


def organiser_members(activity: Activity):
    """The members of the orgs holding ``activity`` (each org and the orgs under it): who may check in."""
    q = Q(pk__in=[])
    for path in activity.organisers.values_list("path", flat=True):
        q |= Q(party_org__path__startswith=path)
    return Member.objects.filter(q)


def check_in_by_token(*, token: str, name: str, id_number: str, at=None) -> Attendance:
    """The QR code's self check-in on a phone: the activity's secret token, then the member's name and
    公民身份号码, which must belong to a member of the organising orgs. Refusals say nothing of who exists."""
    from liantong.core import pii
    from liantong.core.identifiers import normalise

    activity = Activity.objects.filter(checkin_token=token).first() if token else None
    if activity is None:
        raise ServiceError("签到码无效，请重新扫描活动现场的二维码", field="token")
    member = organiser_members(activity).filter(id_hash=pii.keyed_hash(normalise(id_number or ""))).first()
    if member is None or member.name != (name or "").strip():
        raise ServiceError("姓名与公民身份号码不匹配，或您不是组织单位的党员", field="id_number")
    return check_in(actor=None, activity=activity, member=member, at=at)


def attach_photos(*, actor, activity: Activity, uploads) -> list:
    _authorise(actor, activity, parents={})
    return files.attach(activity, uploads, actor=actor, field="photos")


# --- figures over activities ---------------------------------------------------------------------------


def person_times(activity: Activity) -> int:
    """Checked-in members plus the guests' head-count."""
    return activity.attendances.filter(checked_in_at__isnull=False).count() + activity.guests


def with_person_times(qs):
    """Annotate activities with ``checked_in`` and ``person_times`` (checked in + guests), counted in the
    same query (a correlated count: no GROUP BY over the list)."""
    checked = Coalesce(Subquery(Attendance.objects.filter(activity=OuterRef("pk"), checked_in_at__isnull=False)
                                .order_by().values("activity").annotate(n=Count("pk")).values("n")), 0)
    return qs.annotate(checked_in=checked).annotate(person_times=F("checked_in") + F("guests"))


def org_record(org: PartyOrg, activities) -> dict:
    """An org's record: the activities it held (alone or jointly) and their person-times, summed from rows."""
    rows = list(with_person_times(activities.filter(organisers=org)).order_by("-held_on", "-id"))
    return {"activities": rows, "count": len(rows), "person_times": sum(a.person_times for a in rows),
            "three_meetings": sum(1 for a in rows if a.kind in THREE)}


THREE = {str(k) for k in (ActivityKind.MEMBER_MEETING, ActivityKind.COMMITTEE_MEETING, ActivityKind.GROUP_MEETING,
                          ActivityKind.PARTY_LECTURE)}


# --- 委员与交叉任职 ----------------------------------------------------------------------------------------


@transaction.atomic
def save_manager(*, actor, enterprise: Enterprise, name: str, level: str, title: str,
                 manager: Manager | None = None, **fields) -> Manager:
    fields.pop("zone", None)
    existing = manager or Manager.objects.filter(enterprise=enterprise, name=name).first()
    _authorise(actor, existing, parents={"enterprise": enterprise}, before=existing)
    return _apply(Manager, existing, actor=actor, zone_id=enterprise.zone_id, enterprise=enterprise, name=name,
                  level=level, title=title, **fields)[0]


@transaction.atomic
def save_committee_post(*, actor, party_org: PartyOrg, post: str, person_name: str, term_start: datetime.date,
                        term_end: datetime.date, committee_post: CommitteePost | None = None,
                        **fields) -> CommitteePost:
    fields.pop("zone", None)
    manager = fields.get("manager")
    if manager is not None and party_org.enterprise_id and manager.enterprise_id != party_org.enterprise_id:
        raise ServiceError("兼任的管理职务须是本企业的中高层管理人员", field="manager")
    existing = committee_post or CommitteePost.objects.filter(party_org=party_org, person_name=person_name,
                                                              term_start=term_start).first()
    _authorise(actor, existing, parents={"party_org": party_org}, before=existing)
    return _apply(CommitteePost, existing, actor=actor, zone_id=party_org.zone_id, party_org=party_org, post=post,
                  person_name=person_name, term_start=term_start, term_end=term_end, **fields)[0]


def current_posts(on: datetime.date | None = None, rows=None):
    on = on or timezone.localdate()
    return (CommitteePost.objects.all() if rows is None else rows).filter(term_start__lte=on, term_end__gte=on)


def manager_committee_rate(enterprise, on: datetime.date | None = None) -> int | None:
    """双向进入、交叉任职: the share (percent, rounded) of the firm's middle and senior managers who sit on a
    committee of one of its party orgs now; None when the firm has recorded no managers."""
    from liantong.core.guarantees import unscoped

    with unscoped("the firm's published rate: a figure over its managers, for whoever sees the firm"):
        managers = Manager.objects.filter(enterprise=enterprise)
        total = managers.count()
        if not total:
            return None
        seated = managers.filter(committee_posts__in=current_posts(on).filter(
            party_org__enterprise=enterprise)).distinct().count()
    return round(100 * seated / total)
