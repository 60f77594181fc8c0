from django.conf import settings
from django.core.management.base import BaseCommand

from liantong.core import demo


class Command(BaseCommand):
    help = "载入源文章中三个园区的演示数据（可重复运行，结果相同）；--users 只列出全部演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--users", action="store_true",
                            help="不载入数据，列出全部演示账号（账号、角色、单位）")

    def handle(self, *args, users=False, **opts):
        if users:
            return self.list_users()
        demo.run(log=lambda s: self.stdout.write(s))
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号（统一密码 {settings.DEMO_PASSWORD}）："))
        for username, who in demo.DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {who}")
        others = len(self.accounts()) - len(demo.DEMO_LOGINS)
        if others > 0:
            self.stdout.write(f"另有 {others} 个演示账号（其他职能部门、链上企业），密码相同：liantong demo --users 列出全部")

    @staticmethod
    def accounts() -> list[dict]:
        # accounts registers its demo accounts with the demo registry: core names no app here
        return demo.accounts()

    def list_users(self):
        rows = self.accounts()
        if not rows:
            self.stdout.write("还没有演示账号：先运行 liantong demo")
            return
        self.stdout.write(f"全部 {len(rows)} 个演示账号，统一密码 {settings.DEMO_PASSWORD}：")
        self.stdout.write("账号\t角色\t单位类型\t单位\t园区")
        for r in rows:
            self.stdout.write(f"{r['username']}\t{r['roles']}\t{r['unit_kind']}\t{r['unit']}\t{r['zone']}")
