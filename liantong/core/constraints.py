"""Check constraints validated in Python where their condition allows it.

Django validates a ``CheckConstraint`` by asking the database (``Q.check``: a savepoint, a ``SELECT 1 WHERE
…`` and a release, three statements per constraint per write). Our conditions are all of one simple shape —
``isnull``, ``exact`` and the four comparisons between a field and a constant or another field (``F``), joined
by AND, OR and NOT — and a row's values are at hand, so ``evaluate`` decides them in Python with SQL's
three-valued logic (a comparison with NULL is unknown, and a check that comes out unknown passes, as
``Coalesce(condition, True)`` does in Django). Anything else — another lookup, an expression, a value whose type
is not plainly comparable with the other side — answers ``UNDECIDED`` and the database decides as before;
``tests/test_constraints.py`` compares both ways on every constraint of every model.
"""

from __future__ import annotations

import datetime
import decimal
import operator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import CheckConstraint, F, Model, Q, UniqueConstraint

UNDECIDED = object()

_COMPARE = {"exact": operator.eq, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
# the kinds of value compared in Python: numbers with numbers, and each other kind only with itself
_NUMBER = (int, float, decimal.Decimal)
_KINDS = (str, datetime.datetime, datetime.date, datetime.time)


def _kind(value: Any) -> type | None:
    if isinstance(value, bool):
        return bool
    if isinstance(value, _NUMBER):
        return decimal.Decimal
    for kind in _KINDS:  # datetime before date: a datetime is a date to isinstance
        if isinstance(value, kind):
            return kind
    return None


def _leaf(lookup: str, value: Any, row: dict[str, Any]):
    """True, False, None (unknown) or UNDECIDED for one ``field__lookup=value`` of a condition."""
    name, _, op = lookup.partition("__")
    op = op or "exact"
    if name not in row or "__" in op:
        return UNDECIDED
    left = row[name]
    if op == "exact" and value is None:  # Django reads field=None as field__isnull=True
        op, value = "isnull", True
    if op == "isnull":
        return (left is None) is bool(value) if isinstance(value, bool) else UNDECIDED
    compare = _COMPARE.get(op)
    if compare is None:
        return UNDECIDED
    if isinstance(value, F):
        if value.name not in row:
            return UNDECIDED
        value = row[value.name]
    elif hasattr(value, "resolve_expression"):
        return UNDECIDED
    if left is None or value is None:
        return None
    kind = _kind(left)
    if kind is None or kind is not _kind(value):
        return UNDECIDED
    return compare(left, value)


def evaluate(condition: Q, row: dict[str, Any]):
    """The condition on a row of ``{field name: value}``: True, False, None (unknown) or UNDECIDED."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            result = evaluate(child, row)
        elif isinstance(child, tuple) and len(child) == 2:
            result = _leaf(child[0], child[1], row)
        else:
            return UNDECIDED
        if result is UNDECIDED:
            return UNDECIDED
        results.append(result)
    if condition.connector == Q.AND:  # SQL: any false → false; else any unknown → unknown
        value = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        value = True if True in results else (None if None in results else False)
    else:
        return UNDECIDED
    if condition.negated:
        value = None if value is None else not value
    return value


def _row(instance: Model, exclude: set[str]) -> dict[str, Any] | None:
    """The values Django's ``_get_field_expression_map`` would compare; None when one is an expression or the
    model has generated fields (their values come from the database)."""
    row: dict[str, Any] = {}
    for field in instance._meta.local_concrete_fields:
        if field.name in exclude:
            continue
        if field.generated:
            return None
        value = getattr(instance, field.attname)
        if hasattr(value, "resolve_expression"):
            return None
        row[field.name] = value
    if "pk" not in exclude:
        row["pk"] = instance.pk
    return row


def validate_constraints(instance: Model, exclude: list[str] | set[str] | None = None, *,
                         unique: bool = True) -> None:
    """``Model.validate_constraints``, with check constraints decided in Python where ``evaluate`` can.
    ``unique=False`` leaves out the unique constraints (each one a query): the caller lets the database refuse
    the write and asks again with them after its ``IntegrityError`` (``core.services``)."""
    exclude = set(exclude or ())
    using = router.db_for_write(instance.__class__, instance=instance)
    errors: dict = {}
    rows: dict[type, dict | None] = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            if not unique and isinstance(constraint, UniqueConstraint):
                continue
            try:
                if isinstance(constraint, CheckConstraint):
                    if model not in rows:
                        rows[model] = _row(instance, exclude) if model is instance.__class__ else None
                    row = rows[model]
                    result = UNDECIDED if row is None else evaluate(Q(constraint.condition), row)
                    if result is False:
                        raise ValidationError(constraint.get_violation_error_message(),
                                              code=constraint.violation_error_code)
                    if result is not UNDECIDED:
                        continue
                constraint.validate(model, instance, exclude=exclude, using=using)
            except ValidationError as exc:
                if getattr(exc, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                    errors.setdefault(constraint.fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
