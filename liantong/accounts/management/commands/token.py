from django.core.management.base import BaseCommand, CommandError

from liantong.accounts.models import ApiToken, User
from liantong.core import audit


class Command(BaseCommand):
    help = "为用户生成一个 API 令牌并打印（只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"用户“{opts['username']}”不存在")
        key = ApiToken.issue(user, opts["name"])
        audit.record(None, audit.AuditAction.CREATE, user, object_type="accounts.apitoken",
                     object_repr=f"{user.username} 的 API 令牌", zone=user.zone_id)
        self.stdout.write(key)
