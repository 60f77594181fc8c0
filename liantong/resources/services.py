"""Every write of the resources app (department resources, action projects, shared resources and
bookings, squads and visits, joint meetings and resolutions, order citations).

Views, the API, the demo and ``gen`` call these; each takes a keyword-only ``actor``, runs in one
transaction, writes its audit row and refuses bad input with a Chinese ``ServiceError``.
"""

from __future__ import annotations

import datetime
import decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from liantong.core import audit, calendar, deadlines, dicts, guarantees
from liantong.core import services as core
from liantong.core.files import Attachment, attach, check_upload
from liantong.core.services import ServiceError
from liantong.orgs.models import Chain, ChainMembership, Department, Enterprise, Member, PartyOrg

from .models import (
    ActionProject,
    Booking,
    BookingState,
    DepartmentResource,
    JointMeeting,
    Milestone,
    OrderCitation,
    Resolution,
    ResolutionCard,
    ResolutionState,
    ServiceSquad,
    ServiceVisit,
    SharedResource,
    SharedStatus,
)


def _apply(model, obj, *, actor, **fields):
    """Create ``model(**fields)`` or update ``obj``; report 'created', 'updated' or 'unchanged'."""
    if obj is None:
        return core.create(model, actor=actor, **fields), "created"
    if all(getattr(obj, k) == v for k, v in fields.items()):
        return obj, "unchanged"
    return core.update(obj, actor=actor, **fields), "updated"


def _same_zone(zone_id: int, *objs, message: str) -> None:
    for o in objs:
        if o is not None and o.zone_id != zone_id:
            raise ServiceError(message)


def _check_dict(code: str, value: str, label: str, field: str) -> None:
    if value not in {v for v, _ in dicts.choices(code, include_inactive=True)}:
        raise ServiceError(f"{label}“{value}”不在字典中，请从列表中选择", field=field)


# Services authorise (core.services): the permission code (403) and the write scope of the row and of the
# unit it is written for (a 400 on that field), whoever calls — page, API, import, demo (a system writer).
_is_system = core.is_system
_require = core.require_perm


def _require_row(actor, row, message: str) -> None:
    """The row being written must be in the actor's write scope: ``OutOfScope`` (404), saying no more. (A unit
    the user *chose* — the department, the firm, the chain — is a 400 on its field instead.)"""
    core.require_writable(actor, row, message)


def _can_write(actor, model, pk) -> bool:
    if _is_system(actor):
        return True
    return model.objects.visible_to(actor, for_write=True).filter(pk=pk).exists()


Conflict = core.Conflict  # a new row whose natural key is already taken (409; forms show it on the field)


def _existing(model, explicit, *, create_only: bool, message: str, field: str, **natural):
    """The row to update: ``explicit`` when editing; else the row with the natural key (an upsert, as the
    Excel import and the demo want) — or, with ``create_only`` (a create page or a POST), a ``Conflict``."""
    if explicit is not None:
        return explicit
    found = model.objects.filter(**natural).first()
    if found is not None and create_only:
        raise Conflict(message, field=field)
    return found


# --- 部门资源清单 ---------------------------------------------------------------------------------------


@transaction.atomic
def save_department_resource(*, actor, department: Department, title: str, kind: str,
                             resource: DepartmentResource | None = None, create_only: bool = False,
                             **fields) -> DepartmentResource:
    """Create or update a department's resource (natural key: department + title)."""
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写资源名称", field="title")
    _check_dict("dept_resource_kind", kind, "资源类别", "kind")
    amount = fields.get("quota_amount")
    if amount is not None and decimal.Decimal(amount) < 0:
        raise ServiceError("额度/数量不能为负数", field="quota_amount")
    if fields.get("valid_from") and fields.get("valid_until") and fields["valid_until"] < fields["valid_from"]:
        raise ServiceError("有效期止不能早于有效期起", field="valid_until")
    _require(actor, "resources.publish", "您无权发布部门资源")
    if resource is not None:
        _require_row(actor, resource, "未找到该部门资源，或您无权修改（只能修改本部门发布的资源）")
    if not _can_write(actor, Department, department.pk):
        raise ServiceError("只能以本部门名义发布资源", field="department")
    existing = _existing(DepartmentResource, resource, create_only=create_only, field="title",
                         message=f"本部门已发布名为“{title}”的资源", department=department, title=title)
    if existing is None and getattr(actor, "pk", None):
        fields.setdefault("created_by", actor)
    return _apply(DepartmentResource, existing, actor=actor, zone_id=department.zone_id, department=department,
                  title=title, kind=kind, **fields)[0]


