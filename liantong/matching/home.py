"""The matching strand's home panel and the zone home's figures over a period.

A firm sees its own listings, the contact requests waiting for an answer and its deals; a university or
institute the listings hall, the contacts and deals it may see. Each figure is the count of the list it
links to (``core.home.list_figure`` reads it through that list's own view).
"""

from django.db.models import Sum
from django.urls import reverse

from liantong.core.home import list_figure, rows_panel

from .models import Deal, Listing


def panel(request):
    from . import views

    user = request.user
    if user.enterprise_id:
        rows = [
            list_figure(request, "本企业发布的供需", views.ListingList, "matching:listing_list", enterprise=user.enterprise_id),
            list_figure(request, "待回复的对接意向", views.ContactList, "matching:contact_list", "warning", status="pending"),
            list_figure(request, "对接成果", views.DealList, "matching:deal_list"),
        ]
        action = ("发布供需", reverse("matching:listing_create")) if user.has_perm_code("matching.post") else None
        return rows_panel("matching", "供需对接", rows, action=action,
                          empty="还没有供需信息：发布一条供给或需求，平台会为您匹配链上企业。")
    if user.institution_id:
        rows = [
            list_figure(request, "供需大厅（发布中）", views.ListingList, "matching:listing_list", status="open"),
            list_figure(request, "对接意向", views.ContactList, "matching:contact_list"),
            list_figure(request, "对接成果", views.DealList, "matching:deal_list"),
        ]
        return rows_panel("matching", "供需对接", rows, empty="供需大厅里可查看链上企业发布的需求，寻找合作机会。")
    return None


def flows(zone, start, end) -> dict:
    """Listings posted and deals signed (with their amount, 万元) from ``start`` to ``end``."""
    listings, deals_url = reverse("matching:listing_list"), reverse("matching:deal_list")
    posted = Listing.objects.filter(zone=zone, created_at__date__gte=start, created_at__date__lte=end).count()
    deals = Deal.objects.filter(zone=zone, signed_on__gte=start, signed_on__lte=end)
    agg = deals.aggregate(s=Sum("amount"))
    link = f"{deals_url}?signed_from={start}&signed_to={end}"
    return {
        "listings_posted": (posted, f"{listings}?created_from={start}&created_to={end}"),
        "deals_signed": (deals.count(), link),
        "deal_amount_in": (float(agg["s"] or 0), link),
    }
