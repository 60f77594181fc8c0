"""Every write of the services strand. Views, the API, the demo and ``tick`` call these; an order's
state changes only through ``workflow.transition`` (re-exported here)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from liantong.core import audit, calendar, dicts, guarantees
from liantong.core.files import Attachment, attach, check_upload
from liantong.core.services import Conflict, Forbidden, ServiceError

from . import notify
from .models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    Card,
    CardLevel,
    Notification,
    OrderState,
    Satisfaction,
    ServiceBundle,
    ServiceRequest,
    Stage,
    TimelineEntry,
    Urgency,
)
from .suggest import tokenize
from .workflow import OPEN_TICK_STATES, TERMINAL, TransitionError, transition

__all__ = [
    "TransitionError",
    "add_attachments",
    "chain_choices_for",
    "create_bundle",
    "mark_read",
    "place_order",
    "rate_bundle",
    "tick",
    "transition",
]


# --- attachments ---------------------------------------------------------------------------------


@transaction.atomic
def add_attachments(order: ServiceRequest, uploads, *, actor) -> list[Attachment]:
    """Attach files to an open order (``POST /api/v1/orders/{id}/attachments``): the order's own firm, or a
    user who may write it; every file passes the one upload check (core.files) before any is stored."""
    if order.state in TERMINAL:
        raise Conflict("该工单已结束，不能再添加附件", field="files")
    may = actor is not None and (actor.is_superuser or (actor.enterprise_id and actor.enterprise_id == order.enterprise_id)
                                 or ServiceRequest.objects.visible_to(actor, for_write=True).filter(pk=order.pk).exists())
    if not may:
        raise Forbidden("您无权为该工单添加附件")
    return attach(order, uploads, actor=actor, field="files")


# --- placing an order (企业点单) -------------------------------------------------------------------


def chain_choices_for(enterprise) -> list:
    from liantong.orgs.models import Chain

    with guarantees.unscoped("the chains a firm is on: its own memberships, one of which its order names"):
        return list(Chain.objects.filter(memberships__enterprise=enterprise).order_by("id"))


def can_place(user) -> bool:
    """Only a firm's own users place orders (企业点单): the permission alone is not enough for a
    platform admin or a committee member, who belong to no firm."""
    return bool(getattr(user, "enterprise_id", None)) and user.has_perm_code("services.place")


def place_order(*, actor, title: str, category: str, description: str = "", enterprise=None, chain=None,
                urgency: str = Urgency.NORMAL, contact_name: str = "", contact_phone: str = "", files=(),
                bundle: ServiceBundle | None = None, at: datetime.datetime | None = None, ref: str | None = None,
                is_demo: bool = False) -> ServiceRequest:
    """A firm places an order (企业点单): checked completely before anything is written.

    The firm is the actor's own unless a platform admin names one; the chain is the firm's only chain,
    or the one chosen among several. ``files`` are uploaded files, each checked for type and size.
    """
    at = at or timezone.now()
    if enterprise is None:
        enterprise = getattr(actor, "enterprise", None)
    if enterprise is None:
        raise ServiceError("只有企业用户可以点单", field="title")
    if actor is not None and not actor.is_superuser and (
            actor.enterprise_id != enterprise.pk or not actor.has_perm_code("services.place")):
        raise ServiceError("您无权代表该企业点单")
    title = (title or "").strip()
    if not title:
        raise ServiceError("诉求标题不能为空", field="title")
    if len(title) > 100:
        raise ServiceError("诉求标题不能超过 100 字", field="title")
    if not dicts.item("service_category", category):
        raise ServiceError("请选择有效的诉求类别", field="category")
    if urgency not in Urgency.values:
        raise ServiceError("请选择有效的紧急程度", field="urgency")
    chains = chain_choices_for(enterprise)
    chain_id = getattr(chain, "pk", chain)
    if chain_id in (None, ""):
        if len(chains) > 1:
            raise ServiceError("贵企业在多条产业链上，请选择本诉求所属的产业链", field="chain")
        chain = chains[0] if chains else None
    else:
        chain = next((c for c in chains if str(c.pk) == str(chain_id)), None)
        if chain is None:
            raise ServiceError("所选产业链不是贵企业所在的产业链", field="chain")
    for f in files:
        check_upload(f, field="attachments")
    if bundle is not None and bundle.enterprise_id != enterprise.pk:
        raise ServiceError("该“一件事”不属于贵企业")
    with transaction.atomic():
        order = ServiceRequest(
            zone_id=enterprise.zone_id, enterprise=enterprise, chain=chain, category=category, title=title,
            description=(description or "").strip(), urgency=urgency,
            contact_name=(contact_name or enterprise.contact_name or "")[:50],
            contact_phone=(contact_phone or enterprise.contact_phone or "")[:30],
            terms=" ".join(tokenize(f"{title} {description}"))[:400], bundle=bundle, state=OrderState.SUBMITTED,
            submitted_at=at, created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo, ref=ref)
        from .workflow import _set_stage

        _set_stage(order, Stage.DISPATCH, at, 1)
        try:
            with transaction.atomic():
                order.save()
        except IntegrityError as exc:
            raise ServiceError(f"工单编号 {ref} 已存在") from exc
        if not order.ref:
            order.ref = f"FW{timezone.localtime(at):%Y%m%d}{order.pk:07d}"
            order.save(update_fields=["ref"])
        attach(order, files, actor=actor)
        TimelineEntry.objects.create(zone_id=order.zone_id, order=order, at=at,
                                     actor=actor if getattr(actor, "pk", None) else None,
                                     actor_name=(str(actor) if actor else "系统")[:150],
                                     actor_unit=str(enterprise)[:120], action="submit", from_state="",
                                     to_state=OrderState.SUBMITTED, note=title)
        audit.record(actor, audit.AuditAction.CREATE, order, changes={"new": audit.snapshot(order)})
        notify.notify(notify.committee_users(order), kind="submit", order=order, at=at,
                      title=f"新诉求待派单：工单 {order.ref}《{order.title}》（{enterprise.name}）")
    return order


# --- "高效办成一件事" ------------------------------------------------------------------------------


BUNDLE_MAX_ITEMS = 10


@transaction.atomic
def create_bundle(*, actor, title: str, items: list[dict], description: str = "", enterprise=None, chain=None,
                  at: datetime.datetime | None = None, is_demo: bool = False) -> ServiceBundle:
    """One need spanning several departments: a bundle of linked orders (one per ``items`` entry:
    ``{"category", "title", "description"}``) with one overall deadline (the longest category limit)."""
    from .workflow import category_limit

    at = at or timezone.now()
    enterprise = enterprise or getattr(actor, "enterprise", None)
    if enterprise is None:
        raise ServiceError("只有企业用户可以提交“一件事”")
    title = (title or "").strip()
    if not title:
        raise ServiceError("事项名称不能为空", field="title")
    if len(title) > 100:
        raise ServiceError("事项名称不能超过 100 字", field="title")
    items = [i for i in items if (i.get("title") or "").strip()]
    if len(items) < 2:
        raise ServiceError("“一件事”至少包含两项需要不同部门办理的事项", field="items")
    if len(items) > BUNDLE_MAX_ITEMS:
        raise ServiceError(f"“一件事”最多包含 {BUNDLE_MAX_ITEMS} 项事项", field="items")
    bundle = ServiceBundle.objects.create(
        zone_id=enterprise.zone_id, enterprise=enterprise, title=title, description=description,
        created_by=actor if getattr(actor, "pk", None) else None, created_at=at, is_demo=is_demo,
        due_at=calendar.deadline(at, 2 + max(category_limit(i.get("category", "")) for i in items)))
    for n, i in enumerate(items, 1):
        try:
            order = place_order(actor=actor, enterprise=enterprise, chain=chain, title=i["title"],
                                category=i.get("category", ""), description=i.get("description", ""),
                                bundle=bundle, at=at, is_demo=is_demo)
        except ServiceError as exc:  # the whole bundle is rolled back; say which item was wrong
            raise ServiceError(f"第{n}项：{exc.message}", field=exc.field) from exc
        bundle.chain_id = order.chain_id
    bundle.save(update_fields=["chain"])
    audit.record(actor, audit.AuditAction.CREATE, bundle, changes={"new": audit.snapshot(bundle)})
    return bundle


def bundle_progress(bundle: ServiceBundle) -> dict:
    """Done / total orders of a bundle, and the percentage for its one progress bar."""
    states = list(bundle.orders.values_list("state", flat=True))
    live = [s for s in states if s not in (OrderState.MERGED, OrderState.WITHDRAWN, OrderState.DECLINED)]
    done = sum(1 for s in live if s in (OrderState.RESOLVED, OrderState.RATED, OrderState.CLOSED))
    return {"done": done, "total": len(live), "percent": round(100 * done / len(live)) if live else 0}


@transaction.atomic
def rate_bundle(bundle: ServiceBundle, *, actor, satisfaction: int, note: str = "",
                at: datetime.datetime | None = None) -> ServiceBundle:
    """One rating for the whole bundle: applied to every resolved order through ``transition``."""
    bundle = ServiceBundle.objects.select_for_update().get(pk=bundle.pk)  # two ratings at once: one wins
    orders = list(bundle.orders.filter(state=OrderState.RESOLVED))
    if not orders and bundle.satisfaction is not None:
        raise Conflict("该“一件事”已评价，不能重复评价")
    if not orders or bundle.orders.exclude(state__in=[OrderState.RESOLVED, OrderState.RATED, OrderState.CLOSED,
                                                      OrderState.MERGED, OrderState.WITHDRAWN,
                                                      OrderState.DECLINED]).exists():
        raise Conflict("“一件事”的各项尚未全部办结，暂不能评价")
    for order in orders:
        transition(order, "rate", actor=actor, at=at, satisfaction=satisfaction, note=note)
    old = audit.snapshot(bundle)
    bundle.satisfaction, bundle.rating_note = int(satisfaction), (note or "")[:300]
    bundle.save(update_fields=["satisfaction", "rating_note"])
    audit.record(actor, audit.AuditAction.UPDATE, bundle, changes=audit.diff(old, audit.snapshot(bundle)))
    return bundle


# --- inbox ---------------------------------------------------------------------------------------


def mark_read(user, ids=None) -> int:
    """Mark the user's messages (all, or ``ids``) read; only ever the user's own."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def mark_read_about(user, url: str, order=None) -> int:
    """Mark read the user's unread messages about the page ``url`` or about ``order`` (their subject):
    acting on an order answers the messages that asked for it."""
    about = Q(url=url) | Q(order=order) if order is not None else Q(url=url)
    return Notification.objects.filter(about, user=user, read_at__isnull=True).update(read_at=timezone.now())


