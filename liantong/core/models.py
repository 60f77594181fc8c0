"""Core: the zone (the tenant of every scoped row), the audit log, admin-editable dictionaries."""

from __future__ import annotations

import contextlib
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import guarantees
from .scoping import NOTHING, Scope


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see (NetBox ``restrict``).

    It also remembers whether it went through the scoping layer (``visible_to``, ``get_for_user``,
    ``as_scoped``), so the read guard (``guarantees.watch_reads``) can report a page that reads a scoped
    model without it. Reads through a parent row (``order.assignments.all()``, prefetches), reads inside
    ``guarantees.unscoped(reason)`` and querysets marked ``.unscoped(reason)`` are not reported."""

    _scoped = False
    _unscoped_reason: str | None = None

    def visible_to(self, user, *, for_write: bool = False):
        from liantong.core.scoping import scope_q

        return self.filter(scope_q(user, self.model, for_write=for_write)).as_scoped()

    def owned_by(self, user):
        """The user's own rows (the model's ``Scope.owner``: a user's notifications) — a read in scope by
        definition, whatever the user's roles."""
        owner = self.model.scope.owner
        if owner is None:
            raise TypeError(f"{self.model.__name__} has no owner lookup in its Scope")
        return self.filter(**{owner: user}).as_scoped()

    def as_scoped(self):
        """Mark this queryset as restricted to a user already (the caller applied ``scope_q`` itself)."""
        clone = self._chain()
        clone._scoped = True
        return clone

    def unscoped(self, reason: str):
        """``guarantees.unscoped(reason)`` for a queryset evaluated later than it is built: a form's choices,
        read when the template renders them and again when the form validates. Wider than the user's scope
        on purpose, and ``reason`` says why (narrow the rows to what the user's role needs first)."""
        if not reason:
            raise ValueError("unscoped() needs a reason")
        clone = self._chain()
        clone._unscoped_reason = reason
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._scoped = self._scoped
        clone._unscoped_reason = self._unscoped_reason
        return clone

    def _unchecked(self) -> bool:
        """Whether evaluating this queryset is a read past the scoping layer (for the read guard)."""
        return not self._scoped and self._unscoped_reason is None and "instance" not in self._hints

    def _guarded(self, fn, *args, **kwargs):
        if not guarantees.watching():  # production: one context-variable look-up
            return fn(*args, **kwargs)
        if self._unchecked():
            guarantees.report_read(self.model)
        with guarantees.inside_read():  # prefetches and nested reads of an evaluated queryset are its own
            return fn(*args, **kwargs)

    def _fetch_all(self):
        if self._result_cache is None:
            return self._guarded(super()._fetch_all)
        return None

    def count(self):
        if self._result_cache is not None:
            return len(self._result_cache)
        return self._guarded(super().count)

    def exists(self):
        if self._result_cache is not None:
            return bool(self._result_cache)
        return self._guarded(super().exists)

    def aggregate(self, *args, **kwargs):
        return self._guarded(super().aggregate, *args, **kwargs)

    def _iterator(self, use_chunked_fetch, chunk_size):
        if guarantees.watching() and self._unchecked():
            guarantees.report_read(self.model)
        yield from super()._iterator(use_chunked_fetch, chunk_size)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


