"""Pages of the resources app, on the shared base views (scoped, searchable, exportable); every write
goes through ``services`` with the user as actor; refused writes come back as Chinese messages."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from liantong.core import guarantees
from liantong.core.scoping import get_for_user
from liantong.core.services import ServiceError
from liantong.core.views_generic import ObjectDetailView, ObjectEditView, ObjectListView

from . import excel, forms, services, tables
from .models import (
    ActionProject,
    Booking,
    DepartmentResource,
    JointMeeting,
    Milestone,
    OrderCitation,
    Resolution,
    ResolutionState,
    ServiceSquad,
    ServiceVisit,
    SharedResource,
)
from .workflow import BOOKING, RESOLUTION


def _fail(request, exc: ServiceError) -> None:
    messages.error(request, exc.message)


def _form_errors(form) -> str:
    return "；".join(f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}{'；'.join(v)}"
                    for k, v in form.errors.items())


def _citations(user, **lookup):
    return (OrderCitation.objects.visible_to(user).filter(**lookup).select_related("order")
            .order_by("-id")[:50])


# --- 部门资源清单 ---------------------------------------------------------------------------------------



def _times_cited(**target) -> int:
    """How often a visible resource or project was cited: a figure of the resource, no order shown."""
    with guarantees.unscoped("how often a visible resource or project was cited: a count, no order shown"):
        return OrderCitation.objects.filter(**target).count()

class DeptResourceList(ObjectListView):
    listing = tables.DEPT_RESOURCES
    model = DepartmentResource
    title = "部门资源清单"
    columns = tables.DEPT_RESOURCE_COLUMNS
    excel_spec = excel.DEPT_RESOURCE
    create_url = "resources:deptresource_create"
    create_perm = "resources.publish"


class DeptResourceDetail(ObjectDetailView):
    edit_perm = "resources.publish"
    model = DepartmentResource
    template_name = "resources/deptresource_detail.html"
    select_related = ["department", "zone"]

    def extra_context(self, obj):
        return {"citations": _citations(self.request.user, resource=obj),
                "n_citations": _times_cited(resource=obj),
                "can_cite": self.request.user.has_perm_code("resources.cite"),
                "cite_form": forms.CitationForm(), "cite_url": "resources:deptresource_cite"}


class DeptResourceEdit(ObjectEditView):
    model = DepartmentResource
    form_class = forms.DepartmentResourceForm
    success_url_name = "resources:deptresource_detail"
    create_perm = "resources.publish"
    perm = "resources.publish"


# --- 行动项目清单 ---------------------------------------------------------------------------------------


class ProjectList(ObjectListView):
    listing = tables.PROJECTS
    model = ActionProject
    title = "行动项目清单"
    columns = tables.PROJECT_COLUMNS
    excel_spec = excel.PROJECT
    create_url = "resources:project_create"
    create_perm = "resources.project"


class ProjectDetail(ObjectDetailView):
    edit_perm = "resources.project"
    model = ActionProject
    template_name = "resources/project_detail.html"
    select_related = ["chain", "enterprise", "department", "party_org", "zone"]

    def extra_context(self, obj):
        return {"milestones": obj.milestones.all(), "milestone_form": forms.MilestoneForm(),
                "citations": _citations(self.request.user, project=obj),
                "n_citations": _times_cited(project=obj),
                "can_cite": self.request.user.has_perm_code("resources.cite"),
                "cite_form": forms.CitationForm(), "cite_url": "resources:project_cite",
                "today": timezone.localdate()}


class ProjectEdit(ObjectEditView):
    model = ActionProject
    form_class = forms.ActionProjectForm
    success_url_name = "resources:project_detail"
    create_perm = "resources.project"
    perm = "resources.project"


@login_required
@require_POST
def milestone_save(request, pk):
    """Add a milestone to a project, or mark one done (``milestone`` + ``done_on``)."""
    project = get_for_user(ActionProject, request.user, pk, for_write=True)
    if not request.user.has_perm_code("resources.project"):
        raise Http404
    ms_pk = request.POST.get("milestone")
    try:
        if ms_pk:
            ms = get_for_user(Milestone, request.user, ms_pk, for_write=True, queryset=project.milestones.all())
            done = forms.MilestoneForm.base_fields["done_on"].clean(request.POST.get("done_on") or None)
            services.record_milestone_progress(actor=request.user, milestone=ms, done_on=done)
            messages.success(request, "节点已更新")
        else:
            form = forms.MilestoneForm(request.POST)
            if not form.is_valid():
                messages.error(request, _form_errors(form))
            else:
                services.save_milestone(actor=request.user, project=project, create_only=True,
                                        **form.cleaned_data)
                messages.success(request, "已添加项目节点")
    except ServiceError as exc:
        _fail(request, exc)
    except ValidationError:  # a malformed date from a hand-made request
        messages.error(request, "日期格式不正确")
    return redirect("resources:project_detail", pk=project.pk)


def _cite(request, target, kind: str):
    from liantong.services.models import ServiceRequest

    form = forms.CitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return
    ref = form.cleaned_data["order"].strip()
    orders = ServiceRequest.objects.visible_to(request.user)
    order = orders.filter(ref=ref).first() or (orders.filter(pk=int(ref)).first() if ref.isdigit() else None)
    if order is None:
        messages.error(request, f"未找到工单“{ref}”，或您无权访问")
        return
    try:
        services.cite(actor=request.user, order=order, note=form.cleaned_data["note"], **{kind: target})
        messages.success(request, f"已记录：工单“{order}”引用了本{'资源' if kind == 'resource' else '项目'}")
    except ServiceError as exc:
        _fail(request, exc)


@login_required
@require_POST
def deptresource_cite(request, pk):
    res = get_for_user(DepartmentResource, request.user, pk)
    _cite(request, res, "resource")
    return redirect("resources:deptresource_detail", pk=res.pk)


@login_required
@require_POST
def project_cite(request, pk):
    project = get_for_user(ActionProject, request.user, pk)
    _cite(request, project, "project")
    return redirect("resources:project_detail", pk=project.pk)


# --- 资源共享清单 ---------------------------------------------------------------------------------------


class SharedList(ObjectListView):
    listing = tables.SHARED
    model = SharedResource
    title = "资源共享清单"
    columns = tables.SHARED_COLUMNS
    excel_spec = excel.SHARED
    create_url = "resources:shared_create"
    create_perm = "resources.share"


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        y, m = (int(x) for x in (request.GET.get("month") or "").split("-"))
        datetime.date(y, m, 1)
        if not 2000 <= y <= 2100:
            raise ValueError
        return y, m
    except (ValueError, TypeError):
        return today.year, today.month


class SharedDetail(ObjectDetailView):
    """A shared resource with its month booking calendar and the booking requests the user may see."""
    edit_perm = "resources.share"

    model = SharedResource
    template_name = "resources/shared_detail.html"
    select_related = ["owner", "chain", "zone"]

    def extra_context(self, obj):
        user = self.request.user
        y, m = _month(self.request)
        bookings = list(Booking.objects.visible_to(user).filter(resource=obj).select_related("requester", "resource")
                        .order_by("-start_on")[:50])
        return {
            "cal": services.month_grid(obj, y, m, user=user),
            "bookings": [(b, BOOKING.buttons(b, user)) for b in bookings],
            "can_book": (user.has_perm_code("resources.book") and user.enterprise_id
                         and user.enterprise_id != obj.owner_id and user.zone_id == obj.zone_id),
            "booking_form": forms.BookingForm(),
            "n_approved": services.approved_count(obj),
        }


class SharedEdit(ObjectEditView):
    model = SharedResource
    form_class = forms.SharedResourceForm
    success_url_name = "resources:shared_detail"
    create_perm = "resources.share"
    perm = "resources.share"


@login_required
@require_POST
def booking_create(request, pk):
    res = get_for_user(SharedResource, request.user, pk)
    form = forms.BookingForm(request.POST)
    if not request.user.enterprise_id or not request.user.has_perm_code("resources.book"):
        messages.error(request, "只有企业用户可以预约共享资源")
    elif not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.request_booking(actor=request.user, resource=res, requester=request.user.enterprise,
                                     **form.cleaned_data)
            messages.success(request, "预约申请已提交，等待资源提供企业审核")
        except ServiceError as exc:
            _fail(request, exc)
    d = form.cleaned_data.get("start_on") if form.is_bound and hasattr(form, "cleaned_data") else None
    url = redirect("resources:shared_detail", pk=res.pk)
    if d:
        url["Location"] += f"?month={d:%Y-%m}"
    return url


@login_required
@require_POST
def booking_transition(request, pk):
    booking = get_for_user(Booking, request.user, pk)
    form = forms.BookingDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            BOOKING.transition(booking, form.cleaned_data["action"], actor=request.user,
                               note=form.cleaned_data["reason"])
            messages.success(request, f"预约已{BOOKING.label(form.cleaned_data['action'])}")
        except ServiceError as exc:
            _fail(request, exc)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/resources/")
                    else "resources:booking_list")


class BookingList(ObjectListView):
    listing = tables.BOOKINGS
    model = Booking
    title = "预约申请"
    columns = tables.BOOKING_COLUMNS
    excel_spec = excel.BOOKING


# --- 帮办服务小分队 -------------------------------------------------------------------------------------


class SquadList(ObjectListView):
    listing = tables.SQUADS
    model = ServiceSquad
    title = "帮办服务小分队"
    columns = tables.SQUAD_COLUMNS
    excel_spec = excel.SQUAD
    create_url = "resources:squad_create"
    create_perm = "resources.squad"


class SquadDetail(ObjectDetailView):
    """A squad, its members and its visit log (the visits the user may see), paginated."""
    edit_perm = "resources.squad"

    model = ServiceSquad
    template_name = "resources/squad_detail.html"
    select_related = ["chain", "zone"]

    def extra_context(self, squad):
        from django.core.paginator import Paginator

        visits = (ServiceVisit.objects.visible_to(self.request.user).filter(squad=squad)
                  .select_related("enterprise").annotate(n_photos=Count("photos")).order_by("-visited_on", "-id"))
        page = Paginator(visits, 30).get_page(self.request.GET.get("page"))
        by_kind = visits.order_by().values("kind").annotate(n=Count("id")).order_by("-n")
        return {"page": page, "by_kind": by_kind, "members": squad.members.select_related("party_org")[:100],
                "can_record": self.request.user.has_perm_code("resources.squad")}


class SquadEdit(ObjectEditView):
    model = ServiceSquad
    form_class = forms.SquadForm
    success_url_name = "resources:squad_detail"
    create_perm = "resources.squad"
    perm = "resources.squad"


class VisitList(ObjectListView):
    listing = tables.VISITS
    model = ServiceVisit
    title = "帮办服务记录"
    columns = tables.VISIT_COLUMNS
    excel_spec = excel.VISIT
    create_url = "resources:visit_create"
    create_perm = "resources.squad"


class VisitDetail(ObjectDetailView):
    edit_perm = "resources.squad"
    model = ServiceVisit
    template_name = "resources/visit_detail.html"
    select_related = ["squad", "enterprise", "zone"]

    def extra_context(self, visit):
        return {"photos": visit.photos.all()}


class VisitEdit(ObjectEditView):
    model = ServiceVisit
    form_class = forms.VisitForm
    success_url_name = "resources:visit_detail"
    create_perm = "resources.squad"
    perm = "resources.squad"


# --- 联席会议 -------------------------------------------------------------------------------------------


class MeetingList(ObjectListView):
    listing = tables.MEETINGS
    model = JointMeeting
    title = "联席会议"
    columns = tables.MEETING_COLUMNS
    excel_spec = excel.MEETING
    create_url = "resources:meeting_create"
    create_perm = "resources.meeting"

    def get_queryset(self):
        return super().get_queryset().annotate(
            n_resolutions=Count("resolutions", distinct=True),
            n_done=Count("resolutions", filter=Q(resolutions__state=ResolutionState.DONE), distinct=True))


class MeetingDetail(ObjectDetailView):
    """A meeting with its attending orgs, minutes and resolutions — each with its state, deadline and card."""
    edit_perm = "resources.meeting"

    model = JointMeeting
    template_name = "resources/meeting_detail.html"
    select_related = ["chain", "zone"]

    def extra_context(self, meeting):
        user = self.request.user
        rows = (meeting.resolutions.select_related("owner_enterprise", "owner_department", "owner_party_org")
                .prefetch_related("cards"))
        now = timezone.now()
        can_add = user.has_perm_code("resources.meeting") and JointMeeting.objects.visible_to(
            user, for_write=True).filter(pk=meeting.pk).exists()
        return {
            "attending": meeting.attending_orgs.all(),
            "resolutions": [(r, r.card_level(now), RESOLUTION.buttons(r, user)) for r in rows],
            "resolution_form": forms.ResolutionForm(meeting=meeting, user=user) if can_add else None,
        }


class MeetingEdit(ObjectEditView):
    model = JointMeeting
    form_class = forms.MeetingForm
    success_url_name = "resources:meeting_detail"
    create_perm = "resources.meeting"
    perm = "resources.meeting"


@login_required
@require_POST
def resolution_add(request, pk):
    meeting = get_for_user(JointMeeting, request.user, pk, for_write=True)
    if not request.user.has_perm_code("resources.meeting"):  # sees the meeting, may not add to it: the role
        return render(request, "core/error.html", {"code": 403, "message": "您无权为联席会议添加议定事项"},
                      status=403)
    form = forms.ResolutionForm(request.POST, meeting=meeting, user=request.user)
    if not form.is_valid():
        messages.error(request, _form_errors(form) or "请检查填写内容")
    else:
        try:
            r = services.add_resolution(actor=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, f"已添加议定事项，办理时限 {timezone.localtime(r.due_at):%Y-%m-%d}")
        except ServiceError as exc:
            _fail(request, exc)
    return redirect("resources:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def resolution_transition(request, pk):
    r = get_for_user(Resolution, request.user, pk)
    form = forms.ResolutionActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            RESOLUTION.transition(r, form.cleaned_data["action"], actor=request.user, note=form.cleaned_data["result"])
            messages.success(request, f"议定事项已{RESOLUTION.label(form.cleaned_data['action'])}")
        except ServiceError as exc:
            _fail(request, exc)
    if JointMeeting.objects.visible_to(request.user).filter(pk=r.meeting_id).exists():
        return redirect("resources:meeting_detail", pk=r.meeting_id)
    return redirect("resources:resolution_list")


class ResolutionList(ObjectListView):
    """The supervision list of resolutions: state, deadline and card, filterable by card."""

    listing = tables.RESOLUTIONS
    model = Resolution
    title = "议定事项督办"
    columns = tables.RESOLUTION_COLUMNS
    excel_spec = excel.RESOLUTION

