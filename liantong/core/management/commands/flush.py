"""``flush`` as Django's, with the audit log's append-only guard lifted for the duration: emptying a
database (the test databases between transactional tests) deletes its audit rows on SQLite, which the
database otherwise refuses (core/audit_chain.py). PostgreSQL's ``flush`` truncates, which the guard lets
through."""

from django.core.management.commands.flush import Command as DjangoFlush

from liantong.core import audit_chain


class Command(DjangoFlush):
    def handle(self, **options):
        with audit_chain.unlocked(options.get("database") or "default"):
            return super().handle(**options)
