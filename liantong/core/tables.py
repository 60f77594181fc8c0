"""Columns of list pages, declared once per model (``tables.py`` in each app)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.html import format_html

from . import dicts


@dataclass(frozen=True)
class Column:
    title: str
    accessor: str  # dotted attribute path, e.g. "zone.name"
    dict_code: str | None = None  # render as a dictionary badge
    link: str | None = None  # URL name taking the row's pk: the cell links to the row
    render: Callable[[Any], Any] | None = None
    order: str | None = None  # the ORM field to sort by, when sortable

    def value(self, obj):
        v = obj
        for part in self.accessor.split("."):
            v = getattr(v, part, None) if v is not None else None
            if callable(v) and not hasattr(v, "all"):
                v = v()
        return v

    def cell(self, obj):
        if self.render is not None:
            return self.render(obj)
        v = self.value(obj)
        if self.dict_code:
            if v in (None, ""):
                return ""
            return format_html('<span class="badge text-bg-{}">{}</span>', dicts.colour(self.dict_code, v),
                               dicts.label(self.dict_code, v))
        if isinstance(v, bool):
            return "是" if v else "否"
        text = "" if v is None else v
        if self.link:
            return format_html('<a href="{}">{}</a>', reverse(self.link, args=[obj.pk]), text)
        return text


@dataclass(frozen=True)
class Filter:
    """A filter of a list page: a GET parameter, its label, the ORM lookup, and its choices."""

    name: str
    label: str
    lookup: str
    choices: Callable[[Any], list[tuple[Any, str]]] | str | None = None  # str: a dictionary code

    def options(self, user) -> list[tuple[Any, str]]:
        if self.choices is None:
            return []
        if isinstance(self.choices, str):
            return dicts.choices(self.choices)
        return self.choices(user)
