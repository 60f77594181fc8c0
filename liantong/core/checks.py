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
    return errors
