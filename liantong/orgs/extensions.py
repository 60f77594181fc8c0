"""Hooks through which other strands add to the organisation strand's firm without orgs importing them.

* ``register_enterprise_field(name, annotation, description, fn)``: one more field of
  ``GET /api/v1/enterprises/{id}`` (``fn(enterprise) -> value``); the people strand adds
  ``manager_committee_rate``. Registered in the strand's ``AppConfig.ready`` (before the API is built).
* ``register_enterprise_panel(fn)``: ``fn(request, enterprise) -> {"template": …, …} | None``, a panel on the
  firm's page (the people strand's managers and committee posts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EnterpriseField:
    name: str
    annotation: object
    description: str
    value: Callable


ENTERPRISE_FIELDS: list[EnterpriseField] = []
ENTERPRISE_PANELS: list[Callable] = []


def register_enterprise_field(name: str, annotation, description: str, fn: Callable) -> None:
    if all(f.name != name for f in ENTERPRISE_FIELDS):
        ENTERPRISE_FIELDS.append(EnterpriseField(name, annotation, description, fn))


def register_enterprise_panel(fn: Callable) -> None:
    if fn not in ENTERPRISE_PANELS:
        ENTERPRISE_PANELS.append(fn)


def enterprise_extra(ent) -> dict:
    return {f.name: f.value(ent) for f in ENTERPRISE_FIELDS}


def enterprise_panels(request, ent) -> list[dict]:
    return [p for p in (fn(request, ent) for fn in ENTERPRISE_PANELS) if p]
