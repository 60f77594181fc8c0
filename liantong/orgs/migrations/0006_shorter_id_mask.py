"""The stored ID-number mask keeps one character at each end instead of four (core.identifiers.mask_id):
with the plain birth date, the old mask narrowed a number to about nine candidates."""

from django.db import migrations

from liantong.core.identifiers import remask_id


def remask(apps, schema_editor):
    Member = apps.get_model("orgs", "Member")
    batch = []
    for m in Member.objects.exclude(id_masked="").only("id", "id_masked").iterator(chunk_size=2000):
        new = remask_id(m.id_masked)
        if new != m.id_masked:
            m.id_masked = new
            batch.append(m)
        if len(batch) >= 2000:
            Member.objects.bulk_update(batch, ["id_masked"])
            batch = []
    if batch:
        Member.objects.bulk_update(batch, ["id_masked"])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0005_member_transfer")]
    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
