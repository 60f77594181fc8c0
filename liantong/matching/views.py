"""Pages of the supply–demand strand: the listing hall (search, filters, export), posting, renewing and
closing, the match page with its reasons, contact requests, deals, matchmaking meetings, revenues and
the supporting firms' growth per chain. Every read starts from ``visible_to``; every write is a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liantong.core.scoping import get_for_user
from liantong.core.services import ServiceError
from liantong.core.views_generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    import_upload,
    template_download,
)
from liantong.orgs.models import Chain

from . import excel, forms, index, services, tables
from .models import (
    ContactRequest,
    ContactStatus,
    Deal,
    EnterpriseRevenue,
    Listing,
    ListingStatus,
    MatchmakingMeeting,
)
from .tables import search_listings  # noqa: F401 — its old home, still imported from here
from .workflow import CONTACT

# --- listings ----------------------------------------------------------------------------------------


class ListingList(ObjectListView):
    model = Listing
    listing = tables.LISTINGS
    title = "供需大厅"
    columns = tables.LISTING_COLUMNS
    excel_spec = excel.LISTING
    create_url = "matching:listing_create"
    create_perm = "matching.post"

    def extra_context(self):
        return {"search_placeholder": "搜索产品、规格、企业（同义词通用，如 PA66 / 尼龙66）"}


class ListingDetail(ObjectDetailView):
    """The listing and its ranked matches, each with its reasons in plain Chinese."""

    model = Listing
    template_name = "matching/listing_detail.html"
    select_related = ["zone", "enterprise", "chain", "node"]

    def extra_context(self, listing):
        user = self.request.user
        try:
            limit = max(1, min(int(self.request.GET.get("limit", 10)), 50))
        except ValueError:
            limit = 10
        matches = index.match_listing(listing, limit=limit, user=user)
        mine = services.acting_enterprise(user)
        contacted = set()
        if mine is not None:
            contacted = set(ContactRequest.objects.visible_to(user).filter(requester=mine, status=ContactStatus.PENDING)
                            .values_list("listing_id", flat=True))
        return {
            "matches": matches,
            "limit": limit,
            "can_interest": bool(mine and mine.pk != listing.enterprise_id and listing.is_matchable
                                 and user.has_perm_code("matching.post")),
            "my_enterprise": mine,
            "can_act": bool(mine and user.has_perm_code("matching.post")),
            "contacted": contacted,
            "contacts": ContactRequest.objects.visible_to(user).filter(listing=listing)
            .select_related("requester")[:20],
        }


class ListingEdit(ObjectEditView):
    model = Listing
    form_class = forms.ListingForm
    success_url_name = "matching:listing_detail"
    create_perm = "matching.post"


def _listing_for_write(request, pk) -> Listing:
    return get_for_user(Listing, request.user, pk, for_write=True,
                        queryset=Listing.objects.select_related("enterprise", "chain"))


@login_required
@require_POST
def listing_close(request, pk):
    listing = _listing_for_write(request, pk)
    try:
        services.close_listing(listing, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "已关闭，该信息不再参与匹配")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("matching:listing_detail", pk=pk)


@login_required
@require_POST
def listing_renew(request, pk):
    listing = _listing_for_write(request, pk)
    try:
        days = int(request.POST.get("days") or services.DEFAULT_VALID_DAYS)
        services.renew_listing(listing, actor=request.user, days=days)
        messages.success(request, f"已续期 {days} 天")
    except ValueError:
        messages.error(request, "续期天数应为整数")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("matching:listing_detail", pk=pk)


@login_required
@require_POST
def listing_interest(request, pk):
    """有意向: the user's firm opens a contact request on this listing."""
    if not request.user.has_perm_code("matching.post"):
        raise Http404
    listing = get_for_user(Listing, request.user, pk, queryset=Listing.objects.select_related("enterprise"))
    from_listing = None
    if request.POST.get("from_listing"):
        from_listing = Listing.objects.visible_to(request.user, for_write=True).filter(
            pk=request.POST["from_listing"]).first() if request.POST["from_listing"].isdigit() else None
    try:
        contact = services.express_interest(actor=request.user, listing=listing, from_listing=from_listing,
                                            message=request.POST.get("message", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("matching:listing_detail", pk=pk)
    messages.success(request, f"已向“{listing.enterprise}”表达对接意向，等待对方回复")
    return redirect("matching:contact_detail", pk=contact.pk)


# --- contacts and deals ------------------------------------------------------------------------------


class ContactList(ObjectListView):
    model = ContactRequest
    listing = tables.CONTACTS
    title = "对接意向"
    columns = tables.CONTACT_COLUMNS


class ContactDetail(ObjectDetailView):
    model = ContactRequest
    template_name = "matching/contact_detail.html"
    select_related = ["listing", "listing__chain", "from_listing", "requester", "responder"]

    def extra_context(self, contact):
        sides = services.party_of(contact, self.request.user) if not self.request.user.is_platform_admin else set()
        actions = CONTACT.buttons(contact, self.request.user) if sides else []
        deal = Deal.objects.visible_to(self.request.user).filter(contact=contact).first()
        return {"actions": actions, "deal": deal,
                "deal_form": forms.DealForm(user=self.request.user, initial={"title": contact.listing.title})
                if contact.status == ContactStatus.ACCEPTED and deal is None and sides else None}


@login_required
@require_POST
def contact_transition(request, pk, action):
    contact = get_for_user(ContactRequest, request.user, pk)
    try:
        CONTACT.transition(contact, action, actor=request.user, note=request.POST.get("reply", ""))
        messages.success(request, f"已{CONTACT.label(action)}")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("matching:contact_detail", pk=pk)


@login_required
@require_POST
def contact_deal(request, pk):
    contact = get_for_user(ContactRequest, request.user, pk,
                           queryset=ContactRequest.objects.select_related("listing", "requester", "responder"))
    form = forms.DealForm(request.POST, user=request.user)
    if not form.is_valid():
        for field, errs in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}：{'；'.join(errs)}")
        return redirect("matching:contact_detail", pk=pk)
    try:
        deal = services.make_deal(actor=request.user, contact=contact, **form.cleaned_data)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("matching:contact_detail", pk=pk)
    messages.success(request, "已登记签约")
    return redirect("matching:deal_detail", pk=deal.pk)


class DealList(ObjectListView):
    model = Deal
    listing = tables.DEALS
    title = "对接成果"
    columns = tables.DEAL_COLUMNS
    excel_spec = excel.DEAL

    def extra_context(self):
        agg = self.get_queryset().aggregate(n=Count("id"), s=Sum("amount"))
        return {"title": f"对接成果（{agg['n']} 项，合计 {agg['s'] or 0} 万元）"}


class DealDetail(ObjectDetailView):
    model = Deal
    template_name = "matching/deal_detail.html"
    select_related = ["supplier", "buyer", "chain", "meeting", "contact__listing"]

    def extra_context(self, deal):
        user = self.request.user
        return {"can_edit": services.may_edit_deals(user)
                and Deal.objects.visible_to(user, for_write=True).filter(pk=deal.pk).exists()}


class DealEdit(ObjectEditView):
    """Change a deal's contract status, amount, date and note: the parties' firm users and the chain or
    zone staff who see the deal (others: 404, like every page out of scope)."""

    model = Deal
    form_class = forms.DealEditForm
    success_url_name = "matching:deal_detail"

    @classmethod
    def may_create(cls, user) -> bool:
        return False  # deals come from accepted contacts (contact_deal), never from a blank form

    @classmethod
    def may_edit(cls, user, obj) -> bool:
        return services.may_edit_deals(user) and super().may_edit(user, obj)


# --- meetings and revenues ---------------------------------------------------------------------------


class MeetingList(ObjectListView):
    model = MatchmakingMeeting
    listing = tables.MEETINGS
    title = "对接会"
    columns = tables.MEETING_COLUMNS
    create_url = "matching:meeting_create"
    create_perm = "matching.manage"

    def get_queryset(self):
        return super().get_queryset().annotate(n_deals=Count("deals"))


class MeetingDetail(ObjectDetailView):
    edit_perm = "matching.manage"
    model = MatchmakingMeeting
    template_name = "matching/meeting_detail.html"
    select_related = ["chain", "zone"]

    def extra_context(self, meeting):
        deals = Deal.objects.visible_to(self.request.user).filter(meeting=meeting).select_related("supplier", "buyer")
        return {"deals": deals, "total": deals.aggregate(s=Sum("amount"))["s"] or 0}


class MeetingEdit(ObjectEditView):
    model = MatchmakingMeeting
    perm = "matching.manage"
    form_class = forms.MeetingForm
    success_url_name = "matching:meeting_detail"
    create_perm = "matching.manage"


class RevenueList(ObjectListView):
    model = EnterpriseRevenue
    listing = tables.REVENUES
    perm = "matching.manage"
    title = "企业营收"
    columns = tables.REVENUE_COLUMNS
    excel_spec = excel.REVENUE
    create_url = "matching:revenue_create"
    create_perm = "matching.manage"


class RevenueEdit(ObjectEditView):
    model = EnterpriseRevenue
    perm = "matching.manage"
    form_class = forms.RevenueForm
    success_url_name = "matching:revenue_edit"
    create_perm = "matching.manage"


@login_required
def chain_growth(request, pk):
    """Supporting firms' revenue growth on one chain, computed from the recorded revenues
    (``services.chain_growth_for``, the same figure as ``GET /api/v1/chains/{id}/revenue-growth``)."""
    chain = get_for_user(Chain, request.user, pk)
    growth = services.chain_growth_for(request.user, chain, request.GET.get("year"))
    deals = Deal.objects.visible_to(request.user).filter(chain=chain)
    chart = {"names": [f["enterprise"].name for f in growth["firms"]],
             "previous": [float(f["previous"]) for f in growth["firms"]],
             "current": [float(f["current"]) for f in growth["firms"]]}
    return render(request, "matching/chain_growth.html", {
        "title": f"{chain.name} · 配套企业营收增长", "chain": chain, "growth": growth, "years": growth["years"],
        "chart": chart, "deal_count": deals.count(), "deal_amount": deals.aggregate(s=Sum("amount"))["s"] or 0})


# --- Excel import ------------------------------------------------------------------------------------


def importable_kinds(user) -> dict:
    """The Excel kinds this user may import here (``excel.IMPORT_PERMS``), in menu order."""
    return {kind: spec for kind, spec in excel.SPECS.items()
            if all(user.has_perm_code(code) for code in excel.IMPORT_PERMS[kind])}


@login_required
def import_view(request):
    """Upload listings, deals or annual revenues: every row checked; any problem imports nothing and is
    listed per row and column."""
    specs = importable_kinds(request.user)
    kind = request.POST.get("kind") or request.GET.get("kind") or "listings"
    if kind not in specs:
        raise Http404("未找到该页面，或您无权访问")
    result = import_upload(request, specs[kind])
    return render(request, "matching/import.html", {"result": result, "kind": kind, "specs": specs,
                                                    "spec": specs[kind], "title": f"导入{specs[kind].title}"})


@login_required
def import_template(request, kind="listings"):
    spec = importable_kinds(request.user).get(kind)
    if spec is None:
        raise Http404("未找到该页面，或您无权访问")
    return template_download(spec, spec.title + "导入模板")


__all__ = ["ListingStatus"]
