"""Personal data at rest (docs/security.md): the stored and shown mask with the plain birth date cannot rebuild
an ID number, and ``liantong rotate-pii-key`` re-encrypts and re-hashes every protected value, all or nothing."""

import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liantong.core import pii
from liantong.core.identifiers import id_check_char
from liantong.orgs.models import Member

NEW_KEY = "9f3c1b7e5d2a4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c"


def _candidates(mask: str, birth, region: str) -> int:
    """ID numbers matching the mask and the birth date, for an attacker who even knows the 6-digit region."""
    born = birth.strftime("%Y%m%d")
    n = 0
    for seq in range(1000):
        body = f"{region}{born}{seq:03d}"
        number = body + id_check_char(body)
        if number[:1] == mask[:1] and number[-1:] == mask[-1:]:
            n += 1
    return n


def test_the_mask_and_the_birth_date_leave_many_candidates(db):
    members = list(Member.objects.exclude(id_masked="").exclude(birth_date=None)[:20])
    assert members
    for m in members:
        shown = {i for i, ch in enumerate(m.id_masked) if ch != "*"}
        assert shown <= {0, 17}, m.id_masked
        number = str(m.id_number)
        assert _candidates(m.id_masked, m.birth_date, number[:6]) >= 50


@pytest.fixture
def key_env():
    os.environ["NEW_LIANTONG_PII_KEY"] = NEW_KEY
    yield
    os.environ.pop("NEW_LIANTONG_PII_KEY", None)
    pii._fernet.cache_clear()


def test_rotating_the_key_re_encrypts_and_re_hashes_every_protected_value(db, key_env, settings):
    before = {m.pk: (str(m.id_number), str(m.phone), m.id_encrypted) for m in Member.objects.all()}
    call_command("rotate_pii_key")
    settings.PII_KEY = NEW_KEY
    pii._fernet.cache_clear()
    after = {m.pk: m for m in Member.objects.all()}
    assert len(after) == len(before) > 100
    for pk, (number, phone, old_cipher) in before.items():
        m = after[pk]
        assert (str(m.id_number), str(m.phone)) == (number, phone)
        if number:
            assert m.id_encrypted != old_cipher and m.id_hash == pii.keyed_hash(number)


def test_a_row_the_old_key_cannot_open_stops_the_rotation_and_nothing_changes(db, key_env):
    first, second = Member.objects.exclude(id_encrypted="").order_by("-pk")[:2]
    Member.objects.filter(pk=first.pk).update(id_encrypted="gAAAAA-not-a-token")
    with pytest.raises(CommandError, match=f"第 {first.pk} 行"):
        call_command("rotate_pii_key")
    assert Member.objects.get(pk=second.pk).id_encrypted == second.id_encrypted
    assert str(Member.objects.get(pk=second.pk).id_number) == str(second.id_number)


def test_a_weak_new_key_is_refused(db):
    os.environ["NEW_LIANTONG_PII_KEY"] = "a"
    try:
        with pytest.raises(CommandError, match="太弱"):
            call_command("rotate_pii_key")
    finally:
        os.environ.pop("NEW_LIANTONG_PII_KEY")
