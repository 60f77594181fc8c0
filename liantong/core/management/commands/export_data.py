from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from liantong.core import audit
from liantong.core.excel import write_workbook
from liantong.core.registry import excel_specs


class Command(BaseCommand):
    help = "导出到 Excel：liantong export KIND FILE（按 --user 的数据范围，默认 admin）"

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("file")
        parser.add_argument("--user", default="admin")

    def handle(self, *args, **opts):
        specs = excel_specs()
        spec = specs.get(opts["kind"])
        if spec is None or spec.queryset is None:
            raise CommandError(f"未知的导出类型“{opts['kind']}”，可选：{'、'.join(specs)}")
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"用户“{opts['user']}”不存在")
        qs = spec.queryset(user)
        data = write_workbook(spec, qs, user=user)
        with open(opts["file"], "wb") as fh:
            fh.write(data)
        n = qs.count()
        audit.record(user, audit.AuditAction.EXPORT, None, object_type=spec.kind, object_repr=f"导出{spec.title} {n} 行",
                     zone=user.zone_id)
        self.stdout.write(f"已导出 {n} 行到 {opts['file']}")
