"""Every edit form a persona can open saves when submitted as rendered, through its service, audited.

Generated, not hand-listed: the edit pages are the URL patterns of every app whose view is an
``ObjectEditView`` (walked from the URL resolver), and for each persona the object is one it may
write (``visible_to(user, for_write=True)``). The form is GET, its values taken from the rendered
HTML as a browser would send them, and POSTed back:

* unchanged, it saves (a redirect, never a 400 with nothing to read);
* with one free-text field changed, it saves again and the service wrote an audit row naming it;
* it carries no hidden field (a field its user cannot set — the hidden ``zone`` that failed for a
  chain committee and a firm — must not come back);
* the detail page shows 编辑 exactly when the edit page opens, the list shows 新增 exactly when the
  create page opens, and a create page a persona opens saves a copy of an object it may edit.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from liantong.core.forms import ScopedModelForm
from liantong.core.identifiers import id_check_char, uscc_check_char
from liantong.core.models import AuditAction, AuditLog
from liantong.core.views_generic import ObjectEditView

# the issue's personas; by_zone (白银's zone committee) because the demo's squads are all in 白银
PERSONAS = ["chain_staff", "firm_a", "firm_b", "dept_staff", "zone_staff", "uni", "by_zone"]


def _walk(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}{p.name}", p


def edit_pages() -> list[tuple[str, type[ObjectEditView], bool]]:
    """(url name, view class, takes a pk) of every page built on ObjectEditView."""
    out = []
    for name, p in _walk(get_resolver().url_patterns):
        cls = getattr(p.callback, "view_class", None)
        if cls is not None and issubclass(cls, ObjectEditView):
            out.append((name, cls, "pk" in p.pattern.converters))
    return sorted(out, key=lambda t: t[0])


EDIT = [(n, c) for n, c, has_pk in edit_pages() if has_pk]
CREATE = [(n, c) for n, c, has_pk in edit_pages() if not has_pk]


def test_every_page_named_edit_is_an_object_edit_view():
    """So the generated cases below cannot miss an edit page built some other way."""
    names = {n for n, _ in _walk(get_resolver().url_patterns) if n.endswith("_edit")}
    assert names and names == {n for n, _ in EDIT}
    assert len(EDIT) >= 15  # orgs 9, resources 6, matching 4 today


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_model_form_of_the_project_saves_on_its_own():
    """Services are the only write path: every ModelForm of the project replaces ModelForm.save (a
    ScopedModelForm calls its service; a form that only gathers input refuses to save). The URL resolver
    walked above has imported every app's views, hence every form."""
    ours = [c for c in _subclasses(forms.ModelForm) if c.__module__.startswith("liantong.")]
    assert len(ours) >= 15
    writers = [f"{c.__module__}.{c.__name__}" for c in ours if c.save is forms.ModelForm.save]
    assert not writers, writers
    unserviced = [c.__name__ for c in ours if issubclass(c, ScopedModelForm) and c.save is ScopedModelForm.save
                  and c._meta.model is not None]  # (bases without a model are not forms of their own)
    assert not unserviced, f"forms without a service call: {unserviced}"


# --- reading a rendered form as a browser would submit it -----------------------------------------------


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(), "fields": [], "hidden": [],
                               "text": [], "number": [], "options": {}})
            return
        if not self.forms:
            return
        f = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "hidden":
                f["hidden"].append(name)
                f["fields"].append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    f["fields"].append((name, a.get("value", "on")))
            elif kind not in ("file", "submit", "button", "reset", "image"):
                f["fields"].append((name, a.get("value", "")))
                if kind == "text":
                    f["text"].append(name)
                elif kind == "number":
                    f["number"].append(name)
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            self.forms[-1]["options"].setdefault(self._select["name"], []).append(value)
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.forms:
            return
        f = self.forms[-1]
        if tag == "select" and self._select is not None:
            s, self._select = self._select, None
            values = s["chosen"] if (s["chosen"] or s["multiple"]) else [s["first"] or ""]
            f["fields"].extend((s["name"], v) for v in values)
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._textarea = None
            text = text[1:] if text.startswith("\n") else text  # the HTML parser keeps the leading newline
            f["fields"].append((name, text))
            f["text"].insert(0, name)


