"""Reading lists: every parameter checked at the edge, one page shape for the API.

A list's query string is user input like a form's body. Each parameter is parsed here, before any
query runs, into the type its model field holds — an id is a whole number from 1 to 2**63−1 (past that
PostgreSQL's BIGINT ends and SQLite's driver raises ``OverflowError``), a dictionary value must be one
of the dictionary's, a flag ``true``/``false``, a page a positive whole number. A value that does not
parse is refused with a Chinese message naming the parameter: 400 on a page, 422 in the API. Nothing
malformed reaches the database, so nothing malformed can answer 500.

API lists answer one page shape, ``CappedPage``: ``{items, count, capped}``, counting at most
``CAP`` rows like the pages do (``count`` is then ``CAP`` and ``capped`` true).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, create_model

from . import dicts, textsearch

MAX_ID = 2**63 - 1  # the largest BIGINT (PostgreSQL) / INTEGER (SQLite)
CAP = 10_000  # lists count at most this many rows (core.views_generic.CappedPaginator, CappedPage)

# API parameter types: pydantic answers 422 outside the range, in Chinese (liantong/api.py)
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="编号（正整数）")]
PageNumber = Annotated[int, Field(ge=1, le=MAX_ID, description="页码，从 1 开始")]
PageSize = Annotated[int, Field(ge=1, le=200, description="每页条数，1–200")]
Year = Annotated[int, Field(ge=1900, le=2100, description="年份")]
SearchText = Annotated[str, Field(max_length=100, description="检索词")]


def DictValue(code: str, label: str):  # noqa: N802 — used like a type: ``category: DictValue("…", "类别") | None``
    """A value of dictionary ``code``, checked at request time (administrators may add values): 422 otherwise."""

    def check(value: str) -> str:
        if value not in {v for v, _ in dicts.choices(code, include_inactive=True)}:
            raise ValueError(f"{label}取值无效")
        return value

    return Annotated[str, AfterValidator(check), Field(description=f"{label}（数据字典 {code} 的取值）")]


class BadParameter(ValueError):
    """A query-string value that does not parse: 400 on a page, 422 in the API, said in Chinese."""

    def __init__(self, name: str, label: str, problem: str):
        self.name, self.label, self.problem = name, label, problem
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"参数“{self.label}”（{self.name}）{self.problem}"


# --- parsing one value ------------------------------------------------------------------------------------

INT, BOOL, DATE, CHOICE, TEXT = "int", "bool", "date", "choice", "text"
_INT_TRANSFORMS = {"year": (1900, 2100), "month": (1, 12), "day": (1, 31), "week_day": (1, 7), "quarter": (1, 4)}
_LOOKUPS = {"in", "exact", "iexact", "gte", "lte", "gt", "lt", "isnull", "startswith", "istartswith",
            "contains", "icontains"}


def parse_int(name: str, label: str, raw: str, *, low: int = 1, high: int = MAX_ID) -> int:
    text = raw.strip()
    if not text.lstrip("-").isdigit() or len(text) > 20:
        raise BadParameter(name, label, "应为整数")
    value = int(text)
    if value < low:
        raise BadParameter(name, label, f"不能小于 {low}")
    if value > high:
        raise BadParameter(name, label, f"不能大于 {high}")
    return value


def parse_bool(name: str, label: str, raw: str) -> bool:
    text = raw.strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise BadParameter(name, label, "应为 true 或 false")


def parse_date(name: str, label: str, raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise BadParameter(name, label, "应为日期（YYYY-MM-DD）") from None


def field_kind(model, lookup: str) -> tuple[str, Any]:
    """What the end of ``lookup`` holds on ``model``: (INT, (low, high)), (BOOL, None), (DATE, None),
    (CHOICE, {values}) for a field with choices, else (TEXT, None). A relation is compared by its id; a
    name that is no field (an annotation) is text, checked against the filter's choices."""
    parts = lookup.split("__")
    if parts[-1] == "isnull":  # ``?unread=true`` → ``read_at__isnull=True``
        return BOOL, None
    if parts[-1] in _LOOKUPS:
        parts.pop()
    field = None
    for part in parts:
        if field is not None and not field.is_relation:  # a transform of the field before: __year, __date
            if part in _INT_TRANSFORMS:
                return INT, _INT_TRANSFORMS[part]
            return (DATE, None) if part == "date" else (TEXT, None)
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return TEXT, None
        if field.is_relation:
            model = field.related_model
    if field.is_relation or isinstance(field, models.AutoField | models.BigAutoField):
        return INT, (1, MAX_ID)
    if isinstance(field, models.BooleanField):
        return BOOL, None
    if isinstance(field, models.IntegerField):
        low = 0 if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField) else 1
        return INT, (low, MAX_ID)
    if isinstance(field, models.DateField):
        return DATE, None
    if field.choices:
        return CHOICE, {str(v) for v, _ in field.flatchoices}
    return TEXT, None


