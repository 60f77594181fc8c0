"""Unique constraints are left to the database when nothing else is wrong with a write (core/services.py
``_clean``): no query asks for a duplicate before the insert, the database refuses it, and the refusal is
named exactly as ``full_clean`` names it. Generated over every unique constraint of every model, each with a
copy of a demo row that the constraint covers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import UniqueConstraint

from liantong.core import services
from liantong.core.services import ServiceError

from .test_constraints import constraint_params

pytestmark = pytest.mark.django_db


def _copy_of_a_covered_row(model, constraint) -> dict:
    rows = model._base_manager.exclude(**{f"{f}__isnull": True for f in constraint.fields})
    if constraint.condition is not None:
        rows = rows.filter(constraint.condition)
    row = rows.order_by("pk").first()
    if row is None:
        pytest.skip(f"演示数据中没有 {constraint.name} 约束的行")
    # a field unique on its own (a one-to-one link, a reference number) is emptied where it may be: the copy
    # then breaks only this constraint (a field's own uniqueness is checked before the write, as a field)
    return {f.attname: None if f.unique and f.null else getattr(row, f.attname)
            for f in model._meta.concrete_fields if not f.primary_key}


@pytest.mark.parametrize(("model", "constraint"), constraint_params(UniqueConstraint))
def test_a_duplicate_is_refused_by_the_database_and_named_as_full_clean_names_it(model, constraint, monkeypatch):
    values = _copy_of_a_covered_row(model, constraint)
    with pytest.raises(ValidationError) as django_says:
        model(**values).full_clean()
    assert constraint.fields[0] in django_says.value.message_dict or "__all__" in django_says.value.message_dict

    inserted, asked = [], []

    def watch(execute, sql, params, many, context):
        if sql.startswith(f'INSERT INTO "{model._meta.db_table}"'):
            inserted.append(sql)
        return execute(sql, params, many, context)

    validate = UniqueConstraint.validate

    def counted(self, *args, **kwargs):
        asked.append((self.name, bool(inserted)))
        return validate(self, *args, **kwargs)

    monkeypatch.setattr(UniqueConstraint, "validate", counted)
    count = model._base_manager.count()
    with connection.execute_wrapper(watch), pytest.raises(ServiceError) as refused:
        services.create(model, actor=None, **values)
    assert refused.value.message == services.validation_message(django_says.value, model)
    assert inserted, "the database was asked to insert the duplicate"
    assert (constraint.name, True) in asked and not [a for a in asked if not a[1]], asked
    assert model._base_manager.count() == count


def test_a_write_wrong_in_a_field_and_duplicated_reports_both_at_once(personas):
    from liantong.orgs.models import Chain

    chain = Chain.objects.order_by("pk").first()
    with pytest.raises(ServiceError) as refused:
        services.create(Chain, actor=None, zone_id=chain.zone_id, name=chain.name, description="x",
                        chief_name="名" * 500)
    text = refused.value.message
    assert "链长：" in text and "不超过 50 字符" in text, text
    assert "产业链名称" in text and "已经存在" in text, text
