from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liantong.accounts"
    label = "accounts"

    def ready(self):
        from liantong.core import demo

        from . import demo as accounts_demo

        # last: every demo user the other loaders created gets the demo password (one shared hash)
        demo.register(90, "演示账号（统一密码）", accounts_demo.load)
        demo.register_accounts(accounts_demo.demo_accounts)
