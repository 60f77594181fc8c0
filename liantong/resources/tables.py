"""List-page columns and filters of the resources app."""

from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from liantong.core.lists import Listing
from liantong.core.tables import Column, Filter, sorts
from liantong.orgs.models import Department
from liantong.orgs.tables import CHAIN, ZONE

from .models import (
    ActionProject,
    Booking,
    DepartmentResource,
    JointMeeting,
    Resolution,
    ServiceSquad,
    ServiceVisit,
    SharedResource,
)


def YES_NO(user):
    return [("true", "是"), ("false", "否")]


def department_choices(user):
    return list(Department.objects.visible_to(user).values_list("pk", "name")[:300])


def squad_choices(user):
    return list(ServiceSquad.objects.visible_to(user).values_list("pk", "name")[:300])


def _progress(p):
    v = p.progress
    return format_html('<div class="progress" style="min-width:90px" role="progressbar" aria-label="{}的进度" '
                       'aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100"><div class="progress-bar bg-danger" '
                       'style="width:{}%">{}%</div></div>', p.title, v, v, v)


def _card(r):
    level = r.card_level()
    if not level:
        return ""
    colour, text = ("danger", "红牌") if level == "red" else ("warning", "黄牌")
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, text)


def _flagship_title(p):
    badge = format_html(' <span class="badge text-bg-danger">{}</span>', "书记项目") if p.flagship else ""
    return format_html('<a href="{}">{}</a>{}', reverse("resources:project_detail", args=[p.pk]), p.title, badge)


DEPT_RESOURCE_COLUMNS = [
    Column("资源名称", "title", link="resources:deptresource_detail", order="title"),
    Column("类别", "kind", dict_code="dept_resource_kind"),
    Column("发布部门", "department.name"),
    Column("额度/数量", "quota"),
    Column("有效期止", "valid_until", order="valid_until"),
    Column("状态", "status", dict_code="resource_status"),
    Column("助力工单", "n_citations", order="n_citations"),
]
DEPT_RESOURCE_FILTERS = [ZONE, Filter("department", "部门", "department_id", department_choices),
                         Filter("kind", "类别", "kind", "dept_resource_kind"),
                         Filter("status", "状态", "status", "resource_status")]

PROJECT_COLUMNS = [
    Column("项目名称", "title", render=_flagship_title, order="title"),
    Column("负责人", "owner_name"),
    Column("责任单位", "unit"),
    Column("产业链", "chain.name"),
    Column("进度", "progress", render=_progress),
    Column("状态", "status", dict_code="project_status"),
    Column("助力工单", "n_citations", order="n_citations"),
]
PROJECT_FILTERS = [ZONE, CHAIN, Filter("flagship", "书记项目", "flagship", YES_NO),
                   Filter("status", "状态", "status", "project_status")]

SHARED_COLUMNS = [
    Column("资源名称", "name", link="resources:shared_detail", order="name"),
    Column("类别", "category", dict_code="shared_category"),
    Column("提供企业", "owner.name"),
    Column("产业链", "chain.name"),
    Column("收费标准与条件", "terms"),
    Column("地点", "location"),
    Column("状态", "status", dict_code="shared_status"),
]
SHARED_FILTERS = [ZONE, CHAIN, Filter("category", "类别", "category", "shared_category"),
                  Filter("status", "状态", "status", "shared_status")]

BOOKING_COLUMNS = [
    Column("共享资源", "resource.name", render=lambda b: format_html(
        '<a href="{}">{}</a>', reverse("resources:shared_detail",
                                                                       args=[b.resource_id]), b.resource.name)),
    Column("申请企业", "requester.name"),
    Column("开始", "start_on", order="start_on"),
    Column("结束", "end_on"),
    Column("用途", "purpose"),
    Column("状态", "state", dict_code="booking_state"),
    Column("处理意见", "reason"),
]
BOOKING_FILTERS = [ZONE, Filter("state", "状态", "state", "booking_state")]

SQUAD_COLUMNS = [
    Column("小分队", "name", link="resources:squad_detail", order="name"),
    Column("产业链", "chain.name"),
    Column("队长", "leader_name"),
    Column("服务次数", "n_visits", order="n_visits"),
]
SQUAD_FILTERS = [ZONE, CHAIN]