def parse_value(name: str, label: str, raw: str, kind: str, detail: Any = None):
    if kind == INT:
        low, high = detail or (1, MAX_ID)
        return parse_int(name, label, raw, low=low, high=high)
    if kind == BOOL:
        return parse_bool(name, label, raw)
    if kind == DATE:
        return parse_date(name, label, raw)
    if kind == CHOICE:
        if raw not in detail:
            raise BadParameter(name, label, "取值无效")
        return raw
    if len(raw) > 100:
        raise BadParameter(name, label, "过长（最多 100 个字符）")
    return raw.replace("\x00", "")


# --- the API's page ---------------------------------------------------------------------------------------


class Error(Schema):
    """Every refusal of the API: a Chinese ``detail`` and the field at fault, when one is."""

    detail: str
    field: str | None = None


class CappedPage(PageNumberPagination):
    """``?page=&page_size=`` (1–200), answering ``{items, count, capped}``: ``count`` stops at ``CAP``
    (the same capped count as the list pages; a full COUNT over a province table costs 100+ ms)."""

    class Input(Schema):
        page: PageNumber = 1
        page_size: PageSize = 20

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description=f"条数，至多 {CAP}")
        capped: bool = Field(False, description=f"为 true 时实际条数超过 {CAP}")

    def paginate_queryset(self, queryset, pagination: Input, **params):
        offset = (pagination.page - 1) * pagination.page_size
        if offset > MAX_ID - pagination.page_size:
            items = []
        else:
            items = list(queryset[offset:offset + pagination.page_size])
        count, capped = capped_count(queryset)
        return {"items": items, "count": count, "capped": capped}


def capped_count(queryset, cap: int = CAP) -> tuple[int, bool]:
    """(count, capped): ``SELECT COUNT(*) FROM (… LIMIT cap+1)`` with the ordering dropped."""
    if hasattr(queryset, "order_by"):
        n = queryset.order_by()[: cap + 1].count()
    elif hasattr(queryset, "capped_count"):
        return queryset.capped_count(cap)
    else:
        n = len(queryset)
    return min(n, cap), n > cap


# --- one read declaration per list ------------------------------------------------------------------------


