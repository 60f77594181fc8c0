from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liantong.accounts"
    label = "accounts"

    def ready(self):
        from liantong import navigation
        from liantong.core import demo
        from liantong.navigation import Item

        from . import demo as accounts_demo
        from .roles import ensure_roles

        # the demo's first step: the default roles, shared with the loaders that follow as ctx["roles"]
        demo.register(0, "角色", lambda ctx: ctx.update(roles=ensure_roles()))
        # last: every demo user the other loaders created gets the demo password (one shared hash)
        demo.register(90, "演示账号（统一密码）", accounts_demo.load)
        demo.register_accounts(accounts_demo.demo_accounts)

        from liantong.core import home

        from . import home as accounts_home

        home.register(40, accounts_home.panel)
        navigation.register("系统管理", [
            Item("用户管理", "accounts:user_list", "accounts.users", icon="person-gear"),
            Item("API 令牌", "accounts:token_list", "accounts.tokens", icon="key"),
        ])
