"""The one form base of every strand: a form that knows its user and carries only what that user can set.

* **Choices in scope.** Every ``ModelChoiceField`` lists only rows the user may see; the fields named in
  ``writable_fks`` (the unit a row belongs to: its firm, department, party org, squad …) only rows the user
  may *write* (``visible_to(user, for_write=True)``). The row's current value stays selectable, so a form
  submitted unchanged never fails on a choice the user did not make.
* **No field the user cannot set.** ``zone`` is never on a form except for a platform admin creating a
  row: everyone else's rows take the zone of the user (new) or keep their own (edit), set server-side.
  Nothing is rendered hidden: a hidden field is one its user cannot set, and its error would be unreadable.
* **Services write.** ``save(actor=…)`` calls the strand's service, which authorises and audits. The form
  validates a *copy* of the edited row, so the service receives the row as stored and its audit row names
  the old and the new values.
* **Every error shows.** ``core/object_form.html`` lists non-field errors and those of any field not shown;
  constraint and Django messages are in Chinese.
* **Who may create.** ``may_create()``: the user may write at least one of the rows a new object can belong
  to (``parents``; ``"zone"`` is the user's zone). The 新增 button and the create page use it, the same
  rule the service applies when it saves.
"""

from __future__ import annotations

import copy

from django import forms
from django.db.models import Q
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from . import dicts
from .models import ScopedQuerySet, Zone
from .services import humane

_SELECT, _OPTION = "django/forms/widgets/select.html", "django/forms/widgets/select_option.html"


def _attrs_html(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return "".join(f" {conditional_escape(k)}" if v is True else f' {conditional_escape(k)}="{conditional_escape(v)}"'
                   for k, v in attrs.items() if v is not False)


def select_html(widget: dict) -> SafeString | None:
    """A ``<select>`` from its widget context, character for character what Django's ``select.html`` and
    ``select_option.html`` give (tests/test_form_renderer.py); None when an option has a template of its own."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option.get("template_name") != _OPTION:
                return None
            out.append(f'\n  <option value="{conditional_escape(option["value"])}"{_attrs_html(option["attrs"])}>'
                       f'{conditional_escape(option["label"])}</option>\n')  # select_option.html ends with one
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))  # every value above is escaped


class FormRenderer(DjangoTemplates):
    """Django's form renderer (``FORM_RENDERER``), except that a select is written out in Python: through the
    template engine each option cost about 30 µs (a 300-firm choice 9 ms; the platform admin's forms list
    every zone's firms), written out about 1 µs."""

    def render(self, template_name, context, request=None):
        if template_name == _SELECT:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (attachments, photos); ``clean`` gives a list. The content is checked by
    the service (``core.files.check_upload``) — type by content, size, extension — not here."""

    def __init__(self, *args, accept: str | None = None, **kwargs):
        attrs = {"class": "form-control"}
        if accept:
            attrs["accept"] = accept
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


EMPTY_CHOICE = "请选择…"


def bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget (selects, checkboxes, the rest), dates as date pickers, and
    “请选择…” instead of Django's “---------” as the empty choice."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
            field.empty_label = EMPTY_CHOICE
        elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, (forms.MultipleChoiceField, forms.ModelChoiceField)):
            # (a model field's choices are its queryset, read when rendered: listing them here read it once
            # more, and its empty choice is ``empty_label``, set above)
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]).strip("-") == "":
                field.choices = [("", EMPTY_CHOICE), *choices[1:]]
        w = field.widget
        if isinstance(field, forms.DateField) and not isinstance(w, forms.HiddenInput):
            field.widget = w = forms.DateInput(attrs={**w.attrs, "type": "date"}, format="%Y-%m-%d")
        if isinstance(w, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, forms.Select):
            w.attrs.setdefault("class", "form-select")
        else:
            w.attrs.setdefault("class", "form-control")


def in_scope(queryset, user, *, for_write: bool, keep=None):
    """``queryset``'s model as ``user`` may see (or write) it, plus the row ``keep`` (the current value)."""
    model = queryset.model
    qs = model.objects.visible_to(user, for_write=for_write)
    keep = [k for k in (keep if isinstance(keep, (list, tuple, set)) else [keep]) if k is not None]
    if keep:
        qs = model.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk__in=keep))
        if isinstance(qs, ScopedQuerySet):
            qs = qs.unscoped("the rows in the user's scope and the edited row's current value, which stays "
                             "selectable so that the row submitted unchanged saves")
    return qs


