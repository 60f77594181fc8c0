from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "liantong.matching"
    label = "matching"
    verbose_name = "供需对接"

    def ready(self):
        from liantong import navigation
        from liantong.accounts import roles
        from liantong.core import backup, demo, dicts, gen, stats, tick
        from liantong.core.registry import register_specs
        from liantong.navigation import Item

        from . import demo as matching_demo
        from . import gen as matching_gen
        from . import index, models, services
        from .excel import SPECS

        register_specs(SPECS)
        backup.on_restore(index.reset)  # a restored database: the match engine is built again on use
        backup.on_restore(index.forget_stored)
        stats.register(services.matching_stats, {"listings": "有效供需信息", "deals": "对接签约",
                                                 "deal_amount": "签约金额（万元）"})
        from liantong.core import home

        from . import home as matching_home

        home.register(20, matching_home.panel)
        stats.register_flow(matching_home.flows, {"listings_posted": "新发布供需", "deals_signed": "对接签约",
                                                  "deal_amount_in": "签约金额（万元）"})
        stats.link("listings", "matching:listing_list", "status=open")
        stats.link("deals", "matching:deal_list")
        stats.link("deal_amount", "matching:deal_list")
        demo.register(40, "供需对接（供给、需求、开放场景、对接与签约、配套企业营收）", matching_demo.load)
        gen.register(40, "listings", matching_gen.generate)
        tick.register("matching.expire_listings", services.expire_listings)
        tick.register("matching.rebuild_index", index.tick_rebuild)  # the stored index, when stale
        # matching.post: post and answer for one's own firm; matching.manage: meetings, deals, revenues
        roles.grant("zone_staff", "matching.*")
        roles.grant("chain_staff", "matching.post", "matching.manage", "matching.import")
        roles.grant("enterprise", "matching.post", "matching.import")
        navigation.register("供需对接", [
            Item("供需大厅", "matching:listing_list", icon="shop"),
            Item("发布供需", "matching:listing_create", "matching.post", icon="plus-circle"),
            Item("对接意向", "matching:contact_list", icon="chat-dots"),
            Item("对接成果", "matching:deal_list", icon="trophy"),
            Item("对接会", "matching:meeting_list", icon="people"),
            Item("企业营收", "matching:revenue_list", "matching.manage", icon="graph-up-arrow"),
            Item("Excel 导入", "matching:import", "matching.import", icon="upload"),
        ])
        dicts.register("listing_kind", "供需类型", [("supply", "供给/产能", "success"), ("demand", "需求/采购", "primary"),
                                                 ("scenario", "开放场景", "danger")])
        dicts.register("listing_status", "供需状态", [("open", "发布中", "success"), ("closed", "已关闭", "secondary"),
                                                   ("expired", "已过期", "warning")])
        dicts.register("listing_category", "供需类别", [
            ("material", "原材料", "info"), ("part", "零部件", "info"), ("equipment", "装备", "primary"),
            ("capacity", "产能/加工", "success"), ("service", "技术服务", "warning"), ("testing", "检测认证", "warning"),
            ("logistics", "物流", "secondary"), ("other", "其他", "secondary")])
        dicts.register("contact_status", "对接意向状态", [("pending", "待回复", "warning"), ("accepted", "已接受", "success"),
                                                     ("declined", "已婉拒", "secondary"), ("withdrawn", "已撤回", "dark")])
        dicts.register("contract_status", "合同状态", [
            ("negotiating", "洽谈中", "warning"), ("signed", "已签约", "primary"), ("performing", "履约中", "info"),
            ("completed", "已完成", "success"), ("terminated", "已终止", "secondary")])
        del models

        from . import guarantees  # noqa: F401, I001  (its scoped models in the guarantees registry)