def the_form(html: str) -> dict:
    """The page's main POST form (the one with the most fields)."""
    p = _Forms()
    p.feed(html)
    posts = [f for f in p.forms if f["method"] == "post"]
    assert posts, "no POST form on the page"
    return max(posts, key=lambda f: len(f["fields"]))


def as_data(form: dict) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for k, v in form["fields"]:
        data.setdefault(k, []).append(v)
    return data


def errors_of(html: str) -> str:
    """The messages a user would read on a refused form."""
    found = re.findall(r'class="(?:invalid-feedback[^"]*|alert alert-danger[^"]*)"[^>]*>(.*?)</div>', html, re.S)
    return " | ".join(re.sub(r"<[^>]+>", " ", m).strip() for m in found)


def hidden_fields(form: dict, where: str) -> list[str]:
    """A complaint for each hidden field of the form (its user cannot set it, so it must not be there)."""
    return [f"{where} carries a field its user cannot set: {n}" for n in form["hidden"] if n != "csrfmiddlewaretoken"]


# --- which pages each persona opens ------------------------------------------------------------------


def writable_object(view: type[ObjectEditView], user, *, last=False):
    return view.model.objects.visible_to(user, for_write=True).order_by("-pk" if last else "pk").first()


def _plus_one(value: str) -> str:
    try:
        return str(int(value) + 1)
    except ValueError:
        return str(float(value or 0) + 1)


@pytest.fixture
def _audit_mark(db):
    return AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_edit_form_the_persona_opens_saves_unchanged_and_audits_a_change(persona, personas, client_for):
    user = personas[persona]
    c = client_for(user)
    opened, failures = [], []
    for name, view in EDIT:
        obj = writable_object(view, user)
        if obj is None:
            continue
        url = reverse(name, args=[obj.pk])
        resp = c.get(url)
        if resp.status_code == 404:
            continue
        assert resp.status_code == 200, (name, resp.status_code)
        opened.append(name)
        form = the_form(resp.content.decode())
        failures += hidden_fields(form, f"{name} #{obj.pk}")
        data = as_data(form)
        resp = c.post(url, data)
        if resp.status_code != 302:
            failures.append(f"{name} #{obj.pk} unchanged → {resp.status_code}: {errors_of(resp.content.decode())}")
            continue
        # one free-text field changed: saved through the service, which audits the change
        mark = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
        changed = None
        for field, value in [(f, data[f][0][:-1] + "改") for f in form["text"]] + [
                (f, _plus_one(data[f][0])) for f in form["number"]]:
            if c.post(url, {**data, field: [value]}).status_code == 302:
                changed = field
                break
        if changed is None:
            failures.append(f"{name} #{obj.pk}: no free-text field could be changed and saved")
            continue
        rows = AuditLog.objects.filter(id__gt=mark, action=AuditAction.UPDATE, object_id=str(obj.pk),
                                       object_type=view.model._meta.label_lower)
        if not any(changed in r.changes for r in rows):
            failures.append(f"{name} #{obj.pk}: changing {changed} wrote no audit row naming it "
                            f"({[r.changes for r in rows]})")
    assert not failures, "\n".join(failures)
    # the pages the issue named must open for those who run them (from the issue, not from the code)
    must = {
        "chain_staff": {"orgs:chain_edit", "orgs:enterprise_edit", "orgs:partyorg_edit", "orgs:pairing_edit",
                        "orgs:vanguard_edit", "resources:project_edit", "resources:meeting_edit"},
        "firm_a": {"orgs:enterprise_edit", "orgs:partyorg_edit", "orgs:member_edit"},
        "zone_staff": {"orgs:chain_edit", "orgs:enterprise_edit", "orgs:partyorg_edit", "orgs:department_edit",
                       "resources:project_edit", "resources:meeting_edit"},
        "by_zone": {"orgs:chain_edit", "orgs:partyorg_edit", "resources:squad_edit", "resources:visit_edit"},
        "dept_staff": {"resources:deptresource_edit"},
    }.get(persona, set())
    assert must <= set(opened), f"{persona} cannot open {sorted(must - set(opened))}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_edit_button_shows_exactly_when_the_edit_page_opens(persona, personas, client_for):
    user = personas[persona]
    c = client_for(user)
    for name, view in EDIT:
        detail = name.removesuffix("_edit") + "_detail"
        try:
            reverse(detail, args=[1])
        except Exception:
            continue  # no detail page (the revenue list edits in place)
        for obj in view.model.objects.visible_to(user).order_by("pk")[:1]:
            page = c.get(reverse(detail, args=[obj.pk]))
            if page.status_code != 200:
                continue
            opens = c.get(reverse(name, args=[obj.pk])).status_code == 200
            shows = reverse(name, args=[obj.pk]) in page.content.decode()
            assert shows == opens, f"{detail} #{obj.pk} for {persona}: 编辑 shown={shows}, page opens={opens}"


