"""Admin-editable dictionaries (kinds, categories, statuses with badge colours).

Code declares each dictionary's default items once (``register``); ``ensure_dicts`` writes the
missing ones; admins may then relabel, recolour, reorder or add items. Forms, filters, templates
and Excel all read labels through ``label``/``choices`` here.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import models

_DEFAULTS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {}
_BINDINGS: dict[tuple[str, str], str] = {}  # (model label, field name) -> dictionary code
_CACHE_KEY = "liantong:dicts:v1"


def register(code: str, name: str, items) -> None:
    """Declare a dictionary. ``items`` is a TextChoices class or ``[(value, label, colour)]``."""
    if isinstance(items, type) and issubclass(items, models.Choices):
        items = [(v, str(lbl), "secondary") for v, lbl in items.choices]
    _DEFAULTS[code] = (name, [(v, str(lbl), c) for v, lbl, c in items])


def bind(model_label: str, field: str, code: str) -> None:
    """Say that ``model_label.field`` takes its labels, order and colours from dictionary ``code``:
    forms offer ``choices(code)``, tables show ``label``/``colour``, Excel reads and writes labels."""
    _BINDINGS[(model_label.lower(), field)] = code


def code_for(model, field: str) -> str | None:
    return _BINDINGS.get((model._meta.label_lower, field))


def code_guess(model, field: str) -> str | None:
    """The dictionary a field's values most likely come from, for showing old values (the logs): its
    binding, else a dictionary named after the field (``urgency``) or after the model and the field
    (``project_status`` for ``ActionProject.status``, ``booking_state`` for ``Booking.state``)."""
    code = code_for(model, field)
    if code:
        return code
    if field in _DEFAULTS:
        return field
    name = model._meta.model_name
    for code in _DEFAULTS:
        if code.endswith("_" + field) and code[: -len(field) - 1] in name:
            return code
    return None


def ensure_dicts() -> int:
    """Create missing dictionaries and items; never overwrite what an admin changed."""
    from .models import DictItem, DictType

    created = 0
    for code, (name, items) in _DEFAULTS.items():
        dt, _ = DictType.objects.get_or_create(code=code, defaults={"name": name})
        have = set(dt.items.values_list("value", flat=True))
        new = [
            DictItem(dict_type=dt, value=v, label=lbl, colour=c, sort=i)
            for i, (v, lbl, c) in enumerate(items)
            if v not in have
        ]
        DictItem.objects.bulk_create(new)
        created += len(new)
    invalidate()
    return created


_LOCAL: dict = {"data": None, "at": 0.0}
_LOCAL_TTL = 2.0  # seconds: a list page asks ~80 times; each shared-cache get unpickles every dictionary


def invalidate() -> None:
    _LOCAL["data"] = None
    cache.delete(_CACHE_KEY)


def _all() -> dict[str, list[dict]]:
    now = time.monotonic()
    if _LOCAL["data"] is not None and now - _LOCAL["at"] < _LOCAL_TTL:
        return _LOCAL["data"]
    data = _shared()
    _LOCAL["data"], _LOCAL["at"] = data, now
    return data


def _shared() -> dict[str, list[dict]]:
    data = cache.get(_CACHE_KEY)
    if data is None:
        from .models import DictItem

        data = {}
        try:
            rows = DictItem.objects.select_related("dict_type").order_by("dict_type__code", "sort", "id")
            for it in rows:
                data.setdefault(it.dict_type.code, []).append(
                    {"value": it.value, "label": it.label, "colour": it.colour, "active": it.active,
                     "extra": it.extra}
                )
        except Exception:  # tables not migrated yet
            data = {}
        for code, (_, items) in _DEFAULTS.items():
            if code not in data:
                data[code] = [{"value": v, "label": lbl, "colour": c, "active": True, "extra": {}}
                              for v, lbl, c in items]
        cache.set(_CACHE_KEY, data, 300)
    return data


def items(code: str) -> list[dict]:
    return _all().get(code, [])


def choices(code: str, *, include_inactive: bool = False) -> list[tuple[str, str]]:
    return [(i["value"], i["label"]) for i in items(code) if include_inactive or i["active"]]


def item(code: str, value) -> dict | None:
    value = "" if value is None else str(value)
    for i in items(code):
        if i["value"] == value:
            return i
    return None


def label(code: str, value) -> str:
    it = item(code, value)
    return it["label"] if it else ("" if value is None else str(value))


def colour(code: str, value) -> str:
    it = item(code, value)
    return it["colour"] if it else "secondary"


def value_for_label(code: str, text: str) -> str | None:
    """Reverse look-up for imports: a label (or the code itself) to the code."""
    text = (text or "").strip()
    for i in items(code):
        if text in (i["label"], i["value"]):
            return i["value"]
    return None


EDIT_PERM = "core.dicts"  # platform administrators: relabel, recolour, reorder, (de)activate, add items
VIEW_PERM = "core.dicts_view"  # zone administrators: read the dictionaries


def can_view(user) -> bool:
    return user.has_perm_code(VIEW_PERM) or user.has_perm_code(EDIT_PERM)


def save_item(item, *, actor, label: str, colour: str, sort: int, active: bool, dict_type=None, value: str = ""):
    """Edit one dictionary item (``item``), or add ``value`` to ``dict_type`` (``item`` None): audited,
    and every page sees the change at once. Only those holding ``core.dicts`` may."""
    from .models import BadgeColour, DictItem
    from .services import Forbidden, ServiceError, create, update

    if actor is not None and not actor.has_perm_code(EDIT_PERM):
        raise Forbidden("只有平台管理员可以修改数据字典")
    label = (label or "").strip()
    if not label:
        raise ServiceError("标签不能为空", field="label")
    if len(label) > 60:
        raise ServiceError("标签最多 60 个字符", field="label")
    if colour not in BadgeColour.values:
        raise ServiceError("颜色须从列表中选择", field="colour")
    if not 0 <= sort <= 9999:
        raise ServiceError("排序须为 0 到 9999 之间的整数", field="sort")
    fields = {"label": label, "colour": colour, "sort": sort, "active": active}
    if item is None:
        value = (value or "").strip()
        if not value:
            raise ServiceError("键值不能为空", field="value")
        if len(value) > 60:
            raise ServiceError("键值最多 60 个字符", field="value")
        if DictItem.objects.filter(dict_type=dict_type, value=value).exists():
            raise ServiceError(f"该字典已有键值“{value}”", field="value")
        saved = create(DictItem, actor=actor, dict_type=dict_type, value=value, **fields)
    else:
        saved = update(item, actor=actor, **fields)
    invalidate()
    return saved
