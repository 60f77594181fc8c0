"""``liantong run``: migrate, collect the static files and serve through gunicorn — several worker processes,
``DEBUG`` off, static files by WhiteNoise — as production does (docs/deploy.md). ``liantong run --dev`` (and
``make dev``) is Django's development server instead: DEBUG on, reloading, for working on the code."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "迁移数据库并在 http://127.0.0.1:8000 启动平台（gunicorn 多进程；--dev 为开发服务器）"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--dev", action="store_true", help="Django 开发服务器（DEBUG 开、自动重载）")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")),
                            help="gunicorn 工作进程数（默认 3，或环境变量 WEB_CONCURRENCY）")

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        if opts["dev"]:
            call_command("runserver", opts["addrport"])
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        env = dict(os.environ)
        env.setdefault("DEBUG", "0")
        env["DJANGO_SETTINGS_MODULE"] = os.environ.get("DJANGO_SETTINGS_MODULE", "liantong.settings")
        cmd = [sys.executable, "-m", "gunicorn", "liantong.wsgi:application", "--bind", opts["addrport"],
               "--workers", str(max(1, opts["workers"])), "--timeout", "120", "--graceful-timeout", "10",
               "--access-logfile", "-", "--access-logformat", '%(h)s "%(r)s" %(s)s %(M)sms']
        self.stdout.write(f"gunicorn：{opts['workers']} 个工作进程，DEBUG={env['DEBUG']}，静态文件目录 {settings.STATIC_ROOT}")
        sys.stdout.flush()
        if shutil.which("gunicorn") is None and not _importable("gunicorn"):
            self.stderr.write("未安装 gunicorn（pip install gunicorn），改用开发服务器")
            call_command("runserver", opts["addrport"], use_reloader=False)
            return
        os.execvpe(cmd[0], cmd, env)  # Ctrl-C reaches gunicorn, which stops its workers


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
