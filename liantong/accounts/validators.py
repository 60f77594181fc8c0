import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Password must mix at least ``min_classes`` of: lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = sum(
            bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")
        )
        if classes < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes},
                code="password_classes",
            )

    def get_help_text(self):
        return _("至少 8 位，且包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes}


class UsernameValidator:
    """The password may not contain the username (in any case): guessing starts there."""

    def validate(self, password, user=None):
        name = (getattr(user, "username", "") or "").lower()
        if len(name) >= 3 and name in (password or "").lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("不能包含用户名。")


class LeakedPasswordValidator:
    """The password may not be one published in leaks or password lists (``leaked_passwords.txt``), nor the
    README's demo password (``DEMO_PASSWORD``): the demo's accounts get it from the demo loader, which sets
    it without this check; nobody may choose it."""

    _list: set[str] | None = None

    @classmethod
    def passwords(cls) -> set[str]:
        if cls._list is None:
            from pathlib import Path

            text = (Path(__file__).with_name("leaked_passwords.txt")).read_text(encoding="utf-8")
            cls._list = {line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")}
        return cls._list

    def validate(self, password, user=None):
        from django.conf import settings

        value = (password or "").lower()
        if value in self.passwords() or value == settings.DEMO_PASSWORD.lower():
            raise ValidationError(_("该密码已公开或出现在泄露的密码清单中，请换一个。"), code="password_leaked")

    def get_help_text(self):
        return _("不能是公开或泄露过的密码。")


class HistoryValidator:
    """The new password may not repeat one of the user's last ``count`` passwords (``PasswordHistory``)."""

    def __init__(self, count: int | None = None):
        self.count = count

    def validate(self, password, user=None):
        from django.conf import settings
        from django.contrib.auth.hashers import check_password

        count = self.count if self.count is not None else settings.PASSWORD_HISTORY_COUNT
        if user is None or not getattr(user, "pk", None) or count <= 0:
            return
        old = list(user.password_history.values_list("password", flat=True)[:count])
        if user.password and user.has_usable_password():
            old.append(user.password)
        if any(check_password(password, h) for h in old):
            raise ValidationError(_("不能与最近 %(n)d 次用过的密码相同。") % {"n": count}, code="password_reused")

    def get_help_text(self):
        return _("不能与最近用过的密码相同。")