# --- 行动项目清单 ---------------------------------------------------------------------------------------


@transaction.atomic
def save_action_project(*, actor, zone, title: str, owner_name: str, project: ActionProject | None = None,
                        enterprise: Enterprise | None = None, department: Department | None = None,
                        party_org: PartyOrg | None = None, chain: Chain | None = None,
                        create_only: bool = False, **fields) -> ActionProject:
    """Create or update an action project (natural key: zone + title); exactly one responsible unit."""
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写项目名称", field="title")
    units = [u for u in (enterprise, department, party_org) if u is not None]
    if len(units) != 1:
        raise ServiceError("责任单位须在企业、部门、党组织中选择且只选择一个", field="enterprise")
    _same_zone(zone.pk, enterprise, department, party_org, chain, message="责任单位和产业链必须属于该园区")
    _require(actor, "resources.project", "您无权维护行动项目")
    if project is not None:
        _require_row(actor, project, "未找到该行动项目，或您无权修改")
    unit = units[0]
    unit_field = {Enterprise: "enterprise_id", Department: "department_id", PartyOrg: "party_org_id"}[type(unit)]
    kept = project is not None and getattr(project, unit_field) == unit.pk
    if not kept and not _can_write(actor, type(unit), unit.pk):  # a project may keep the unit it has
        raise ServiceError("只能为本级及下级单位立项", field="enterprise")
    existing = _existing(ActionProject, project, create_only=create_only, field="title",
                         message=f"本园区已有名为“{title}”的行动项目", zone=zone, title=title)
    return _apply(ActionProject, existing, actor=actor, zone=zone, title=title, owner_name=owner_name.strip(),
                  enterprise=enterprise, department=department, party_org=party_org, chain=chain, **fields)[0]


@transaction.atomic
def save_milestone(*, actor, project: ActionProject, title: str, due_on: datetime.date,
                   done_on: datetime.date | None = None, sort: int = 0,
                   milestone: Milestone | None = None, create_only: bool = False) -> Milestone:
    """Create or update one milestone of a project (natural key: project + title)."""
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写节点名称", field="title")
    if due_on is None:
        raise ServiceError("请填写计划完成日期", field="due_on")
    if done_on and project.started_on and done_on < project.started_on:
        raise ServiceError("实际完成日期早于项目开始日期", field="done_on")
    _require(actor, "resources.project", "您无权维护行动项目")
    _require_row(actor, project, "未找到该行动项目，或您无权修改")
    existing = _existing(Milestone, milestone, create_only=create_only, field="title",
                         message=f"该项目已有名为“{title}”的节点", project=project, title=title)
    return _apply(Milestone, existing, actor=actor, zone_id=project.zone_id, project=project, title=title,
                  due_on=due_on, done_on=done_on, sort=sort)[0]


def record_milestone_progress(*, actor, milestone: Milestone, done_on: datetime.date | None) -> Milestone:
    """Mark a milestone done on ``done_on`` (or not done, with None): what the project page's 完成 button
    and ``POST /api/v1/action-projects/{id}/milestones/{mid}/progress`` record."""
    return save_milestone(actor=actor, project=milestone.project, milestone=milestone, title=milestone.title,
                          due_on=milestone.due_on, done_on=done_on, sort=milestone.sort)


# --- 资源共享清单 ---------------------------------------------------------------------------------------


