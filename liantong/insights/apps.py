from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "liantong.insights"
    label = "insights"
