from django.core.management.base import BaseCommand

from liantong.core import demo


class Command(BaseCommand):
    help = "载入源文章中三个园区的演示数据（可重复运行，结果相同）"

    def handle(self, *args, **opts):
        from django.conf import settings

        demo.run(log=lambda s: self.stdout.write(s))
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号（统一密码 {settings.DEMO_PASSWORD}）："))
        for username, who in demo.DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {who}")
