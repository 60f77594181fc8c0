"""Pages of the people strand, on the shared base views (scoped lists with search, filters and export)."""

from __future__ import annotations

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect

from liantong.core import guarantees
from liantong.core.scoping import get_for_user
from liantong.core.services import ServiceError
from liantong.core.views_generic import (
    GenericDetailView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    import_upload,
    template_download,
)
from liantong.orgs.models import MemberTransfer, PartyOrg
from liantong.orgs.services import writable_members

from . import excel, exports, forms, reminders, services, tables
from .models import (
    Activity,
    CommitteePost,
    Manager,
    Mentor,
    Placement,
    Reminder,
    TalentNeed,
    Trainee,
    TrainingProgram,
    Venue,
)


def _list(model_, listing_, title_, columns_, prefix, **extra):
    attrs = {"model": model_, "listing": listing_, "title": title_, "columns": columns_,
             "create_url": f"people:{prefix}_create", "create_perm": "people.manage", **extra}
    return type(f"{model_.__name__}List", (ObjectListView,), attrs)


def _detail(model_, prefix, **extra):
    return type(f"{model_.__name__}Detail", (GenericDetailView,),
                {"model": model_, "url_prefix": f"people:{prefix}", **extra})


def _edit(model_, form, prefix, **extra):
    return type(f"{model_.__name__}Edit", (ObjectEditView,),
                {"model": model_, "form_class": form, "success_url_name": f"people:{prefix}_detail",
                 "create_perm": "people.manage", **extra})


class NeedList(ObjectListView):
    """The catalogue (急需紧缺人才需求目录): per chain and per zone, exported as Excel (the import spec) or Word."""

    model = TalentNeed
    listing = tables.NEEDS
    title = "急需紧缺人才需求目录"
    columns = tables.NEED_COLUMNS
    create_url = "people:need_create"
    create_perm = "people.manage"
    excel_spec = excel.TALENT_NEED
    template_name = "people/need_list.html"

    export_formats = ("xlsx", "docx")

    def export_as(self, fmt, qs):
        return exports.docx_response(exports.catalogue_docx(self.title, qs, self.request.user), self.title)


class NeedDetail(ObjectDetailView):
    model = TalentNeed
    template_name = "people/need_detail.html"
    select_related = ["chain", "enterprise"]

    def extra_context(self, need):
        candidates = (Trainee.objects.visible_to(self.request.user).filter(zone=need.zone, placement__isnull=True)
                      .select_related("program"))
        return {"matches": services.matches_for(need, candidates)[:50]}


ProgramList = _list(TrainingProgram, tables.PROGRAMS, "车间课堂实训项目", tables.PROGRAM_COLUMNS, "program")
MentorList = _list(Mentor, tables.MENTORS, "导师（双导师制）", tables.MENTOR_COLUMNS, "mentor")
TraineeList = _list(Trainee, tables.TRAINEES, "学员与双导师", tables.TRAINEE_COLUMNS, "trainee")
PlacementList = _list(Placement, tables.PLACEMENTS, "定向输送", tables.PLACEMENT_COLUMNS, "placement")
VenueList = _list(Venue, tables.VENUES, "阵地", tables.VENUE_COLUMNS, "venue")
PostList = _list(CommitteePost, tables.POSTS, "党组织委员", tables.POST_COLUMNS, "post", perm="orgs.view_party")
ManagerList = _list(Manager, tables.MANAGERS, "中高层管理人员", tables.MANAGER_COLUMNS, "manager",
                    perm="orgs.view_party")


class ProgramDetail(ObjectDetailView):
    model = TrainingProgram
    template_name = "people/program_detail.html"
    select_related = ["institution", "host", "chain"]

    def extra_context(self, p):
        return {"trainees": Trainee.objects.visible_to(self.request.user).filter(program=p)
                .select_related("enterprise_mentor", "professor", "placement__enterprise")}


MentorDetail = _detail(Mentor, "mentor")
TraineeDetail = _detail(Trainee, "trainee")
PlacementDetail = _detail(Placement, "placement")
VenueDetail = _detail(Venue, "venue")
PostDetail = _detail(CommitteePost, "post", perm="orgs.view_party")
ManagerDetail = _detail(Manager, "manager", perm="orgs.view_party")

