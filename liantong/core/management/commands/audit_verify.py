"""``liantong audit-verify``: walk the audit log's hash chain and name the first row changed, removed or
inserted behind the application's back (core/audit_chain.py). Exit code 1 when the chain is broken or the
database's append-only triggers are missing."""

from django.core.management.base import BaseCommand
from django.db import connections

from liantong.core import audit_chain


class Command(BaseCommand):
    help = "核对审计日志的哈希链：指出第一条被修改、删除或插入的记录"

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database="default", **options):
        report = audit_chain.verify(using=database)
        guarded = audit_chain.guards_installed(connections[database])
        if not report.ok:
            self.stderr.write(f"审计日志核对失败（已核对 {report.rows} 条）：{report.finding.message}")
        if not guarded:
            self.stderr.write("数据库中审计日志的只追加触发器缺失：运行 liantong migrate 重新安装")
        if not report.ok or not guarded:
            raise SystemExit(1)
        if report.rows == 0:
            self.stdout.write("审计日志为空：无需核对")
            return
        self.stdout.write(f"审计日志完整：{report.rows} 条（第 {report.first_id} 至 {report.last_id} 条），哈希链一致；"
                          f"最后一条的哈希 {report.last_hash}（请另行记下，可发现末尾被删除）")
