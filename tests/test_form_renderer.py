"""The form renderer writes selects out in Python (core/forms.py); what it writes is, character for character,
what Django's own templates give for the same widget."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from liantong.core.forms import FormRenderer, select_html

lazy_text = lazy(lambda s: s, str)

CHOICES = [("", "请选择…"), (1, "甲 & 乙"), ("2", '<b>"引号"</b>'), (3, mark_safe("<i>安全</i>")),
           (4, lazy_text("惰性")), ("x y", "空 格")]
GROUPED = [("", "请选择…"), ("第一组", [(1, "一"), (2, "二")]), ("<组>", [(3, "三")]), (4, "四")]

CASES = {
    "plain": (forms.Select(choices=CHOICES), "1"),
    "nothing chosen": (forms.Select(choices=CHOICES), None),
    "a string value": (forms.Select(choices=CHOICES), "x y"),
    "attributes": (forms.Select(choices=CHOICES, attrs={"class": "form-select", "required": True, "disabled": False,
                                                        "data-x": '"<>&', "aria-describedby": "h"}), "2"),
    "groups": (forms.Select(choices=GROUPED), "3"),
    "several": (forms.SelectMultiple(choices=CHOICES), ["1", "x y"]),
    "several in groups": (forms.SelectMultiple(choices=GROUPED), [2, 4]),
    "yes or no": (forms.NullBooleanSelect(), True),
    "no choices": (forms.Select(choices=[]), None),
}


@pytest.mark.parametrize("case", CASES)
def test_a_select_is_written_out_as_django_s_templates_write_it(case):
    widget, value = CASES[case]
    attrs = {"id": "id_f"}
    assert str(widget.render("f", value, attrs, renderer=FormRenderer())) == str(
        widget.render("f", value, attrs, renderer=DjangoTemplates()))


@pytest.mark.django_db
def test_a_model_choice_over_the_demo_s_firms_is_written_out_as_django_writes_it():
    from liantong.orgs.models import Enterprise

    field = forms.ModelChoiceField(Enterprise.objects.order_by("pk"), empty_label="请选择…")
    pick = Enterprise.objects.order_by("pk").values_list("pk", flat=True)[3]
    ours = field.widget.render("enterprise", pick, {"id": "id_enterprise"}, renderer=FormRenderer())
    django = field.widget.render("enterprise", pick, {"id": "id_enterprise"}, renderer=DjangoTemplates())
    assert ours == django and ours.count("<option") == Enterprise.objects.count() + 1
    assert f'value="{pick}" selected' in ours


def test_an_option_with_a_template_of_its_own_is_left_to_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[(1, "一")])
    assert select_html(widget.get_context("f", 1, {})["widget"]) is None
    assert str(widget.render("f", 1, renderer=FormRenderer())) == str(widget.render("f", 1, renderer=DjangoTemplates()))


def test_the_project_renders_its_forms_with_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