def _fresh_uscc(n: int) -> str:
    first = f"91321100MA{n:07d}"[:17]
    return first + uscc_check_char(first)


def _fresh_id(n: int) -> str:
    first = f"32110219500101{n % 1000:03d}"
    return first + id_check_char(first)


_counter = itertools.count(1)


def copy_of(source: dict, offered: dict, persona: str) -> dict[str, list[str]]:
    """The values of an edit form as a new row: only the fields the create form has, its choices where the
    source's are not offered, free text suffixed, credit code and ID number new."""
    data = {k: v for k, v in as_data(source).items() if k in dict(offered["fields"])}
    n = next(_counter) + 1000 * PERSONAS.index(persona)
    for field, options in offered["options"].items():
        chosen = [v for v in data.get(field, []) if v in options]
        if data.get(field) and any(data[field]) and not chosen:
            chosen = [next((o for o in options if o), "")]
        data[field] = chosen or data.get(field, [])
    for field in offered["text"]:
        value = (data.get(field) or [""])[0]
        if field == "credit_code":
            data[field] = [_fresh_uscc(n)]
        elif field == "id_number":
            data[field] = [_fresh_id(n)]
        elif value and not re.fullmatch(r"[\d\s.+-]*", value):
            data[field] = [value[: max(1, len(value) - 4)] + f"副{n}"]
    for field in offered["number"]:
        if field == "year" and data.get(field):
            data[field] = [str(int(data[field][0]) - 1 - n % 20)]
    return data


