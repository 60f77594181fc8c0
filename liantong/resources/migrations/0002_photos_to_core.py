"""Issue 7: the resources.VisitPhoto rows (and files) move into core.Attachment; the old table goes."""

from django.db import migrations

from liantong.core.attachment_migration import from_core, to_core


def forward(apps, schema_editor):
    to_core(apps, "resources.VisitPhoto", "resources.ServiceVisit", "visit")


def backward(apps, schema_editor):
    from_core(apps, "resources.VisitPhoto", "resources.ServiceVisit", "visit")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_attachment'),
        ('resources', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(
            name='VisitPhoto',
        ),
    ]
