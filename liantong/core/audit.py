"""Writing the audit log: one function, called by every service in the same transaction; and who reads it.

An audit row carries one zone, and a zone's auditors read their zone's rows (``AuditLog.scope``). A few
records belong to two zones at once (a member transfer: the receiving zone and the sending one); their
strand registers a *reader* — ``register_reader(fn)``, ``fn(user) -> Q`` over ``AuditLog`` — naming the
rows it shares with ``user``, and every audit page reads through ``readable(user)``. ``core`` so learns of
the sharing without importing the strand.
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from . import audit_chain, gen
from .models import AuditAction, AuditLog
from .scoping import scope_q

# Set by RequestContextMiddleware so services need not pass the request around.
current_request_meta: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_meta", default=None)


def _plain(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool):  # most values: no conversion
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _snapshot_fields(model, fields, exclude) -> list:
    return [f for f in model._meta.concrete_fields
            if (fields is None or f.name in fields) and f.name not in exclude and f.name != "search_text"
            and not f.name.endswith(("_encrypted", "_hash"))]


def snapshot(obj: models.Model, fields: list[str] | None = None, *, exclude: tuple[str, ...] = ()) -> dict:
    """The concrete field values of ``obj`` as JSON-friendly data, for old/new comparisons."""
    return {f.name: _plain(getattr(obj, f.attname)) for f in _snapshot_fields(obj._meta.model, fields, exclude)}


def snapshot_values(model, values: dict) -> dict:
    """``snapshot`` of a row given as ``{attname: value}`` (rows built for a bulk insert, not instances)."""
    return {f.name: _plain(values[f.attname]) for f in _snapshot_fields(model, None, ())}


def diff(old: dict, new: dict) -> dict:
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict | None = None,
    zone=None,
    object_type: str = "",
    object_repr: str = "",
) -> AuditLog:
    """Append one audit row. ``actor`` may be None for system jobs (tick, demo)."""
    meta = current_request_meta.get() or {}
    if zone is None and obj is not None:
        zone = getattr(obj, "zone_id", None)
    zone_id = zone.pk if isinstance(zone, models.Model) else zone
    if obj is not None and obj.__class__.__name__ == "Zone":
        zone_id = obj.pk
    return audit_chain.append([AuditLog(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "username", "") or "系统")[:150],
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        zone_id=zone_id,
        changes=_plain(changes or {}),
        ip=meta.get("ip"),
        user_agent=(meta.get("ua") or "")[:300],
    )])[0]


def record_many(actor, action: str, objs: list[models.Model], *, snapshots: list[dict] | None = None) -> None:
    """One audit row per object, written by ``executemany`` (bulk services: the Excel import). ``snapshots``:
    the objects' ``snapshot``, taken by the caller before its transaction (the import's members)."""
    meta = current_request_meta.get() or {}
    if not objs:
        return
    audit_chain.append([
        AuditLog(actor=actor if getattr(actor, "pk", None) else None,
                 actor_name=(getattr(actor, "username", "") or "系统")[:150], action=action,
                 object_type=obj._meta.label_lower, object_id=str(obj.pk), object_repr=str(obj)[:200],
                 zone_id=getattr(obj, "zone_id", None), changes={"new": snap}, ip=meta.get("ip"),
                 user_agent=(meta.get("ua") or "")[:300])
        for obj, snap in zip(objs, snapshots if snapshots is not None else (snapshot(obj) for obj in objs))
    ], insert=lambda rows: gen.bulk(AuditLog, rows, with_pk=False))


# The bulk path (the Excel import): audit rows of objects about to be inserted, built with their reserved ids
# before the write transaction; under the chain's lock only the hashes are left to compute.
PREPARED_COLUMNS = ("at", "actor_id", "actor_name", "action", "object_type", "object_id", "object_repr", "zone_id",
                    "changes", "ip", "user_agent")


@dataclass
class Prepared:
    """Audit rows built before the transaction: values in ``PREPARED_COLUMNS`` order and each one's content."""

    rows: list[tuple] = field(default_factory=list)
    contents: list[bytes] = field(default_factory=list)


def prepare_created(actor, model, values: list[dict], describe: Callable[[dict], str]) -> Prepared:
    """One ``create`` audit row for each object of ``model`` given as ``{attname: value}`` with its id (what
    ``record_many`` writes for saved instances: ``{"new": snapshot}``, ``describe(values)`` as the object's
    text); nothing is written here. ``append_prepared`` adds them to the chain inside the transaction."""
    meta = current_request_meta.get() or {}
    at = timezone.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    actor_name = (getattr(actor, "username", "") or "系统")[:150]
    action, object_type = str(AuditAction.CREATE), model._meta.label_lower
    ip, ua = meta.get("ip"), (meta.get("ua") or "")[:300]
    at_db = connection.ops.adapt_datetimefield_value(at)
    adapt = gen.row_adapter(AuditLog, PREPARED_COLUMNS)
    names = [(f.name, f.attname) for f in _snapshot_fields(model, None, ())]
    out = Prepared()
    for v in values:
        snap = {name: _plain(v[attname]) for name, attname in names}
        oid, text, zone_id = str(v["id"]), describe(v)[:200], v.get("zone_id")
        if all(type(x) in _JSON_PLAIN for x in snap.values()):
            # plain JSON (no float, nothing to convert): ``canonical_json`` is one dumps, and that text is
            # stored as it is (audit-verify reads every row back through the full round trip)
            changes = json.dumps({"new": snap}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            out.rows.append((at_db, actor_id, actor_name, action, object_type, oid, text, zone_id, changes, ip, ua))
        else:
            out.rows.append(adapt((at, actor_id, actor_name, action, object_type, oid, text, zone_id,
                                   {"new": snap}, ip, ua)))
            changes = audit_chain.canonical_json({"new": snap})
        out.contents.append(audit_chain.content_of(at, actor_id, actor_name, action, object_type, oid, text, zone_id,
                                                   changes, ip, ua).encode())
    return out


_JSON_PLAIN = frozenset({str, int, bool, type(None)})


def append_prepared(prepared: Prepared) -> None:
    """Write ``prepare_created``'s rows at the end of the audit chain (inside the caller's transaction)."""
    if prepared.rows:
        audit_chain.append_prepared(prepared.rows, prepared.contents, lambda rows: gen.insert(
            AuditLog, [*PREPARED_COLUMNS, "prev_hash", "row_hash"], rows, {}))


# --- who reads which rows ---------------------------------------------------------------------------------

_READERS: list[Callable[[Any], Q]] = []


def register_reader(fn: Callable[[Any], Q]) -> Callable[[Any], Q]:
    """Share audit rows beyond their zone: ``fn(user)`` returns a ``Q`` over ``AuditLog`` of the rows the
    strand lets ``user`` read besides its own scope's (e.g. the rows of the transfers the user sees)."""
    if fn not in _READERS:
        _READERS.append(fn)
    return fn


def readable(user) -> Q:
    """The audit rows ``user`` may read: those of its scope (its zone's) and those strands share with it."""
    q = scope_q(user, AuditLog)
    if not q.children:  # Q(): every row (the platform); note Q() | x would narrow it to x
        return q
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return q
    for fn in _READERS:
        q |= fn(user)
    return q


__all__ = ["AuditAction", "record", "record_many", "snapshot", "diff", "current_request_meta", "register_reader",
           "readable", "prepare_created", "append_prepared", "snapshot_values"]
