"""Checks for China's national identifiers: GB 32100 (unified social credit code) and GB 11643 (ID number)."""

from __future__ import annotations

import datetime
import operator
import re
import unicodedata

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def normalise(text) -> str:
    """Full-width to half-width, stray spaces removed, upper case."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).upper()  # split(): re's \s


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """None when ``code`` is a valid unified social credit code, else the problem in Chinese."""
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    bad = [c for c in code if c not in USCC_CHARS]
    if bad:
        return f"统一社会信用代码含非法字符“{bad[0]}”"
    if uscc_check_char(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误"
    return None


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(map(operator.mul, map(int, first17), ID_WEIGHTS)) % 11]


def id_birth_date(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


_ID_RE = re.compile(r"\d{17}[\dX]")


def id_error(number: str) -> str | None:
    """None when ``number`` is a valid 18-digit citizen ID number, else the problem in Chinese."""
    if not _ID_RE.fullmatch(number):
        return "公民身份号码应为18位（末位可为X）"
    born = id_birth_date(number)
    if born is None or born > datetime.date.today() or born.year < 1900:
        return "公民身份号码中的出生日期无效"
    if id_check_char(number[:17]) != number[17]:
        return "公民身份号码校验位错误"
    return None


def id_gender(number: str) -> str:
    return "male" if int(number[16]) % 2 else "female"


def mask_id(number: str) -> str:
    """The ID number as shown to those not entitled, and stored beside the ciphertext: its first and last
    characters only. The old mask (4 + 4 characters) together with the plain birth date left two county
    digits, narrowed by the check character to about nine candidates; with one character each end, the
    region, the birth date (stored) and the check character still leave the three sequence digits and the
    county open: about 90 candidates per county, some 900 within a city (docs/security.md)."""
    return number[:1] + "*" * 16 + number[-1:] if len(number) == 18 else "****"


def remask_id(old_mask: str) -> str:
    """The new mask from the old one (which kept 4 + 4 characters): no key needed (migration orgs 0006)."""
    return old_mask[:1] + "*" * 16 + old_mask[-1:] if len(old_mask) == 18 else old_mask


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else ("****" if phone else "")


PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
