from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "liantong.matching"
    label = "matching"
