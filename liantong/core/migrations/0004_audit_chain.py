"""The audit log becomes tamper-evident (core/audit_chain.py): each row gets its place in a keyed hash chain
(existing rows are chained in id order here), and the database itself refuses UPDATE and DELETE on the
table — SQLite triggers, a PostgreSQL trigger function."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from liantong.core import audit_chain


def chain_existing(apps, schema_editor):
    AuditLog = apps.get_model("core", "AuditLog")
    prev, batch = audit_chain.GENESIS, []
    for row in AuditLog.objects.using(schema_editor.connection.alias).order_by("id").iterator(chunk_size=2000):
        row.prev_hash = prev
        row.row_hash = prev = audit_chain.digest(prev, row)
        batch.append(row)
        if len(batch) >= 2000:
            AuditLog.objects.bulk_update(batch, ["prev_hash", "row_hash"])
            batch = []
    if batch:
        AuditLog.objects.bulk_update(batch, ["prev_hash", "row_hash"])


def install(apps, schema_editor):
    audit_chain.install_guards(schema_editor.connection)


def uninstall(apps, schema_editor):
    audit_chain.remove_guards(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_attachment'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditlog',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='auditlog',
            name='row_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='actor',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False),
        ),
        migrations.AlterField(
            model_name='auditlog',
            name='zone',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='core.zone'),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(install, uninstall),
    ]
