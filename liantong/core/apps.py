from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liantong.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, dicts, guarantees, signals  # noqa: F401  (deploy checks, login audit receivers)

        guarantees.register_core()

        def _ensure(sender, **kwargs):
            if sender.name == self.name:
                dicts.ensure_dicts()

        post_migrate.connect(_ensure, dispatch_uid="liantong-ensure-dicts")
