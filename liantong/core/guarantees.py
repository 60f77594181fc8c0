"""Generated guarantees: one registry of the scoped models, with their pages, API paths and personas.

Every model that declares a ``Scope`` (and so is read through ``visible_to`` / ``get_for_user``) is
registered once, by its own strand, in ``<app>/guarantees.py`` (imported from the app's ``ready``)::

    guarantees.register(Entry(
        "orgs.Member",
        sample={"party_org__name": "镇江船厂设计所党支部"},      # one demo row, by natural keys
        readers={"admin", "zone_staff", "chain_staff", "firm_a"},  # personas who may read it
        writers={"admin", "zone_staff", "chain_staff", "firm_a"},  # personas who may edit it
        page="orgs:member_detail", edit_page="orgs:member_edit", list_page="orgs:member_list",
        api=("/api/v1/members/{pk}",), api_list="/api/v1/members",
    ))

The tests generate their cases from it (``tests/test_scope_matrix.py``: every persona against every
model's row, page and API — 200 for a reader, 404 for everyone else; ``tests/test_query_counts.py``: the
query count of every list and detail page pinned), and a test fails when a scoped model is not registered.
The personas are the demo's named users (``conftest.PERSONAS``); the sample row and the reader sets are
declared here from the demo's data, never computed by the code under test.

``unscoped(reason)`` marks a read of a scoped model that is deliberately not restricted to the user (a
figure over the whole zone, a system job): inside it the request guard (``ScopedQuerySet``) records
nothing. See ``docs/guarantees.md``.
"""

from __future__ import annotations

import contextlib
import contextvars
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field

PERSONAS = ("admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni", "by_zone", "nobody")
# everyone of 镇江 (the demo's main zone); ``by_zone`` is 白银's committee, ``nobody`` holds no role
ZHENJIANG = frozenset({"admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni"})


@dataclass(frozen=True)
class Entry:
    """One scoped model: a sample row of the demo, who may read and write it, where it is shown."""

    model: str  # "app_label.ModelName"
    # lookups naming one demo row (``.filter(**sample).order_by("pk")[0]``); ``None``: the demo has none, the
    # matrix test makes one
    sample: dict | None = field(default_factory=dict)
    readers: frozenset[str] = frozenset()
    writers: frozenset[str] = frozenset()
    page: str | None = None  # URL name of the detail page (kwarg ``pk``)
    edit_page: str | None = None  # URL name of the edit page (kwarg ``pk``)
    list_page: str | None = None  # URL name of the list page
    api: tuple[str, ...] = ()  # API detail paths, ``{pk}`` for the row's id
    api_list: str | None = None  # API list path
    no_page: str = ""  # why the row has no page of its own (shown inside another's page, or none at all)

    def __post_init__(self):
        object.__setattr__(self, "readers", frozenset(self.readers))
        object.__setattr__(self, "writers", frozenset(self.writers))
        unknown = (self.readers | self.writers) - set(PERSONAS)
        if unknown:
            raise ValueError(f"{self.model}: unknown personas {sorted(unknown)}")
        if not self.page and not self.no_page:
            raise ValueError(f"{self.model}: name its detail page, or say why it has none (no_page=…)")

    @property
    def app_label(self) -> str:
        return self.model.split(".")[0]


_ENTRIES: dict[str, Entry] = {}


def register(*entries: Entry) -> None:
    for entry in entries:
        if entry.model.lower() in _ENTRIES:
            raise ValueError(f"{entry.model} is registered twice")
        _ENTRIES[entry.model.lower()] = entry


def entries() -> list[Entry]:
    return sorted(_ENTRIES.values(), key=lambda e: e.model)


def entry_for(label: str) -> Entry | None:
    return _ENTRIES.get(label.lower())


def register_core() -> None:
    """Core's own scoped models (called from ``CoreConfig.ready``)."""
    register(
        Entry("core.Zone", sample={"short_name": "镇江"}, readers=ZHENJIANG,
              no_page="zones are listed at /api/v1/zones; their figures at /api/v1/zones/{id}/stats",
              api=("/api/v1/zones/{pk}/stats",), api_list="/api/v1/zones"),
        Entry("core.AuditLog", sample={"zone__short_name": "镇江"}, readers={"admin", "zone_staff"},
              no_page="the operation log is a list (/system/operation-log/)", list_page="core:operation_log"),
    )


# --- reads outside the scoping layer -----------------------------------------------------------------------

_UNSCOPED: contextvars.ContextVar[str | None] = contextvars.ContextVar("liantong_unscoped", default=None)


@contextlib.contextmanager
def unscoped(reason: str) -> Iterator[None]:
    """Read scoped models without the user's scope, on purpose (``reason`` says why, for the reader of the code).

    A figure over the whole zone, a uniqueness check, a system job: the request guard records nothing inside."""
    if not reason:
        raise ValueError("unscoped() needs a reason")
    token = _UNSCOPED.set(reason)
    try:
        yield
    finally:
        _UNSCOPED.reset(token)


def unscoped_reason() -> str | None:
    return _UNSCOPED.get()


# The read guard. Off (one context-variable look-up per query) unless a test watches: inside
# ``watch_reads()`` every evaluation of a scoped model's queryset that did not go through ``visible_to`` /
# ``get_for_user`` (nor a parent row's related manager, nor ``unscoped``) is recorded with where it happened.
_WATCH: contextvars.ContextVar[list | None] = contextvars.ContextVar("liantong_watch_reads", default=None)
_INSIDE: contextvars.ContextVar[bool] = contextvars.ContextVar("liantong_inside_read", default=False)


@dataclass(frozen=True)
class UnscopedRead:
    model: str
    where: str  # the innermost project frame outside core's queryset code: "orgs/views.py:12 in get"

    def __str__(self) -> str:
        return f"{self.model} at {self.where}"


@contextlib.contextmanager
def watch_reads() -> Iterator[list[UnscopedRead]]:
    """Record the scoped reads made without the scoping layer (for tests: ``tests/test_unscoped_reads.py``)."""
    reads: list[UnscopedRead] = []
    token = _WATCH.set(reads)
    try:
        yield reads
    finally:
        _WATCH.reset(token)


def watching() -> bool:
    return _WATCH.get() is not None and not _INSIDE.get() and _UNSCOPED.get() is None


@contextlib.contextmanager
def inside_read() -> Iterator[None]:
    token = _INSIDE.set(True)
    try:
        yield
    finally:
        _INSIDE.reset(token)


def report_read(model) -> None:
    reads = _WATCH.get()
    if reads is None:
        return
    where = "?"
    for frame in reversed(traceback.extract_stack()):
        name = frame.filename.replace("\\", "/")
        if "site-packages" in name or "/lib/python" in name or name.endswith(("/core/models.py", "/core/guarantees.py")):
            continue
        where = f"{name.rsplit('/', 2)[-2]}/{name.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name}"
        break
    reads.append(UnscopedRead(model._meta.label, where))
