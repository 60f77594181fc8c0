import hashlib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import audit, dicts
from .models import AuditAction, AuditLog, BadgeColour, DictItem, DictType, Zone
from .stats import PERIODS, zone_stats
from .views_generic import CappedPaginator

HOME_FIGURES_TTL = 60  # seconds: at province scale one zone's figures take ~100 ms of aggregates


def _home_figures(zone) -> tuple[dict, object]:
    """The zone's figures for the home page and when they were counted: counted from the data at most
    once a minute per zone (shared through the cache by every app server). The API counts live."""
    return cache.get_or_set(f"home_figures:{zone.pk}", lambda: (zone_stats(zone), timezone.now()), HOME_FIGURES_TTL)


def zones_overview_key(zones) -> str:
    """The cache key of ``_zones_overview`` for these zones."""
    return "home_zones:" + hashlib.sha256(",".join(str(z.pk) for z in zones).encode()).hexdigest()[:32]


def _zones_overview(zones) -> dict:
    """The platform administrator's table of zones (``home.ADMIN_KEYS`` of every zone): counted by grouped
    queries over all the zones at once, at most once a minute (as a zone's figures)."""
    from .home import ADMIN_KEYS
    from .stats import across_zones

    return cache.get_or_set(zones_overview_key(zones), lambda: across_zones(zones, ADMIN_KEYS), HOME_FIGURES_TTL)


@login_required
def home(request):
    """The home page: each role's own work (the panels strands register in ``core.home``); a zone
    committee's home adds the zone's figures over a period, a platform administrator's the platform's."""
    from django.urls import reverse

    from .home import admin_panel, panels_for, zone_panel
    from .scoping import UnitKind

    user = request.user
    top = []
    if user.unit_kind == UnitKind.ZONE and user.zone_id:
        period = request.GET.get("period") or "month"
        if period not in PERIODS:
            return bad_request(request, BadRequest("参数“统计周期”（period）应为 month、quarter 或 year"))
        zone = Zone.objects.visible_to(user).filter(pk=user.zone_id).first()
        if zone is not None:
            s, counted_at = _home_figures(zone)
            top.append(zone_panel(zone, period, s, counted_at))
    elif user.is_platform_admin:
        zones = list(Zone.objects.visible_to(user).order_by("pk"))
        top.append(admin_panel(request, zones, _zones_overview(zones)))
    return render(request, "core/home.html", {"unit": user.unit, "title": "首页", "top": top,
                                              "panels": panels_for(request), "home_url": reverse("core:home")})


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _back_url(request) -> str | None:
    """The page the user came from, when it is one of ours: the error page's 返回上一页."""
    ref = request.META.get("HTTP_REFERER") or ""
    if ref and url_has_allowed_host_and_scheme(ref, allowed_hosts={request.get_host()}) and ref != request.build_absolute_uri():
        return ref
    return None


def error_page(request, code: int, message: str, default: str):
    """One Chinese product page for every error (400, 403, 404, 500), under every setting, with a way
    back: the page before, the home page, and the login page for a visitor who is not signed in. A
    message without Chinese (Django's own "No … matches the given query.") is replaced by ``default``."""
    titles = {400: "请求有误", 403: "无权访问", 404: "页面不存在", 500: "服务器出错"}
    text = message if message and _CJK.search(message) else default
    user = getattr(request, "user", None)
    ctx = {"code": code, "heading": titles.get(code, "出错了"), "message": text, "title": titles.get(code, "出错了"),
           "back_url": _back_url(request), "signed_in": bool(user and user.is_authenticated)}
    return render(request, "core/error.html", ctx, status=code)


def not_found(request, exception=None):
    msg = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        msg = exception.args[0]
    return error_page(request, 404, msg, "您要找的页面不存在，或您无权访问。请检查地址，或从菜单进入。")


def permission_denied(request, exception=None):
    return error_page(request, 403, str(exception or ""), "您的账号没有权限执行此操作。如需开通，请联系本园区管理员。")


def bad_request(request, exception=None):
    return error_page(request, 400, str(exception or ""), "请求的参数有误，请返回上一页重新操作。")


def server_error(request):
    return error_page(request, 500, "", "服务器暂时出错，已记录下来，请稍后重试。")