@transaction.atomic
def save_shared_resource(*, actor, owner: Enterprise, name: str, category: str, chain: Chain | None = None,
                         resource: SharedResource | None = None, create_only: bool = False,
                         **fields) -> SharedResource:
    """Create or update a firm's shared resource (natural key: owner firm + name)."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写资源名称", field="name")
    _check_dict("shared_category", category, "资源类别", "category")
    if chain is not None:
        if chain.zone_id != owner.zone_id:
            raise ServiceError("产业链必须与提供企业同属一个园区", field="chain")
        if not ChainMembership.objects.filter(chain=chain, enterprise=owner).exists():
            raise ServiceError(f"提供企业不在产业链“{chain}”上", field="chain")
    _require(actor, "resources.share", "您无权发布共享资源")
    if resource is not None:
        _require_row(actor, resource, "未找到该共享资源，或您无权修改（只能修改本企业共享的资源）")
    if (resource is None or resource.owner_id != owner.pk) and not _can_write(actor, Enterprise, owner.pk):
        raise ServiceError("只能以本企业名义共享资源", field="owner")
    existing = _existing(SharedResource, resource, create_only=create_only, field="name",
                         message=f"该企业已共享名为“{name}”的资源", owner=owner, name=name)
    return _apply(SharedResource, existing, actor=actor, zone_id=owner.zone_id, owner=owner, name=name,
                  category=category, chain=chain, **fields)[0]


def _overlapping(resource: SharedResource, start_on, end_on, *, exclude_pk=None):
    qs = Booking.objects.filter(resource=resource, state=BookingState.APPROVED, start_on__lte=end_on,
                                end_on__gte=start_on)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("start_on").first()


def _overlap_error(other: Booking) -> ServiceError:
    return ServiceError(f"该时段与已同意的预约（{other.start_on:%Y-%m-%d}至{other.end_on:%Y-%m-%d}）冲突，请另选日期",
                        field="start_on")


MAX_BOOKING_DAYS = 366


def _check_span(first, last, max_days: int, too_long: str, *, fields: tuple[str, str]) -> None:
    """Both dates given, in order, and at most ``max_days`` days long (inclusive); else a Chinese refusal."""
    if first is None or last is None:
        raise ServiceError("请填写开始和结束日期", field=fields[0])
    if last < first:
        raise ServiceError("结束日期不能早于开始日期", field=fields[1])
    if (last - first).days + 1 > max_days:
        raise ServiceError(too_long, field=fields[1])


@transaction.atomic
def request_booking(*, actor, resource: SharedResource, requester: Enterprise, start_on: datetime.date,
                    end_on: datetime.date, purpose: str, allow_past: bool = False) -> Booking:
    """A firm asks to use a shared resource from ``start_on`` to ``end_on`` (inclusive).

    Refused when the resource is not open for booking, the dates are reversed or in the past, the firm
    books its own resource, or the span overlaps an approved booking."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise ServiceError("请填写用途", field="purpose")
    _check_span(start_on, end_on, MAX_BOOKING_DAYS, "单次预约不能超过一年", fields=("start_on", "end_on"))
    if not allow_past and start_on < timezone.localdate():
        raise ServiceError("开始日期不能早于今天", field="start_on")
    if requester.zone_id != resource.zone_id:
        raise ServiceError("只能预约本园区的共享资源")
    if requester.pk == resource.owner_id:
        raise ServiceError("不能预约本企业共享的资源")
    _require(actor, "resources.book", "您无权预约共享资源")
    if not _is_system(actor) and actor.enterprise_id != requester.pk:
        raise ServiceError("只能以本企业名义提交预约")
    res = SharedResource.objects.select_for_update().get(pk=resource.pk)
    if res.status != SharedStatus.AVAILABLE:
        raise ServiceError(f"该资源当前状态为“{res.get_status_display()}”，暂不接受预约")
    other = _overlapping(res, start_on, end_on)
    if other is not None:
        raise _overlap_error(other)
    return core.create(Booking, actor=actor, zone_id=res.zone_id, resource=res, requester=requester,
                       start_on=start_on, end_on=end_on, purpose=purpose,
                       requested_by=actor if getattr(actor, "pk", None) else None)


