from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from liantong.core.excel import import_workbook
from liantong.core.registry import excel_specs


class Command(BaseCommand):
    help = "从 Excel 导入：liantong import KIND FILE [--dry-run]；有任何错误则不导入并逐行列出（退出码 1）"

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--user", default="admin", help="以哪个用户的身份与权限导入（默认 admin）")

    def handle(self, *args, **opts):
        specs = excel_specs()
        spec = specs.get(opts["kind"])
        if spec is None:
            raise CommandError(f"未知的导入类型“{opts['kind']}”，可选：{'、'.join(specs)}")
        actor = get_user_model().objects.filter(username=opts["user"]).first()
        if actor is None:
            raise CommandError(f"用户“{opts['user']}”不存在")
        try:
            with open(opts["file"], "rb") as fh:
                result = import_workbook(spec, fh, actor=actor, dry_run=opts["dry_run"])
        except OSError as exc:
            raise CommandError(f"无法打开文件：{exc}") from exc
        for line in result.error_lines():
            self.stdout.write(line)
        self.stdout.write(result.summary())
        if not result.ok:
            raise SystemExit(1)