def unmatched(request, path=""):
    """An address no route knows (the last URL pattern): the product's 404 even under ``DEBUG=1``, where
    Django's resolver would answer its technical page listing every URL. Keeps ``APPEND_SLASH``: an
    address that exists with a trailing slash is redirected there; under ``/api/`` the answer is JSON."""
    from django.http import HttpResponsePermanentRedirect, JsonResponse
    from django.urls import Resolver404, resolve

    p = request.path_info
    if not p.endswith("/") and request.method in ("GET", "HEAD"):
        try:
            match = resolve(p + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not unmatched:
            qs = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{qs}" if qs else ""))
    if p.startswith("/api/"):
        return JsonResponse({"detail": "未找到该接口"}, status=404)
    return not_found(request)


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


LOG_EXPORT_CAP = 10_000


def _log_page(request, qs, template, title, actions):
    """A log page: filters by text (user, object, IP), user, action and date range, 30 rows a page, and
    ``?export=xlsx`` (the filtered rows, at most 10,000, audited like every export)."""
    from . import lists

    _require(request, "core.audit")
    qs = qs.filter(audit.readable(request.user)).as_scoped()  # its zone's rows, and those strands share with it
    g = request.GET
    try:
        start = lists.parse_date("from", "开始日期", g["from"]) if g.get("from") else None
        end = lists.parse_date("to", "结束日期", g["to"]) if g.get("to") else None
        action = g.get("action") or ""
        if action and action not in dict(actions):
            raise lists.BadParameter("action", "操作", "取值无效")
        for key, label in (("q", "关键词"), ("user", "用户")):
            if len(g.get(key) or "") > 100:
                raise lists.BadParameter(key, label, "过长（最多 100 个字符）")
    except lists.BadParameter as exc:
        return bad_request(request, BadRequest(exc.message))
    if g.get("q"):
        qs = qs.filter(Q(actor_name__icontains=g["q"]) | Q(object_repr__icontains=g["q"]) | Q(ip__startswith=g["q"]))
    if g.get("user"):
        qs = qs.filter(Q(actor_name__icontains=g["user"]) | Q(actor__username=g["user"]))
    if action:
        qs = qs.filter(action=action)
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    if g.get("export") == "xlsx":
        return _export_log(request, qs[:LOG_EXPORT_CAP], title)
    page = CappedPaginator(qs, 30).get_page(g.get("page"))
    return render(request, template, {"page": page, "title": title, "actions": actions, "login": template.endswith("login_log.html"),
                                      "q": g.get("q", ""), "action": action, "user_q": g.get("user", ""),
                                      "from": g.get("from", ""), "to": g.get("to", "")})


def _export_log(request, rows, title):
    import io
    from urllib.parse import quote

    from django.http import HttpResponse
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["时间", "用户", "操作", "对象类型", "对象", "园区", "IP", "客户端", "内容"])
    n = 0
    for log in rows:
        n += 1
        ws.append([timezone.localtime(log.at).strftime("%Y-%m-%d %H:%M:%S"), log.actor_name, log.get_action_display(),
                   log.object_kind, log.object_repr, log.zone.short_name if log.zone else "", log.ip or "", log.client,
                   "；".join(f"{f}：{a} → {b}" if a and b else f"{f}：{a or b}" for f, a, b in log.change_rows)])
    audit.record(request.user, AuditAction.EXPORT, changes={"rows": n, "filters": request.GET.urlencode()},
                 object_type="core.auditlog", object_repr=title, zone=request.user.zone)
    buf = io.BytesIO()
    wb.save(buf)
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.xlsx"
    return resp


@login_required
def login_log(request):
    qs = AuditLog.objects.filter(action__in=["login", "login_failed", "logout"]).select_related("zone")
    actions = [(a.value, a.label) for a in (AuditAction.LOGIN, AuditAction.LOGIN_FAILED, AuditAction.LOGOUT)]
    return _log_page(request, qs, "core/login_log.html", "登录日志", actions)


@login_required
def operation_log(request):
    qs = AuditLog.objects.exclude(action__in=["login", "login_failed", "logout"]).select_related("zone")
    actions = [c for c in AuditAction.choices if c[0] not in ("login", "login_failed", "logout")]
    return _log_page(request, qs, "core/audit_log.html", "操作日志", actions)





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
