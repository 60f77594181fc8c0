"""Columns and filters of the accounts pages (users, API tokens)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from liantong.core.identifiers import mask_phone
from liantong.core.models import Zone
from liantong.core.tables import Column, Filter

from . import services
from .models import UnitKind


def when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def unit_name(user) -> str:
    unit = user.unit
    if user.unit_kind == UnitKind.ZONE:
        unit = user.zone
    return str(unit) if unit is not None else ""


def role_names(user) -> str:
    return "、".join(r.name for r in user.roles.all())


def _roles_cell(user):
    return format_html_join(" ", '<span class="badge text-bg-secondary">{}</span>',
                            ((r.name,) for r in user.roles.all()))


def _active_cell(user):
    return format_html('<span class="badge text-bg-{}">{}</span>', "success" if user.is_active else "secondary",
                       "启用" if user.is_active else "停用")


USER_COLUMNS = [
    Column("用户名", "username", link="accounts:user_detail", order="username"),
    Column("姓名", "display_name", order="display_name"),
    Column("单位类型", "unit_kind", render=lambda u: u.get_unit_kind_display()),
    Column("所属单位", "unit", render=unit_name),
    Column("园区", "zone.short_name"),
    Column("角色", "roles", render=_roles_cell),
    Column("手机号码", "phone", render=lambda u: mask_phone(u.phone) if u.phone else ""),
    Column("状态", "is_active", render=_active_cell),
    Column("最近登录", "last_login", render=lambda u: when(u.last_login), order="last_login"),
]

USER_FILTERS = [
    Filter("role", "角色", "roles", lambda user: [(r.pk, r.name) for r in services.grantable_roles(user)]),
    Filter("unit_kind", "单位类型", "unit_kind",
           lambda user: [c for c in UnitKind.choices if services.is_platform(user) or c[0] != UnitKind.PLATFORM]),
    Filter("active", "状态", "is_active", lambda user: [("true", "启用"), ("false", "停用")]),
    Filter("zone", "园区", "zone_id",
           lambda user: [(z.pk, z.name) for z in Zone.objects.visible_to(user)] if services.is_platform(user) else []),
]


def _token_state(tok):
    colour = {"有效": "success", "已过期": "warning", "已吊销": "secondary"}[tok.state]
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, tok.state)


def _revoke_cell(tok):
    if not tok.is_usable:
        return ""
    return format_html('<button class="btn btn-sm btn-outline-danger" hx-post="{}" hx-confirm="确定吊销令牌“{}”？">吊销</button>',
                       reverse("accounts:token_revoke", args=[tok.pk]), tok.name)


TOKEN_COLUMNS = [
    Column("名称", "name", order="name"),
    Column("用户", "user.username", order="user__username"),
    Column("前缀", "prefix", render=lambda t: format_html("<code>{}…</code>", t.prefix)),
    Column("创建时间", "created_at", render=lambda t: when(t.created_at), order="created_at"),
    Column("到期时间", "expires_at", render=lambda t: when(t.expires_at), order="expires_at"),
    Column("最近使用", "last_used_at", render=lambda t: when(t.last_used_at), order="last_used_at"),
    Column("状态", "revoked_at", render=_token_state),
    Column("", "pk", render=_revoke_cell),
]
