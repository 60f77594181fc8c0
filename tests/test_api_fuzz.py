"""API fuzzing (issue 12, item 12): schemathesis generates requests from ``/api/v1/openapi.json`` for every
operation and sends them with a bearer token of each persona (``conftest.PERSONAS`` and ``nobody``). Every
answer must

* never be a 5xx;
* match the schema the OpenAPI document declares for its status (``response_schema_conformance``);
* when it is a refusal (4xx), say why in Chinese (``detail``);
* hold no row outside the persona's read scope: a list item's or a detail's ``id`` is in
  ``Model.objects.visible_to(user)`` for the model the guarantees registry names behind the path.

Path ids are drawn half from the generator and half from the model's real rows (every zone's), so the detail
paths are tried on rows the persona may and may not see. Bounded in time: ``FUZZ_SECONDS`` (default 30) of
generation shared by the operations; each (operation, persona) pair gets at least one example, then
``FUZZ_EXAMPLES`` (default 3) while its share of the time lasts. Derandomized: the same cases every run. Everything is sent in the test's transaction and rolled back."""

import os
import re
import time

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import PERSONAS

BUDGET = float(os.environ.get("FUZZ_SECONDS", "30"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
CJK = re.compile(r"[\u4e00-\u9fff]")
ROLES = (*PERSONAS, "nobody")


def _model_paths() -> tuple[dict[str, object], dict[str, object]]:
    """``{detail path: model}`` and ``{list path: model}`` from the guarantees registry."""
    from django.apps import apps

    from liantong.core import guarantees

    detail, lists = {}, {}
    for entry in guarantees.entries():
        model = apps.get_model(entry.model)
        for path in entry.api:
            detail[path] = model
        if entry.api_list:
            lists[entry.api_list] = model
    return detail, lists


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI handler closes the connection after each request (``close_old_connections``); inside the
    test's transaction that would end it. The Django test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _chinese_refusal(response) -> str | None:
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} 不是 JSON：{response.text[:80]!r}"
    detail = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(detail, str) or not CJK.search(detail):
        return f"{response.status_code} 的 detail 不是中文：{str(body)[:120]}"
    return None


def _out_of_scope(response, user, model) -> str | None:
    """A list answer's rows that the user may not read."""
    if response.status_code != 200:
        return None
    body = response.json()
    items = body.get("items", []) if isinstance(body, dict) else body
    ids = {item["id"] for item in items if isinstance(item, dict) and "id" in item}
    if not ids:
        return None
    seen = set(model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - seen:
        return f"列表含范围外的 {model._meta.label} 行：{sorted(ids - seen)[:5]}"
    return None


class _Check:
    """One (operation, persona) pair: sends a drawn case with the persona's token and records what is wrong."""

    def __init__(self, op, user, role, key, model, list_model, ids, op_end, failures, counts):
        self.op, self.user, self.role, self.key = op, user, role, key
        self.model, self.list_model, self.ids, self.op_end = model, list_model, ids, op_end
        self.failures, self.counts, self.done = failures, counts, 0

    def __call__(self, case, pick):
        if self.done and time.monotonic() > self.op_end:
            return  # this operation's share of the time is spent
        self.done += 1
        op, headers = self.op, {"Authorization": f"Bearer {self.key}"}
        if self.ids is not None and "pk" in (case.path_parameters or {}) and pick % 2 == 0:
            case.path_parameters["pk"] = self.ids[pick % len(self.ids)]
        label = f"{self.role} {op.method.upper()} {op.path} {case.path_parameters or ''} {case.query or ''}"
        response = case.call(headers=headers)
        self.counts["requests"] += 1
        band = f"{response.status_code // 100}xx"
        self.counts[band] = self.counts.get(band, 0) + 1
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance],
                                   headers=headers)
        except (AssertionError, BaseExceptionGroup) as exc:  # schemathesis's FailureGroup is a BaseExceptionGroup
            parts = getattr(exc, "exceptions", (exc,))
            self.failures.append(f"{label}: " + "; ".join(str(p).strip().splitlines()[0][:200] for p in parts))
            return
        problem = _chinese_refusal(response)
        if problem is None and self.model is not None and op.method == "get" and response.status_code == 200:
            pk = (case.path_parameters or {}).get("pk")
            if pk is not None and not self.model.objects.visible_to(self.user).filter(pk=pk).exists():
                problem = f"范围外的 {self.model._meta.label} 行 {pk} 答了 200"
        if problem is None and self.list_model is not None:
            problem = _out_of_scope(response, self.user, self.list_model)
        if problem:
            self.failures.append(f"{label}: {problem}")


def _fuzz(op, check):
    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                         print_blob=False)
    @given(case=op.as_strategy(), pick=st.integers(min_value=0, max_value=10**6))
    def run(case, pick):
        check(case, pick)

    return run


@pytest.mark.django_db
def test_every_api_operation_answers_every_role_within_its_schema_in_chinese_and_in_scope(
        personas, wsgi_in_test_transaction):
    from django.core.wsgi import get_wsgi_application

    from liantong.accounts import services as account_services

    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    detail_models, list_models = _model_paths()
    tokens = {}
    for role in ROLES:
        user = personas[role]
        if not user.is_active:
            continue
        tokens[role] = account_services.issue_token(user, actor=None, name="fuzz")[1]
    real_ids = {}
    for model in set(detail_models.values()):
        real_ids[model] = list(model._base_manager.order_by("pk").values_list("pk", flat=True)[:400]) or [1]

    failures: list[str] = []
    counts = {"requests": 0, "2xx": 0, "4xx": 0}
    share = BUDGET / max(1, len(operations))
    started = time.monotonic()

    for op in operations:
        model = detail_models.get(op.path)
        list_model = list_models.get(op.path) if op.method == "get" else None
        ids = real_ids.get(model, [1]) if model is not None else None
        op_end = time.monotonic() + share
        for role, key in tokens.items():
            check = _Check(op, personas[role], role, key, model, list_model, ids, op_end, failures, counts)
            _fuzz(op, check)()
    elapsed = time.monotonic() - started
    print(f"\nfuzz: {len(operations)} operations × {len(tokens)} roles, {counts['requests']} requests "
          f"in {elapsed:.1f} s ({counts}), {len(failures)} failures")
    assert not failures, "\n".join(failures[:60])


@pytest.mark.django_db
def test_the_fuzzing_checks_catch_an_answer_that_breaks_the_schema(personas, wsgi_in_test_transaction):
    """The checks are live: a real answer of ``GET /orders`` checked against ``GET /zones``'s schema fails."""
    from django.core.wsgi import get_wsgi_application

    from liantong.accounts import services as account_services

    key = account_services.issue_token(personas["admin"], actor=None, name="fuzz")[1]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    zones = schema["/api/v1/zones"]["GET"]
    orders = schema["/api/v1/orders"]["GET"]
    response = orders.Case().call(headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    with pytest.raises(BaseExceptionGroup):
        zones.Case().validate_response(response, checks=[response_schema_conformance])
