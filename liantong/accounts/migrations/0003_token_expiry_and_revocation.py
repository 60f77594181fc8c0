"""API tokens expire and can be revoked; tokens issued before get 90 days from their creation."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import liantong.accounts.models


def fill_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for tok in ApiToken.objects.filter(expires_at__isnull=True):
        tok.expires_at = tok.created_at + datetime.timedelta(days=90)
        tok.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AlterModelManagers(
            name="user",
            managers=[("objects", liantong.accounts.models.UserManager())],
        ),
        migrations.AlterModelOptions(
            name="apitoken",
            options={"ordering": ["-id"], "verbose_name": "API 令牌", "verbose_name_plural": "API 令牌"},
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(fill_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="到期时间"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="吊销时间"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近使用"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="name",
            field=models.CharField(default="cli", max_length=60, verbose_name="名称"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(max_length=8, verbose_name="前缀"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens",
                                    to=settings.AUTH_USER_MODEL, verbose_name="用户"),
        ),
    ]
