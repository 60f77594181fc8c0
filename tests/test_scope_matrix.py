"""The 404 matrix, generated from the guarantees registry (``liantong/core/guarantees.py``).

For every scoped model, one row of the demo (or one this module makes, where the demo has none) against
every persona: a reader finds it through ``visible_to`` and gets 200 on its detail page and every API
detail path; everyone else (another zone, an unrelated firm, a department, a user without a role) does not
find it and gets 404 — never 403, never 500. The readers are declared in the registry from the demo's data
(``docs/scoping.md``), not computed by the scoping layer. A scoped model that is not registered fails here.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from liantong.core import guarantees
from liantong.core.guarantees import PERSONAS

from .registry_rows import sample

ENTRIES = guarantees.entries()


def scoped_models() -> set[str]:
    return {m._meta.label for m in apps.get_models() if getattr(m, "scope", None) is not None}


def test_every_scoped_model_is_registered():
    registered = {e.model for e in ENTRIES}
    assert scoped_models() - registered == set(), "新的有范围模型：在其应用的 guarantees.py 中登记"
    assert registered - scoped_models() == set(), "登记的模型不存在或没有 scope"


def test_the_registry_names_pages_and_paths_that_exist():
    for e in ENTRIES:
        for name in (e.page, e.edit_page):
            if name:
                reverse(name, kwargs={"pk": 1})
        if e.list_page:
            reverse(e.list_page)
        assert all(p.startswith("/api/v1/") and "{pk}" in p for p in e.api), e.model


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.model for e in ENTRIES])
def test_a_row_is_found_and_opened_only_by_its_readers(personas, client_for, entry):
    row = sample(entry, personas)
    model = type(row)
    wrong = []
    for persona in PERSONAS:
        user = personas[persona]
        reads = persona in entry.readers
        found = model.objects.visible_to(user).filter(pk=row.pk).exists()
        if found != reads:
            wrong.append(f"{persona}: visible_to {'misses' if reads else 'shows'} it")
        c = client_for(user)
        expected = 200 if reads else 404
        urls = [reverse(entry.page, kwargs={"pk": row.pk})] if entry.page else []
        urls += [p.format(pk=row.pk) for p in entry.api]
        for url in urls:
            status = c.get(url).status_code
            if status != expected:
                wrong.append(f"{persona}: GET {url} → {status}, expected {expected}")
    assert wrong == [], f"{entry.model} #{row.pk}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.edit_page and e.writers],
                         ids=[e.model for e in ENTRIES if e.edit_page and e.writers])
def test_the_edit_page_opens_only_for_writers(personas, client_for, entry):
    row = sample(entry, personas)
    url = reverse(entry.edit_page, kwargs={"pk": row.pk})
    wrong = []
    for persona in PERSONAS:
        status = client_for(personas[persona]).get(url).status_code
        expected = 200 if persona in entry.writers else 404
        if status != expected:
            wrong.append(f"{persona}: GET {url} → {status}, expected {expected}")
    assert wrong == [], f"{entry.model} #{row.pk}:\n" + "\n".join(wrong)


def test_anonymous_users_get_no_row(db):
    """Every detail page sends an anonymous visitor to the login page, every API path answers 401."""
    from django.test import Client

    c = Client()
    for e in ENTRIES:
        if e.page:
            assert c.get(reverse(e.page, kwargs={"pk": 1})).status_code == 302, e.page
        for p in e.api:
            assert c.get(p.format(pk=1)).status_code == 401, p
