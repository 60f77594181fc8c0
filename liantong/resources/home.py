"""The resources strand's home panel and the zone home's figures over a period.

A firm sees its bookings (and those waiting for approval); a department its own resources and the action
projects it may see; a chain committee the joint meetings' resolutions still open. Each figure is the
count of the list it links to (``core.home.list_figure``).
"""

from django.urls import reverse

from liantong.core.home import list_figure, rows_panel

from .models import ServiceVisit


def panel(request):
    from . import views

    user = request.user
    if user.enterprise_id:
        rows = [list_figure(request, "本企业的预约申请", views.BookingList, "resources:booking_list"),
                list_figure(request, "其中待审核", views.BookingList, "resources:booking_list", "warning", state="pending"),
                list_figure(request, "可预约的共享资源", views.SharedList, "resources:shared_list", status="available")]
        return rows_panel("resources", "资源共享", rows, empty="资源共享清单里有链上企业开放的设备、场地和人才，可直接预约。")
    if user.department_id:
        rows = [list_figure(request, "本部门资源", views.DeptResourceList, "resources:deptresource_list",
                            department=user.department_id),
                list_figure(request, "行动项目", views.ProjectList, "resources:project_list")]
        action = (("发布资源", reverse("resources:deptresource_create"))
                  if user.has_perm_code("resources.publish") else None)
        return rows_panel("resources", "部门资源与项目", rows, action=action,
                          empty="还没有发布部门资源：把政策、资金、场地等资源列出来，企业和链党委就能看到。")
    if user.chain_id:
        rows = [list_figure(request, "办理中的议定事项", views.ResolutionList, "resources:resolution_list", state="in_progress"),
                list_figure(request, "已逾期的议定事项", views.ResolutionList, "resources:resolution_list", "danger",
                            state="overdue"),
                list_figure(request, "帮办服务记录", views.VisitList, "resources:visit_list")]
        return rows_panel("resources", "联席会议与帮办", rows)
    return None


def flows(zone, start, end) -> dict:
    """帮办服务 visits made from ``start`` to ``end``."""
    n = ServiceVisit.objects.filter(zone=zone, visited_on__gte=start, visited_on__lte=end).count()
    return {"visits_in": (n, f"{reverse('resources:visit_list')}?visited_from={start}&visited_to={end}")}
