from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "liantong.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import audit_chain, checks, dicts, guarantees, signals  # noqa: F401  (deploy checks, login audit receivers)

        guarantees.register_core()
        from . import home, views

        home.register(1, views.holiday_warning)

        def _ensure(sender, **kwargs):
            if sender.name == self.name:
                dicts.ensure_dicts()
                # a SQLite table rebuild (a later AlterField) drops the table's triggers: put them back
                audit_chain.install_guards(connections[kwargs.get("using", "default")])

        connection_created.connect(audit_chain.on_connection_created, dispatch_uid="liantong-audit-unlock-fn")
        post_migrate.connect(_ensure, dispatch_uid="liantong-ensure-dicts")
