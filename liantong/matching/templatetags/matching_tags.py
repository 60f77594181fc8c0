"""The chain page's supply–demand block (included from orgs/chain_detail.html's ``chain_extra``)."""

from django import template
from django.db.models import Count, Q, Sum

register = template.Library()


@register.simple_tag(takes_context=True)
def chain_matching(context, chain):
    """Open scenarios of the chain's masters and the chain's listing and deal figures, as the user may see them."""
    from liantong.matching import index
    from liantong.matching.models import Deal, Listing, ListingKind

    user = context["request"].user
    open_ = index.matchable(Listing.objects.visible_to(user).filter(chain=chain))
    counts = open_.aggregate(supply=Count("id", filter=Q(kind=ListingKind.SUPPLY)),
                             demand=Count("id", filter=Q(kind=ListingKind.DEMAND)))
    deals = Deal.objects.visible_to(user).filter(chain=chain).aggregate(n=Count("id"), s=Sum("amount"))
    return {"scenarios": open_.filter(kind=ListingKind.SCENARIO).select_related("enterprise").order_by("-id")[:10],
            "supply": counts["supply"], "demand": counts["demand"], "deals": deals["n"], "amount": deals["s"] or 0}
