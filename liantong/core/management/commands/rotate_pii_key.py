"""``liantong rotate-pii-key``: re-encrypt and re-hash every protected personal value (ID numbers, phones)
under a new key, all or nothing (core/pii.py ``rotate_key``). The new key is read from the environment
variable ``NEW_LIANTONG_PII_KEY`` (never from the command line, which other users of the machine can see).
Stop the app servers first; afterwards start them with ``LIANTONG_PII_KEY`` set to the new key, and take a
fresh backup (the old backups need the old key)."""

import os

from django.core.management.base import BaseCommand, CommandError

from liantong.core import audit, pii
from liantong.core.checks import _weak


class Command(BaseCommand):
    help = "更换个人信息密钥：用新密钥（环境变量 NEW_LIANTONG_PII_KEY）重新加密、重新计算哈希，全部成功或全部不变"

    def handle(self, *args, **options):
        new = os.environ.get("NEW_LIANTONG_PII_KEY", "")
        if not new:
            raise CommandError("请在环境变量 NEW_LIANTONG_PII_KEY 中给出新密钥")
        if _weak(new):
            raise CommandError("新密钥太弱：至少 32 个字符、且不能是简单重复的字符")
        try:
            n = pii.rotate_key(new, log=self.stdout.write)
        except pii.RotationError as exc:
            raise CommandError(str(exc)) from exc
        audit.record(None, audit.AuditAction.UPDATE, None, object_type="core.pii", object_repr="更换个人信息密钥",
                     changes={"count": n})
        self.stdout.write(f"已用新密钥重新加密 {n} 个值。现在把 LIANTONG_PII_KEY 设为新密钥并重启应用；旧备份仍需旧密钥。")
