"""The page shell's context: the user's menu plus whatever apps add (e.g. the inbox's unread count).

Apps register ``provider(request) -> dict`` with ``register`` from their AppConfig.ready.
"""

from liantong.navigation import menu_for

_PROVIDERS: list = []


def register(provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def _trail(menu, path) -> list[dict]:
    """The breadcrumb above a page under a menu item (a detail, an edit form): the group, then the list."""
    for g in menu:
        for it in g["items"]:
            if it["active"] and it["url"] != path:
                return [{"label": g["label"], "url": ""}, {"label": it["label"], "url": it["url"]}]
    return []


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    menu = menu_for(user, request.path)
    ctx = {"nav_menu": menu, "nav_trail": _trail(menu, request.path)}
    for provider in _PROVIDERS:
        ctx.update(provider(request))
    return ctx
