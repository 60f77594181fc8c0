"""The ``liantong`` console script: the platform's own commands plus every Django management command.

    liantong run [--dev]               migrate and serve on http://127.0.0.1:8000 (gunicorn; --dev: runserver)
    liantong demo                      load the seed article's three zones (idempotent)
    liantong gen --scale zone|city|province
    liantong import KIND FILE [--dry-run]     KIND: enterprises | party-orgs | members
    liantong export KIND FILE
    liantong token USERNAME            print a new API token
    liantong match-eval DIR            evaluate the matching engine on a labelled set
    liantong tick                      the periodic job (deadlines, cards, reminders)
    liantong build-match-index         build the matching index once and store it for every process
    liantong reindex-search [APP.MODEL ...]   recompute the search tokens (docs/search.md)
    liantong report --zone ZONE --year YEAR [--out FILE]   the zone's work report (.docx) from its data
    liantong backup FILE               one zip: every table's rows, the uploaded files, a manifest (docs/deploy.md)
    liantong restore FILE [--force]    load a backup into an empty migrated database, all or nothing, verified
    liantong audit-verify              check the audit log's hash chain; name the first row tampered with
    liantong rotate-pii-key            re-encrypt personal data under NEW_LIANTONG_PII_KEY, all or nothing
    liantong <any manage.py command>
"""

import os
import sys

ALIASES = {"import": "import_data", "export": "export_data", "run": "run_platform"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liantong.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1] in ("-h", "--help", "help"):
        print(__doc__)
        if len(argv) < 2:
            return
    else:
        name = argv[1]
        argv[1] = ALIASES.get(name, name.replace("-", "_"))
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
