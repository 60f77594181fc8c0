"""Generic writes: create, update, delete one object with validation and its audit row.

Apps' services call these (after their own domain rules) so that every write validates the
same way, runs in one transaction and is audited with old and new values.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from typing import Any

from django.core import validators
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction

from . import audit, constraints


class ServiceError(Exception):
    """A refused write or move, with a message in Chinese for the user.

    ``status`` is what the API answers (liantong/api.py turns any uncaught ServiceError into it):
    400 a rule refused the input; subclasses say 403 (the role may not) and 409 (the state or an
    existing row refuses it)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def body(self) -> dict:
        return {"detail": self.message, "field": self.field}


class Forbidden(ServiceError):
    """The user's role does not allow this (API: 403)."""

    status = 403


class Conflict(ServiceError):
    """The object's state, or a row that already exists, refuses it (API: 409)."""

    status = 409


class OutOfScope(ServiceError):
    """The object does not exist or is outside the user's (read or write) scope (API and pages: 404).
    The one scope refusal of the project: services, the state machines (``core.workflow``) and the pages
    raise it; its message says nothing more than “未找到/无权”."""

    status = 404


# --- who may write: services authorise ------------------------------------------------------------------
#
# Decided once (issue 7): the SERVICE authorises every write, not its caller. A page, an API handler, an
# import or a form may check earlier to hide a button or answer sooner, but the service checks again, with
# these two helpers, so no path can skip the rule. ``actor=None`` (the demo, ``gen``, the tick) and
# superusers are system writers and pass.


def is_system(actor) -> bool:
    """System jobs (no actor, or one without a row) and superusers: not limited by roles or scope."""
    return actor is None or not getattr(actor, "pk", None) or bool(getattr(actor, "is_superuser", False))


def require_perm(actor, code: str, message: str = "您无权执行此操作", *, field: str | None = None) -> None:
    """``Forbidden`` (403) unless ``actor`` holds permission ``code`` (or is a system writer)."""
    if not is_system(actor) and not actor.has_perm_code(code):
        raise Forbidden(message, field=field)


def may_write(actor, obj: models.Model | None) -> bool:
    """Whether ``obj`` is in ``actor``'s write scope (``visible_to(actor, for_write=True)``)."""
    if obj is None or is_system(actor):
        return True
    return type(obj).objects.visible_to(actor, for_write=True).filter(pk=obj.pk).exists()


def require_writable(actor, obj: models.Model | None, message: str | None = None, *,
                     field: str | None = None) -> None:
    """Refuse unless ``obj`` is in ``actor``'s write scope: ``OutOfScope`` (404) for the row being written;
    with ``field`` — a unit the user *chose* (the firm, the department, the parent org) — a 400 on that
    field, since the input is at fault, like any choice that is not on offer."""
    if not may_write(actor, obj):
        if field is not None:
            raise ServiceError(message or f"只能选择您可以管理的{obj._meta.verbose_name}", field=field)
        raise OutOfScope(message or f"未找到该{obj._meta.verbose_name}，或您无权修改")


def constraint_messages(model: type[models.Model]) -> dict[str, str]:
    """Chinese text for each constraint of ``model`` whose Django message would name the constraint
    (a conditional unique or a check constraint without ``violation_error_message``): the model's
    ``constraint_messages`` (a plain class attribute, so no migration) or a generic sentence built from
    the verbose names. Constraint names stay internal."""
    own = getattr(model, "constraint_messages", {})
    out = {}
    verbose = str(model._meta.verbose_name)
    for c in model._meta.constraints:
        if c.violation_error_message != c.default_violation_error_message and c.name not in own:
            continue  # its own (Chinese) message
        text = own.get(c.name)
        if text is None and isinstance(c, models.UniqueConstraint) and c.fields:
            names = []
            for f in c.fields:
                with contextlib.suppress(FieldDoesNotExist):
                    names.append(str(model._meta.get_field(f).verbose_name))
            text = f"已有{'、'.join(names)}相同的{verbose}" if names else None
        out[c.name] = text or f"{verbose}的填写内容不符合规则，请检查后重试"
    return out


def humane(message: str, model: type[models.Model] | None) -> str:
    """``message`` with a constraint's internal wording replaced by its Chinese text."""
    if model is None:
        return message
    for name, text in constraint_messages(model).items():
        if name in message:
            return text
    return message


def validation_message(exc: ValidationError, model: type[models.Model] | None = None) -> str:
    if hasattr(exc, "message_dict"):
        parts = []
        for field, msgs in exc.message_dict.items():
            name = field
            if model is not None and field != "__all__":
                with contextlib.suppress(FieldDoesNotExist):
                    name = str(model._meta.get_field(field).verbose_name)
            parts.append(("" if field == "__all__" else f"{name}：") + "；".join(humane(m, model) for m in msgs))
        return "；".join(parts)
    return "；".join(humane(m, model) for m in exc.messages)


