"""Settings for Liantong, driven by environment variables (healthchecks style).

Every knob has a safe development default; production sets ``SECRET_KEY``,
``DEBUG=0``, ``DATABASE_URL``, ``ALLOWED_HOSTS`` and ``LIANTONG_PII_KEY``.
"""

import os
from pathlib import Path

import csp.constants as _csp
import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", "1")
SECRET_KEY = envstr("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789abcdef")
# Key for the keyed hash and the encryption of members' personal data (ID number, phone).
PII_KEY = envstr("LIANTONG_PII_KEY", "dev-only-pii-key-change-me")
ALLOWED_HOSTS = [h for h in envstr("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in envstr("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "liantong.core",
    "liantong.accounts",
    "liantong.orgs",
    "liantong.services",
    "liantong.resources",
    "liantong.matching",
    "liantong.people",
    "liantong.innovation",
    "liantong.insights",
    "ninja",  # its Swagger UI from its own static files (/api/v1/docs), never a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "liantong.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liantong.core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "liantong.accounts.otp.SecondFactorMiddleware",
    "liantong.accounts.policy.PasswordPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "liantong.core.middleware.RequestContextMiddleware",
    "liantong.core.middleware.ErrorPagesMiddleware",
    "axes.middleware.AxesMiddleware",
    "liantong.core.ratelimit.RateLimitMiddleware",
]

ROOT_URLCONF = "liantong.urls"
WSGI_APPLICATION = "liantong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liantong.core.context_processors.shell",
            ],
            "builtins": ["liantong.core.templatetags.liantong"],
        },
    }
]

