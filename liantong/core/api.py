"""Zones and their figures."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

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
