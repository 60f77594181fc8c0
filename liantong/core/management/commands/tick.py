import json

from django.core.management.base import BaseCommand

from liantong.core import tick


class Command(BaseCommand):
    help = "周期任务：红黄牌、催办提醒、回访请求等（可在多台服务器上同时运行）"

    def handle(self, *args, **opts):
        result = tick.run()
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
