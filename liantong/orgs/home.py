"""The organisation strand's home-page panel: the user's own unit at a glance.

A firm sees its chains, its party organisations and members; a chain committee its chain's figures (firms,
pairings, vanguard teams — each the count of the list it links to) and the way to its “1+2+N” diagram; a
zone committee its chains; a university or institute its pairings (结对共建)."""

from django.db.models import Count
from django.urls import reverse

from liantong.core.home import list_figure, rows_panel

from .models import Chain, ChainMembership, Member, PartyOrg


def panel(request):
    from . import views

    user = request.user
    if user.enterprise_id:
        ent = user.enterprise
        return {"template": "orgs/_home_firm.html", "enterprise": ent,
                "memberships": ChainMembership.objects.visible_to(user).filter(enterprise=ent)
                .select_related("chain", "node"),
                "orgs": PartyOrg.objects.visible_to(user).filter(enterprise=ent).annotate(n=Count("members")),
                "members": Member.objects.visible_to(user).count()}
    if user.institution_id:
        rows = [list_figure(request, "结对共建", views.PairingList, "orgs:pairing_list"),
                list_figure(request, "链上企业", views.EnterpriseList, "orgs:enterprise_list")]
        return rows_panel("institution", f"{user.institution} · 校地合作", rows,
                          empty="还没有结对共建记录：请联系园区党工委建立结对关系。")
    if user.chain_id:
        chain = Chain.objects.visible_to(user).filter(pk=user.chain_id).first()
        if chain is None:
            return None
        rows = [list_figure(request, "链上企业", views.EnterpriseList, "orgs:enterprise_list", chain=chain.pk),
                list_figure(request, "结对共建", views.PairingList, "orgs:pairing_list", chain=chain.pk),
                list_figure(request, "党员先锋队", views.VanguardList, "orgs:vanguard_list", chain=chain.pk)]
        p = rows_panel("chain", f"{chain.name}", rows, action=("查看“1+2+N”图", reverse("orgs:chain_detail", args=[chain.pk])))
        return p
    if user.zone_id:
        chains = Chain.objects.visible_to(user).filter(zone_id=user.zone_id)
        rows = chains.annotate(n_firms=Count("memberships", distinct=True)).order_by("id")[:12]
        return {"template": "orgs/_home_chains.html", "chains": rows}
    return None
