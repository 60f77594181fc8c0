"""``liantong report --zone ZONE --year YEAR [--out FILE]``: the zone's work report as a Word document."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liantong.core.models import Zone


class Command(BaseCommand):
    help = "生成园区年度产业链党建工作报告（Word），数字均由数据计算"

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, help="园区名称或简称，如 镇江高新区")
        parser.add_argument("--year", required=True, type=int, help="年度，如 2025")
        parser.add_argument("--out", default=None, help="输出文件（默认：园区名+年度+工作报告.docx）")

    def handle(self, *args, zone, year, out, **opts):
        from liantong.insights import report

        z = Zone.objects.filter(name=zone).first() or Zone.objects.filter(short_name=zone).first()
        if z is None:
            raise CommandError(f"未找到园区“{zone}”")
        if not 2000 <= year <= 2100:
            raise CommandError("年度应为四位数字（如 2025）")
        path = Path(out or f"{z.name}{year}年工作报告.docx")
        path.write_bytes(report.build(z, year))
        self.stdout.write(self.style.SUCCESS(f"已生成：{path}"))
