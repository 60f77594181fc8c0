"""Accounts: users act for one unit, hold roles; each role carries a data scope (RuoYi style)."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# the unit kinds and data scopes are the scoping layer's own vocabulary (core); re-exported here
from liantong.core.scoping import DataScope, UnitKind

__all__ = ["ApiToken", "DataScope", "Role", "TokenRefused", "UnitKind", "User"]


class Role(models.Model):
    """A role: a data scope plus the permission codes it grants (``*`` grants all)."""

    code = models.SlugField(_("角色编码"), max_length=40, unique=True)
    name = models.CharField(_("角色名称"), max_length=40)
    data_scope = models.CharField(_("数据范围"), max_length=10, choices=DataScope.choices)
    permissions = models.JSONField(_("权限"), default=list, blank=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["sort", "id"]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet):
    def visible_to(self, user, *, for_write: bool = False):
        """The users ``user`` may see and manage on the users pages (``accounts.services.manageable_users``:
        a zone administrator their zone's, a platform administrator everyone's, others nobody). Reading and
        writing reach the same users. (Users have no ``Scope``: a firm's contact does not see its staff here.)"""
        from .services import manageable_users  # (services imports these models)

        return self & manageable_users(user) if user is not None else self.none()


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in; acts for exactly one unit (explicit FKs, see DESIGN-NOTES 3)."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    unit_kind = models.CharField(_("单位类型"), max_length=12, choices=UnitKind.choices, default=UnitKind.ENTERPRISE)
    zone = models.ForeignKey("core.Zone", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("园区"))
    chain = models.ForeignKey("orgs.Chain", null=True, blank=True, on_delete=models.PROTECT,
                              verbose_name=_("产业链"), related_name="staff")
    department = models.ForeignKey("orgs.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   verbose_name=_("部门"), related_name="staff")
    enterprise = models.ForeignKey("orgs.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   verbose_name=_("企业"), related_name="staff")
    institution = models.ForeignKey("orgs.Institution", null=True, blank=True, on_delete=models.PROTECT,
                                    verbose_name=_("高校/院所"), related_name="staff")
    party_org = models.ForeignKey("orgs.PartyOrg", null=True, blank=True, on_delete=models.SET_NULL,
                                  verbose_name=_("所在/分管党组织"), related_name="staff")
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    roles = models.ManyToManyField(Role, blank=True, verbose_name=_("角色"), related_name="users")
    is_demo = models.BooleanField(_("演示账号"), default=False)
    # the password policy (accounts/policy.py): a password an administrator chose (a new account, a reset)
    # must be changed at the next login; staff passwords expire after PASSWORD_MAX_AGE_DAYS
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def role_list(self) -> list[Role]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = list(self.roles.all()) if self.pk else []
            self._role_cache = cached
        return cached

    def has_perm_code(self, code: str) -> bool:
        if self.is_superuser:
            return True
        for r in self.role_list:
            if "*" in r.permissions or code in r.permissions:
                return True
            app = code.split(".")[0] + ".*"
            if app in r.permissions:
                return True
        return False

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or any(r.data_scope == DataScope.ALL for r in self.role_list)

    @property
    def unit(self):
        return {
            UnitKind.ZONE: self.zone,
            UnitKind.CHAIN: self.chain,
            UnitKind.DEPARTMENT: self.department,
            UnitKind.ENTERPRISE: self.enterprise,
            UnitKind.INSTITUTION: self.institution,
        }.get(self.unit_kind)


class TokenRefused(Exception):
    """A bearer token that exists but may no longer be used; ``detail`` says why, in Chinese (API: 401)."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class ApiToken(models.Model):
    """A named bearer token for the API, acting with its user's roles and scope.

    Only the SHA-256 of the key is stored (the key is shown once, when issued). A token expires
    (``expires_at``), can be revoked (``revoked_at``), and every token of a user is revoked when the
    user's password changes or is reset. Issued and revoked through ``accounts.services``."""

    DEFAULT_DAYS = 90

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    name = models.CharField(_("名称"), max_length=60, default="cli")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "有效"

    @property
    def is_usable(self) -> bool:
        return self.state == "有效"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "lt_" + secrets.token_urlsafe(32)

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        """The token's user; ``None`` for an unknown key; ``TokenRefused`` for an expired or revoked
        token, or one whose user is deactivated."""
        tok = cls.objects.select_related("user").filter(key_hash=cls.hash(key or "")).first()
        if tok is None:
            return None
        now = timezone.now()
        if tok.revoked_at is not None:
            raise TokenRefused("令牌已吊销，请重新生成")
        if tok.expires_at <= now:
            raise TokenRefused("令牌已过期，请重新生成")
        if not tok.user.is_active:
            raise TokenRefused("该账号已停用")
        if tok.last_used_at is None or (now - tok.last_used_at).total_seconds() > 300:
            cls.objects.filter(pk=tok.pk).update(last_used_at=now)
        return tok.user


class PasswordHistory(models.Model):
    """The hashes of a user's previous passwords: a new password may not repeat the last
    ``PASSWORD_HISTORY_COUNT`` (accounts/validators.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