class Zone(models.Model):
    """A high-tech zone (高新区): the top-level scope of all data."""

    name = models.CharField(_("园区名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, unique=True)
    province = models.CharField(_("省份"), max_length=20, blank=True)
    city = models.CharField(_("城市"), max_length=20, blank=True)
    description = models.TextField(_("简介"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope = Scope(zone="pk", public=True)

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    VIEW_PERSONAL = "view_personal", _("查看个人信息")
    TRANSITION = "transition", _("流转")


class AuditLogQuerySet(ScopedQuerySet):
    def update(self, **kwargs):  # noqa: D401 - append-only
        raise PermissionError("审计日志不可修改")

    def delete(self):
        raise PermissionError("审计日志不可删除")


# keys of audit ``changes`` that are not model fields (imports, exports, generators, personal-data reads)
_CHANGE_KEYS = {"rows": "行数", "created": "新增", "updated": "更新", "dry_run": "试运行", "gen": "数据生成",
                "action": "动作", "fields": "字段", "count": "数量", "filters": "筛选条件", "detail": "说明"}


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class AuditLog(models.Model):
    """One append-only row per write, login, failed login, export and personal-data view."""

    # ``at`` is set before the insert (the row's hash covers it); the two references keep their ids when the
    # user or zone is deleted (no constraint, nothing done): the database refuses any UPDATE of a row
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # the hash chain (core/audit_chain.py): the previous row's hash and this row's, over its content
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    row_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditLogQuerySet.as_manager()
    # a zone committee reads its zone's log; platform rows (no zone) are for platform admins only
    scope = Scope(zone="zone_id")

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-id"]
        indexes = [models.Index(fields=["zone", "-id"]), models.Index(fields=["object_type", "object_id"])]

    def _model(self):
        try:
            return apps.get_model(self.object_type) if "." in self.object_type else None
        except (LookupError, ValueError):
            return None  # a pseudo type (e.g. services.gen, an import): no model

    @property
    def object_kind(self) -> str:
        """The kind of object in Chinese (the model's verbose name), never its internal label."""
        model = self._model()
        return str(model._meta.verbose_name) if model is not None else ""

    @property
    def changes_text(self) -> str:
        """What changed, for people: ``字段：旧 → 新``, or the new/old values of a created/deleted row,
        by the fields' Chinese names (never the raw dict)."""
        model = self._model()

        def name(key: str) -> str:
            if model is not None:
                with contextlib.suppress(FieldDoesNotExist):
                    return str(model._meta.get_field(key).verbose_name)
            return _CHANGE_KEYS.get(key, key)

        def value(v) -> str:
            if v is None or v == "":
                return "空"
            if isinstance(v, bool):
                return "是" if v else "否"
            if isinstance(v, list | tuple):
                return "、".join(value(x) for x in v)
            if isinstance(v, dict):
                return "；".join(f"{name(k)}：{value(x)}" for k, x in v.items())
            return str(v)

        data = self.changes if isinstance(self.changes, dict) else {}
        parts = []
        for key, v in data.items():
            if key in ("new", "old") and isinstance(v, dict):
                shown = "；".join(f"{name(k)}：{value(x)}" for k, x in v.items() if x not in (None, "", [], {}))
                parts.append(f"{'新值' if key == 'new' else '原值'}：{shown}")
            elif isinstance(v, list) and len(v) == 2:
                parts.append(f"{name(key)}：{value(v[0])} → {value(v[1])}")
            else:
                parts.append(f"{name(key)}：{value(v)}")
        return "；".join(parts)

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """What changed, one row per field for the log pages: (字段, 原值, 新值) by the field's Chinese name,
        a choice or dictionary value by its label, a flag as 是/否, nothing as “空”. A created row shows its
        values as new, a deleted one as old; a state move as 状态 old → new with its note."""
        from . import dicts

        model = self._model()

        def name(key: str) -> str:
            if model is not None:
                with contextlib.suppress(FieldDoesNotExist):
                    return str(model._meta.get_field(key).verbose_name)
            return _CHANGE_KEYS.get(key, key)

        def shown(key: str, v) -> str:
            if v is None or v == "" or v == [] or v == {}:
                return "空"
            if isinstance(v, bool):
                return "是" if v else "否"
            if isinstance(v, list | tuple):
                return "、".join(shown(key, x) for x in v)
            if isinstance(v, dict):
                return "；".join(f"{name(k)}：{shown(k, x)}" for k, x in v.items())
            if model is not None:
                code = dicts.code_guess(model, key)
                if code:
                    return dicts.label(code, v)
                with contextlib.suppress(FieldDoesNotExist):
                    field = model._meta.get_field(key)
                    if field.choices:
                        return str(dict(field.flatchoices).get(v, v))
            return str(v)

        data = self.changes if isinstance(self.changes, dict) else {}
        rows = []
        for key, v in data.items():
            if key in ("new", "old") and isinstance(v, dict):
                for k, x in v.items():
                    if x in (None, "", [], {}):
                        continue
                    rows.append((name(k), shown(k, x), "") if key == "old" else (name(k), "", shown(k, x)))
            elif isinstance(v, list) and len(v) == 2:
                rows.append((name(key), shown(key, v[0]), shown(key, v[1])))
            elif key in ("from", "to") and self.action == AuditAction.TRANSITION:
                continue
            else:
                rows.append((name(key), "", shown(key, v)))
        if self.action == AuditAction.TRANSITION and "to" in data:
            key = next((k for k in ("state", "status") if model is not None and _has_field(model, k)), "state")
            rows.insert(0, ("状态", shown(key, data.get("from")), shown(key, data.get("to"))))
        return rows

    @property
    def client(self) -> str:
        """The browser and system of the user agent, in short (登录日志's 客户端)."""
        ua = self.user_agent or ""
        if not ua:
            return ""
        browser = next((b for k, b in (("Edg/", "Edge"), ("MicroMessenger", "微信"), ("Firefox/", "Firefox"),
                                       ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("python", "程序"),
                                       ("curl", "程序")) if k in ua), "其他浏览器")
        system = next((s for k, s in (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
                                      ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux")) if k in ua), "")
        return f"{browser}{' · ' + system if system else ''}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志不可删除")


class DictType(models.Model):
    """A dictionary (字典): a named set of codes, e.g. party org kinds or order categories."""

    code = models.SlugField(_("字典编码"), max_length=60, unique=True)
    name = models.CharField(_("字典名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("字典类型")
        verbose_name_plural = _("字典类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class BadgeColour(models.TextChoices):
    PRIMARY = "primary", _("蓝")
    SECONDARY = "secondary", _("灰")
    SUCCESS = "success", _("绿")
    DANGER = "danger", _("红")
    WARNING = "warning", _("黄")
    INFO = "info", _("青")
    DARK = "dark", _("黑")


class DictItem(models.Model):
    """One code of a dictionary with its Chinese label, badge colour and order (RuoYi sys_dict_data)."""

    dict_type = models.ForeignKey(DictType, on_delete=models.CASCADE, related_name="items")
    value = models.CharField(_("键值"), max_length=60)
    label = models.CharField(_("标签"), max_length=60)
    colour = models.CharField(_("徽标颜色"), max_length=12, choices=BadgeColour.choices, default="secondary")
    sort = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    extra = models.JSONField(_("附加参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("字典项")
        verbose_name_plural = _("字典项")
        ordering = ["dict_type", "sort", "id"]
        constraints = [models.UniqueConstraint(fields=["dict_type", "value"], name="dictitem_unique_value")]

    def __str__(self) -> str:
        return self.label



class JobLease(models.Model):
    """A short lease on a periodic job, so that ticks on several servers do not run it together."""

    name = models.CharField(max_length=60, unique=True)
    owner = models.CharField(max_length=120)
    expires_at = models.DateTimeField()


# --- attachments ------------------------------------------------------------------------------------------


def stored_name(instance: Attachment, filename: str) -> str:
    """Where an uploaded file is stored: a random name (its uuid), never the name it was uploaded with, so
    a path can neither be guessed nor carry the user's text. The original name is kept in ``name``."""
    return f"files/{instance.uuid.hex[:2]}/{instance.uuid.hex}"


class Attachments(GenericRelation):
    """The one-line declaration that lets a model carry files (docs/adding-a-model.md)::

        attachments = Attachments()      # then record.attachments.all()

    The owner must be scoped (``objects.visible_to``): a file is downloaded by whoever may see its record,
    and by nobody else. Core finds owners through this field (``core.files.attachment_owners``), so it needs
    no import of the owner's app."""

    def __init__(self, **kwargs):
        kwargs.setdefault("to", "core.Attachment")
        super().__init__(**kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "liantong.core.models.Attachments", args, kwargs


def attachment_owners() -> list[type[models.Model]]:
    """Every model that declares ``Attachments()``, found through the app registry (core imports no strand)."""
    global _OWNERS
    if _OWNERS is None:
        _OWNERS = [m for m in apps.get_models()
                   if any(isinstance(f, Attachments) for f in m._meta.private_fields)]
    return _OWNERS


_OWNERS: list | None = None


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user, *, for_write: bool = False):
        """The files of every record ``user`` may see (or edit): each owner model's own ``visible_to``."""
        q = NOTHING
        for model in attachment_owners():
            owners = model.objects.visible_to(user, for_write=for_write).values("pk")
            q |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=owners)
        return self.filter(q)


class Attachment(models.Model):
    """A file attached to any scoped record (an order, a visit, …; ``Attachments()`` on the owner).

    Stored under a random name (``stored_name``) and served only through ``/files/<uuid>/``, which checks
    the user may see the owning record; its type was read from the content by ``core.files.check_upload``
    and is kept in ``mime``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to=stored_name, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    mime = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    objects = models.Manager.from_queryset(AttachmentQuerySet)()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    @property
    def url(self) -> str:
        return reverse("core:file", args=[self.uuid])


class HolidayDay(models.Model):
    """One day of the State Council's yearly arrangement (国务院办公厅关于某年部分节假日安排的通知), entered by
    a platform administrator on 系统管理 → 节假日安排: a holiday on a weekday, or a 调休 working day on a weekend.
    Deadlines (core/calendar.py) follow it before the chinesecalendar package, which ends at its last year."""

    HOLIDAY, WORKDAY = "holiday", "workday"
    KINDS = [(HOLIDAY, "放假"), (WORKDAY, "上班（调休）")]

    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("安排"), max_length=8, choices=KINDS)
    name = models.CharField(_("节日"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.name}".strip()