# what a zone committee must be able to add (from the issue: chains, firms, orgs …), from the test's knowledge
ZONE_CREATES = {"orgs:chain_create", "orgs:enterprise_create", "orgs:partyorg_create", "orgs:department_create",
                "orgs:institution_create", "orgs:pairing_create", "orgs:vanguard_create", "resources:meeting_create"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_create_form_the_persona_opens_saves_a_copy(persona, personas, client_for):
    """The 新增 button shows exactly when the create page opens; an opened create page carries no hidden
    field, and a copy of an object the persona edits (free text suffixed, natural keys made new, choices
    from those the create form offers) saves — or is refused with a message the user can read."""
    user = personas[persona]
    c = client_for(user)
    failures, saved = [], set()
    for name, view in CREATE:
        resp = c.get(reverse(name))
        opens = resp.status_code == 200
        assert resp.status_code in (200, 404), (name, resp.status_code)
        listing = name.removesuffix("_create") + "_list"
        page = c.get(reverse(listing))
        if page.status_code == 200:
            shows = f'href="{reverse(name)}"' in page.content.decode()
            if shows != opens:
                failures.append(f"{listing}: 新增 shown={shows}, create page opens={opens}")
        if not opens:
            continue
        offered = the_form(resp.content.decode())
        failures += hidden_fields(offered, name)
        edit = name.removesuffix("_create") + "_edit"
        refusals = []
        # a copy of one of the last three rows the persona edits (a chain committee's own org cannot be copied:
        # one chain, one committee — so a refusal with a message is fine as long as one copy saves)
        for obj in view.model.objects.visible_to(user, for_write=True).order_by("-pk")[:3]:
            source = c.get(reverse(edit, args=[obj.pk]))
            if source.status_code != 200:
                continue
            resp = c.post(reverse(name), copy_of(the_form(source.content.decode()), offered, persona))
            if resp.status_code == 302:
                new = view.model.objects.order_by("-pk").first()
                assert new.pk > obj.pk and AuditLog.objects.filter(
                    action=AuditAction.CREATE, object_type=view.model._meta.label_lower, object_id=str(new.pk)
                ).exists(), f"{name}: no audit row for the new row"
                saved.add(name)
                break
            message = errors_of(resp.content.decode())
            if not message:
                failures.append(f"{name} copy of #{obj.pk} → {resp.status_code} with no message to read")
            refusals.append(f"{name} copy of #{obj.pk} → {resp.status_code}: {message}")
        else:
            if refusals and name in ZONE_CREATES and persona == "zone_staff":
                failures += refusals
    assert not failures, "\n".join(failures)
    if persona == "zone_staff":
        assert saved >= ZONE_CREATES, sorted(ZONE_CREATES - saved)


def _natural_key_fields(model) -> set[str]:
    """The fields of the model's unique constraints and unique fields: what makes a row the same row."""
    out = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for c in model._meta.constraints:
        out |= set(getattr(c, "fields", ()) or ())
    return out


def _state(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if not getattr(f, "auto_now", False)}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_create_form_never_overwrites_the_row_whose_natural_key_it_repeats(persona, personas, client_for):
    """新增 with the name (or other natural key) of an existing row and new text elsewhere: a new row, or a
    refusal the user can read — never the existing row edited in place. The services save by natural key (the
    Excel import, the demo), and a zone left off the form once let a create page overwrite a chain."""
    user = personas[persona]
    c = client_for(user)
    failures, checked = [], 0
    for name, view in CREATE:
        resp = c.get(reverse(name))
        if resp.status_code != 200:
            continue
        offered = the_form(resp.content.decode())
        keys = _natural_key_fields(view.model)
        edit = name.removesuffix("_create") + "_edit"
        for obj in view.model.objects.visible_to(user, for_write=True).order_by("pk")[:1]:
            source = c.get(reverse(edit, args=[obj.pk]))
            if source.status_code != 200:
                continue
            original = as_data(the_form(source.content.decode()))
            data = copy_of(the_form(source.content.decode()), offered, persona)
            for field in offered["text"]:  # the natural key as it is, the rest new
                if field in keys and field in original:
                    data[field] = original[field]
            before, count = _state(obj), view.model.objects.count()
            resp = c.post(reverse(name), data)
            obj.refresh_from_db()
            checked += 1
            if _state(obj) != before:
                failures.append(f"{name}: #{obj.pk} was overwritten by a create form ({persona})")
            elif resp.status_code == 302:
                if view.model.objects.count() != count + 1:
                    failures.append(f"{name}: 已保存 but no new row ({persona} → {resp['Location']})")
            elif not errors_of(resp.content.decode()):
                failures.append(f"{name}: {resp.status_code} with no message to read ({persona})")
    assert not failures, "\n".join(failures)
    if persona == "zone_staff":
        assert checked >= len(ZONE_CREATES), checked


# --- from the guarantees registry: each declared writer saves the sample row's form unchanged ----------

def _registry_cases():
    from liantong.core import guarantees

    return [(e, p) for e in guarantees.entries() if e.edit_page for p in sorted(e.writers)]


REGISTRY_CASES = _registry_cases()


def test_every_edit_page_of_the_registry_is_a_generated_case():
    """The registry's edit pages are among the ObjectEditView pages walked above, so the per-persona
    cases cover them."""
    names = {n for n, _ in EDIT}
    assert REGISTRY_CASES and {e.edit_page for e, _ in REGISTRY_CASES} <= names


@pytest.mark.parametrize(("entry", "persona"), REGISTRY_CASES,
                         ids=[f"{e.model}-{p}" for e, p in REGISTRY_CASES])
def test_a_declared_writer_saves_the_registry_row_unchanged(entry, persona, personas, client_for):
    from .registry_rows import sample

    row = sample(entry, personas)
    c = client_for(personas[persona])
    url = reverse(entry.edit_page, kwargs={"pk": row.pk})
    resp = c.get(url)
    assert resp.status_code == 200, f"{persona} cannot open {url}"
    form = the_form(resp.content.decode())
    assert hidden_fields(form, url) == []
    mark = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    resp = c.post(url, as_data(form))
    assert resp.status_code == 302, f"{persona} {url} unchanged → {resp.status_code}: {errors_of(resp.content.decode())}"
    # unchanged, the service has nothing to record: no UPDATE row claims a change that was not made
    claimed = [r.changes for r in AuditLog.objects.filter(
        id__gt=mark, action=AuditAction.UPDATE, object_id=str(row.pk), object_type=row._meta.label_lower)
        if r.changes]
    assert claimed == [], f"{persona} {url}: an unchanged form recorded changes {claimed}"
