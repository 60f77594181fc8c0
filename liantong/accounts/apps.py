from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liantong.accounts"
    label = "accounts"

    def ready(self):
        from liantong.core import demo

        from .roles import ensure_roles

        # the demo's first step: the default roles, shared with the loaders that follow as ctx["roles"]
        demo.register(0, "角色", lambda ctx: ctx.update(roles=ensure_roles()))
