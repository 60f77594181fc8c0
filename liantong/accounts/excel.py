"""The users list exported to Excel: the columns the page shows (phones masked, as on the page)."""

from liantong.core.excel import Spec, XCol
from liantong.core.identifiers import mask_phone

from .tables import role_names, unit_name, when


def _not_importable(*args, **kwargs):
    raise NotImplementedError("用户不通过 Excel 导入：请在用户管理页面新增")


USERS = Spec(
    kind="users",
    title="用户",
    columns=[
        XCol("用户名", "username", width=18),
        XCol("姓名", "display_name", width=14),
        XCol("单位类型", "unit_kind", export=lambda o, u: o.get_unit_kind_display()),
        XCol("所属单位", "unit", export=lambda o, u: unit_name(o), width=30),
        XCol("园区", "zone", export=lambda o, u: o.zone.name if o.zone_id else "", width=20),
        XCol("角色", "roles", export=lambda o, u: role_names(o), width=30),
        XCol("手机号码", "phone", export=lambda o, u: mask_phone(o.phone) if o.phone else ""),
        XCol("状态", "is_active", export=lambda o, u: "启用" if o.is_active else "停用", width=8),
        XCol("最近登录", "last_login", export=lambda o, u: when(o.last_login)),
    ],
    key=lambda row: row.get("username"),
    resolve=_not_importable,
    save=_not_importable,
)
