from django.db import migrations

from liantong.core import textsearch


class Migration(migrations.Migration):

    dependencies = [
        ("innovation", "0001_initial"),
    ]

    operations = [
        textsearch.AddSearchIndex("challenge"),
        textsearch.AddSearchIndex("achievement"),
        textsearch.AddSearchIndex("policy"),
    ]
