"""API of the services strand — all through the scoping layer: orders, their timeline, moves,
dispatch suggestions and citations; "高效办成一件事" bundles; supervision cards; the user's own
messages; the figures of the 办理统计 page; the order categories.

``POST /orders/{id}/transitions`` with ``{"action": ..., "note": ..., "expected_state": ..., ...}`` (built
by ``core.workflow_api`` like every state machine's) answers 409 when the move is illegal in this state or
someone was faster, 403 when the role may not, 400 on bad input, always with a Chinese ``detail``;
``GET`` lists the moves the caller may make. Out-of-scope objects answer 404. The other endpoints answer 403
(with a Chinese ``detail``) when the user's role does not allow the call, 409 when the object's
state does not, 400 on bad input and 422 when the request does not match the schema.
"""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from liantong.core import dicts
from liantong.core.api import AttachmentOut
from liantong.core.lists import CappedPage
from liantong.core.workflow_api import transition_endpoints

from . import services, tables
from .models import Notification, ServiceBundle, ServiceRequest
from .suggest import suggest
from .workflow import ORDER_WORKFLOW, TransitionError, allowed_actions, category_limit

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


class OrderMoveParams(Schema):
    """The order's move parameters, beside ``action``, ``note`` and ``expected_state``."""

    lead: int | None = Field(None, description="主办部门（派单、改派）")
    assists: list[int] = Field([], max_length=20, description="协办部门（派单、改派）")
    into: int | None = Field(None, description="并入的工单（并单）")
    days: int | None = Field(None, description="延期工作日数（申请延期）")
    satisfaction: int | None = Field(None, description="满意度 1 不满意 / 2 基本满意 / 3 满意（评价）")


class Detail(Schema):
    detail: str


@router.get("/orders", response=list[OrderOut], summary="企业需求清单（工单列表）")
@paginate(CappedPage)
def list_orders(request, filters: Query[tables.ORDERS.query_schema("OrderQuery")]):
    return tables.ORDERS.read(request)


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
    order = services.place_order(actor=request.user, **payload.dict())
    return Status(201, _detail(order))


@router.get("/orders/{pk}/attachments", response=list[AttachmentOut], summary="工单附件列表（url 为下载地址）")
def list_order_attachments(request, pk: int):
    order = get_object_or_404(ServiceRequest.objects.visible_to(request.user), pk=pk)
    return list(order.attachments.all())


@router.post("/orders/{pk}/attachments", response={201: list[AttachmentOut], 400: Detail, 403: Detail, 409: Detail},
             summary="为工单上传附件（multipart，字段 files，可多个；本企业或可办理该工单者；类型按内容检查）")
def upload_order_attachments(request, pk: int, files: File[list[UploadedFile]]):
    order = get_object_or_404(ServiceRequest.objects.visible_to(request.user), pk=pk)
    return Status(201, services.add_attachments(order, files, actor=request.user))


def _move_params(request, order, action: str, params: dict) -> dict:
    """The merge target is read through the scoping layer like the order itself."""
    if action == "merge":
        target = ServiceRequest.objects.visible_to(request.user).filter(pk=params.get("into")).first()
        if target is None:
            raise TransitionError("请指定可访问的并单目标工单（into）", field="into")
        params["into"] = target
    return params


# GET/POST /orders/{id}/transitions: every move of workflow.TRANSITIONS (派单、接单、退单、办结、评价……)
transition_endpoints(router, ORDER_WORKFLOW, path="orders", out=OrderDetailOut, render=_detail,
                     params=OrderMoveParams, prepare=_move_params)


def _forbidden(message: str) -> Status:
    return Status(403, {"detail": message})


# --- dispatch suggestions ------------------------------------------------------------------------


class SuggestionOut(Schema):
    department_id: int
    department_name: str
    score: float
    reasons: list[str]


@router.get("/orders/{pk}/suggestions", response={200: list[SuggestionOut], 403: Detail, 409: Detail},
            summary="派单建议（推荐承办部门及理由）")
