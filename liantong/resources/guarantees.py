"""The resources strand's scoped models in the guarantees registry (``core/guarantees.py``)."""

from liantong.core.guarantees import ZHENJIANG, Entry, register

ZJ = ZHENJIANG
BAIYIN = {"admin", "by_zone"}  # the demo's bookings, squads and visits are 白银's

register(
    Entry("resources.DepartmentResource", sample={"title": "船舶海工产业项目用地指标"},
          readers=ZJ, writers={"admin", "zone_staff", "dept_staff"},
          page="resources:deptresource_detail", edit_page="resources:deptresource_edit",
          list_page="resources:deptresource_list",
          api=("/api/v1/department-resources/{pk}",), api_list="/api/v1/department-resources"),
    Entry("resources.ActionProject", sample={"title": "船用中速双燃料发动机关键技术联合攻关"}, readers=ZJ,
          writers={"admin", "zone_staff", "chain_staff"},
          page="resources:project_detail", edit_page="resources:project_edit", list_page="resources:project_list",
          api=("/api/v1/action-projects/{pk}",),
          api_list="/api/v1/action-projects"),
    Entry("resources.Milestone", sample={"project__title": "“红帆领航·链通高新”先锋行动"}, readers=ZJ,
          no_page="milestones are shown on their project's page"),
    Entry("resources.SharedResource", sample={"name": "船舶焊接工艺实验室"}, readers=ZJ,
          writers={"admin", "zone_staff", "chain_staff", "firm_a"},  # 镇江船厂's lab, on the ship chain
          page="resources:shared_detail", edit_page="resources:shared_edit", list_page="resources:shared_list",
          api=("/api/v1/shared-resources/{pk}", "/api/v1/shared-resources/{pk}/calendar"),
          api_list="/api/v1/shared-resources"),
    Entry("resources.Booking", sample={"zone__short_name": "白银"}, readers=BAIYIN,
          no_page="bookings are listed at /resources/booking/ and moved there",
          list_page="resources:booking_list", api=("/api/v1/bookings/{pk}", "/api/v1/bookings/{pk}/transitions"),
          api_list="/api/v1/bookings"),
    Entry("resources.ServiceSquad", sample={"zone__short_name": "白银"}, readers=BAIYIN, writers=BAIYIN,
          page="resources:squad_detail", edit_page="resources:squad_edit", list_page="resources:squad_list",
          api=("/api/v1/service-squads/{pk}",), api_list="/api/v1/service-squads"),
    Entry("resources.ServiceVisit", sample={"zone__short_name": "白银"}, readers=BAIYIN, writers=BAIYIN,
          page="resources:visit_detail", edit_page="resources:visit_edit", list_page="resources:visit_list",
          api=("/api/v1/service-visits/{pk}", "/api/v1/service-visits/{pk}/photos"),
          api_list="/api/v1/service-visits"),
    # the first joint meeting: firm_a owns one of its resolutions, dept_staff another; firm_b's branch did not
    # attend
    Entry("resources.JointMeeting", sample={"title": "跨企党组织联席会（第一次）"},
          readers={"admin", "zone_staff", "chain_staff", "firm_a", "dept_staff"},
          writers={"admin", "zone_staff", "chain_staff"},  # resources.meeting: the committees
          page="resources:meeting_detail", edit_page="resources:meeting_edit", list_page="resources:meeting_list",
          api=("/api/v1/joint-meetings/{pk}",), api_list="/api/v1/joint-meetings"),
    Entry("resources.Resolution", sample={"meeting__title": "跨企党组织联席会（第一次）",
                                          "owner_department__name": "自然资源和规划分局"},
          readers={"admin", "zone_staff", "chain_staff", "dept_staff"},
          no_page="resolutions are listed at /resources/resolution/ and shown on their meeting's page",
          list_page="resources:resolution_list",
          api=("/api/v1/resolutions/{pk}", "/api/v1/resolutions/{pk}/transitions"), api_list="/api/v1/resolutions"),
    # no demo rows: tests/test_scope_matrix.py raises one on the resolution above
    Entry("resources.ResolutionCard", sample=None, readers={"admin", "zone_staff", "chain_staff", "dept_staff"},
          no_page="a resolution's cards are shown with the resolution"),
    # ZJ-DEMO-011 (firm_b's order) cites dept_staff's land quota
    Entry("resources.OrderCitation", sample={"order__ref": "ZJ-DEMO-011"},
          readers={"admin", "zone_staff", "chain_staff", "firm_b", "dept_staff"},
          no_page="citations are shown on the order's page and at /api/v1/orders/{id}/citations"),
)
