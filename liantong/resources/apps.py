from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "liantong.resources"
    label = "resources"
    verbose_name = "服务资源"

    def ready(self):
        from liantong import navigation
        from liantong.accounts import roles
        from liantong.core import demo, dicts, gen, stats, tick
        from liantong.navigation import Item

        from . import demo as resources_demo
        from . import gen as resources_gen
        from . import models, services
        from .queries import resource_stats

        dicts.register("dept_resource_kind", "部门资源类别", [
            ("loan_subsidy", "贷款贴息", "danger"), ("land_quota", "用地指标", "success"),
            ("training_places", "培训名额", "primary"), ("innovation_voucher", "科技创新券", "info"),
            ("talent_housing", "人才公寓", "warning"), ("approval_channel", "审批绿色通道", "secondary"),
            ("guarantee", "融资担保", "danger"), ("other", "其他", "secondary")])
        dicts.register("shared_category", "共享资源类别", [
            ("equipment", "仪器设备", "primary"), ("lab", "实验室", "info"), ("testing", "检验检测", "success"),
            ("warehouse", "仓储", "warning"), ("venue", "场地", "secondary"), ("other", "其他", "secondary")])
        dicts.register("visit_kind", "帮办服务类型", [
            ("training", "技能培训", "primary"), ("approval", "审批代办", "danger"), ("policy", "政策宣讲", "info"),
            ("financing", "融资对接", "warning"), ("employment", "用工服务", "success"),
            ("tech", "技术帮扶", "secondary"), ("safety", "安全生产指导", "dark")])
        dicts.register("resource_status", "部门资源状态", [("published", "发布中", "success"),
                                                       ("paused", "暂停", "warning"), ("closed", "已结束", "secondary")])
        dicts.register("project_status", "行动项目状态", [("planned", "谋划中", "secondary"), ("active", "推进中", "primary"),
                                                      ("done", "已完成", "success"), ("suspended", "暂缓", "warning")])
        dicts.register("shared_status", "共享资源状态", [("available", "可预约", "success"), ("paused", "暂停共享", "warning"),
                                                     ("retired", "已下架", "secondary")])
        dicts.register("booking_state", "预约状态", [
            ("pending", "待审核", "warning"), ("approved", "已同意", "success"), ("declined", "已拒绝", "danger"),
            ("withdrawn", "已撤回", "secondary"), ("cancelled", "已取消", "secondary")])
        dicts.register("resolution_state", "议定事项状态", [
            ("open", "待办", "secondary"), ("in_progress", "办理中", "primary"), ("done", "已办结", "success"),
            ("overdue", "已逾期", "danger")])
        dicts.register("card_level", "红黄牌", [("yellow", "黄牌", "warning"), ("red", "红牌", "danger")])

        roles.grant("zone_staff", "resources.*")
        roles.grant("chain_staff", "resources.project", "resources.share", "resources.squad", "resources.meeting",
                    "resources.cite")
        roles.grant("dept_staff", "resources.publish", "resources.cite")
        roles.grant("enterprise", "resources.share", "resources.book")

        navigation.register("服务优链", [
            Item("部门资源清单", "resources:deptresource_list", icon="bank2"),
            Item("行动项目清单", "resources:project_list", icon="flag-fill"),
            Item("资源共享清单", "resources:shared_list", icon="share"),
            Item("预约申请", "resources:booking_list", icon="calendar-check"),
            Item("帮办服务小分队", "resources:squad_list", icon="people"),
            Item("帮办服务记录", "resources:visit_list", icon="journal-check"),
            Item("联席会议", "resources:meeting_list", icon="chat-square-text"),
            Item("议定事项督办", "resources:resolution_list", icon="alarm"),
        ])
        stats.register(resource_stats, {"shared_resources": "共享资源", "service_visits": "帮办服务",
                                        "department_resources": "部门资源", "action_projects": "行动项目",
                                        "joint_meetings": "联席会议", "resolutions_open": "未办结议定事项"})
        tick.register("resources.resolutions", services.tick_resolutions)
        from liantong.core import home

        from . import home as resources_home

        home.register(30, resources_home.panel)
        stats.register_flow(resources_home.flows, {"visits_in": "帮办服务"})
        for key, name in (("shared_resources", "shared_list"), ("service_visits", "visit_list"),
                          ("department_resources", "deptresource_list"), ("action_projects", "project_list"),
                          ("joint_meetings", "meeting_list")):
            stats.link(key, f"resources:{name}")
        stats.link("resolutions_open", "resources:resolution_list")
        demo.register(30, "服务资源（部门资源、行动项目、资源共享、帮办服务、联席会议）", resources_demo.load)
        gen.register(30, "resources", resources_gen.generate)
        del models

        from . import guarantees  # noqa: F401, I001  (its scoped models in the guarantees registry)
