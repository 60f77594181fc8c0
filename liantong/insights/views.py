"""Pages of the investment strand: the chain investment map, target firms, task forces, investment
projects (with their moves, follow-ups and project branch), the zone and chain dashboards, the big screen and
the work report's download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liantong.core.models import Zone
from liantong.core.scoping import get_for_user
from liantong.core.services import ServiceError
from liantong.core.views_generic import ObjectDetailView, ObjectEditView, ObjectListView
from liantong.orgs.models import Chain

from . import chainmap, dashboard, forms, services, tables
from .models import InvestmentProject, ProjectStage, TargetFirm, TaskForce
from .workflow import PROJECT

VIEW = "insights.view"


def _fail(request, exc: ServiceError) -> None:
    messages.error(request, exc.message)


def _form_errors(form) -> str:
    return "提交的数据有误：" + "；".join(e for errs in form.errors.values() for e in errs)


# --- investment projects -------------------------------------------------------------------------------

def funnel(rows) -> list[dict]:
    """The funnel of a queryset of projects: how many reached each stage (洽谈 ⊇ 签约 ⊇ 开工 ⊇ 投产)."""
    counts = dict(rows.order_by().values_list("stage").annotate(n=Count("id")))
    amounts = dict(rows.order_by().values_list("stage").annotate(s=Sum("amount")))
    order = [ProjectStage.TALKS, ProjectStage.SIGNED, ProjectStage.STARTED, ProjectStage.PRODUCING]
    out = []
    for i, stage in enumerate(order):
        reached = order[i:]
        out.append({"stage": stage, "label": ProjectStage(stage).label,
                    "n": sum(counts.get(s, 0) for s in reached),
                    "amount": float(sum(amounts.get(s) or 0 for s in reached))})
    return out


class ProjectList(ObjectListView):
    perm = services.PERM
    model = InvestmentProject
    listing = tables.PROJECTS
    title = "招商项目（强链配套项目）"
    columns = tables.PROJECT_COLUMNS
    create_url = "insights:project_create"
    template_name = "insights/project_list.html"

    def extra_context(self):
        return {"funnel": funnel(self.get_queryset())}


class ProjectDetail(ObjectDetailView):
    model = InvestmentProject
    template_name = "insights/project_detail.html"
    select_related = ["zone", "chain", "node", "task_force", "target", "enterprise", "branch"]

    def extra_context(self, project):
        user = self.request.user
        may = PROJECT.roles_of(project, user)
        return {
            "buttons": PROJECT.allowed_actions(project, user),
            "history": PROJECT.history(project),
            "follow_ups": project.follow_ups.all(),
            "may_manage": bool(may),
            "follow_form": forms.FollowUpForm() if may else None,
            "branch_form": forms.BranchForm() if may and project.is_signed and not project.branch_id else None,
        }


class ProjectEdit(ObjectEditView):
    model = InvestmentProject
    perm = services.PERM
    form_class = forms.ProjectForm
    success_url_name = "insights:project_detail"


@login_required
@require_POST
def project_move(request, pk):
    project = get_for_user(InvestmentProject, request.user, pk)
    action = (request.POST.get("action") or "").strip()
    try:
        PROJECT.transition(project, action, actor=request.user, note=request.POST.get("note") or "",
                           expected_state=request.POST.get("state") or None)
    except ServiceError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"已{PROJECT.label(action)}")
    return redirect("insights:project_detail", pk=project.pk)


@login_required
@require_POST
def project_follow_up(request, pk):
    project = get_for_user(InvestmentProject, request.user, pk)
    return _follow_up(request, redirect("insights:project_detail", pk=project.pk), project=project)


def _follow_up(request, back, **subject):
    form = forms.FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return back
    try:
        services.add_follow_up(actor=request.user, **subject, **form.cleaned_data)
    except ServiceError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "已记录跟进情况")
    return back


@login_required
@require_POST
def project_branch(request, pk):
    project = get_for_user(InvestmentProject, request.user, pk)
    form = forms.BranchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.open_branch(project, actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "已建立项目党支部")
    return redirect("insights:project_detail", pk=project.pk)


# --- target firms ---------------------------------------------------------------------------------------

class TargetList(ObjectListView):
    perm = services.PERM
    model = TargetFirm
    listing = tables.TARGETS
    title = "招商目标企业"
    columns = tables.TARGET_COLUMNS
    create_url = "insights:target_create"
    template_name = "insights/target_list.html"

    @property
    def excel_spec(self):
        from .excel import TARGET

        return TARGET


class TargetDetail(ObjectDetailView):
    model = TargetFirm
    template_name = "insights/target_detail.html"
    select_related = ["zone", "chain", "node", "task_force"]

    def extra_context(self, target):
        may = services.may_manage(self.request.user, target)
        return {"follow_ups": target.follow_ups.all(), "projects": target.projects.all(),
                "follow_form": forms.FollowUpForm() if may else None}


class TargetEdit(ObjectEditView):
    model = TargetFirm
    perm = services.PERM
    form_class = forms.TargetForm
    success_url_name = "insights:target_detail"


@login_required
@require_POST
def target_follow_up(request, pk):
    target = get_for_user(TargetFirm, request.user, pk)
    return _follow_up(request, redirect("insights:target_detail", pk=target.pk), target=target)


@login_required
def target_import(request):
    from liantong.core.views_generic import import_upload, template_download

    from .excel import TARGET

    if not request.user.has_perm_code(services.PERM):
        raise Http404("未找到该页面，或您无权访问")
    if request.GET.get("template"):
        return template_download(TARGET, "招商目标企业导入模板")
    result = import_upload(request, TARGET)
    return render(request, "insights/target_import.html", {"title": "导入招商目标企业", "result": result})


# --- task forces ----------------------------------------------------------------------------------------

class TaskForceList(ObjectListView):
    perm = services.PERM
    model = TaskForce
    listing = tables.TASK_FORCES
    title = "招商专班"
    columns = tables.TASK_FORCE_COLUMNS
    create_url = "insights:taskforce_create"


class TaskForceDetail(ObjectDetailView):
    model = TaskForce
    template_name = "insights/taskforce_detail.html"
    select_related = ["zone", "chain"]

    def extra_context(self, tf):
        projects = tf.projects.all()
        may = services.may_manage(self.request.user, tf)
        return {"members": tf.members.all(), "projects": projects, "funnel": funnel(projects),
                "member_form": forms.MemberForm() if may else None}


class TaskForceEdit(ObjectEditView):
    model = TaskForce
    perm = services.PERM
    form_class = forms.TaskForceForm
    success_url_name = "insights:taskforce_detail"


@login_required
@require_POST
def taskforce_member(request, pk):
    tf = get_for_user(TaskForce, request.user, pk)
    form = forms.MemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.save_member(actor=request.user, task_force=tf, **form.cleaned_data)
        except ServiceError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "已添加专班成员")
    return redirect("insights:taskforce_detail", pk=tf.pk)


# --- the chain investment map ------------------------------------------------------------------------

@login_required
def map_index(request):
    """The chains the user may see, with their gaps: the way into each chain's map."""
    chains = list(Chain.objects.visible_to(request.user).select_related("zone").order_by("zone_id", "id")[:300])
    gaps = chainmap.gap_counts([c.pk for c in chains])
    rows = [(c, gaps.get(c.pk, {})) for c in chains]
    return render(request, "insights/map_index.html", {"title": "产业链招商图谱", "rows": rows,
                                                       "can_dashboard": request.user.has_perm_code(VIEW)})


