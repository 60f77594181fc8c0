"""``liantong reindex-search [MODEL ...]``: recompute the search tokens of existing rows.

For every searchable model (``core.textsearch.Searchable``: members, firms, party orgs, orders,
listings) or the ones named (``orgs.member`` …), writes ``search_text`` where it differs from what
``save()`` would write now (after a change of the tokenizer, or rows written around the services)
and, on SQLite, rebuilds the FTS5 table from the column. See docs/search.md.
"""

from django.core.management.base import BaseCommand, CommandError

from liantong.core import textsearch


class Command(BaseCommand):
    help = "重建检索词（search_text）及全文索引：liantong reindex-search [应用.模型 ...]"

    def add_arguments(self, parser):
        parser.add_argument("models", nargs="*", metavar="APP.MODEL", help="只重建这些模型（默认全部）")

    def handle(self, *args, models, **opts):
        chosen = textsearch.searchable_models()
        if models:
            by_label = {m._meta.label_lower: m for m in chosen}
            unknown = sorted(set(m.lower() for m in models) - set(by_label))
            if unknown:
                raise CommandError(f"不支持检索的模型：{'、'.join(unknown)}（可选：{'、'.join(sorted(by_label))}）")
            chosen = [by_label[m.lower()] for m in models]
        for model in chosen:
            textsearch.rebuild(model, log=self.stdout.write)
