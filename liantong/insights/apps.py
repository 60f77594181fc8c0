from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "liantong.insights"
    label = "insights"
    verbose_name = "招商与数据看板"

    def ready(self):
        from liantong import navigation
        from liantong.accounts import roles
        from liantong.core import demo, dicts, gen
        from liantong.core.registry import register_specs
        from liantong.navigation import Item

        from . import demo as insights_demo
        from . import (
            figures,
            workflow,  # noqa: F401  (the project state machine, registered)
        )
        from . import gen as insights_gen
        from .excel import SPECS

        register_specs(SPECS)
        figures.register()
        demo.register(60, "招商（招商专班、招商图谱、强链配套项目、延链环节）", insights_demo.load)
        gen.register(60, "insights", insights_gen.generate)
        # insights.manage: task forces, targets, projects; insights.view: the dashboards and the big screen
        roles.grant("zone_staff", "insights.manage", "insights.view")
        roles.grant("chain_staff", "insights.manage", "insights.view")
        dicts.register("project_stage", "招商项目阶段", [
            ("talks", "洽谈", "secondary"), ("signed", "签约", "primary"), ("started", "开工", "info"),
            ("producing", "投产", "success"), ("dropped", "终止", "dark")])
        dicts.register("gap_kind", "补强延", [("fill", "补链", "danger"), ("strengthen", "强链", "warning"),
                                            ("extend", "延链", "info")])
        dicts.register("target_status", "目标企业跟进状态", [
            ("tracking", "跟踪中", "secondary"), ("talks", "已转项目洽谈", "primary"), ("landed", "已落地", "success"),
            ("dropped", "已放弃", "dark")])
        navigation.register("招商与看板", [
            Item("数据看板", "insights:zone_dashboard_mine", "insights.view", icon="speedometer2"),
            Item("数据大屏", "insights:screen_mine", "insights.view", icon="display"),
            Item("产业链招商图谱", "insights:map_index", icon="diagram-3"),
            Item("招商项目", "insights:project_list", "insights.manage", icon="building-up"),
            Item("招商目标企业", "insights:target_list", "insights.manage", icon="bullseye"),
            Item("招商专班", "insights:taskforce_list", "insights.manage", icon="people-fill"),
        ])

        from . import guarantees  # noqa: F401, I001  (its scoped models in the guarantees registry)
