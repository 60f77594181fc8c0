"""Core: the zone (the tenant of every scoped row), the audit log, admin-editable dictionaries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import Scope


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what a user may see (NetBox ``restrict``)."""

    def visible_to(self, user, *, for_write: bool = False):
        from liantong.core.scoping import scope_q

        return self.filter(scope_q(user, self.model, for_write=for_write))


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


class AuditLog(models.Model):
    """One append-only row per write, login, failed login, export and personal-data view."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AuditLogQuerySet.as_manager()
    # a zone committee reads its zone's log; platform rows (no zone) are for platform admins only
    scope = Scope(zone="zone_id")

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-id"]
        indexes = [models.Index(fields=["zone", "-id"]), models.Index(fields=["object_type", "object_id"])]

    def save(self, *args, **kwargs):
        if self.pk:
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