_default_db = f"sqlite:///{envstr('SQLITE_PATH', str(PROJECT_DIR / 'db.sqlite3'))}"
DATABASES = {"default": dj_database_url.parse(envstr("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # IMMEDIATE transactions + busy timeout: writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so that ``pytest --reuse-db`` keeps the loaded demo between runs.
    DATABASES["default"]["TEST"] = {"NAME": envstr("TEST_SQLITE_PATH", str(PROJECT_DIR / "test_db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if envbool("FAST_PASSWORD_HASHER", "0"):
    # Tests only: Argon2 is deliberately slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "liantong.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "liantong.accounts.validators.UsernameValidator"},
    {"NAME": "liantong.accounts.validators.LeakedPasswordValidator"},
    {"NAME": "liantong.accounts.validators.HistoryValidator"},
]
# The second factor (TOTP, accounts/otp.py) for staff and administrators: on by default in production
# (DEBUG off); `make run`'s demo sets LIANTONG_TOTP=0, the tests run with DEBUG on at import (off).
LIANTONG_TOTP = envbool("LIANTONG_TOTP", "0" if DEBUG else "1")
OTP_TOTP_ISSUER = "链通"
# A new password may not repeat the last N; staff passwords (platform, zone, chain, department accounts)
# expire after this many days (0: never). accounts/policy.py, docs/security.md.
PASSWORD_HISTORY_COUNT = envint("PASSWORD_HISTORY_COUNT", "5")
PASSWORD_MAX_AGE_DAYS = envint("PASSWORD_MAX_AGE_DAYS", "90")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: 5 failures lock the username for 15 minutes (django-axes).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# The policy locks the account (not the address): W006 warns about exactly that choice.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_ENABLED = envbool("AXES_ENABLED", "1")
AXES_HTTP_RESPONSE_CODE = 429
# Rate limits (core/ratelimit.py): per minute; answered 429 in Chinese.
RATE_LIMITS = envbool("LIANTONG_RATE_LIMITS", "1")
API_RATE_LIMIT = envint("LIANTONG_API_RATE_LIMIT", "3000")  # API requests per caller (token/user/address)
TOKEN_FAILURE_LIMIT = envint("LIANTONG_TOKEN_FAILURE_LIMIT", "30")  # refused bearer tokens per address
LOGIN_RATE_LIMIT = envint("LIANTONG_LOGIN_RATE_LIMIT", "30")  # login attempts per address
LOGIN_PATH = "/accounts/login/"

# 30-minute idle timeout: a session expires 30 minutes after its last renewal, and a request renews it when
# the last renewal is a minute old (core.middleware.SessionRenewalMiddleware): 29 to 30 idle minutes, with one
# write to the session store a minute instead of one per request.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", "1800")
SESSION_RENEW_SECONDS = min(60, SESSION_COOKIE_AGE // 30)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "0")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and envbool("SECURE_HSTS_PRELOAD", "1")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", "0") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from this site or inline with the request's nonce
# (``nonce="{{ request.csp_nonce }}"``); no inline event handlers, no javascript: URLs (docs/security.md).
# Styles may be inline (Bootstrap's style attributes, htmx's indicator rule).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_csp.SELF],
        "script-src": [_csp.SELF, _csp.NONCE],
        "style-src": [_csp.SELF, _csp.UNSAFE_INLINE],
        "img-src": [_csp.SELF, "data:", "blob:"],
        "font-src": [_csp.SELF, "data:"],
        "connect-src": [_csp.SELF],
        "object-src": [_csp.NONE],
        "base-uri": [_csp.SELF],
        "form-action": [_csp.SELF],
        "frame-ancestors": [_csp.NONE],
    },
}
# How many reverse proxies stand in front of the app (nginx: 1). Only then is X-Forwarded-For read for the
# client's address in the audit log (the N-th entry from the right); 0 (default): the connection's address.
TRUSTED_PROXIES = envint("LIANTONG_TRUSTED_PROXIES", "0")
# The key of the audit log's hash chain (core/audit_chain.py); empty: derived from SECRET_KEY. Keep it
# when SECRET_KEY changes (set it to the old derived value, docs/security.md), or old rows stop verifying.
LIANTONG_AUDIT_KEY = envstr("LIANTONG_AUDIT_KEY", "")
# Audit rows are kept at least this many days (graded protection level 3: 180); nothing deletes them.
AUDIT_RETENTION_DAYS = envint("LIANTONG_AUDIT_RETENTION_DAYS", "180")
X_FRAME_OPTIONS = "DENY"

REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["liantong.formats"]  # one date (2026-12-04) and date-time (2026-12-04 09:30) format
# The interface is Chinese only: with a second language, LocaleMiddleware would follow a browser's
# Accept-Language and mix English dates and form errors into Chinese pages.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

FORM_RENDERER = "liantong.core.forms.FormRenderer"  # selects written out in Python (core/forms.py)

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
# Development (DEBUG=1): the files are found when asked for, as WhiteNoise does by default when settings.DEBUG is
# on. Said here because the test runner turns settings.DEBUG off after this module is read: WhiteNoise would then
# list and stat every static file each time its middleware is built, once per test client (about 30 ms each).
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")))
# Uploaded files live under MEDIA_ROOT with random names; nothing serves MEDIA_URL: every download goes
# through /files/<uuid>/ (core.files.download), which checks the login and the owning record's scope.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(PROJECT_DIR / "media")))
# The matching index built once (``liantong build-match-index``, the tick) and loaded by every process
# (liantong/matching/index.py). On by default in production; empty: each process builds its own.
MATCH_INDEX_PATH = envstr("LIANTONG_MATCH_INDEX", "" if DEBUG else str(PROJECT_DIR / "var" / "match-index.pickle"))
# Who sends a checked file's bytes (docs/deploy.md 附件下载): "django" streams them itself; "nginx" answers
# with X-Accel-Redirect to FILES_ACCEL_PREFIX + the stored name (an ``internal`` location aliased to
# MEDIA_ROOT); "apache" answers with X-Sendfile and the absolute path (mod_xsendfile).
FILES_SERVE = envstr("LIANTONG_FILES_SERVE", "django")
FILES_ACCEL_PREFIX = envstr("LIANTONG_FILES_ACCEL_PREFIX", "/protected-files/")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Attachments: at most this many bytes, and only these extensions.
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))
ATTACHMENT_EXTENSIONS = [".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt", ".zip"]
# A .zip is refused when its members would unpack to more than this (a zip bomb), or hold more entries.
ATTACHMENT_ZIP_MAX_UNPACKED = envint("ATTACHMENT_ZIP_MAX_UNPACKED", str(200 * 1024 * 1024))
ATTACHMENT_ZIP_MAX_ENTRIES = envint("ATTACHMENT_ZIP_MAX_ENTRIES", "2000")

EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "liantong@localhost")

DEMO_PASSWORD = envstr("DEMO_PASSWORD", "Liantong@2025")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
