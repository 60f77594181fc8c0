"""Pages of the services strand, per role: the firm's orders and 点单, the committee's dispatch queue,
the department's inbox, the supervision board, the order page with its timeline, figures, the inbox
of messages and the "高效办成一件事" desk. Every read starts from ``visible_to``; every write goes
through ``services``/``workflow.transition``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from liantong.core.scoping import get_for_user
from liantong.core.services import ServiceError
from liantong.core.tables import Filter, flag
from liantong.core.views_generic import ObjectDetailView, ObjectListView, PermissionMixin
from liantong.orgs.models import Department

from . import excel, forms, services, tables
from .models import (
    INBOX_STATES,
    OPEN_STATES,
    OVERDUE_PARAM,
    QUEUE_STATES,
    Assignment,
    Card,
    CardLevel,
    Notification,
    OrderState,
    Satisfaction,
    ServiceBundle,
    ServiceRequest,
    overdue_q,
)
from .suggest import suggest
from .workflow import ACTION_LABELS, allowed_actions, transition

S = OrderState


def _need(request, perm: str) -> None:
    if not request.user.has_perm_code(perm):
        raise Http404("未找到该页面，或您无权访问")


# --- lists -------------------------------------------------------------------------------------------


def _only_overdue(view, qs):
    """``?overdue=1``: only what is past its deadline now (the home page's 其中已超时 links here)."""
    return qs.filter(overdue_q(timezone.now())) if view.request.GET.get(OVERDUE_PARAM) == "1" else qs


def _overdue_title(view) -> dict:
    return {"title": f"{view.title}（已超时）"} if view.request.GET.get(OVERDUE_PARAM) == "1" else {}


class OrderList(ObjectListView):
    """企业需求清单: every order the user may see (a firm: its own)."""

    model = ServiceRequest
    listing = tables.ORDERS
    perm = "services.view"
    title = "企业需求清单"
    columns = tables.ORDER_COLUMNS
    excel_spec = excel.ORDERS
    extra_params = [Filter(OVERDUE_PARAM, "已超时", "", flag)]
    create_url = "services:order_create"
    create_perm = "services.place"

    def can_create(self, user):
        return services.can_place(user)


class DispatchQueue(OrderList):
    """The committee's dispatch queue: orders waiting for it (new, returned, extension, escalated)."""

    listing = tables.QUEUE
    perm = "services.dispatch"
    title = "派单台"
    create_url = None

    def base_queryset(self):
        return _only_overdue(self, super().base_queryset().filter(state__in=QUEUE_STATES))

    def extra_context(self) -> dict:
        return _overdue_title(self)


class DeptInbox(ObjectListView):
    """The department's inbox: its active assignments on open orders, earliest deadline first."""

    model = Assignment
    perm = "services.handle"
    title = "部门待办"
    columns = tables.ASSIGNMENT_COLUMNS
    filters = tables.ASSIGNMENT_FILTERS
    search_fields = ["order__title", "order__ref"]
    select_related = ["order", "order__enterprise"]
    ordering = "due_at"
    excel_spec = excel.ASSIGNMENTS
    extra_params = [Filter(OVERDUE_PARAM, "已超时", "", flag), Filter("all", "含已办结", "", flag)]

    def base_queryset(self):
        qs = super().base_queryset().filter(active=True)
        if self.request.GET.get("all") != "1":
            qs = qs.filter(order_state__in=INBOX_STATES)
        return _only_overdue(self, qs)

    def extra_context(self) -> dict:
        return _overdue_title(self)


class SupervisionBoard(ObjectListView):
    """督办看板: open yellow and red cards with the responsible department."""

    model = Card
    listing = tables.CARDS  # ?status= open (the default), closed or all — as GET /api/v1/cards
    perm = "services.supervise"
    title = "督办看板"
    columns = tables.CARD_COLUMNS
    excel_spec = excel.CARDS
    template_name = "services/board.html"

    def extra_context(self) -> dict:
        # the open cards grouped by the department's key, read from the (zone, cleared_at, department,
        # level) index alone; the few department names come in a second query
        rows = list(self.base_queryset().filter(cleared_at__isnull=True).order_by().values("department_id", "level").annotate(n=Count("pk")))
        names = dict(Department.objects.visible_to(self.request.user)
                     .filter(pk__in={r["department_id"] for r in rows if r["department_id"]})
                     .values_list("pk", "name"))
        by_dept: dict[str, dict] = {}
        for r in rows:
            d = by_dept.setdefault(names.get(r["department_id"]) or "派单（党委）", {"red": 0, "yellow": 0})
            d[r["level"]] += r["n"]
        return {"by_dept": sorted(by_dept.items(), key=lambda kv: (-kv[1]["red"], -kv[1]["yellow"]))}


# --- one order ---------------------------------------------------------------------------------------


class OrderDetail(ObjectDetailView):
    model = ServiceRequest
    perm = "services.view"
    template_name = "services/order_detail.html"
    select_related = ["enterprise", "chain", "zone", "merged_into", "bundle"]

    def extra_context(self, order) -> dict:
        user = self.request.user
        moves = allowed_actions(order, user)
        can_dispatch = any(m.action in ("dispatch", "redispatch") for m in moves)
        timeline = list(order.timeline.order_by("at", "id"))
        for t in timeline:
            t.label = ACTION_LABELS.get(t.action, t.action)
        ctx = {
            "timeline": timeline,
            "assignments": order.assignments.select_related("department").order_by("-active", "role", "id"),
            "attachments": order.attachments.all(),
            "cards": order.cards.select_related("department"),
            "moves": [m for m in moves if m.action not in ("dispatch", "redispatch")],
            "can_dispatch": can_dispatch,
            "satisfaction_choices": Satisfaction.choices,
            "action_labels": ACTION_LABELS,
        }
        if any(m.action == "merge" for m in ctx["moves"]):
            # 并单: pick the order to merge into (the open orders the user sees, same firm first), no typing
            ctx["merge_choices"] = list(
                ServiceRequest.objects.visible_to(user).filter(zone_id=order.zone_id, state__in=OPEN_STATES)
                .exclude(pk=order.pk).order_by("-submitted_at").values("ref", "title", "enterprise__name")[:100])
        ctx["citations"] = services.order_citations(order, user)
        if services.may_cite(order, user):
            ctx["cite_choices"] = services.citable(order, user)
        if can_dispatch:
            ctx["dispatch_form"] = forms.DispatchForm(zone_id=order.zone_id)
            ctx["suggestions"] = suggest(order)
            ctx["dispatch_action"] = "dispatch" if order.state == S.SUBMITTED else "redispatch"
        return ctx


@login_required
@require_POST
def order_move(request, pk):
    """Make one move on an order (the buttons and forms of the order page)."""
    order = get_for_user(ServiceRequest, request.user, pk)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "提交的数据有误：" + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("services:order_detail", pk=order.pk)
    data = form.cleaned_data
    action = data["action"]
    params = {"expected_state": data.get("state") or None}  # the state the user saw: else "已被他人处理"
    if action in ("dispatch", "redispatch"):
        dform = forms.DispatchForm(request.POST, zone_id=order.zone_id)
        if not dform.is_valid():
            messages.error(request, "请选择主办部门（协办部门可多选）")
            return redirect("services:order_detail", pk=order.pk)
        params |= {"lead": dform.cleaned_data["lead"], "assists": list(dform.cleaned_data["assists"])}
    elif action == "request_extension":
        params["days"] = data.get("days")
    elif action == "rate":
        params["satisfaction"] = data.get("satisfaction")
    elif action == "merge":
        target = ServiceRequest.objects.visible_to(request.user).filter(ref=(data.get("into") or "").strip()).first()
        if target is None:
            messages.error(request, "未找到要并入的工单编号，或您无权访问该工单")
            return redirect("services:order_detail", pk=order.pk)
        params["into"] = target
    try:
        transition(order, action, actor=request.user, note=data.get("note") or "", **params)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已{ACTION_LABELS.get(action, '办理')}")
        # acting on an order answers the messages about it: they are read now
        services.mark_read_about(request.user, reverse("services:order_detail", args=[order.pk]), order=order)
    return redirect("services:order_detail", pk=order.pk)


@login_required
@require_POST
def order_cite(request, pk):
    """Cite, from the order page, the department resource or action project that solved the order
    (``services.cite_for_order``; the form sends ``target`` as ``resource:<id>`` or ``project:<id>``)."""
    order = get_for_user(ServiceRequest, request.user, pk)
    kind, _, target = (request.POST.get("target") or "").partition(":")
    try:
        if kind not in ("resource", "project") or not target:
            raise ServiceError("请选择一项部门资源或一个行动项目")
        citation = services.cite_for_order(order, actor=request.user, note=request.POST.get("note", ""),
                                           **{kind: target})
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已记录：本工单引用了“{citation.resource or citation.project}”")
    return redirect("services:order_detail", pk=order.pk)


@login_required
def order_create(request):
    """企业点单 (phone-friendly)."""
    _need(request, "services.place")
    ent = request.user.enterprise
    if ent is None:
        raise Http404("只有企业用户可以点单")
    chains = services.chain_choices_for(ent)
    if request.method == "POST":
        form = forms.OrderForm(request.POST, request.FILES, chains=chains)
        if form.is_valid():
            d = form.cleaned_data
            try:
                order = services.place_order(
                    actor=request.user, enterprise=ent, chain=d.get("chain") or None, category=d["category"],
                    title=d["title"], description=d["description"], urgency=d["urgency"],
                    contact_name=d["contact_name"], contact_phone=d["contact_phone"], files=d["attachments"])
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"诉求已提交，工单编号 {order.ref}")
                return redirect("services:order_detail", pk=order.pk)
        status = 400
    else:
        form = forms.OrderForm(chains=chains, initial={"contact_name": request.user.display_name or "",
                                                       "contact_phone": request.user.phone})
        status = 200
    return render(request, "services/order_form.html", {"form": form, "title": "我要点单", "enterprise": ent},
                  status=status)


