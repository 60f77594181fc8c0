from django.core.management.base import BaseCommand, CommandError

from liantong.accounts import services
from liantong.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "为用户生成一个 API 令牌并打印（只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="令牌名称（默认 cli）")
        parser.add_argument("--days", type=int, default=ApiToken.DEFAULT_DAYS,
                            help=f"有效天数（1–365，默认 {ApiToken.DEFAULT_DAYS}）")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"用户“{opts['username']}”不存在")
        try:
            tok, key = services.issue_token(user, actor=None, name=opts["name"], days=opts["days"])
        except services.ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(f"令牌“{tok.name}”有效至 {tok.expires_at:%Y-%m-%d %H:%M}")
        self.stdout.write(key)
