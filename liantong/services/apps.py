from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "liantong.services"
    label = "services"
    verbose_name = "服务优链"

    def ready(self):
        from liantong import navigation
        from liantong.accounts import roles
        from liantong.core import context_processors, demo, dicts, gen, home, stats, tick
        from liantong.navigation import Item

        from . import demo as services_demo
        from . import gen as services_gen
        from . import home as services_home
        from . import models, notify, services
        from .categories import CATEGORIES
        from .services import can_place

        dicts.register("service_category", "诉求类别", CATEGORIES)
        dicts.register("order_state", "工单状态", [
            ("submitted", "待派单", "warning"), ("dispatched", "待接单", "info"), ("returned", "已退回待改派", "danger"),
            ("accepted", "办理中", "primary"), ("extension_requested", "延期待审", "warning"),
            ("resolved", "已办结待评价", "success"), ("rated", "已评价", "success"), ("escalated", "党工委督办", "danger"),
            ("closed", "已结案", "dark"), ("declined", "不予受理", "secondary"), ("withdrawn", "已撤回", "secondary"),
            ("merged", "已并单", "secondary")])
        dicts.register("urgency", "紧急程度", [("normal", "一般", "secondary"), ("urgent", "紧急", "warning"),
                                              ("critical", "特急", "danger")])
        dicts.register("order_stage", "办理环节", [("dispatch", "派单", "info"), ("accept", "接单", "primary"),
                                                 ("resolve", "办理", "success")])
        dicts.register("card_level", "督办牌", [("yellow", "黄牌", "warning"), ("red", "红牌", "danger")])
        dicts.register("assignment_role", "承办角色", [("lead", "主办", "danger"), ("assist", "协办", "info")])
        dicts.register("assignment_state", "承办状态", models.AssignmentState)
        dicts.register("satisfaction", "满意度", [("3", "满意", "success"), ("2", "基本满意", "info"),
                                               ("1", "不满意", "danger")])

        for role in ("zone_staff", "chain_staff"):
            roles.grant(role, "services.view", "services.dispatch", "services.supervise", "services.figures")
        roles.grant("dept_staff", "services.view", "services.handle", "services.figures")
        roles.grant("enterprise", "services.view", "services.place")

        navigation.register("服务优链", [
            Item("我要点单", "services:order_create", "services.place", icon="plus-circle", when=can_place),
            Item("企业需求清单", "services:order_list", "services.view", icon="list-check"),
            Item("派单台", "services:queue", "services.dispatch", icon="send"),
            Item("部门待办", "services:dept_inbox", "services.handle", icon="inbox"),
            Item("督办看板", "services:board", "services.supervise", icon="exclamation-triangle"),
            Item("高效办成一件事", "services:bundle_list", "services.view", icon="collection"),
            Item("办理统计", "services:figures", "services.figures", icon="bar-chart"),
            Item("消息", "services:inbox", icon="bell"),
        ])
        stats.register_by_zone(services.zone_order_stats, {
            "orders": "企业诉求", "orders_resolved": "已办结诉求", "response_rate": "响应率（%）",
            "on_time_rate": "按时办结率（%）", "satisfaction_rate": "满意率（%）"})
        tick.register("services.cards", services.tick)
        home.register(5, services_home.panel)
        home.register(6, services_home.department_rates)
        stats.register_flow(services_home.flows, {"orders_placed": "新增企业诉求", "orders_resolved_in": "办结诉求"})
        for key, query in (("orders", ""), ("orders_resolved", "state=resolved,rated,closed")):
            stats.link(key, "services:order_list", query)
        for key in ("response_rate", "on_time_rate", "satisfaction_rate"):
            stats.link(key, "services:figures")
        context_processors.register(notify.unread_context)
        demo.register(20, "服务优链（镇江 47 件已办结诉求及其办理过程）", services_demo.load)
        gen.register(20, "services", services_gen.generate)
        from liantong.core.registry import register_specs

        from .excel import SPECS

        register_specs(SPECS)

        from . import guarantees  # noqa: F401, I001  (its scoped models in the guarantees registry)
