"""The menu is data: groups of items, each with the permission code it needs (NetBox navigation/menu.py).

``menu_for(user)`` returns only what the user may open; the template renders it as it is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    perm: str | None = None  # None: every logged-in user
    icon: str = ""
    when: Callable[[object], bool] | None = None  # a further condition on the user (e.g. "belongs to a firm")


@dataclass(frozen=True)
class Group:
    label: str
    icon: str
    items: list[Item] = field(default_factory=list)


MENU: list[Group] = [
    Group("组织固链", "diagram-3", [
        Item("产业链", "orgs:chain_list", icon="link-45deg"),
        Item("企业", "orgs:enterprise_list", icon="building"),
        Item("党组织", "orgs:partyorg_list", "orgs.view_party", icon="flag"),
        Item("组织树", "orgs:partyorg_tree", "orgs.view_party", icon="diagram-2"),
        Item("党员", "orgs:member_list", "orgs.view_party", icon="people"),
        Item("组织关系转接", "orgs:transfer_list", "orgs.view_party", icon="arrow-left-right"),
        Item("双培养", "orgs:cultivation_list", "orgs.view_party", icon="arrow-repeat"),
        Item("结对共建", "orgs:pairing_list", icon="people-fill"),
        Item("党员先锋队", "orgs:vanguard_list", icon="award"),
        Item("职能部门", "orgs:department_list", icon="bank"),
        Item("高校/院所", "orgs:institution_list", icon="mortarboard"),
        Item("导入", "orgs:import", "orgs.import", icon="upload"),
    ]),
    Group("服务优链", "headset", []),
    Group("供需对接", "arrow-left-right", []),
    Group("招商与看板", "graph-up-arrow", []),
    Group("系统管理", "gear", [
        Item("数据字典", "core:dict_list", "core.dicts_view", icon="book"),
        Item("登录日志", "core:login_log", "core.audit", icon="box-arrow-in-right"),
        Item("操作日志", "core:operation_log", "core.audit", icon="journal-text"),
    ]),
]


def register(group_label: str, items: list[Item]) -> None:
    """Apps add their items to a group (called from their AppConfig.ready)."""
    for g in MENU:
        if g.label == group_label:
            for it in items:
                if it not in g.items:
                    g.items.append(it)
            return
    raise KeyError(group_label)


def menu_for(user) -> list[dict]:
    out = []
    for g in MENU:
        items = []
        for it in g.items:
            if it.perm and not user.has_perm_code(it.perm):
                continue
            if it.when is not None and not it.when(user):
                continue
            try:
                url = reverse(it.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": it.label, "url": url, "icon": it.icon})
        if items:
            out.append({"label": g.label, "icon": g.icon, "items": items})
    return out
