"""The organisation strand's home-page panel: the user's own unit at a glance."""

from django.db.models import Count

from .models import Chain, ChainMembership, Member, PartyOrg


def panel(request):
    user = request.user
    if user.enterprise_id:
        ent = user.enterprise
        return {"template": "orgs/_home_firm.html", "enterprise": ent,
                "memberships": ChainMembership.objects.filter(enterprise=ent).select_related("chain", "node"),
                "orgs": PartyOrg.objects.visible_to(user).filter(enterprise=ent).annotate(n=Count("members")),
                "members": Member.objects.visible_to(user).count()}
    if user.chain_id or user.zone_id:
        chains = Chain.objects.visible_to(user).filter(zone_id=user.zone_id)
        if user.chain_id:
            chains = chains.filter(pk=user.chain_id)
        rows = chains.annotate(n_firms=Count("memberships", distinct=True)).order_by("id")[:12]
        return {"template": "orgs/_home_chains.html", "chains": rows}
    return None