# --- the periodic job: cards, reminders, follow-ups ----------------------------------------------


TICK_CHUNK = 1000  # orders per transaction of the periodic job


def _chunks(items: list, size: int = TICK_CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _insert_cards(rows: list[tuple]) -> set[int]:
    """Insert cards ``(zone, order, stage, level, round, department, due_at, raised_at)`` in one
    statement, skipping those the unique constraint ``card_once`` already holds; returns the orders
    whose card *this* statement created.

    It is ``bulk_create(ignore_conflicts=True)`` plus ``RETURNING`` (SQLite ≥ 3.35 and PostgreSQL):
    Django returns no rows when conflicts are ignored, and the notifications must go out once, from
    the tick that created the card. On PostgreSQL a second tick inserting the same card waits for
    the first one's transaction and then skips the row, so each card has one creator.
    """
    if not rows:
        return set()
    from django.db import connection

    ops, qn, meta = connection.ops, connection.ops.quote_name, Card._meta
    cols = ["zone_id", "order_id", "stage", "level", "round", "department_id", "due_at", "raised_at"]
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(meta.get_field(c).column) for c in cols)}) VALUES "
           + ", ".join(["(" + ", ".join(["%s"] * len(cols)) + ")"] * len(rows))
           + f" ON CONFLICT ({', '.join(qn(meta.get_field(c).column) for c in ('order_id', 'stage', 'level', 'round'))})"
           f" DO NOTHING RETURNING {qn('order_id')}")
    params = [v for r in rows for v in (*r[:6], ops.adapt_datetimefield_value(r[6]),
                                        ops.adapt_datetimefield_value(r[7]))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {r[0] for r in cursor.fetchall()}


def _claim_followups(ids: list[int], now: datetime.datetime) -> set[int]:
    """Mark the follow-up of these resolved orders sent, only where nobody has yet (one conditional
    UPDATE … RETURNING): the orders this tick claimed."""
    if not ids:
        return set()
    from django.db import connection

    ops, qn, meta = connection.ops, connection.ops.quote_name, ServiceRequest._meta
    col = qn(meta.get_field("followup_sent_at").column)
    sql = (f"UPDATE {qn(meta.db_table)} SET {col} = %s WHERE {qn('id')} IN ({', '.join(['%s'] * len(ids))}) "
           f"AND {col} IS NULL AND {qn('state')} = %s RETURNING {qn('id')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [ops.adapt_datetimefield_value(now), *ids, str(OrderState.RESOLVED)])
        return {r[0] for r in cursor.fetchall()}


def _raise_cards(orders: list[dict], level: str, now: datetime.datetime) -> int:
    """Raise ``level`` cards on these orders (one transaction): the cards in one statement, the
    responsible departments and the people to tell in one query each, the messages in bulk."""
    staged = [o["pk"] for o in orders if o["stage"] != Stage.DISPATCH]
    leads = dict(Assignment.objects.filter(order_id__in=staged, active=True, role=AssignmentRole.LEAD)
                 .order_by("order_id", "id").values_list("order_id", "department_id")) if staged else {}
    orders = sorted(orders, key=lambda o: o["pk"])  # one lock order for concurrent ticks (PostgreSQL)
    with transaction.atomic():
        created = _insert_cards([(o["zone_id"], o["pk"], o["stage"], level, o["round"], leads.get(o["pk"]),
                                  o["due_at"], now) for o in orders])
        mine = [o for o in orders if o["pk"] in created]
        if not mine:
            return 0
        people = notify.Recipients(zones=[o["zone_id"] for o in mine], chains=[o["chain_id"] for o in mine],
                                   departments=[leads[o["pk"]] for o in mine if o["pk"] in leads])
        red = level == CardLevel.RED
        what = "已超期" if red else "临近时限（剩余不足四分之一）"
        messages = []
        for o in mine:
            dept = leads.get(o["pk"])
            users = people.department(dept) if dept else people.committee(o["zone_id"], o["chain_id"])
            if red:
                users = users + people.committee(o["zone_id"], o["chain_id"])
            title = (f"{'红牌' if red else '黄牌'}督办：工单 {o['ref']}《{o['title']}》"
                     f"{Stage(o['stage']).label}{what}")
            messages.append(notify.Message(users=users, kind=f"card_{level}", title=title, order_id=o["pk"],
                                           zone_id=o["zone_id"],
                                           body=f"时限：{timezone.localtime(o['due_at']):%Y-%m-%d %H:%M}"))
        notify.notify_many(messages, at=now)
    return len(mine)


def tick(now: datetime.datetime) -> dict:
    """Raise yellow and red cards, send reminders (催办) and follow-up requests (回访), in batches.

    Each batch of orders is one transaction: its cards go in with one INSERT that skips cards that
    already exist (the unique constraint ``card_once``), and only the cards that INSERT created get
    their messages, written in bulk; follow-ups are claimed by one conditional UPDATE per batch. So
    two ticks at once raise each card and send each message exactly once, whoever runs first.
    """
    done = {"yellow": 0, "red": 0, "followups": 0}
    base = ServiceRequest.objects.filter(state__in=OPEN_TICK_STATES).exclude(stage="")
    fields = ("pk", "zone_id", "chain_id", "stage", "round", "due_at", "ref", "title")
    for level, cond in ((CardLevel.RED, Q(due_at__lt=now)), (CardLevel.YELLOW, Q(warn_at__lte=now, due_at__gte=now))):
        has = Card.objects.filter(order=OuterRef("pk"), stage=OuterRef("stage"), level=level, round=OuterRef("round"))
        todo = list(base.filter(cond).exclude(Exists(has)).order_by("due_at", "pk").values(*fields))
        for chunk in _chunks(todo):
            done[level] += _raise_cards(chunk, level, now)
    pending = list(ServiceRequest.objects.filter(state=OrderState.RESOLVED, followup_sent_at__isnull=True)
                   .order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(pending):
        with transaction.atomic():
            claimed = _claim_followups(chunk, now)
            rows = list(ServiceRequest.objects.filter(pk__in=claimed).order_by("pk")
                        .values("pk", "zone_id", "enterprise_id", "ref", "title"))
            people = notify.Recipients(enterprises=[r["enterprise_id"] for r in rows])
            notify.notify_many([notify.Message(
                users=people.firm(r["enterprise_id"]), kind="followup", order_id=r["pk"], zone_id=r["zone_id"],
                title=f"回访：工单 {r['ref']}《{r['title']}》已办结，请对办理结果进行评价") for r in rows], at=now)
            done["followups"] += len(claimed)
    return done


# --- figures ----------------------------------------------------------------------------------------


def _rate(num: int, den: int) -> float | None:
    return round(100.0 * num / den, 1) if den else None


def order_figures(qs) -> dict:
    """Counts and rates of a queryset of orders (one aggregate query)."""
    from django.db.models import Avg, Count

    agg = qs.aggregate(
        orders=Count("pk"),
        resolved=Count("pk", filter=Q(state__in=[OrderState.RESOLVED, OrderState.RATED, OrderState.CLOSED])),
        responded=Count("pk", filter=Q(responded_on_time__isnull=False)),
        responded_ok=Count("pk", filter=Q(responded_on_time=True)),
        timed=Count("pk", filter=Q(resolved_on_time__isnull=False)),
        timed_ok=Count("pk", filter=Q(resolved_on_time=True)),
        rated=Count("pk", filter=Q(satisfaction__isnull=False)),
        satisfied=Count("pk", filter=Q(satisfaction__gte=Satisfaction.BASIC)),
        avg_days=Avg("workdays_taken"),
    )
    return {
        "orders": agg["orders"], "orders_resolved": agg["resolved"],
        "response_rate": _rate(agg["responded_ok"], agg["responded"]),
        "on_time_rate": _rate(agg["timed_ok"], agg["timed"]),
        "satisfaction_rate": _rate(agg["satisfied"], agg["rated"]),
        "avg_workdays": round(agg["avg_days"], 1) if agg["avg_days"] is not None else None,
    }


def zone_order_stats(zone_ids) -> dict[int, dict]:
    """The zones' order figures (the home pages, ``GET /api/v1/zones/{id}/stats``), counted from the orders in
    one grouped query: an entry for every id of ``zone_ids``."""
    rows = {r["key"]: r for r in _grouped(ServiceRequest.objects.filter(zone_id__in=zone_ids), "zone_id",
                                           distinct=False)}
    none = {"orders": 0, "resolved": 0, "response_rate": None, "on_time_rate": None, "satisfaction_rate": None}
    out = {}
    for z in zone_ids:
        r = rows.get(z, none)
        out[z] = {"orders": r["orders"], "orders_resolved": r["resolved"], "response_rate": r["response_rate"],
                  "on_time_rate": r["on_time_rate"], "satisfaction_rate": r["satisfaction_rate"]}
    return out


def _grouped(qs, key: str, *, distinct: bool = True) -> list[dict]:
    """``order_figures`` per value of ``key`` (one grouped query), most orders first. ``distinct=False`` for a
    queryset without joins (each order one row): ``COUNT(DISTINCT …)`` sorts each measure's values, which at
    province scale costs half a second for a zone's year of orders."""
    from django.db.models import Avg, Count

    done = [OrderState.RESOLVED, OrderState.RATED, OrderState.CLOSED]
    rows = qs.values(key).annotate(
        orders=Count("pk", distinct=distinct),
        resolved=Count("pk", filter=Q(state__in=done), distinct=distinct),
        responded=Count("pk", filter=Q(responded_on_time__isnull=False), distinct=distinct),
        responded_ok=Count("pk", filter=Q(responded_on_time=True), distinct=distinct),
        timed=Count("pk", filter=Q(resolved_on_time__isnull=False), distinct=distinct),
        timed_ok=Count("pk", filter=Q(resolved_on_time=True), distinct=distinct),
        rated=Count("pk", filter=Q(satisfaction__isnull=False), distinct=distinct),
        satisfied=Count("pk", filter=Q(satisfaction__gte=Satisfaction.BASIC), distinct=distinct),
        avg_days=Avg("workdays_taken"),
    ).order_by("-orders", key)
    return [{"key": r[key], "orders": r["orders"], "resolved": r["resolved"],
             "response_rate": _rate(r["responded_ok"], r["responded"]),
             "on_time_rate": _rate(r["timed_ok"], r["timed"]),
             "satisfaction_rate": _rate(r["satisfied"], r["rated"]),
             "avg_days": round(r["avg_days"], 1) if r["avg_days"] is not None else None} for r in rows]


def with_lead_department(qs):
    """Orders annotated with ``lead_department``: the department that answers for the order, the one of
    its latest lead assignment that was not returned (退单). It stays the order's department whatever
    happens next (rated, 不满意 twice and escalated, closed by the zone), so a department's figures count
    the same orders by the same definitions as the zone's; an order only ever returned has none."""
    latest = (Assignment.objects.filter(order=OuterRef("pk"), role=AssignmentRole.LEAD)
              .exclude(state=AssignmentState.RETURNED).order_by("-id").values("department_id")[:1])
    return qs.annotate(lead_department=Subquery(latest))


def service_figures(user, *, by: str | None = None) -> dict:
    """The figures of the 办理统计 page (and of ``GET /api/v1/service-figures``), counted from the
    orders ``user`` may see: ``by_dept`` (per lead department), ``by_chain`` and ``total``. Each row:
    ``key``, ``name``, ``orders`` (received), ``resolved``, ``response_rate``, ``on_time_rate``,
    ``avg_days`` (working days), ``satisfaction_rate``. ``by`` ("department"/"chain") computes one
    grouping only."""
    from liantong.orgs.models import Chain, Department

    visible = ServiceRequest.objects.visible_to(user)
    out: dict = {}
    if by in (None, "department"):
        rows = _grouped(with_lead_department(visible).filter(lead_department__isnull=False), "lead_department")
        names = dict(Department.objects.visible_to(user).filter(pk__in=[r["key"] for r in rows])
                     .values_list("pk", "name"))
        for r in rows:
            r["name"] = names.get(r["key"], "")
        out["by_dept"] = rows
    if by in (None, "chain"):
        rows = _grouped(visible, "chain")
        names = dict(Chain.objects.visible_to(user).filter(pk__in=[r["key"] for r in rows if r["key"]])
                     .values_list("pk", "name"))
        for r in rows:
            r["name"] = names.get(r["key"], "未关联产业链")
        out["by_chain"] = rows
    out["total"] = order_figures(visible)
    return out


# --- citations from the order page ---------------------------------------------------------------


# accepted or later: the lead department is working on it, or it is done
CITE_STATES = [OrderState.ACCEPTED, OrderState.EXTENSION_REQUESTED, OrderState.RESOLVED, OrderState.RATED,
               OrderState.ESCALATED, OrderState.CLOSED]


def may_cite(order: ServiceRequest, user) -> bool:
    """Whether ``user`` may cite, from the order page, what solved ``order``: the committee (zone or
    chain, the order in its scope) or the lead department, once the order is accepted or later."""
    from .workflow import COMMITTEE, LEAD, actor_roles

    return (order.state in CITE_STATES and user.has_perm_code("resources.cite")
            and bool(actor_roles(order, user) & {COMMITTEE, LEAD}))


def citable(order: ServiceRequest, user, *, limit: int = 300) -> dict:
    """What ``user`` may cite for ``order``: the department resources and action projects of the
    order's zone visible to them (their own department's first)."""
    from django.db.models import Case, IntegerField, Value, When

    from liantong.resources.models import ActionProject, DepartmentResource

    mine = Case(When(department_id=user.department_id, then=Value(0)), default=Value(1),
                output_field=IntegerField()) if user.department_id else Value(1)
    res = (DepartmentResource.objects.visible_to(user).filter(zone_id=order.zone_id).select_related("department")
           .annotate(mine=mine).order_by("mine", "department__name", "-id")[:limit])
    projects = (ActionProject.objects.visible_to(user).filter(zone_id=order.zone_id)
                .annotate(mine=mine).order_by("mine", "-flagship", "-id")[:limit])
    return {"resources": list(res), "projects": list(projects)}


def cite_for_order(order: ServiceRequest, *, actor, resource=None, project=None, note: str = ""):
    """The order page's citation: checks who and when (``may_cite``), finds the resource or project
    among those visible to ``actor`` (ids or instances), then records it with
    ``liantong.resources.services.cite`` (audited; citing the same thing twice returns the first)."""
    from liantong.resources import services as resources
    from liantong.resources.models import ActionProject, DepartmentResource

    from .workflow import COMMITTEE, LEAD, actor_roles

    if not (actor_roles(order, actor) & {COMMITTEE, LEAD}) or not actor.has_perm_code("resources.cite"):
        raise Forbidden("只有园区党工委、产业链联合党委或主办部门可以为工单引用资源或项目")
    if order.state not in CITE_STATES:
        raise TransitionError(f"工单当前状态为“{order.get_state_display()}”，接单办理后才能引用资源或项目")
    if (resource in (None, "")) == (project in (None, "")):
        raise ServiceError("请选择一项部门资源或一个行动项目（且只能选一个）", field="resource")
    if len((note or "").strip()) > 200:
        raise ServiceError("说明不能超过 200 字", field="note")
    model, value, field = ((DepartmentResource, resource, "resource") if resource not in (None, "")
                           else (ActionProject, project, "project"))
    pk = getattr(value, "pk", value)
    try:
        target = model.objects.visible_to(actor).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        target = None
    if target is None:
        raise ServiceError(f"未找到所选{model._meta.verbose_name}，或您无权访问", field=field)
    return resources.cite(actor=actor, order=order, note=note, **{field: target})


def order_citations(order: ServiceRequest, user) -> list:
    """The citations of ``order`` whose resource or project ``user`` may see (the order itself is
    already visible to them), newest first."""
    from liantong.resources.models import ActionProject, DepartmentResource, OrderCitation

    return list(OrderCitation.objects.filter(order=order).as_scoped()  # the order is visible, so are the targets
                .filter(Q(resource__in=DepartmentResource.objects.visible_to(user).values("pk"))
                        | Q(project__in=ActionProject.objects.visible_to(user).values("pk")))
                .select_related("resource__department", "project", "created_by").order_by("-id"))
