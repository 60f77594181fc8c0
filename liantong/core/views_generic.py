"""The base views every app's list, detail and edit pages are built from.

They start every query from ``visible_to(user)`` (so a template never decides visibility), give
each list search, filters, sorting, pagination and Excel export, and send writes through services.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.functional import cached_property
from django.views import View

from . import audit, guarantees, lists
from .scoping import get_for_user
from .services import ServiceError
from .tables import Column, Filter, write_columns


def _field_label(model, path: str) -> str:
    """The verbose name at the end of a lookup path: ``order__title`` → 诉求标题, ``supplier__name`` → 供方."""
    *relations, last = path.split("__")
    for name in relations:
        field = model._meta.get_field(name)
        if last == "name":  # 企业名称 reads better as the relation's own name (供方, 需方, 企业)
            return str(field.verbose_name)
        model = field.related_model
    return str(model._meta.get_field(last).verbose_name)


class PermissionMixin(LoginRequiredMixin):
    perm: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.perm and not request.user.has_perm_code(self.perm):
            raise Http404("未找到该页面，或您无权访问")
        return super().dispatch(request, *args, **kwargs)


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows (``SELECT COUNT(*) FROM (… LIMIT cap+1)``, ordering dropped).

    A full COUNT(*) over a province table (500,000 members, 10 M orders) costs 100+ ms on
    PostgreSQL on every page view; past ``cap`` rows the exact figure helps nobody — filters do.
    The page then says “共 10,000+ 条” and pages up to the cap.
    """

    cap = 10_000
    capped = False

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if not hasattr(qs, "order_by"):
            return super().count
        n = qs.order_by()[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)

    @property
    def count_display(self) -> str:
        return f"{self.count:,}+" if self.capped else str(self.count)


class ObjectListView(PermissionMixin, View):
    """A list page read through its ``Listing`` (``core/lists.py``, ``docs/lists.md``): the same declaration
    serves the API endpoint and the Excel export. Declare ``listing = …``, or the parts below and the view
    assembles one (``sort`` takes the columns' ``order`` fields)."""

    model = None
    listing: lists.Listing | None = None
    columns: list[Column] = []
    filters: list[Filter] = []
    search_fields: list[str] = []
    select_related: list[str] = []
    ordering: str = "-id"
    paginate_by = 20
    title = ""
    create_url: str | None = None
    create_perm: str | None = None
    export_formats: tuple[str, ...] = ("xlsx",)  # ``?export=``: xlsx for every list, more where ``export_as`` says
    excel_spec = None  # an excel.Spec: the export is re-importable; without one it holds the page's columns
    extra_params: list[Filter] = []  # parameters the view applies itself (parsed like filters, not shown)
    template_name = "core/object_list.html"

    def get_listing(self) -> lists.Listing:
        if self.listing is not None:
            return self.listing
        return lists.Listing(self.model, filters=self.filters, search_fields=self.search_fields,
                             ordering=self.ordering, sorts=[c.order for c in self.columns if c.order],
                             select_related=self.select_related)

    def base_queryset(self):
        """The rows before filters: the listing's scoped rows (override to narrow them, e.g. an inbox)."""
        return self.get_listing().rows(self.request.user)

    @cached_property
    def params(self) -> dict:
        """The query string parsed at the edge (``Listing.parse``) plus ``export``. Raises ``BadParameter``
        (the page answers 400) before any query runs."""
        g, user = self.request.GET, self.request.user
        out = self.get_listing().parse(g, user)
        out.update({f.name: f.clean(self.model, g.get(f.name), user) for f in self.extra_params})
        export = (self.request.GET.get("export") or "").strip()
        if export and export not in self.export_formats:
            raise lists.BadParameter("export", "导出格式", "仅支持 " + "、".join(self.export_formats))
        out["export"] = export
        return out

    def get_queryset(self):
        return self.get_listing().queryset(self.request.user, self.params, rows=self.base_queryset())

    def uses_text_index(self) -> bool:
        return self.get_listing().uses_text_index()

    def get(self, request, *args, **kwargs):
        try:
            self.params  # noqa: B018 — parse the query string before anything reads it
        except lists.BadParameter as exc:
            return render(request, "core/error.html", {"code": 400, "message": exc.message}, status=400)
        qs = self.get_queryset()
        if self.params["export"] == "xlsx":
            return self.export(qs)
        if self.params["export"]:
            return self.export_as(self.params["export"], qs)
        paginator = CappedPaginator(qs, self.paginate_by)
        page = paginator.get_page(self.params["page"])
        rows = [(obj, [c.cell(obj) for c in self.columns]) for obj in page.object_list]
        ctx = {
            "title": self.title or self.model._meta.verbose_name_plural,
            "columns": self.columns,
            "rows": rows,
            "page": page,
            "filters": [(f, f.options(request.user), request.GET.get(f.name) or f.default or "")
                        for f in self.get_listing().filters],
            "q": request.GET.get("q", ""),
            "can_export": True,  # every list exports what it shows
            "create_url": self.create_url if self.can_create(request.user) else None,
            "search_placeholder": "搜索" + "、".join(dict.fromkeys(
                _field_label(self.model, f) for f in self.get_listing().search_fields[:3])),
        }
        ctx.update(self.extra_context())
        template = "core/_table.html" if request.headers.get("HX-Request") else self.template_name
        return render(request, template, ctx)

    def extra_context(self) -> dict:
        return {}

    def can_create(self, user) -> bool:
        """Whether the list offers its 新增 button: the create page's own rule (``ObjectEditView.may_create``,
        the rule its service applies), so the button shows exactly to those who can save."""
        view = edit_view_for(self.create_url) if self.create_url else None
        if view is not None:
            return view.may_create(user)
        return not self.create_perm or user.has_perm_code(self.create_perm)

    def export_as(self, fmt: str, qs):
        """Another format of ``export_formats`` (the talent catalogue's Word document); the rows are the
        page's, under the same filters and search."""
        raise NotImplementedError(fmt)

    def export(self, qs):
        """The list as a workbook, under the same filters and search: the model's import ``Spec`` when it has
        one (so an export can be imported again), else exactly the page's columns."""
        from .excel import write_workbook

        if self.excel_spec is not None:
            title = self.excel_spec.title
            data = write_workbook(self.excel_spec, qs, user=self.request.user)
        else:
            title = str(self.title or self.model._meta.verbose_name_plural)
            data = write_columns(title, self.columns, qs.iterator(chunk_size=2000))
        audit.record(self.request.user, audit.AuditAction.EXPORT, None, object_type=self.model._meta.label_lower,
                     object_repr=f"导出{title} {qs.count()} 行", zone=self.request.user.zone_id,
                     changes={"query": self.request.GET.urlencode()})
        resp = HttpResponse(data, content_type=XLSX)
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.xlsx"
        return resp


