from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "liantong.innovation"
    label = "innovation"
    verbose_name = "创新强链"

    def ready(self):
        from liantong import navigation
        from liantong.accounts import roles
        from liantong.core import demo, dicts, gen, stats, tick
        from liantong.navigation import Item

        from . import demo as innovation_demo
        from . import gen as innovation_gen
        from . import models, services, workflow

        dicts.register("challenge_field", "技术领域", [
            ("green_ship", "绿色船舶", "success"), ("deep_sea", "深海装备", "primary"),
            ("smart_ship", "智能船舶", "info"), ("power", "船用动力", "danger"), ("materials", "新材料", "warning"),
            ("energy", "新能源", "success"), ("testing", "检验检测", "secondary"), ("other", "其他", "secondary")])
        dicts.bind("innovation.Challenge", "field", "challenge_field")
        dicts.bind("innovation.Achievement", "field", "challenge_field")
        dicts.bind("innovation.IncubatedFirm", "field", "challenge_field")
        dicts.register("challenge_state", "攻坚榜状态", [
            ("collecting", "需求征集", "secondary"), ("reviewing", "审核中", "warning"), ("published", "已发榜", "danger"),
            ("evaluating", "评审中", "warning"), ("signing", "待签约", "info"), ("researching", "攻关中", "primary"),
            ("accepting", "验收中", "info"), ("accepted", "已验收", "success"), ("paid", "已兑现", "success"),
            ("withdrawn", "已撤榜", "dark")])
        dicts.bind("innovation.Challenge", "state", "challenge_state")
        dicts.register("achievement_stage", "成果阶段", [
            ("lab", "实验室", "secondary"), ("pilot", "中试", "info"), ("transfer", "转移转化", "primary"),
            ("industrialised", "产业化", "success")])
        dicts.bind("innovation.Achievement", "stage", "achievement_stage")
        dicts.register("milestone_state", "攻关节点状态", [
            ("planned", "进行中", "primary"), ("overdue", "已逾期", "danger"), ("reported", "已报告", "success")])
        dicts.bind("innovation.ChallengeMilestone", "state", "milestone_state")
        dicts.register("bid_outcome", "揭榜评审结果", [
            ("pending", "待评审", "warning"), ("selected", "中选", "success"), ("not_selected", "未中选", "secondary")])
        dicts.bind("innovation.Bid", "outcome", "bid_outcome")
        dicts.register("qualification_kind", "资质类别", models.QualificationKind)
        dicts.bind("innovation.Qualification", "kind", "qualification_kind")
        dicts.register("qualification_level", "资质级别", [
            ("national", "国家级", "danger"), ("provincial", "省级", "primary"), ("municipal", "市级", "info"),
            ("group", "团体", "secondary")])
        dicts.bind("innovation.Qualification", "level", "qualification_level")
        dicts.register("coaching_kind", "辅导类型", models.CoachingKind)
        dicts.bind("innovation.Coaching", "kind", "coaching_kind")

        # innovation.publish: set challenges; .review: review and publish them (committees); .bid: bid;
        # .result: results and transfer contracts; .assess: self-assessments; the committee keeps the rest
        roles.grant("zone_staff", "innovation.*")
        roles.grant("chain_staff", "innovation.publish", "innovation.review", "innovation.result")
        roles.grant("enterprise", "innovation.publish", "innovation.bid", "innovation.result", "innovation.assess")
        roles.grant("institution", "innovation.publish", "innovation.bid", "innovation.result")

        navigation.register("创新强链", [
            Item("技术攻坚榜", "innovation:challenge_list", icon="trophy"),
            Item("揭榜申请", "innovation:bid_list", icon="hand-index"),
            Item("攻关联合体", "innovation:consortium_list", icon="people-fill"),
            Item("攻关节点督办", "innovation:milestone_list", icon="alarm"),
            Item("科研成果", "innovation:achievement_list", icon="lightbulb"),
            Item("成果转化合同", "innovation:contract_list", icon="file-earmark-text"),
            Item("孵化企业", "innovation:incubated_list", icon="egg"),
            Item("资质荣誉", "innovation:qualification_list", icon="award"),
            Item("政策匹配", "innovation:policy_list", icon="journal-richtext"),
            Item("高企认定自评", "innovation:assessment_list", icon="clipboard-check"),
            Item("高企培育库", "innovation:pool", "innovation.coach", icon="graph-up"),
            Item("辅导与政策解读会", "innovation:coaching_list", icon="easel"),
        ])
        stats.register(services.stats, {
            "challenges": "攻坚榜单", "challenges_solved": "已攻克榜单", "achievements": "科研成果",
            "achievements_industrialised": "产业化成果", "incubated_enterprises": "孵化科技型企业",
            "hightech_enterprises": "高新技术企业", "tech_centres": "省级以上企业技术中心",
            "transfer_institutions": "技术转移示范机构", "agri_parks": "现代农业产业园"})
        stats.register_periodic(services.period_figures, {"achievements_industrialised": "产业化成果",
                                                          "incubated_enterprises": "孵化科技型企业"},
                                monthly=services.period_monthly, zone_totals=False)
        tick.register("innovation.milestones", services.tick)
        demo.register(50, "创新强链（攻坚榜、攻关联合体、科研成果、孵化、资质、政策、高企自评）", innovation_demo.load)
        gen.register(50, "innovation", innovation_gen.generate)
        del models, workflow

        from . import guarantees  # noqa: F401, I001  (its scoped models in the guarantees registry)
