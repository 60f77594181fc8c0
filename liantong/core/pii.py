"""Members' personal data: a keyed hash for look-ups and an encrypted copy for the few who may see it.

A protected value lives in up to three columns (ciphertext, mask, keyed hash); ``protected()`` makes one
model attribute that writes all three at once, the only way the project changes them (besides the bulk
generator ``orgs.gen``, which writes the same three forms row by row)."""

import base64
import hashlib
import hmac
from collections.abc import Callable
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.html import escape


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


def mask_date(value) -> str:
    """A birth date shown to those not entitled: the year only."""
    return f"{value.year}-**-**" if value else ""


class Revealed(str):
    """A decrypted protected value. It compares and serialises as the plain value, but a template that
    prints it (``{{ member.phone }}``) shows the mask: the full value reaches a page only through an
    audited detail read, which hands the template ``str(value)``."""

    masked = ""

    def __html__(self) -> str:
        return escape(self.masked)


def protected(*, encrypted: str, masked: str, mask: Callable[[str], str], hashed: str | None = None) -> property:
    """A model attribute for one protected value (ID number, phone …) stored as ciphertext, mask and
    (when it is looked up) keyed hash. Reading it decrypts; assigning it rewrites all stored forms
    together, so no caller can change one and leave an old copy behind (``Member(id_number=…)`` works
    too: Django's ``Model.__init__`` sets properties given as keywords)."""

    def get(obj) -> Revealed:
        value = Revealed(decrypt(getattr(obj, encrypted)))
        value.masked = getattr(obj, masked)
        return value

    def set_(obj, value) -> None:
        value = value or ""
        if getattr(obj, encrypted) and get(obj) == value:
            return  # unchanged: keep the ciphertext (Fernet tokens differ on every encryption)
        setattr(obj, encrypted, encrypt(value))
        setattr(obj, masked, mask(value) if value else "")
        if hashed:
            setattr(obj, hashed, keyed_hash(value) if value else "")

    return property(get, set_, doc=f"decrypted {encrypted}; setting it rewrites {masked} and {hashed or encrypted}")
