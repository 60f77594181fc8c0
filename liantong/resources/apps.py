from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "liantong.resources"
    label = "resources"
    verbose_name = "服务资源"
