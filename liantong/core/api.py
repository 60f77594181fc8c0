"""Zones and their figures; downloading an attached file."""

import datetime
import uuid

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .files import file_response, get_attachment_for_user
from .models import Zone
from .stats import zone_stats

router = Router(tags=["园区"])


class ZoneOut(Schema):
    id: int
    name: str
    short_name: str
    province: str
    city: str
    is_demo: bool


@router.get("/zones", response=list[ZoneOut], summary="园区列表")
def list_zones(request):
    return list(Zone.objects.visible_to(request.user).order_by("id"))


@router.get("/zones/{zone_id}/stats", response=dict, summary="园区统计（由数据计算）")
def zone_stats_view(request, zone_id: int):
    zone = get_object_or_404(Zone.objects.visible_to(request.user), pk=zone_id)
    return zone_stats(zone)


# --- attached files (core.files) -------------------------------------------------------------------------


class AttachmentOut(Schema):
    """A file attached to a record; ``url`` downloads it (the same check as the page: 404 out of scope)."""

    id: int
    uuid: uuid.UUID
    name: str
    size: int
    mime: str
    is_image: bool
    uploaded_at: datetime.datetime
    url: str


@router.get("/files/{key}", summary="下载附件（仅能看到所属记录的用户可下载，否则 404；图片内联显示，其余作为下载）",
            tags=["附件"])
def download_file(request, key: uuid.UUID):
    return file_response(get_attachment_for_user(request.user, key))