# Booking decisions (同意, 拒绝, 撤回, 取消) are moves of ``workflow.BOOKING``.


MAX_CALENDAR_DAYS = 366


def approved_count(resource: SharedResource) -> int:
    """How many approved bookings a visible resource has (a figure of the resource: no firm, no purpose)."""
    with guarantees.unscoped("how many approved bookings a visible resource has: a count of the resource"):
        return Booking.objects.filter(resource=resource, state=BookingState.APPROVED).count()


def calendar_bookings(resource: SharedResource, first: datetime.date, last: datetime.date, *,
                      user=None) -> tuple[list[Booking], set[int]]:
    """The bookings the booking calendar shows from ``first`` to ``last`` (inclusive), by start date, and the
    ids of those whose firm and purpose ``user`` may see. Every approved booking is shown (which days are
    taken belongs to the visible resource); a pending one only to a user who may see that booking."""
    _check_span(first, last, MAX_CALENDAR_DAYS, "一次最多查询一年的预约日历", fields=("from", "to"))
    with guarantees.unscoped("which days a visible resource is taken belongs to the resource; the firm and "
                             "purpose only through visible_to below"):
        rows = list(Booking.objects.filter(resource=resource, start_on__lte=last, end_on__gte=first,
                                           state__in=[BookingState.APPROVED, BookingState.PENDING])
                    .select_related("requester").order_by("start_on", "id"))
    visible = set(Booking.objects.visible_to(user).filter(pk__in=[b.pk for b in rows]).values_list("pk", flat=True)) \
        if user is not None else set()
    return [b for b in rows if b.state == BookingState.APPROVED or b.pk in visible], visible


def month_grid(resource: SharedResource, year: int, month: int, *, user=None) -> dict:
    """A month calendar of one resource: weeks of days, each with the approved and pending bookings on it.

    Occupancy (which days are taken) is a property of the visible resource; who booked and why is shown
    only for bookings the user may see."""
    import calendar as pycal

    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, pycal.monthrange(year, month)[1])
    rows, visible = calendar_bookings(resource, first, last, user=user)
    weeks = []
    for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        days = []
        for d in week:
            on = [b for b in rows if b.start_on <= d <= b.end_on]
            days.append({"date": d, "in_month": d.month == month, "workday": calendar.is_workday(d),
                         "approved": [b for b in on if b.state == BookingState.APPROVED],
                         "pending": [b for b in on if b.state == BookingState.PENDING],
                         "visible": visible})
        weeks.append(days)
    prev = (first - datetime.timedelta(days=1)).replace(day=1)
    nxt = last + datetime.timedelta(days=1)
    return {"weeks": weeks, "first": first, "prev": prev, "next": nxt, "visible": visible,
            "approved_days": sum(1 for w in weeks for d in w if d["in_month"] and d["approved"])}


# --- 帮办服务小分队 -------------------------------------------------------------------------------------


