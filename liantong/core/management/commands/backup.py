"""``liantong backup FILE``: one zip archive of every table's rows, the uploaded files and a manifest
with the migration state, row counts and checksums (``core/backup.py``, docs/deploy.md 备份)."""

from django.core.management.base import BaseCommand, CommandError

from liantong.core import backup


class Command(BaseCommand):
    help = "备份全部数据与附件到一个 zip 文件：liantong backup FILE（用 liantong restore FILE 恢复）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件，例如 liantong-2025-06-30.zip")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, file, database, verbosity=1, **opts):
        log = self.stdout.write if verbosity >= 2 else (lambda s: None)
        try:
            m = backup.make_backup(file, using=database, log=log)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        t = m["totals"]
        self.stdout.write(f"备份完成：{file}（{t['tables']} 张表、{t['rows']} 行、附件文件 {t['media_files']} 个，"
                          f"{m['bytes'] / 1048576:.1f} MB，用时 {m['seconds']} 秒）")
        self.stdout.write("注意：" + backup.PII_NOTE + "请把 LIANTONG_PII_KEY 与备份文件分开妥善保管。")
