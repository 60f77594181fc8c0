"""Template tags used everywhere: dictionary badges, masking, query-string helpers."""

from decimal import Decimal, InvalidOperation

from django import template
from django.template.base import render_value_in_context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from liantong import navigation
from liantong.core import dicts

register = template.Library()


@register.simple_tag
def main_menu(menu):
    """The menu bar's groups (navigation.render_menu)."""
    return navigation.render_menu(menu or [])


_DEMO_BADGE = ' <span class="badge badge-demo" title="虚构的演示数据">演示</span>'


@register.simple_tag(takes_context=True)
def table_rows(context, rows, columns):
    """A list's rows, ``<tr>`` by ``<tr>`` (core/_table.html): each cell rendered as ``{{ cell }}`` would be
    (``render_value_in_context``: localised, escaped unless safe), labelled with its column's title for the
    phone layout, the first cell of a demo row badged. Written out here rather than as a template loop: over a
    page of rows the loop cost a few milliseconds, on every list page."""
    titles = [render_value_in_context(c.title, context) for c in columns]
    out = []
    for obj, cells in rows:
        tds = "".join(
            f'<td data-label="{titles[i] if i < len(titles) else ""}">{render_value_in_context(cell, context)}'
            f'{_DEMO_BADGE if i == 0 and getattr(obj, "is_demo", False) else ""}</td>'
            for i, cell in enumerate(cells))
        out.append(f"\n    <tr>{tds}</tr>\n  ")
    return mark_safe("".join(out))  # every value above went through render_value_in_context


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



@register.simple_tag
def page_window(page, around: int = 2) -> list:
    """The page numbers a pager shows: the first, the last, ``around`` either side of the current page,
    and None where numbers are skipped (shown as …)."""
    last, here = page.paginator.num_pages, page.number
    keep = {1, last} | set(range(max(1, here - around), min(last, here + around) + 1))
    out, prev = [], 0
    for n in sorted(keep):
        if n - prev > 1:
            out.append(None)
        out.append(n)
        prev = n
    return out


@register.simple_tag(takes_context=True)
def hidden_params(context, *skip):
    """The current query string as hidden inputs, except ``skip`` (the page jump keeps the filters)."""
    q = context["request"].GET
    return format_html_join("", '<input type="hidden" name="{}" value="{}">',
                            ((k, v) for k in q for v in q.getlist(k) if k not in skip))


@register.filter
def wan(value, digits: int = 2):
    """An amount in 万元, one way everywhere: thousands separated, ``digits`` decimals, “—” when unknown."""
    if value in (None, ""):
        return "—"
    try:
        return f"{Decimal(str(value)):,.{int(digits)}f}"
    except (InvalidOperation, ValueError):
        return value


@register.filter
def pct(value, digits: int = 1):
    """A rate in percent (the value already in percent, 0–100), one way everywhere: “87.5%”, “—” when
    unknown (no orders yet)."""
    if value in (None, ""):
        return "—"
    try:
        return f"{Decimal(str(value)):.{int(digits)}f}%"
    except (InvalidOperation, ValueError):
        return value
