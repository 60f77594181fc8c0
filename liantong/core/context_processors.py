"""The page shell's context: the user's menu plus whatever apps add (e.g. the inbox's unread count).

Apps register ``provider(request) -> dict`` with ``register`` from their AppConfig.ready.
"""

from liantong.navigation import menu_for

_PROVIDERS: list = []


def register(provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    ctx = {"nav_menu": menu_for(user)}
    for provider in _PROVIDERS:
        ctx.update(provider(request))
    return ctx
