from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "liantong.people"
    label = "people"
    verbose_name = "人才与组织生活"

    def ready(self):
        from liantong import navigation
        from liantong.accounts import roles
        from liantong.core import demo, dicts, gen, stats, tick
        from liantong.core.registry import register_specs
        from liantong.navigation import Item
        from liantong.orgs import extensions

        from . import demo as people_demo
        from . import figures, models, reminders, services
        from . import gen as people_gen
        from .excel import SPECS

        dicts.register("degree", "学历", [("any", "不限", "secondary"), ("vocational", "大专", "info"),
                                         ("bachelor", "本科", "primary"), ("master", "硕士", "success"),
                                         ("doctor", "博士", "danger")])
        dicts.register("urgency", "紧缺程度", [("urgent", "急需", "danger"), ("short", "紧缺", "warning"),
                                           ("normal", "一般", "secondary")])
        dicts.register("mentor_kind", "导师类型", [("enterprise", "企业导师", "primary"),
                                               ("professor", "院校教授", "success")])
        dicts.register("venue_kind", "阵地类型", [("centre", "企业发展服务中心主阵地", "danger"),
                                              ("shared", "产业园共享空间", "primary"), ("micro", "企业微阵地", "info")])
        dicts.register("activity_kind", "活动类型", [
            ("themed_day", "联合主题党日", "danger"), ("seminar", "技术研讨", "primary"),
            ("member_meeting", "支部党员大会", "warning"), ("committee_meeting", "支部委员会", "warning"),
            ("group_meeting", "党小组会", "warning"), ("party_lecture", "党课", "warning"),
            ("training", "培训", "info"), ("visit", "走访", "secondary"), ("roadshow", "引才宣介", "success"),
            ("matchmaking", "对接会", "info"), ("other", "其他", "secondary")])
        dicts.register("post_kind", "委员职务", models.PostKind)
        dicts.register("manager_level", "管理层级", models.ManagerLevel)
        dicts.register("reminder_kind", "提醒类型", [("no_meeting", "本月未开展三会一课", "warning"),
                                                 ("cultivation_due", "双培养到期", "primary"),
                                                 ("term_ending", "换届到期", "danger")])
        for label, field, code in [
            ("people.TalentNeed", "degree", "degree"), ("people.TalentNeed", "urgency", "urgency"),
            ("people.Trainee", "degree", "degree"), ("people.Mentor", "kind", "mentor_kind"),
            ("people.Venue", "kind", "venue_kind"), ("people.Activity", "kind", "activity_kind"),
            ("people.CommitteePost", "post", "post_kind"), ("people.Manager", "level", "manager_level"),
            ("people.Reminder", "kind", "reminder_kind"),
        ]:
            dicts.bind(label, field, code)

        roles.grant("zone_staff", "people.*")
        roles.grant("chain_staff", "people.manage", "people.import")
        roles.grant("enterprise", "people.manage", "people.import")
        roles.grant("institution", "people.manage")

        navigation.register("人才与组织生活", [
            Item("急需紧缺人才目录", "people:need_list", icon="card-checklist"),
            Item("车间课堂实训项目", "people:program_list", icon="mortarboard"),
            Item("学员与双导师", "people:trainee_list", icon="person-video3"),
            Item("导师", "people:mentor_list", icon="person-workspace"),
            Item("定向输送", "people:placement_list", icon="send"),
            Item("组织生活与活动", "people:activity_list", icon="calendar-event"),
            Item("活动日历", "people:activity_calendar", icon="calendar3"),
            Item("阵地", "people:venue_list", icon="house-door"),
            Item("党组织委员", "people:post_list", "orgs.view_party", icon="person-lines-fill"),
            Item("中高层管理人员", "people:manager_list", "orgs.view_party", icon="briefcase"),
            Item("组织建设提醒", "people:housekeeping", "orgs.view_party", icon="clipboard-check"),
        ])
        stats.register(figures.people_stats, figures.LABELS)
        stats.register_periodic(figures.people_figures, figures.periodic_labels(), monthly=figures.people_monthly,
                                standing=(), zone_totals=False)
        tick.register("people.reminders", reminders.tick)
        register_specs(SPECS)
        extensions.register_enterprise_field(
            "manager_committee_rate", int | None,
            "中高层管理人员兼任企业党组织委员的比例（%，双向进入、交叉任职；未登记管理人员时为空）",
            services.manager_committee_rate)
        extensions.register_enterprise_panel(figures.enterprise_panel)
        demo.register(50, "人才与组织生活（人才目录、车间课堂、双导师、定向输送、活动、委员）", people_demo.load)
        gen.register(50, "people", people_gen.generate)

        from . import guarantees  # noqa: F401, I001  (its scoped models in the guarantees registry)