NeedEdit = _edit(TalentNeed, forms.TalentNeedForm, "need")
ProgramEdit = _edit(TrainingProgram, forms.ProgramForm, "program")
MentorEdit = _edit(Mentor, forms.MentorForm, "mentor")
TraineeEdit = _edit(Trainee, forms.TraineeForm, "trainee")
PlacementEdit = _edit(Placement, forms.PlacementForm, "placement")
VenueEdit = _edit(Venue, forms.VenueForm, "venue")
PostEdit = _edit(CommitteePost, forms.CommitteePostForm, "post", perm="orgs.view_party")
ManagerEdit = _edit(Manager, forms.ManagerForm, "manager", perm="orgs.view_party")
ActivityEdit = _edit(Activity, forms.ActivityForm, "activity")


# --- activities ------------------------------------------------------------------------------------------


class ActivityList(ObjectListView):
    model = Activity
    listing = tables.ACTIVITIES
    title = "组织生活与活动"
    columns = tables.ACTIVITY_COLUMNS
    create_url = "people:activity_create"
    create_perm = "people.manage"


class ActivityDetail(ObjectDetailView):
    """An activity: its organisers (each org's record), person-times, attendees, photos, the check-in QR code
    (for those who may manage it), the secretary's check-in form and the attendance import."""

    model = Activity
    template_name = "people/activity_detail.html"
    select_related = ["lead_org", "chain", "venue", "vanguard_team"]

    def extra_context(self, a):
        user = self.request.user
        may_manage = user.has_perm_code("people.manage") and (
            Activity.objects.visible_to(user, for_write=True).filter(pk=a.pk).exists())
        attendances = list(a.attendances.select_related("member", "member__party_org").order_by("id")[:500])
        organisers = list(a.organisers.all())
        linked = set(PartyOrg.objects.visible_to(user).filter(pk__in=[o.pk for o in organisers])
                     .values_list("pk", flat=True)) if user.has_perm_code("orgs.view_party") else set()
        ctx = {"organisers": [(o, o.pk in linked) for o in organisers], "firms": list(a.firms.all()),
               "attendances": attendances, "person_times": services.person_times(a),
               "checked_in": sum(1 for r in attendances if r.checked_in_at),
               "photos": list(a.photos.all()), "may_manage": may_manage}
        if may_manage:
            url = self.request.build_absolute_uri(reverse("people:checkin", args=[a.checkin_token]))
            ctx.update(checkin_url=url, qr_svg=exports.qr_svg(url),
                       checkin_form=forms.MemberCheckInForm(members=self._members(a)),
                       photo_form=forms.PhotoForm())
        return ctx

    def _members(self, a):
        # the select shows a name and an org: thousands of options in a large zone, so only those columns
        return ((writable_members(self.request.user) & services.organiser_members(a)).select_related("party_org")
                .only("id", "name", "party_org__name"))


@login_required
def activity_checkin(request, pk):
    """The secretary checks members in (or signs them up) from the activity's page."""
    a = get_for_user(Activity, request.user, pk, for_write=True)
    if request.method != "POST":
        return redirect("people:activity_detail", pk=a.pk)
    members = writable_members(request.user) & services.organiser_members(a)
    form = forms.MemberCheckInForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, "请选择要签到的党员")
        return redirect("people:activity_detail", pk=a.pk)
    fn = services.check_in if form.cleaned_data["action"] == "check_in" else services.sign_up
    try:
        for m in form.cleaned_data["members"]:
            fn(actor=request.user, activity=a, member=m)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        verb = "签到" if fn is services.check_in else "报名"
        messages.success(request, f"已为 {len(form.cleaned_data['members'])} 名党员{verb}")
    return redirect("people:activity_detail", pk=a.pk)


@login_required
def activity_photos(request, pk):
    a = get_for_user(Activity, request.user, pk, for_write=True)
    if request.method == "POST":
        form = forms.PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_photos(actor=request.user, activity=a, uploads=form.cleaned_data["photos"])
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "照片已上传")
        else:
            messages.error(request, "请选择照片")
    return redirect("people:activity_detail", pk=a.pk)


