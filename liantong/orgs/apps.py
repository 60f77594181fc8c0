from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "liantong.orgs"
    label = "orgs"
    verbose_name = "组织固链"

    def ready(self):
        from liantong.core import demo, dicts, gen, scoping, stats
        from liantong.core.registry import register_specs

        from . import (
            cultivation,  # noqa: F401  registers CULTIVATION (双培养's rules)
            models,
            transfers,  # noqa: F401  registers TRANSFER and the audit rows both sides of a transfer read
        )
        from . import demo as orgs_demo
        from . import gen as orgs_gen
        from .excel import SPECS

        register_specs(SPECS)
        # a user's party-org path, for the scoping layer's org subtrees (core does not know PartyOrg)
        scoping.register_org_path(org_path_of)
        stats.register_by_zone(models.org_stats_by_zone, {
            "chains": "产业链", "chain_committees": "产业链联合党委", "enterprises": "链上企业",
            "party_orgs": "企业党组织", "party_orgs_all": "党组织（全部）", "members": "党员",
            "vanguard_teams": "党员先锋队", "pairings": "结对共建"})
        from liantong.core import home

        from . import home as orgs_home

        home.register(10, orgs_home.panel)
        for key, name, query in (("chains", "chain_list", ""), ("chain_committees", "partyorg_list", "kind=chain_committee"),
                                 ("enterprises", "enterprise_list", ""), ("party_orgs_all", "partyorg_list", ""),
                                 ("members", "member_list", ""), ("vanguard_teams", "vanguard_list", ""),
                                 ("pairings", "pairing_list", "")):
            stats.link(key, f"orgs:{name}", query)
        demo.register(10, "组织固链（三个园区、企业、党组织、党员、账号）", orgs_demo.load)
        gen.register(10, "orgs", orgs_gen.generate)
        dicts.register("org_kind", "党组织类别", [
            ("zone_committee", "党工委", "danger"), ("chain_committee", "联合党委", "danger"),
            ("committee", "党委", "primary"), ("general_branch", "党总支", "primary"),
            ("branch", "党支部", "info"), ("joint_branch", "联合党支部", "info"),
            ("project_branch", "项目党支部", "warning")])
        dicts.register("member_status", "党员类别", [("full", "正式党员", "danger"),
                                                   ("probationary", "预备党员", "warning")])
        dicts.register("chain_role", "链上角色", [("master", "链主", "danger"), ("member", "配套", "secondary")])
        dicts.register("stage", "链段", [("up", "上游", "info"), ("mid", "中游", "primary"),
                                        ("down", "下游", "success")])
        dicts.register("scale", "企业规模", models.Scale)
        dicts.register("gender", "性别", models.Gender)
        dicts.register("institution_kind", "高校/院所类型", models.InstitutionKind)
        dicts.register("pairing_kind", "共建类型", [("campus", "校地共建", "primary"), ("vertical", "条块结对", "success"),
                                                  ("paired", "结对共建", "info"), ("alliance", "党建联建", "warning")])
        dicts.register("vanguard_kind", "先锋队类型", [("tech", "技术攻坚", "danger"), ("education", "产教融合", "primary"),
                                                   ("supply", "供需对接", "success")])
        dicts.register("cultivation_track", "培养方向", models.CultivationTrack)
        dicts.register("cultivation_stage", "培养阶段", models.CultivationStage)
        for label, field, code in [
            ("orgs.PartyOrg", "kind", "org_kind"), ("orgs.Member", "status", "member_status"),
            ("orgs.Member", "gender", "gender"), ("orgs.ChainMembership", "role", "chain_role"),
            ("orgs.ChainNode", "stage", "stage"), ("orgs.Enterprise", "scale", "scale"),
            ("orgs.Institution", "kind", "institution_kind"), ("orgs.Pairing", "kind", "pairing_kind"),
            ("orgs.VanguardTeam", "kind", "vanguard_kind"), ("orgs.Cultivation", "track", "cultivation_track"),
            ("orgs.Cultivation", "stage", "cultivation_stage"),
        ]:
            dicts.bind(label, field, code)

        from . import guarantees  # noqa: F401, I001  (its scoped models in the guarantees registry)


def org_path_of(pk: int) -> str | None:
    """The path of the user's own party org: it is what the user's scope is built from, not a read in it."""
    from liantong.core.guarantees import unscoped

    from .models import PartyOrg

    with unscoped("the user's own party org: its path defines the scope"):
        return PartyOrg.objects.filter(pk=pk).values_list("path", flat=True).first()