class ObjectDetailView(PermissionMixin, View):
    model = None
    template_name = ""
    select_related: list[str] = []
    edit_perm: str | None = None  # the edit page's ``perm``: no 编辑 button for those it would refuse

    def get_object(self, pk, *, for_write=False):
        qs = self.model.objects.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return get_for_user(self.model, self.request.user, pk, for_write=for_write, queryset=qs)

    edit_url_name: str | None = None  # default: this page's URL name with _detail → _edit

    def get(self, request, pk):
        obj = self.get_object(pk)
        name = self.edit_url_name or (request.resolver_match.view_name.removesuffix("_detail") + "_edit"
                                      if request.resolver_match else "")
        view = edit_view_for(name, pk=obj.pk) if name else None
        if view is not None:  # the edit page's own rule: no 编辑 button for whom it would refuse
            can_edit = view.may_edit(request.user, obj)
        else:
            can_edit = (not self.edit_perm or request.user.has_perm_code(self.edit_perm)) and (
                self.model.objects.visible_to(request.user, for_write=True).filter(pk=obj.pk).exists())
        ctx = {"object": obj, "title": str(obj), "can_edit": can_edit}
        ctx.update(self.extra_context(obj))
        return render(request, self.template_name, ctx)

    def extra_context(self, obj) -> dict:
        return {}


class GenericDetailView(ObjectDetailView):
    """A detail page that lists the model's own fields (dictionary labels for bound fields)."""

    template_name = "core/object_detail.html"
    url_prefix = ""  # e.g. "orgs:department" → orgs:department_edit / orgs:department_list
    hidden = ("id", "zone", "is_demo", "path", "depth")

    def extra_context(self, obj):
        from django.urls import reverse

        from . import dicts

        fields = []
        for f in obj._meta.concrete_fields:
            if f.name in self.hidden or f.name.endswith(("_hash", "_encrypted")) or not f.editable:
                continue
            value = getattr(obj, f.name)
            code = dicts.code_for(obj.__class__, f.name)
            if code:
                value = dicts.label(code, value)
            elif f.choices:
                value = getattr(obj, f"get_{f.name}_display")()
            elif isinstance(value, bool):
                value = "是" if value else "否"
            fields.append((f.verbose_name, value))
        return {"fields": fields, "verbose_name": obj._meta.verbose_name,
                "edit_url": reverse(f"{self.url_prefix}_edit", args=[obj.pk]),
                "list_url": reverse(f"{self.url_prefix}_list")}