@csrf_protect
def checkin(request, token):
    """The page the QR code opens on a phone (no login: the secret token, then name and ID number)."""
    activity = None
    if token:
        with guarantees.unscoped("the QR code's secret token opens its activity's check-in page to whoever holds "
                                 "it, signed in or not"):
            activity = Activity.objects.filter(checkin_token=token).first()
    if activity is None:
        raise Http404("签到码无效")
    form = forms.CheckInForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        try:
            done = services.check_in_by_token(token=token, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "people/checkin.html", {"activity": activity, "form": form, "done": done},
                  status=400 if form.errors else 200)


@login_required
def attendance_import(request, pk=None):
    """参加记录 from Excel: all or nothing, every problem by row (the shared import machinery)."""
    if not request.user.has_perm_code("people.import"):
        raise Http404("未找到该页面，或您无权访问")
    result = import_upload(request, excel.ATTENDANCE)
    return render(request, "people/import.html", {"result": result, "title": "导入活动参加记录",
                                                  "template_url": reverse("people:attendance_template")},
                  status=400 if result is not None and not result.ok else 200)


@login_required
def attendance_template(request):
    return template_download(excel.ATTENDANCE, "活动参加记录导入模板")


@login_required
def activity_calendar(request):
    """A month of activities (``?month=2026-05``), each day with its activities."""
    today = timezone.localdate()
    raw = (request.GET.get("month") or "").strip()
    try:
        year, month = (int(x) for x in raw.split("-")) if raw else (today.year, today.month)
        first = datetime.date(year, month, 1)
    except (ValueError, TypeError):
        return render(request, "core/error.html", {"message": "参数“月份”（month）应为 YYYY-MM"}, status=400)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    rows = (Activity.objects.visible_to(request.user).filter(held_on__gte=first, held_on__lte=last)
            .order_by("held_on", "id").only("pk", "title", "kind", "held_on"))
    by_day: dict = {}
    for a in rows:
        by_day.setdefault(a.held_on, []).append(a)
    weeks = [[(d, by_day.get(d, []), d.month == first.month) for d in week]
             for week in calendar.Calendar().monthdatescalendar(first.year, first.month)]
    prev = (first - datetime.timedelta(days=1)).strftime("%Y-%m")
    nxt = (last + datetime.timedelta(days=1)).strftime("%Y-%m")
    return render(request, "people/calendar.html", {"title": f"活动日历 {first:%Y年%m月}", "weeks": weeks,
                                                    "prev": prev, "next": nxt, "count": len(rows)})


@login_required
def org_record(request, pk):
    """A party org's record of organisational life: the activities it held alone or jointly, person-times."""
    if not request.user.has_perm_code("orgs.view_party"):
        raise Http404("未找到该页面，或您无权访问")
    org = get_for_user(PartyOrg, request.user, pk)
    record = services.org_record(org, Activity.objects.visible_to(request.user))
    return render(request, "people/org_record.html", {"org": org, "title": f"{org.name} 组织生活记录", **record})


@login_required
def housekeeping(request):
    """组织建设提醒: terms ending or overdue, orgs without a secretary, small branches, branches with no
    三会一课 this month, the reminders the tick raised, the latest member transfers."""
    if not request.user.has_perm_code("orgs.view_party"):
        raise Http404("未找到该页面，或您无权访问")
    user, today = request.user, timezone.localdate()
    orgs = PartyOrg.objects.visible_to(user)
    return render(request, "people/housekeeping.html", {
        "title": "组织建设提醒", "today": today,
        "terms": list(reminders.terms_ending(orgs, today)[:100]),
        "no_secretary": list(reminders.without_secretary(orgs)[:100]),
        "small": list(reminders.small_branches(orgs)[:100]),
        "no_meeting": list(reminders.branches_without_meeting(orgs, today)[:100]),
        "reminders": list(Reminder.objects.visible_to(user).select_related("party_org")[:50]),
        "transfers": list(MemberTransfer.objects.visible_to(user).select_related("to_org")[:10]),
    })