class ScopedModelForm(forms.ModelForm):
    """A ModelForm that knows its user, narrows every choice to that user's scope, carries no field the
    user cannot set, and saves through a service (subclasses implement ``save``)."""

    writable_fks: dict[str, type] = {}
    parents: tuple[str, ...] = ("zone",)

    def __init__(self, *args, user=None, instance=None, **kwargs):
        # the service gets the row as stored; the form validates (and ModelForm mutates) a copy of it
        self.record = instance if instance is not None and instance.pk else None
        super().__init__(*args, instance=copy.copy(instance) if self.record else instance, **kwargs)
        self.user = user
        for name, field in list(self.fields.items()):
            code = dicts.code_for(self._meta.model, name)
            if code and hasattr(field, "choices") and not isinstance(field, forms.ModelChoiceField):
                current = getattr(self.record, name, "") if self.record else ""
                opts = [(v, lbl) for v, lbl in dicts.choices(code, include_inactive=True)
                        if v == current or dicts.item(code, v)["active"]]
                field.choices = ([] if field.required else [("", "---------")]) + opts
            if isinstance(field, forms.ModelChoiceField) and name != "zone":
                keep = None
                if self.record is not None:
                    keep = (list(getattr(self.record, name).values_list("pk", flat=True))
                            if isinstance(field, forms.ModelMultipleChoiceField)
                            else getattr(self.record, f"{name}_id", None))
                field.queryset = in_scope(field.queryset, user, for_write=name in self.writable_fks, keep=keep)
        self._settle_zone()
        bootstrap(self)

    # --- the zone: set server-side unless a platform admin picks it for a new row ----------------------

    def _settle_zone(self) -> None:
        if "zone" not in self.fields:
            return
        admin = self.user is not None and (self.user.is_superuser or getattr(self.user, "is_platform_admin", False))
        if admin and self.record is None:
            self.fields["zone"].queryset = Zone.objects.visible_to(self.user, for_write=True)
            self.fields["zone"].initial = self.user.zone_id
            return
        del self.fields["zone"]
        if self.record is None and self.user is not None and self.user.zone_id:
            self.instance.zone_id = self.user.zone_id

    @property
    def zone(self):
        """The zone the row belongs to: the admin's choice, the edited row's own, else the user's."""
        cleaned = getattr(self, "cleaned_data", {}) or {}
        if cleaned.get("zone") is not None:
            return cleaned["zone"]
        if self.record is not None and hasattr(self.record, "zone_id"):
            return self.record.zone
        return getattr(self.user, "zone", None)

    def data_for_service(self) -> dict:
        """The cleaned values, with the zone the server settles (when the model has one)."""
        d = dict(self.cleaned_data)
        if any(f.name == "zone" for f in self._meta.model._meta.concrete_fields):
            d["zone"] = self.zone
        return d

    # --- who may create ------------------------------------------------------------------------------

    def may_create(self) -> bool:
        """Whether the user may write at least one row a new object can belong to (``parents``)."""
        if self.user is None:
            return False
        if self.user.is_superuser:
            return True
        for name in self.parents:
            if name == "zone":
                if Zone.objects.visible_to(self.user, for_write=True).exists():
                    return True
                continue
            field = self.fields.get(name) or self.base_fields.get(name)  # (a parent set server-side: its model)
            if field is not None and field.queryset.model.objects.visible_to(self.user, for_write=True).exists():
                return True
        return False

    # --- errors in Chinese, writes through services ---------------------------------------------------

    def _post_clean(self):
        """Django's model validation, its constraint messages in Chinese (no constraint names)."""
        super()._post_clean()
        model = self._meta.model
        for field, errors in list(self._errors.items()):
            texts = [humane(str(e), model) for e in errors]
            if texts != [str(e) for e in errors]:
                self._errors[field] = self.error_class(
                    texts, error_class="nonfield" if field == forms.forms.NON_FIELD_ERRORS else None)

    def save(self, *, actor):
        """Call the strand's service with ``self.record`` (None for a new row) and the cleaned values."""
        raise NotImplementedError(f"{type(self).__name__}.save must call the strand's service")