def edit_view_for(url_name: str, *, pk=None):
    """The ``ObjectEditView`` subclass behind a URL name (None when there is none)."""
    try:
        view = resolve(reverse(url_name, args=[pk] if pk is not None else [])).func
    except NoReverseMatch:
        return None
    cls = getattr(view, "view_class", None)
    return cls if cls is not None and issubclass(cls, ObjectEditView) else None


class ObjectEditView(PermissionMixin, View):
    """Create (pk None) or edit an object through a form whose ``save(actor=…)`` calls a service.

    ``may_create(user)`` and ``may_edit(user, obj)`` are the page's rules, and the lists' 新增 and the
    detail pages' 编辑 buttons ask them (``edit_view_for``): the view's permission, the object in the
    user's write scope, and for a new row a parent the user may write (``form.may_create()``) — the rule
    the service applies when it saves."""

    model = None
    form_class = None
    template_name = "core/object_form.html"
    success_url_name: str = ""
    create_perm: str | None = None

    @classmethod
    def _has_perms(cls, user, *codes) -> bool:
        return user.is_authenticated and all(user.has_perm_code(c) for c in codes if c)

    @classmethod
    def may_create(cls, user) -> bool:
        if not cls._has_perms(user, cls.perm, cls.create_perm):
            return False
        form = cls.form_class(user=user)
        return form.may_create() if hasattr(form, "may_create") else True

    @classmethod
    def may_edit(cls, user, obj) -> bool:
        return cls._has_perms(user, cls.perm) and (
            cls.model.objects.visible_to(user, for_write=True).filter(pk=obj.pk).exists())

    def get_object(self, pk):
        user = self.request.user
        if pk is None:
            if not self.may_create(user):
                raise Http404("未找到该页面，或您无权访问")
            return None
        obj = get_for_user(self.model, user, pk, for_write=True)
        if not self.may_edit(user, obj):
            raise Http404("未找到该页面，或您无权访问")
        return obj

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        form = self.form_class(instance=obj, user=request.user)
        return self._render(form, obj)

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        form = self.form_class(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = self._save(form, obj)
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or "无权执行此操作")
            else:
                messages.success(request, "已保存")
                return redirect(self.success_url_name, pk=saved.pk)
        return self._render(form, obj, status=400)

    def _save(self, form, obj):
        """``form.save``; on a create page, a row that existed before is refused (and its edit rolled back):
        the strands' services save by natural key (the Excel import, the demo), so a new row whose name, say,
        repeats an existing one would otherwise edit that one in place."""
        if obj is not None:
            return form.save(actor=self.request.user)
        model = self.model
        with guarantees.unscoped("the newest id before a create: a new row is above it, an existing one is not"):
            newest = model._base_manager.aggregate(n=Max("pk"))["n"]
        saved = form.save(actor=self.request.user)
        if newest is not None and isinstance(saved, model) and saved.pk <= newest:
            raise ServiceError(f"已有相同的{model._meta.verbose_name}“{saved}”：请在列表中打开它修改，或改用其他名称")
        return saved

    def _render(self, form, obj, status=200):
        verbose = self.model._meta.verbose_name
        title = f"编辑{verbose}：{obj}" if obj else f"新增{verbose}"
        return render(request=self.request, template_name=self.template_name,
                      context={"form": form, "object": obj, "title": title}, status=status)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_LIMIT = 10 * 1024 * 1024


def import_upload(request, spec):
    """Handle a POSTed workbook for ``spec``: the ImportResult, or None with a Chinese message when no
    usable file came (the page shows the result's per-row table)."""
    from .excel import import_workbook

    if request.method != "POST":
        return None
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的 Excel 文件")
        return None
    if upload.size > UPLOAD_LIMIT:
        messages.error(request, "文件超过 10 MB")
        return None
    return import_workbook(spec, upload, actor=request.user, dry_run=request.POST.get("dry_run") == "on")


def template_download(spec, filename: str) -> HttpResponse:
    """The spec's empty import template as a download."""
    from .excel import template_workbook

    resp = HttpResponse(template_workbook(spec), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return resp
