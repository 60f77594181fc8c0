"""Check constraints decided in Python (core/constraints.py) agree with the database on every constraint of
every model, over every combination of NULL and sample values of the fields each condition names."""

from __future__ import annotations

import datetime
import decimal
import itertools

import pytest
from django.apps import apps
from django.db import models
from django.db.models import CheckConstraint, F, Q, Value

from liantong.core import constraints as py_constraints
from liantong.core.constraints import UNDECIDED, evaluate

pytestmark = pytest.mark.django_db


def constraint_params(kind: type) -> list:
    """``pytest.param(model, constraint)`` for every constraint of class ``kind`` of every model (also used by
    ``test_unique_deferred.py``)."""
    return [pytest.param(model, constraint, id=f"{model._meta.label}.{constraint.name}")
            for model in apps.get_models() for constraint in model._meta.constraints if isinstance(constraint, kind)]


def _names(condition: Q) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _names(child)
        else:
            names.add(child[0].split("__")[0])
            if isinstance(child[1], F):
                names.add(child[1].name)
    return names


def _samples(field: models.Field) -> list:
    """NULL where the column allows it, and values on both sides of each other for comparisons."""
    if field.is_relation:
        values = [1]
    elif isinstance(field, models.DateTimeField):
        values = [datetime.datetime(2026, 1, 1, 8, tzinfo=datetime.UTC), datetime.datetime(2026, 6, 1, 8, tzinfo=datetime.UTC)]
    elif isinstance(field, models.DateField):
        values = [datetime.date(2026, 1, 1), datetime.date(2026, 6, 1), datetime.date(2026, 12, 31)]
    elif isinstance(field, models.DecimalField):
        values = [decimal.Decimal("-1"), decimal.Decimal("0"), decimal.Decimal("12.5"), decimal.Decimal("24"),
                  decimal.Decimal("30")]
    elif isinstance(field, (models.IntegerField, models.FloatField)):
        values = [-1, 0, 12, 24, 30]
    elif field.choices:
        values = [key for key, _ in field.choices][:4] + ["其他"]
    else:
        values = ["a", "b"]
    return ([None] if field.null else []) + values


@pytest.mark.parametrize(("model", "constraint"), constraint_params(CheckConstraint))
def test_a_check_constraint_decided_in_python_agrees_with_the_database(model, constraint):
    condition = Q(constraint.condition)
    fields = [model._meta.get_field(name) for name in sorted(_names(condition))]
    disagreements = []
    for values in itertools.product(*(_samples(f) for f in fields)):
        row = dict(zip((f.name for f in fields), values))
        decided = evaluate(condition, row)
        assert decided is not UNDECIDED, f"{constraint.name}: not decided in Python for {row}"
        against = {f.name: Value(v, f) for f, v in zip(fields, values)}
        if condition.check(against) != (decided is not False):
            disagreements.append((row, decided))
    assert not disagreements, f"{constraint.name}: Python and the database disagree on {disagreements}"


def test_the_sample_rows_reach_both_outcomes_of_every_constraint():
    """Each constraint is seen passing and failing by the samples above, so the comparison can fail."""
    one_sided = []
    for param in constraint_params(CheckConstraint):
        model, constraint = param.values
        condition = Q(constraint.condition)
        fields = [model._meta.get_field(name) for name in sorted(_names(condition))]
        outcomes = {evaluate(condition, dict(zip((f.name for f in fields), values))) is not False
                    for values in itertools.product(*(_samples(f) for f in fields))}
        if outcomes != {True, False}:
            one_sided.append(constraint.name)
    assert not one_sided


@pytest.mark.parametrize(("condition", "row", "expected"), [
    (Q(a__gte=F("b")), {"a": 1, "b": None}, None),                  # NULL compares unknown
    (~Q(a__gte=F("b")), {"a": 1, "b": None}, None),                 # NOT unknown is unknown
    (Q(a__gte=F("b")) | Q(c__isnull=True), {"a": 1, "b": None, "c": None}, True),
    (Q(a__gte=F("b")) & Q(c__isnull=False), {"a": 1, "b": None, "c": None}, False),
    (Q(a=None), {"a": None}, True),                                 # field=None is IS NULL
    (Q(a__gte="2026-01-01"), {"a": datetime.date(2026, 1, 1)}, UNDECIDED),   # a string against a date
    (Q(a__gte=datetime.date(2026, 1, 1)), {"a": datetime.datetime(2026, 1, 1, 8)}, UNDECIDED),
    (Q(a__icontains="x"), {"a": "x"}, UNDECIDED),                  # a lookup it does not know
    (Q(a__gte=F("b") + 1), {"a": 1, "b": 0}, UNDECIDED),            # an expression
    (Q(a__gte=1), {}, UNDECIDED),                                   # an excluded field
])
def test_what_python_decides_and_what_it_leaves_to_the_database(condition, row, expected):
    assert evaluate(condition, row) is expected


def test_a_write_that_breaks_a_check_constraint_is_refused_without_asking_the_database(django_assert_num_queries):
    from liantong.resources.models import Booking
    booking = Booking(start_on=datetime.date(2026, 6, 2), end_on=datetime.date(2026, 6, 1))
    with django_assert_num_queries(0), pytest.raises(Exception) as refused:
        py_constraints.validate_constraints(booking, exclude=[f.name for f in Booking._meta.fields
                                                              if f.name not in ("start_on", "end_on")] + ["pk"])
    assert "结束日期不能早于开始日期" in str(refused.value)
