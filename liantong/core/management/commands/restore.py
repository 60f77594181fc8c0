"""``liantong restore FILE``: load a ``liantong backup`` archive into an empty, migrated database, all or
nothing, and verify every table's count and checksum against the manifest (``core/backup.py``)."""

from django.core.management.base import BaseCommand, CommandError

from liantong.core import backup


class Command(BaseCommand):
    help = ("从 liantong backup 的备份文件恢复到空的（已迁移的）数据库：liantong restore FILE [--force]；"
            "全部成功或全部撤销，恢复后按清单逐表核对行数与校验值")

    def add_arguments(self, parser):
        parser.add_argument("file", help="liantong backup 生成的 zip 文件")
        parser.add_argument("--force", action="store_true",
                            help="目标库已有数据时先清空本系统的全部数据表再恢复（不可撤销）")
        parser.add_argument("--ignore-pii-key", action="store_true",
                            help="LIANTONG_PII_KEY 与备份时不同也恢复（个人信息密文将无法解密）")
        parser.add_argument("--database", default="default", help="数据库别名（默认 default）")

    def handle(self, *args, file, force, ignore_pii_key, database, verbosity=1, **opts):
        log = self.stdout.write if verbosity >= 2 else (lambda s: None)
        try:
            r = backup.restore(file, using=database, force=force, ignore_pii_key=ignore_pii_key, log=log)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for w in r["warnings"]:
            self.stdout.write("警告：" + w)
        self.stdout.write(f"恢复完成：{r['tables']} 张表、{r['rows']} 行，校验一致"
                          f"（附件文件 {r['media_files']} 个，用时 {r['seconds']} 秒）")
        self.stdout.write("注意：" + backup.PII_NOTE)
        self.stdout.write("如有正在运行的应用服务器，请重启（匹配索引与缓存按恢复后的数据重建）。")
