"""Template tags used everywhere: dictionary badges, masking, query-string helpers."""

from django import template
from django.utils.html import format_html

from liantong.core import dicts

register = template.Library()


@register.simple_tag
def dict_badge(code, value):
    """A Bootstrap badge with the dictionary label and colour of ``value``."""
    if value in (None, ""):
        return ""
    return format_html('<span class="badge text-bg-{}">{}</span>', dicts.colour(code, value), dicts.label(code, value))


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    q = context["request"].GET.copy()
    for k, v in kwargs.items():
        if v in (None, ""):
            q.pop(k, None)
        else:
            q[k] = v
    return q.urlencode()

