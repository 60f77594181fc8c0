from liantong.navigation import menu_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    ctx = {"nav_menu": menu_for(user)}
    try:
        from liantong.services.notify import unread_count
    except ImportError:  # the services app supplies the inbox
        return ctx
    ctx["unread_count"] = unread_count(user)
    return ctx
