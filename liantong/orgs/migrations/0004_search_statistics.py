# The statistics target of the text search index (PostgreSQL; nothing on SQLite): see
# liantong.core.textsearch.PG_STATISTICS.

from django.db import migrations

from liantong.core import textsearch


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_search_text'),
    ]

    operations = [
        textsearch.TuneSearchStatistics('enterprise'),
        textsearch.TuneSearchStatistics('partyorg'),
        textsearch.TuneSearchStatistics('member'),
    ]
