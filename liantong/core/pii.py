"""Members' personal data: a keyed hash for look-ups and an encrypted copy for the few who may see it."""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=1)
def _fernet() -> Fernet:
    key = hashlib.sha256(("enc:" + settings.PII_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def keyed_hash(value: str) -> str:
    return hmac.new(settings.PII_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