def _clean(obj: models.Model, exclude: list[str] | None = None) -> None:
    """full_clean(), except that
    * a relation given as a loaded instance is known to exist, so its per-field existence query is skipped;
    * check constraints are decided in Python where their condition allows (core/constraints.py);
    * unique constraints (a query each) are left to the database when nothing else is wrong: the insert or
      update refuses a duplicate, and ``_save`` then asks them to name it. When something else is wrong they
      are validated here too, so that every error is reported at once."""
    exclude = list(exclude or [])
    loaded = [f.name for f in obj._meta.concrete_fields
              if f.is_relation and f.is_cached(obj) and getattr(obj, f.name) is not None]
    errors: dict = {}
    steps = (lambda: obj.clean_fields(exclude=exclude + loaded), obj.clean,
             lambda: obj.validate_unique(exclude=exclude),
             lambda: constraints.validate_constraints(obj, exclude, unique=bool(errors)))
    for step in steps:
        try:
            step()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ServiceError(validation_message(ValidationError(errors), obj.__class__))


_EXACT_TYPES = {models.CharField: str, models.TextField: str, models.DateField: datetime.date,
                models.DateTimeField: datetime.datetime, models.BooleanField: bool}


def _field_test(f) -> Callable[[Any], bool] | None:
    """One field's part of ``field_check``: ``None`` when the field is of a kind it does not know."""
    kind = _EXACT_TYPES.get(type(f))
    limit, no_nul = None, False
    for v in f.validators:
        if type(v) is validators.MaxLengthValidator:
            limit = v.limit_value
        elif type(v) is validators.ProhibitNullCharactersValidator:
            no_nul = True
        else:
            return None
    if kind is None or f.generated:
        return None
    keys = None
    if f.editable and f.choices is not None:
        if any(isinstance(label, (list, tuple)) for _, label in f.choices):
            return None
        keys = {k for k, _ in f.choices}
    empty, blank, editable = f.empty_values, f.blank, f.editable

    def test(value) -> bool:
        if blank and value in empty:
            return True
        if value is None:
            return False  # not null: Django says so (its message)
        if not isinstance(value, kind) or (kind is datetime.date and isinstance(value, datetime.datetime)):
            return False
        if editable and ((keys is not None and value not in keys) or (not blank and value in empty)):
            return False
        return (limit is None or len(value) <= limit) and not (no_nul and "\x00" in value)

    return test


def field_check(model: type[models.Model], exclude: list[str]) -> Callable[[dict], bool]:
    """A fast stand-in for ``clean_fields`` + ``clean`` on rows given as ``{attname: value}`` (bulk imports:
    a model instance and ``clean_fields`` cost ~200 µs a row). True only when ``clean_fields(exclude)``
    surely passes — strings, dates, datetimes and booleans of the exact types, lengths, choices, blank, null and
    NUL characters, as Django checks them; for anything else (an unknown field kind or validator, a model
    with its own ``clean``, a value of another type) it answers False and the caller runs the real
    ``clean_fields`` on an instance, which gives the message (or passes after all)."""
    tests = []
    for f in model._meta.fields:
        if f.name in exclude:
            continue
        test = _field_test(f)
        if test is None or model.clean is not models.Model.clean:
            return lambda values: False
        tests.append((f.attname, test))

    def check(values: dict) -> bool:
        return all(test(values[name]) for name, test in tests)

    return check


def _save(obj: models.Model, exclude: list[str] | None = None) -> None:
    """Save ``obj``; a row the database refuses is a ``ServiceError`` naming the unique constraint it breaks
    (validated now, after the refusal: ``_clean``), or saying that it exists or refers to nothing."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        try:
            constraints.validate_constraints(obj, exclude)
        except ValidationError as named:
            raise ServiceError(validation_message(named, obj.__class__)) from exc
        raise ServiceError(f"数据冲突，未保存：{obj._meta.verbose_name}已存在或引用无效") from exc


@transaction.atomic
def create(model: type[models.Model], *, actor, clean_exclude: list[str] | None = None, **fields):
    obj = model(**fields)
    _clean(obj, clean_exclude)
    _save(obj, clean_exclude)
    audit.record(actor, audit.AuditAction.CREATE, obj, changes={"new": audit.snapshot(obj)})
    return obj


@transaction.atomic
def update(obj: models.Model, *, actor, clean_exclude: list[str] | None = None, **fields):
    """Save ``fields`` on ``obj`` and audit what really changed. The demo mark (``is_demo``) is set when a
    row is created and never by an edit (a form does not carry it); ``auto_now`` stamps are not changes."""
    if "is_demo" in fields and getattr(obj, "pk", None):
        fields.pop("is_demo")
    old = audit.snapshot(obj)
    for k, v in fields.items():
        setattr(obj, k, v)
    _clean(obj, clean_exclude)
    _save(obj, clean_exclude)
    stamps = {f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)}
    changes = {k: v for k, v in audit.diff(old, audit.snapshot(obj)).items() if k not in stamps}
    if changes:
        audit.record(actor, audit.AuditAction.UPDATE, obj, changes=changes)
    return obj


@transaction.atomic
def delete(obj: models.Model, *, actor) -> None:
    snap = audit.snapshot(obj)
    audit.record(actor, audit.AuditAction.DELETE, obj, changes={"old": snap})
    try:
        with transaction.atomic():
            obj.delete()
    except models.ProtectedError as exc:
        raise ServiceError(f"{obj._meta.verbose_name}“{obj}”仍被其他记录引用，不能删除") from exc
