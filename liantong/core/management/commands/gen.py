"""``liantong gen --scale tiny|zone|city|province [--only NAME ...]``: synthetic data for benchmarks.

Runs each registered generator (``liantong.core.gen``) in order and prints what it made and how
long it took. See ``docs/generator.md``.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from liantong.core import gen


class Command(BaseCommand):
    help = "生成合成数据（批量插入，用于性能测试）：--scale tiny|zone|city|province"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(gen.SCALES), default="zone", help="规模（默认 zone）")
        parser.add_argument("--only", nargs="+", metavar="NAME", default=None,
                            help="只运行这些生成器（按注册名，如 orgs）")

    def handle(self, *args, scale, only, **opts):
        from liantong.core.dicts import ensure_dicts

        chosen = gen.SCALES[scale]
        names = [name for _, name, _ in gen._GENERATORS]
        unknown = sorted(set(only or ()) - set(names))
        if unknown:
            raise CommandError(f"未知的生成器：{'、'.join(unknown)}（可选：{'、'.join(names)}）")
        self.stdout.write(f"规模 {chosen.name}：{chosen.zones} 个园区、{chosen.zones * chosen.chains_per_zone} 条产业链、"
                          f"{chosen.firms} 家企业、{chosen.party_orgs} 个党组织、{chosen.members} 名党员")
        ensure_dicts()
        total = time.perf_counter()
        for name in names:
            if only and name not in only:
                continue
            self.stdout.write(f"生成器 {name} …")
            t0 = time.perf_counter()
            # a generator that cannot run here raises CommandError (e.g. orgs.gen.GenRefused): printed, exit 1
            made = gen.run(chosen, log=self.stdout.write, only={name}).get(name) or {}
            figures = "、".join(f"{k} {v:,}" for k, v in made.items() if k != "seconds" and isinstance(v, int))
            self.stdout.write(self.style.SUCCESS(f"  {name}：{figures or '完成'}（{time.perf_counter() - t0:.1f} 秒）"))
        self.stdout.write(self.style.SUCCESS(f"合成数据已生成，共用时 {time.perf_counter() - total:.1f} 秒。"))
