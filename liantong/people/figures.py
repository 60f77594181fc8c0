"""The people strand's figures, counted from its rows: the zone stats keys (``core/stats.py``) and the firm
page's panel (``orgs.extensions``)."""

from __future__ import annotations

from liantong.orgs.cultivation import counts_per_stage
from liantong.orgs.models import Cultivation

from . import services
from .models import (
    Activity,
    ActivityKind,
    CommitteePost,
    Manager,
    Mentor,
    Placement,
    TalentNeed,
    Trainee,
    TrainingProgram,
)

LABELS = {
    "activities": "组织生活与活动", "attendance": "参加人次", "talent_needs": "急需紧缺人才需求",
    "training_programs": "车间课堂实训项目", "trainees": "学员", "mentors": "导师（双导师制）",
    "placements": "定向输送", "roadshows": "引才宣介活动",
}


def people_stats(zone) -> dict:
    """``attendance``: person-times, the checked-in attendances plus the guests' head-counts, summed from the
    rows; ``cultivation``: the dual-cultivation pipeline's counts per stage."""
    return {
        "activities": Activity.objects.filter(zone=zone).count(),
        "attendance": services.zone_attendance(zone),
        "talent_needs": TalentNeed.objects.filter(zone=zone).count(),
        "training_programs": TrainingProgram.objects.filter(zone=zone).count(),
        "trainees": Trainee.objects.filter(zone=zone).count(),
        "mentors": Mentor.objects.filter(zone=zone).count(),
        "placements": Placement.objects.filter(zone=zone).count(),
        "roadshows": Activity.objects.filter(zone=zone, kind=ActivityKind.ROADSHOW).count(),
        "cultivation": counts_per_stage(Cultivation.objects.filter(zone=zone)),
    }


def enterprise_panel(request, ent) -> dict | None:
    """The firm page's 双向进入、交叉任职 panel: its managers, who sits on which committee, and the rate."""
    user = request.user
    managers = list(Manager.objects.visible_to(user).filter(enterprise=ent))
    if not managers:
        return None
    posts = {p.manager_id: p for p in services.current_posts(rows=CommitteePost.objects.visible_to(user))
             .filter(manager__in=managers, party_org__enterprise=ent)
             .select_related("party_org")}
    with_posts = [(m, posts.get(m.pk)) for m in managers]
    return {"template": "people/_enterprise_managers.html", "rows": with_posts,
            "rate": services.manager_committee_rate(ent), "seated": len(posts), "total": len(managers)}