# --- messages ----------------------------------------------------------------------------------------


class Inbox(ObjectListView):
    """The user's messages (站内信), newest first — search, 未读/已读 filter, export, capped paging, read through
    ``tables.NOTIFICATIONS`` like ``GET /api/v1/notifications``; POST marks all read."""

    model = Notification
    listing = tables.NOTIFICATIONS
    title = "消息"
    columns = tables.NOTIFICATION_COLUMNS
    template_name = "services/inbox.html"

    def post(self, request):
        n = services.mark_read(request.user)
        messages.success(request, f"已将 {n} 条消息标为已读")
        return redirect("services:inbox")


@login_required
def notification_open(request, pk):
    note = Notification.objects.owned_by(request.user).filter(pk=pk).first()
    if note is None:
        raise Http404("未找到该消息")
    services.mark_read(request.user, [note.pk])
    return redirect(note.url or "services:inbox")


# --- figures -----------------------------------------------------------------------------------------


@login_required
def figures(request):
    """Per-department and per-chain figures: received, response rate, on-time rate, working days,
    satisfaction — counted from the orders the user may see (``services.service_figures``, which
    ``GET /api/v1/service-figures`` calls too)."""
    _need(request, "services.figures")
    figs = services.service_figures(request.user)
    by_dept = figs["by_dept"]
    chart = {"depts": [r["name"] for r in by_dept], "received": [r["orders"] for r in by_dept],
             "on_time": [r["on_time_rate"] or 0 for r in by_dept],
             "satisfaction": [r["satisfaction_rate"] or 0 for r in by_dept]}
    return render(request, "services/figures.html", {
        "title": "办理统计", "by_dept": by_dept, "by_chain": figs["by_chain"], "total": figs["total"],
        "chart_json": chart})  # json_script encodes it: dumping here too would hand the page a string


