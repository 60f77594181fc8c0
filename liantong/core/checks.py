"""Production checklist additions to ``liantong check --deploy``."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def keys_are_set(app_configs, **kwargs):
    errors = []
    if settings.SECRET_KEY.startswith("dev-only"):
        errors.append(Error("SECRET_KEY 仍是开发用默认值", hint="生产环境设置环境变量 SECRET_KEY", id="liantong.E001"))
    if settings.PII_KEY.startswith("dev-only"):
        errors.append(Error("LIANTONG_PII_KEY 仍是开发用默认值：党员个人信息的加密密钥必须单独设置并备份",
                            hint="生产环境设置环境变量 LIANTONG_PII_KEY", id="liantong.E002"))
    elif _weak(settings.PII_KEY):
        errors.append(Error("LIANTONG_PII_KEY 太弱：至少 32 个字符、且不能是简单重复的字符",
                            hint="用 python -c \"import secrets; print(secrets.token_hex(32))\" 生成一把，并备份",
                            id="liantong.E003"))
    return errors


def _weak(key: str) -> bool:
    """A key someone could guess: short, or few distinct characters (``aaaa…``, ``1234…``)."""
    return len(key) < 32 or len(set(key)) < 12
