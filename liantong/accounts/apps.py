from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liantong.accounts"
    label = "accounts"
