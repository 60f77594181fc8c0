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
    """The dictionaries: platform administrators edit items; zone administrators read them."""
    if not dicts.can_view(request.user):
        raise Http404("未找到该页面，或您无权访问")
    types = DictType.objects.prefetch_related("items")
    return render(request, "core/dict_list.html", {"types": types, "colours": BadgeColour.choices, "title": "数据字典",
                                                   "can_edit": request.user.has_perm_code(dicts.EDIT_PERM)})


@login_required
@require_POST
def dict_item_save(request, pk):
    """Relabel, recolour, reorder or (de)activate one item (``pk``), or add one to a dictionary (``pk`` 0),
    through ``dicts.save_item`` (audited)."""
    _require(request, dicts.EDIT_PERM)
    from . import services

    item = None if pk == 0 else get_object_or_404(DictItem, pk=pk)
    dict_type = None
    if pk == 0:
        raw = request.POST.get("dict_type") or ""
        if not (raw.isdigit() and len(raw) < 10):
            raise Http404("未找到该字典")
        dict_type = get_object_or_404(DictType, pk=int(raw))
    try:
        sort = int(request.POST.get("sort") or 0)
    except ValueError:
        messages.error(request, "排序须为整数")
        return redirect("core:dict_list")
    try:
        dicts.save_item(item, actor=request.user, dict_type=dict_type, value=request.POST.get("value") or "",
                        label=request.POST.get("label") or "", colour=request.POST.get("colour") or "secondary",
                        sort=sort, active=request.POST.get("active") == "on")
    except services.ServiceError as exc:
        messages.error(request, exc.message)
    else:
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





@login_required
def holidays(request):
    """系统管理 → 节假日安排: the State Council's arrangement per year, entered by a platform administrator
    (core/calendar.py ``save_arrangement``); deadlines follow it. Everyone with the page sees the years."""
    from . import calendar
    from .models import HolidayDay
    from .services import Forbidden, ServiceError

    _require(request, calendar.HOLIDAYS_PERM)
    today = timezone.localdate()
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or today.year + 1)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        return render(request, "core/holidays.html", {"title": "节假日安排", "error": "年份应在 2000 至 2100 之间",
                                                      "year": today.year + 1, "days": [], "missing": []}, status=400)
    text = request.POST.get("text", "")
    status = 200
    if request.method == "POST":
        try:
            n = calendar.save_arrangement(year, text, actor=request.user)
        except (ServiceError, Forbidden) as exc:
            messages.error(request, exc.message)
            status = 400
        else:
            messages.success(request, f"已保存 {year} 年的节假日安排（{n} 天）；期限计算即日起按此执行")
            return redirect(f"{request.path}?year={year}")
    days = list(HolidayDay.objects.filter(day__year=year))
    if not text:
        text = "\n".join(f"{d.day.isoformat()} {'休' if d.kind == HolidayDay.HOLIDAY else '班'} {d.name}".strip()
                         for d in days)
    return render(request, "core/holidays.html", {
        "title": "节假日安排", "year": year, "days": days, "text": text, "missing": calendar.missing_years(today),
        "package_covers": calendar.covered(year) and not days}, status=status)


def holiday_warning(request):
    """The home page's warning for those who enter the arrangement, while this or the coming year has none."""
    from . import calendar

    user = request.user
    if not user.is_authenticated or not user.has_perm_code(calendar.HOLIDAYS_PERM):
        return None
    missing = calendar.missing_years()
    return {"template": "core/_holiday_warning.html", "missing": missing, "width": 12} if missing else None
