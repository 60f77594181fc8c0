"""API of the services strand: orders, their timeline and their moves — all through the scoping layer.

``POST /orders/{id}/transitions`` with ``{"action": ..., "note": ..., ...}`` answers 409 when the
move is refused (illegal in this state, wrong role, someone was faster) and 400 on bad input,
always with a Chinese ``detail``; out-of-scope orders answer 404.
"""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from liantong.core.services import ServiceError
from liantong.orgs.api import Page

from . import services
from .models import ServiceRequest
from .workflow import TransitionError, transition

router = Router(tags=["服务优链"])


class TimelineOut(Schema):
    at: datetime.datetime
    action: str
    from_state: str
    to_state: str
    actor_name: str
    actor_unit: str
    department_id: int | None
    note: str


class AssignmentOut(Schema):
    department_id: int
    role: str
    state: str
    active: bool


class OrderOut(Schema):
    id: int
    ref: str | None
    zone_id: int
    enterprise_id: int
    chain_id: int | None
    category: str
    title: str
    description: str
    urgency: str
    state: str
    stage: str
    due_at: datetime.datetime | None
    submitted_at: datetime.datetime
    resolved_at: datetime.datetime | None
    resolve_due_at: datetime.datetime | None
    satisfaction: int | None
    merged_into_id: int | None


class OrderDetailOut(OrderOut):
    timeline: list[TimelineOut]
    assignments: list[AssignmentOut]


class OrderIn(Schema):
    title: str = ""
    category: str = ""
    description: str = ""
    urgency: str = "normal"
    chain: int | None = None
    contact_name: str = ""
    contact_phone: str = ""


class MoveIn(Schema):
    action: str
    note: str = ""
    lead: int | None = None
    assists: list[int] = []
    into: int | None = None
    days: int | None = None
    satisfaction: int | None = None
    expected_state: str | None = None


class OrderFilter(Schema):
    state: str | None = None
    category: str | None = None
    chain: int | None = None
    zone: int | None = None
    q: str | None = None


class Detail(Schema):
    detail: str


@router.get("/orders", response=list[OrderOut], summary="企业需求清单（工单列表）")
@paginate(Page)
def list_orders(request, filters: Query[OrderFilter]):
    qs = ServiceRequest.objects.visible_to(request.user).order_by("-id")
    for key, lookup in {"state": "state", "category": "category", "chain": "chain_id", "zone": "zone_id",
                        "q": "title__icontains"}.items():
        v = getattr(filters, key)
        if v not in (None, ""):
            qs = qs.filter(**{lookup: v})
    return qs


def _detail(order: ServiceRequest) -> dict:
    out = OrderOut.model_validate(order).model_dump()
    out["timeline"] = list(order.timeline.order_by("at", "id"))
    out["assignments"] = list(order.assignments.order_by("id"))
    return out


@router.get("/orders/{pk}", response=OrderDetailOut, summary="工单详情（含办理过程）")
def get_order(request, pk: int):
    return _detail(get_object_or_404(ServiceRequest.objects.visible_to(request.user), pk=pk))


@router.post("/orders", response={201: OrderDetailOut, 400: Detail}, summary="企业点单")
def create_order(request, payload: OrderIn):
    try:
        order = services.place_order(actor=request.user, **payload.dict())
    except ServiceError as exc:
        return Status(400, {"detail": exc.message})
    return Status(201, _detail(order))


@router.post("/orders/{pk}/transitions", response={200: OrderDetailOut, 400: Detail, 409: Detail},
             summary="工单流转（派单、接单、退单、办结、评价……）")
def move_order(request, pk: int, payload: MoveIn):
    order = get_object_or_404(ServiceRequest.objects.visible_to(request.user), pk=pk)
    if payload.expected_state:
        order.state = payload.expected_state
    params: dict = {}
    if payload.action in ("dispatch", "redispatch"):
        params = {"lead": payload.lead, "assists": payload.assists}
    elif payload.action == "merge":
        target = ServiceRequest.objects.visible_to(request.user).filter(pk=payload.into).first()
        if target is None:
            return Status(400, {"detail": "请指定可访问的并单目标工单（into）"})
        params = {"into": target}
    elif payload.action == "request_extension":
        params = {"days": payload.days}
    elif payload.action == "rate":
        params = {"satisfaction": payload.satisfaction}
    try:
        order = transition(order, payload.action, actor=request.user, note=payload.note, **params)
    except TransitionError as exc:
        return Status(400 if exc.field else 409, {"detail": exc.message})
    except ServiceError as exc:
        return Status(400, {"detail": exc.message})
    return Status(200, _detail(order))
