from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "liantong.services"
    label = "services"
