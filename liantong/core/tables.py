"""Columns of list pages, declared once per model (``tables.py`` in each app)."""

from __future__ import annotations

import datetime
import decimal
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from . import dicts, lists


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

    def export_value(self, obj):
        """What the cell shows, as a plain spreadsheet value: dictionary labels, 是/否, text without markup,
        dates and local times without a time zone (Excel has none)."""
        if self.render is not None:
            return html.unescape(strip_tags(str(self.render(obj)))).strip()
        v = self.value(obj)
        if self.dict_code:
            return "" if v in (None, "") else dicts.label(self.dict_code, v)
        if isinstance(v, bool):
            return "是" if v else "否"
        if isinstance(v, datetime.datetime):
            return timezone.localtime(v).replace(tzinfo=None) if timezone.is_aware(v) else v
        if v is None or isinstance(v, int | float | decimal.Decimal | datetime.date):
            return "" if v is None else v
        return str(v)

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
        if isinstance(v, datetime.datetime):  # one date-time and one date format everywhere (docs/ui.md)
            v = (timezone.localtime(v) if timezone.is_aware(v) else v).strftime("%Y-%m-%d %H:%M")
        elif isinstance(v, datetime.date):
            v = v.strftime("%Y-%m-%d")
        text = "" if v is None else v
        if self.link:
            return format_html('<a href="{}">{}</a>', reverse(self.link, args=[obj.pk]), text)
        return text


def sorts(columns: list[Column]) -> list[str]:
    """The fields a list may be sorted by: its sortable columns'."""
    return [c.order for c in columns if c.order]


def flag(user) -> list[tuple[str, str]]:
    """The choices of an on/off parameter such as ``?overdue=1``."""
    return [("1", "是"), ("0", "否")]


@dataclass(frozen=True)
class Filter:
    """A filter of a list: a GET parameter, its label, the ORM lookup, and its choices.

    ``clean`` parses the raw value into what the lookup's field holds (``core.lists``) or raises
    ``BadParameter``; a lookup ending in ``__in`` takes a comma-separated list. An empty ``lookup`` is a
    parameter the view applies itself (``?overdue=1``): it is still parsed, against its choices.
    """

    name: str
    label: str
    lookup: str
    choices: Callable[[Any], list[tuple[Any, str]]] | str | None = None  # str: a dictionary code
    apply: Callable[[Any, Any, Any], Any] | None = None  # (rows, value, user) -> rows, when a lookup is not enough
    default: str | None = None  # the value when the parameter is absent (the board: open cards only)

    def clean(self, model, raw: str | None, user):
        """The parsed value (a list for ``__in``), or None when the parameter is absent or empty (then the
        ``default``, when the filter has one)."""
        raw = (raw or "").strip() or (self.default or "")
        if not raw:
            return None
        kind, detail = lists.field_kind(model, self.lookup) if self.lookup else (lists.TEXT, None)
        if isinstance(self.choices, str):  # a dictionary: its values, the retired ones too
            kind, detail = lists.CHOICE, {v for v, _ in dicts.choices(self.choices, include_inactive=True)}
        elif kind not in (lists.INT, lists.BOOL, lists.DATE) and self.choices is not None:
            # an offered choice may itself be a list ("办理中" = every open state)
            kind, detail = lists.CHOICE, {part for v, _ in self.choices(user) for part in str(v).split(",")}
        if self.lookup.endswith("__in"):
            values = [v.strip() for v in raw.split(",") if v.strip()]
            if len(values) > 50:
                raise lists.BadParameter(self.name, self.label, "取值过多（最多 50 个）")
            return [lists.parse_value(self.name, self.label, v, kind, detail) for v in values]
        return lists.parse_value(self.name, self.label, raw, kind, detail)

    def options(self, user) -> list[tuple[Any, str]]:
        if self.choices is None:
            return []
        if isinstance(self.choices, str):
            return dicts.choices(self.choices)
        return self.choices(user)


# What a spreadsheet reads as the start of a formula (=, +, -, @) or hides in front of one (tab, CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def append_row(ws, values) -> None:
    """Append one row to an export sheet, text kept as text: a string that starts like a formula (a listing
    titled ``=HYPERLINK(...)``) is written as a text cell with Excel's quote prefix, never as a formula —
    the value reads back unchanged, so an export can still be re-imported. Every export goes through
    here (list columns, import-spec exports, the CLI's ``export``)."""
    row = []
    for value in values:
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell = Cell(ws, value=value)
            cell.data_type = "s"  # openpyxl made it "f" for a leading "="
            cell.quotePrefix = True
            value = cell
        row.append(value)
    ws.append(row)


def write_columns(title: str, columns: list[Column], rows) -> bytes:
    """A workbook of exactly what a list page shows: its column titles, then one row per object (the
    export of a list without an import ``Spec``)."""
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "、", title)[:31] or "列表"  # Excel refuses these in a sheet name
    ws.append([c.title for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for obj in rows:
        append_row(ws, [c.export_value(obj) for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