@login_required
def chain_map(request, pk):
    chain = get_for_user(Chain, request.user, pk)
    data = chainmap.chain_map(chain, request.user)
    if request.GET.get("format") == "json":
        return JsonResponse(data)
    return render(request, "insights/chain_map.html", {"title": f"{chain.name}招商图谱", "chain": chain, "map": data,
                                                       "can_manage": request.user.has_perm_code(services.PERM)})


# --- dashboards, big screen, report --------------------------------------------------------------------

def _zone_for(request, pk=None) -> Zone:
    if not request.user.has_perm_code(VIEW):
        raise Http404("未找到该页面，或您无权访问")
    zones = Zone.objects.visible_to(request.user)
    zone_id = pk or request.GET.get("zone") or request.user.zone_id
    try:
        zone = zones.filter(pk=int(zone_id)).first() if zone_id else zones.order_by("id").first()
    except (TypeError, ValueError):
        zone = None
    if zone is None:
        raise Http404("未找到该园区，或您无权访问")
    return zone


def _period(request):
    try:
        return dashboard.parse_period(request.GET.get("period"), request.GET.get("date"))
    except ValueError as exc:
        raise dashboard.BadPeriod(str(exc)) from None


def _bad(request, exc) -> HttpResponse:
    return render(request, "core/error.html", {"code": 400, "message": str(exc)}, status=400)


@login_required
def zone_dashboard(request, pk=None):
    zone = _zone_for(request, pk)
    try:
        period = _period(request)
    except dashboard.BadPeriod as exc:
        return _bad(request, exc)
    ctx = dashboard.zone_dashboard(zone, period, request.user)
    return render(request, "insights/dashboard.html", {"title": f"{zone.name}数据看板", **ctx})


@login_required
def chain_dashboard(request, pk):
    if not request.user.has_perm_code(VIEW):
        raise Http404("未找到该页面，或您无权访问")
    chain = get_for_user(Chain, request.user, pk)
    try:
        period = _period(request)
    except dashboard.BadPeriod as exc:
        return _bad(request, exc)
    ctx = dashboard.chain_dashboard(chain, period, request.user)
    return render(request, "insights/dashboard.html", {"title": f"{chain.name}产业链看板", **ctx})


@login_required
def big_screen(request, pk=None):
    zone = _zone_for(request, pk)
    try:
        day = _period(request).start if request.GET.get("date") else None
    except dashboard.BadPeriod as exc:
        return _bad(request, exc)
    data = dashboard.screen_data(zone, day)
    if request.GET.get("format") == "json":
        return JsonResponse(data)
    return render(request, "insights/big_screen.html", {"title": f"{zone.name}数据大屏", "zone": zone, "data": data})


@login_required
def report_download(request, pk):
    from . import report

    zone = _zone_for(request, pk)
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        return _bad(request, "年度应为四位数字（如 2025）")
    data = report.build(zone, year)
    resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{zone.name}{year}年产业链党建工作报告')}.docx"
    return resp


