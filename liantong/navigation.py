"""The menu is data: groups of items, each with the permission code it needs (NetBox navigation/menu.py).

``menu_for(user)`` returns only what the user may open; ``render_menu`` writes it out for base.html.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    perm: str | None = None  # None: every logged-in user
    icon: str = ""
    when: Callable[[object], bool] | None = None  # a further condition on the user (e.g. "belongs to a firm")
    section: str = ""  # a heading inside the group (what users do: 办理, 督办, 统计 …); "" uses SECTIONS


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
    Group("人才与组织生活", "person-badge", []),
    Group("服务优链", "headset", []),
    Group("供需对接", "arrow-left-right", []),
    Group("创新强链", "lightbulb", []),
    Group("招商与看板", "graph-up-arrow", []),
    Group("系统管理", "gear", [
        Item("数据字典", "core:dict_list", "core.dicts_view", icon="book"),
        Item("节假日安排", "core:holidays", "core.holidays", icon="calendar-event"),
        Item("登录日志", "core:login_log", "core.audit", icon="box-arrow-in-right"),
        Item("操作日志", "core:operation_log", "core.audit", icon="journal-text"),
    ]),
]


# Headings inside a group, by what users do there, for items that name none themselves (url name -> heading).
# Items of the same heading are shown together, headings in the order first met.
SECTIONS: dict[str, str] = {
    "orgs:chain_list": "链与企业", "orgs:enterprise_list": "链与企业", "orgs:department_list": "链与企业",
    "orgs:institution_list": "链与企业",
    "orgs:partyorg_list": "党组织与党员", "orgs:partyorg_tree": "党组织与党员", "orgs:member_list": "党组织与党员",
    "orgs:transfer_list": "党组织与党员", "orgs:cultivation_list": "党组织与党员",
    "orgs:pairing_list": "共建", "orgs:vanguard_list": "共建", "orgs:import": "数据",
    "services:order_create": "点单与办理", "services:order_list": "点单与办理", "services:queue": "点单与办理",
    "services:dept_inbox": "点单与办理", "services:bundle_list": "点单与办理", "services:inbox": "点单与办理",
    "services:board": "督办与统计", "services:figures": "督办与统计",
    "resources:deptresource_list": "资源与项目", "resources:project_list": "资源与项目",
    "resources:shared_list": "资源共享", "resources:booking_list": "资源共享",
    "resources:squad_list": "帮办服务", "resources:visit_list": "帮办服务",
    "resources:meeting_list": "联席会议", "resources:resolution_list": "联席会议",
    "matching:listing_list": "供需", "matching:listing_create": "供需", "matching:contact_list": "对接",
    "matching:deal_list": "对接", "matching:meeting_list": "对接", "matching:revenue_list": "统计与数据",
    "matching:import": "统计与数据",
    "core:dict_list": "数据", "core:login_log": "日志", "core:operation_log": "日志",
}


def register(group_label: str, items: list[Item]) -> None:
    """Apps add their items to a group (called from their AppConfig.ready)."""
    for g in MENU:
        if g.label == group_label:
            for it in items:
                if it not in g.items:
                    g.items.append(it)
            return
    raise KeyError(group_label)


@functools.lru_cache(maxsize=512)
def _url(resolver, prefix: str, url_name: str) -> str | None:
    """An item's address, reversed once per URLconf and script prefix (every page shows the menu: reversing its
    sixty-odd items on each request cost about 5 ms). The resolver is part of the key, so a changed
    ``ROOT_URLCONF`` (``clear_url_caches`` makes a new one) reverses afresh; None: the name does not resolve."""
    try:
        return reverse(url_name, urlconf=resolver.urlconf_name)
    except NoReverseMatch:
        return None


def menu_for(user, path: str = "") -> list[dict]:
    """The user's menu: groups of items the user may open, each item under its heading (``section``),
    and the item whose address is the longest prefix of ``path`` marked ``active`` (its group too)."""
    out = []
    may = user.has_perm_code  # bound once: request.user is a lazy object, each attribute through it costs
    resolver, prefix = get_resolver(get_urlconf()), get_script_prefix()
    for g in MENU:
        items = []
        for it in g.items:
            if it.perm and not may(it.perm):
                continue
            if it.when is not None and not it.when(user):
                continue
            url = _url(resolver, prefix, it.url_name)
            if url is None:
                continue
            items.append({"label": it.label, "url": url, "icon": it.icon, "active": False,
                          "section": it.section or SECTIONS.get(it.url_name, "")})
        if items:
            order: list[str] = []
            for it in items:
                if it["section"] not in order:
                    order.append(it["section"])
            items.sort(key=lambda it: order.index(it["section"]))
            prev = None
            for it in items:  # a heading is shown above the first item of its section
                it["heading"] = it["section"] if it["section"] != prev and len(order) > 1 else ""
                prev = it["section"]
            out.append({"label": g.label, "icon": g.icon, "items": items, "active": False})
    best = None
    for g in out:
        for it in g["items"]:
            if path and path.startswith(it["url"]) and (best is None or len(it["url"]) > len(best[1]["url"])):
                best = (g, it)
    if best:
        best[0]["active"] = best[1]["active"] = True
    return out


_CURRENT_GROUP, _CURRENT_PAGE = ' aria-current="true"', ' aria-current="page"'


def _attr(active: bool, text: str) -> str:
    return text if active else ""


def render_menu(menu: list[dict]) -> SafeString:
    """The menu bar's groups as HTML (``{% main_menu %}`` in base.html). Written out here rather than as a
    template loop: Django's template engine took about 10 ms a page over the sixty-odd items, on every page."""
    out = []
    for group in menu:
        active = group["active"]
        out.append(
            '<li class="nav-item dropdown">\n'
            f'<a class="nav-link dropdown-toggle{_attr(active, " active")}" href="#" role="button" '
            f'data-bs-toggle="dropdown" aria-expanded="false"{_attr(active, _CURRENT_GROUP)}>\n'
            f'<i class="bi bi-{escape(group["icon"])}" aria-hidden="true"></i> {escape(group["label"])}</a>\n'
            '<ul class="dropdown-menu">\n')
        for i, item in enumerate(group["items"]):
            if item["heading"]:
                if i:
                    out.append('<li><hr class="dropdown-divider"></li>')
                out.append(f'<li><h2 class="dropdown-header">{escape(item["heading"])}</h2></li>\n')
            on = item["active"]
            out.append(
                f'<li><a class="dropdown-item{_attr(on, " active")}" href="{escape(item["url"])}"'
                f'{_attr(on, _CURRENT_PAGE)}><i class="bi bi-{escape(item["icon"])} me-1" '
                f'aria-hidden="true"></i>{escape(item["label"])}</a></li>\n')
        out.append("</ul>\n</li>\n")
    return mark_safe("".join(out))  # every value above is escaped