def order_suggestions(request, pk: int):
    order = get_object_or_404(ServiceRequest.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm_code("services.dispatch"):
        return _forbidden("只有园区党工委或产业链联合党委可以查看派单建议")
    if not any(m.action in ("dispatch", "redispatch") for m in allowed_actions(order, request.user)):
        return Status(409, {"detail": f"工单当前状态为“{order.get_state_display()}”，您现在不能为它派单"})
    return Status(200, [{"department_id": s["department"].pk, "department_name": s["department"].name,
                         "score": s["score"], "reasons": s["reasons"]} for s in suggest(order)])


# --- citations (an order cites the resource or project that solved it) ---------------------------


class CitationIn(Schema):
    resource: int | None = Field(None, description="部门资源 ID（与 project 二选一）")
    project: int | None = Field(None, description="行动项目 ID（与 resource 二选一）")
    note: str = ""


class CitationOut(Schema):
    id: int
    order_id: int
    resource_id: int | None
    project_id: int | None
    title: str
    note: str
    created_at: datetime.datetime


def _citation(c) -> dict:
    return {"id": c.pk, "order_id": c.order_id, "resource_id": c.resource_id, "project_id": c.project_id,
            "title": str(c.resource or c.project), "note": c.note, "created_at": c.created_at}


@router.get("/orders/{pk}/citations", response=list[CitationOut], summary="工单引用的部门资源与行动项目")
def list_citations(request, pk: int):
    order = get_object_or_404(ServiceRequest.objects.visible_to(request.user), pk=pk)
    return [_citation(c) for c in services.order_citations(order, request.user)]


@router.post("/orders/{pk}/citations", response={200: CitationOut, 201: CitationOut, 400: Detail, 403: Detail,
                                                 409: Detail},
             summary="工单引用解决它的部门资源或行动项目（党工委、产业链联合党委或主办部门，接单后）")
def cite(request, pk: int, payload: CitationIn):
    from liantong.resources.models import OrderCitation

    order = get_object_or_404(ServiceRequest.objects.visible_to(request.user), pk=pk)
    known = set(OrderCitation.objects.filter(order=order).values_list("pk", flat=True))
    citation = services.cite_for_order(order, actor=request.user, resource=payload.resource,
                                       project=payload.project, note=payload.note)
    return Status(200 if citation.pk in known else 201, _citation(citation))


# --- 高效办成一件事 ------------------------------------------------------------------------------------


class ProgressOut(Schema):
    done: int
    total: int
    percent: int


class BundleOut(Schema):
    id: int
    zone_id: int
    enterprise_id: int
    enterprise_name: str = Field(..., alias="enterprise.name")
    chain_id: int | None
    title: str
    description: str
    due_at: datetime.datetime | None
    satisfaction: int | None
    rating_note: str
    created_at: datetime.datetime


class BundleDetailOut(BundleOut):
    progress: ProgressOut
    orders: list[OrderOut] = Field(..., alias="linked_orders")


class BundleItemIn(Schema):
    category: str = ""
    title: str = ""
    description: str = ""


class BundleIn(Schema):
    title: str = ""
    description: str = ""
    chain: int | None = None
    items: list[BundleItemIn] = []


class RatingIn(Schema):
    satisfaction: int | None = Field(None, description="3 满意 / 2 基本满意 / 1 不满意（退回重办）")
    note: str = ""


def _bundle(bundle: ServiceBundle, user) -> ServiceBundle:
    bundle.progress = services.bundle_progress(bundle)
    # the linked orders this user may open (the progress counts all of them, titles need scope)
    bundle.linked_orders = list(ServiceRequest.objects.visible_to(user).filter(bundle=bundle).order_by("id"))
    return bundle


@router.get("/bundles", response=list[BundleOut], summary="高效办成一件事清单")
@paginate(CappedPage)
def list_bundles(request, filters: Query[tables.BUNDLES.query_schema("BundleQuery")]):
    return tables.BUNDLES.read(request)


@router.get("/bundles/{pk}", response=BundleDetailOut, summary="“一件事”详情（关联工单、总体时限、进度）")
def get_bundle(request, pk: int):
    bundle = get_object_or_404(ServiceBundle.objects.visible_to(request.user).select_related("enterprise"), pk=pk)
    return _bundle(bundle, request.user)


@router.post("/bundles", response={201: BundleDetailOut, 400: Detail, 403: Detail},
             summary="企业提交“一件事”（多个部门办理的事项，一次提交、一个总体时限）")
def create_bundle(request, payload: BundleIn):
    if not request.user.has_perm_code("services.place") or request.user.enterprise is None:
        return _forbidden("只有企业用户可以提交“一件事”")
    bundle = services.create_bundle(actor=request.user, title=payload.title, description=payload.description,
                                    chain=payload.chain, items=[i.dict() for i in payload.items])
    return Status(201, _bundle(ServiceBundle.objects.select_related("enterprise").get(pk=bundle.pk), request.user))


@router.post("/bundles/{pk}/rating", response={200: BundleDetailOut, 400: Detail, 403: Detail, 409: Detail},
             summary="企业对“一件事”作一次总体评价")
def rate_bundle(request, pk: int, payload: RatingIn):
    bundle = get_object_or_404(ServiceBundle.objects.visible_to(request.user), pk=pk)
    if request.user.enterprise_id != bundle.enterprise_id or not request.user.has_perm_code("services.place"):
        return _forbidden("只有提交该“一件事”的企业可以评价")
    # not all done yet, or rated already: the bundle's state refuses it (Conflict, 409)
    services.rate_bundle(bundle, actor=request.user, satisfaction=payload.satisfaction, note=payload.note)
    return Status(200, _bundle(ServiceBundle.objects.select_related("enterprise").get(pk=pk), request.user))


# --- 督办红黄牌 ---------------------------------------------------------------------------------------


class CardOut(Schema):
    id: int
    zone_id: int
    order_id: int
    order_ref: str | None = Field(None, alias="order.ref")
    order_title: str = Field(..., alias="order.title")
    chain_id: int | None = Field(None, alias="order.chain_id")
    stage: str
    level: str
    round: int
    department_id: int | None
    department_name: str | None = Field(None, alias="department.name")
    due_at: datetime.datetime
    raised_at: datetime.datetime
    cleared_at: datetime.datetime | None


@router.get("/cards", response={200: list[CardOut], 403: Detail}, summary="督办红黄牌（督办看板）")
@paginate(CappedPage)
def list_cards(request, filters: Query[tables.CARDS.query_schema("CardQuery")]):
    """The board's list (``tables.CARDS``): ``status`` open (default), closed or all; level, stage, department,
    chain; ``q`` searches the order's title and number."""
    if not request.user.has_perm_code("services.supervise"):  # raised: a returned Status would be paginated
        raise HttpError(403, "只有园区党工委或产业链联合党委可以查看督办红黄牌")
    return tables.CARDS.read(request)


# --- messages (站内信): only ever the user's own -----------------------------------------------------


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    order_id: int | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationPage(CappedPage):
    """The capped page plus the user's unread count (the bell's figure), whatever the filter."""

    class Output(CappedPage.Output):
        unread_count: int = Field(..., description="未读消息数")

    def paginate_queryset(self, queryset, pagination, **params):
        out = super().paginate_queryset(queryset, pagination, **params)
        out["unread_count"] = _own(params["request"].user).filter(read_at__isnull=True).count()
        return out


def _own(user):
    return Notification.objects.owned_by(user)


@router.get("/notifications", response=list[NotificationOut],
            summary="我的消息（含未读数 unread_count；unread=true 只看未读，q 检索标题和内容）")
@paginate(NotificationPage)
def list_notifications(request, filters: Query[tables.NOTIFICATIONS.query_schema("NotificationQuery")]):
    return tables.NOTIFICATIONS.read(request)


class ReadAllOut(Schema):
    marked: int
    unread_count: int


@router.post("/notifications/read-all", response={200: ReadAllOut}, summary="全部标为已读")
def read_all(request):
    return Status(200, {"marked": services.mark_read(request.user), "unread_count": 0})


@router.post("/notifications/{pk}/read", response={200: NotificationOut}, summary="标为已读")
def read_one(request, pk: int):
    note = get_object_or_404(_own(request.user), pk=pk)
    services.mark_read(request.user, [note.pk])
    note.refresh_from_db()
    return Status(200, note)


# --- figures -------------------------------------------------------------------------------------


class FigureRow(Schema):
    id: int | None = Field(None, description="部门或产业链 ID（未关联产业链时为空）")
    name: str
    received: int
    resolved: int
    response_rate: float | None
    on_time_rate: float | None
    avg_workdays: float | None
    satisfaction_rate: float | None


class FiguresOut(Schema):
    by: str
    rows: list[FigureRow]
    total: dict


@router.get("/service-figures", response={200: FiguresOut, 403: Detail},
            summary="办理统计（按承办部门或产业链：受理、响应率、按时办结率、平均用时、满意率）")
def service_figures(request, by: Literal["department", "chain"] = "department"):
    if not request.user.has_perm_code("services.figures"):
        return _forbidden("您无权查看办理统计")
    figs = services.service_figures(request.user, by=by)
    rows = figs["by_dept" if by == "department" else "by_chain"]
    return Status(200, {"by": by, "total": figs["total"], "rows": [
        {"id": r["key"], "name": r["name"], "received": r["orders"], "resolved": r["resolved"],
         "response_rate": r["response_rate"], "on_time_rate": r["on_time_rate"], "avg_workdays": r["avg_days"],
         "satisfaction_rate": r["satisfaction_rate"]} for r in rows]})


# --- order categories ----------------------------------------------------------------------------


class CategoryOut(Schema):
    value: str
    label: str
    limit_days: int = Field(..., description="办结时限（工作日）")


@router.get("/order-categories", response=list[CategoryOut], summary="诉求类别（含办结时限，管理员可在数据字典中修改）")
def order_categories(request, include_inactive: bool = False):
    return [{"value": i["value"], "label": i["label"], "limit_days": category_limit(i["value"])}
            for i in dicts.items("service_category") if include_inactive or i["active"]]