VISIT_COLUMNS = [
    Column("服务日期", "visited_on", link="resources:visit_detail", order="visited_on"),
    Column("小分队", "squad.name"),
    Column("服务企业", "enterprise.name"),
    Column("类型", "kind", dict_code="visit_kind"),
    Column("时长（小时）", "hours", order="hours"),
    Column("人次", "participants"),
]
VISIT_FILTERS = [ZONE, Filter("chain", "产业链", "squad__chain_id", CHAIN.choices),
                 Filter("squad", "小分队", "squad_id", squad_choices),
                 Filter("kind", "类型", "kind", "visit_kind"),
                 Filter("year", "年份", "visited_on__year", lambda u: [(y, f"{y}年") for y in range(2023, 2027)]),
                 Filter("visited_from", "服务日期起", "visited_on__gte"), Filter("visited_to", "服务日期止", "visited_on__lte")]

MEETING_COLUMNS = [
    Column("会议名称", "title", link="resources:meeting_detail", order="title"),
    Column("产业链", "chain.name"),
    Column("日期", "held_on", order="held_on"),
    Column("议定事项", "n_resolutions"),
    Column("已办结", "n_done"),
]
MEETING_FILTERS = [ZONE, CHAIN]

RESOLUTION_COLUMNS = [
    Column("议定事项", "content", render=lambda r: format_html(
        '<a href="{}#r{}">{}</a>', reverse("resources:meeting_detail",
                                                                          args=[r.meeting_id]), r.pk, r.content)),
    Column("会议", "meeting.title"),
    Column("责任单位", "owner"),
    Column("责任人", "owner_name"),
    Column("时限", "due_at", order="due_at"),
    Column("状态", "state", dict_code="resolution_state"),
    Column("督办", "state", render=_card),
]
RESOLUTION_FILTERS = [ZONE, Filter("chain", "产业链", "meeting__chain_id", CHAIN.choices),
                      Filter("state", "状态", "state", "resolution_state"),
                      Filter("card", "红黄牌", "cards__level", "card_level")]


# --- the lists' read declarations (page, API, export) ---------------------------------------------------


def _with_citations(model):
    return lambda user: model.objects.visible_to(user).annotate(n_citations=Count("citations"))


DEPT_RESOURCES = Listing(DepartmentResource, filters=DEPT_RESOURCE_FILTERS,
                         search_fields=["title", "description", "conditions"], sorts=sorts(DEPT_RESOURCE_COLUMNS),
                         select_related=["department"], base=_with_citations(DepartmentResource))
PROJECTS = Listing(ActionProject, filters=PROJECT_FILTERS, search_fields=["title", "owner_name", "description"],
                   ordering=("-flagship", "-id"), sorts=sorts(PROJECT_COLUMNS),
                   select_related=["chain", "enterprise", "department", "party_org"], prefetch_related=["milestones"],
                   base=_with_citations(ActionProject))
SHARED = Listing(SharedResource, filters=SHARED_FILTERS, search_fields=["name", "description", "owner__name", "location"],
                 sorts=sorts(SHARED_COLUMNS), select_related=["owner", "chain"])
BOOKINGS = Listing(Booking, filters=[*BOOKING_FILTERS, Filter("chain", "产业链", "resource__chain_id", CHAIN.choices),
                                     Filter("resource", "共享资源", "resource_id", None)],
                   search_fields=["purpose", "resource__name", "requester__name"], sorts=sorts(BOOKING_COLUMNS),
                   select_related=["resource", "requester"])
SQUADS = Listing(ServiceSquad, filters=SQUAD_FILTERS, search_fields=["name", "leader_name", "member_names"],
                 ordering="id", sorts=sorts(SQUAD_COLUMNS), select_related=["chain"],
                 base=lambda user: ServiceSquad.objects.visible_to(user).annotate(n_visits=Count("visits")))
VISITS = Listing(ServiceVisit, filters=[*VISIT_FILTERS, Filter("enterprise", "企业", "enterprise_id", None)],
                 search_fields=["enterprise__name", "result", "squad__name"], ordering=("-visited_on", "-id"),
                 sorts=sorts(VISIT_COLUMNS), select_related=["squad", "enterprise"])
MEETINGS = Listing(JointMeeting, filters=MEETING_FILTERS, search_fields=["title", "minutes", "location"],
                   ordering=("-held_on", "-id"), sorts=sorts(MEETING_COLUMNS), select_related=["chain"],
                   prefetch_related=["attending_orgs", "resolutions"])
RESOLUTIONS = Listing(Resolution, filters=RESOLUTION_FILTERS, search_fields=["content", "owner_name"],
                      ordering=("due_at", "id"), sorts=sorts(RESOLUTION_COLUMNS),
                      select_related=["meeting", "owner_enterprise", "owner_department", "owner_party_org"])
