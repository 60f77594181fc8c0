"""Issue 7: the services.Attachment rows (and files) move into core.Attachment; the old table goes."""

from django.db import migrations

from liantong.core.attachment_migration import from_core, to_core


def forward(apps, schema_editor):
    to_core(apps, "services.Attachment", "services.ServiceRequest", "order")


def backward(apps, schema_editor):
    from_core(apps, "services.Attachment", "services.ServiceRequest", "order")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_attachment'),
        ('services', '0005_search_statistics'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(
            name='Attachment',
        ),
    ]