# --- 高效办成一件事 ----------------------------------------------------------------------------------


class BundleList(ObjectListView):
    model = ServiceBundle
    listing = tables.BUNDLES
    perm = "services.view"
    title = "高效办成一件事"
    columns = tables.BUNDLE_COLUMNS
    create_url = "services:bundle_create"
    create_perm = "services.place"

    def can_create(self, user):
        return services.can_place(user)


class BundleDetail(ObjectDetailView):
    model = ServiceBundle
    perm = "services.view"
    template_name = "services/bundle_detail.html"
    select_related = ["enterprise"]

    def extra_context(self, bundle) -> dict:
        user = self.request.user
        orders = bundle.orders.all().prefetch_related("assignments__department")
        can_rate = (user.enterprise_id == bundle.enterprise_id and user.has_perm_code("services.place")
                    and bundle.satisfaction is None)
        return {"orders": orders, "progress": services.bundle_progress(bundle), "can_rate": can_rate,
                "satisfaction_choices": Satisfaction.choices}


@login_required
def bundle_create(request):
    _need(request, "services.place")
    if request.user.enterprise is None:
        raise Http404("只有企业用户可以提交")
    form = forms.BundleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bundle = services.create_bundle(actor=request.user, title=form.cleaned_data["title"],
                                            description=form.cleaned_data["description"], items=form.items())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "“一件事”已提交，各项诉求已分别进入派单台")
            return redirect("services:bundle_detail", pk=bundle.pk)
    return render(request, "core/object_form.html", {"form": form, "title": "高效办成一件事：提交一件事"},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def bundle_rate(request, pk):
    bundle = get_for_user(ServiceBundle, request.user, pk)
    try:
        services.rate_bundle(bundle, actor=request.user, satisfaction=request.POST.get("satisfaction"),
                             note=request.POST.get("note", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已评价")
    return redirect("services:bundle_detail", pk=bundle.pk)


__all__ = [
    "CardLevel",
    "DeptInbox",
    "DispatchQueue",
    "OrderDetail",
    "OrderList",
    "PermissionMixin",
    "SupervisionBoard",
]
