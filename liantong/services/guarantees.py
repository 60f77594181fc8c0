"""The services strand's scoped models in the guarantees registry (``core/guarantees.py``).

Orders are read by the zone, the order's chain committee, its firm and the departments it was dispatched
to (``docs/scoping.md``); samples are 镇江 demo orders."""

from liantong.core.guarantees import Entry, register

# ZJ-DEMO-011: 镇江海帆 (firm_b)'s order on the ship chain, led by 自然资源和规划分局 (dept_staff)
ORDER = "ZJ-DEMO-011"
ORDER_SIDE = {"admin", "zone_staff", "chain_staff", "firm_b", "dept_staff"}

register(
    # the one demo bundle: 镇江船厂 (firm_a)'s, its orders dispatched to three departments, dept_staff's among them
    Entry("services.ServiceBundle", sample={"enterprise__name": "江苏省镇江船厂（集团）有限公司"},
          readers={"admin", "zone_staff", "chain_staff", "firm_a", "dept_staff"},
          page="services:bundle_detail", list_page="services:bundle_list",
          api=("/api/v1/bundles/{pk}",), api_list="/api/v1/bundles"),
    Entry("services.ServiceRequest", sample={"ref": ORDER}, readers=ORDER_SIDE,
          page="services:order_detail", list_page="services:order_list",
          api=("/api/v1/orders/{pk}", "/api/v1/orders/{pk}/transitions", "/api/v1/orders/{pk}/attachments",
               "/api/v1/orders/{pk}/citations"),
          api_list="/api/v1/orders"),
    Entry("services.Assignment", sample={"order__ref": ORDER, "department__name": "自然资源和规划分局"},
          readers=ORDER_SIDE, no_page="a dispatch is shown on its order's page"),
    Entry("services.TimelineEntry", sample={"order__ref": ORDER}, readers=ORDER_SIDE,
          no_page="the handling history is shown on its order's page"),
    # cards concern the committees and the department at fault, not the firm
    Entry("services.Card", sample={"order__ref": ORDER, "department__name": "自然资源和规划分局"},
          readers={"admin", "zone_staff", "chain_staff", "dept_staff"},
          no_page="cards are shown on the board (/services/board/) and at /api/v1/cards"),
    # a notification is its user's own: the inbox reads it by owner, the scope (仅本人) gives it to no role
    # but the platform's
    Entry("services.Notification", sample={"user__username": "zj_zone"}, readers={"admin"},
          no_page="opened from its owner's inbox (/services/inbox/<id>/ redirects to what it is about)"),
)