@transaction.atomic
def save_squad(*, actor, zone, name: str, leader_name: str, chain: Chain | None = None,
               members: list[Member] | None = None, squad: ServiceSquad | None = None, create_only: bool = False,
               **fields) -> ServiceSquad:
    """Create or update a help-service squad (natural key: zone + name) and set its party-member members."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写小分队名称", field="name")
    if not (leader_name or "").strip():
        raise ServiceError("请填写队长", field="leader_name")
    _same_zone(zone.pk, chain, message="产业链必须属于该园区")
    if members and any(m.zone_id != zone.pk for m in members):
        raise ServiceError("队员必须是本园区党员", field="members")
    _require(actor, "resources.squad", "您无权维护帮办服务小分队")
    if squad is not None:
        _require_row(actor, squad, "未找到该小分队，或您无权修改")
    if squad is None or squad.chain_id != (chain.pk if chain else None):
        unit_ok = _can_write(actor, Chain, chain.pk) if chain else _can_write(actor, type(zone), zone.pk)
        if not unit_ok:
            raise ServiceError("只能为本级组建小分队", field="chain")
    existing = _existing(ServiceSquad, squad, create_only=create_only, field="name",
                         message=f"本园区已有名为“{name}”的小分队", zone=zone, name=name)
    obj = _apply(ServiceSquad, existing, actor=actor, zone=zone, name=name, leader_name=leader_name.strip(),
                 chain=chain, **fields)[0]
    if members is not None:
        before = set(obj.members.values_list("pk", flat=True))
        after = {m.pk for m in members}
        if before != after:
            obj.members.set(members)
            audit.record(actor, audit.AuditAction.UPDATE, obj, changes={"members": [sorted(before), sorted(after)]})
    return obj


@transaction.atomic
def record_visit(*, actor, squad: ServiceSquad, enterprise: Enterprise, kind: str, visited_on: datetime.date,
                 hours=0, participants: int = 0, result: str = "", visit: ServiceVisit | None = None,
                 photos=(), is_demo: bool = False, create_only: bool = False) -> ServiceVisit:
    """Record (or update) one help service to a firm (natural key: squad, firm, kind, date), with photos."""
    _check_dict("visit_kind", kind, "服务类型", "kind")
    if visited_on is None:
        raise ServiceError("请填写服务日期", field="visited_on")
    if visited_on > timezone.localdate():
        raise ServiceError("服务日期不能晚于今天", field="visited_on")
    hours = decimal.Decimal(str(hours or 0))
    if hours < 0 or hours > 24:
        raise ServiceError("服务时长应在 0 到 24 小时之间", field="hours")
    if participants is None or int(participants) < 0:
        raise ServiceError("参与人次不能为负数", field="participants")
    if enterprise.zone_id != squad.zone_id:
        raise ServiceError("服务企业必须与小分队同属一个园区", field="enterprise")
    _require(actor, "resources.squad", "您无权登记帮办服务记录")
    if visit is not None:
        _require_row(actor, visit, "未找到该服务记录，或您无权修改")
    if (visit is None or visit.squad_id != squad.pk) and not _can_write(actor, ServiceSquad, squad.pk):
        raise ServiceError("只能为本级小分队登记服务记录", field="squad")
    for f in photos:
        check_upload(f, field="photos")
    existing = _existing(ServiceVisit, visit, create_only=create_only, field="visited_on",
                         message="该小分队当天已登记过对该企业的同类服务", squad=squad, enterprise=enterprise,
                         kind=kind, visited_on=visited_on)
    fields = dict(zone_id=squad.zone_id, squad=squad, enterprise=enterprise, kind=kind, visited_on=visited_on,
                  hours=hours, participants=int(participants), result=(result or "").strip(), is_demo=is_demo)
    if existing is None and getattr(actor, "pk", None):
        fields["created_by"] = actor
    obj = _apply(ServiceVisit, existing, actor=actor, **fields)[0]
    attach_visit_photos(actor=actor, visit=obj, uploads=photos)
    return obj


@transaction.atomic
def attach_visit_photos(*, actor, visit: ServiceVisit, uploads) -> list[Attachment]:
    """Attach files to a visit (the visit form's photos; ``POST /api/v1/service-visits/{id}/photos``): every
    file is checked before any is stored; only the squad's own staff may."""
    uploads = list(uploads or [])
    if not uploads:
        return []
    _require(actor, "resources.squad", "您无权登记帮办服务记录")
    _require_row(actor, visit, "未找到该服务记录，或您无权上传照片")
    return attach(visit, uploads, actor=actor, field="photos")


# --- 联席会议 -------------------------------------------------------------------------------------------


@transaction.atomic
def save_meeting(*, actor, chain: Chain, title: str, held_on: datetime.date, attending_orgs=None,
                 meeting: JointMeeting | None = None, create_only: bool = False, **fields) -> JointMeeting:
    """Create or update a chain's joint meeting (natural key: chain, title, date) and its attending orgs."""
    title = (title or "").strip()
    if not title:
        raise ServiceError("请填写会议名称", field="title")
    if held_on is None:
        raise ServiceError("请填写会议日期", field="held_on")
    orgs = list(attending_orgs or [])
    if any(o.zone_id != chain.zone_id for o in orgs):
        raise ServiceError("参会党组织必须属于该园区", field="attending_orgs")
    _require(actor, "resources.meeting", "您无权维护联席会议")
    if meeting is not None:
        _require_row(actor, meeting, "未找到该联席会议，或您无权修改")
    if (meeting is None or meeting.chain_id != chain.pk) and not _can_write(actor, Chain, chain.pk):
        raise ServiceError("只能为本级产业链召开联席会议", field="chain")
    existing = _existing(JointMeeting, meeting, create_only=create_only, field="title",
                         message=f"该产业链当天已有名为“{title}”的会议", chain=chain, title=title, held_on=held_on)
    obj = _apply(JointMeeting, existing, actor=actor, zone_id=chain.zone_id, chain=chain, title=title,
                 held_on=held_on, **fields)[0]
    if attending_orgs is not None:
        before = set(obj.attending_orgs.values_list("pk", flat=True))
        after = {o.pk for o in orgs}
        if before != after:
            obj.attending_orgs.set(orgs)
            audit.record(actor, audit.AuditAction.UPDATE, obj,
                         changes={"attending_orgs": [sorted(before), sorted(after)]})
    return obj


def _times(starts_at: datetime.datetime, workdays: int) -> tuple[datetime.datetime, datetime.datetime]:
    return deadlines.times(starts_at, workdays)


@transaction.atomic
def save_resolution(*, actor, meeting: JointMeeting, content: str, workdays: int, seq: int | None = None,
                    owner_enterprise: Enterprise | None = None, owner_department: Department | None = None,
                    owner_party_org: PartyOrg | None = None, owner_name: str = "",
                    starts_at: datetime.datetime | None = None, resolution: Resolution | None = None,
                    is_demo: bool = False) -> Resolution:
    """Add (or edit) a resolution of a meeting: one owner unit and a deadline of ``workdays`` Chinese working
    days from ``starts_at`` (default: the end of the meeting day)."""
    content = (content or "").strip()
    if not content:
        raise ServiceError("请填写议定事项", field="content")
    owners = [o for o in (owner_enterprise, owner_department, owner_party_org) if o is not None]
    if len(owners) != 1:
        raise ServiceError("责任单位须在企业、部门、党组织中选择且只选择一个", field="owner_enterprise")
    _same_zone(meeting.zone_id, *owners, message="责任单位必须属于会议所在园区")
    if workdays is None or not 1 <= int(workdays) <= 250:
        raise ServiceError("办理时限应为 1 到 250 个工作日", field="workdays")
    _require(actor, "resources.meeting", "您无权为联席会议添加议定事项")
    _require_row(actor, meeting, "未找到该联席会议，或您无权为其添加议定事项")
    if resolution is not None:
        _require_row(actor, resolution, "未找到该议定事项，或您无权修改")
    if starts_at is None:
        starts_at = datetime.datetime.combine(meeting.held_on, datetime.time(18, 0), tzinfo=calendar.SHANGHAI)
    yellow_at, due_at = _times(starts_at, int(workdays))
    existing = resolution
    if existing is None and seq is not None:
        existing = Resolution.objects.filter(meeting=meeting, seq=seq).first()
    if seq is None:
        seq = existing.seq if existing else (meeting.resolutions.order_by("-seq").values_list("seq", flat=True)
                                             .first() or 0) + 1
    return _apply(Resolution, existing, actor=actor, zone_id=meeting.zone_id, meeting=meeting, seq=seq,
                  content=content, owner_enterprise=owner_enterprise, owner_department=owner_department,
                  owner_party_org=owner_party_org, owner_name=(owner_name or "").strip(), workdays=int(workdays),
                  starts_at=starts_at, yellow_at=yellow_at, due_at=due_at, is_demo=is_demo)[0]


def resolution_owner_choices(user, *, zone_id: int, chain_id: int) -> dict:
    """The units ``user`` may name as a resolution's owner at a meeting of ``chain_id``: the chain's firms,
    the zone's departments and its upper party orgs (the meeting page's selects and the API alike)."""
    return {
        "owner_enterprise": Enterprise.objects.visible_to(user).filter(zone_id=zone_id,
                                                                      memberships__chain_id=chain_id).distinct(),
        "owner_department": Department.objects.visible_to(user).filter(zone_id=zone_id),
        "owner_party_org": PartyOrg.objects.visible_to(user).filter(zone_id=zone_id, depth__lte=2),
    }


@transaction.atomic
def add_resolution(*, actor, meeting: JointMeeting, now: datetime.datetime | None = None, **fields) -> Resolution:
    """A resolution added after the meeting (the meeting page, the API): a tracked task whose working-day
    clock starts now."""
    return save_resolution(actor=actor, meeting=meeting, starts_at=now or timezone.now(), **fields)


@transaction.atomic
def hold_meeting(*, actor, chain: Chain, title: str, held_on: datetime.date, attending_orgs=None,
                 resolutions: list[dict] = (), now: datetime.datetime | None = None, **fields) -> JointMeeting:
    """Record a new joint meeting with its resolutions in one go: the meeting as on the new-meeting page,
    then each resolution as the meeting page adds it. All or nothing; a refused resolution is named
    by its position (``第2项议定事项：…``)."""
    meeting = save_meeting(actor=actor, chain=chain, title=title, held_on=held_on, attending_orgs=attending_orgs,
                           create_only=True, **fields)
    now = now or timezone.now()
    for i, data in enumerate(resolutions, 1):
        try:
            add_resolution(actor=actor, meeting=meeting, now=now, **data)
        except ServiceError as exc:
            raise ServiceError(f"第{i}项议定事项：{exc.message}", field="resolutions") from exc
    return meeting


# Resolutions are started, completed and reopened through ``workflow.RESOLUTION``.


ACTIVE = [ResolutionState.OPEN, ResolutionState.IN_PROGRESS]


def tick_resolutions(now: datetime.datetime) -> dict:
    """The periodic job: mark overdue resolutions and raise yellow/red cards, each card once
    (``core.deadlines.supervise``, the rule the challenge milestones share)."""
    return deadlines.supervise(Resolution, ResolutionCard, now=now, active=ACTIVE,
                               overdue_state=ResolutionState.OVERDUE, task_field="resolution", noun="议定事项",
                               warn_field="yellow_at")


# --- 工单引用 -------------------------------------------------------------------------------------------

CITABLE_REFUSED = {"submitted", "declined", "withdrawn", "merged"}


@transaction.atomic
def cite(*, actor, order, resource: DepartmentResource | None = None, project: ActionProject | None = None,
         note: str = "") -> OrderCitation:
    """Record that a department resource or an action project solved (or is solving) an order."""
    from liantong.services.models import ServiceRequest

    if (resource is None) == (project is None):
        raise ServiceError("须引用一项部门资源或一个行动项目（且只能一个）")
    if order.state in CITABLE_REFUSED:
        raise ServiceError(f"工单当前状态为“{order.get_state_display()}”，不能引用资源或项目")
    target = resource or project
    if target.zone_id != order.zone_id:
        raise ServiceError("引用的资源或项目必须与工单同属一个园区")
    if not _is_system(actor):
        if not actor.has_perm_code("resources.cite"):
            raise ServiceError("您无权为工单引用资源或项目")
        if not ServiceRequest.objects.visible_to(actor).filter(pk=order.pk).exists():
            raise ServiceError("未找到该工单，或您无权访问")
        if not type(target).objects.visible_to(actor).filter(pk=target.pk).exists():
            raise ServiceError("未找到所引用的资源或项目，或您无权访问")
    lookup = Q(resource=resource) if resource else Q(project=project)
    existing = OrderCitation.objects.filter(lookup, order=order).first()
    if existing is not None:
        return existing
    return core.create(OrderCitation, actor=actor, zone_id=order.zone_id, order=order, resource=resource,
                       project=project, note=(note or "").strip()[:200],
                       created_by=actor if getattr(actor, "pk", None) else None)
