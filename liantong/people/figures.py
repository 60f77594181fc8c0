"""The people strand's figures, counted from its rows: the zone stats keys (``core/stats.py``) and the firm
page's panel (``orgs.extensions``)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from liantong.core import stats
from liantong.orgs.cultivation import counts_per_stage
from liantong.orgs.models import ChainMembership, Cultivation

from . import services
from .models import (
    Activity,
    ActivityKind,
    Attendance,
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


# --- per period and per chain (the dashboards, the big screen, the work report) ----------------------------

# the article's "联合主题党日、技术研讨活动24场": the joint activities a chain's committee holds with its firms'
# orgs, told apart from a branch's own 三会一课 and from trainings, visits, roadshows
JOINT_KINDS = (ActivityKind.THEMED_DAY, ActivityKind.SEMINAR)


def periodic_labels() -> dict[str, str]:
    """The labels of ``people_figures``' keys (built when the app is ready: the kinds' labels are lazy)."""
    joint = "、".join(str(ActivityKind(k).label) for k in JOINT_KINDS)
    return {"activities": LABELS["activities"], "attendance": LABELS["attendance"],
            "joint_activities": f"{joint}活动", "joint_attendance": f"{joint}活动参加人次",
            "training_programs": LABELS["training_programs"], "placements": LABELS["placements"]}


def _rows(zone, period, chain):
    acts = Activity.objects.filter(zone=zone).filter(stats.in_period(Activity, "held_on", period))
    att = Attendance.objects.filter(zone=zone, checked_in_at__isnull=False).filter(
        stats.in_period(Attendance, "activity__held_on", period))
    programs = TrainingProgram.objects.filter(zone=zone)
    if period is not None:  # running in the period: begun before its end, not ended before its start
        programs = programs.filter(Q(starts_on__lt=period.end) | Q(starts_on__isnull=True),
                                   Q(ends_on__gte=period.start) | Q(ends_on__isnull=True))
    placed = Placement.objects.filter(zone=zone).filter(stats.in_period(Placement, "placed_on", period))
    if chain is not None:
        acts, att, programs = acts.filter(chain=chain), att.filter(activity__chain=chain), programs.filter(chain=chain)
        placed = placed.filter(enterprise__in=ChainMembership.objects.filter(chain=chain).values("enterprise_id"))
    return acts, att, programs, placed


def people_figures(zone, period=None, chain=None) -> dict:
    """Activities held in the period (all kinds; and the joint ones, ``JOINT_KINDS``) with their person-times
    (checked-in attendances plus guests, as ``people_stats``), training programs running in it, placements
    made in it — for the zone or one chain (the activities and programs linked to it, placements into its
    firms). With no period and no chain: the zone's totals, the same as ``people_stats``."""
    acts, att, programs, placed = _rows(zone, period, chain)
    joint = Q(kind__in=JOINT_KINDS)
    a = acts.aggregate(n=Count("id"), guest_n=Sum("guests"), joint=Count("id", filter=joint),
                       joint_guest_n=Sum("guests", filter=joint))
    t = att.aggregate(n=Count("id"), joint=Count("id", filter=Q(activity__kind__in=JOINT_KINDS)))
    return {"activities": a["n"], "attendance": t["n"] + (a["guest_n"] or 0),
            "joint_activities": a["joint"], "joint_attendance": t["joint"] + (a["joint_guest_n"] or 0),
            "training_programs": programs.count(), "placements": placed.count()}


def people_monthly(zone, start, end, chain=None) -> dict:
    """The month-by-month series of the activities, their person-times and the placements (one query
    each over the rows' dates)."""
    acts, att, _, placed = _rows(zone, None, chain)
    joint = Q(kind__in=JOINT_KINDS)
    a = stats.by_month(acts, "held_on", start, end, {
        "activities": Count("id"), "guests": Sum("guests"),
        "joint_activities": Count("id", filter=joint), "joint_guests": Sum("guests", filter=joint)})
    t = stats.by_month(att, "activity__held_on", start, end, {
        "checked": Count("id"), "joint_checked": Count("id", filter=Q(activity__kind__in=JOINT_KINDS))})
    p = stats.by_month(placed, "placed_on", start, end, {"placements": Count("id")})
    months = stats.Period("month", start, end).months()
    return {"activities": a["activities"], "joint_activities": a["joint_activities"],
            "attendance": {m: t["checked"][m] + a["guests"][m] for m in months},
            "joint_attendance": {m: t["joint_checked"][m] + a["joint_guests"][m] for m in months},
            "placements": p["placements"]}


def people_stats(zone) -> dict:
    """The zone's totals: ``people_figures`` over all time (``attendance``: person-times, the checked-in
    attendances plus the guests' head-counts, summed from the rows) and the catalogue's counts;
    ``cultivation``: the dual-cultivation pipeline's counts per stage."""
    return {
        **people_figures(zone),
        "talent_needs": TalentNeed.objects.filter(zone=zone).count(),
        "trainees": Trainee.objects.filter(zone=zone).count(),
        "mentors": Mentor.objects.filter(zone=zone).count(),
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
