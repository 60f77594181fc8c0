from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import audit, dicts
from .models import AuditAction, AuditLog, BadgeColour, DictItem, DictType, Zone
from .stats import LABELS, zone_stats
from .views_generic import CappedPaginator

HOME_FIGURES_TTL = 60  # seconds: at province scale one zone's figures take ~100 ms of aggregates


def _home_figures(zone) -> tuple[dict, object]:
    """The zone's figures for the home page and when they were counted: counted from the data at most
    once a minute per zone (shared through the cache by every app server). The API counts live."""
    key = f"home_figures:{zone.pk}"
    hit = cache.get(key)
    if hit is None:
        hit = (zone_stats(zone), timezone.now())
        cache.set(key, hit, HOME_FIGURES_TTL)
    return hit


@login_required
def home(request):
    """The home page: the figures and shortcuts of the user's own unit."""
    user = request.user
    zones = Zone.objects.visible_to(user)
    cards = []
    for zone in zones[:5]:
        s, counted_at = _home_figures(zone)
        cards.append({"zone": zone, "counted_at": counted_at,
                      "figures": [(LABELS.get(k, k), s[k]) for k in LABELS if k in s]})
    from .home import panels_for

    return render(request, "core/home.html", {"cards": cards, "unit": user.unit, "title": "首页",
                                              "panels": panels_for(request)})


def not_found(request, exception=None):
    return render(request, "core/error.html", {"code": 404, "message": str(exception or "") or "未找到该页面"},
                  status=404)


def server_error(request):
    return render(request, "core/error.html", {"code": 500, "message": "服务器暂时出错，请稍后重试"}, status=500)


def _require(request, perm):
    if not request.user.has_perm_code(perm):
        raise Http404("未找到该页面，或您无权访问")


@login_required
def dict_list(request):
    _require(request, "core.dicts")
    types = DictType.objects.prefetch_related("items")
    return render(request, "core/dict_list.html", {"types": types, "colours": BadgeColour.choices, "title": "数据字典"})


@login_required
@require_POST
def dict_item_save(request, pk):
    """Admins relabel, recolour, reorder or (de)activate one item, or add one to a dictionary."""
    _require(request, "core.dicts")
    from . import services

    label = (request.POST.get("label") or "").strip()[:60]
    colour = request.POST.get("colour") or "secondary"
    if colour not in BadgeColour.values or not label:
        messages.error(request, "标签不能为空，颜色须从列表中选择")
        return redirect("core:dict_list")
    fields = {"label": label, "colour": colour, "active": request.POST.get("active") == "on"}
    try:
        fields["sort"] = int(request.POST.get("sort") or 0)
    except ValueError:
        messages.error(request, "排序须为整数")
        return redirect("core:dict_list")
    try:
        if pk == 0:
            dt = get_object_or_404(DictType, pk=request.POST.get("dict_type"))
            value = (request.POST.get("value") or "").strip()[:60]
            if not value:
                raise services.ServiceError("键值不能为空")
            services.create(DictItem, actor=request.user, dict_type=dt, value=value, **fields)
        else:
            services.update(get_object_or_404(DictItem, pk=pk), actor=request.user, **fields)
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
        dicts.invalidate()
        messages.success(request, "字典已更新")
    return redirect("core:dict_list")


def _log_page(request, qs, template, title):
    _require(request, "core.audit")
    qs = qs.filter(audit.readable(request.user)).as_scoped()  # its zone's rows, and those strands share with it
    g = request.GET
    if g.get("q"):
        qs = qs.filter(Q(actor_name__icontains=g["q"]) | Q(object_repr__icontains=g["q"]) | Q(ip__startswith=g["q"]))
    if g.get("action"):
        qs = qs.filter(action=g["action"])
    page = CappedPaginator(qs, 30).get_page(g.get("page"))
    return render(request, template, {"page": page, "title": title, "actions": AuditAction.choices,
                                      "q": g.get("q", ""), "action": g.get("action", "")})


@login_required
def login_log(request):
    qs = AuditLog.objects.filter(action__in=["login", "login_failed", "logout"]).select_related("zone")
    return _log_page(request, qs, "core/audit_log.html", "登录日志")


@login_required
def operation_log(request):
    qs = AuditLog.objects.exclude(action__in=["login", "login_failed", "logout"]).select_related("zone")
    return _log_page(request, qs, "core/audit_log.html", "操作日志")