@dataclass
class Listing:
    """How a list is read — declared once, used by its page (``ObjectListView``), its API endpoint
    (``Listing.endpoint``) and its Excel export alike: the scoped rows, the filters (``core.tables.Filter``),
    the search (the token index of ``core.textsearch`` when the model has one over ``search_fields``, else
    ``icontains``; or the list's own ``search``), the orderings a reader may pick, and the capped count.

    ``parse`` turns a query string into typed values or raises ``BadParameter``; ``queryset`` applies them.
    """

    model: type
    filters: Sequence[Any] = ()
    search_fields: Sequence[str] = ()
    ordering: str | Sequence[str] = "-id"
    sorts: Sequence[str] = ()  # the fields a reader may sort by (``?sort=name`` / ``?sort=-name``)
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()
    extra_params: Sequence[Any] = ()  # parameters the caller applies itself (parsed, not applied here)
    search: Callable[[Any, str], Any] | None = None  # a list's own search (the listing hall's concepts)
    base: Callable[[Any], Any] | None = None  # the scoped rows; default ``model.objects.visible_to(user)``

    def parse(self, query, user) -> dict:
        """``query`` (a QueryDict or dict) parsed: every filter and extra parameter, ``q``, ``sort``, ``page``."""
        out = {f.name: f.clean(self.model, query.get(f.name), user) for f in [*self.filters, *self.extra_params]}
        raw_page = (query.get("page") or "").strip()
        out["page"] = parse_int("page", "页码", raw_page) if raw_page else 1
        sort = (query.get("sort") or "").strip()
        if sort and sort.lstrip("-") not in self.sorts:
            raise BadParameter("sort", "排序", "取值无效" + (f"，可选 {'、'.join(self.sorts)}" if self.sorts else ""))
        out["sort"] = sort
        out["q"] = (query.get("q") or "").replace("\x00", "").strip()[:100]  # (PostgreSQL refuses NUL in text)
        return out

    def rows(self, user):
        qs = self.base(user) if self.base is not None else self.model.objects.visible_to(user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs.prefetch_related(*self.prefetch_related) if self.prefetch_related else qs

    def queryset(self, user, params: dict, *, rows=None):
        """The scoped rows (``rows``, else ``rows(user)``) filtered, searched and ordered by ``params``."""
        qs = self.rows(user) if rows is None else rows
        for f in self.filters:
            value = params.get(f.name)
            if value is not None:
                qs = f.apply(qs, value, user) if getattr(f, "apply", None) else qs.filter(**{f.lookup: value})
        q = params.get("q")
        if q:
            qs = self.search_rows(qs, q)
        sort = params.get("sort")
        if sort:
            return qs.order_by(sort, "-id")
        return qs.order_by(*([self.ordering] if isinstance(self.ordering, str) else self.ordering))

    def search_rows(self, qs, q: str):
        if self.search is not None:
            return self.search(qs, q)
        if self.uses_text_index():
            return textsearch.search(qs, q, self.search_fields)
        if not self.search_fields:
            return qs
        cond = Q()
        for f in self.search_fields:
            cond |= Q(**{f"{f}__icontains": q})
        return qs.filter(cond)

    def uses_text_index(self) -> bool:
        """The model's token index covers every searched field (``docs/search.md``)."""
        return (textsearch.is_searchable(self.model) and bool(self.search_fields)
                and set(self.search_fields) <= set(self.model.search_sources))

    def read(self, request):
        """The API's rows: the request's query string parsed (``BadParameter`` → 422) and applied."""
        return self.queryset(request.user, self.parse(request.GET, request.user))

    def query_schema(self, name: str) -> type[Schema]:
        """The API's query parameters as a schema, for the documentation and for pydantic's first check (the
        same ``parse`` runs after it): ids are ``Id``, flags ``bool``, dates ``date``, the rest text."""
        fields: dict[str, Any] = {}
        for f in [*self.filters, *self.extra_params]:
            kind = field_kind(self.model, f.lookup)[0] if f.lookup else TEXT
            if isinstance(f.choices, str):
                kind = CHOICE
            many = f.lookup.endswith("__in")
            typ = {INT: Id, BOOL: bool, DATE: datetime.date}.get(kind, str) if not many else str
            desc = f.label + ("（可逗号分隔多个）" if many else "")
            if isinstance(f.choices, str):  # (not listed here: the schema is built at import, before the database)
                desc += f"（数据字典 {f.choices} 的取值）"
            fields[f.name] = (typ | None, Field(None, description=desc))
        if self.search_fields or self.search is not None:
            fields["q"] = (SearchText | None, Field(None, description="检索词"))
        if self.sorts:
            fields["sort"] = (str | None, Field(None, description="排序：" + "、".join(self.sorts) + "（前加 - 为倒序）"))
        return create_model(name, __base__=Schema, **fields)
