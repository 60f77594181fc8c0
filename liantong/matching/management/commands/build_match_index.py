"""``liantong build-match-index``: build the matching index once and store it for every process."""

from django.core.management.base import BaseCommand, CommandError

from liantong.matching import index


class Command(BaseCommand):
    help = "构建匹配索引并保存到 LIANTONG_MATCH_INDEX（各进程启动后直接载入，不再各自构建）"

    def handle(self, *args, **opts):
        if index.index_path() is None:
            raise CommandError("未设置匹配索引文件（LIANTONG_MATCH_INDEX）")
        out = index.store()
        self.stdout.write(f"匹配索引已保存：{out['listings']:,} 条供需信息，构建 {out['seconds']} 秒，"
                          f"{out['bytes'] / 1e6:.1f} MB，版本 {out['version']} → {out['path']}")
