from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liantong.accounts"
    label = "accounts"

    def ready(self):
        from liantong import navigation
        from liantong.navigation import Item

        navigation.register("系统管理", [
            Item("用户管理", "accounts:user_list", "accounts.users", icon="person-gear"),
            Item("API 令牌", "accounts:token_list", "accounts.tokens", icon="key"),
        ])
