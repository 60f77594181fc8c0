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


def fernet_for(secret: str) -> Fernet:
    key = hashlib.sha256(("enc:" + secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


@lru_cache(maxsize=1)
def _fernet() -> Fernet:
    return fernet_for(settings.PII_KEY)


def keyed_hash(value: str, secret: str | None = None) -> str:
    return hmac.new((settings.PII_KEY if secret is None else secret).encode(), value.encode(),
                    hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def protect_many(pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """``(value, other)`` → ``(keyed_hash(value), encrypt(value), encrypt(other))`` for many values at once (an
    ID number and a phone: the generator, the Excel import); a plain function of plain data, so it runs in
    ``core.gen.map_chunks``' process pool too."""
    key, fernet = settings.PII_KEY.encode(), _fernet()
    sha256, new = hashlib.sha256, hmac.new
    return [(new(key, a.encode(), sha256).hexdigest(), fernet.encrypt(a.encode()).decode() if a else "",
             fernet.encrypt(b.encode()).decode() if b else "") for a, b in pairs]


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


class Protected(property):
    """The attribute ``protected()`` makes; it names its columns, so the key rotation finds every one."""

    columns: tuple[str, str, str | None] = ("", "", None)


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

    prop = Protected(get, set_, doc=f"decrypted {encrypted}; setting it rewrites {masked} and {hashed or encrypted}")
    prop.columns = (encrypted, masked, hashed)
    return prop


def protected_fields() -> list[tuple[type, str, str, str | None]]:
    """Every protected value of every model: (model, encrypted column, mask column, hash column or None)."""
    from django.apps import apps

    out = []
    for model in apps.get_models():
        for attr in vars(model).values():
            if isinstance(attr, Protected):
                out.append((model, *attr.columns))
    return out


class RotationError(Exception):
    pass


def rotate_key(new_secret: str, *, old_secret: str | None = None, batch: int = 2000, log=lambda s: None) -> int:
    """Re-encrypt and re-hash every protected value under ``new_secret``, all or nothing: one transaction;
    a ciphertext the old key cannot open stops it (nothing changed) and names the row. Afterwards the site
    must run with ``LIANTONG_PII_KEY=new_secret``. Returns the number of values rewritten."""
    from django.db import transaction

    old_secret = settings.PII_KEY if old_secret is None else old_secret
    if new_secret == old_secret:
        raise RotationError("新密钥与当前密钥相同")
    old_f, new_f = fernet_for(old_secret), fernet_for(new_secret)
    done = 0
    with transaction.atomic():
        for model, encrypted, _masked, hashed in protected_fields():
            columns = [encrypted] + ([hashed] if hashed else [])
            qs = model._base_manager.exclude(**{encrypted: ""}).order_by("pk")
            last = 0
            while True:
                rows = list(qs.filter(pk__gt=last).only("pk", *columns)[:batch])
                if not rows:
                    break
                for row in rows:
                    try:
                        plain = old_f.decrypt(getattr(row, encrypted).encode()).decode()
                    except InvalidToken as exc:
                        raise RotationError(f"{model._meta.verbose_name} 第 {row.pk} 行的 {encrypted} 无法用当前密钥解密："
                                            "未做任何修改") from exc
                    setattr(row, encrypted, new_f.encrypt(plain.encode()).decode())
                    if hashed:
                        setattr(row, hashed, keyed_hash(plain, new_secret))
                model._base_manager.bulk_update(rows, columns)
                done += len(rows)
                last = rows[-1].pk
            log(f"  {model._meta.label}.{encrypted}：已重新加密")
    return done
