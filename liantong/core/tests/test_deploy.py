import os
import secrets
import subprocess
import sys


def _check(extra_env):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(extra_env)
    return subprocess.run([sys.executable, "-m", "liantong.cli", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True)


def test_the_production_checklist_passes_with_production_settings():
    proc = _check({"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "LIANTONG_PII_KEY": secrets.token_hex(32),
                   "SECURE_COOKIES": "1", "SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "31536000"})
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_checklist_refuses_development_keys():
    proc = _check({"DEBUG": "0", "SECURE_COOKIES": "1", "SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "1"})
    assert proc.returncode != 0
    assert "liantong.E002" in proc.stdout + proc.stderr


def test_the_checklist_refuses_a_weak_personal_data_key():
    proc = _check({"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "LIANTONG_PII_KEY": "a",
                   "SECURE_COOKIES": "1", "SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "31536000"})
    assert proc.returncode != 0
    assert "liantong.E003" in proc.stdout + proc.stderr


def test_liantong_run_serves_through_gunicorn_with_debug_off(monkeypatch):
    from django.core.management import call_command

    from liantong.core.management.commands import run_platform

    seen = {}
    monkeypatch.setattr(run_platform, "call_command", lambda name, *a, **k: seen.setdefault("commands", []).append(name))
    monkeypatch.setattr(run_platform.os, "execvpe", lambda f, cmd, env: seen.update(cmd=cmd, env=env))
    monkeypatch.delenv("DEBUG", raising=False)
    call_command("run_platform", "127.0.0.1:8123", "--workers", "4")
    assert seen["commands"] == ["migrate", "collectstatic"]
    assert seen["cmd"][1:4] == ["-m", "gunicorn", "liantong.wsgi:application"]
    assert seen["cmd"][seen["cmd"].index("--workers") + 1] == "4"
    assert seen["env"]["DEBUG"] == "0"
